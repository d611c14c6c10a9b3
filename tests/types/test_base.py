"""The type registry, typed dtypes, missing values, messages and schema constants."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import polars as pl
import pytest

from socle.schemas.model import FIELD_TYPES, Field
from socle.validation import catalogue
from socle.validation.types import field_type, load_registry
from socle.validation.types._common import PY_WHITESPACE
from tests.types.support import field_from, socle_read

SAMPLES: dict[str, tuple[dict[str, Any], str]] = {
    "string": ({"type": "string"}, "texte"),
    "integer": ({"type": "integer"}, "12"),
    "number": ({"type": "number"}, "1.5"),
    "boolean": ({"type": "boolean"}, "true"),
    "date": ({"type": "date"}, "2024-01-05"),
    "time": ({"type": "time"}, "10:30:00"),
    "datetime": ({"type": "datetime"}, "2024-01-05T10:30:00Z"),
    "year": ({"type": "year"}, "2024"),
    "yearmonth": ({"type": "yearmonth"}, "2024-03"),
    "duration": ({"type": "duration"}, "PT1H"),
    "geopoint": ({"type": "geopoint"}, "2.35,48.85"),
    "geojson": ({"type": "geojson"}, '{"type": "Point", "coordinates": [1, 2]}'),
    "object": ({"type": "object"}, '{"a": 1}'),
    "array": ({"type": "array"}, "[1]"),
    "any": ({"type": "any"}, "x"),
}

DTYPES = {
    "string": pl.String,
    "integer": pl.Int64,
    "number": pl.Float64,
    "boolean": pl.Boolean,
    "date": pl.Date,
    "time": pl.Time,
    "datetime": pl.Datetime("us"),
    "year": pl.Int64,
    "yearmonth": pl.String,
    "duration": pl.String,
    "geopoint": pl.Struct({"lon": pl.Float64, "lat": pl.Float64}),
    "geojson": pl.String,
    "object": pl.String,
    "array": pl.String,
    "any": pl.String,
}


def test_every_table_schema_type_is_registered() -> None:
    assert set(load_registry()) == FIELD_TYPES == set(SAMPLES)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_typed_dtype_and_missing_values(kind: str) -> None:
    descriptor, good = SAMPLES[kind]
    ftype = field_type(field_from(descriptor))
    values = pl.Series("v", [good, None, "\x00pas une valeur\x00", good], dtype=pl.String)
    typed, ok = ftype.parse(values)
    assert typed.dtype == ftype.dtype == DTYPES[kind]
    assert typed.len() == ok.len() == 4
    expected_ok = [True, True, kind in ("string", "any"), True]
    assert ok.to_list() == expected_ok
    assert typed[1] is None
    assert typed[0] is not None and typed[0] == typed[3]
    if not expected_ok[2]:
        assert typed[2] is None


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_empty_and_all_missing_columns(kind: str) -> None:
    descriptor, _ = SAMPLES[kind]
    ftype = field_type(field_from(descriptor))
    for values in (pl.Series("v", [], dtype=pl.String), pl.Series("v", [None, None], dtype=pl.String)):
        typed, ok = ftype.parse(values)
        assert typed.len() == values.len() and ok.all()


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_type_error_message_has_its_parameters(kind: str) -> None:
    descriptor, _ = SAMPLES[kind]
    ftype = field_type(field_from(descriptor))
    text = catalogue.text("type-error", ftype.detail(), value="x", field="f", **ftype.message_params())
    assert "{" not in text.replace('{"', "")  # every placeholder filled


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        ({"type": "date"}, "AAAA-MM-JJ"),
        ({"type": "date", "format": "%d/%m/%Y"}, "JJ/MM/AAAA"),
        ({"type": "date", "format": "fmt:%d/%m/%y"}, "JJ/MM/AA"),
        ({"type": "datetime", "format": "%d/%m/%Y %H:%M"}, "JJ/MM/AAAA HH:MM"),
        ({"type": "time"}, "HH:MM:SS"),
    ],
)
def test_expected_format_in_french(descriptor: dict[str, Any], expected: str) -> None:
    assert field_type(field_from(descriptor)).message_params()["expected"] == expected


def test_boolean_message_lists_accepted_values() -> None:
    ftype = field_type(Field("f", type="boolean", true_values=("oui",), false_values=("non",)))
    assert ftype.message_params()["expected"] == "« oui », « non »"


@pytest.mark.parametrize(
    ("fmt", "detail"),
    [
        ("default", "string"),
        ("email", "string/email"),
        ("uri", "string/uri"),
        ("uuid", "string/uuid"),
        ("binary", "string/binary"),
    ],
)
def test_string_details(fmt: str, detail: str) -> None:
    ftype = field_type(Field("f", format=fmt))
    assert ftype.detail() == detail
    assert catalogue.entry("type-error", detail).detail == detail


@pytest.mark.parametrize(
    ("descriptor", "constant", "expected"),
    [
        ({"type": "integer"}, 3, 3),
        ({"type": "integer"}, 3.0, 3),
        ({"type": "integer"}, "+3", 3),
        ({"type": "number"}, 0, 0.0),
        ({"type": "number"}, "1.5", 1.5),
        ({"type": "number", "decimalChar": ","}, "1,5", 1.5),
        ({"type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]}, True, True),
        ({"type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]}, "non", False),
        ({"type": "date"}, "2024-01-05", dt.date(2024, 1, 5)),
        ({"type": "date", "format": "%d/%m/%Y"}, "05/01/2024", dt.date(2024, 1, 5)),
        ({"type": "datetime"}, "2024-01-05T10:00:00+01:00", dt.datetime(2024, 1, 5, 9)),
        ({"type": "time"}, "10:30:00", dt.time(10, 30)),
        ({"type": "year"}, 2024, 2024),
        ({"type": "yearmonth"}, "2024-3", "2024-03"),
        ({"type": "yearmonth"}, [2024, 3], "2024-03"),
        ({"type": "duration"}, "PT60M", "P0M0DT3600.000000S"),
        ({"type": "geopoint"}, [2.35, 48.85], {"lon": 2.35, "lat": 48.85}),
        ({"type": "object"}, {"b": 1, "a": 2}, '{"a":2,"b":1}'),
        ({"type": "array"}, [1, "a"], '[1,"a"]'),
        ({"type": "string"}, "texte", "texte"),
        ({"type": "any"}, "x", "x"),
    ],
)
def test_constants(descriptor: dict[str, Any], constant: Any, expected: Any) -> None:
    assert field_type(field_from(descriptor)).constant(constant) == expected


@pytest.mark.parametrize(
    ("descriptor", "constant"),
    [
        ({"type": "integer"}, 3.5),
        ({"type": "integer"}, True),
        ({"type": "number"}, False),
        ({"type": "number"}, "1,5"),
        ({"type": "boolean"}, "oui"),
        ({"type": "date"}, "05/01/2024"),
        ({"type": "year"}, 10000),
        ({"type": "yearmonth"}, "2024-13"),
        ({"type": "string", "format": "email"}, "pas un courriel"),
        ({"type": "any"}, 3),
    ],
)
def test_constants_that_do_not_fit(descriptor: dict[str, Any], constant: Any) -> None:
    with pytest.raises(ValueError):
        field_type(field_from(descriptor)).constant(constant)


@pytest.mark.parametrize(
    ("descriptor", "cells"),
    [
        ({"type": "integer"}, ["١٢", "12", " 12 ", "x"]),
        ({"type": "number", "decimalChar": ","}, ["1,5", "١,٥", "1.5", "1e999999999999999999999"]),
        ({"type": "date", "format": "%d/%m/%Y"}, ["05/01/2024", "٠٥/01/2024", "5/1/2024", "32/01/2024"]),
        ({"type": "string", "format": "email"}, ["a@b.fr", "é@b.fr", "a@bücher.de", "a@b"]),
        ({"type": "geopoint"}, ["1,2", "١,٢", "1 , 2", "NaN1,0"]),
    ],
)
def test_a_cell_reads_the_same_alone_or_among_many(descriptor: dict[str, Any], cells: list[str]) -> None:
    # Few pending rows are gathered, many are read in place: both must give the cell's own verdict.
    alone = [socle_read(descriptor, [cell])[0] for cell in cells]
    for filler in (["1"] * 50, ["x"] * 50, []):
        assert socle_read(descriptor, [*filler, *cells])[len(filler) :] == alone


def test_python_whitespace_list_is_the_running_pythons() -> None:
    everything = (chr(c) for c in range(sys.maxunicode + 1))
    assert "".join(c for c in everything if c.isspace()) == PY_WHITESPACE
