"""``yearmonth``: two parts around a single ``-``, each read by Python's ``int()``, the month from 1
to 12 (``2024-3``, `` 2024 - 03 `` and ``99999-01`` are valid, as in frictionless).

Typed values are the text ``YYYY-MM`` (year zero-padded to four digits), so that order and equality
are those of the (year, month) pairs for years below 10,000.
"""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import (
    ASCII_INT_SPACE,
    INT_LITERAL,
    Decision,
    ascii_only,
    py_int,
)
from socle.validation.types.base import FieldType, register

_PART = f"^{ASCII_INT_SPACE}*{INT_LITERAL}{ASCII_INT_SPACE}*$"
_MAX_FAST_DIGITS = 18


def format_yearmonth(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def read_yearmonth(text: str) -> Any:
    """Exact rule for one cell: ``YYYY-MM`` or None."""
    parts = text.split("-")
    if len(parts) != 2:
        return None
    year, month = py_int(parts[0]), py_int(parts[1])
    if year is None or month is None or not 1 <= month <= 12:
        return None
    return format_yearmonth(year, month)


def _decide_ascii(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    parts = text.str.split_exact("-", 1).struct.unnest()
    year_text, month_text = parts.to_series(0), parts.to_series(1)
    single_dash = text.str.count_matches("-", literal=True) == 1
    year_digits = year_text.str.replace_all(r"[^0-9]", "")
    month_digits = month_text.str.replace_all(r"[^0-9]", "")
    year = year_digits.cast(pl.Int64, strict=False)
    month = month_digits.cast(pl.Int64, strict=False)
    shapes = single_dash & year_text.str.contains(_PART) & month_text.str.contains(_PART)
    ok = shapes & month.is_between(1, 12)
    # Beyond 18 digits the year leaves Int64: the verdict goes to Python.
    long_year = year_digits.str.len_bytes() > _MAX_FAST_DIGITS
    ok = pl.select(pl.when(pl.lit(ok & long_year)).then(None).otherwise(pl.lit(ok))).to_series()
    typed = pl.select(
        pl.format(
            "{}-{}", pl.lit(year).cast(pl.String).str.zfill(4), pl.lit(month).cast(pl.String).str.zfill(2)
        )
    ).to_series()
    return typed, ok


@register
class YearmonthType(FieldType):
    name: ClassVar[str] = "yearmonth"

    @property
    def dtype(self) -> pl.DataType:
        return pl.String()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        decision = Decision(values, pl.String())
        fast = values.str.contains(r"^[0-9]{4}-(?:0[1-9]|1[0-2])$").fill_null(False)
        decision.set(fast, values, fast)
        decision.run(decision.pending(), ascii_only(_decide_ascii))
        decision.python(decision.pending(), read_yearmonth)
        return decision.result()

    def constant(self, value: Any) -> Any:
        # frictionless also reads a [year, month] pair as it is, without checking the month.
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            return format_yearmonth(int(value[0]), int(value[1]))
        if isinstance(value, str):
            result = read_yearmonth(value)
            if result is not None:
                return result
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        # frictionless takes any two-element JSON array as (year, month), unchecked.
        if isinstance(value, list):
            if len(value) != 2:
                return False, None
            year, month = value
            if isinstance(year, int) and isinstance(month, int):
                return True, format_yearmonth(year, month)
            return True, None
        return super().read_json(value)
