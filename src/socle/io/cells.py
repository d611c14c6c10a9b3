"""Spreadsheet cell values as the text a person sees in the cell.

A SIRET typed as a number is stored as the float ``21350238800019.0``: reading it as ``21350238800019``
is right, reading it as ``2.1350238800019E13`` or ``21350238800019.0`` is not. Dates become ISO 8601
text, which is what Table Schema expects; a date cell displayed as 02/01/2020 is the date 2020-01-02.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

# Floats at or beyond 2**53 are no longer exact integers; 1e16 keeps every 16-digit integer typed in a
# cell (SIRET: 14 digits) and shows larger numbers the way Python prints them (1e+16).
_EXACT_INTEGER_LIMIT = 1e16
_HALF_SECOND = 500_000


def cell_text(value: object) -> str:
    """Text of a cell value returned by python-calamine."""
    if isinstance(value, str):
        return value
    for kind, render in RENDERERS:
        if isinstance(value, kind):
            return render(value)
    return str(value)


def float_text(value: float) -> str:
    """Integral floats without ``.0`` (``2019.0`` → ``2019``), others with Python's shortest repr."""
    if value.is_integer() and abs(value) < _EXACT_INTEGER_LIMIT:
        return str(int(value))
    return repr(value)


def _round_datetime(value: dt.datetime) -> dt.datetime:
    # Spreadsheets store times as fractions of a day: 13:04:05 may come back as 13:04:04.999999.
    rounded = value.replace(microsecond=0)
    if value.microsecond >= _HALF_SECOND and rounded < dt.datetime.max - dt.timedelta(seconds=1):
        rounded += dt.timedelta(seconds=1)
    return rounded


def time_text(value: dt.time) -> str:
    """``HH:MM:SS``, rounded to the nearest second (never past 23:59:59)."""
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    if value.microsecond >= _HALF_SECOND:
        seconds = min(seconds + 1, 24 * 3600 - 1)
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def duration_text(value: dt.timedelta) -> str:
    """A duration cell as Excel's ``[h]:mm:ss`` shows it (hours may exceed 24)."""
    total = round(value.total_seconds())
    sign = "-" if total < 0 else ""
    hours, rest = divmod(abs(total), 3600)
    return f"{sign}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _datetime_text(value: dt.datetime) -> str:
    return _round_datetime(value).isoformat(timespec="seconds")


# Order matters for isinstance tests: bool is an int, datetime is a date.
RENDERERS: tuple[tuple[type[Any], Callable[[Any], str]], ...] = (
    (bool, lambda value: "true" if value else "false"),
    (int, str),
    (float, float_text),
    (dt.datetime, _datetime_text),
    (dt.date, dt.date.isoformat),
    (dt.time, time_text),
    (dt.timedelta, duration_text),
)
