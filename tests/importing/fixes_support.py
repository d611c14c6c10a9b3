"""Helpers for the fix-rule tests: small schemas, one rule on a column, a frame of named columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from socle.importing.fixes import load_registry, run_rule
from socle.schemas.model import TableSchema, parse_table_schema

Cell = str | None


def schema_of(
    *fields: Mapping[str, Any],
    custom_checks: Sequence[Mapping[str, Any]] = (),
    missing_values: Sequence[str] | None = None,
) -> TableSchema:
    descriptor: dict[str, Any] = {"fields": [dict(f) for f in fields]}
    if custom_checks:
        descriptor["custom_checks"] = [dict(c) for c in custom_checks]
    if missing_values is not None:
        descriptor["missingValues"] = list(missing_values)
    return parse_table_schema(descriptor)


def run(
    code: str, field: Mapping[str, Any], cells: Sequence[Cell], schema: TableSchema | None = None
) -> list[tuple[Cell, str | None]]:
    """``(text after the rule, reason if flagged)`` per cell, for the rule ``code`` alone."""
    schema = schema or schema_of(field)
    target = schema.get_field(str(field["name"]))
    assert target is not None
    rule = load_registry()[code]()
    assert rule.applies_to(target, schema), f"{code} does not apply to {field}"
    result = run_rule(rule, pl.Series("v", list(cells), dtype=pl.String), target, schema)
    assert result.values.len() == len(cells)
    return list(zip(result.values.to_list(), result.reasons.to_list(), strict=True))


def changed(code: str, field: Mapping[str, Any], cells: Sequence[str], **kw: Any) -> list[Cell]:
    """The text after the rule, per cell (asserting that none is flagged)."""
    out = run(code, field, cells, **kw)
    assert all(reason is None for _, reason in out), out
    return [value for value, _ in out]


def flagged(code: str, field: Mapping[str, Any], cells: Sequence[str], **kw: Any) -> list[bool]:
    """Whether each cell is flagged (asserting that flagged cells are left as they are)."""
    out = run(code, field, cells, **kw)
    for cell, (value, reason) in zip(cells, out, strict=True):
        if reason is not None:
            assert value == cell
            assert reason[0].islower() or reason[0] == "«", reason
    return [reason is not None for _, reason in out]


def frame_of(columns: Mapping[str, Sequence[Cell]], first_row: int = 2) -> pl.DataFrame:
    """String columns named after fields, plus ``__row__`` numbered from ``first_row``."""
    height = len(next(iter(columns.values()))) if columns else 0
    return pl.DataFrame(
        {
            **{name: pl.Series(name, list(cells), dtype=pl.String) for name, cells in columns.items()},
            "__row__": pl.Series("__row__", range(first_row, first_row + height), dtype=pl.Int64),
        }
    )
