"""The fix log: every change and every flag, as rows of polars frames (like findings).

Changes (``FIX_SCHEMA``), one row per cell a rule changed, in the order they were made:

- ``step``: 1-based rank of the rule in the run; a cell changed by two rules (spaces, then the
  number) has two rows, the earlier rule first; :func:`~socle.importing.fixes.revert_fixes` relies on
  it;
- ``rule``: the rule's code (``nombre-francais``…);
- ``row``: the row number, from the frame's ``__row__`` column (as in the source file);
- ``field``: the field name;
- ``before``: the cell's text before this change (null for an absent cell);
- ``after``: the cell's text after it.

Flags (``FLAG_SCHEMA``), one row per cell a rule left as it is because fixing it would be a guess:

- ``rule``, ``row``, ``field`` as above;
- ``value``: the cell's text, unchanged;
- ``reason``: why the cell was not fixed, in French.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

FIX_SCHEMA: dict[str, pl.DataType] = {
    "step": pl.Int32(),
    "rule": pl.String(),
    "row": pl.Int64(),
    "field": pl.String(),
    "before": pl.String(),
    "after": pl.String(),
}

FLAG_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "row": pl.Int64(),
    "field": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
}

COUNT_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "label": pl.String(),
    "fixes": pl.Int64(),
    "flags": pl.Int64(),
}
"""Columns of :func:`~socle.importing.fixes.count_by_rule`: per rule, its French label, how many cells
it changed and how many it flagged."""


def empty_fixes() -> pl.DataFrame:
    return pl.DataFrame(schema=FIX_SCHEMA)


def empty_flags() -> pl.DataFrame:
    return pl.DataFrame(schema=FLAG_SCHEMA)


def concat_log(parts: Iterable[pl.DataFrame], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    frames = [p.select([pl.col(k).cast(v) for k, v in schema.items()]) for p in parts if p.height]
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames, how="vertical")
