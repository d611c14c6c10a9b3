"""Helpers shared by the custom checks (a private module: the registry does not import it as a check)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import Field, TableSchema
from socle.validation import catalogue
from socle.validation.custom_checks.base import CheckContext, CheckParamsError, CustomCheck
from socle.validation.findings import cell_findings, empty_findings

ROW = "__row__"
TEXT = "__text__"
VALUE = "__value__"
_KEY = "__key__"


def require_field(schema: TableSchema, name: str, param: str, types: Sequence[str] | None = None) -> Field:
    """The schema field a parameter names; raise :class:`CheckParamsError` if it does not exist or has
    a type the check cannot use."""
    field = schema.get_field(name)
    if field is None:
        raise CheckParamsError(f"le paramètre « {param} » cite la colonne « {name} », absente du schéma.")
    if types is not None and field.type not in types:
        raise CheckParamsError(
            f"la colonne « {name} » (paramètre « {param} ») est de type « {field.type} » ; "
            f"ce contrôle demande le type {' ou '.join(f'« {t} »' for t in types)}."
        )
    return field


def checked_text(ctx: CheckContext, field: str) -> pl.Expr:
    """The cell text where Validata's check would see a value: the cell is neither empty, nor a missing
    value, nor a type error (Validata skips a cell whose typed value is None)."""
    return pl.when(ctx.typed(field).is_not_null()).then(ctx.raw(field))


def quote(name: str) -> str:
    """``« name »``."""
    return f"« {name} »"


def quote_list(names: Sequence[str]) -> str:
    """``« A », « B » et « C »``."""
    quoted = [quote(n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " et " + quoted[-1]


def judge_distinct(
    frame: pl.DataFrame, column: str, judge: Callable[[pl.Series], pl.DataFrame]
) -> pl.DataFrame:
    """The rows of ``frame`` whose value in ``column`` ``judge`` flags, with the judge's result columns.

    ``judge`` sees each distinct non-null value once (a series named :data:`VALUE`) and returns a frame
    with a :data:`VALUE` column and its result columns, for the flagged values only. Values repeat a lot
    in most columns, so this costs one ``unique`` and one ``is_in`` over the column, and a join over the
    flagged rows alone.
    """
    distinct = frame.get_column(column).drop_nulls().unique().alias(VALUE)
    flagged = judge(distinct).rename({VALUE: _KEY})  # the frame may have a VALUE column of its own
    rows = frame.filter(pl.col(column).is_in(flagged.get_column(_KEY).implode()))
    return rows.join(flagged, left_on=column, right_on=_KEY, how="left", maintain_order="left")


def failing(values: pl.Series, passes: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """Boolean series: true where the value is not null and fails the vectorised test ``passes``.

    When the column repeats its values (identifiers of the publishing authority, codes…), the test runs
    on the distinct values only and the verdicts are looked up."""
    if values.len() <= 1:  # a row typed in a form: nothing repeats
        return _fails(values, passes(values))
    distinct = values.drop_nulls().unique()
    if distinct.len() * 2 > values.len():
        return _fails(values, passes(values))
    bad = distinct.filter(~passes(distinct).fill_null(False))
    if not bad.len():
        return pl.repeat(False, values.len(), dtype=pl.Boolean, eager=True)
    return values.is_in(bad.implode()).fill_null(False)


def _fails(values: pl.Series, verdicts: pl.Series) -> pl.Series:
    """True where the value is not null and its verdict is false (each step only when it changes
    something: a Series operation costs a polars query, which dominates on a few rows)."""
    bad = ~verdicts
    if bad.null_count():
        bad = bad.fill_null(False)
    if values.null_count():
        bad = bad & values.is_not_null()
    return bad


class VerdictCache:
    """Verdicts of a per-value Python predicate, kept across batches (values repeat from batch to batch).

    Bounded: past ``limit`` entries it starts afresh, so that a column of unique values cannot grow it
    without end.
    """

    def __init__(self, predicate: Callable[[str], bool], limit: int = 200_000) -> None:
        self._predicate = predicate
        self._limit = limit
        self._known: dict[str, bool] = {}

    def invalid_values(self, distinct: Sequence[str]) -> list[str]:
        """The values that fail the predicate, judging each one not seen before."""
        known = self._known
        if len(known) + sum(1 for v in distinct if v not in known) > self._limit:
            known.clear()
        bad = []
        for value in distinct:
            ok = known.get(value)
            if ok is None:
                ok = known[value] = self._predicate(value)
            if not ok:
                bad.append(value)
        return bad

    def invalid(self, values: pl.Series) -> pl.Series:
        """Boolean series: true where the value is not null and fails the predicate."""
        bad = self.invalid_values(values.drop_nulls().unique().to_list())
        return values.is_in(pl.Series(bad, dtype=pl.String).implode()).fill_null(False)


class SingleColumnCheck(CustomCheck):
    """A check of one column's cells (``column`` parameter), skipping empty cells and type errors.

    Subclasses say which rows fail in :meth:`bad_rows`; the finding goes on that column's cell, as in
    Validata.
    """

    code: ClassVar[str]
    field_types: ClassVar[tuple[str, ...] | None] = None
    """Field types the check accepts (``None``: any)."""

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self.column = self.param_str("column")
        self.field = require_field(schema, self.column, "column", self.field_types)

    def fields(self) -> Sequence[str]:
        return [self.column]

    def checked_frame(self, ctx: CheckContext) -> pl.DataFrame:
        """Rows with a value to check: row number, cell text and typed value."""
        return (
            ctx.frame.lazy()
            .select(
                ctx.row.alias(ROW),
                checked_text(ctx, self.column).alias(TEXT),
                ctx.typed(self.column).alias(VALUE),
            )
            .filter(pl.col(TEXT).is_not_null())
            .collect()
        )

    def check(self, ctx: CheckContext) -> pl.DataFrame:
        if not ctx.has(self.column):
            return empty_findings()
        frame = self.checked_frame(ctx)
        if not frame.height:
            return empty_findings()
        return self.bad_rows(frame, ctx.position(self.column))

    @abstractmethod
    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        """Findings for ``frame`` (columns :data:`ROW`, :data:`TEXT`, :data:`VALUE`)."""

    def report(
        self,
        frame: pl.DataFrame,
        mask: pl.Expr | pl.Series,
        column: int | None,
        *,
        code: str | None = None,
        detail: str | None = None,
        **params: pl.Expr | object,
    ) -> pl.DataFrame:
        """Findings on this check's column for the rows of ``frame`` where ``mask`` holds."""
        code = code or self.code
        return cell_findings(
            frame,
            mask,
            code=code,
            detail=detail,
            message=catalogue.message(code, detail, value=pl.col(TEXT), field=self.column, **params),
            row=pl.col(ROW),
            field=self.column,
            column=column,
            value=pl.col(TEXT),
        )
