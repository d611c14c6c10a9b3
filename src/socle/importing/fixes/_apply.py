"""Applying the fix rules to a table, reverting them, counting them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import polars as pl

from socle.importing.fixes._judge import FieldJudge
from socle.importing.fixes._log import (
    COUNT_SCHEMA,
    FIX_SCHEMA,
    FLAG_SCHEMA,
    concat_log,
)
from socle.importing.fixes.base import FixRule, default_rules, run_rule
from socle.schemas.model import TableSchema

ROW = "__row__"
"""The row-number column (Int64), as in :mod:`socle.io.table`."""


@dataclass(frozen=True)
class FixResult:
    """A fixed frame, with the log of what was changed and flagged (see :mod:`._log`)."""

    frame: pl.DataFrame
    fixes: pl.DataFrame
    """One row per change (``FIX_SCHEMA``)."""
    flags: pl.DataFrame
    """One row per flagged cell (``FLAG_SCHEMA``)."""
    rules: tuple[FixRule, ...]
    """The rules that ran, in order."""

    def counts(self) -> pl.DataFrame:
        """Per rule that ran: its label, the cells it changed and those it flagged."""
        return count_by_rule(self.fixes, self.flags, self.rules)


def select_rules(
    accept: Collection[str] | None = None,
    refuse: Collection[str] = (),
    rules: Sequence[FixRule] | None = None,
) -> list[FixRule]:
    """The rules to run, in order: ``rules`` (default: every registered rule), only those of ``accept``
    when given, minus those of ``refuse``. An unknown code raises ``ValueError`` (in French)."""
    available = list(rules) if rules is not None else default_rules()
    codes = [r.code for r in available]
    if len(set(codes)) != len(codes):
        raise ValueError("Deux règles de correction portent le même code.")
    unknown = sorted((set(accept or ()) | set(refuse)) - set(codes))
    if unknown:
        raise ValueError(
            f"Règle de correction inconnue : {', '.join(unknown)} "
            f"(règles disponibles : {', '.join(sorted(codes))})."
        )
    chosen = [r for r in available if (accept is None or r.code in accept) and r.code not in refuse]
    return sorted(chosen, key=lambda r: (r.order, r.code))


def apply_fixes(
    frame: pl.DataFrame,
    schema: TableSchema,
    *,
    accept: Collection[str] | None = None,
    refuse: Collection[str] = (),
    rules: Sequence[FixRule] | None = None,
) -> FixResult:
    """Apply the fix rules to ``frame``, whose columns are String columns named after the schema's fields
    (others are left alone) plus ``__row__`` (Int64, unique row numbers).

    ``accept`` limits the rules to these codes, ``refuse`` leaves these out; ``rules`` replaces the
    registered rules (to add a rule built with a referential, for instance). Each field is fixed by its
    rules in order, each one seeing what the previous ones left. Blank rows (every field empty) are left
    as they are.
    """
    _check_frame(frame)
    chosen = select_rules(accept, refuse, rules)
    rows = frame.get_column(ROW)
    present = [f for f in schema.fields if f.name in frame.columns and f.name != ROW]
    for f in present:
        if frame.schema[f.name] != pl.String:
            raise ValueError(f"column {f.name!r} must be of type String, not {frame.schema[f.name]}")
    judges = {f.name: FieldJudge(f, schema) for f in present}
    # A blank row is reported as such and nothing else is said about it: no rule fills it in.
    blank = pl.repeat(True, frame.height, dtype=pl.Boolean, eager=True)
    for f in present:
        blank = blank & judges[f.name].missing(frame.get_column(f.name))
    columns: dict[str, pl.Series] = {}
    fixes: list[pl.DataFrame] = []
    flags: list[pl.DataFrame] = []
    for field in present:
        current = frame.get_column(field.name)
        applicable = [(step, r) for step, r in enumerate(chosen, start=1) if r.applies_to(field, schema)]
        if not applicable:
            continue
        frozen = blank
        verdicts = None
        for step, rule in applicable:
            judge = judges[field.name]
            run = run_rule(rule, current, field, schema, judge=judge, frozen=frozen, verdicts=verdicts)
            verdicts = run.verdicts
            if run.changed.any():
                fixes.append(
                    pl.DataFrame(
                        {"row": rows, "before": current, "after": run.values, "changed": run.changed}
                    )
                    .filter(pl.col("changed"))
                    .select(
                        pl.lit(step, pl.Int32).alias("step"),
                        pl.lit(rule.code).alias("rule"),
                        "row",
                        pl.lit(field.name).alias("field"),
                        "before",
                        "after",
                    )
                )
            if run.flagged.any():
                flags.append(
                    pl.DataFrame({"row": rows, "value": run.values, "reason": run.reasons})
                    .filter(pl.col("reason").is_not_null())
                    .select(
                        pl.lit(rule.code).alias("rule"),
                        "row",
                        pl.lit(field.name).alias("field"),
                        "value",
                        "reason",
                    )
                )
                frozen = frozen | run.flagged
            current = run.values
        columns[field.name] = current.alias(field.name)
    fixed = frame.with_columns(list(columns.values())) if columns else frame
    return FixResult(
        frame=fixed,
        fixes=concat_log(fixes, FIX_SCHEMA),
        flags=concat_log(flags, FLAG_SCHEMA),
        rules=tuple(chosen),
    )


def revert_fixes(frame: pl.DataFrame, fixes: pl.DataFrame) -> pl.DataFrame:
    """The frame as it was before the changes of ``fixes``: each changed cell gets back the text it had
    before the first change logged for it (``step`` order). Other cells are left as they are."""
    _check_frame(frame)
    if not fixes.height:
        return frame
    firsts = fixes.sort("step", maintain_order=True).group_by(["field", "row"], maintain_order=True).first()
    columns = []
    for (name,), changes in firsts.group_by(["field"], maintain_order=True):
        column = frame.get_column(str(name))
        original = frame.select(ROW).join(
            changes.select("row", "before", pl.lit(True).alias("__hit__")),
            left_on=ROW,
            right_on="row",
            how="left",
            maintain_order="left",
        )
        hit = original.get_column("__hit__").fill_null(False)
        columns.append(
            pl.select(
                pl.when(pl.lit(hit)).then(pl.lit(original.get_column("before"))).otherwise(pl.lit(column))
            )
            .to_series()
            .alias(column.name)
        )
    return frame.with_columns(columns)


def count_by_rule(
    fixes: pl.DataFrame, flags: pl.DataFrame, rules: Sequence[FixRule] | None = None
) -> pl.DataFrame:
    """Per rule (those of ``rules``, default every registered rule, in order): its French label, how
    many cells it changed, how many it flagged (``COUNT_SCHEMA``)."""
    listed = list(rules) if rules is not None else default_rules()
    fixed = dict(fixes.group_by("rule").len().iter_rows()) if fixes.height else {}
    flagged = dict(flags.group_by("rule").len().iter_rows()) if flags.height else {}
    return pl.DataFrame(
        {
            "rule": [r.code for r in listed],
            "label": [r.label for r in listed],
            "fixes": [int(fixed.get(r.code, 0)) for r in listed],
            "flags": [int(flagged.get(r.code, 0)) for r in listed],
        },
        schema=COUNT_SCHEMA,
    )


def _check_frame(frame: pl.DataFrame) -> None:
    if ROW not in frame.columns:
        raise ValueError(f"the frame must have a {ROW} column (row numbers)")
    if frame.get_column(ROW).is_duplicated().any():
        raise ValueError(f"the {ROW} column must hold unique row numbers")
