"""``siret-compact``: SIRET and SIREN numbers written with spaces, dots or dashes.

``228 000 014 00016``, ``228.000.014.00016`` and ``228-000-014-00016`` become ``22800001400016`` in a
field that holds SIRET or SIREN numbers: one with a ``french-siret-value``/``siret`` or
``french-siren-value``/``siren`` custom check, or whose name says ``siret`` or ``siren``. A number
that a spreadsheet turned into a decimal (``22800001400016.0``) loses its ``.0``; one written in
scientific notation is rewritten only when every digit is still there (``2,2800001400016E+13``), and
flagged otherwise (``8,03E+13``: digits were lost and cannot be guessed). As with every rule, the
result must satisfy the field (its ``pattern``, its check): a SIRET with spaces that the schema
already accepts is left as it is.
"""

from __future__ import annotations

import polars as pl

from socle.importing.fixes._text import SPACE_SEPARATORS, strip, when
from socle.importing.fixes.base import FixContext, FixOutcome, FixRule, Goal, register
from socle.schemas.model import Field, TableSchema

SIRET_LENGTH = 14
SIREN_LENGTH = 9
_CHECKS = {
    "french-siret-value": SIRET_LENGTH,
    "siret": SIRET_LENGTH,
    "french-siren-value": SIREN_LENGTH,
    "siren": SIREN_LENGTH,
}
_SEPARATED = f"^[0-9](?:[0-9]|[{SPACE_SEPARATORS}.\\-\u2010\u2011])*[0-9]$"
_FLOAT = r"^([0-9]+)\.0+$"
_SCIENTIFIC = r"^(?P<lead>[0-9])(?:[.,](?P<rest>[0-9]+))?[eE]\+?(?P<exp>[0-9]+)$"

DESTROYED_REASON = (
    "numéro en notation scientifique : le tableur n'en a gardé que les premiers chiffres, "
    "les autres sont perdus et ne peuvent pas être devinés"
)


def lengths(field: Field, schema: TableSchema) -> frozenset[int]:
    """The lengths of the numbers the field holds: {14} for SIRET, {9} for SIREN, empty if neither."""
    found = {
        _CHECKS[c.name]
        for c in schema.custom_checks
        if c.name in _CHECKS and c.params.get("column") == field.name
    }
    name = field.name.casefold()
    if "siret" in name:
        found.add(SIRET_LENGTH)
    if "siren" in name:
        found.add(SIREN_LENGTH)
    return frozenset(found)


@register
class SiretCompact(FixRule):
    code = "siret-compact"
    label = "SIRET et SIREN sans séparateurs"
    description = (
        "Retire les espaces, points et tirets d'un numéro SIRET ou SIREN (« 228 000 014 00016 » devient "
        "« 22800001400016 ») et le « .0 » ajouté par un tableur, lorsque le schéma l'exige. Un numéro "
        "affiché en notation scientifique (« 8,03E+13 ») a perdu des chiffres : il est signalé."
    )
    order = 30
    goal = Goal.FIELD

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return field.type in {"string", "integer"} and bool(lengths(field, schema))

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        wanted = sorted(lengths(ctx.field, ctx.schema))
        todo = ctx.todo
        text = strip(when(todo, values, None))
        digits = when(
            text.str.contains(_FLOAT).fill_null(False),
            text.str.extract(_FLOAT),
            when(text.str.contains(_SEPARATED).fill_null(False), text.str.replace_all(r"[^0-9]", ""), None),
        )
        scientific = text.str.extract_groups(_SCIENTIFIC).struct.unnest()
        mantissa = scientific["lead"] + scientific["rest"].fill_null("")
        exponent = scientific["exp"].cast(pl.Int64, strict=False)
        # Exact only when the mantissa holds every digit of the number (no trailing zero left out).
        exact = (mantissa.str.len_bytes().cast(pl.Int64) == exponent + 1).fill_null(False)
        digits = when(exact, mantissa, digits)
        good_length = digits.str.len_bytes().is_in(wanted).fill_null(False)
        reasons = when(scientific["lead"].is_not_null() & ~exact, DESTROYED_REASON, None)
        return FixOutcome.of(when(good_length, digits, values), reasons)
