"""Reading dates and times as frictionless does, vectorised where the rules allow it.

Three families of formats:

- a ``strptime`` pattern (``%d/%m/%Y``…, ``fmt:`` prefix removed as frictionless does): Python's
  ``datetime.strptime`` rules. Patterns made of ``%Y %y %m %d %H %M %S %f %%``, spaces and other
  literal text are translated into one regular expression with the same alternatives in the same
  order as Python's (polars' regex engine picks the same leftmost-first match as Python's ``re``),
  then the whole text must have been consumed and the date must exist. Other directives (month
  names, ``%j``, ``%z``…) are read by ``datetime.strptime`` itself, on distinct values.
- ``default``: ISO 8601 as ``dateutil.parser.isoparse`` reads it (datetime and time), after
  frictionless' own length checks; ``%Y-%m-%d`` for dates.
- ``any``: ``dateutil.parser.parse``, on distinct values, except for the plain ISO shapes whose
  reading is certain.

Non-ASCII text always goes to the Python rule (Python's ``\\d`` reads any Unicode digit).
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from socle.validation.types._common import ASCII_PY_SPACE, Valid, escape_regex, nulls, safe_date, valid_date

# --- strptime patterns ---------------------------------------------------------------------------

_DIRECTIVES = {
    # Python 3.12 _strptime alternatives, with \d narrowed to ASCII digits (non-ASCII text is read
    # by Python itself).
    "d": "3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9]",
    "f": "[0-9]{1,6}",
    "H": "2[0-3]|[01][0-9]|[0-9]",
    "m": "1[0-2]|0[1-9]|[1-9]",
    "M": "[0-5][0-9]|[0-9]",
    "S": "6[01]|[0-5][0-9]|[0-9]",
    "y": "[0-9]{2}",
    "Y": "[0-9]{4}",
}
_GROUP = {
    "d": "day",
    "f": "fraction",
    "H": "hour",
    "m": "month",
    "M": "minute",
    "S": "second",
    "y": "year2",
    "Y": "year",
}


def normalise_format(fmt: str) -> str:
    """frictionless removes every ``fmt:`` from a format that starts with it (legacy notation)."""
    return fmt.replace("fmt:", "") if fmt.startswith("fmt:") else fmt


@dataclass(frozen=True)
class Pattern:
    """A strptime format translated into a polars regular expression."""

    fmt: str
    regex: str
    directives: frozenset[str]


def compile_pattern(fmt: str) -> Pattern | None:
    """Translate ``fmt``; None when Python itself must read it (other directives, odd syntax)."""
    parts: list[str] = []
    seen: set[str] = set()
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%":
            if i + 1 >= len(fmt):
                return None
            code = fmt[i + 1]
            if code == "%":
                parts.append("%")
            elif code in _DIRECTIVES and code not in seen:
                seen.add(code)
                parts.append(f"(?P<{_GROUP[code]}>{_DIRECTIVES[code]})")
            else:
                return None
            i += 2
        elif ch.isspace():
            # Python turns a run of whitespace of the format into \s+.
            while i < len(fmt) and fmt[i].isspace():
                i += 1
            parts.append(f"{ASCII_PY_SPACE}+")
        else:
            parts.append(escape_regex(ch))
            i += 1
    if {"y", "Y"} <= seen:
        return None
    return Pattern(fmt, "^(?i)(?P<all>" + "".join(parts) + ")", frozenset(seen))


_FIXED = {
    "Y": "[0-9]{4}",
    "m": "(?:0[1-9]|1[0-2])",
    "d": "(?:0[1-9]|[12][0-9]|3[01])",
    "H": "(?:[01][0-9]|2[0-3])",
    "M": "[0-5][0-9]",
    "S": "[0-5][0-9]",
}
"""Two- and four-digit fields within Python's ranges: in a text of exactly this shape, Python takes
every field at full width, so it reads what a fixed-width parser (polars' own) reads."""


def fixed_shape(fmt: str) -> tuple[str, frozenset[str]] | None:
    """``(regex, directives)`` of the fixed-width texts of ``fmt``, or None when it has others."""
    parts: list[str] = []
    seen: set[str] = set()
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%":
            code = fmt[i + 1] if i + 1 < len(fmt) else ""
            if code not in _FIXED or code in seen:
                return None
            seen.add(code)
            parts.append(_FIXED[code])
            i += 2
            continue
        if not ch.isascii() or (ch.isspace() and ch != " "):
            return None
        # Literal text must appear exactly (Python would also accept other cases and spaces:
        # those texts are left to the general rule).
        parts.append(escape_regex(ch))
        i += 1
    return "^" + "".join(parts) + "$", frozenset(seen)


def fixed_width(values: pl.Series, fmt: str, dtype: pl.DataType) -> tuple[pl.Series, pl.Series] | None:
    """``(typed, decided)`` for the texts of exactly the fixed-width shape of ``fmt`` (all valid but
    impossible dates); None when ``fmt`` has no such fast reading for ``dtype``."""
    found = fixed_shape(fmt)
    if found is None:
        return None
    regex, seen = found
    if isinstance(dtype, pl.Date) and seen == {"Y"}:
        shape = values.str.contains(regex).fill_null(False)
        start = fmt.index("%Y")
        year = values.str.slice(start, 4).cast(pl.Int64, strict=False)
        typed = pl.select(safe_date(pl.lit(year), pl.lit(1), pl.lit(1), pl.lit(year) >= 1)).to_series()
        return typed, shape
    usable = (
        (isinstance(dtype, pl.Date) and seen == {"Y", "m", "d"})
        or (isinstance(dtype, pl.Datetime) and {"Y", "m", "d", "H", "M"} <= seen)
        or (isinstance(dtype, pl.Time) and {"H", "M"} <= seen <= {"H", "M", "S"})
    )
    if not usable:
        return None
    if isinstance(dtype, pl.Time):
        shape = values.str.contains(regex).fill_null(False)
        # polars reads datetimes much faster than times: read the time on a fixed day.
        on_a_day = (pl.lit("2000-01-01 ") + pl.lit(values)).str.strptime(
            pl.Datetime("us"), "%Y-%m-%d " + fmt, strict=False, cache=False
        )
        return pl.select(on_a_day.dt.time()).to_series(), shape
    cell = pl.lit(values)
    read = cell.str.strptime(dtype, fmt, strict=False, cache=False)  # type: ignore[arg-type]
    # One query for both (a Series operation costs a query, which dominates on a few rows).
    shape, typed = pl.select(
        cell.str.contains(regex).fill_null(False).alias("shape"),
        pl.when(read.dt.year() >= 1).then(read).alias("typed"),  # polars reads year 0; Python does not.
    ).get_columns()
    return typed.alias(values.name), shape.alias(values.name)


def _int(part: pl.Expr) -> pl.Expr:
    return part.str.strip_chars(" ").cast(pl.Int64, strict=False)


def pattern_components(text: pl.Series, pattern: Pattern) -> pl.DataFrame:
    """Columns year, month, day, hour, minute, second, microsecond and ``ok`` for ASCII text."""
    groups = text.str.extract_groups(pattern.regex).struct.unnest()
    found = set(groups.columns)

    def number(name: str, default: int) -> pl.Expr:
        return _int(pl.col(name)) if name in found else pl.lit(default, dtype=pl.Int64)

    if "year" in found:
        year = number("year", 1900)
    elif "year2" in found:
        short = number("year2", 0)
        year = pl.when(short <= 68).then(short + 2000).otherwise(short + 1900)
    else:
        year = pl.lit(1900, dtype=pl.Int64)
    micro = (
        pl.col("fraction").str.pad_end(6, "0").cast(pl.Int64, strict=False)
        if "fraction" in found
        else pl.lit(0, dtype=pl.Int64)
    )
    # One query for every component (a Series operation costs a query, which dominates on a few rows);
    # "all", the whole match, is always there, so literal components take the column's length.
    return (
        groups.lazy()
        .select(
            year.alias("year"),
            number("month", 1).alias("month"),
            number("day", 1).alias("day"),
            number("hour", 0).alias("hour"),
            number("minute", 0).alias("minute"),
            number("second", 0).alias("second"),
            micro.alias("microsecond"),
            (pl.col("all").str.len_bytes() == pl.lit(text).str.len_bytes()).fill_null(False).alias("whole"),
        )
        .with_columns(
            ok=pl.col("whole")
            & valid_date(pl.col("year"), pl.col("month"), pl.col("day"))
            # %S reads 60 and 61, which datetime refuses.
            & (pl.col("second") <= 59)
        )
        .collect()
    )


def strptime_reader(fmt: str, convert: Callable[[dt.datetime], Any]) -> Callable[[str], Any]:
    """Python rule: ``convert(datetime.strptime(text, fmt))`` or None."""

    def read(text: str) -> Any:
        try:
            parsed = dt.datetime.strptime(text, fmt)
        except Exception:  # frictionless treats any failure as a type error
            return None
        return convert(parsed)

    return read


# --- ISO 8601 (dateutil's isoparse) ------------------------------------------------------------------

ISO_TIME = (
    r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})(?:[.,](?P<fraction>[0-9]+))?"
    r"(?P<tz>[Zz]|(?P<sign>[+-])(?P<tzh>[0-9]{2})(?::?(?P<tzm>[0-9]{2}))?)?"
)
"""``hh:mm:ss[.f][tz]``: the common shape; other ISO shapes are read by dateutil itself."""


