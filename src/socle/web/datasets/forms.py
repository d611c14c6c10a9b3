from __future__ import annotations

from typing import Any

from django import forms

from socle.schemas.describe import list_schemas
from socle.web.datasets.models import Dataset


def schema_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The usable schemas of the catalogue, SCDL first, as grouped choices (``name@version``)."""
    scdl, others = [], []
    for summary in list_schemas():
        if not summary.usable or not summary.latest:
            continue
        label = f"{summary.title or summary.name} ({summary.name}, version {summary.latest})"
        (scdl if summary.scdl else others).append((f"{summary.name}@{summary.latest}", label))
    return [
        ("Socle commun des données locales (SCDL)", sorted(scdl, key=lambda c: c[1].lower())),
        ("Autres schémas de schema.data.gouv.fr", sorted(others, key=lambda c: c[1].lower())),
    ]


class DatasetForm(forms.ModelForm):
    schema = forms.ChoiceField(
        label="Schéma",
        help_text="Le modèle de données national que le jeu suivra (tapez pour chercher).",
    )
    keywords = forms.CharField(
        label="Mots-clés",
        required=False,
        help_text="Séparés par des virgules (par exemple : budget, culture).",
    )

    class Meta:
        model = Dataset
        fields = ["title", "description", "licence", "frequency", "temporal_start", "temporal_end"]
        widgets = {
            "temporal_start": forms.DateInput(attrs={"type": "date"}),
            "temporal_end": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schema"].choices = schema_choices()
        self.order_fields(["schema", "title", "description", "licence", "frequency"])

    def clean_keywords(self) -> list[str]:
        text = self.cleaned_data.get("keywords") or ""
        return [k.strip() for k in text.split(",") if k.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and end < start:
            self.add_error("temporal_end", "La fin de la période couverte est avant son début.")
        return data
