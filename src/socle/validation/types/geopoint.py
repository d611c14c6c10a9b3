"""``geopoint``: a longitude from -180 to 180 and a latitude from -90 to 90 (bounds included).

- ``default``: ``lon, lat``: exactly one comma, each side (spaces stripped) read by ``Decimal()``
  (so ``1e1``, ``+2.5`` and ``1_0`` are numbers; ``NaN`` and infinities are refused by the range).
- ``array``: a JSON array ``[lon, lat]`` (frictionless unpacks any two-element JSON value, and reads
  each element with ``Decimal()``, so ``["2.3", "48.8"]`` is accepted).
- ``object``: a JSON object with exactly the keys ``lon`` and ``lat``.
- any other format: every value is invalid (frictionless never reads it).

Typed values are Struct{lon: Float64, lat: Float64}.
"""

from __future__ import annotations

import decimal
import functools
import json
from functools import partial
from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import (
    JSON_NUMBER,
    JSON_SPACE,
    PY_WHITESPACE,
    Decision,
    ascii_only,
)
from socle.validation.types.base import FieldType, register
from socle.validation.types.number import _DECIMAL_BROAD, _DECIMAL_STRICT, _SHORT

STRUCT = pl.Struct({"lon": pl.Float64, "lat": pl.Float64})


def _pair(lon: Any, lat: Any) -> dict[str, float] | None:
    """frictionless' final step: two Decimals, both within range (NaN refused)."""
    try:
        lon_d, lat_d = decimal.Decimal(lon), decimal.Decimal(lat)
        if lon_d > 180 or lon_d < -180 or lat_d > 90 or lat_d < -90:
            return None
    except Exception:  # frictionless treats any failure as a type error
        return None
    return {"lon": float(lon_d), "lat": float(lat_d)}


def read_geopoint(text: str, fmt: str) -> dict[str, float] | None:
    """Exact rule for one cell: ``{"lon", "lat"}`` or None."""
    try:
        if fmt == "default":
            lon, lat = text.split(",")
            return _pair(lon.strip(), lat.strip())
        if fmt == "array":
            lon, lat = json.loads(text)
            return _pair(lon, lat)
        if fmt == "object":
            value = json.loads(text)
            if len(value) != 2:
                return None
            return _pair(value["lon"], value["lat"])
    except Exception:  # frictionless treats any failure as a type error
        return None
    return None


def _verdict(lon: pl.Series, lat: pl.Series) -> pl.Series:
    """True inside the ranges, False outside, null on a bound itself (a float equal to 180 may
    come from a decimal just above it: Python decides)."""
    inside = (lon.abs() < 180) & (lat.abs() < 90)
    outside = (lon.abs() > 180) | (lat.abs() > 90) | lon.is_nan() | lat.is_nan()
    return pl.select(pl.when(pl.lit(outside)).then(False).when(pl.lit(inside)).then(True)).to_series()


def _split_pair(text: pl.Series, spaces: str) -> tuple[pl.Series, pl.Series, pl.Series]:
    """``(first, second, one_comma)``: the two sides of the only comma, ``spaces`` stripped."""
    frame = text.rename("v").to_frame()
    parts = frame.select(
        comma=pl.col("v").str.find(",", literal=True),
        commas=pl.col("v").str.count_matches(",", literal=True),
    ).with_columns(text.rename("v"))
    sides = parts.select(
        first=pl.col("v").str.slice(0, pl.col("comma")).str.strip_chars(spaces),
        second=pl.col("v").str.slice(pl.col("comma") + 1).str.strip_chars(spaces),
        one=(pl.col("commas") == 1).fill_null(False),
    )
    return sides["first"], sides["second"], sides["one"]


