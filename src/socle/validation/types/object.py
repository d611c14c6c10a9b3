"""``object``: a JSON object, as ``json.loads`` reads it (``NaN``/``Infinity`` included, numbers of
at most 4,300 digits). Typed values are the object in canonical JSON text (sorted keys, no spaces),
so that two writings of the same object compare equal."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import JSON_SPACE, NOT_JSON, Decision, canonical_json, load_json
from socle.validation.types.base import FieldType, register


def read_object(text: str) -> str | None:
    value = load_json(text)
    return canonical_json(value) if isinstance(value, dict) else None


def parse_json_column(values: pl.Series, opening: str, read: Any) -> tuple[pl.Series, pl.Series]:
    """Reject vectorised what cannot start the expected JSON value, read the rest in Python."""
    decision = Decision(values, pl.String())
    starts = values.str.contains(f"^{JSON_SPACE}*{opening}").fill_null(False)
    decision.reject(values.is_not_null() & ~starts)
    decision.python(starts, read)
    return decision.result()


@register
class ObjectType(FieldType):
    name: ClassVar[str] = "object"

    @property
    def dtype(self) -> pl.DataType:
        return pl.String()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        return parse_json_column(values, r"\{", read_object)

    def constant(self, value: Any) -> Any:
        if isinstance(value, dict):
            return canonical_json(value)
        if isinstance(value, str):
            result = read_object(value)
            if result is not None:
                return result
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        if isinstance(value, dict):
            return True, canonical_json(value)
        if isinstance(value, str):
            loaded = load_json(value)
            if loaded is not NOT_JSON and isinstance(loaded, dict):
                return True, canonical_json(loaded)
        return False, None
