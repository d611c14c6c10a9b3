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

# A Point geometry with two plain JSON numbers (no exponent, at most 15 significant digits): valid,
# and its canonical text is known without Python: Python writes such a float back with its trailing
# zeros removed (keeping one after the dot), an integer as it is.
_S = f"{JSON_SPACE}*"
_PLAIN_NUMBER = r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,17})?"
_TYPE = f'"type"{_S}:{_S}"Point"'
_COORDINATES = f'"coordinates"{_S}:{_S}\\[{_S}(?P<x>{_PLAIN_NUMBER}){_S},{_S}(?P<y>{_PLAIN_NUMBER}){_S}\\]'
_POINTS = [
    f"^{_S}\\{{{_S}{first}{_S},{_S}{second}{_S}\\}}{_S}$"
    for first, second in ((_TYPE, _COORDINATES), (_COORDINATES, _TYPE))
]
_MAX_SIGNIFICANT = 15
_PYTHON_WRITES_AS_IS = r"^(?:0|-?[1-9][0-9]*|-?0\.(?:0|0{0,3}[1-9][0-9]*)|-?[1-9][0-9]*\.[0-9]+)$"
"""Numbers Python writes back unchanged once trailing zeros are removed (below 1e-4 it uses an
exponent; -0 as an integer is 0)."""


def _as_python_writes(number: pl.Series) -> tuple[pl.Series, pl.Series]:
    """``(text, certain)``: the number as ``json.dumps(json.loads(number))`` writes it."""
    n = pl.col("n")
    frame = number.rename("n").to_frame()
    frame = frame.with_columns(
        n=pl.when(n.str.contains(".", literal=True)).then(n.str.strip_chars_end("0")).otherwise(n)
    )
    frame = frame.with_columns(n=pl.when(n.str.ends_with(".")).then(n + "0").otherwise(n))
    digits = n.str.replace_all("-", "", literal=True).str.replace_all(".", "", literal=True)
    significant = digits.str.strip_chars_start("0").str.len_bytes()
    certain = n.str.contains(_PYTHON_WRITES_AS_IS) & (significant <= _MAX_SIGNIFICANT)
    return frame["n"], frame.select(certain.fill_null(False)).to_series()


def _decide_point(text: pl.Series, pattern: str) -> tuple[pl.Series, pl.Series]:
    groups = text.str.extract_groups(pattern).struct.unnest()
    x, x_certain = _as_python_writes(groups["x"])
    y, y_certain = _as_python_writes(groups["y"])
    typed = pl.select(pl.format('{{"coordinates":[{},{}],"type":"Point"}}', pl.lit(x), pl.lit(y))).to_series()
    certain = (x_certain & y_certain).fill_null(False)
    ok = pl.select(pl.when(pl.lit(certain)).then(True)).to_series()
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