def iso_time_components(groups: pl.DataFrame) -> pl.DataFrame:
    """hour (24 kept), minute, second, microsecond, offset_minutes and ``time_ok`` from ISO_TIME groups."""
    frac = groups["fraction"]
    micro = frac.str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64, strict=False).fill_null(0)
    frame = pl.DataFrame(
        {
            "hour": groups["hour"].cast(pl.Int64, strict=False),
            "minute": groups["minute"].cast(pl.Int64, strict=False),
            "second": groups["second"].cast(pl.Int64, strict=False),
            "microsecond": micro,
            "has_tz": groups["tz"].is_not_null(),
            "sign": groups["sign"],
            "tzh": groups["tzh"].cast(pl.Int64, strict=False).fill_null(0),
            "tzm": groups["tzm"].cast(pl.Int64, strict=False).fill_null(0),
        }
    )
    midnight_24 = (
        (pl.col("hour") == 24)
        & (pl.col("minute") == 0)
        & (pl.col("second") == 0)
        & (pl.col("microsecond") == 0)
    )
    return frame.with_columns(
        time_ok=((pl.col("hour") <= 23) | midnight_24)
        & (pl.col("minute") <= 59)
        & (pl.col("second") <= 59)
        & (pl.col("tzh") <= 23)
        & (pl.col("tzm") <= 59),
        offset_minutes=pl.when(pl.col("sign") == "-")
        .then(-(pl.col("tzh") * 60 + pl.col("tzm")))
        .otherwise(pl.col("tzh") * 60 + pl.col("tzm")),
    )


