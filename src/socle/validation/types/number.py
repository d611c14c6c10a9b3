"""``number``: what Python's ``Decimal()`` reads once frictionless has cleaned the cell.

frictionless strips the cell; when ``bareNumber`` is false it removes the text around the number;
it removes ``groupChar``; with a ``decimalChar`` other than ``.``, a cell containing ``.`` is
invalid, then ``decimalChar`` becomes ``.``. ``Decimal()`` then accepts exponents (``1e3``),
``1.``, ``.5``, ``NaN``/``sNaN`` (with digits), ``Inf``/``Infinity`` in any case, underscores
anywhere inside the number, Unicode digits, but no group separator and no inner space.

Typed values are Float64 (``float(Decimal)``; NaN for the NaN forms): constraints compare them as
frictionless compares Decimals except beyond float precision.
"""

from __future__ import annotations

import decimal
import math
from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import (
    PY_WHITESPACE,
    Decision,
    ascii_only,
    escape_regex,
    strip_bare_number,
    strip_bare_number_expr,
)
from socle.validation.types.base import FieldType, register

_DECIMAL_STRICT = r"^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,15})?|(?i:inf|infinity|nan))$"
"""The ASCII shapes polars' float parser and ``Decimal()`` agree on (short exponents)."""

_DECIMAL_BROAD = r"^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|(?i:inf|infinity|s?nan[0-9]*))$"
"""Every ASCII shape ``Decimal()`` may accept (the rest of them are decided in Python)."""

_SHORT = 20
"""A text this short cannot hold an exponent ``Decimal()`` refuses."""


def to_float(value: decimal.Decimal) -> float:
    if value.is_nan():
        return math.nan
    return float(value)


def read_number(text: str, bare_number: bool = True, decimal_char: str = ".", group_char: str = "") -> Any:
    """Exact rule for one cell: the float value or None."""
    cleaned = clean_number(text, bare_number, decimal_char, group_char)
    if cleaned is None:
        return None
    try:
        return to_float(decimal.Decimal(cleaned))
    except (decimal.InvalidOperation, ValueError):
        return None


def clean_number(text: str, bare_number: bool, decimal_char: str, group_char: str) -> str | None:
    """The cell as frictionless hands it to ``Decimal()``, or None when already refused."""
    text = text.strip()
    if not bare_number:
        text = strip_bare_number(text)
    if group_char:
        text = text.replace(group_char, "")
    if decimal_char != ".":
        if "." in text:
            return None
        text = text.replace(decimal_char, ".")
    return text


def _clean_ascii(values: pl.Series, bare_number: bool, decimal_char: str, group_char: str) -> pl.Expr:
    """Clean ASCII cells as frictionless does; null where refused before ``Decimal()`` (an expression,
    so that the clean-up and the verdicts run as one query)."""
    text = pl.lit(values).str.strip_chars(PY_WHITESPACE)
    if not bare_number:
        text = pl.lit(strip_bare_number_expr(pl.select(text).to_series()))
    if group_char:
        text = text.str.replace_all(group_char, "", literal=True)
    if decimal_char != ".":
        refused = text.str.contains(".", literal=True)
        text = pl.when(refused).then(None).otherwise(text).str.replace_all(decimal_char, ".", literal=True)
    # Decimal() strips again, then drops every underscore.
    return text.str.strip_chars(PY_WHITESPACE).str.replace_all("_", "", literal=True)


_CASTABLE_CHARS = frozenset("0123456789+-.eEiInNfFaAtTyY")
"""Characters a text polars reads as a float may hold: a group character among them could hide."""


def _fast(
    values: pl.Series, bare_number: bool, decimal_char: str, group_char: str
) -> tuple[pl.Series, pl.Series]:
    """``(typed, decided)`` for the plain numbers whose reading is certain; the others wait."""
    if not bare_number:
        short = values.str.len_bytes() <= _SHORT
        # Only a bare signed decimal is left unchanged by the clean-up of bareNumber: false.
        escaped = escape_regex(decimal_char)
        decided = values.str.contains(f"^-?[0-9]+(?:{escaped}[0-9]+)?$").fill_null(False) & short
        text = values.str.replace_all(decimal_char, ".", literal=True) if decimal_char != "." else values
        return text.cast(pl.Float64, strict=False), decided
    if group_char and not set(group_char).isdisjoint(_CASTABLE_CHARS):
        return pl.repeat(None, values.len(), dtype=pl.Float64, eager=True), pl.repeat(
            False, values.len(), eager=True
        )
    if decimal_char == ".":
        # polars' float parser reads a subset of Decimal()'s language; only a long exponent differs.
        # One query for both (a Series operation costs a query, which dominates on a few rows).
        cell = pl.lit(values)
        read = cell.cast(pl.Float64, strict=False)
        typed, decided = pl.select(
            read.alias("typed"), (read.is_not_null() & (cell.str.len_bytes() <= _SHORT)).alias("decided")
        ).get_columns()
        return typed.alias(values.name), decided.alias(values.name)
    short = values.str.len_bytes() <= _SHORT
    typed = values.str.replace_all(decimal_char, ".", literal=True).cast(pl.Float64, strict=False)
    # frictionless refuses a "." when another decimal character is declared.
    dotted = values.str.contains(".", literal=True)
    return typed, typed.is_not_null() & short & ~dotted


def parse_numbers(
    values: pl.Series, bare_number: bool = True, decimal_char: str = ".", group_char: str = ""
) -> tuple[pl.Series, pl.Series]:
    """``(typed Float64, ok)`` for a String series of number cells."""
    decision = Decision(values, pl.Float64())
    typed, decided = _fast(values, bare_number, decimal_char, group_char)
    decision.set(decided, typed, decided)

    def decide(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
        cleaned = _clean_ascii(sub, bare_number, decimal_char, group_char)
        strict = cleaned.str.contains(_DECIMAL_STRICT).fill_null(False)
        broad = cleaned.str.contains(_DECIMAL_BROAD).fill_null(False)
        typed, ok = pl.select(
            cleaned.cast(pl.Float64, strict=False).alias("typed"),
            # Odd but possible shapes (huge exponent, NaN payload): null verdict, decided in Python.
            pl.when(strict).then(True).when(broad).then(None).otherwise(False).alias("ok"),
        ).get_columns()
        return typed.alias(sub.name), ok.alias("literal")  # the names the Series operations gave

    decision.run(decision.pending(), ascii_only(decide))
    decision.python(decision.pending(), lambda text: read_number(text, bare_number, decimal_char, group_char))
    return decision.result()


@register
class NumberType(FieldType):
    name: ClassVar[str] = "number"

    @property
    def dtype(self) -> pl.DataType:
        return pl.Float64()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        f = self.field
        return parse_numbers(values, f.bare_number, f.decimal_char, f.group_char)

    def fast(self, values: pl.Series) -> tuple[pl.Series, pl.Series | None] | None:
        f = self.field
        return _fast(values, f.bare_number, f.decimal_char, f.group_char)

    def constant(self, value: Any) -> Any:
        # JSON numbers are taken as they are (frictionless makes them Decimals); booleans are not numbers.
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            f = self.field
            result = read_number(value, f.bare_number, f.decimal_char, f.group_char)
            if result is None:
                raise ValueError(value)
            return result
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        if isinstance(value, str):
            return super().read_json(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, None
        return True, float(value)
