"""``minimum``, ``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum`` on ordered types."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import Field
from socle.validation.constraints.base import Constraint, register
from socle.validation.types.base import FieldType


@register
class BoundConstraint(Constraint):
    names: ClassVar[tuple[str, ...]] = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
    types = frozenset({"integer", "number", "date", "time", "datetime", "year", "yearmonth"})

    def __init__(self, name: str, value: Any, field: Field, ftype: FieldType) -> None:
        super().__init__(name, value, field, ftype)
        self.problem: str | None = None
        try:
            self.bound: Any = ftype.constant(value)
        except ValueError:
            self.bound = None
            self.problem = (
                f"la contrainte « {name} » du champ « {field.name} » vaut « {value} », "
                f"qui n'est pas une valeur de type {field.type}"
            )

    def violated(self, typed: pl.Series, missing: pl.Series) -> pl.Series:
        if self.bound is None:
            return pl.Series(values=[False] * typed.len(), dtype=pl.Boolean)
        bound = pl.lit(self.bound)
        col = pl.col("v")
        ok = {
            "minimum": col >= bound,
            "maximum": col <= bound,
            "exclusiveMinimum": col > bound,
            "exclusiveMaximum": col < bound,
        }[self.name]
        frame = typed.rename("v").to_frame()
        if typed.dtype.is_float():
            # NaN is incomparable: frictionless reports it as out of bounds.
            ok = ok & col.is_not_nan()
        return frame.select((~ok).fill_null(False)).to_series()

    def message_params(self) -> dict[str, str]:
        value = self.value
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        return {"limit": str(value)}

    def schema_problem(self) -> str | None:
        return self.problem
