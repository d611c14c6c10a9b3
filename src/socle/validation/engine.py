"""The validation engine: a table and a Table Schema in, a :class:`ValidationReport` out.

Work is done batch by batch (memory stays bounded on large files) and column by column with polars
expressions. Per cell, the rules are frictionless' (Table Schema v1) with Validata's choices:
columns matched by name, a type error hides the constraints of that cell, every failing constraint
is reported, a blank row is reported once and nothing else is said about it.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from socle.io.table import CELLS, ROW, Batch, Table, column_name, owned
from socle.schemas.model import Field, TableSchema
from socle.validation import catalogue
from socle.validation.constraints.base import Constraint, build_constraints
from socle.validation.custom_checks.base import (
    CheckContext,
    CheckParamsError,
    CustomCheck,
    load_registry,
    raw_col,
    typed_col,
)
from socle.validation.findings import (
    FINDING_COLUMNS,
    cell_findings,
    cell_findings_query,
    concat_findings,
    single_finding,
)
from socle.validation.header import HeaderMatch, match_header
from socle.validation.report import ValidationReport
from socle.validation.types.base import FieldType, field_type
from socle.validation.uniqueness import PrimaryKeyTracker, UniqueTracker

Progress = Callable[[int], None]
"""Called after each batch with the number of data rows read so far."""


@dataclass(frozen=True)
class ValidationOptions:
    ignore_header_case: bool = False
    """Match columns to fields ignoring case (``COLL_NOM`` = ``coll_nom``)."""


@dataclass
class FieldPlan:
    """How one field's cells are judged: its type reader, constraints and missing values."""

    field: Field
    position: int
    ftype: FieldType
    constraints: list[Constraint]
    missing_values: list[str]
    refused: list[Constraint] = dataclasses.field(default_factory=list)
    """Constraints the schema gets wrong (an invalid pattern…): reported once, never applied."""
    memo: dict[str, pl.DataType] = dataclasses.field(default_factory=dict, repr=False, compare=False)
    """What this field's rules always give, worked out once (shared by the :meth:`fresh` copies)."""

    @classmethod
    def of(cls, f: Field, schema: TableSchema, position: int = 0) -> FieldPlan:
        ftype = field_type(f)
        constraints = build_constraints(f, ftype)
        return cls(
            field=f,
            position=position,
            ftype=ftype,
            constraints=[c for c in constraints if not c.schema_problem()],
            missing_values=list(schema.missing_values_for(f)),
            refused=[c for c in constraints if c.schema_problem()],
        )

    @property
    def column(self) -> int:
        return self.position + 1

    def fresh(self) -> FieldPlan:
        """This plan for one more validation: the constraints that keep what one validation could not
        judge (a regular expression over its time budget) are built anew, the others are shared."""
        if not any(_keeps_state(c) for c in self.constraints):
            return self
        constraints = [
            type(c)(c.name, c.value, c.field, c.ftype) if _keeps_state(c) else c for c in self.constraints
        ]
        return dataclasses.replace(self, constraints=constraints)

    def missing_dtype(self) -> pl.DataType:
        """The polars type of the typed values of a column of missing values, as the full reading
        gives it (read once, on one missing cell)."""
        dtype = self.memo.get("missing_dtype")
        if dtype is None:
            one = pl.Series(values=[None], dtype=pl.String)
            dtype = self.memo["missing_dtype"] = _read_verdicts(self, one, pl.Series([True])).typed.dtype
        return dtype


def _keeps_state(constraint: Constraint) -> bool:
    """Whether ``constraint`` gathers values for :meth:`~Constraint.budget_problems` as it judges."""
    return type(constraint).budget_problems is not Constraint.budget_problems


@dataclass
class FieldVerdicts:
    """A field's cells as the engine judges them, rule by rule (see :func:`field_verdicts`)."""

    missing: pl.Series
    """Null or one of the field's missing values."""
    value: pl.Series
    """The cells, missing values nulled."""
    typed: pl.Series
    """The typed values, null where missing or invalid."""
    ok: pl.Series | None
    """Whether the type (and ``arrayItem``'s) reads the cell; None when it reads every cell."""
    masks: dict[str, pl.Series]
    """Cells each rule refuses: ``m:type``, ``m:required``, ``m:c<i>`` (constraint i), ``m:itemtype``
    and ``m:item:<constraint>``."""
    item_masks: list[str]
    """The ``arrayItem`` constraints among ``masks``."""

    def refused(self) -> pl.Series:
        """Cells some rule refuses: a Kleene OR of series in one chunk layout (no query to plan)."""
        if not self.masks:
            return pl.repeat(False, self.value.len(), dtype=pl.Boolean, eager=True)
        return functools.reduce(operator.or_, self.masks.values()).fill_null(False)


