"""``duration``: an ISO 8601 duration as ``isodate.parse_duration`` reads it, which frictionless
calls: ``[+-]P[nY][nM][nW][nD][T[nH][nM][nS]]`` with optional fractions (``,`` or ``.``) on any
part, ``P`` followed by something (``PT`` alone is a zero duration), a single final newline
tolerated, or the alternative form ``PYYYY-MM-DDThh:mm:ss``; a duration too long for Python's
timedelta is invalid.

Typed values are a canonical text ``P<months>M<days>DT<seconds>.<microseconds>S`` (total months,
then the normalised time part), so that equal durations compare equal as in frictionless
(``PT60M`` equals ``PT1H``, ``P1Y`` equals ``P12M``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import Decision
from socle.validation.types.base import FieldType, register


def canonical_duration(value: Any) -> str:
    """Canonical text of an isodate ``Duration`` or a ``timedelta``."""
    if isinstance(value, dt.timedelta):
        months = Decimal(0)
        delta = value
    else:
        months = Decimal(value.years) * 12 + Decimal(value.months)
        delta = value.tdelta
    months_text = format(months.normalize(), "f") if months else "0"
    return f"P{months_text}M{delta.days}DT{delta.seconds}.{delta.microseconds:06d}S"


def read_duration(text: str) -> str | None:
    """Exact rule for one cell: the canonical text, or None."""
    import isodate  # type: ignore[import-untyped]

    try:
        return canonical_duration(isodate.parse_duration(text))
    except Exception:  # frictionless treats any failure as a type error
        return None


@register
class DurationType(FieldType):
    name: ClassVar[str] = "duration"

    @property
    def dtype(self) -> pl.DataType:
        return pl.String()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        decision = Decision(values, pl.String())
        # Every form begins with P, after an optional sign.
        candidate = values.str.contains(r"^[+-]?P").fill_null(False)
        decision.reject(values.is_not_null() & ~candidate)
        decision.python(candidate, read_duration)
        return decision.result()
