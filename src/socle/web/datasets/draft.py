"""A dataset's draft as the engine sees it: its schema, the identity cells pre-filled from the
authority, the rows added, changed and deleted (each in the audit trail), and the engine's verdicts.

The web layer never judges a cell: every message comes from the engine. Each row's error count is
stored in ``DraftRow.errors``, so that "only the rows to fix" is a SQL filter. A change judges again
what it can affect: the row alone, unless ``unique`` fields or a primary key tie the rows together;
an import or a restore judges the whole draft.
Rows are numbered 1, 2, 3… by ``position``: the line of the row in the file the draft becomes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from socle.errors import SocleError
from socle.schemas import TableSchema, load_schema
from socle.schemas.model import Field
from socle.validation.records import validate_columns
from socle.validation.report import ValidationReport
from socle.web.datasets.models import Action, AuditEvent, Dataset, DraftRow
from socle.web.territories.models import Authority, Kind

ROW_MESSAGES = ""
"""Key of the messages about a whole row (an empty row…) in a row's messages by field."""

Messages = dict[str, list[str]]
"""The engine's French messages for one row, by field name (``ROW_MESSAGES`` for the row itself)."""


class SchemaUnavailable(SocleError):
    """The dataset's schema cannot be loaded; ``message`` is French."""


@functools.lru_cache(maxsize=64)
def _load(ref: str) -> TableSchema:
    return load_schema(ref)


def schema_of(dataset: Dataset) -> TableSchema:
    """The dataset's Table Schema (loaded once per process)."""
    try:
        return _load(dataset.schema_ref)
    except SocleError as exc:
        raise SchemaUnavailable(
            f"Le schéma « {dataset.schema_ref} » de ce jeu ne peut pas être chargé : {exc.message}"
        ) from exc


# --- Identity cells ---------------------------------------------------------------------------------

NAME, SIRET, SIREN, INSEE, COMMUNE = "nom", "siret", "siren", "insee", "commune"

IDENTITY_FIELDS: Mapping[str, str] = {
    # SCDL: délibérations, équipements, catalogue (and the CEREMA's arrêtés de circulation)
    "COLL_NOM": NAME,
    "COLL_SIRET": SIRET,
    # SCDL prénoms, CEREMA arrêtés: the commune's INSEE code
    "COLL_INSEE": INSEE,
    "COMMUNE_NOM": COMMUNE,
    # SCDL subventions: the authority that grants
    "nomAttribuant": NAME,
    "idAttribuant": SIRET,
    # SCDL budget
    "BGT_NOM": NAME,
    "BGT_SIRET": SIRET,
    # SCDL catalogue: the producer is the authority that publishes, unless told otherwise
    "PRODUCTEUR_NOM": NAME,
    "PRODUCTEUR_SIRET": SIRET,
    # SCDL menus and plats of collective catering: the authority that produces the data
    "menuCollNom": NAME,
    "menuCollSiret": SIRET,
    "platCollNom": NAME,
    "platCollSiret": SIRET,
    # etalab: public procurement (the buyer), low-emission vehicles (the declaring body)
    "siretAcheteur": SIRET,
    "sirenDeclarant": SIREN,
}
"""Fields that name or identify the authority publishing the data, in the shipped schemas."""


def _wants_siren(field: Field) -> bool:
    pattern = str(field.constraints.get("pattern", ""))
    return "{9}" in pattern and "{14}" not in pattern


def identity_values(schema: TableSchema, authority: Authority) -> dict[str, str]:
    """The cells of ``schema``'s identity fields, from the authority (only those it knows)."""
    is_commune = authority.kind == Kind.COMMUNE
    known = {
        NAME: authority.name,
        SIRET: authority.siret,
        SIREN: authority.siren,
        INSEE: authority.code if is_commune else "",
        COMMUNE: authority.name if is_commune else "",
    }
    values: dict[str, str] = {}
    for field in schema.fields:
        kind = IDENTITY_FIELDS.get(field.name)
        if kind is None:
            continue
        if kind == SIRET and _wants_siren(field):
            kind = SIREN
        value = known[kind] or ""
        if value:
            values[field.name] = value
    return values


# --- Cells and counts -----------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as the text the engine reads (``None`` is an empty cell)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def cells_for(schema: TableSchema, values: Mapping[str, object]) -> dict[str, str]:
    """Every field of ``schema`` with its text from ``values`` (absent fields are empty)."""
    return {name: cell_text(values.get(name)) for name in schema.field_names}


