"""``pattern``: a string cell must match the schema's regular expression (see :mod:`..regex`)."""

from __future__ import annotations

from typing import Any, ClassVar

import polars as pl

from socle.schemas.model import Field
from socle.validation.constraints.base import Constraint, register
from socle.validation.regex import CompiledPattern
from socle.validation.types.base import FieldType


@register
class PatternConstraint(Constraint):
    names: ClassVar[tuple[str, ...]] = ("pattern",)
    types = frozenset({"string"})

    def __init__(self, name: str, value: Any, field: Field, ftype: FieldType) -> None:
        super().__init__(name, value, field, ftype)
        self.compiled = CompiledPattern.compile(str(value))

    def violated(self, typed: pl.Series, missing: pl.Series) -> pl.Series:
        matched = self.compiled.matches(typed)
        # null: missing value, or not judged in time (reported separately, never as a breach)
        return (~matched).fill_null(False) if matched.null_count() else ~matched

    def message_params(self) -> dict[str, str]:
        description = (self.field.description or "").strip()
        hint = f" ({description.rstrip('.')})" if description else ""
        return {"hint": hint}

    def schema_problem(self) -> str | None:
        return self.compiled.error

    def budget_problems(self) -> list[str]:
        taken, self.compiled.unjudged = self.compiled.unjudged, []
        return taken
