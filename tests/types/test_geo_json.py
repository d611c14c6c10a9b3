"""geopoint, geojson, object and array: hand-written cases, checked against frictionless too."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import pytest

from socle.validation.types import field_type
from tests.types.support import INVALID, check, field_from, frictionless_read, socle_read


def point(lon: float, lat: float) -> dict[str, float]:
    return {"lon": lon, "lat": lat}


@pytest.mark.parametrize(
    ("fmt", "cell", "expected"),
    [
        ("default", "2.35, 48.85", point(2.35, 48.85)),
        ("default", " 2.35 ,48.85 ", point(2.35, 48.85)),
        ("default", "180,-90", point(180, -90)),
        ("default", "1e1,1_0", point(10, 10)),
        ("default", "180.0000000000000000001,0", INVALID),  # compared as a Decimal
        ("default", "181,0", INVALID),
        ("default", "nan,0", INVALID),
        ("default", "inf,0", INVALID),
        ("default", "2.35;48.85", INVALID),
        ("default", "2.35,48.85,0", INVALID),
        ("array", "[2.35, 48.85]", point(2.35, 48.85)),
        ("array", '["2.35", "48.85"]', point(2.35, 48.85)),
        ("array", "[180.0000000000000001, 0]", point(180, 0)),  # a JSON float first
        ("array", '"12"', point(1, 2)),  # frictionless unpacks any two-element value
        ("array", "[1, 2, 3]", INVALID),
        ("array", "[NaN, 0]", INVALID),
        ("object", '{"lon": 2.35, "lat": 48.85}', point(2.35, 48.85)),
        ("object", '{"lat": 48.85, "lon": 2.35}', point(2.35, 48.85)),
        ("object", '{"lon": 2.35, "lat": 48.85, "alt": 1}', INVALID),
        ("object", "[2.35, 48.85]", INVALID),
    ],
)
def test_geopoint(fmt: str, cell: str, expected: Any) -> None:
    check({"type": "geopoint", "format": fmt}, cell, expected)


def canonical(text: str) -> str:
    return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


POINT = '{"type": "Point", "coordinates": [2.35, 48.85]}'


@pytest.mark.parametrize(
    ("fmt", "cell", "valid"),
    [
        ("default", POINT, True),
        ("default", '{"coordinates": [2.3500, -4.8e1], "type": "Point"}', True),
        ("default", '{"type": "Point", "coordinates": [2.35, 48.85, 35]}', False),  # exactly two numbers
        ("default", '{"type": "Point", "coordinates": [true, 1]}', False),
        ("default", '{"type": "LineString", "coordinates": [[1, 2]]}', False),
        ("default", '{"type": "Feature", "geometry": null, "properties": null}', True),
        ("default", '{"type": "FeatureCollection", "features": [1]}', True),  # draft 4: non-objects pass
        ("default", '{"type": "Point", "coordinates": [1, 2], "crs": null}', False),  # null matches two CRS
        ("default", '{"type": "Point", "coordinates": [1, 2], "bbox": [0, 0, 1, 1]}', True),
        ("default", '{"type": "Circle", "coordinates": [1, 2]}', False),
        ("default", "[1, 2]", False),
        ("topojson", '{"type": "Topology", "objects": {}, "arcs": []}', True),
        ("topojson", '{"type": "LineString", "arcs": [0, 1]}', True),
        ("topojson", '{"type": "LineString", "arcs": [0.5]}', False),
        ("topojson", POINT, True),
    ],
)
def test_geojson(fmt: str, cell: str, valid: bool) -> None:
    check({"type": "geojson", "format": fmt}, cell, canonical(cell) if valid else INVALID)


@pytest.mark.parametrize(
    ("kind", "cell", "valid"),
    [
        ("object", "{}", True),
        ("object", ' {"b": 1, "a": [NaN]} ', True),
        ("object", "[]", False),
        ("object", '{"a": 1', False),
        ("object", '"{}"', False),
        ("array", "[]", True),
        ("array", '[1, "a", {"b": null}]', True),
        ("array", "{}", False),
        ("array", "1", False),
    ],
)
def test_object_and_array(kind: str, cell: str, valid: bool) -> None:
    check({"type": kind}, cell, canonical(cell) if valid else INVALID)


def test_canonical_text_makes_equal_objects_equal() -> None:
    (first, second) = socle_read({"type": "object"}, ['{"a": 1, "b": 2}', '{ "b":2,"a":1 }'])
    assert first == second == (True, '{"a":1,"b":2}')


ITEMS_ENUM = {"type": "string", "constraints": {"enum": ["x", "y"]}}


@pytest.mark.parametrize(
    ("item", "cell", "valid"),
    [
        ({"type": "string", "enum": ["x"]}, '["z"]', True),  # enum outside constraints is ignored
        ({"type": "string"}, '["x", 5]', False),  # 5 is not a string
        ({"type": "string"}, '["x", null, ""]', True),  # missing elements
        ({"type": "integer"}, '[1, 2.0, "3"]', True),
        ({"type": "integer"}, "[true]", False),
        ({"type": "year"}, "[true]", True),  # Python counts true as 1
        ({"type": "date"}, '["2024-01-05"]', True),
        ({"type": "date"}, '["05/01/2024"]', False),
    ],
)
def test_array_item_types(item: dict[str, Any], cell: str, valid: bool) -> None:
    check({"type": "array", "arrayItem": item}, cell, canonical(cell) if valid else INVALID)


def _violations(item: dict[str, Any], cells: list[str]) -> dict[str, list[bool]]:
    ftype = field_type(field_from({"type": "array", "arrayItem": item}))
    found = ftype.item_violations(pl.Series(cells, dtype=pl.String))
    return {name: mask.to_list() for name, mask in found.items()}


def _frictionless_notes(item: dict[str, Any], cells: list[str]) -> dict[str, list[bool]]:
    from frictionless import Field

    reader = Field.from_descriptor({"name": "a", "type": "array", "arrayItem": item}).create_cell_reader()
    notes = [reader(c)[1] or {} for c in cells]
    names = {n for found in notes for n in found if n != "type"}
    return {name: [name in found for found in notes] for name in names}


@pytest.mark.parametrize(
    "item",
    [
        ITEMS_ENUM,
        {"type": "string", "constraints": {"required": True, "enum": ["x", "y"]}},
        {"type": "integer", "constraints": {"minimum": 2, "maximum": 5}},
        {"type": "string", "constraints": {"pattern": "[a-z]", "maxLength": 1}},
    ],
)
def test_array_item_constraints(item: dict[str, Any]) -> None:
    cells = [
        '["x", "y"]',
        '["x", "z"]',
        '["x", null]',
        '["x", ""]',
        '["x", 5]',
        "[1, 6]",
        "[3]",
        '["ab"]',
        "[]",
    ]
    ours = _violations(item, cells)
    assert ours == _frictionless_notes(item, cells)
    assert any(any(flags) for flags in ours.values())


def test_array_item_violations_are_empty_without_item_constraints() -> None:
    assert _violations({"type": "string"}, ['["x", 5]']) == {}
    assert frictionless_read({"type": "array", "arrayItem": {"type": "string"}}, ['["x", 5]']) == [
        (False, ["x", None])
    ]


def test_array_message_names_the_item_type() -> None:
    with_items = field_type(field_from({"type": "array", "arrayItem": {"type": "string"}}))
    assert with_items.message_params() == {"items": " dont chaque élément est un texte"}
    assert field_type(field_from({"type": "array"})).message_params() == {"items": ""}
