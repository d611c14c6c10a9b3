"""``nombre-francais``: numbers written the French way, in a ``number`` or ``integer`` field.

Read: a decimal comma (``12,5``), thousands separated by spaces of any kind (``26 956,00``, with
non-breaking or narrow non-breaking spaces too) or by dots when that cannot be a decimal point
(``1.234.567``, ``1.234,56``), a currency before or after (``€``, ``EUR``, ``euros``), a sign,
and the typographic minus (``−``). Comma-separated thousands (``1,234,567``, ``1,234.56``) are read too.

Written: the digits as they were written, without separators, with the field's decimal character
(``.`` by default): ``26 956,00`` → ``26956.00``. Trailing zeros are kept, since they say how
precise the amount is and the number type reads them the same. In an ``integer`` field, a decimal
part made of zeros is dropped (``1 200,00`` → ``1200``); any other decimal part leaves the cell as
it is.

Flagged rather than guessed:

- ``1,234`` when the column also holds comma-separated thousands (then it may be 1234, not 1.234), and
  those thousands themselves (kept as evidence of the mix);
- in an ``integer`` field, ``1,234`` and ``1.234`` (a thousand and more, or a decimal number?);
- ``1.234`` when the field's decimal character is not ``.`` (decimal point or thousands?);
- scientific notation (``8,03E+13``): a spreadsheet shows large numbers that way after dropping digits.
"""

from __future__ import annotations

import polars as pl

from socle.importing.fixes._text import SPACE_SEPARATORS, example, strip, when
from socle.importing.fixes.base import FixContext, FixOutcome, FixRule, Goal, register
from socle.schemas.model import Field, TableSchema

_SP = f"[{SPACE_SEPARATORS}]"
_CURRENCY = r"(?:€|(?i:euros?|eur))"

# Shapes of the number once sign and currency are gone.
_SCIENTIFIC = r"^[0-9]*[.,]?[0-9]+[eE][+-]?[0-9]+$"
_PLAIN = r"^[0-9]+$"
_SPACE_GROUPS = f"^[1-9][0-9]{{0,2}}(?:{_SP}[0-9]{{3}})+(?:[.,][0-9]+)?$"
_DOT_GROUPS = r"^[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+$|^[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,}$"
_COMMA_GROUPS = r"^[1-9][0-9]{0,2}(?:,[0-9]{3})+\.[0-9]+$|^[1-9][0-9]{0,2}(?:,[0-9]{3}){2,}$"
_COMMA_BOTH_WAYS = r"^[1-9][0-9]{0,2},[0-9]{3}$"
_COMMA_DECIMAL = r"^[0-9]*,[0-9]+$"
_DOT_BOTH_WAYS = r"^[1-9][0-9]{0,2}\.[0-9]{3}$"
_DOT_DECIMAL = r"^[0-9]*\.[0-9]+$"
_WITH_DECIMAL = r"[.,]([0-9]+)$"
_GROUPS_ONLY = r"^[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,}$|^[1-9][0-9]{0,2}(?:,[0-9]{3}){2,}$"

SCIENTIFIC_REASON = (
    "nombre en notation scientifique : un tableur l'affiche ainsi après en avoir arrondi les chiffres, "
    "qui ont pu être perdus"
)
INTEGER_REASON = "« {sep} » peut séparer les milliers ou les décimales : entier ou nombre décimal ?"
DOT_REASON = "le point peut séparer les milliers ou les décimales : la valeur est ambiguë"


