"""An authority (collectivité) is made from the COG shipped with Socle; an ATD is an authority that
accompanies others, over periods of time."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from socle.referentials import cog
from socle.validation.identifiers import is_siret


class Kind(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"
    REGION = "region", "région"
    SYNDICAT = "syndicat", "syndicat"
    AUTRE = "autre", "autre organisme public"


def validate_siret(value: str) -> None:
    if not is_siret(value):
        raise ValidationError(
            "Ce SIRET n'est pas valide : il faut 14 chiffres dont le dernier est la clé de contrôle "
            "(vérifiez-le sur l'avis de situation SIRENE de la collectivité).",
            code="siret",
        )


class Authority(models.Model):
    """A collectivité or public body that publishes data (and, if ``is_atd``, accompanies others)."""

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    code = models.CharField(
        "code",
        max_length=20,
        help_text="Code INSEE (commune, département, région) ou SIREN (EPCI, syndicat…).",
    )
    slug = models.SlugField("identifiant dans les adresses", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    siret = models.CharField("SIRET du siège", max_length=14, blank=True, validators=[validate_siret])
    population = models.PositiveIntegerField("population", null=True, blank=True)
    departement = models.CharField("département", max_length=3, blank=True)
    is_atd = models.BooleanField(
        "animateur territorial de données (ATD)",
        default=False,
        help_text="Accompagne d'autres collectivités dans l'ouverture de leurs données.",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "collectivité"
        verbose_name_plural = "collectivités"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="authority_kind_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @classmethod
    def from_cog(cls, kind: str, code: str, *, siret: str = "", is_atd: bool = False) -> Authority:
        """A new (unsaved) authority from the shipped COG: name, SIREN, population, département."""
        record: cog.Authority | None
        if kind == Kind.COMMUNE:
            record = cog.commune(code)
        elif kind == Kind.EPCI:
            record = cog.epci(code)
        elif kind == Kind.DEPARTEMENT:
            record = cog.departement(code)
        elif kind == Kind.REGION:
            record = cog.region(code)
        else:
            record = None
        if record is None:
            raise ValueError(f"aucun territoire {kind} de code {code} dans le COG")
        population = getattr(record, "population", None)
        if kind == Kind.DEPARTEMENT:
            population = sum(c.population or 0 for c in cog.communes_of_departement(code)) or None
        departement = getattr(record, "departement", "") or (code if kind == Kind.DEPARTEMENT else "")
        return cls(
            kind=kind,
            code=code,
            slug=f"{kind}-{code}".lower(),
            name=record.name,
            siren=record.siren or "",
            siret=siret,
            population=population,
            departement=departement,
            is_atd=is_atd,
        )


class AccompanimentQuerySet(models.QuerySet["Accompaniment"]):
    def current(self, on: datetime.date | None = None) -> AccompanimentQuerySet:
        """The accompaniments running on ``on`` (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day))


class Accompaniment(models.Model):
    """An ATD accompanies an authority from ``started_on`` (to ``ended_on``, if it ended)."""

    atd = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="accompanied", verbose_name="ATD"
    )
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="accompaniments", verbose_name="collectivité"
    )
    started_on = models.DateField("depuis le", default=timezone.localdate)
    ended_on = models.DateField("jusqu'au", null=True, blank=True)

    objects = AccompanimentQuerySet.as_manager()

    class Meta:
        verbose_name = "accompagnement"
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.atd} accompagne {self.authority}"