def stored_cells(row: DraftRow) -> dict[str, object]:
    """A stored row's cells (a row written by other means than a JSON object has none)."""
    return row.cells if isinstance(row.cells, dict) else {}


def is_blank(cells: Mapping[str, str]) -> bool:
    return not any(value.strip() for value in cells.values())


@dataclass(frozen=True)
class Completion:
    """How far the draft is: its rows, and how many of them the engine finds something to fix in."""

    rows: int
    to_fix: int

    def __str__(self) -> str:
        if self.rows == 0:
            return "0 ligne"
        rows = f"{_number(self.rows)} ligne{'s' if self.rows > 1 else ''}"
        to_fix = "aucune" if self.to_fix == 0 else _number(self.to_fix)
        return f"{rows}, {to_fix} à corriger"


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def completion(dataset: Dataset) -> Completion:
    counts = dataset.draft_rows.aggregate(rows=Count("pk"), to_fix=Count("pk", filter=Q(errors__gt=0)))
    return Completion(rows=counts["rows"], to_fix=counts["to_fix"])


# --- The engine's verdicts --------------------------------------------------------------------------


def _messages(report: ValidationReport, rows: Iterable[int]) -> dict[int, Messages]:
    wanted = set(rows)
    found: dict[int, Messages] = {row: {} for row in wanted}
    frame = report.findings.filter(pl.col("row").is_in(list(wanted))).select("row", "field", "message")
    for row, field, message in frame.iter_rows():
        found[row].setdefault(field or ROW_MESSAGES, []).append(message)
    return found


def _judge_columns(
    schema: TableSchema, lines: Sequence[int], columns: Sequence[Sequence[str | None] | pl.Series]
) -> ValidationReport:
    """The engine's report on rows given column by column, each row at its line (ascending, not
    necessarily consecutive)."""
    return validate_columns(schema, columns, lines=lines, source="<brouillon>")


def _judge_numbered(
    schema: TableSchema, numbered: Sequence[tuple[int, Mapping[str, str]]]
) -> ValidationReport:
    columns = [[cell_text(cells.get(name)) for _, cells in numbered] for name in schema.field_names]
    return _judge_columns(schema, [line for line, _ in numbered], columns)


def _as_text(name: str) -> Cast:
    """A cell read in SQL, as plain text (``None`` when the key is absent)."""
    return Cast(KeyTextTransform(name, "cells"), TextField())


def key_groups(schema: TableSchema) -> list[tuple[str, ...]]:
    """The groups of fields whose values must not repeat from one row to another."""
    groups = [(field.name,) for field in schema.fields if field.unique]
    if schema.primary_key:
        groups.append(tuple(schema.primary_key))
    return groups


def judge_rows(
    dataset: Dataset, schema: TableSchema, rows: Sequence[tuple[int, Mapping[str, str]]]
) -> dict[int, Messages]:
    """The engine's messages on some rows (line → cells; a row being typed may replace a stored one
    or come after the last), as they stand in the whole draft: the earlier rows that share a value of
    a unique field or of the primary key are judged with them, and only those are read."""
    if not rows:
        return {}
    lines = {line for line, _ in rows}
    last = max(lines)
    others: dict[int, dict[str, str]] = {}
    for group in key_groups(schema):
        first = group[0]
        values = sorted({cell_text(cells.get(first)) for _, cells in rows} - {""})
        if not values:
            continue
        # As plain text (a JSON key lookup would expect JSON values on the right of ``in``).
        names = {f"k{i}": _as_text(name) for i, name in enumerate(group)}
        earlier = (
            dataset.draft_rows.filter(position__lt=last)
            .exclude(position__in=lines)
            .annotate(**names)
            .filter(k0__in=values)
            .values_list("position", *names)
        )
        for line, *found in earlier:
            others.setdefault(line, {}).update(zip(group, (cell_text(v) for v in found), strict=True))
    numbered = sorted([*others.items(), *((line, dict(cells)) for line, cells in rows)], key=lambda r: r[0])
    return _messages(_judge_numbered(schema, numbered), lines)


def judge_stored(dataset: Dataset, schema: TableSchema, rows: Iterable[DraftRow]) -> dict[int, Messages]:
    """The engine's messages on stored rows (by line), read only for the rows that have errors."""
    flagged = [(row.position, cells_for(schema, stored_cells(row))) for row in rows if row.errors]
    return judge_rows(dataset, schema, flagged)


