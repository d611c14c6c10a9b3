"""``nomenclature-actes-value``: the cell starts with a level-1 matière of the @ctes nomenclature, then "/".

As Validata: the part before the first "/" must be a level-1 label (case and accents ignored), no
space may follow a "/", and what follows the "/" is not checked. Unlike Validata, a value without
"/" is always refused: Validata accepts ``Urbanisme.`` because it cuts the value at
``find("/")``, which is -1 when there is no "/", so it drops the last character instead.

Labels come from the shipped @ctes file (:mod:`socle.referentials.nomenclature_actes`), in their
@ctes spelling and in the SCDL one (n°6 is "pourvoirs" in @ctes, "pouvoirs" in the SCDL).
Validata 0.12 renames the check ``nomenclature-acte``; Socle accepts both names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from socle.referentials import nomenclature_actes
from socle.schemas.model import TableSchema
from socle.validation.custom_checks._common import TEXT, VALUE, SingleColumnCheck, judge_distinct
from socle.validation.custom_checks.base import register

_MISSING_SLASH = " : la barre oblique « / » manque entre la matière et la sous-matière"
_SPACE_AROUND_SLASH = " : la barre oblique « / » ne doit être ni précédée ni suivie d'une espace"
_LEADING_SPACE = " : la valeur ne doit pas commencer par une espace"
_EMPTY_MATIERE = " : la matière de niveau 1 manque avant la barre oblique « / »"


def fold(text: pl.Expr) -> pl.Expr:
    """Lower case without diacritics, as :func:`socle.referentials.nomenclature_actes.fold`."""
    return text.str.to_lowercase().str.normalize("NFD").str.replace_all(r"\p{Mn}", "")


class NomenclatureActesValue(SingleColumnCheck):
    """Validata's ``nomenclature-actes-value``, without its "no slash" bug."""

    name = "nomenclature-actes-value"
    code = "nomenclature-actes-value"
    codes = ("nomenclature-actes-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self.level1_keys = sorted(nomenclature_actes.load().level1_keys())

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        # Matières repeat a lot: judge each distinct text once.
        flagged = judge_distinct(frame, TEXT, self._reasons)
        return self.report(flagged, pl.lit(True), column, reason=pl.col("reason"))

    def _reasons(self, distinct: pl.Series) -> pl.DataFrame:
        """Per distinct value: null when valid, else the French reason (starting with " : ")."""
        value = pl.col(VALUE)
        prefix = value.str.extract(r"^([^/]*)/", 1)
        known = fold(prefix).is_in(self.level1_keys)
        known_once_trimmed = fold(prefix).str.strip_chars().is_in(self.level1_keys)
        space_after_slash = value.str.contains("/ ", literal=True)
        reason = (
            pl.when(prefix.is_null())
            .then(pl.lit(_MISSING_SLASH))
            .when(known & ~space_after_slash)
            .then(pl.lit(None, pl.String))
            .when(space_after_slash | prefix.str.contains(r"\s$"))
            .then(pl.lit(_SPACE_AROUND_SLASH))
            .when(known_once_trimmed)
            .then(pl.lit(_LEADING_SPACE))
            .when(prefix.str.strip_chars() == "")
            .then(pl.lit(_EMPTY_MATIERE))
            .otherwise(
                pl.concat_str(
                    pl.lit(" : « "),
                    prefix.str.strip_chars(),
                    pl.lit(" » n'est pas une matière de niveau 1 de la nomenclature @ctes"),
                )
            )
        )
        return (
            distinct.to_frame().select(value, reason.alias("reason")).filter(pl.col("reason").is_not_null())
        )


class NomenclatureActe(NomenclatureActesValue):
    """The same check under Validata's newer name."""

    name = "nomenclature-acte"


register(NomenclatureActesValue)
register(NomenclatureActe)
