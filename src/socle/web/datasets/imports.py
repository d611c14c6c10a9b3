"""Importing a file into a dataset's draft, through the core's import pipeline (:mod:`socle.importing`).

1. The file is uploaded (larger than ``SOCLE_MAX_UPLOAD_BYTES``: a 413 page, see :mod:`socle.web.limits`)
   and analysed in the background: sheet, header row, columns mapped to the schema's fields with their
   confidence, the fixes each rule would make (counts and examples) and the cells it flags.
2. The person checks the mapping (a field per column, or none), accepts or refuses each rule.
3. The import runs in the background: the clean rows replace the draft (or follow it), each row's
   errors are counted by the engine, the audit trail says who imported what.

A progress bar follows both jobs (``progress``, ``stage`` of the :class:`ImportRun`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.tasks import task
from django.views.decorators.http import require_GET

from socle.errors import SocleError
from socle.importing.mapping import ColumnMapping
from socle.importing.pipeline import ImportResult, import_file
from socle.schemas import TableSchema
from socle.web.accounts.models import Role
from socle.web.datasets import draft
from socle.web.datasets.models import Action, AuditEvent, Dataset, ImportRun, ImportStatus
from socle.web.tenancy import access_of, authority_view
from socle.web.territories.models import Authority

log = logging.getLogger(__name__)

EXAMPLES_PER_RULE = 5
ACCEPTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")


# --- the jobs ------------------------------------------------------------------------------------------


def _progress(run: ImportRun, progress: int, stage: str, **fields: Any) -> None:
    """Save where the job is (its own small update: the page polls it)."""
    run.progress, run.stage = progress, stage
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["progress", "stage", *fields])


def _guarded(job: Callable[[ImportRun], None], run_id: int) -> None:
    """Run ``job``; any failure ends the import with a French message, never silently (and the
    analysis' rows, of no more use, are removed)."""
    run = ImportRun.objects.select_related("dataset").get(pk=run_id)
    try:
        job(run)
    except SocleError as error:
        analysed_rows(run).unlink(missing_ok=True)
        _progress(run, 100, "Échec", status=ImportStatus.FAILED, error=str(error))
    except Exception:
        log.exception("import %s", run_id)
        analysed_rows(run).unlink(missing_ok=True)
        _progress(
            run,
            100,
            "Échec",
            status=ImportStatus.FAILED,
            error="Une erreur inattendue a interrompu l'import ; elle a été enregistrée. Réessayez ou "
            "écrivez à l'équipe qui administre Socle.",
        )


@task
def analyse_import(run_id: int) -> None:
    """Background job: what the import would do (nothing is written to the draft)."""
    _guarded(_analyse, run_id)


@task
def run_import(run_id: int) -> None:
    """Background job: the import itself, with the person's choices."""
    _guarded(_import, run_id)


ERRORS = "__erreurs__"
"""Column of each clean row's error count, in the analysis' saved rows."""


def analysed_rows(run: ImportRun) -> Path:
    """Where the analysis keeps the clean rows and their error counts (Parquet, next to the upload):
    the import uses them when the person changed none of the analysis' choices."""
    upload = Path(run.file.path)
    return upload.with_name(f"{upload.name}.import-{run.pk}.parquet")


def _analyse(run: ImportRun) -> None:
    _progress(run, 10, "Lecture du fichier et recherche de l'en-tête", status=ImportStatus.ANALYSING)
    schema = draft.schema_of(run.dataset)
    result = import_file(Path(run.file.path), schema)
    _progress(run, 80, "Préparation de l'aperçu des corrections")
    fixes, flags = result.fixes.fixes, result.fixes.flags
    rules = []
    for count in result.counts():
        code = count["rule"]
        examples = fixes.filter(pl.col("rule") == code).head(EXAMPLES_PER_RULE).to_dicts()
        flagged = flags.filter(pl.col("rule") == code).head(EXAMPLES_PER_RULE).to_dicts()
        rules.append({**count, "examples": examples, "flagged": flagged})
    frame = result.frame
    frame.with_columns(_errors_of(result).alias(ERRORS)).write_parquet(analysed_rows(run))
    analysis = {
        "choices": result.detection.reasons,
        "sheet": result.detection.sheet,
        "header_row": result.detection.header.row,
        "rows": frame.height,
        "blank_rows": len(result.blank_rows),
        "rules": rules,
        "before": {"errors": result.before.error_count},
        "after": {"errors": result.after.error_count},
        "applied": result.mapping.applied,
    }
    _progress(
        run,
        100,
        "Analyse terminée : vérifiez les colonnes et les corrections",
        status=ImportStatus.READY,
        analysis=analysis,
        mapping=result.mapping.to_dict(),
    )


def _errors_of(result: ImportResult) -> pl.Series:
    """Each clean row's error count, from the engine's report on the clean file (its data rows are
    numbered from 2): the same counts as judging the rows once in the draft."""
    return draft.row_errors(result.after, result.frame.height, first_line=2)


def _clean_rows(run: ImportRun, schema: TableSchema) -> tuple[pl.DataFrame, pl.Series, int]:
    """The clean rows, their error counts and the number of cells fixed: the analysis' own when the
    person kept its mapping and every rule, else the pipeline's with the person's choices."""
    saved = analysed_rows(run)
    unchanged = (
        not run.refused_rules
        and ColumnMapping.from_dict(run.mapping).applied == run.analysis.get("applied")
        and saved.exists()
    )
    if unchanged:
        frame = pl.read_parquet(saved)
        fixed = sum(int(rule.get("fixes", 0)) for rule in run.analysis.get("rules", []))
        return frame.drop(ERRORS), frame.get_column(ERRORS), fixed
    mapping = ColumnMapping.from_dict(run.mapping) if run.mapping else None
    result = import_file(Path(run.file.path), schema, mapping=mapping, refuse=run.refused_rules)
    return result.frame, _errors_of(result), sum(c["fixes"] for c in result.counts())


def _import(run: ImportRun) -> None:
    _progress(run, 5, "Lecture et correction du fichier", status=ImportStatus.IMPORTING)
    dataset = run.dataset
    schema = draft.schema_of(dataset)
    frame, errors, changed = _clean_rows(run, schema)
    _progress(run, 60, "Écriture du brouillon")
    # Only unique fields and the primary key tie rows together: rows appended to a draft are judged
    # again with it when they exist; otherwise each row's count is the one found above.
    whole = not run.replace and bool(draft.key_groups(schema))
    with transaction.atomic():
        draft.lock(dataset)
        if run.replace:
            dataset.draft_rows.all().delete()
            start = 1
        else:
            last = dataset.draft_rows.order_by("-position").values_list("position", flat=True).first()
            start = 1 if last is None else last + 1
        draft.insert_rows(dataset, start, frame, errors)
        completion = draft.revalidate(dataset, schema) if whole else draft.completion(dataset)
        summary = {
            "rows": frame.height,
            "fixes": changed,
            "refused_rules": run.refused_rules,
            "draft_rows": completion.rows,
            "rows_with_errors": completion.to_fix,
            "replace": run.replace,
        }
        AuditEvent.record(
            dataset.authority,
            run.created_by,
            Action.IMPORTED,
            f"Fichier « {run.original_name} » importé : {frame.height} ligne(s), {changed} cellule(s) "
            f"corrigée(s)" + (" (le brouillon est remplacé)" if run.replace else " (ajoutées au brouillon)"),
            dataset=dataset,
            **summary,
        )
    analysed_rows(run).unlink(missing_ok=True)
    _progress(run, 100, "Import terminé", status=ImportStatus.DONE, result=summary)


# --- the pages -----------------------------------------------------------------------------------------


def _dataset(authority: Authority, slug: str) -> Dataset:
    return get_object_or_404(authority.datasets, slug=slug)


def _run(dataset: Dataset, run_id: int) -> ImportRun:
    return get_object_or_404(dataset.imports, pk=run_id)


@authority_view(Role.READER)
def upload(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    found = _dataset(authority, dataset)
    can_edit = access_of(request).can(authority, Role.CONTRIBUTOR)
    error = ""
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Il faut être contributeur de cette collectivité pour importer.")
        uploaded = request.FILES.get("fichier")
        if uploaded is None or not uploaded.name:
            error = "Choisissez un fichier à importer (CSV, XLSX, XLS ou ODS)."
        elif not uploaded.name.lower().endswith(ACCEPTED_SUFFIXES):
            error = (
                f"« {uploaded.name} » n'est pas un fichier que Socle sait lire : "
                "CSV, XLSX, XLS ou ODS attendu."
            )
        elif uploaded.size is not None and uploaded.size > settings.SOCLE_MAX_UPLOAD_BYTES:
            return too_large(request)
        else:
            run = ImportRun.objects.create(
                dataset=found,
                file=uploaded,
                original_name=uploaded.name[:255],
                size=uploaded.size or 0,
                replace=request.POST.get("mode", "remplacer") != "ajouter",
                created_by=request.user if request.user.is_authenticated else None,
                stage="En attente de l'analyse",
            )
            analyse_import.enqueue(run.pk)
            return redirect("import-suivi", slug=authority.slug, dataset=found.slug, run=run.pk)
    return render(
        request,
        "socle/import_depot.html",
        {
            "authority": authority,
            "dataset": found,
            "can_edit": can_edit,
            "error": error,
            "runs": found.imports.all()[:10],
            "max_mb": settings.SOCLE_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=400 if error else 200,
    )


def too_large(request: HttpRequest) -> HttpResponse:
    """The French 413 page."""
    return render(
        request,
        "socle/erreur.html",
        {
            "title": "Fichier trop volumineux",
            "text": f"Ce fichier dépasse la taille maximale acceptée "
            f"({settings.SOCLE_MAX_UPLOAD_BYTES // (1024 * 1024)} Mo). Enregistrez-le en CSV, ou "
            f"découpez-le, puis réessayez ; l'administrateur de Socle peut aussi relever cette limite "
            f"(SOCLE_MAX_UPLOAD_BYTES).",
        },
        status=413,
    )


@authority_view(Role.READER)
def follow(request: HttpRequest, authority: Authority, dataset: str, run: int) -> HttpResponse:
    """The import's page: progress while a job runs, the checks when the analysis is ready, the result."""
    found = _dataset(authority, dataset)
    current = _run(found, run)
    return _follow(request, authority, found, current)


def _follow(request: HttpRequest, authority: Authority, found: Dataset, run: ImportRun) -> HttpResponse:
    can_edit = access_of(request).can(authority, Role.CONTRIBUTOR)
    errors: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Il faut être contributeur de cette collectivité pour importer.")
        if run.status != ImportStatus.READY:
            errors.append("Cet import n'attend plus de choix : rechargez la page.")
        else:
            errors = _apply_choices(request.POST, run)
            if not errors:
                run_import.enqueue(run.pk)
                return redirect("import-suivi", slug=authority.slug, dataset=found.slug, run=run.pk)
    context = {
        "authority": authority,
        "dataset": found,
        "run": run,
        "can_edit": can_edit,
        "errors": errors,
        "running": run.status in (ImportStatus.UPLOADED, ImportStatus.ANALYSING, ImportStatus.IMPORTING),
    }
    if run.status == ImportStatus.READY:
        context.update(_choices(run))
    return render(request, "socle/import_suivi.html", context, status=400 if errors else 200)


@authority_view(Role.READER)  # first: another authority's people get a 404, whatever the method
@require_GET
def state(request: HttpRequest, authority: Authority, dataset: str, run: int) -> HttpResponse:
    current = _run(_dataset(authority, dataset), run)
    return JsonResponse(
        {
            "status": current.status,
            "label": current.get_status_display(),
            "stage": current.stage,
            "progress": current.progress,
        }
    )


def _choices(run: ImportRun) -> dict[str, Any]:
    """The mapping screen's rows (source column, proposed field, confidence) and the rules' previews."""
    mapping = ColumnMapping.from_dict(run.mapping)
    by_column = {p.column: p for p in mapping.proposals}
    columns = []
    for index, label in enumerate(mapping.header):
        proposal = by_column.get(index)
        columns.append(
            {
                "index": index,
                "label": label,
                "field": proposal.field if proposal else "",
                "score": proposal.score if proposal else None,
                "method": proposal.method.label if proposal else "",
                "applied": proposal.applied if proposal else False,
                "note": proposal.note if proposal else "",
            }
        )
    mapped = {c["field"] for c in columns if c["field"]}
    return {
        "columns": columns,
        "fields": list(mapping.fields),
        "missing": [f for f in mapping.fields if f not in mapped and f in mapping.required],
        "rules": run.analysis.get("rules", []),
        "analysis": run.analysis,
    }


def _apply_choices(data: Mapping[str, Any], run: ImportRun) -> list[str]:
    """Read the mapping and the rules from the form into ``run``; French errors, or [] when saved."""
    mapping = ColumnMapping.from_dict(run.mapping)
    chosen: dict[int, str | None] = {}
    seen: dict[str, int] = {}
    errors = []
    for index, label in enumerate(mapping.header):
        value = str(data.get(f"colonne-{index}", "")).strip()
        if value and value not in mapping.fields:
            errors.append(
                f"Colonne {index + 1} (« {label} ») : le champ « {value} » n'existe pas dans le schéma."
            )
            continue
        if value in seen:
            errors.append(
                f"Le champ « {value} » est choisi pour deux colonnes ({seen[value] + 1} et {index + 1}) : "
                "gardez-le pour une seule."
            )
            continue
        if value:
            seen[value] = index
        chosen[index] = value or None
    if errors:
        return errors
    for index, value in chosen.items():
        mapping = mapping.choose(index, value)
    known = {rule["rule"] for rule in run.analysis.get("rules", [])}
    accepted = {str(v) for v in data.getlist("regle")} if hasattr(data, "getlist") else set()
    run.mapping = mapping.to_dict()
    run.refused_rules = sorted(known - accepted)
    run.status = ImportStatus.IMPORTING  # no second submission while the job waits for a worker
    run.stage = "En attente de l'import"
    run.progress = 0
    run.save(update_fields=["mapping", "refused_rules", "status", "stage", "progress"])
    return []
