"""``french-siret-value``: the cell is a valid SIRET (14 digits, Luhn key; La Poste's own rule).

Validata 0.12 renames the check ``siret``; Socle accepts both names, without a warning.
"""

from __future__ import annotations

import polars as pl

from socle.validation.custom_checks._common import TEXT, SingleColumnCheck, failing
from socle.validation.custom_checks._identifiers import siret_ok
from socle.validation.custom_checks.base import register


class FrenchSiretValue(SingleColumnCheck):
    """Validata's ``french-siret-value`` (python-stdnum ``siret.is_valid``)."""

    name = "french-siret-value"
    code = "french-siret-value"
    codes = ("french-siret-value",)

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        return self.report(frame, failing(frame.get_column(TEXT), siret_ok), column)


class Siret(FrenchSiretValue):
    """The same check under Validata's newer name."""

    name = "siret"


register(FrenchSiretValue)
register(Siret)
