"""``code-insee``: INSEE commune codes that a spreadsheet turned into numbers lost their leading zero.

``1001`` in an INSEE code field becomes ``01001`` **only if** ``01001`` is the code of a commune in the
COG shipped with Socle (communes déléguées, associées and arrondissements municipaux included); any
other four-digit value is flagged: re-padding it would be a guess. A field holds INSEE codes when its
name or title says ``insee`` (``COLL_INSEE``, ``codeInsee``…). A number a spreadsheet wrote as a
decimal (``1001.0``) is read the same way.
"""

from __future__ import annotations

import polars as pl

from socle.importing.fixes._text import strip, when
from socle.importing.fixes.base import FixContext, FixOutcome, FixRule, Goal, register
from socle.referentials import cog
from socle.schemas.model import Field, TableSchema

_FOUR_DIGITS = r"^([0-9]{4})(?:\.0+)?$"


def holds_insee_codes(field: Field) -> bool:
    """Whether the field is about INSEE codes, by its name or title."""
    words = f"{field.name} {field.title or ''}".casefold()
    return field.type == "string" and "insee" in words


@register
class CodeInsee(FixRule):
    code = "code-insee"
    label = "Codes INSEE complétés"
    description = (
        "Rajoute le zéro initial d'un code INSEE de commune perdu dans un tableur (« 1001 » devient "
        "« 01001 »), seulement si le code complété est celui d'une commune du Code officiel géographique ; "
        "sinon la valeur est signalée."
    )
    order = 35
    goal = Goal.FIELD

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return holds_insee_codes(field)

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        four = strip(when(ctx.todo, values, None)).str.extract(_FOUR_DIGITS)
        padded = ("0" + four).alias(values.name)
        known = cog.is_insee_code_series(padded, deleguees=True, arrondissements=True).fill_null(False)
        unknown = four.is_not_null() & ~known
        reasons = pl.select(
            pl.when(pl.lit(unknown))
            .then(
                pl.concat_str(
                    pl.lit("code à quatre chiffres : « 0"),
                    pl.lit(four),
                    pl.lit(" » n'est pas une commune du Code officiel géographique, il n'est pas complété"),
                )
            )
            .otherwise(None)
        ).to_series()
        return FixOutcome.of(when(known, padded, values), reasons)