def _dateutil() -> Any:
    """``dateutil.parser``, imported on first use (only rare shapes need it)."""
    import dateutil.parser  # type: ignore[import-untyped]

    return dateutil.parser


def utc_naive(value: dt.datetime) -> Any:
    """Aware datetimes become naive UTC; naive ones stay as they are."""
    try:
        offset = value.utcoffset()
        if offset is None:
            return value
        return value.replace(tzinfo=None) - offset
    except (OverflowError, ValueError):
        # An offset of 24 hours or more (dateutil builds one) or a date leaving years 1-9999:
        # valid for frictionless, without a typed value here.
        return Valid(None)


def iso_datetime_reader(text: str) -> Any:
    """frictionless' ``datetime`` default: a ``:`` at index 16, 19 characters or more, then isoparse."""
    if len(text) < 19 or text[16] != ":":
        return None
    try:
        parsed = _dateutil().isoparse(text)
    except Exception:  # frictionless treats any failure as a type error
        return None
    return utc_naive(parsed)


def iso_time_reader(text: str) -> Any:
    """frictionless' ``time`` default: a ``:`` at index 5, 8 characters or more, then isoparse."""
    if len(text) < 8 or text[5] != ":":
        return None
    try:
        parsed = _dateutil().isoparse(f"2000-01-01T{text}")
    except Exception:  # frictionless treats any failure as a type error
        return None
    return parsed.time()


