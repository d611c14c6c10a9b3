"""``espaces``: spaces around a value, and runs of spaces inside it.

``␣aide en nature`` becomes ``aide en nature``, ``aide␣␣en nature`` becomes ``aide en nature``,
``␣2021-03-04`` becomes ``2021-03-04``; every kind of space counts (non-breaking, narrow non-breaking,
tabulations, line breaks) and so do invisible characters at either end (zero-width space, byte order
mark). The smallest change the engine accepts is kept: trimming alone when it is enough, trimming and
collapsing inner runs otherwise. A cell of spaces only becomes empty, when an empty cell is allowed.
"""

from __future__ import annotations

import polars as pl

from socle.importing.fixes._text import collapse, strip, when
from socle.importing.fixes.base import FixContext, FixOutcome, FixRule, Goal, register
from socle.schemas.model import Field, TableSchema


@register
class Espaces(FixRule):
    code = "espaces"
    label = "Espaces superflues"
    description = (
        "Retire les espaces (y compris insécables et fines insécables) et les caractères invisibles en "
        "début et en fin de valeur, et remplace les suites d'espaces à l'intérieur par une seule "
        "espace, lorsque la valeur devient ainsi conforme au schéma."
    )
    order = 10
    goal = Goal.FIELD
    may_empty = True

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return True

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        trimmed, collapsed = strip(values), collapse(values)
        proposed = when(ctx.todo, collapsed, values)
        # Where collapsing would change more than trimming, trimming alone is tried first; elsewhere the
        # collapsed text is the only candidate, and run_rule judges it.
        both = ctx.todo & (trimmed != values).fill_null(False) & (collapsed != trimmed).fill_null(False)
        if both.any():
            index = both.arg_true()
            cut = trimmed.gather(index)
            enough = ctx.judge.accepted(cut)
            proposed = proposed.scatter(index.filter(enough), cut.filter(enough))
        return FixOutcome.of(proposed)
