"""Time each field type's parse on 1M cells (~1 % invalid). Not a test: run it by hand.

.venv/bin/python tests/types/measure.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid

import polars as pl

from socle.schemas.model import Field
from socle.validation.types import field_type

FRENCH_BOOLEANS = ("true", "True", "TRUE", "1", "vrai", "Vrai", "VRAI", "oui", "Oui", "OUI")
FRENCH_FALSE = ("false", "False", "FALSE", "0", "faux", "Faux", "FAUX", "non", "Non", "NON")


def _cells(rows: int, make: object, bad: str) -> list[str | None]:
    rng = random.Random(1)
    out: list[str | None] = []
    for i in range(rows):
        if i % 100 == 7:
            out.append(bad)
        elif i % 50 == 3:
            out.append(None)
        else:
            out.append(make(rng))  # type: ignore[operator]
    return out


def _day(rng: random.Random) -> dt.date:
    return dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))


CASES: list[tuple[str, Field, object, str]] = [
    ("string", Field("f"), lambda r: f"texte {r.randrange(10**6)}", "x"),
    ("string/email", Field("f", format="email"), lambda r: f"agent{r.randrange(10**6)}@mairie-x.fr", "a@b"),
    ("string/uri", Field("f", format="uri"), lambda r: f"https://data.gouv.fr/{r.randrange(10**6)}", "x"),
    ("string/uuid", Field("f", format="uuid"), lambda r: str(uuid.UUID(int=r.getrandbits(128))), "x"),
    ("string/binary", Field("f", format="binary"), lambda r: "aGVsbG8gd29ybGQ=", "abc"),
    ("integer", Field("f", type="integer"), lambda r: str(r.randrange(-(10**6), 10**6)), "1.5"),
    ("number", Field("f", type="number"), lambda r: f"{r.uniform(-1e4, 1e4):.2f}", "1,5"),
    (
        "number ,",
        Field("f", type="number", decimal_char=",", group_char=" "),
        lambda r: f"{r.randrange(10**6)},25",
        "1.5",
    ),
    (
        "boolean fr",
        Field("f", type="boolean", true_values=FRENCH_BOOLEANS, false_values=FRENCH_FALSE),
        lambda r: r.choice(("oui", "non", "true", "false")),
        "peut-être",
    ),
    ("date", Field("f", type="date"), lambda r: _day(r).isoformat(), "32/01/2024"),
    (
        "date %d/%m/%Y",
        Field("f", type="date", format="%d/%m/%Y"),
        lambda r: _day(r).strftime("%d/%m/%Y"),
        "2024-01-01",
    ),
    ("date %Y", Field("f", type="date", format="%Y"), lambda r: str(r.randrange(1950, 2030)), "24"),
    (
        "datetime",
        Field("f", type="datetime"),
        lambda r: f"{_day(r).isoformat()}T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z",
        "2024-01-01",
    ),
    (
        "time",
        Field("f", type="time"),
        lambda r: f"{r.randrange(24):02d}:{r.randrange(60):02d}:00",
        "25:00:00",
    ),
    ("year", Field("f", type="year"), lambda r: str(r.randrange(1950, 2030)), "24"),
    (
        "yearmonth",
        Field("f", type="yearmonth"),
        lambda r: f"{r.randrange(1950, 2030)}-{r.randrange(1, 13):02d}",
        "2024-13",
    ),
    ("duration", Field("f", type="duration"), lambda r: f"P{r.randrange(30)}DT{r.randrange(24)}H", "3 jours"),
    (
        "geopoint",
        Field("f", type="geopoint"),
        lambda r: f"{r.uniform(-5, 9):.5f}, {r.uniform(41, 51):.5f}",
        "2.3",
    ),
    (
        "geopoint array",
        Field("f", type="geopoint", format="array"),
        lambda r: f"[{r.uniform(-5, 9):.5f}, {r.uniform(41, 51):.5f}]",
        "[2.3]",
    ),
    (
        "geojson",
        Field("f", type="geojson"),
        lambda r: f'{{"type": "Point", "coordinates": [{r.uniform(-5, 9):.5f}, {r.uniform(41, 51):.5f}]}}',
        "{}",
    ),
    ("object", Field("f", type="object"), lambda r: f'{{"n": {r.randrange(1000)}}}', "[]"),
    (
        "array arrayItem",
        Field("f", type="array", array_item={"type": "string", "constraints": {"enum": ["a", "b", "c"]}}),
        lambda r: '["a", "b"]' if r.random() < 0.5 else '["c"]',
        "a",
    ),
    ("any", Field("f", type="any"), lambda r: str(r.randrange(1000)), "x"),
]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    for label, field, make, bad in CASES:
        values = pl.Series("v", _cells(rows, make, bad), dtype=pl.String)
        ftype = field_type(field)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            _, ok = ftype.parse(values)
            best = min(best, time.perf_counter() - started)
        invalid = ok.len() - ok.sum()
        print(f"{label:18} {best * 1000:8.1f} ms  invalid={invalid}")


if __name__ == "__main__":
    main()