@register
class NombreFrancais(FixRule):
    code = "nombre-francais"
    label = "Nombres à la française"
    description = (
        "Récrit les nombres écrits avec une virgule décimale, des espaces (même insécables) ou des points "
        "entre les milliers, ou une devise (€, EUR, euros) : « 26 956,00 € » devient « 26956.00 », avec "
        "le séparateur décimal du schéma. Les valeurs ambiguës (« 1,234 » dans une colonne qui sépare "
        "aussi les milliers par des virgules, « 1.234 » dans un champ entier) et la notation "
        "scientifique (« 8,03E+13 ») sont signalées."
    )
    order = 30
    goal = Goal.TYPE

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return field.type in {"number", "integer"}

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        todo = ctx.type_errors
        if not todo.any():
            return FixOutcome.of(values)
        integer = ctx.field.type == "integer"
        dot_is_decimal = integer or ctx.field.decimal_char == "."
        frame = _shapes(when(todo, values, None))
        body, sign = frame["body"], frame["sign"]

        def shape(regex: str) -> pl.Series:
            return body.str.contains(regex).fill_null(False)

        comma_both, comma_groups, dot_both = (
            shape(_COMMA_BOTH_WAYS),
            shape(_COMMA_GROUPS),
            shape(_DOT_BOTH_WAYS),
        )
        mixed = bool(comma_both.any() and comma_groups.any())
        # Each cell gets the first reason of this list that applies to it.
        flags: list[tuple[pl.Series, str]] = [(shape(_SCIENTIFIC), SCIENTIFIC_REASON)]
        if integer:
            flags += [
                (comma_both, INTEGER_REASON.format(sep=",")),
                (dot_both, INTEGER_REASON.format(sep=".")),
            ]
        elif not dot_is_decimal:
            flags.append((dot_both, DOT_REASON))
        if mixed:
            flags += [
                (comma_both, _mixed_reason("1,234", values, comma_groups)),
                (comma_groups, _mixed_reason("1,234,567", values, comma_both)),
            ]
        reasons = pl.repeat(None, values.len(), dtype=pl.String, eager=True)
        for mask, reason in reversed(flags):
            reasons = when(mask, reason, reasons)
        readable = (
            shape(_PLAIN)
            | shape(_SPACE_GROUPS)
            | shape(_DOT_GROUPS)
            | shape(_DOT_DECIMAL)
            | shape(_COMMA_DECIMAL)
            | comma_groups
        ) & reasons.is_null()
        written = _write(body, sign, integer, ctx.field.decimal_char)
        return FixOutcome.of(when(readable & written.is_not_null(), written, values), reasons)


def _shapes(values: pl.Series) -> pl.DataFrame:
    """Columns ``sign`` (``-``, ``+`` or empty) and ``body`` (the number without sign nor currency)."""
    text = strip(values).str.replace_all("\u2212", "-", literal=True)
    text = text.str.replace(f"^{_CURRENCY}{_SP}*", "").str.replace(f"{_SP}*{_CURRENCY}\\.?$", "")
    parts = text.str.extract_groups(f"^(?P<sign>[+-]?){_SP}*(?P<body>.*)$").struct.unnest()
    return parts.select(pl.col("sign").fill_null(""), pl.col("body").str.strip_chars(SPACE_SEPARATORS))


def _write(body: pl.Series, sign: pl.Series, integer: bool, decimal_char: str) -> pl.Series:
    """The number as the field expects it: sign, digits without separators, decimal part."""
    # The last "." or "," is the decimal separator, unless the number is made of groups only
    # (1.234.567, 1,234,567): two separators of the same kind cannot both be decimal.
    groups_only = body.str.contains(_GROUPS_ONLY).fill_null(False)
    fraction = when(groups_only, None, body.str.extract(_WITH_DECIMAL))
    whole = when(groups_only, body, body.str.replace(_WITH_DECIMAL, ""))
    digits = whole.str.replace_all(f"(?:{_SP}|[.,])", "")
    if integer:
        zeros = fraction.is_null() | fraction.str.contains("^0+$").fill_null(False)
        return when(zeros & (digits.str.len_bytes() > 0), sign + digits, None)
    decimal = when(fraction.is_not_null(), decimal_char + fraction.fill_null(""), "")
    return sign + digits + decimal


def _mixed_reason(shown: str, values: pl.Series, other: pl.Series) -> str:
    return (
        f"nombre écrit comme « {shown} » dans une colonne qui contient aussi {example(values, other)} : "
        "la virgule y sépare tantôt les décimales, tantôt les milliers"
    )
