"""What the validation engine thinks of one field's cells, asked of the engine's own parts.

A fix never touches a cell the engine accepts, and keeps a change only when the engine accepts the
result; both verdicts come from here, built from the engine's type readers, constraint classes and
custom checks, never from a second implementation of their rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from socle.schemas.model import Field, TableSchema
from socle.validation.custom_checks.base import (
    ROW_COL,
    CheckContext,
    CheckParamsError,
    CustomCheck,
    load_registry,
    raw_col,
    typed_col,
)
from socle.validation.engine import FieldPlan, field_verdicts, is_missing


@dataclass(frozen=True)
class Verdicts:
    """Per cell: ``missing`` (null or a missing value), ``type_ok`` (the type reads it; missing
    cells included) and ``accepted`` (no finding at all about this cell alone)."""

    missing: pl.Series
    type_ok: pl.Series
    accepted: pl.Series


class FieldJudge:
    """The engine's verdicts on the cells of one field, as if each cell were alone in its row.

    A cell is accepted when it raises no finding of its own: its type reads it, no constraint refuses it
    (``required`` included: an empty cell of a required field is not accepted), and no custom check on
    this field alone reports it (``french-siret-value``…). Findings that need other cells (``unique``,
    checks comparing columns) are not a cell's own and are left out.
    """

    def __init__(self, field: Field, schema: TableSchema) -> None:
        self.field = field
        self.schema = schema
        self.plan = FieldPlan.of(field, schema)
        self.checks = _single_field_checks(field, schema)

    def missing(self, values: pl.Series) -> pl.Series:
        """True where the cell is null or one of the field's missing values."""
        return pl.select(is_missing(pl.lit(values.cast(pl.String)), self.plan.missing_values)).to_series()

    def verdicts(self, values: pl.Series) -> Verdicts:
        """The verdicts on every cell of ``values`` (a String series), by the engine's own rules."""
        judged = field_verdicts(self.plan, values.cast(pl.String))
        every = pl.repeat(True, values.len(), dtype=pl.Boolean, eager=True)
        ok = every if judged.ok is None else judged.ok.fill_null(False)
        accepted = ~judged.refused()
        if self.checks and accepted.any():
            accepted = accepted & ~self._reported(judged.value, judged.typed)
        return Verdicts(missing=judged.missing, type_ok=ok, accepted=accepted)

    def type_ok(self, values: pl.Series) -> pl.Series:
        return self.verdicts(values).type_ok

    def accepted(self, values: pl.Series) -> pl.Series:
        return self.verdicts(values).accepted

    def _reported(self, value: pl.Series, typed: pl.Series) -> pl.Series:
        """True where a custom check on this field alone reports the cell."""
        name = self.field.name
        index = pl.int_range(0, value.len(), dtype=pl.Int64, eager=True)
        frame = pl.DataFrame({raw_col(name): value, typed_col(name): typed, ROW_COL: index})
        ctx = CheckContext(frame=frame, schema=self.schema, positions={name: 1})
        reported = pl.repeat(False, value.len(), dtype=pl.Boolean, eager=True)
        for check in self.checks:
            rows = check.check(ctx).get_column("row").drop_nulls()
            if rows.len():
                reported = reported | index.is_in(rows.implode())
        return reported


def _single_field_checks(field: Field, schema: TableSchema) -> Sequence[CustomCheck]:
    """The schema's custom checks that read this field and no other."""
    registry = load_registry()
    checks: list[CustomCheck] = []
    for spec in schema.custom_checks:
        cls = registry.get(spec.name)
        if cls is None:
            continue
        try:
            check = cls(spec.params, schema)
        except CheckParamsError:
            continue  # the engine reports the schema's mistake; it says nothing about cells
        if list(check.fields()) == [field.name]:
            checks.append(check)
    return checks