def any_reader(convert: Callable[[dt.datetime], Any]) -> Callable[[str], Any]:
    """``dateutil.parser.parse``, as frictionless' ``any`` format."""

    def read(text: str) -> Any:
        try:
            with warnings.catch_warnings():
                # dateutil warns about time zone names it does not know; the value is judged anyway.
                warnings.simplefilter("ignore")
                parsed = _dateutil().parse(text)
        except Exception:  # frictionless treats any failure as a type error
            return None
        return convert(parsed)

    return read


def date_from(frame: pl.DataFrame) -> pl.Series:
    ok = pl.col("ok")
    return frame.select(safe_date(pl.col("year"), pl.col("month"), pl.col("day"), ok)).to_series()


def datetime_from(frame: pl.DataFrame) -> pl.Series:
    ok = pl.col("ok")
    day = safe_date(pl.col("year"), pl.col("month"), pl.col("day"), ok)
    clock = pl.duration(
        hours=pl.col("hour"),
        minutes=pl.col("minute"),
        seconds=pl.col("second"),
        microseconds=pl.col("microsecond"),
    )
    return frame.select((day.cast(pl.Datetime("us")) + clock).alias("v")).to_series()


def time_from(frame: pl.DataFrame) -> pl.Series:
    ok = pl.col("ok")
    safe = {c: pl.when(ok).then(pl.col(c)).otherwise(0) for c in ("hour", "minute", "second", "microsecond")}
    built = pl.time(safe["hour"], safe["minute"], safe["second"], safe["microsecond"])
    return frame.select(pl.when(ok).then(built).otherwise(None).alias("v")).to_series()


# --- messages -----------------------------------------------------------------------------------------

_FRENCH_DIRECTIVES = {
    "Y": "AAAA",
    "y": "AA",
    "m": "MM",
    "d": "JJ",
    "H": "HH",
    "I": "HH",
    "M": "MM",
    "S": "SS",
    "f": "ffffff",
    "z": "±HHMM",
    "Z": "fuseau",
    "j": "JJJ",
    "b": "mois abrégé",
    "B": "mois",
    "a": "jour abrégé",
    "A": "jour",
    "p": "AM/PM",
    "%": "%",
}


def describe_format(fmt: str) -> str:
    """A strptime pattern in French notation: ``%d/%m/%Y`` → ``JJ/MM/AAAA``."""
    out: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            code = fmt[i + 1]
            out.append(_FRENCH_DIRECTIVES.get(code, f"%{code}"))
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


def fixed_stage(fmt: str, dtype: pl.DataType) -> Callable[[pl.Series], tuple[pl.Series, pl.Series]]:
    """A :meth:`Decision.run` stage deciding the fixed-width texts of ``fmt``; other texts wait."""

    def decide(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
        found = fixed_width(sub, fmt, dtype)
        if found is None:
            return nulls(sub.len(), dtype), nulls(sub.len(), pl.Boolean)
        typed, shape = found
        ok = pl.select(pl.when(pl.lit(shape)).then(pl.lit(typed).is_not_null())).to_series()
        return typed, ok

    return decide
