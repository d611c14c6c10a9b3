"""date, time, datetime and duration: hand-written cases, checked against frictionless too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.types.support import INVALID, check, compare, socle_read

D = dt.date


@pytest.mark.parametrize(
    ("fmt", "cell", "expected"),
    [
        ("default", "2024-01-05", D(2024, 1, 5)),
        ("default", "2024-1-5", D(2024, 1, 5)),  # strptime's %m and %d take one digit too
        ("default", "2024-01- 5", D(2024, 1, 5)),
        ("default", "２０２４-01-05", D(2024, 1, 5)),  # Python's \d reads any Unicode digit
        ("default", "0001-01-01", D(1, 1, 1)),
        ("default", "2024-02-29", D(2024, 2, 29)),
        ("default", "2023-02-29", INVALID),
        ("default", "2024-02-30", INVALID),
        ("default", "0000-01-01", INVALID),
        ("default", "2024-01-011", INVALID),
        ("default", " 2024-01-05", INVALID),
        ("default", "05/01/2024", INVALID),
        ("%Y-%m-%d", "2024-12-31", D(2024, 12, 31)),
        ("%d/%m/%Y", "05/01/2024", D(2024, 1, 5)),
        ("%d/%m/%Y", "5/1/2024", D(2024, 1, 5)),
        ("%d/%m/%Y", "2024-01-05", INVALID),
        ("fmt:%d/%m/%Y", "05/01/2024", D(2024, 1, 5)),
        ("%Y", "2024", D(2024, 1, 1)),
        ("%Y", "24", INVALID),
        ("%d/%m/%y", "31/12/68", D(2068, 12, 31)),
        ("%d/%m/%y", "31/12/69", D(1969, 12, 31)),
        ("%d %m %Y", "05  01 2024", D(2024, 1, 5)),  # a space of the format reads any run of spaces
        ("%Y%m%d", "20240105", D(2024, 1, 5)),
        ("%B %Y", "January 2024", D(2024, 1, 1)),
        ("%Y-%m-%dT%H:%M:%S", "2024-01-05T23:59:59", D(2024, 1, 5)),
        ("any", "2024-01-05", D(2024, 1, 5)),
        ("any", "05/01/2024", D(2024, 5, 1)),  # dateutil reads month first
        ("any", "5 janvier 2024", INVALID),
    ],
)
def test_date(fmt: str, cell: str, expected: Any) -> None:
    check({"type": "date", "format": fmt}, cell, expected)


T = dt.time


@pytest.mark.parametrize(
    ("fmt", "cell", "expected"),
    [
        ("default", "10:30:00", T(10, 30)),
        ("default", "10:30:00.5", T(10, 30, 0, 500000)),
        ("default", "10:30:00,1234567", T(10, 30, 0, 123456)),
        ("default", "10:30:00Z", T(10, 30)),
        ("default", "10:30:00+01:00", T(10, 30)),  # the offset is checked, then dropped
        ("default", "24:00:00", T(0, 0)),
        ("default", "10+01:00", T(10, 0)),  # hh then an offset: ":" at index 5, 8 characters
        ("default", "10:30", INVALID),
        ("default", "24:00:01", INVALID),
        ("default", "23:59:60", INVALID),
        ("default", "10:30:00+24:00", INVALID),
        ("default", "10:30:00 ", INVALID),
        ("%H:%M", "9:05", T(9, 5)),
        ("%Hh%M", "10h30", T(10, 30)),
        ("%H:%M", "10:30:00", INVALID),
        ("any", "10:30", T(10, 30)),
        ("any", "25:00", INVALID),
    ],
)
def test_time(fmt: str, cell: str, expected: Any) -> None:
    check({"type": "time", "format": fmt}, cell, expected)


DT = dt.datetime


@pytest.mark.parametrize(
    ("fmt", "cell", "expected"),
    [
        ("default", "2024-01-05T10:30:00", DT(2024, 1, 5, 10, 30)),
        ("default", "2024-01-05 10:30:00", DT(2024, 1, 5, 10, 30)),
        ("default", "2024-01-05x10:30:00", DT(2024, 1, 5, 10, 30)),  # isoparse takes any separator
        ("default", "2024-01-05T10:30:00Z", DT(2024, 1, 5, 10, 30)),
        ("default", "2024-01-05T10:30:00+02:00", DT(2024, 1, 5, 8, 30)),  # normalised to UTC
        ("default", "2024-01-05T10:30:00-0530", DT(2024, 1, 5, 16, 0)),
        ("default", "2024-01-05T10:30:00.25", DT(2024, 1, 5, 10, 30, 0, 250000)),
        ("default", "2024-01-05T24:00:00", DT(2024, 1, 6)),
        ("default", "2024-W01-1T10:00:00", DT(2024, 1, 1, 10)),
        ("default", "2024-01-05T10:30", INVALID),  # frictionless wants ":" at index 16
        ("default", "9999-12-31T24:00:00", INVALID),
        ("default", "2024-02-30T10:30:00", INVALID),
        ("default", "2024-01-05T10:30:60", INVALID),
        ("default", "0000-01-01T00:00:00", INVALID),
        ("%d/%m/%Y %H:%M", "05/01/2024 10:30", DT(2024, 1, 5, 10, 30)),
        ("%Y-%m-%dT%H:%M:%S%z", "2024-01-05T10:30:00+0100", DT(2024, 1, 5, 9, 30)),
        ("any", "2024-01-05 10:30", DT(2024, 1, 5, 10, 30)),
    ],
)
def test_datetime(fmt: str, cell: str, expected: Any) -> None:
    check({"type": "datetime", "format": fmt}, cell, expected)


def test_datetime_offset_leaving_python_range_is_valid_without_typed_value() -> None:
    assert socle_read({"type": "datetime"}, ["0001-01-01T00:00:00+01:00"]) == [(True, None)]
    compare({"type": "datetime"}, ["0001-01-01T00:00:00+01:00"])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("P1Y", "P12M0DT0.000000S"),
        ("P1Y2M3DT4H5M6S", "P14M3DT14706.000000S"),
        ("PT1H", "P0M0DT3600.000000S"),
        ("PT60M", "P0M0DT3600.000000S"),  # equal durations, equal typed values
        ("P1,5D", "P0M1DT43200.000000S"),
        ("-P1D", "P0M-1DT0.000000S"),
        ("PT", "P0M0DT0.000000S"),
        ("PT1H\n", "P0M0DT3600.000000S"),
        ("P0001-02-03T04:05:06", "P14M3DT14706.000000S"),
        ("P", INVALID),
        ("P1H", INVALID),
        ("pt1h", INVALID),
        ("1Y", INVALID),
        ("P999999999999D", INVALID),  # beyond timedelta
    ],
)
def test_duration(cell: str, expected: Any) -> None:
    check({"type": "duration"}, cell, expected)
