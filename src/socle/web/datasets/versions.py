"""Versions of a dataset: freeze the draft into an immutable version (rows as a CSV file, the core's
report), list and show versions, download their file, compare two of them, restore one into the draft.

The services (:func:`freeze`, :func:`diff_versions`, :func:`restore`…) know nothing of requests; the
views below parse, authorise (every one is an :func:`~socle.web.tenancy.authority_view`, every query
starts from the authority), call one service and render.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import IO, Any

import polars as pl
from django.contrib import messages
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from socle.errors import SocleError
from socle.schemas.model import TableSchema
from socle.validation import catalogue
from socle.validation.engine import validate_file
from socle.validation.records import validate_records
from socle.validation.report import ValidationReport
from socle.web.accounts.models import Role
from socle.web.datasets import draft
from socle.web.datasets.models import Action, AuditEvent, Dataset, DraftRow, Version
from socle.web.tenancy import access_of, authority_view
from socle.web.territories.models import Authority

log = logging.getLogger(__name__)

FREEZE_ATTEMPTS = 5
"""Numbering retries when the unique constraint catches a number taken meanwhile (a database without
the lock below, or a version created outside this module)."""
ERRORS_SHOWN = 50
"""Errors of a version's report listed on its page (all of them are in the report)."""
CHANGES_SHOWN = 300
"""Differing rows listed on a comparison page (the counts cover every row)."""


# --- Services ---------------------------------------------------------------------------------------


def draft_records(dataset: Dataset) -> list[dict[str, Any]]:
    """The draft's rows (cells by field name), in position order, read in one query (one snapshot)."""
    return list(dataset.draft_rows.order_by("position", "pk").values_list("cells", flat=True))


def _text(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)


