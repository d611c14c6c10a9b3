"""``geojson``: a JSON object that passes frictionless' GeoJSON profile (``default``) or TopoJSON
profile (``topojson``); with any other format, any JSON object. Typed values are canonical JSON text.
See :mod:`._geojson` for the profiles' exact rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import canonical_json, load_json
from socle.validation.types._geojson import is_geojson, is_topojson
from socle.validation.types.base import FieldType, register
from socle.validation.types.object import parse_json_column

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
        return parse_json_column(values, r"\{", self._read)

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
