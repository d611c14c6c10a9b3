"""Base class and registry of the fix rules, one module per rule.

A fix rule rewrites the cells of one field that the engine refuses into cells it accepts, when the
rewriting is certain (``26 956,00`` → ``26956.00`` for a number); when a cell looks fixable but its
reading is not certain (``03/04/2021`` in a column that also holds month-first dates) or its content
was destroyed (a SIRET shown as ``8,03E+13``), the rule flags it with a French reason instead of
guessing. Each rule lives in its own module of this package and registers itself with
:func:`register`; :func:`load_registry` imports every module of the package, so there is no
hand-kept list.

:func:`run_rule` is the one way a rule is applied, and it holds the guarantees every rule shares:

- a cell the engine accepts is never changed nor flagged (verdicts of :class:`FieldJudge`);
- a flagged cell is not changed, and a cell flagged by an earlier rule is left alone;
- a change is kept only if the engine accepts the result (the type alone for rules whose goal is
  :attr:`Goal.TYPE`, so that ``150,5`` still becomes ``150.5`` in a field whose maximum is 100: the
  rewriting is exact, and the validation then reports the real problem);
- no rule empties a cell, but the whitespace rule (a cell of spaces only is an empty cell).

Rules that need a referential (re-padding INSEE codes needs the COG) register the same way from their
own module, or are handed to :func:`socle.importing.fixes.apply_fixes` as instances built with their
referential (``rules=[*default_rules(), MyRule(cog)]``).
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from socle.importing.fixes._judge import FieldJudge, Verdicts
from socle.importing.fixes._text import when
from socle.schemas.model import Field, TableSchema
from socle.validation.registry import import_rule_modules


class Goal(enum.Enum):
    """What the result of a change must satisfy for the change to be kept."""

    TYPE = "type"
    """The field's type reads the result (constraints may still refuse it: the validation says why)."""
    FIELD = "field"
    """The engine accepts the result: type, constraints and the field's own custom checks."""


@dataclass(frozen=True)
class FixOutcome:
    """What a rule proposes for a column: the fixed values and, for each flagged cell, a French reason."""

    values: pl.Series
    """String series of the column's length: the proposed text of every cell."""
    reasons: pl.Series
    """String series of the column's length: the French reason where the cell is flagged, else null."""

    @property
    def flagged(self) -> pl.Series:
        """Boolean series: true where the cell is flagged (fixable in appearance, but not certain)."""
        return self.reasons.is_not_null()

    @classmethod
    def of(cls, values: pl.Series, reasons: pl.Series | None = None) -> FixOutcome:
        """An outcome with these values and, by default, no flag."""
        if reasons is None:
            reasons = pl.repeat(None, values.len(), dtype=pl.String, eager=True)
        return cls(values=values, reasons=reasons)


@dataclass(frozen=True)
class FixContext:
    """One column as a rule sees it: the field, the schema and the engine's verdicts on each cell."""

    field: Field
    schema: TableSchema
    judge: FieldJudge
    missing: pl.Series
    """True where the cell is empty (null or a missing value of the field)."""
    type_ok: pl.Series
    """True where the field's type reads the cell as it is (empty cells included)."""
    accepted: pl.Series
    """True where the engine accepts the cell as it is: the rule must leave it alone."""

    @classmethod
    def build(
        cls,
        values: pl.Series,
        field: Field,
        schema: TableSchema,
        judge: FieldJudge | None = None,
        verdicts: Verdicts | None = None,
    ) -> FixContext:
        """The context of ``values``; ``verdicts``, when given, must be the judge's verdicts on them."""
        judge = judge or FieldJudge(field, schema)
        verdicts = verdicts or judge.verdicts(values)
        return cls(
            field=field,
            schema=schema,
            judge=judge,
            missing=verdicts.missing,
            type_ok=verdicts.type_ok,
            accepted=verdicts.accepted,
        )

    @property
    def todo(self) -> pl.Series:
        """True where a rule may change or flag the cell: the engine refuses it (an empty cell of a
        required field included)."""
        return ~self.accepted

    @property
    def type_errors(self) -> pl.Series:
        """True where the field's type does not read the cell (empty cells excluded)."""
        return ~self.type_ok & ~self.missing


class FixRule(ABC):
    """A named way of rewriting cells, with its French label and description."""

    code: ClassVar[str]
    """Stable code (``date-francaise``…), used to accept or refuse the rule and in the fix log."""
    label: ClassVar[str]
    """Short French label, for lists of rules and counts."""
    description: ClassVar[str]
    """French description: what the rule changes, and what it flags instead of guessing."""
    order: ClassVar[int] = 50
    """Rules run by increasing order on each field; each sees the result of the previous ones."""
    goal: ClassVar[Goal] = Goal.FIELD
    may_empty: ClassVar[bool] = False
    """Whether the rule may turn a cell into an empty one (only whitespace-only cells may become empty)."""

    @abstractmethod
    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        """Whether the rule is about this field at all (by type, format, constraints, custom checks)."""

    @abstractmethod
    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        """Propose fixed values for a String series (empty cells are null).

        Only the cells of ``ctx.todo`` matter: whatever is proposed elsewhere is ignored. The work is
        vectorised, or done once per distinct value, never once per row.
        """