@dataclass
class _Plan:
    labels: list[str]
    header: HeaderMatch
    warnings: pl.DataFrame
    fields: list[FieldPlan]
    missing_exprs: list[pl.Expr]
    """Where the cells of each labelled column are missing (column ``"<position>"``)."""
    checks: list[CustomCheck]
    unique: list[UniqueTracker]
    primary_key: PrimaryKeyTracker | None
    schema: TableSchema
    schema_findings: list[pl.DataFrame] = field(default_factory=list)


def validate_table(
    table: Table,
    schema: TableSchema,
    options: ValidationOptions | None = None,
    progress: Progress | None = None,
) -> ValidationReport:
    """Validate every row of ``table`` against ``schema``; keep every finding."""
    started = time.perf_counter()
    opts = options or ValidationOptions()
    plan = _make_plan(table.header, schema, opts)
    batches = _prefetched(_coalesced(table.batches(), ENGINE_BATCH_ROWS)) if table.header else None
    parts: list[pl.DataFrame] = [plan.header.findings, *plan.schema_findings]
    for check in plan.checks:
        parts.append(check.check_structure(list(plan.header.positions)))
    rows = 0
    if batches is not None:
        for batch in batches:
            parts.append(_check_batch(batch, plan))
            rows += batch.height
            if progress is not None:
                progress(rows)
    else:
        parts.append(single_finding("blank-header", catalogue.text("blank-header"), row=table.header_row))
    parts.extend(tracker.findings() for tracker in plan.unique)
    if plan.primary_key is not None:
        parts.append(plan.primary_key.findings())
    parts.extend(_unjudged_patterns(plan))
    findings = concat_findings(parts)
    if findings.height > 1:
        findings = findings.sort(["row", "column"], nulls_last=[False, True], maintain_order=True)
    return ValidationReport(
        findings=findings,
        warnings=plan.warnings,
        source=table.source,
        schema_name=schema.name,
        schema_version=schema.version,
        header=table.header,
        rows=rows,
        seconds=time.perf_counter() - started,
    )


def _make_plan(labels: list[str], schema: TableSchema, opts: ValidationOptions) -> _Plan:
    rules = _rules(_SchemaKey(schema), tuple(labels), opts)
    fields = [fp.fresh() for fp in rules.fields]
    schema_findings = list(rules.refused)
    checks = _make_checks(schema, schema_findings)
    unique = [UniqueTracker(p.field.name, p.column) for p in fields if p.field.unique]
    pk = None
    if schema.primary_key and all(k in rules.header.positions for k in schema.primary_key):
        pk = PrimaryKeyTracker(schema.primary_key)
    return _Plan(
        labels=labels,
        header=rules.header,
        warnings=rules.warnings,
        fields=fields,
        missing_exprs=rules.missing_exprs,
        checks=checks,
        unique=unique,
        primary_key=pk,
        schema=schema,
        schema_findings=schema_findings,
    )


@dataclass(frozen=True)
class _Rules:
    """What a validation needs of a schema and a header that no validation changes (the trackers of
    ``unique`` and ``primaryKey`` and the custom checks, which keep state, are made per validation)."""

    header: HeaderMatch
    warnings: pl.DataFrame
    fields: list[FieldPlan]
    missing_exprs: list[pl.Expr]
    """Where the cells of each labelled column are missing (column ``"<position>"``)."""
    refused: list[pl.DataFrame]
    """``check-error`` findings of the constraints the schema gets wrong."""


class _SchemaKey:
    """A cache key equal only to the key of the same schema object (a schema holds dicts: it does not
    hash). The key holds the schema, so that its id is not reused while the cache holds it."""

    __slots__ = ("schema",)

    def __init__(self, schema: TableSchema) -> None:
        self.schema = schema

    def __hash__(self) -> int:
        return id(self.schema)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SchemaKey) and other.schema is self.schema


