"""Forms of the territories: an authority created from the COG, an ATD's accompaniments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from socle.web.territories.models import Accompaniment, Authority, Kind, validate_siret

COG_KINDS = [Kind.COMMUNE, Kind.EPCI, Kind.DEPARTEMENT, Kind.REGION]


class AuthorityForm(forms.Form):
    """An authority of the COG (chosen in the search: kind and code), its SIRET, whether it is an ATD,
    and optionally the e-mail address of its first administrator."""

    # Chosen in the search's results, not typed: checked in clean(), whose message says what to do.
    kind = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)
    code = forms.CharField(max_length=20, required=False, widget=forms.HiddenInput)
    siret = forms.CharField(
        label="SIRET du siège",
        max_length=40,
        help_text="14 chiffres (les espaces sont permis), sur l'avis de situation SIRENE de la collectivité.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Indiquez le SIRET du siège de la collectivité."},
    )
    is_atd = forms.BooleanField(
        label="Cette collectivité est un animateur territorial de données (ATD)",
        required=False,
        help_text="Elle accompagne d'autres collectivités dans l'ouverture de leurs données.",
    )
    admin_email = forms.EmailField(
        label="Adresse électronique de son premier administrateur (facultatif)",
        required=False,
        help_text="Cette personne reçoit une invitation par courriel à administrer la collectivité.",
        error_messages={
            "invalid": "Cette adresse électronique n'est pas valide (exemple : prenom.nom@mairie.fr)."
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority: Authority | None = None
        self.existing: Authority | None = None

    def clean_siret(self) -> str:
        siret = "".join(str(self.cleaned_data["siret"]).split())
        validate_siret(siret)
        return siret

    def clean_admin_email(self) -> str:
        return str(self.cleaned_data.get("admin_email") or "").strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, code = data.get("kind"), data.get("code")
        if kind not in COG_KINDS or not code:
            raise forms.ValidationError(
                "Choisissez d'abord la collectivité dans les résultats de la recherche.", code="territory"
            )
        self.existing = Authority.objects.filter(kind=kind, code=code).first()
        if self.existing is not None:
            raise forms.ValidationError("Cette collectivité existe déjà dans Socle.", code="exists")
        try:
            self.authority = Authority.from_cog(
                kind, code, siret=data.get("siret", ""), is_atd=bool(data.get("is_atd"))
            )
        except ValueError:
            raise forms.ValidationError(
                "Ce territoire n'est pas dans le code officiel géographique (COG) fourni avec Socle.",
                code="territory",
            ) from None
        siret = data.get("siret")
        if siret and self.authority.siren and not siret.startswith(self.authority.siren):
            self.add_error(
                "siret",
                f"Ce SIRET n'est pas celui d'un établissement de {self.authority.name} : il doit commencer par "
                f"son SIREN, {self.authority.siren}.",
            )
        return data


def _day(label: str, required: str) -> forms.DateField:
    """A date picked in the browser's calendar, today by default, with French messages."""
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": required, "invalid": "Cette date n'est pas valide (jour/mois/année)."},
    )


class AccompanimentForm(forms.Form):
    """An authority (found by the search) that the ATD accompanies from a date."""

    authority = forms.ModelChoiceField(
        label="Collectivité",
        queryset=Authority.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez la collectivité à accompagner dans les résultats de la recherche.",
            "invalid_choice": "Choisissez la collectivité à accompagner dans les résultats de la recherche.",
        },
    )
    started_on = _day("À partir du", "Indiquez la date de début de l'accompagnement.")

    def __init__(self, *args: Any, atd: Authority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.atd = atd
        # Any other authority may be chosen; the page shows only those its search found.
        self.fields["authority"].queryset = Authority.objects.exclude(pk=atd.pk)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        authority, started_on = data.get("authority"), data.get("started_on")
        if authority is None or started_on is None:
            return data
        overlapping = self.atd.accompanied.filter(authority=authority).exclude(ended_on__lt=started_on)
        if overlapping.exists():
            self.add_error(
                "authority",
                f"{self.atd.name} accompagne déjà cette collectivité à cette date : terminez d'abord "
                "l'accompagnement en cours.",
            )
        return data


class EndAccompanimentForm(forms.Form):
    """The last day of a running accompaniment (inclusive)."""

    accompaniment = forms.IntegerField(widget=forms.HiddenInput)
    ended_on = _day("Jusqu'au (inclus)", "Indiquez le dernier jour de l'accompagnement.")

    def __init__(self, *args: Any, atd: Authority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.atd = atd
        self.accompaniment: Accompaniment | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pk, ended_on = data.get("accompaniment"), data.get("ended_on")
        if pk is None:
            raise forms.ValidationError("Choisissez l'accompagnement à terminer dans la liste.")
        self.accompaniment = (
            self.atd.accompanied.filter(pk=pk, ended_on__isnull=True).select_related("authority").first()
        )
        if self.accompaniment is None:
            raise forms.ValidationError("Cet accompagnement n'est pas en cours : rechargez la page.")
        if ended_on is not None and ended_on < self.accompaniment.started_on:
            self.add_error(
                "ended_on",
                "L'accompagnement ne peut pas se terminer avant d'avoir commencé (le "
                f"{self.accompaniment.started_on:%d/%m/%Y}).",
            )
        return data