@dataclass(frozen=True)
class RuleRun:
    """The effect of one rule on one column, once the shared guarantees are enforced."""

    values: pl.Series
    """The column after the rule: the original text wherever nothing changed."""
    changed: pl.Series
    """True where the cell was changed."""
    reasons: pl.Series
    """The French reason where the cell is flagged, else null."""
    verdicts: Verdicts
    """The engine's verdicts on ``values``, for the next rule."""

    @property
    def flagged(self) -> pl.Series:
        return self.reasons.is_not_null()


def run_rule(
    rule: FixRule,
    values: pl.Series,
    field: Field,
    schema: TableSchema,
    *,
    judge: FieldJudge | None = None,
    frozen: pl.Series | None = None,
    verdicts: Verdicts | None = None,
) -> RuleRun:
    """Apply ``rule`` to the String series ``values`` of ``field``, with the guarantees of this module.

    ``frozen`` marks cells that an earlier rule flagged: they are neither changed nor flagged again.
    ``verdicts`` are the judge's verdicts on ``values`` when already known (the previous rule's).
    """
    judge = judge or FieldJudge(field, schema)
    ctx = FixContext.build(values, field, schema, judge, verdicts)
    verdicts = Verdicts(ctx.missing, ctx.type_ok, ctx.accepted)
    eligible = ctx.todo if frozen is None else ctx.todo & ~frozen.fill_null(False)
    unchanged = RuleRun(
        values=values,
        changed=pl.repeat(False, values.len(), dtype=pl.Boolean, eager=True),
        reasons=pl.repeat(None, values.len(), dtype=pl.String, eager=True),
        verdicts=verdicts,
    )
    if not eligible.any():
        return unchanged
    cells = when(ctx.missing, None, values)
    outcome = rule.fix(cells, ctx)
    if outcome.values.len() != values.len() or outcome.reasons.len() != values.len():
        raise RuntimeError(f"the fix rule {rule.code} changed the length of the column")
    flagged = eligible & outcome.flagged.fill_null(False)
    proposed = outcome.values.cast(pl.String)
    differs = (proposed != cells).fill_null(True) & proposed.is_not_null()
    changed = eligible & ~flagged & differs
    if changed.any():
        changed, verdicts = _keep_goal_met(rule, judge, proposed, changed, verdicts)
    if not (changed.any() or flagged.any()):
        return unchanged
    return RuleRun(
        values=when(changed, proposed, values).alias(values.name),
        changed=changed,
        reasons=when(flagged, outcome.reasons, None),
        verdicts=verdicts,
    )


def _keep_goal_met(
    rule: FixRule, judge: FieldJudge, proposed: pl.Series, where: pl.Series, verdicts: Verdicts
) -> tuple[pl.Series, Verdicts]:
    """The rows of ``where`` whose proposed text meets the rule's goal, and the verdicts on the column
    once those rows take their proposed text (verdicts are per cell: only those rows are judged)."""
    index = where.arg_true()
    judged = judge.verdicts(proposed.gather(index))
    ok = judged.type_ok if rule.goal is Goal.TYPE else judged.accepted
    if not rule.may_empty:
        ok = ok & ~judged.missing
    kept = pl.repeat(False, proposed.len(), dtype=pl.Boolean, eager=True).scatter(index, ok)
    index = index.filter(ok)

    def patched(old: pl.Series, new: pl.Series) -> pl.Series:
        return old.clone().scatter(index, new.filter(ok))

    return kept, Verdicts(
        missing=patched(verdicts.missing, judged.missing),
        type_ok=patched(verdicts.type_ok, judged.type_ok),
        accepted=patched(verdicts.accepted, judged.accepted),
    )


_REGISTRY: dict[str, type[FixRule]] = {}


def register[R: type[FixRule]](cls: R) -> R:
    """Class decorator: make a rule available under its ``code``."""
    if cls.code in _REGISTRY and _REGISTRY[cls.code] is not cls:
        raise RuntimeError(f"two fix rules with the code {cls.code}")
    _REGISTRY[cls.code] = cls
    return cls


def load_registry() -> Mapping[str, type[FixRule]]:
    """Import every module of this package once, then return the registry (code → rule class)."""
    import_rule_modules("socle.importing.fixes")
    return dict(_REGISTRY)


def default_rules() -> list[FixRule]:
    """One instance of every registered rule, in the order they run."""
    return sorted((cls() for cls in load_registry().values()), key=lambda r: (r.order, r.code))