def _decoded(schema: TableSchema, texts: list[str]) -> list[pl.Series]:
    """The cells of rows given as JSON texts, one column of texts per field of the schema (decoded by
    polars: on 100,000 rows, ten times faster than decoding each row in Python)."""
    names = schema.field_names
    if not texts:
        return [pl.Series(name, [], dtype=pl.String) for name in names]
    shape = pl.Struct(dict.fromkeys(names, pl.String))
    try:
        frame = pl.Series(texts, dtype=pl.String).str.json_decode(shape).struct.unnest()
    except pl.exceptions.PolarsError:
        # A row that is not a JSON object (written by hand in the database?): read row by row.
        rows = [json.loads(text) for text in texts]
        return [pl.Series(name, [_cell_of(row, name) for row in rows], dtype=pl.String) for name in names]
    return [frame.get_column(name) for name in names]


def _cell_of(row: object, name: str) -> str:
    return cell_text(row.get(name)) if isinstance(row, dict) else ""


@transaction.atomic
def revalidate(dataset: Dataset, schema: TableSchema | None = None) -> Completion:
    """Judge the whole draft again; store each row's error count (and number the rows 1, 2, 3…)."""
    schema = schema or schema_of(dataset)
    stored = list(
        dataset.draft_rows.order_by("position", "pk")
        .annotate(socle_json=Cast("cells", TextField()))
        .values_list("pk", "position", "errors", "socle_json")
    )
    lines = range(1, len(stored) + 1)
    columns = _decoded(schema, [text or "{}" for *_, text in stored])
    report = _judge_columns(schema, lines, columns)
    counts = row_errors(report, len(stored), first_line=1).to_list()
    changed = []
    to_fix = 0
    for line, (pk, position, errors, _), count in zip(lines, stored, counts, strict=True):
        to_fix += count > 0
        if count != errors or position != line:
            changed.append(DraftRow(pk=pk, position=line, errors=count))
    if changed:
        DraftRow.objects.bulk_update(changed, ["position", "errors"], batch_size=500)
    return Completion(rows=len(stored), to_fix=to_fix)


def _count(verdict: Messages) -> int:
    """A row's error count: the engine's findings on it."""
    return sum(len(texts) for texts in verdict.values())


def row_errors(report: ValidationReport, height: int, first_line: int) -> pl.Series:
    """Each row's error count in ``report``, for ``height`` rows numbered from ``first_line``."""
    counts = report.findings.filter(pl.col("row") >= first_line).group_by("row").len()
    lines = pl.DataFrame({"row": pl.int_range(first_line, first_line + height, dtype=pl.Int64, eager=True)})
    joined = lines.join(counts.with_columns(pl.col("row").cast(pl.Int64)), on="row", how="left")
    return joined.get_column("len").fill_null(0).cast(pl.Int64)


def insert_rows(dataset: Dataset, start: int, frame: pl.DataFrame, errors: pl.Series) -> None:
    """Write ``frame``'s rows (one text column per field) at lines ``start``, ``start`` + 1… with their
    error counts, in bulk: the cells are encoded as JSON objects by polars and sent in one statement
    (SQLite) or one ``COPY`` (PostgreSQL). On 100,000 rows the ORM's ``bulk_create`` takes seconds."""
    if not frame.height:
        return
    texts = frame.select(pl.struct(pl.all()).struct.json_encode()).to_series()
    table = DraftRow._meta.db_table
    names = [
        DraftRow._meta.get_field(name).column
        for name in ("dataset", "position", "cells", "errors", "updated_at")
    ]
    now = timezone.now()
    rows = zip(
        [dataset.pk] * frame.height,
        range(start, start + frame.height),
        texts.to_list(),
        errors.to_list(),
        [now] * frame.height,
        strict=True,
    )
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            stamp = connection.ops.adapt_datetimefield_value(now)
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES (%s, %s, %s, %s, %s)",
                [(*row[:4], stamp) for row in rows],
            )


# --- Changes ----------------------------------------------------------------------------------------


def lock(dataset: Dataset) -> None:
    """Inside a transaction: make the other changes of this draft wait until it ends (a row lock on
    PostgreSQL; SQLite's immediate transactions hold the database's write lock already). Row numbers
    are read and written under it: two rows added at once get two numbers."""
    Dataset.objects.select_for_update().filter(pk=dataset.pk).first()


