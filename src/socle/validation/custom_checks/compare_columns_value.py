"""``compare-columns-value``: ``column`` op ``column2`` holds on every row where both have a value.

How values compare follows Validata: two numbers compare as numbers, and so does a text that reads as
a number (``"10"`` > ``"9"``); two texts that are not both numbers compare as texts (code point
order); two values of another same type (dates, times…) compare as such; anything else (a date and
a number, a number and a non-numeric text…) cannot be compared, which is reported too. The finding
goes on ``column``'s cell.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation import catalogue
from socle.validation.custom_checks._common import ROW, checked_text, require_field
from socle.validation.custom_checks.base import CheckContext, CheckParamsError, CustomCheck, register
from socle.validation.findings import cell_findings, concat_findings, empty_findings

_OPERATORS: dict[str, tuple[Callable[[pl.Expr, pl.Expr], pl.Expr], str]] = {
    ">": (operator.gt, "supérieure à"),
    ">=": (operator.ge, "supérieure ou égale à"),
    "==": (operator.eq, "égale à"),
    "<=": (operator.le, "inférieure ou égale à"),
    "<": (operator.lt, "inférieure à"),
}
# Types whose values have no order Validata would use (it compares their Python repr).
_UNORDERED_TYPES = ("geopoint", "geojson", "object", "array")

# What Python's float() reads (Validata's test for "is a number"), without inf/nan, which make
# Validata crash; digits may be grouped with "_".
_DIGITS = r"[0-9](?:_?[0-9])*"
_NUMBER = rf"^\s*[+-]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?\s*$"

_A, _B, _RAW_A, _RAW_B = "__a__", "__b__", "__raw_a__", "__raw_b__"
_BROKEN, _INCOMPARABLE = "__broken__", "__incomparable__"


def _as_number(text: pl.Expr) -> pl.Expr:
    """The number a text reads as, or null if it is not one."""
    return (
        pl.when(text.str.contains(_NUMBER))
        .then(text.str.strip_chars().str.replace_all("_", "", literal=True).cast(pl.Float64, strict=False))
        .otherwise(None)
    )


def _is_numeric(dtype: pl.DataType) -> bool:
    return dtype.is_numeric()


def _is_text(dtype: pl.DataType) -> bool:
    return dtype == pl.String


class CompareColumnsValue(CustomCheck):
    """Validata's ``compare-columns-value``."""

    name = "compare-columns-value"
    codes = ("compare-columns-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self.column = self.param_str("column")
        self.column2 = self.param_str("column2")
        for key, name in (("column", self.column), ("column2", self.column2)):
            field = require_field(schema, name, key)
            if field.type in _UNORDERED_TYPES:
                raise CheckParamsError(
                    f"la colonne « {name} » est de type « {field.type} », "
                    "dont les valeurs ne se comparent pas."
                )
        op = params.get("op")
        if op not in _OPERATORS:
            raise CheckParamsError(
                f"l'opérateur « {op} » n'est pas géré (opérateurs possibles : {', '.join(_OPERATORS)})."
                if op is not None
                else "le paramètre « op » est obligatoire (>, >=, ==, <= ou <)."
            )
        self.op: str = op

    def fields(self) -> Sequence[str]:
        return [self.column, self.column2]

    def check(self, ctx: CheckContext) -> pl.DataFrame:
        # An absent column is a column of empty values: every row is skipped.
        if not (ctx.has(self.column) and ctx.has(self.column2)):
            return empty_findings()
        rows = (
            ctx.frame.lazy()
            .select(
                ctx.row.alias(ROW),
                ctx.typed(self.column).alias(_A),
                ctx.typed(self.column2).alias(_B),
                checked_text(ctx, self.column).alias(_RAW_A),
                checked_text(ctx, self.column2).alias(_RAW_B),
            )
            .filter(pl.col(_A).is_not_null() & pl.col(_B).is_not_null())
        )
        types = rows.collect_schema()
        holds, comparable = self._compare(types[_A], types[_B])
        # One query judges every row; the findings cost a query only where a mask holds somewhere
        # (a Series operation or a query costs more than the rule itself on a few rows).
        frame = rows.with_columns(
            (comparable & ~holds).alias(_BROKEN), (~comparable).alias(_INCOMPARABLE)
        ).collect()
        if not frame.height:
            return empty_findings()
        op_text = _OPERATORS[self.op][1]
        parts = []
        for detail, mask in (
            (None, frame.get_column(_BROKEN)),
            ("not-comparable", frame.get_column(_INCOMPARABLE)),
        ):
            parts.append(
                cell_findings(
                    frame,
                    mask,
                    code="compare-columns-value",
                    detail=detail,
                    message=catalogue.message(
                        "compare-columns-value",
                        detail,
                        field=self.column,
                        value=pl.col(_RAW_A),
                        op_text=op_text,
                        other=self.column2,
                        other_value=pl.col(_RAW_B),
                    ),
                    row=pl.col(ROW),
                    field=self.column,
                    column=ctx.position(self.column),
                    value=pl.col(_RAW_A),
                )
            )
        return concat_findings(parts)

    def _compare(self, left: pl.DataType, right: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
        """``(holds, comparable)`` expressions for typed values of these types (both non-null)."""
        cmp = _OPERATORS[self.op][0]
        a, b = pl.col(_A), pl.col(_B)
        if _is_numeric(left) and _is_numeric(right):
            return cmp(a, b), pl.lit(True)
        if _is_text(left) and _is_text(right):
            na, nb = _as_number(a), _as_number(b)
            both_numbers = na.is_not_null() & nb.is_not_null()
            return pl.when(both_numbers).then(cmp(na, nb)).otherwise(cmp(a, b)), pl.lit(True)
        if _is_numeric(left) and _is_text(right):
            nb = _as_number(b)
            return cmp(a.cast(pl.Float64), nb).fill_null(False), nb.is_not_null()
        if _is_text(left) and _is_numeric(right):
            na = _as_number(a)
            return cmp(na, b.cast(pl.Float64)).fill_null(False), na.is_not_null()
        if left == right:
            return cmp(a, b), pl.lit(True)
        return pl.lit(False), pl.lit(False)


register(CompareColumnsValue)
