"""``date``: ``default`` is ``%Y-%m-%d`` read by Python's ``strptime`` (so ``2024-1-5`` is a date),
``any`` is whatever ``dateutil`` reads, any other format is a ``strptime`` pattern (``fmt:`` prefix
allowed). A pattern with time directives gives the date part. See :mod:`._temporal`."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import polars as pl

from socle.validation.types._common import Decision, ascii_only
from socle.validation.types._temporal import (
    any_reader,
    compile_pattern,
    date_from,
    describe_format,
    fixed_stage,
    fixed_width,
    normalise_format,
    pattern_components,
    strptime_reader,
)
from socle.validation.types.base import FieldType, register

_ISO_DATE = "%Y-%m-%d"


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
            decide_iso = fixed_stage(_ISO_DATE, pl.Date())

            def valid_iso(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
                typed, ok = decide_iso(sub)
                return typed, pl.select(pl.when(pl.lit(ok)).then(True)).to_series()

            decision.run(values.is_not_null(), valid_iso)
            decision.python(decision.pending(), any_reader(_date_of))
            return decision.result()
        decision.run(values.is_not_null(), fixed_stage(fmt, pl.Date()))
        pattern = compile_pattern(fmt)
        if pattern is not None:

            def decide(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
                frame = pattern_components(sub, pattern)
                return date_from(frame), frame["ok"]

            decision.run(decision.pending(), ascii_only(decide))
        decision.python(decision.pending(), strptime_reader(fmt, _date_of))
        return decision.result()

    def fast(self, values: pl.Series) -> tuple[pl.Series, pl.Series | None] | None:
        fmt = self.pattern
        found = None if fmt == "any" else fixed_width(values, fmt, pl.Date())
        if found is None:
            return None
        typed, shape = found
        return typed, shape & typed.is_not_null()

    def message_params(self) -> dict[str, str]:
        fmt = self.pattern
        if fmt == "any":
            return {"expected": "AAAA-MM-JJ (ou une autre écriture de date reconnue)"}
        return {"expected": describe_format(fmt)}
