"""``geojson``: a JSON object that passes frictionless' GeoJSON profile (``default``) or TopoJSON
profile (``topojson``); with any other format, any JSON object. Typed values are canonical JSON text.
See :mod:`._geojson` for the profiles' exact rules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import JSON_SPACE, Decision, canonical_json, load_json
from socle.validation.types._geojson import is_geojson, is_topojson
from socle.validation.types.base import FieldType, register
from socle.validation.types.object import parse_json_column

# A Point geometry whose coordinates are written as Python writes them back (shortest form, at most
# 15 significant digits, no exponent): valid, and its canonical text is known without Python.
_CANONICAL_NUMBER = (
    r"(?:0|-?[1-9][0-9]{0,14}"
    r"|-?0\.(?:0|0{0,3}[1-9](?:[0-9]{0,13}[1-9])?)"
    r"|-?[1-9][0-9]{0,14}\.(?:0|[0-9]{0,13}[1-9]))"
)
_S = f"{JSON_SPACE}*"
_TYPE = f'"type"{_S}:{_S}"Point"'
_COORDINATES = (
    f'"coordinates"{_S}:{_S}\\[{_S}(?P<x>{_CANONICAL_NUMBER}){_S},{_S}(?P<y>{_CANONICAL_NUMBER}){_S}\\]'
)
_POINTS = [
    f"^{_S}\\{{{_S}{first}{_S},{_S}{second}{_S}\\}}{_S}$"
    for first, second in ((_TYPE, _COORDINATES), (_COORDINATES, _TYPE))
]
_MAX_SIGNIFICANT = 15


def _decide_point(text: pl.Series, pattern: str) -> tuple[pl.Series, pl.Series]:
    groups = text.str.extract_groups(pattern).struct.unnest()
    x, y = groups["x"], groups["y"]

    def short(number: pl.Series) -> pl.Series:
        # Beyond 15 significant digits, Python may write the float back differently.
        digits = number.str.replace_all(r"^-?0\.0*|[-.]", "")
        return digits.str.len_bytes() <= _MAX_SIGNIFICANT

    typed = pl.select(pl.format('{{"coordinates":[{},{}],"type":"Point"}}', pl.lit(x), pl.lit(y))).to_series()
    ok = pl.select(
        pl.when(pl.lit(x).is_not_null() & pl.lit(short(x)) & pl.lit(short(y))).then(True)
    ).to_series()
    return typed, ok


_PROFILES: dict[str, Callable[[Any], bool]] = {"default": is_geojson, "topojson": is_topojson}


def _accepts(fmt: str, value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    profile = _PROFILES.get(fmt)
    if profile is None:
        return True
    try:
        return profile(value)
    except RecursionError:
        return False


@register
class GeojsonType(FieldType):
    name: ClassVar[str] = "geojson"

    @property
    def dtype(self) -> pl.DataType:
        return pl.String()

    def _read(self, text: str) -> str | None:
        value = load_json(text)
        return canonical_json(value) if _accepts(self.field.format, value) else None

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        if self.field.format != "default":
            return parse_json_column(values, r"\{", self._read)
        decision = Decision(values, pl.String())
        for pattern in _POINTS:
            decision.run(decision.pending(), functools.partial(_decide_point, pattern=pattern))
        pending = decision.pending()
        starts = values.str.contains(f"^{JSON_SPACE}*\\{{").fill_null(False)
        decision.reject(pending & ~starts)
        decision.python(decision.pending(), self._read)
        return decision.result()

    def constant(self, value: Any) -> Any:
        if isinstance(value, str):
            value = load_json(value)
        if _accepts(self.field.format, value):
            return canonical_json(value)
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        if isinstance(value, str):
            return super().read_json(value)
        if _accepts(self.field.format, value):
            return True, canonical_json(value)
        return False, None
