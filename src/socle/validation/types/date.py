"""``date``: ``default`` is ``%Y-%m-%d`` read by Python's ``strptime`` (so ``2024-1-5`` is a date),
``any`` is whatever ``dateutil`` reads, any other format is a ``strptime`` pattern (``fmt:`` prefix
allowed). A pattern with time directives gives the date part. See :mod:`._temporal`."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import polars as pl

from socle.validation.types._common import Decision, is_ascii
from socle.validation.types._temporal import (
    any_reader,
    compile_pattern,
    date_from,
    describe_format,
    normalise_format,
    pattern_components,
    strptime_reader,
)
from socle.validation.types.base import FieldType, register

_ISO_DATE = "%Y-%m-%d"
_FIRST_DAY = dt.date(1, 1, 1)


def iso_dates(values: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """``(shape, typed, ok)`` for the plain ``YYYY-MM-DD`` shape, whose reading is certain."""
    shape = values.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").fill_null(False)
    parsed = values.str.strptime(pl.Date, _ISO_DATE, strict=False, cache=False)
    ok = shape & (parsed >= _FIRST_DAY).fill_null(False)
    return shape, parsed, ok


def _date_of(value: dt.datetime) -> dt.date:
    return value.date()


@register
class DateType(FieldType):
    name: ClassVar[str] = "date"

    @property
    def dtype(self) -> pl.DataType:
        return pl.Date()

    @property
    def pattern(self) -> str:
        fmt = normalise_format(self.field.format)
        return _ISO_DATE if fmt == "default" else fmt

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        decision = Decision(values, pl.Date())
        fmt = self.pattern
        if fmt == "any":
            # dateutil reads a plain ISO date as it is; anything else is left to it.
            _, parsed, ok = iso_dates(values)
            decision.set(ok, parsed, ok)
            decision.python(decision.pending(), any_reader(_date_of))
            return decision.result()
        if fmt == _ISO_DATE:
            shape, parsed, ok = iso_dates(values)
            decision.set(shape, parsed, ok)
        pending = decision.pending()
        if not pending.any():
            return decision.result()
        pattern = compile_pattern(fmt)
        ascii_text = is_ascii(values)
        if pattern is not None:

            def decide(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
                frame = pattern_components(sub, pattern)
                return date_from(frame), frame["ok"]

            decision.run(pending & ascii_text, decide)
        decision.python(decision.pending(), strptime_reader(fmt, _date_of))
        return decision.result()

    def message_params(self) -> dict[str, str]:
        fmt = self.pattern
        if fmt == "any":
            return {"expected": "AAAA-MM-JJ (ou une autre écriture de date reconnue)"}
        return {"expected": describe_format(fmt)}
