"""Reading cells with Socle's field types and with frictionless 5.21, and comparing the results."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import polars as pl
from frictionless import Field as FrictionlessField

from socle.schemas.model import DEFAULT_FALSE_VALUES, DEFAULT_TRUE_VALUES, Field
from socle.validation.types import field_type
from socle.validation.types._common import canonical_json
from socle.validation.types.duration import canonical_duration

INT64 = (-(2**63), 2**63 - 1)


def field_from(descriptor: Mapping[str, Any]) -> Field:
    """The Socle field of a descriptor (built directly, so that any format reaches the type)."""
    return Field(
        name=descriptor.get("name", "champ"),
        type=descriptor.get("type", "string"),
        format=descriptor.get("format", "default"),
        constraints=dict(descriptor.get("constraints", {})),
        true_values=tuple(descriptor.get("trueValues", DEFAULT_TRUE_VALUES)),
        false_values=tuple(descriptor.get("falseValues", DEFAULT_FALSE_VALUES)),
        decimal_char=descriptor.get("decimalChar", "."),
        group_char=descriptor.get("groupChar", ""),
        bare_number=descriptor.get("bareNumber", True),
        array_item=descriptor.get("arrayItem"),
        descriptor=descriptor,
    )


def socle_read(descriptor: Mapping[str, Any], cells: Sequence[str | None]) -> list[tuple[bool, Any]]:
    """``(valid, typed value)`` per cell; "" is a missing value, as the engine removes it."""
    values = pl.Series("v", [None if c == "" else c for c in cells], dtype=pl.String)
    typed, ok = field_type(field_from(descriptor)).parse(values)
    assert typed.len() == ok.len() == values.len()
    assert ok.dtype == pl.Boolean and ok.null_count() == 0
    return list(zip(ok.to_list(), typed.to_list(), strict=True))


def frictionless_read(descriptor: Mapping[str, Any], cells: Sequence[str | None]) -> list[tuple[bool, Any]]:
    """``(no type error, value)`` per cell, as frictionless' ``Field.read_cell`` gives them."""
    desc = {"name": "champ", **descriptor}
    reader = FrictionlessField.from_descriptor(desc).create_cell_reader()
    out = []
    for cell in cells:
        value, notes = reader(cell)
        out.append((not (notes and "type" in notes), value))
    return out


def _integer(value: int) -> int | None:
    return value if INT64[0] <= value <= INT64[1] else None


def _datetime(value: dt.datetime) -> dt.datetime | None:
    try:
        offset = value.utcoffset()
        return value if offset is None else value.replace(tzinfo=None) - offset
    except (ValueError, OverflowError):
        return None


_EXPECTED: dict[str, Callable[[Any], Any]] = {
    "integer": _integer,
    "number": lambda v: math.nan if v.is_nan() else float(v),
    "time": lambda v: v.replace(tzinfo=None),
    "datetime": _datetime,
    "yearmonth": lambda v: f"{v.year:04d}-{v.month:02d}",
    "duration": canonical_duration,
    "geopoint": lambda v: {"lon": float(decimal.Decimal(v.lon)), "lat": float(decimal.Decimal(v.lat))},
    "geojson": canonical_json,
    "object": canonical_json,
}


def expected_typed(descriptor: Mapping[str, Any], value: Any) -> Any:
    """frictionless' value in the form Socle types it (see each type's docstring)."""
    if value is None:
        return None
    convert = _EXPECTED.get(descriptor.get("type", "string"))
    return value if convert is None else convert(value)


def same_value(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b
    return bool(a == b)


def compare(descriptor: Mapping[str, Any], cells: Sequence[str], check_values: bool = True) -> None:
    """Assert Socle and frictionless agree on every cell: validity, and the typed value."""
    ours = socle_read(descriptor, cells)
    theirs = frictionless_read(descriptor, cells)
    for cell, (ok, typed), (ref_ok, ref_value) in zip(cells, ours, theirs, strict=True):
        assert ok == ref_ok, f"{descriptor}: {cell!r} valide pour Socle={ok}, pour frictionless={ref_ok}"
        if ok and check_values and cell != "":
            if descriptor.get("type") == "array":
                # frictionless replaces the elements by their typed values; Socle keeps the array.
                expected = canonical_json(json.loads(cell))
            else:
                expected = expected_typed(descriptor, ref_value)
            assert same_value(typed, expected), f"{descriptor}: {cell!r} lu {typed!r}, attendu {expected!r}"


INVALID = object()
"""Expected value meaning: Socle and frictionless both refuse the cell."""


def check(descriptor: dict[str, Any], cell: str, expected: Any) -> None:
    """One cell: Socle reads ``expected`` (or refuses it), and agrees with frictionless."""
    ((ok, typed),) = socle_read(descriptor, [cell])
    if expected is INVALID:
        assert not ok and typed is None
    else:
        assert ok and typed == expected
    compare(descriptor, [cell])
