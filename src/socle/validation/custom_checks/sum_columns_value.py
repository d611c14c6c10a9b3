"""``sum-columns-value``: ``column`` equals the sum of ``columns`` on every row where all have a value.

Sums are exact, as in Validata (Python integers, and decimals for ``number`` fields): integers are
added as 128-bit integers, numbers as decimals rebuilt from the shortest text of each value, so that
0.1 + 0.2 equals 0.3. The finding goes on ``column``'s cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import reduce
from typing import Any

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation import catalogue
from socle.validation.custom_checks._common import ROW, checked_text, quote_list, require_field
from socle.validation.custom_checks.base import CheckContext, CustomCheck, register
from socle.validation.findings import cell_findings, empty_findings

_NUMERIC_TYPES = ("integer", "number", "year")
_TOTAL, _SUM, _RAW = "__total__", "__sum__", "__raw__"
_MAX_SCALE = 18  # digits after the point; the typed float kept no more than 17 significant ones


def _operand(name: str) -> str:
    return f"__term_{name}__"


class SumColumnsValue(CustomCheck):
    """Validata's ``sum-columns-value``."""

    name = "sum-columns-value"
    codes = ("sum-columns-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self.column = self.param_str("column")
        self.columns = self.param_str_list("columns")
        require_field(schema, self.column, "column", _NUMERIC_TYPES)
        for name in self.columns:
            require_field(schema, name, "columns", _NUMERIC_TYPES)

    def fields(self) -> Sequence[str]:
        return [self.column, *self.columns]

    def check(self, ctx: CheckContext) -> pl.DataFrame:
        if not all(ctx.has(name) for name in self.fields()):
            return empty_findings()  # an absent column is all empty values: every row is skipped
        terms = [_operand(name) for name in self.columns]
        frame = ctx.frame.select(
            ctx.row.alias(ROW),
            ctx.typed(self.column).alias(_TOTAL),
            checked_text(ctx, self.column).alias(_RAW),
            *(ctx.typed(name).alias(term) for name, term in zip(self.columns, terms, strict=True)),
        ).filter(pl.all_horizontal(pl.col(c).is_not_null() for c in (_TOTAL, *terms)))
        if not frame.height:
            return empty_findings()
        frame = _exact(frame, [_TOTAL, *terms])
        frame = frame.with_columns(reduce(lambda acc, t: acc + t, [pl.col(t) for t in terms]).alias(_SUM))
        return cell_findings(
            frame,
            pl.col(_SUM) != pl.col(_TOTAL),
            code="sum-columns-value",
            message=catalogue.message(
                "sum-columns-value",
                field=self.column,
                value=pl.col(_RAW),
                columns=quote_list(self.columns),
                expected=_display(pl.col(_SUM)),
            ),
            row=pl.col(ROW),
            field=self.column,
            column=ctx.position(self.column),
            value=pl.col(_RAW),
        )


def _exact(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Cast the operands to a type where addition is exact."""
    if all(frame.schema[n].is_integer() for n in names):
        return frame.with_columns(pl.col(n).cast(pl.Int128) for n in names)
    texts = frame.select(pl.col(n).cast(pl.String).alias(n) for n in names)
    # The shortest text of a float is the decimal it was read from (when it had <= 15 significant
    # digits); exponents ("1e-7") and huge scales are left to float arithmetic.
    if texts.select(pl.any_horizontal(pl.col(n).str.contains("[eE]|inf|NaN") for n in names).any()).item():
        return frame.with_columns(pl.col(n).cast(pl.Float64) for n in names)
    scale = texts.select(
        pl.max_horizontal(pl.col(n).str.extract(r"\.([0-9]*)$", 1).str.len_chars().max() for n in names)
    ).item()
    scale = int(scale or 0)
    if scale <= _MAX_SCALE:
        decimals = texts.select(pl.col(n).cast(pl.Decimal(38, scale), strict=False) for n in names)
        if not decimals.null_count().sum_horizontal().item():  # else too many digits for 38
            return frame.with_columns(decimals)
    return frame.with_columns(pl.col(n).cast(pl.Float64) for n in names)


def _display(total: pl.Expr) -> pl.Expr:
    """A sum as text, without the decimal type's trailing zeros."""
    text = total.cast(pl.String)
    return (
        pl.when(text.str.contains(".", literal=True))
        .then(text.str.strip_chars_end("0").str.strip_chars_end("."))
        .otherwise(text)
    )


register(SumColumnsValue)
