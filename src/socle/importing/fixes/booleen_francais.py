"""``booleen-francais``: yes and no written the French way, in a ``boolean`` field.

``oui``/``non``, ``vrai``/``faux``, ``o``/``n`` (and ``yes``/``no``, ``true``/``false``, ``1``/``0``), in
any case, with or without accents and spaces, become the schema's own values: the ``trueValues`` or
``falseValues`` entry written the same way when there is one (``Non`` → ``non``), else the first one
(``oui`` → ``true`` with the default values).

A checkbox column (``x`` in ticked cells, nothing elsewhere) is read as such only when every
non-empty cell of the column is an ``x``: then ``x`` becomes the first true value and, if the field
is required (so that an empty cell is not allowed), an empty cell becomes the first false value. An
``x`` in any other column is flagged.
"""

from __future__ import annotations

import polars as pl

from socle.importing.fixes._text import fold, fold_text, strip, when
from socle.importing.fixes.base import FixContext, FixOutcome, FixRule, Goal, register
from socle.schemas.model import Field, TableSchema

TRUE_WORDS = ("oui", "o", "vrai", "yes", "true", "1")
FALSE_WORDS = ("non", "n", "faux", "no", "false", "0")
CHECK_MARKS = ("x", "✓", "✔", "☑", "☒")

CHECKBOX_REASON = (
    "« {} » ne vaut « vrai » que dans une colonne de cases à cocher, qui ne contient que des "
    "« x » et des cellules vides ; celle-ci contient aussi d'autres valeurs"
)


def _targets(words: tuple[str, ...], schema_values: tuple[str, ...]) -> dict[str, str]:
    """Folded word → the schema value it becomes (the one written the same way, else the first)."""
    by_key: dict[str, str] = {}
    for value in schema_values:
        by_key.setdefault(fold_text(value), value)
    return {key: by_key.get(key, schema_values[0]) for key in (*words, *by_key)}


@register
class BooleenFrancais(FixRule):
    code = "booleen-francais"
    label = "Oui et non à la française"
    description = (
        "Récrit oui/non, vrai/faux, o/n (quelle que soit la casse, avec ou sans accents ni espaces) avec "
        "les valeurs vrai/faux du schéma. Une colonne de cases à cocher (« x » ou vide) n'est lue ainsi "
        "que si elle ne contient rien d'autre ; les cellules vides n'y deviennent « faux » que si le "
        "champ est obligatoire."
    )
    order = 30
    goal = Goal.TYPE

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return field.type == "boolean" and bool(field.true_values) and bool(field.false_values)

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        field = ctx.field
        true_map = _targets(TRUE_WORDS, field.true_values)
        false_map = _targets(FALSE_WORDS, field.false_values)
        both = set(true_map) & set(false_map)  # a word the schema gives both meanings: leave it
        mapping = {k: v for k, v in true_map.items() if k not in both}
        mapping |= {k: v for k, v in false_map.items() if k not in both}
        keys = fold(values)
        todo = ctx.type_errors
        words = keys.replace_strict(
            pl.Series(list(mapping), dtype=pl.String),
            pl.Series(list(mapping.values()), dtype=pl.String),
            default=None,
            return_dtype=pl.String,
        )
        fixed = when(todo & words.is_not_null(), words, values)
        # A check mark the schema lists among its values is a word like the others.
        ticked = keys.is_in(list(CHECK_MARKS)).fill_null(False) & ~ctx.missing & words.is_null()
        if not (ticked & todo).any():
            return FixOutcome.of(fixed)
        if (ticked | ctx.missing).all():
            fixed = when(ticked & todo, field.true_values[0], fixed)
            if field.required:
                fixed = when(ctx.missing, field.false_values[0], fixed)
            return FixOutcome.of(fixed)
        shown = pl.select(pl.format(CHECKBOX_REASON, pl.lit(strip(values)))).to_series()
        return FixOutcome.of(fixed, when(ticked & todo, shown, None))
