"""``enum``: the typed value must equal one of the listed values."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import Field
from socle.validation.constraints.base import Constraint, register
from socle.validation.types.base import FieldType

_SHOWN = 12


@register
class EnumConstraint(Constraint):
    names: ClassVar[tuple[str, ...]] = ("enum",)

    def __init__(self, name: str, value: Any, field: Field, ftype: FieldType) -> None:
        super().__init__(name, value, field, ftype)
        self.allowed: list[Any] = []
        self.problem: str | None = None
        for item in value:
            try:
                self.allowed.append(ftype.constant(item))
            except ValueError:
                # frictionless keeps an unreadable enum item as None: it then matches nothing.
                continue
        self.allowed_strings = [a for a in self.allowed if isinstance(a, str)]

    def violated(self, typed: pl.Series, missing: pl.Series) -> pl.Series:
        if typed.dtype == pl.String:
            bad = ~typed.is_in(self.allowed_strings)
            if typed.null_count():  # a null is in no list, and breaks no constraint
                bad = bad.fill_null(False) & typed.is_not_null()
            return bad
        allowed_set = self.allowed
        frame = typed.rename("v").to_frame()
        if not allowed_set:
            return typed.is_not_null()
        try:
            implode = pl.Series(values=allowed_set, dtype=typed.dtype).implode()
            return frame.select(pl.col("v").is_not_null() & ~pl.col("v").is_in(implode)).to_series()
        except (TypeError, pl.exceptions.PolarsError):
            values = typed.to_list()
            return pl.Series(
                values=[v is not None and v not in allowed_set for v in values], dtype=pl.Boolean
            )

    def message_params(self) -> dict[str, str]:
        shown = [f"« {v} »" for v in self.value[:_SHOWN]]
        if len(self.value) > _SHOWN:
            shown.append(f"… ({len(self.value)} valeurs en tout)")
        return {"allowed": ", ".join(shown)}
