"""``french-siren-value``: the cell is a valid SIREN (9 digits, Luhn key).

Validata 0.12 renames the check ``siren``; Socle accepts both names, without a warning.
"""

from __future__ import annotations

import polars as pl

from socle.validation.custom_checks._common import TEXT, SingleColumnCheck, failing
from socle.validation.custom_checks._identifiers import siren_ok
from socle.validation.custom_checks.base import register


class FrenchSirenValue(SingleColumnCheck):
    """Validata's ``french-siren-value`` (python-stdnum ``siren.is_valid``)."""

    name = "french-siren-value"
    code = "french-siren-value"
    codes = ("french-siren-value",)

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        return self.report(frame, failing(frame.get_column(TEXT), siren_ok), column)


class Siren(FrenchSirenValue):
    """The same check under Validata's newer name."""

    name = "siren"


register(FrenchSirenValue)
register(Siren)
