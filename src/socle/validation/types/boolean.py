"""``boolean``: the cell must equal one of ``trueValues`` or ``falseValues`` exactly (case and spaces
included); a value listed in both is false, as in frictionless."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.validation.types._common import quote_list
from socle.validation.types.base import FieldType, register

_FEW = 12
"""Up to this many true and false values, cells are compared to each rather than looked up."""


@register
class BooleanType(FieldType):
    name: ClassVar[str] = "boolean"

    @property
    def dtype(self) -> pl.DataType:
        return pl.Boolean()

    def parse(self, values: pl.Series) -> tuple[pl.Series, pl.Series]:
        # One hash lookup per cell; a value listed in both lists is false.
        mapping = dict.fromkeys(self.field.true_values, True) | dict.fromkeys(self.field.false_values, False)
        typed = values.replace_strict(
            pl.Series(values=list(mapping), dtype=pl.String),
            pl.Series(values=list(mapping.values()), dtype=pl.Boolean),
            default=None,
            return_dtype=pl.Boolean,
        )
        ok = (typed.is_not_null() | values.is_null()).alias(values.name)
        return typed.alias(values.name), ok

    def fast(self, values: pl.Series) -> tuple[pl.Series, pl.Series | None] | None:
        false_values = list(dict.fromkeys(self.field.false_values))
        true_values = [value for value in dict.fromkeys(self.field.true_values) if value not in false_values]
        if not true_values or not false_values or len(true_values) + len(false_values) > _FEW:
            typed, _ = self.parse(values)  # one lookup decides every cell; the others are left to parse
            return typed, typed.is_not_null()
        # A few comparisons of string views cost less than a hash lookup per cell.
        cell = pl.lit(values)
        is_true = pl.any_horizontal([cell == value for value in true_values])
        is_false = pl.any_horizontal([cell == value for value in false_values])
        typed, decided = pl.select(
            pl.when(is_true).then(True).when(is_false).then(False).alias("typed"),
            (is_true | is_false).alias("decided"),
        ).get_columns()
        return typed.alias(values.name), decided

    def message_params(self) -> dict[str, str]:
        return {"expected": quote_list([*self.field.true_values, *self.field.false_values], limit=12)}

    def constant(self, value: Any) -> Any:
        # frictionless takes JSON booleans as they are, whatever trueValues says.
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            if value in self.field.false_values:
                return False
            if value in self.field.true_values:
                return True
        raise ValueError(value)

    def read_json(self, value: Any) -> tuple[bool, Any]:
        if isinstance(value, bool):
            return True, value
        return super().read_json(value)
