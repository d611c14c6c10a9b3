"""``datetime``: ``default`` is ISO 8601 as frictionless reads it (a ``:`` at index 16, at least 19
characters, then ``dateutil``'s isoparse: any one character between date and time, fractions of a
second, ``Z`` or ``±hh[:mm]`` offsets, ``24:00:00``, week and ordinal dates…), ``any`` is whatever
``dateutil`` reads, any other format is a ``strptime`` pattern.

Typed values are naive Datetime("us"): a value with an offset is converted to UTC, a value without
one is kept as written (frictionless compares them as they are)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import Decision, ascii_only, valid_date
from socle.validation.types._temporal import (
    ISO_TIME,
    any_reader,
    compile_pattern,
    datetime_from,
    describe_format,
    fixed_stage,
    iso_datetime_reader,
    iso_time_components,
    normalise_format,
    pattern_components,
    strptime_reader,
    utc_naive,
)
from socle.validation.types.base import FieldType, register

_ISO_DATETIME = r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[\x00-\x7f]" + ISO_TIME + "$"


def _iso_guard(values: pl.Series) -> pl.Series:
    """frictionless' guard before isoparse: index 16 is ``:`` and at least 19 characters."""
    return ((values.str.slice(16, 1) == ":") & (values.str.len_chars() >= 19)).fill_null(False)


def _decide_iso(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
    groups = sub.str.extract_groups(_ISO_DATETIME).struct.unnest()
    matched = groups["year"].is_not_null()
    times = iso_time_components(groups)
    frame = times.with_columns(
        year=groups["year"].cast(pl.Int64, strict=False),
        month=groups["month"].cast(pl.Int64, strict=False),
        day=groups["day"].cast(pl.Int64, strict=False),
    )
    last_day = (pl.col("year") == 9999) & (pl.col("month") == 12) & (pl.col("day") == 31)
    frame = frame.with_columns(
        # 24:00:00 is midnight of the next day, which does not exist after 9999-12-31.
        ok=(
            pl.col("time_ok")
            & valid_date(pl.col("year"), pl.col("month"), pl.col("day"))
            & ~(last_day & (pl.col("hour") == 24))
        ).fill_null(False)
    )
    local = datetime_from(frame)
    utc = pl.lit(local) - pl.duration(minutes=pl.lit(frame["offset_minutes"]))
    # Like Python, keep no typed value when UTC leaves years 1 to 9999 (the cell stays valid).
    in_range = utc.is_between(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999999))
    typed = pl.select(pl.when(in_range).then(utc).otherwise(None)).to_series()
    ok = pl.select(pl.when(pl.lit(matched)).then(pl.lit(frame["ok"])).otherwise(None)).to_series()
    return typed, ok


def _decide_any(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
    groups = sub.str.extract_groups(
        r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})[T ]"
        r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?$"
    ).struct.unnest()
    frame = pl.DataFrame(
        {
            name: groups[name].cast(pl.Int64, strict=False)
            for name in ("year", "month", "day", "hour", "minute")
        }
    ).with_columns(
        second=groups["second"].cast(pl.Int64, strict=False).fill_null(0),
        microsecond=pl.lit(0, dtype=pl.Int64),
    )
    frame = frame.with_columns(
        ok=(
            valid_date(pl.col("year"), pl.col("month"), pl.col("day"))
            & (pl.col("hour") <= 23)
            & (pl.col("minute") <= 59)
            & (pl.col("second") <= 59)
        ).fill_null(False)
    )
    # Only the certain readings are decided here; dateutil judges the rest.
    ok = pl.select(pl.when(pl.lit(frame["ok"])).then(True).otherwise(None)).to_series()
    return datetime_from(frame), ok


_USUAL = (
    r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z?$"
)


def _decide_usual(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    """``YYYY-MM-DDThh:mm:ss`` (or a space instead of T), optionally ending with Z: every field
    within range, so only impossible dates (and year 0) are invalid. Other texts wait."""
    shape = text.str.contains(_USUAL).fill_null(False)
    plain = text.str.slice(0, 19).str.replace(" ", "T", literal=True)
    typed = plain.str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False, cache=False)
    typed = pl.select(pl.when(pl.lit(typed).dt.year() >= 1).then(pl.lit(typed))).to_series()
    ok = pl.select(pl.when(pl.lit(shape)).then(pl.lit(typed).is_not_null())).to_series()
    return typed, ok


_WITH_OFFSET = (
    r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][+-](?:[01][0-9]|2[0-3]):?[0-5][0-9]$"
)


def _decide_offset(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The same with a ``±hh:mm`` or ``±hhmm`` offset, converted to UTC. Other texts wait."""
    v = pl.col("v")
    frame = (
        text.rename("v")
        .to_frame()
        .with_columns(
            shape=v.str.contains(_WITH_OFFSET).fill_null(False),
            local=v.str.slice(0, 19).str.replace(" ", "T", literal=True),
            hours=v.str.slice(20, 2).cast(pl.Int64, strict=False),
            minutes=v.str.slice(-2).cast(pl.Int64, strict=False),
            west=v.str.slice(19, 1) == "-",
        )
    )
    frame = frame.with_columns(
        local=pl.col("local").str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False, cache=False),
        offset=(pl.col("hours") * 60 + pl.col("minutes")) * pl.when(pl.col("west")).then(-1).otherwise(1),
    )
    utc = pl.col("local") - pl.duration(minutes=pl.col("offset"))
    in_range = utc.is_between(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999999))
    result = frame.select(
        typed=pl.when(in_range).then(utc),
        ok=pl.when(pl.col("shape")).then((pl.col("local").dt.year() >= 1).fill_null(False)),
    )
    return result["typed"], result["ok"]


def _as_is(value: dt.datetime) -> Any:
    return utc_naive(value)


@register
class DatetimeType(FieldType):
    name: ClassVar[str] = "datetime"

    @property
    def dtype(self) -> pl.DataType:
        return pl.Datetime("us")

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        decision = Decision(values, pl.Datetime("us"))
        fmt = normalise_format(self.field.format)
        kind = pl.Datetime("us")
        if fmt == "default":
            # The usual writings first: T or space between date and time, optional Z (UTC).
            decision.run(values.is_not_null(), _decide_usual)
            decision.run(decision.pending(), _decide_offset)
            decision.reject(decision.pending() & ~_iso_guard(values))
            decision.run(decision.pending(), ascii_only(_decide_iso))
            decision.python(decision.pending(), iso_datetime_reader)
        elif fmt == "any":
            decision.run(values.is_not_null(), ascii_only(_decide_any))
            decision.python(decision.pending(), any_reader(_as_is))
        else:
            decision.run(values.is_not_null(), fixed_stage(fmt, kind))
            pattern = compile_pattern(fmt)
            if pattern is not None:

                def decide(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
                    frame = pattern_components(sub, pattern)
                    return datetime_from(frame), frame["ok"]

                decision.run(decision.pending(), ascii_only(decide))
            decision.python(decision.pending(), strptime_reader(fmt, _as_is))
        return decision.result()

    def message_params(self) -> dict[str, str]:
        fmt = normalise_format(self.field.format)
        if fmt == "default":
            return {"expected": "AAAA-MM-JJTHH:MM:SS (avec éventuellement un fuseau : Z ou +01:00)"}
        if fmt == "any":
            return {"expected": "AAAA-MM-JJ HH:MM:SS (ou une autre écriture de date et heure reconnue)"}
        return {"expected": describe_format(fmt)}