@functools.lru_cache(maxsize=64)
def _rules(key: _SchemaKey, labels: tuple[str, ...], opts: ValidationOptions) -> _Rules:
    """The rules of ``key``'s schema for a table with the header ``labels``. Cached: a web process judges
    rows typed in forms against the same few schemas all day, and building the rules (enum values
    read by their type, patterns tried on the Rust engine, the header matched) costs more than
    judging one row."""
    schema = key.schema
    header = match_header(list(labels), schema, ignore_case=opts.ignore_header_case)
    fields: list[FieldPlan] = []
    refused: list[pl.DataFrame] = []
    for f in schema.fields:
        if f.name not in header.positions:
            continue
        fp = FieldPlan.of(f, schema, header.positions[f.name])
        for c in fp.refused:
            refused.append(
                single_finding(
                    "check-error",
                    catalogue.text("check-error", "pattern", field=f.name, reason=c.schema_problem()),
                    detail="pattern" if c.name == "pattern" else "params",
                    field=f.name,
                )
            )
        fields.append(fp)
    label_missing = [
        list(schema.missing_values_for(f)) if f is not None else [""] for f in header.label_fields
    ]
    warnings = header.warnings.select(FINDING_COLUMNS) if header.warnings.width else header.warnings
    missing_exprs = [
        is_missing(pl.col(column_name(p)), values).alias(str(p)) for p, values in enumerate(label_missing)
    ]
    return _Rules(header, warnings, fields, missing_exprs, refused)


def _make_checks(schema: TableSchema, problems: list[pl.DataFrame]) -> list[CustomCheck]:
    registry = load_registry()
    checks: list[CustomCheck] = []
    for spec in schema.custom_checks:
        cls = registry.get(spec.name)
        if cls is None:
            problems.append(
                single_finding(
                    "check-error", catalogue.text("check-error", "unknown", check=spec.name), detail="unknown"
                )
            )
            continue
        try:
            checks.append(cls(spec.params, schema))
        except CheckParamsError as exc:
            problems.append(
                single_finding(
                    "check-error",
                    catalogue.text("check-error", "params", check=spec.name, reason=exc.reason),
                    detail="params",
                )
            )
    return checks


def _check_batch(batch: Batch, plan: _Plan) -> pl.DataFrame:
    frame = batch.frame
    n_labels = len(plan.labels)
    width = batch.width
    cells = pl.col(CELLS)

    # Blank rows: every labelled cell absent or a missing value. They are reported alone. Which cells
    # are missing is worked out once, for the blank rows and for the fields.
    missing = frame.select(plan.missing_exprs[: min(n_labels, width)])
    if missing.width:
        # is_missing is never null: an AND of the columns, without a query.
        blank_rows = functools.reduce(operator.and_, missing.get_columns())
    else:
        blank_rows = pl.repeat(True, frame.height, eager=True)
    parts: list[pl.DataFrame] = []
    # Blank rows stay in the batch (filtering every column out costs more): the fields and custom
    # checks judge them too, and their findings on blank rows are dropped at the end.
    blank_numbers: pl.Series | None = None
    not_blank = pl.lit(True)
    if blank_rows.any():
        blank_numbers = frame.get_column(ROW).filter(blank_rows)
        not_blank = pl.lit(~blank_rows)
        parts.append(
            cell_findings(
                blank_numbers.to_frame(),
                pl.lit(True),
                code="blank-row",
                message=catalogue.message("blank-row", row=pl.col(ROW)),
                row=pl.col(ROW),
                field=None,
                column=None,
                value=None,
            )
        )

    for p in range(n_labels, width):
        name = column_name(p)
        parts.append(
            cell_findings(
                frame,
                (cells > p) & not_blank,
                code="extra-cell",
                message=catalogue.message("extra-cell", row=pl.col(ROW), value=pl.col(name), column=p + 1),
                row=pl.col(ROW),
                field=None,
                column=p + 1,
                value=pl.col(name),
            )
        )
    short = frame.get_column(CELLS) < n_labels
    if blank_numbers is not None:
        short = short & ~blank_rows
    if short.any():
        parts.append(_missing_cells(frame.filter(short), plan))

    rows = frame.get_column(ROW)
    row_parts: list[pl.DataFrame] = []  # of the fields and custom checks, blank rows included
    context_columns: dict[str, pl.Series] = {ROW: rows}
    typed_by_field: dict[str, pl.Series] = {}
    raw_by_field: dict[str, pl.Series] = {}

    def run_field(fp: FieldPlan) -> tuple[FieldPlan, pl.Series, list[pl.DataFrame], pl.Series, pl.Series]:
        if fp.position < width:
            raw, known = frame.get_column(column_name(fp.position)), missing.get_column(str(fp.position))
        else:
            raw, known = pl.Series(values=[None] * frame.height, dtype=pl.String), None
        field_parts, typed, value = _check_field(fp, rows, raw, known)
        return fp, raw, field_parts, typed, value

    # polars releases the GIL: fields are checked side by side on every core; a small batch (a row
    # typed in a form, a page of a draft) is checked in this thread, where handing work to the shared
    # threads would cost more than it saves, and would queue behind other validations (a web server
    # runs many at once).
    each = _pool().map if frame.height >= PARALLEL_MIN_ROWS else map
    for fp, raw, field_parts, typed, value in each(run_field, plan.fields):
        row_parts.extend(field_parts)
        typed_by_field[fp.field.name] = typed
        raw_by_field[fp.field.name] = raw
        context_columns[raw_col(fp.field.name)] = value
        context_columns[typed_col(fp.field.name)] = typed

    _track_uniqueness(
        plan, rows, typed_by_field, raw_by_field, None if blank_numbers is None else ~blank_rows
    )

    if plan.checks:
        ctx = CheckContext(
            frame=pl.DataFrame(context_columns),
            schema=plan.schema,
            positions={fp.field.name: fp.column for fp in plan.fields},
        )
        row_parts.extend(each(lambda check: check.check(ctx), plan.checks))
    found = concat_findings(row_parts)
    if blank_numbers is not None and found.height:
        found = found.filter(~pl.col("row").is_in(blank_numbers.implode()).fill_null(False))
    return _detached(concat_findings([*parts, found]))


