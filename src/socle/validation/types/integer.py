"""``integer``: what Python's ``int()`` reads once frictionless has cleaned the cell.

frictionless strips the cell (``str.strip``), removes the currency or unit text around the number
when ``bareNumber`` is false, then calls ``int()``. So ``+5``, ``1_000`` (underscores between
digits), Unicode digits (``٣``, ``１２``) and leading zeros are integers; ``1.0``, ``1e3`` and
``1 000`` are not, and ``groupChar`` does not apply to integers. Python refuses strings of more than
4,300 digits. A valid integer beyond the Int64 range has a null typed value (bounds and enum
constraints then let it pass).
"""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import (
    INT_LITERAL,
    MAX_INT_DIGITS,
    PY_WHITESPACE,
    Decision,
    Valid,
    ascii_only,
    py_int,
    strip_bare_number,
    strip_bare_number_expr,
)
from socle.validation.types.base import FieldType, register

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def read_integer(text: str, bare_number: bool = True) -> Any:
    """Exact rule for one cell: the int (None beyond Int64, wrapped in :class:`Valid`) or None."""
    text = text.strip()
    if not bare_number:
        text = strip_bare_number(text)
    value = py_int(text)
    if value is None:
        return None
    return value if INT64_MIN <= value <= INT64_MAX else Valid(None)


def _decide_ascii(text: pl.Series, bare_number: bool) -> tuple[pl.Series, pl.Series]:
    text = text.str.strip_chars(PY_WHITESPACE)
    if not bare_number:
        text = strip_bare_number_expr(text)
    digits = text.str.replace_all(r"[^0-9]", "")
    ok = text.str.contains(f"^{INT_LITERAL}$") & (digits.str.len_bytes() <= MAX_INT_DIGITS)
    typed = text.str.replace_all("_", "", literal=True).cast(pl.Int64, strict=False)
    return typed, ok


def _fast_reading(values: pl.Series) -> tuple[pl.Series, pl.Series]:
    """``(typed, decided)``: the cells polars reads as integers, short enough for ``int()``."""
    # One query for both (a Series operation costs a query, which dominates on a few rows).
    cell = pl.lit(values)
    read = cell.cast(pl.Int64, strict=False)
    typed, decided = pl.select(
        read.alias("typed"),
        (read.is_not_null() & (cell.str.len_bytes() <= MAX_INT_DIGITS)).alias("decided"),
    ).get_columns()
    return typed.alias(values.name), decided.alias(values.name)


def parse_integers(values: pl.Series, bare_number: bool = True) -> tuple[pl.Series, pl.Series]:
    """``(typed Int64, ok)`` for a String series of integer cells."""
    decision = Decision(values, pl.Int64())
    # polars reads a subset of what int() reads (ASCII digits, one sign): a success is valid, with the
    # same value whatever bareNumber says.
    # ...unless the text is too long for int() (leading zeros).
    fast, decided = _fast_reading(values)
    decision.set(decided, fast, decided)
    decision.run(decision.pending(), ascii_only(lambda sub: _decide_ascii(sub, bare_number)))
    decision.python(decision.pending(), lambda text: read_integer(text, bare_number))
    return decision.result()


@register
class IntegerType(FieldType):
    name: ClassVar[str] = "integer"

    @property
    def dtype(self) -> pl.DataType:
        return pl.Int64()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        return parse_integers(values, self.field.bare_number)

    def fast(self, values: pl.Series) -> tuple[pl.Series, pl.Series | None] | None:
        return _fast_reading(values)  # the first stage of parse_integers

    def constant(self, value: Any) -> Any:
        # frictionless reads JSON numbers directly: 3 and 3.0 are the integer 3, true is not.
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            raise ValueError(value)
        if isinstance(value, str):
            result = read_integer(value, self.field.bare_number)
            if result is None or isinstance(result, Valid):
                raise ValueError(value)
            return result
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        if isinstance(value, str):
            return super().read_json(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False, None
        if isinstance(value, float) and not value.is_integer():
            return False, None
        number = int(value)
        return True, number if INT64_MIN <= number <= INT64_MAX else None
