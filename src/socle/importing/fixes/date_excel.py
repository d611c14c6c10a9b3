"""``date-excel``: Excel serial day numbers in a ``date`` field.

A spreadsheet stores a date as the number of days since 30 December 1899; a date cell exported as a
number, or a column formatted as numbers, shows ``44197`` for 1 January 2021. Such numbers are
converted only when the column is clearly made of them: every cell the type refuses is a whole
number of five digits between 18264 (1 January 1950) and 73050 (31 December 2099), so that a year
(``2021``) or an amount cannot be taken for a date. Otherwise they are flagged. The rule runs after
the other date rules, so that the column it judges is what they left.
"""

from __future__ import annotations

import polars as pl

from socle.importing.fixes._dates import DateRule, write_dates
from socle.importing.fixes._text import strip, when
from socle.importing.fixes.base import FixContext, FixOutcome, Goal, register

FIRST_SERIAL = 18264
"""1950-01-01."""
LAST_SERIAL = 73050
"""2099-12-31."""
_SERIAL = r"^[0-9]{5}(?:\.0+)?$"

REASON = (
    "nombre de jours à la manière d'Excel, mais la colonne contient aussi d'autres valeurs non "
    "reconnues : rien ne dit que toute la colonne compte des jours"
)


@register
class DateExcel(DateRule):
    code = "date-excel"
    label = "Dates en nombre de jours Excel"
    description = (
        "Convertit en dates les nombres de jours d'Excel (44197 pour le 1er janvier 2021) lorsque toute "
        "la colonne en est faite (nombres entiers de 1950 à 2099) ; sinon ces nombres sont signalés."
    )
    order = 40
    goal = Goal.TYPE

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        fmt = self.target_format(ctx)
        todo = ctx.type_errors
        text = strip(values)
        number = pl.select(
            pl.when(pl.lit(text).str.contains(_SERIAL)).then(
                pl.lit(text).str.extract(r"^([0-9]{5})").cast(pl.Int64)
            )
        ).to_series()
        serial = (todo & number.is_between(FIRST_SERIAL, LAST_SERIAL)).fill_null(False)
        if not serial.any():
            return FixOutcome.of(values)
        if (todo & ~serial).any():
            return FixOutcome.of(values, when(serial, REASON, None))
        dates = pl.select(pl.date(1899, 12, 30) + pl.duration(days=pl.lit(number))).to_series()
        written = write_dates(dates.dt.year(), dates.dt.month(), dates.dt.day(), fmt)
        return FixOutcome.of(when(serial, written, values))
