"""``year``: four characters that Python's ``int()`` reads as a number from 0 to 9999.

frictionless checks the length before ``int()``: `` 123``, ``+123``, ``1_23``, ``-000`` and
``0000`` are years; ``12`` and ``20245`` are not.
"""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import ASCII_INT_SPACE, INT_LITERAL, Decision, ascii_only, py_int
from socle.validation.types.base import FieldType, register

_ASCII_YEAR = f"^{ASCII_INT_SPACE}*{INT_LITERAL}{ASCII_INT_SPACE}*$"


def read_year(text: str) -> Any:
    """Exact rule for one cell: the year or None."""
    if len(text) != 4:
        return None
    value = py_int(text)
    if value is None or not 0 <= value <= 9999:
        return None
    return value


def _decide_ascii(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    typed = text.str.replace_all(r"[^0-9+\-]", "").cast(pl.Int64, strict=False)
    ok = (text.str.len_bytes() == 4) & text.str.contains(_ASCII_YEAR) & (typed >= 0)
    return typed, ok


@register
class YearType(FieldType):
    name: ClassVar[str] = "year"

    @property
    def dtype(self) -> pl.DataType:
        return pl.Int64()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        decision = Decision(values, pl.Int64())
        fast = values.cast(pl.Int64, strict=False)
        four = values.str.len_chars() == 4
        decided = fast.is_not_null()
        decision.set(decided, fast, four & (fast >= 0))
        decision.run(decision.pending(), ascii_only(_decide_ascii))
        decision.python(decision.pending(), read_year)
        return decision.result()

    def fast(self, values: pl.Series) -> tuple[pl.Series, pl.Series | None] | None:
        # The first stage of parse: four characters read as a non-negative integer.
        typed = values.cast(pl.Int64, strict=False)
        return typed, typed.is_not_null() & (values.str.len_chars() == 4) & (typed >= 0)

    def constant(self, value: Any) -> Any:
        # frictionless takes a JSON integer as it is (true counts as 1), then checks the range.
        if isinstance(value, int):
            if 0 <= value <= 9999:
                return int(value)
            raise ValueError(value)
        if isinstance(value, str):
            result = read_year(value)
            if result is not None:
                return result
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        # JSON integers (true and false included: Python counts them as 1 and 0) are taken as
        # they are, then the range is checked.
        if isinstance(value, int):
            return (True, int(value)) if 0 <= value <= 9999 else (False, None)
        return super().read_json(value)