def _track_uniqueness(
    plan: _Plan,
    rows: pl.Series,
    typed_by_field: dict[str, pl.Series],
    raw_by_field: dict[str, pl.Series],
    keep: pl.Series | None,
) -> None:
    """Give the batch's rows (blank rows left out) to the ``unique`` and ``primaryKey`` trackers."""
    if not plan.unique and plan.primary_key is None:
        return
    if keep is not None:
        rows = rows.filter(keep)
        typed_by_field = {name: typed.filter(keep) for name, typed in typed_by_field.items()}
        raw_by_field = {name: raw.filter(keep) for name, raw in raw_by_field.items()}
    for tracker in plan.unique:
        tracker.add(rows, typed_by_field[tracker.field], raw_by_field[tracker.field])
    if plan.primary_key is not None:
        plan.primary_key.add(rows, typed_by_field, raw_by_field)


def _missing_cells(short: pl.DataFrame, plan: _Plan) -> pl.DataFrame:
    """One ``missing-cell`` finding per labelled cell a short record lacks, in one query."""
    names = [
        label.name if label is not None else plan.labels[p].strip()
        for p, label in enumerate(plan.header.label_fields)
    ]
    n_labels = len(plan.labels)
    cells = short.select(pl.col(ROW), pl.int_ranges(pl.col(CELLS), n_labels).alias("p")).explode("p")
    field = pl.col("p").replace_strict(list(range(n_labels)), names, return_dtype=pl.String)
    return cells.select(
        pl.lit("missing-cell", pl.String).alias("code"),
        pl.lit(None, pl.String).alias("detail"),
        pl.col(ROW).alias("row"),
        (pl.col("p") + 1).cast(pl.Int32).alias("column"),
        field.alias("field"),
        pl.lit(None, pl.String).alias("value"),
        catalogue.message("missing-cell", row=pl.col(ROW), field=field).alias("message"),
    )


def _detached(findings: pl.DataFrame) -> pl.DataFrame:
    """``findings`` with its own copy of the cell texts, kept after the batch (messages, codes and names
    are built anew already)."""
    return owned(findings, ["value"])


_POOL: ThreadPoolExecutor | None = None

PARALLEL_MIN_ROWS = 10_000
"""Batches of fewer rows are checked field after field in the calling thread."""

ENGINE_BATCH_ROWS = 150_000
"""Rows checked at once: large enough to pay polars' fixed cost per call rarely, small enough to keep
memory within twice the file size (measured on the benchmark's 1M-row files: 100,000 rows cost 5 %
more time, 200,000 rows 15 % more memory)."""