def _fast_default(text: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """``(lon, lat, verdict)`` for ``lon,lat`` texts whose two numbers polars reads (spaces around
    them allowed); a null verdict for the others."""
    lon_text, lat_text, one_comma = _split_pair(text, " ")
    lon, lat = lon_text.cast(pl.Float64, strict=False), lat_text.cast(pl.Float64, strict=False)
    read = (
        one_comma
        & lon.is_not_null()
        & lat.is_not_null()
        & (lon_text.str.len_bytes() <= _SHORT)
        & (lat_text.str.len_bytes() <= _SHORT)
    )
    verdict = pl.select(pl.when(pl.lit(read)).then(pl.lit(_verdict(lon, lat)))).to_series()
    return lon, lat, verdict


def _fast_array(text: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
    """``(lon, lat, verdict)`` for ``[lon, lat]`` with two JSON numbers; a null verdict for the others."""
    shape = text.str.contains(_JSON_PATTERNS["array"][0]).fill_null(False)
    inner = text.str.strip_chars("[] \t\n\r")
    lon_text, lat_text, _ = _split_pair(inner, " \t\n\r")
    lon, lat = lon_text.cast(pl.Float64, strict=False), lat_text.cast(pl.Float64, strict=False)
    # JSON numbers become floats (or ints) before Decimal(): comparing the floats is exact here.
    inside = (lon.abs() <= 180) & (lat.abs() <= 90)
    verdict = pl.select(pl.when(pl.lit(shape)).then(pl.lit(inside))).to_series()
    return lon, lat, verdict


def _decide_default(text: pl.Series) -> tuple[pl.Series, pl.Series]:
    parts = text.str.split_exact(",", 1).struct.unnest()
    one_comma = text.str.count_matches(",", literal=True) == 1
    coords = []
    shapes = one_comma
    for i in (0, 1):
        # str.strip, then Decimal() strips again and drops underscores.
        part = parts.to_series(i).str.strip_chars(PY_WHITESPACE).str.replace_all("_", "", literal=True)
        strict = part.str.contains(_DECIMAL_STRICT).fill_null(False)
        broad = part.str.contains(_DECIMAL_BROAD).fill_null(False)
        shapes = pl.select(
            pl.when(~pl.lit(broad)).then(False).when(pl.lit(strict)).then(pl.lit(shapes)).otherwise(None)
        ).to_series()
        coords.append(part.cast(pl.Float64, strict=False))
    # Unusual numbers (NaN payloads, huge exponents) stay undecided: Python reads them.
    ok = pl.select(
        pl.when(~pl.lit(one_comma))
        .then(False)
        .otherwise(pl.lit(shapes) & pl.lit(_verdict(coords[0], coords[1])))
    ).to_series()
    return _struct(coords[0], coords[1]), ok


_S = f"{JSON_SPACE}*"
_JSON_PATTERNS = {
    "array": [(f"^{_S}\\[{_S}(?P<lon>{JSON_NUMBER}){_S},{_S}(?P<lat>{JSON_NUMBER}){_S}\\]{_S}$")],
    "object": [
        f'^{_S}\\{{{_S}"lon"{_S}:{_S}(?P<lon>{JSON_NUMBER}){_S},{_S}"lat"{_S}:{_S}(?P<lat>{JSON_NUMBER}){_S}\\}}{_S}$',
        f'^{_S}\\{{{_S}"lat"{_S}:{_S}(?P<lat>{JSON_NUMBER}){_S},{_S}"lon"{_S}:{_S}(?P<lon>{JSON_NUMBER}){_S}\\}}{_S}$',
    ],
}


def _decide_json(text: pl.Series, fmt: str) -> tuple[pl.Series, pl.Series]:
    lon = pl.repeat(None, text.len(), dtype=pl.Float64, eager=True)
    lat = lon.clone()
    matched = pl.repeat(False, text.len(), dtype=pl.Boolean, eager=True)
    for pattern in _JSON_PATTERNS[fmt]:
        groups = text.str.extract_groups(pattern).struct.unnest()
        hit = groups["lon"].is_not_null() & ~matched
        lon = pl.select(
            pl.when(pl.lit(hit)).then(pl.lit(groups["lon"]).cast(pl.Float64)).otherwise(pl.lit(lon))
        ).to_series()
        lat = pl.select(
            pl.when(pl.lit(hit)).then(pl.lit(groups["lat"]).cast(pl.Float64)).otherwise(pl.lit(lat))
        ).to_series()
        matched = matched | hit
    # JSON numbers become floats (or ints) before Decimal(): comparing the floats is exact here.
    inside = (lon.abs() <= 180) & (lat.abs() <= 90)
    ok = pl.select(pl.when(pl.lit(matched)).then(pl.lit(inside)).otherwise(None)).to_series()
    return _struct(lon, lat), ok


def _field_of(point: dict[str, float] | None, name: str) -> float | None:
    return None if point is None else point[name]


def _struct(lon: pl.Series, lat: pl.Series) -> pl.Series:
    return pl.DataFrame({"lon": lon, "lat": lat}).select(pl.struct("lon", "lat")).to_series()


@register
class GeopointType(FieldType):
    name: ClassVar[str] = "geopoint"

    @property
    def dtype(self) -> pl.DataType:
        return STRUCT

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        fmt = self.field.format
        lon = Decision(values, pl.Float64())
        lat = Decision(values, pl.Float64())
        if fmt in ("default", "array", "object"):
            if fmt in ("default", "array"):
                fast_lon, fast_lat, verdict = (_fast_default if fmt == "default" else _fast_array)(values)
                lon.set(verdict.is_not_null(), fast_lon, verdict)
                lat.set(verdict.is_not_null(), fast_lat, verdict)
            pending = lon.pending()
            if pending.any():
                sub = values.filter(pending)
                points, ok = ascii_only(
                    _decide_default if fmt == "default" else partial(_decide_json, fmt=fmt)
                )(sub)
                lon.put(pending, points.struct.field("lon"), ok)
                lat.put(pending, points.struct.field("lat"), ok)
            read = functools.lru_cache(maxsize=None)(lambda text: read_geopoint(text, fmt))
            lon.python(lon.pending(), lambda text: _field_of(read(text), "lon"))
            lat.python(lat.pending(), lambda text: _field_of(read(text), "lat"))
        else:
            lon.reject(values.is_not_null())
            lat.reject(values.is_not_null())
        lon_typed, ok = lon.result()
        lat_typed, _ = lat.result()
        points = _struct(lon_typed, lat_typed)
        typed = pl.select(
            pl.when(pl.lit(ok) & pl.lit(values).is_not_null()).then(pl.lit(points)).otherwise(None)
        ).to_series()
        return typed.alias(values.name), ok

    def message_params(self) -> dict[str, str]:
        expected = {
            "default": "« longitude, latitude » (par exemple « 2.35, 48.85 »)",
            "array": "[longitude, latitude] (par exemple [2.35, 48.85])",
            "object": '{"lon": longitude, "lat": latitude}',
        }
        return {
            "expected": expected.get(self.field.format, f"« {self.field.format} », inconnu de Table Schema")
        }

    def constant(self, value: Any) -> Any:
        # frictionless takes a [lon, lat] pair as it is.
        if isinstance(value, list) and len(value) == 2:
            point = _pair(value[0], value[1])
        elif isinstance(value, str):
            point = read_geopoint(value, self.field.format)
        else:
            point = None
        if point is None:
            raise ValueError(value)
        return point

    def read_json(self, value: Any) -> tuple[bool, Any]:
        if isinstance(value, str):
            return super().read_json(value)
        try:
            lon, lat = value
            if lon > 180 or lon < -180 or lat > 90 or lat < -90:
                return False, None
            return True, {"lon": float(lon), "lat": float(lat)}
        except Exception:  # frictionless treats any failure as a type error
            return False, None
