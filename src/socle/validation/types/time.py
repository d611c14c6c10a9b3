"""``time``: ``default`` is ISO 8601 as frictionless reads it (a ``:`` at index 5, at least 8
characters, then ``dateutil``'s isoparse: ``10:30:00``, ``10:30:00.5``, ``10:30:00+01:00``,
``24:00:00``…), ``any`` is whatever ``dateutil`` reads, any other format is a ``strptime`` pattern.

Typed values are wall-clock times: a time zone offset is checked, then dropped (a time of day has no
date to move it to UTC without changing its day)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import polars as pl

from socle.validation.types._common import Decision, ascii_only
from socle.validation.types._temporal import (
    ISO_TIME,
    any_reader,
    compile_pattern,
    describe_format,
    fixed_stage,
    iso_time_components,
    iso_time_reader,
    normalise_format,
    pattern_components,
    strptime_reader,
    time_from,
)
from socle.validation.types.base import FieldType, register


def _time_of(value: dt.datetime) -> dt.time:
    return value.time()


def _iso_guard(values: pl.Series) -> pl.Series:
    """frictionless' guard before isoparse: index 5 is ``:`` and at least 8 characters."""
    return ((values.str.slice(5, 1) == ":") & (values.str.len_chars() >= 8)).fill_null(False)


def _decide_iso(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
    groups = sub.str.extract_groups(f"^{ISO_TIME}$").struct.unnest()
    matched = groups["hour"].is_not_null()
    frame = iso_time_components(groups).with_columns(
        ok=pl.col("time_ok").fill_null(False),
        hour=pl.col("hour") % 24,
    )
    typed = time_from(frame)
    # Other ISO shapes (``10+01:00``, ``1030``…) are left to dateutil.
    ok = pl.select(pl.when(pl.lit(matched)).then(pl.lit(frame["ok"])).otherwise(None)).to_series()
    return typed, ok


def _decide_any(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
    groups = sub.str.extract_groups(
        r"^(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?$"
    ).struct.unnest()
    frame = pl.DataFrame(
        {
            "hour": groups["hour"].cast(pl.Int64, strict=False),
            "minute": groups["minute"].cast(pl.Int64, strict=False),
            "second": groups["second"].cast(pl.Int64, strict=False).fill_null(0),
            "microsecond": pl.repeat(0, sub.len(), dtype=pl.Int64, eager=True),
        }
    ).with_columns(
        ok=((pl.col("hour") <= 23) & (pl.col("minute") <= 59) & (pl.col("second") <= 59)).fill_null(False)
    )
    # Only the certain readings are decided here; dateutil judges the rest.
    ok = pl.select(pl.when(pl.lit(frame["ok"])).then(True).otherwise(None)).to_series()
    return time_from(frame), ok


@register
class TimeType(FieldType):
    name: ClassVar[str] = "time"

    @property
    def dtype(self) -> pl.DataType:
        return pl.Time()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        decision = Decision(values, pl.Time())
        fmt = normalise_format(self.field.format)
        if fmt == "default":
            decision.run(values.is_not_null(), fixed_stage("%H:%M:%S", pl.Time()))
            decision.reject(decision.pending() & ~_iso_guard(values))
            decision.run(decision.pending(), ascii_only(_decide_iso))
            decision.python(decision.pending(), iso_time_reader)
        elif fmt == "any":
            decision.run(values.is_not_null(), ascii_only(_decide_any))
            decision.python(decision.pending(), any_reader(_time_of))
        else:
            decision.run(values.is_not_null(), fixed_stage(fmt, pl.Time()))
            pattern = compile_pattern(fmt)
            if pattern is not None:

                def decide(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
                    frame = pattern_components(sub, pattern)
                    return time_from(frame), frame["ok"]

                decision.run(decision.pending(), ascii_only(decide))
            decision.python(decision.pending(), strptime_reader(fmt, _time_of))
        return decision.result()

    def message_params(self) -> dict[str, str]:
        fmt = normalise_format(self.field.format)
        if fmt == "default":
            return {"expected": "HH:MM:SS"}
        if fmt == "any":
            return {"expected": "HH:MM:SS (ou une autre écriture d'heure reconnue)"}
        return {"expected": describe_format(fmt)}