def _coalesced(batches: Iterator[Batch], rows: int) -> Iterator[Batch]:
    """Join the reader's slices into batches of about ``rows`` rows: each polars call has a fixed cost,
    paid once per batch and per column, so few large batches are much cheaper than many small ones."""
    pending: list[Batch] = []
    count = 0
    for batch in batches:
        pending.append(batch)
        count += batch.height
        if count >= rows:
            yield _join(pending)
            pending, count = [], 0
    if pending:
        yield _join(pending)


def _join(batches: list[Batch]) -> Batch:
    if len(batches) == 1:
        return batches[0]
    return Batch(
        pl.concat([b.frame for b in batches], how="diagonal_relaxed").select(
            [column_name(i) for i in range(max(b.width for b in batches))] + [ROW, CELLS]
        )
    )


_READER: ThreadPoolExecutor | None = None


def _prefetched(batches: Iterator[Batch]) -> Iterator[Batch]:
    """Read the next batch while the current one is checked (one batch ahead: memory stays bounded).
    The first batch is asked for at once, before the result is iterated."""
    global _READER  # noqa: PLW0603 - one reader thread per process, made on first use
    if _READER is None:
        _READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="socle-read")
    reader = _READER
    # The future of the next batch, and nothing else: a future keeps its result, so holding on to the
    # first one (as a closure variable would) would keep the first batch alive until the end.
    pending = [reader.submit(next, batches, None)]

    def ahead() -> Iterator[Batch]:
        while True:
            batch = pending.pop().result()
            if batch is None:
                return
            pending.append(reader.submit(next, batches, None))
            yield batch

    return ahead()


def _pool() -> ThreadPoolExecutor:
    """Threads shared by all validations (polars does the work outside the GIL)."""
    global _POOL  # noqa: PLW0603 - one pool per process, made on first use (no work at import)
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="socle")
    return _POOL


def is_missing(cell: pl.Expr, missing_values: Sequence[str]) -> pl.Expr:
    """True where the cell is null or one of ``missing_values``."""
    missing = cell.is_null()
    if "" in missing_values:
        # The usual missing value: a length read from the string view costs less than a comparison.
        missing = missing | (cell.str.len_bytes() == 0)
    others = [value for value in missing_values if value != ""]
    if len(others) == 1:
        missing = missing | (cell == others[0])
    elif others:
        missing = missing | cell.is_in(others)
    return missing


def _check_field(
    fp: FieldPlan, rows: pl.Series, raw: pl.Series, missing: pl.Series | None = None
) -> tuple[list[pl.DataFrame], pl.Series, pl.Series]:
    """Findings for one field's cells, and the (typed, text-without-missing-values) series.

    ``missing`` (where the cell is absent or a missing value) when the caller knows it already. Each
    rule gives a Boolean mask; the rows flagged by any mask are filtered once, and the findings of
    every rule that flags a row are built from that small frame, in one query."""
    verdicts = field_verdicts(fp, raw, missing)
    masks = verdicts.masks
    # Which rules flag a cell, without a query: most columns of most batches are clean.
    hit = {key: mask for key, mask in masks.items() if mask.any()}
    if not hit:
        return [], verdicts.typed, verdicts.value
    flagged_any = functools.reduce(operator.or_, hit.values())
    flagged = pl.DataFrame({"row": rows, "value": raw, **hit})
    if not flagged_any.all():  # a Kleene OR: null (false or null everywhere) is not flagged
        flagged = flagged.filter(flagged_any.fill_null(False) if flagged_any.null_count() else flagged_any)
    data = flagged.lazy()
    f = fp.field
    queries: list[pl.LazyFrame] = []
    common = {"row": pl.col("row"), "field": f.name, "column": fp.column, "value": pl.col("value")}
    if "m:type" in hit:
        queries.append(_type_errors(fp, data, pl.col("m:type")))
    if "m:required" in hit:
        queries.append(
            cell_findings_query(
                data,
                pl.col("m:required"),
                code="constraint-error",
                detail="required",
                message=catalogue.message("constraint-error", "required", field=f.name),
                **common,  # type: ignore[arg-type]
            )
        )
    for i, c in enumerate(fp.constraints):
        if f"m:c{i}" not in hit:
            continue
        queries.append(
            cell_findings_query(
                data,
                pl.col(f"m:c{i}"),
                code="constraint-error",
                detail=c.name,
                message=catalogue.message(
                    "constraint-error", c.name, value=pl.col("value"), field=f.name, **c.message_params()
                ),
                **common,  # type: ignore[arg-type]
            )
        )
    if "m:itemtype" in hit:
        queries.append(_type_errors(fp, data, pl.col("m:itemtype")))
    queries.extend(
        _item_findings(fp, data, [name for name in verdicts.item_masks if f"m:item:{name}" in hit])
    )
    return [pl.concat(queries).collect()], verdicts.typed, verdicts.value