def _next_position(dataset: Dataset) -> int:
    return (dataset.draft_rows.aggregate(last=Max("position"))["last"] or 0) + 1


def _fields_list(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "aucun champ rempli"


def add_row(
    dataset: Dataset, user: object, cells: Mapping[str, str], verdict: Messages | None = None
) -> DraftRow:
    """Append a row to the draft (audited), with the engine's error count.

    Only ``unique`` fields and the primary key tie rows together (every other rule, custom checks
    included, judges a row by its own cells), and a row added last can only repeat an earlier value:
    the earlier rows keep their counts. Without such fields the row is judged before the write (or
    ``verdict``, the messages on these very cells, is used), so the write lock is held for the insert
    alone; with them it is judged inside the transaction, against the rows it may repeat.
    """
    schema = schema_of(dataset)
    values = cells_for(schema, cells)
    tied = bool(key_groups(schema))
    errors = 0
    if not tied:
        errors = _count(verdict if verdict is not None else judge_rows(dataset, schema, [(1, values)])[1])
    with transaction.atomic():
        lock(dataset)
        line = _next_position(dataset)
        if tied:
            errors = _count(judge_rows(dataset, schema, [(line, values)])[line])
        row = DraftRow.objects.create(dataset=dataset, position=line, cells=values, errors=errors)
        filled = [name for name, value in values.items() if value]
        AuditEvent.record(
            dataset.authority,
            user,
            Action.ROW_ADDED,
            f"Ligne {row.position} ajoutée ({_fields_list(filled)})",
            dataset=dataset,
            ligne=row.position,
            cellules=values,
        )
    return row


def change_row(
    dataset: Dataset,
    user: object,
    row: DraftRow,
    cells: Mapping[str, str],
    verdict: Messages | None = None,
) -> list[str]:
    """Change some cells of a row (audited, with the values before and after) and store its error
    count; the names of the fields that changed (none: nothing is done). ``verdict``: the engine's
    messages on ``cells`` when they are the whole row.

    Without ``unique`` fields or primary key only this row's count can change, and it is judged
    before the write; with them another row may start or stop repeating a value, and the whole draft
    is judged again inside the transaction."""
    schema = schema_of(dataset)
    before = cells_for(schema, stored_cells(row))
    after = {**before, **{name: cell_text(v) for name, v in cells.items() if name in before}}
    changed = [name for name in schema.field_names if before[name] != after[name]]
    if not changed:
        return []
    tied = bool(key_groups(schema))
    if not tied:
        whole = verdict is not None and cells_for(schema, cells) == after
        row.errors = _count(
            verdict if whole and verdict is not None else judge_rows(dataset, schema, [(1, after)])[1]
        )
    with transaction.atomic():
        if tied:
            lock(dataset)
        row.cells = after
        row.save(update_fields=["cells", "updated_at", *([] if tied else ["errors"])])
        AuditEvent.record(
            dataset.authority,
            user,
            Action.ROW_CHANGED,
            f"Ligne {row.position} modifiée : {', '.join(changed)}",
            dataset=dataset,
            ligne=row.position,
            champs={name: {"avant": before[name], "apres": after[name]} for name in changed},
        )
        if tied:
            revalidate(dataset, schema)
    if tied:
        row.refresh_from_db()
    return changed


def delete_row(dataset: Dataset, user: object, row: DraftRow) -> None:
    """Delete a row (audited, with its cells); the rows after it move up one line."""
    schema = schema_of(dataset)
    with transaction.atomic():
        lock(dataset)
        # Read again under the lock: a row deleted before it moved this one up.
        line = dataset.draft_rows.filter(pk=row.pk).values_list("position", flat=True).first()
        if line is None:  # deleted meanwhile: nothing left to do
            return
        cells = cells_for(schema, stored_cells(row))
        row.delete()
        dataset.draft_rows.filter(position__gt=line).update(position=F("position") - 1)
        AuditEvent.record(
            dataset.authority,
            user,
            Action.ROW_DELETED,
            f"Ligne {line} supprimée",
            dataset=dataset,
            ligne=line,
            cellules=cells,
        )
        if key_groups(schema):  # a value that repeated may repeat no more
            revalidate(dataset, schema)
