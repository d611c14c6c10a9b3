"""A dataset follows one schema of the catalogue. Work happens in its draft (rows of cells, as text);
"valider" freezes an immutable version (rows, file, report). Every change is in the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from socle.web.territories.models import Authority


class Licence(models.TextChoices):
    ETALAB_2 = "etalab-2.0", "Licence Ouverte 2.0 (Etalab)"
    ODBL = "odc-odbl", "ODbL (Open Database License)"
    CC_BY = "cc-by", "Creative Commons Attribution"
    CC_ZERO = "cc-zero", "Creative Commons Zéro (domaine public)"


class Frequency(models.TextChoices):
    PUNCTUAL = "punctual", "ponctuelle"
    DAILY = "daily", "quotidienne"
    WEEKLY = "weekly", "hebdomadaire"
    MONTHLY = "monthly", "mensuelle"
    QUARTERLY = "quarterly", "trimestrielle"
    SEMIANNUAL = "semiannual", "semestrielle"
    ANNUAL = "annual", "annuelle"
    IRREGULAR = "irregular", "irrégulière"


class Dataset(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="datasets")
    slug = models.SlugField("identifiant dans les adresses", max_length=80)
    schema_name = models.CharField("schéma", max_length=200)
    schema_version = models.CharField("version du schéma", max_length=40)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    licence = models.CharField("licence", max_length=20, choices=Licence.choices, default=Licence.ETALAB_2)
    frequency = models.CharField(
        "fréquence de mise à jour", max_length=20, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    temporal_start = models.DateField("début de la période couverte", null=True, blank=True)
    temporal_end = models.DateField("fin de la période couverte", null=True, blank=True)
    keywords = models.JSONField("mots-clés", default=list, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "jeu de données"
        verbose_name_plural = "jeux de données"
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["authority", "slug"], name="dataset_authority_slug")]

    def __str__(self) -> str:
        return self.title

    @property
    def schema_ref(self) -> str:
        """``name@version``, as the core's schema catalogue reads it."""
        return f"{self.schema_name}@{self.schema_version}"


class DraftRow(models.Model):
    """One row of a dataset's draft: the cells as text, by field name (what the agent typed or
    imported; the engine judges them, it never changes them)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="draft_rows")
    position = models.PositiveIntegerField("position")
    cells = models.JSONField("cellules", default=dict)
    errors = models.PositiveIntegerField("erreurs", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["dataset", "position"]), models.Index(fields=["dataset", "errors"])]


class Version(models.Model):
    """A frozen state of a dataset: its rows (as a CSV file), its validation report. Never changed."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("numéro")
    created_at = models.DateTimeField("validée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField("fichier", upload_to="versions/%Y/%m/")
    rows = models.PositiveIntegerField("lignes", default=0)
    errors = models.PositiveIntegerField("erreurs", default=0)
    report = models.JSONField("rapport", default=dict)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "number"], name="version_dataset_number")]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and Version.objects.filter(pk=self.pk).exists():
            raise ValueError("une version validée ne se modifie pas")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "déposé"
    ANALYSING = "analysing", "analyse en cours"
    READY = "ready", "à vérifier"
    IMPORTING = "importing", "import en cours"
    DONE = "done", "importé"
    FAILED = "failed", "échec"


class ImportRun(models.Model):
    """One file imported into a dataset's draft: analysed in the background (sheet, header row,
    columns, fixes), checked and adjusted by the person (mapping, fixes accepted or refused), then
    imported in the background. ``progress`` (0–100) and ``stage`` say where the job is."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField("fichier", upload_to="imports/%Y/%m/")
    original_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveBigIntegerField("taille", default=0)
    status = models.CharField(
        "état", max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    stage = models.CharField("étape", max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField("avancement", default=0)
    analysis = models.JSONField("analyse", default=dict, blank=True)
    mapping = models.JSONField("correspondance des colonnes", default=dict, blank=True)
    refused_rules = models.JSONField("corrections refusées", default=list, blank=True)
    replace = models.BooleanField("remplacer le brouillon", default=True)
    result = models.JSONField("résultat", default=dict, blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import"


class Action(models.TextChoices):
    CREATED = "created", "création"
    METADATA = "metadata", "métadonnées modifiées"
    ROW_ADDED = "row_added", "ligne ajoutée"
    ROW_CHANGED = "row_changed", "ligne modifiée"
    ROW_DELETED = "row_deleted", "ligne supprimée"
    IMPORTED = "imported", "fichier importé"
    FROZEN = "frozen", "version validée"
    RESTORED = "restored", "version restaurée"
    MEMBER = "member", "rôle donné ou retiré"
    INVITED = "invited", "invitation envoyée"


class AuditEvent(models.Model):
    """Who changed what and when; seen by the authority and its ATDs."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="audit_events")
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("action", max_length=20, choices=Action.choices)
    summary = models.CharField("résumé", max_length=300)
    detail = models.JSONField("détail", default=dict, blank=True)
    at = models.DateTimeField("le", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "événement du journal"

    @classmethod
    def record(
        cls,
        authority: Authority,
        user: object,
        action: str,
        summary: str,
        *,
        dataset: Dataset | None = None,
        **detail: object,
    ) -> AuditEvent:
        return cls.objects.create(
            authority=authority,
            dataset=dataset,
            user=user if getattr(user, "is_authenticated", False) else None,
            action=action,
            summary=summary[:300],
            detail=detail,
        )