def field_verdicts(fp: FieldPlan, raw: pl.Series, missing: pl.Series | None = None) -> FieldVerdicts:
    """Judge every cell of one field (a String series) by each of its rules, as the engine reports them.

    ``missing`` (where the cell is absent or a missing value) when the caller knows it already."""
    missing, value = _missing_and_value(fp, raw, missing)
    if value.len() and missing.all():
        return _all_missing(fp, missing, value)
    return _read_verdicts(fp, value, missing)


def _all_missing(fp: FieldPlan, missing: pl.Series, value: pl.Series) -> FieldVerdicts:
    """The verdicts on a column of missing values, without reading it: a missing value is read by
    every type and breaks no constraint but ``required``, and an array's elements are judged only in
    cells with a value. A row typed in a form leaves most optional fields empty."""
    dtype = fp.missing_dtype()
    try:
        typed = value.cast(dtype)  # nulls only: no cell to convert
    except pl.exceptions.PolarsError:
        typed = pl.repeat(None, value.len(), dtype=dtype, eager=True)
    masks = {"m:required": missing} if fp.field.required else {}
    return FieldVerdicts(missing, value, typed.alias("typed"), None, masks, [])


def _read_verdicts(fp: FieldPlan, value: pl.Series, missing: pl.Series) -> FieldVerdicts:
    """:func:`field_verdicts` once the missing values are known and nulled in ``value``."""
    f = fp.field
    typed, ok, consistent = _read(fp.ftype, value, missing)
    typed = _chunked_like(typed, value)
    masks: dict[str, pl.Series] = {}
    if ok is not None:
        ok = _chunked_like(ok, value)
        masks["m:type"] = ~ok
    if f.required:
        masks["m:required"] = missing
    broken = missing & f.required
    # A constraint judges typed values: where there is none (cells missing or unreadable), none breaks.
    judged = fp.constraints if typed.null_count() < typed.len() else []
    for i, c in enumerate(judged):
        violated = c.violated(typed, missing)
        if ok is not None:
            violated = violated & ok
        broken = broken | violated
        masks[f"m:c{i}"] = violated
    items_ok = fp.ftype.items_type_ok(value)
    item_masks: list[str] = []
    if items_ok is not None:
        # frictionless judges the elements of a cell only once the cell itself is clean.
        clean = ~missing & ~broken if ok is None else ok & ~missing & ~broken
        masks["m:itemtype"] = clean & ~items_ok
        for name, mask in fp.ftype.item_violations(value).items():
            item_masks.append(name)
            masks[f"m:item:{name}"] = mask & clean
        ok = items_ok if ok is None else ok & items_ok
    if ok is not None and (not consistent or items_ok is not None):
        typed = _kept(typed, ok)
    return FieldVerdicts(missing, value, typed.alias("typed"), ok, masks, item_masks)


def _missing_and_value(
    fp: FieldPlan, raw: pl.Series, missing: pl.Series | None
) -> tuple[pl.Series, pl.Series]:
    """Where the cell is missing (computed unless given), and the cells with missing values nulled."""
    if missing is None:
        missing = pl.select(is_missing(pl.lit(raw), fp.missing_values)).to_series()
    return missing, raw.set(missing, None) if missing.any() else raw


def _read(ftype: FieldType, value: pl.Series, missing: pl.Series) -> tuple[pl.Series, pl.Series | None, bool]:
    """``(typed, ok, consistent)`` for a column (``missing``: where ``value`` is null): the type's fast
    reading decides the usual cells and :meth:`~FieldType.parse_container` reads the few others.
    ``ok`` is None when every cell is valid; ``consistent``: typed is already null wherever ``ok`` is
    false."""
    fast = ftype.fast(value)
    if fast is None:
        typed, ok = ftype.parse_container(value)
        return typed, ok, False
    read, decided = fast
    if decided is None:
        return read, None, True
    if decided.null_count():
        decided = decided.fill_null(False)
    pending = ~missing & ~decided
    if not pending.any():  # every cell with a value was decided, hence valid
        return _kept(read, decided), None, True
    if pending.all():  # no cell decided (a one-row batch with an unusual cell): parse them all
        typed, ok = ftype.parse_container(value)
        return _kept(typed, ok).cast(ftype.dtype), ok, True
    index = pending.arg_true()
    sub_typed, sub_ok = ftype.parse_container(value.gather(index))
    typed = _kept(read, decided).cast(ftype.dtype)
    typed = typed.scatter(index, _kept(sub_typed, sub_ok))
    ok = (decided | missing).scatter(index, sub_ok)
    return typed, ok, True


