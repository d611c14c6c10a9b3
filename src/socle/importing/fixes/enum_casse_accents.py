"""``enum-casse-accents``: a value of a list written with another case, accents or spacing.

In a ``string`` field with an ``enum`` constraint, ``Aide en Numéraire``, ``aide en numeraire`` and
``␣aide  en numéraire`` all become ``aide en numéraire`` when that is the one allowed value they match
once case, accents, typographic apostrophes and spaces are set aside (spaces around ``;`` included,
for lists such as ``aide en numéraire;aide en nature``). When several allowed values match, the cell
is flagged.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from socle.importing.fixes._text import fold, when
from socle.importing.fixes.base import FixContext, FixOutcome, FixRule, Goal, register
from socle.schemas.model import Field, TableSchema

REASON = "plusieurs valeurs autorisées s'écrivent ainsi à la casse et aux accents près : {allowed}"


def _allowed(field: Field) -> list[str]:
    enum = field.constraints.get("enum")
    return [v for v in enum if isinstance(v, str)] if isinstance(enum, list) else []


@register
class EnumCasseAccents(FixRule):
    code = "enum-casse-accents"
    label = "Valeurs de liste à la casse et aux accents près"
    description = (
        "Remplace une valeur par la valeur autorisée du schéma qui s'écrit comme elle aux majuscules, "
        "accents, apostrophes et espaces près (« Numéraire » devient « numéraire »), lorsqu'une seule "
        "valeur autorisée correspond ; si plusieurs correspondent, la valeur est signalée."
    )
    order = 30
    goal = Goal.FIELD

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return field.type == "string" and bool(_allowed(field))

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        allowed = _allowed(ctx.field)
        by_key: dict[str, list[str]] = defaultdict(list)
        for value, key in zip(allowed, fold(pl.Series(allowed, dtype=pl.String)).to_list(), strict=True):
            if value not in by_key[key]:
                by_key[key].append(value)
        keys = list(by_key)
        single = pl.Series([v[0] if len(v) == 1 else None for v in by_key.values()], dtype=pl.String)
        several = pl.Series(
            [
                None if len(v) == 1 else REASON.format(allowed=", ".join(f"« {x} »" for x in v))
                for v in by_key.values()
            ],
            dtype=pl.String,
        )
        folded = fold(values)
        todo = ctx.todo
        target = folded.replace_strict(keys, single, default=None, return_dtype=pl.String)
        reasons = folded.replace_strict(keys, several, default=None, return_dtype=pl.String)
        return FixOutcome.of(when(todo & target.is_not_null(), target, values), when(todo, reasons, None))
