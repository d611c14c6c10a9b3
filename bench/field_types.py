"""Time each field type's parse on 1M cells (~1 % invalid, 2 % missing), and frictionless'
``read_cell`` on a sample of the same cells, scaled to the same count. Not a test: run it by hand.

    .venv/bin/python bench/field_types.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from frictionless import Field as FrictionlessField

from socle.validation.types import field_type

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers build the fields
from tests.types.support import field_from

Make = Callable[[random.Random], str]
FRENCH_TRUE = ["true", "True", "TRUE", "1", "vrai", "Vrai", "VRAI", "oui", "Oui", "OUI"]
FRENCH_FALSE = ["false", "False", "FALSE", "0", "faux", "Faux", "FAUX", "non", "Non", "NON"]


def _day(rng: random.Random) -> dt.date:
    return dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))


def _clock(rng: random.Random) -> str:
    return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def _lon(rng: random.Random) -> float:
    return rng.uniform(-5, 9)


def _lat(rng: random.Random) -> float:
    return rng.uniform(41, 51)


CASES: list[tuple[str, dict[str, Any], Make, str]] = [
    ("string", {}, lambda r: f"texte {r.randrange(10**6)}", "x"),
    ("string/email", {"format": "email"}, lambda r: f"agent{r.randrange(10**6)}@mairie-x.fr", "a@b"),
    ("string/uri", {"format": "uri"}, lambda r: f"https://data.gouv.fr/{r.randrange(10**6)}", "x"),
    ("string/uuid", {"format": "uuid"}, lambda r: str(uuid.UUID(int=r.getrandbits(128))), "x"),
    ("string/binary", {"format": "binary"}, lambda r: "aGVsbG8gd29ybGQ=", "abc"),
    ("integer", {"type": "integer"}, lambda r: str(r.randrange(-(10**6), 10**6)), "1.5"),
    ("number", {"type": "number"}, lambda r: f"{r.uniform(-1e4, 1e4):.2f}", "1,5"),
    (
        "number 1 000,5",
        {"type": "number", "decimalChar": ",", "groupChar": " "},
        lambda r: f"{r.randrange(999)},25",
        "1.5",
    ),
    (
        "boolean (fr)",
        {"type": "boolean", "trueValues": FRENCH_TRUE, "falseValues": FRENCH_FALSE},
        lambda r: r.choice(("oui", "non", "true", "false")),
        "peut-être",
    ),
    ("date", {"type": "date"}, lambda r: _day(r).isoformat(), "32/01/2024"),
    (
        "date %d/%m/%Y",
        {"type": "date", "format": "%d/%m/%Y"},
        lambda r: _day(r).strftime("%d/%m/%Y"),
        "2024-01-01",
    ),
    ("date %Y", {"type": "date", "format": "%Y"}, lambda r: str(r.randrange(1950, 2030)), "24"),
    ("datetime", {"type": "datetime"}, lambda r: f"{_day(r).isoformat()}T{_clock(r)}Z", "2024-01-01"),
    (
        "datetime +01:00",
        {"type": "datetime"},
        lambda r: f"{_day(r).isoformat()}T{_clock(r)}+01:00",
        "2024-01-01",
    ),
    ("time", {"type": "time"}, _clock, "25:00:00"),
    ("year", {"type": "year"}, lambda r: str(r.randrange(1950, 2030)), "24"),
    (
        "yearmonth",
        {"type": "yearmonth"},
        lambda r: f"{r.randrange(1950, 2030)}-{r.randrange(1, 13):02d}",
        "2024-13",
    ),
    ("duration", {"type": "duration"}, lambda r: f"P{r.randrange(30)}DT{r.randrange(24)}H", "3 jours"),
    ("geopoint", {"type": "geopoint"}, lambda r: f"{_lon(r):.5f}, {_lat(r):.5f}", "2.3"),
    (
        "geopoint array",
        {"type": "geopoint", "format": "array"},
        lambda r: f"[{_lon(r):.5f}, {_lat(r):.5f}]",
        "[2.3]",
    ),
    (
        "geojson Point",
        {"type": "geojson"},
        lambda r: f'{{"type": "Point", "coordinates": [{_lon(r):.5f}, {_lat(r):.5f}]}}',
        "{}",
    ),
    ("object", {"type": "object"}, lambda r: f'{{"n": {r.randrange(1000)}}}', "[]"),
    (
        "array + arrayItem",
        {"type": "array", "arrayItem": {"type": "string", "constraints": {"enum": ["a", "b", "c"]}}},
        lambda r: '["a", "b"]' if r.random() < 0.5 else '["c"]',
        "a",
    ),
    ("any", {"type": "any"}, lambda r: str(r.randrange(1000)), "x"),
]

SAMPLE = 20_000


def cells(rows: int, make: Make, bad: str) -> list[str | None]:
    rng = random.Random(1)
    return [bad if i % 100 == 7 else None if i % 50 == 3 else make(rng) for i in range(rows)]


def frictionless_seconds(descriptor: dict[str, Any], column: list[str | None]) -> float:
    reader = FrictionlessField.from_descriptor({"name": "f", **descriptor}).create_cell_reader()
    sample = column[:SAMPLE]
    started = time.perf_counter()
    for cell in sample:
        reader(cell)
    return (time.perf_counter() - started) * len(column) / len(sample)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"{'type':18} {'Socle':>10} {'frictionless':>13} {'ratio':>7}")
    for label, descriptor, make, bad in CASES:
        column = cells(rows, make, bad)
        values = pl.Series("v", column, dtype=pl.String)
        ftype = field_type(field_from(descriptor))
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            ftype.parse(values)
            best = min(best, time.perf_counter() - started)
        reference = frictionless_seconds(descriptor, column)
        print(f"{label:18} {best * 1000:7.1f} ms {reference:11.1f} s {reference / best:6.0f}×")


if __name__ == "__main__":
    main()