def write_csv(out: IO[str], names: Sequence[str], records: Sequence[Mapping[str, object]]) -> None:
    """Write ``records`` as CSV (RFC 4180: comma, double quotes when needed, CRLF), header ``names``,
    each cell the text as typed; a field absent from a record is an empty cell."""
    writer = csv.writer(out, delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(names)
    for record in records:
        writer.writerow([_text(record.get(name)) for name in names])


def csv_bytes(names: Sequence[str], records: Sequence[Mapping[str, object]]) -> bytes:
    """The CSV file of ``records`` (UTF-8, no BOM), as :func:`freeze` writes it."""
    out = io.StringIO(newline="")
    write_csv(out, names, records)
    return out.getvalue().encode("utf-8")


def report_json(report: ValidationReport) -> dict[str, Any]:
    """The report's JSON form, as the core's writer writes it (``docs/rapport-json.md``)."""
    out = io.StringIO()
    report.write_json(out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def version_path(dataset: Dataset, number: int) -> str:
    """``versions/<authority>/<dataset>/v<number>.csv``, the dataset's slug shortened when the whole
    would not fit in the file field (room is left for the suffix the storage adds to a taken name)."""
    prefix = f"versions/{dataset.authority.slug}/"
    name = f"/v{number}.csv"
    room = Version._meta.get_field("file").max_length - len(prefix) - len(name) - 8  # type: ignore[union-attr,operator]
    return f"{prefix}{dataset.slug[: max(room, 1)]}{name}"


def download_name(dataset: Dataset, number: int) -> str:
    """The name of a version's file for the people who download it."""
    return f"{dataset.authority.slug}-{dataset.slug}-v{number}.csv"


@dataclass(frozen=True)
class DraftSummary:
    rows: int
    errors: int
    rows_with_errors: int
    same_as: int | None
    """The number of the latest version whose file is the draft's very file, if any."""
    left_out: list[str]
    """Fields of the draft's cells that the schema does not have (filled somewhere): not in a version."""


def draft_summary(dataset: Dataset, schema: TableSchema) -> DraftSummary:
    """How many rows the draft has, how many errors the engine finds in them (as in a version), and
    which version, if any, already holds exactly these rows."""
    records = draft_records(dataset)
    report = validate_records(schema, records)
    rows_with_errors = report.findings.filter(pl.col("row") > 0).get_column("row").n_unique()
    known = set(schema.field_names)
    left_out = {name for record in records for name, value in record.items() if name not in known and value}
    return DraftSummary(
        len(records),
        report.error_count,
        rows_with_errors,
        same_version(dataset, schema, records),
        sorted(left_out),
    )


def same_version(
    dataset: Dataset, schema: TableSchema, records: Sequence[Mapping[str, object]] | None = None
) -> int | None:
    """The latest version whose file is the one the draft would be frozen into (same sha256)."""
    if records is None:
        records = draft_records(dataset)
    digest = hashlib.sha256(csv_bytes(schema.field_names, records)).hexdigest()
    found: int | None = dataset.versions.filter(sha256=digest).values_list("number", flat=True).first()
    return found


def _store(path: Path, name: str) -> str:
    with path.open("rb") as handle:
        return default_storage.save(name, File(handle), max_length=Version._meta.get_field("file").max_length)


def _next_number(dataset: Dataset) -> int:
    last = dataset.versions.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def freeze(dataset: Dataset, user: object) -> Version:
    """Freeze the draft: its rows as a CSV file (schema's field order) validated by the core, stored
    under MEDIA_ROOT with its sha256, row and error counts and report, numbered last + 1; audit "frozen".

    The number is taken in a transaction that locks the dataset (a row lock on PostgreSQL; SQLite's
    immediate transactions take the write lock when they begin): two freezes of the same dataset run
    one after the other, and the unique constraint on (dataset, number) backs it up with a retry.
    """
    schema = draft.schema_of(dataset)
    records = draft_records(dataset)
    with tempfile.TemporaryDirectory(prefix="socle-version-") as work:
        path = Path(work) / "version.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_csv(out, schema.field_names, records)
        with path.open("rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        report = validate_file(path, schema, encoding="utf-8", delimiter=",")
        stored_report = report_json(report)
        for attempt in range(1, FREEZE_ATTEMPTS + 1):
            stored: str | None = None
            try:
                with transaction.atomic():
                    draft.lock(dataset)
                    number = _next_number(dataset)
                    stored = _store(path, version_path(dataset, number))
                    # The report names the file as people download it, not the temporary file read.
                    source = {**stored_report.get("source", {}), "path": download_name(dataset, number)}
                    version = Version.objects.create(
                        dataset=dataset,
                        number=number,
                        created_by=user if getattr(user, "is_authenticated", False) else None,
                        file=stored,
                        rows=report.rows,
                        errors=report.error_count,
                        report={**stored_report, "source": source},
                        sha256=sha256,
                    )
                    AuditEvent.record(
                        dataset.authority,
                        user,
                        Action.FROZEN,
                        f"Version {number} de « {dataset.title} » validée : {_rows(report.rows)}, "
                        f"{_errors(report.error_count)}",
                        dataset=dataset,
                        version=number,
                        rows=report.rows,
                        errors=report.error_count,
                        sha256=sha256,
                    )
            except IntegrityError:
                _discard(stored)
                if attempt == FREEZE_ATTEMPTS:
                    raise
                continue
            except BaseException:
                _discard(stored)
                raise
            _read_only(stored)
            return version
    raise AssertionError("unreachable")  # pragma: no cover


def _discard(name: str | None) -> None:
    """Remove the file of a version whose transaction did not commit."""
    if name:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - logged, the freeze's own error matters more
            log.exception("fichier de version orphelin : %s", name)


def _read_only(name: str | None) -> None:
    """A version's file is never rewritten: make it read-only where the storage is a file system."""
    # Another storage has no path, a shared volume may refuse: the file is still never rewritten.
    with contextlib.suppress(NotImplementedError, OSError):
        os.chmod(default_storage.path(name or ""), 0o444)


def _rows(count: int) -> str:
    return f"{count} ligne{'s' if count > 1 else ''}"


def _errors(count: int) -> str:
    return f"{count} erreur{'s' if count > 1 else ''}"


class UnreadableVersion(Exception):
    """A version's file is missing or cannot be read back; ``message`` is French."""

    def __init__(self, version: Version, reason: str) -> None:
        self.message = (
            f"Le fichier de la version {version.number} est {reason} ; prévenez l'administrateur de la "
            "plateforme."
        )
        super().__init__(self.message)


CELL_LIMIT = 64 * 1024 * 1024
"""Largest cell read back from a version's file (the csv module's default, 128 KiB, is less than a
long text typed in a draft may be)."""


def read_version(version: Version) -> tuple[list[str], Iterator[list[str]]]:
    """The header and the rows of a version's file (read as it was written: UTF-8 CSV); raises
    :class:`UnreadableVersion` when it is missing or unreadable, at once or while its rows are read."""
    if csv.field_size_limit() < CELL_LIMIT:
        csv.field_size_limit(CELL_LIMIT)
    try:
        handle = version.file.open("rb")
    except (OSError, ValueError) as error:
        log.error("fichier de la version %s introuvable : %s (%s)", version.pk, version.file.name, error)
        raise UnreadableVersion(version, "introuvable sur le serveur") from error
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    reader = csv.reader(text)

    def unreadable(error: Exception) -> UnreadableVersion:
        log.error("fichier de la version %s illisible : %s (%s)", version.pk, version.file.name, error)
        text.close()
        return UnreadableVersion(version, "illisible")

    try:
        header = next(reader, [])
    except (csv.Error, UnicodeDecodeError, OSError) as error:
        raise unreadable(error) from error

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except (csv.Error, UnicodeDecodeError, OSError) as error:
            raise unreadable(error) from error
        finally:
            text.close()

    return header, rows()


def version_records(version: Version) -> list[dict[str, str]]:
    """A version's rows as records: every column of its file, by name, with its text (empty cells
    as "", as the draft's entry stores them)."""
    header, rows = read_version(version)
    return [{name: row[i] if i < len(row) else "" for i, name in enumerate(header)} for row in rows]


@dataclass(frozen=True)
class CellChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """A row that differs at ``position`` (1 = first data row): added, removed or changed."""

    position: int
    kind: str  # "added", "removed", "changed"
    cells: list[CellChange]


@dataclass
class VersionDiff:
    names: list[str]
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: list[RowChange] = field(default_factory=list)
    """The first :data:`CHANGES_SHOWN` differing rows."""

    @property
    def total(self) -> int:
        return self.added + self.removed + self.changed

    @property
    def truncated(self) -> bool:
        return self.total > len(self.changes)


def diff_versions(old: Version, new: Version, *, keep: int = CHANGES_SHOWN) -> VersionDiff:
    """Compare two versions row by row (row i of ``old`` with row i of ``new``), in one pass over both
    files; cells are matched by field name, so versions of different schema versions compare too."""
    old_header, old_rows = read_version(old)
    new_header, new_rows = read_version(new)
    names = list(new_header) + [n for n in old_header if n not in new_header]
    old_at = [old_header.index(n) if n in old_header else None for n in names]
    new_at = [new_header.index(n) if n in new_header else None for n in names]
    same_layout = old_header == new_header
    diff = VersionDiff(names=names)

    def cell(row: list[str], at: int | None) -> str:
        return row[at] if at is not None and at < len(row) else ""

    for position, (before, after) in enumerate(zip_longest(old_rows, new_rows), start=1):
        if before is not None and after is not None:
            if same_layout and before == after:
                diff.unchanged += 1
                continue
            cells = [
                CellChange(name, old_value, new_value)
                for name, i, j in zip(names, old_at, new_at, strict=True)
                if (old_value := cell(before, i)) != (new_value := cell(after, j))
            ]
            if not cells:
                diff.unchanged += 1
                continue
            diff.changed += 1
            kind = "changed"
        elif after is not None:
            diff.added += 1
            kind = "added"
            cells = [
                CellChange(n, "", v) for n, j in zip(names, new_at, strict=True) if (v := cell(after, j))
            ]
        else:
            assert before is not None
            diff.removed += 1
            kind = "removed"
            cells = [
                CellChange(n, v, "") for n, i in zip(names, old_at, strict=True) if (v := cell(before, i))
            ]
        if len(diff.changes) < keep:
            diff.changes.append(RowChange(position, kind, cells))
    return diff


def restore(dataset: Dataset, version: Version, user: object) -> int:
    """Make the draft the version's rows (replaced in one transaction, each row's errors counted by the
    draft's own judgement); audit "restored". The version itself does not change. Returns the number of
    rows."""
    schema = draft.schema_of(dataset)
    records = version_records(version)
    rows = [DraftRow(dataset=dataset, position=i, cells=cells) for i, cells in enumerate(records, start=1)]
    with transaction.atomic():
        draft.lock(dataset)
        dataset.draft_rows.all().delete()
        DraftRow.objects.bulk_create(rows, batch_size=1000)
        draft.revalidate(dataset, schema)
        errors = dataset.draft_rows.aggregate(total=Sum("errors"))["total"] or 0
        AuditEvent.record(
            dataset.authority,
            user,
            Action.RESTORED,
            f"Brouillon de « {dataset.title} » remplacé par la version {version.number} ({_rows(len(rows))})",
            dataset=dataset,
            version=version.number,
            rows=len(rows),
            errors=errors,
        )
    return len(rows)


def errors_by_title(errors: Sequence[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """How many errors of each kind (the catalogue's French title), the most frequent first."""
    counts: Counter[str] = Counter()
    for error in errors:
        code, detail = str(error.get("code")), error.get("detail")
        try:
            title = catalogue.entry(code, detail if isinstance(detail, str) else None).title
        except KeyError:
            title = code
        counts[title] += 1
    return counts.most_common()


# --- Views ------------------------------------------------------------------------------------------


def _context(request: HttpRequest, authority: Authority, dataset: Dataset, **extra: object) -> dict[str, Any]:
    return {
        "authority": authority,
        "dataset": dataset,
        "can_edit": access_of(request).can(authority, Role.CONTRIBUTOR),
        **extra,
    }


def _schema_problem(request: HttpRequest, problem: SocleError, status: int = 400) -> HttpResponse:
    return render(
        request,
        "socle/erreur.html",
        {"title": "Opération impossible", "text": str(problem)},
        status=status,
    )


@authority_view(Role.READER)
@require_GET
def version_list(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    found = get_object_or_404(authority.datasets, slug=dataset)
    versions = found.versions.defer("report").select_related("created_by")
    return render(request, "socle/versions.html", _context(request, authority, found, versions=versions))


@authority_view(Role.CONTRIBUTOR)
@require_http_methods(["GET", "POST"])
def freeze_version(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    """GET: what the draft holds (rows, errors), and the button; POST: freeze it."""
    found = get_object_or_404(authority.datasets, slug=dataset)
    try:
        if request.method == "POST":
            version = freeze(found, request.user)
            messages.success(
                request,
                f"Version {version.number} validée : {_rows(version.rows)}, {_errors(version.errors)}.",
            )
            return redirect("version", slug=authority.slug, dataset=found.slug, number=version.number)
        summary = draft_summary(found, draft.schema_of(found))
    except SocleError as problem:
        return _schema_problem(request, problem)
    last = found.versions.defer("report").first()
    return render(
        request,
        "socle/_version_valider.html",
        _context(request, authority, found, summary=summary, last=last, next_number=_next_number(found)),
    )


def _version(authority: Authority, dataset: str, number: int) -> tuple[Dataset, Version]:
    found = get_object_or_404(authority.datasets, slug=dataset)
    return found, get_object_or_404(found.versions.select_related("created_by"), number=number)


@authority_view(Role.READER)
@require_GET
def version_detail(request: HttpRequest, authority: Authority, dataset: str, number: int) -> HttpResponse:
    found, version = _version(authority, dataset, number)
    report = version.report if isinstance(version.report, dict) else {}
    errors = report.get("errors") or []
    previous = found.versions.filter(number__lt=version.number).defer("report").first()
    return render(
        request,
        "socle/version.html",
        _context(
            request,
            authority,
            found,
            version=version,
            shown_errors=errors[:ERRORS_SHOWN],
            by_title=errors_by_title(errors),
            warnings=report.get("warnings") or [],
            previous=previous,
        ),
    )


@authority_view(Role.READER)
@require_GET
def version_file(request: HttpRequest, authority: Authority, dataset: str, number: int) -> HttpResponse:
    """The version's CSV file, as an attachment (never through a public media address)."""
    found, version = _version(authority, dataset, number)
    try:
        handle = version.file.open("rb")
    except (OSError, ValueError) as error:
        problem = UnreadableVersion(version, "introuvable sur le serveur")
        log.error("fichier de la version %s introuvable : %s (%s)", version.pk, version.file.name, error)
        return render(
            request,
            "socle/erreur.html",
            {"title": "Fichier introuvable", "text": problem.message},
            status=404,
        )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(found, version.number),
        content_type="text/csv; charset=utf-8",
    )


class BadComparison(Exception):
    """A comparison that cannot be made; ``message`` is French, ``status`` 400 or 404."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _number(value: str, label: str) -> int:
    value = value.strip()
    if not value:
        raise BadComparison(f"Choisissez la version {label}.")
    if not (value.isascii() and value.isdigit()) or len(value) > 9:  # "²" is a digit to isdigit, not to int
        raise BadComparison(f"« {value[:20]} » n'est pas un numéro de version ({label}).")
    return int(value)


def _pick(dataset: Dataset, number: int) -> Version:
    version = dataset.versions.defer("report").filter(number=number).first()
    if version is None:
        raise BadComparison(f"La version {number} n'existe pas pour ce jeu de données.", status=404)
    return version


@authority_view(Role.READER)
@require_GET
def compare(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    """``?de=1&a=2``: what changed from one version to another; without parameters, the choice."""
    found = get_object_or_404(authority.datasets, slug=dataset)
    versions = list(found.versions.defer("report").order_by("number"))
    context = _context(request, authority, found, versions=versions, chosen_from="", chosen_to="")
    given_from, given_to = request.GET.get("de"), request.GET.get("a")
    if given_from is None and given_to is None:
        if len(versions) >= 2:
            context["chosen_from"], context["chosen_to"] = versions[-2].number, versions[-1].number
        return render(request, "socle/comparaison.html", context)
    context["chosen_from"], context["chosen_to"] = (given_from or "")[:20], (given_to or "")[:20]
    try:
        first, second = _number(given_from or "", "de départ"), _number(given_to or "", "d'arrivée")
        if first == second:
            raise BadComparison("Choisissez deux versions différentes.")
        old, new = _pick(found, first), _pick(found, second)
        diff = diff_versions(old, new)
    except (BadComparison, UnreadableVersion) as problem:
        context["problem"] = problem.message
        status = problem.status if isinstance(problem, BadComparison) else 404
        return render(request, "socle/comparaison.html", context, status=status)
    context.update(old=old, new=new, diff=diff, chosen_from=first, chosen_to=second)
    return render(request, "socle/comparaison.html", context)


@authority_view(Role.CONTRIBUTOR)
@require_http_methods(["GET", "POST"])
def restore_version(request: HttpRequest, authority: Authority, dataset: str, number: int) -> HttpResponse:
    """GET: what restoring replaces; POST: the draft becomes the version's rows."""
    found, version = _version(authority, dataset, number)
    if request.method == "POST":
        try:
            rows = restore(found, version, request.user)
        except SocleError as problem:
            return _schema_problem(request, problem)
        except UnreadableVersion as problem:
            return render(
                request,
                "socle/erreur.html",
                {"title": "Fichier introuvable", "text": problem.message},
                status=404,
            )
        messages.success(request, f"Brouillon remplacé par la version {number} ({_rows(rows)}).")
        return redirect("jeu", slug=authority.slug, dataset=found.slug)
    try:
        saved_as = same_version(found, draft.schema_of(found))
    except SocleError:  # the draft cannot be compared; restoring still can be confirmed
        saved_as = None
    return render(
        request,
        "socle/restaurer.html",
        _context(
            request, authority, found, version=version, draft_rows=found.draft_rows.count(), saved_as=saved_as
        ),
    )
