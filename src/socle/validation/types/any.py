"""``any``: every value is valid and kept as text."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.validation.types.base import FieldType, register


@register
class AnyType(FieldType):
    name: ClassVar[str] = "any"

    @property
    def dtype(self) -> pl.DataType:
        return pl.String()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        return values, pl.repeat(True, values.len(), dtype=pl.Boolean, eager=True).alias(values.name)

    def constant(self, value: Any) -> Any:
        # frictionless compares raw cells: a number in an enum never equals a text cell.
        if isinstance(value, str):
            return value
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        return True, value