def _kept(series: pl.Series, keep: pl.Series) -> pl.Series:
    """``series`` where ``keep`` is true, null elsewhere (``pl.when(keep).then(series)``). A Boolean
    mask without nulls on a flat series is applied without a query: a small batch pays polars' fixed
    cost per query many times over."""
    if keep.null_count() or series.dtype.is_nested() or series.dtype == pl.Object:
        return pl.select(pl.when(pl.lit(keep)).then(pl.lit(series))).to_series()
    return series.set(~keep, None)


def _chunked_like(series: pl.Series, model: pl.Series) -> pl.Series:
    """``series`` cut into the chunks of ``model`` (zero-copy slices). Columns of one frame with different
    chunk boundaries are copied to a common layout by every polars operation that reads several of
    them: the custom checks read many."""
    lengths = model.chunk_lengths()
    if series.chunk_lengths() == lengths:
        return series
    if series.n_chunks() > 1:
        series = series.rechunk()
    pieces, start = [], 0
    for length in lengths:
        pieces.append(series.slice(start, length))
        start += length
    return pl.concat(pieces, rechunk=False) if len(pieces) > 1 else series


def _type_errors(fp: FieldPlan, data: pl.LazyFrame, mask: pl.Expr) -> pl.LazyFrame:
    detail = fp.ftype.detail()
    return cell_findings_query(
        data,
        mask,
        code="type-error",
        detail=detail,
        message=catalogue.message(
            "type-error", detail, value=pl.col("value"), field=fp.field.name, **fp.ftype.message_params()
        ),
        row=pl.col("row"),
        field=fp.field.name,
        column=fp.column,
        value=pl.col("value"),
    )


def _item_findings(fp: FieldPlan, flagged: pl.LazyFrame, names: list[str]) -> list[pl.LazyFrame]:
    """Constraint errors of an array's elements (``arrayItem``), reported on the cell as frictionless does."""
    found = []
    item = (fp.field.array_item or {}).get("constraints", {})
    for name in names:
        detail = f"arrayItem/{name}"
        key = detail if ("constraint-error", detail) in catalogue.CATALOGUE else "arrayItem"
        params: dict[str, object] = {
            "value": pl.col("value"),
            "constraint": name,
            "limit": item.get(name, ""),
        }
        if name == "enum":
            params["allowed"] = ", ".join(f"« {v} »" for v in item.get("enum", [])[:12])
        found.append(
            cell_findings_query(
                flagged,
                pl.col(f"m:item:{name}"),
                code="constraint-error",
                detail=detail,
                message=catalogue.message("constraint-error", key, **params),
                row=pl.col("row"),
                field=fp.field.name,
                column=fp.column,
                value=pl.col("value"),
            )
        )
    return found


def _unjudged_patterns(plan: _Plan) -> list[pl.DataFrame]:
    found = []
    for fp in plan.fields:
        for c in fp.constraints:
            values = c.budget_problems()
            if values:
                shown = ", ".join(f"« {v[:40]} »" for v in values[:5])
                reason = f"{len(values)} valeur(s) n'ont pas pu être jugées à temps ({shown})."
                found.append(
                    single_finding(
                        "check-error",
                        catalogue.text("check-error", "pattern", field=fp.field.name, reason=reason),
                        detail="pattern",
                        field=fp.field.name,
                    )
                )
    return found


def validate_file(
    path: str | Path,
    schema: TableSchema,
    *,
    options: ValidationOptions | None = None,
    progress: Progress | None = None,
    **read_options: object,
) -> ValidationReport:
    """Read ``path`` (CSV, XLSX, XLS, ODS) and validate it against ``schema``."""
    from socle.io import read_table

    table = read_table(path, **read_options)  # type: ignore[arg-type]
    return validate_table(table, schema, options, progress)
