"""``minLength`` / ``maxLength``: number of characters of a string, of items of an array or object."""

from __future__ import annotations

import json
from typing import ClassVar

import polars as pl

from socle.validation.constraints.base import Constraint, register


@register
class LengthConstraint(Constraint):
    names: ClassVar[tuple[str, ...]] = ("minLength", "maxLength")
    types = frozenset({"string", "array", "object"})

    def violated(self, typed: pl.Series, missing: pl.Series) -> pl.Series:
        limit = int(self.value)
        if self.field.type == "string":
            return self._string_violated(typed, limit)
        lengths = self._lengths(typed)
        bad = lengths < limit if self.name == "minLength" else lengths > limit
        return bad.fill_null(False)

    def _string_violated(self, typed: pl.Series, limit: int) -> pl.Series:
        # A character takes 1 to 4 bytes in UTF-8: the byte length decides most cells at once, and
        # characters are counted only in the others.
        size = typed.str.len_bytes()
        if self.name == "maxLength":
            bad, doubtful = size > 4 * limit, (size > limit) & (size <= 4 * limit)
        else:
            bad, doubtful = size < limit, (size >= limit) & (size < 4 * limit)
        # Each Series operation costs a polars query: skip those that would change nothing.
        if bad.null_count():
            bad = bad.fill_null(False)
        if doubtful.any():
            index = doubtful.fill_null(False).arg_true()
            chars = typed.gather(index).str.len_chars()
            verdict = chars > limit if self.name == "maxLength" else chars < limit
            bad = bad.scatter(index, verdict)
        return bad

    def _lengths(self, typed: pl.Series) -> pl.Series:
        if self.field.type == "string":
            return typed.str.len_chars()
        # JSON arrays and objects: count items, on distinct values only.
        distinct = typed.drop_nulls().unique()
        sizes = {v: _json_len(v) for v in distinct.to_list()}
        return typed.replace_strict(sizes, default=None, return_dtype=pl.Int64)

    def message_params(self) -> dict[str, str]:
        return {"limit": str(self.value)}


def _json_len(text: str) -> int | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return len(value) if isinstance(value, list | dict) else None
