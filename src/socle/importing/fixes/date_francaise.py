"""``date-francaise``: dates written the French way, or with a zero time, in a ``date`` field.

``08/09/2017``, ``8.9.2017``, ``08-09-2017``, ``2017/09/08`` and ``2021-03-04 00:00:00`` become
``2017-09-08``… in the field's format: ISO 8601 by default (and for ``any``), or the field's own
``strptime`` pattern when it is made of ``%Y``, ``%m`` and ``%d`` only (``%d/%m/%Y`` turns
``2017-09-08`` into ``08/09/2017``). Day first is assumed, as in France, but when the column mixes
day-first and month-first dates, a value that reads both ways is flagged (see
:mod:`socle.importing.fixes._dates`), and so are two-digit years and non-zero times.
"""

from __future__ import annotations

import polars as pl

from socle.importing.fixes._dates import DateRule, read_dates, write_dates
from socle.importing.fixes._text import when
from socle.importing.fixes.base import FixContext, FixOutcome, Goal, register


@register
class DateFrancaise(DateRule):
    code = "date-francaise"
    label = "Dates à la française"
    description = (
        "Récrit au format du schéma (AAAA-MM-JJ par défaut) les dates écrites JJ/MM/AAAA, JJ.MM.AAAA, "
        "JJ-MM-AAAA ou AAAA/MM/JJ, et les dates suivies d'une heure nulle (« 2021-03-04 00:00:00 »). "
        "Le jour est lu en premier, sauf si la colonne mélange les deux ordres : une date lisible dans "
        "les deux sens (« 03/04/2021 ») est alors signalée, comme les années à deux chiffres et les "
        "heures non nulles."
    )
    order = 30
    goal = Goal.TYPE

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        fmt = self.target_format(ctx)
        # Only the cells the type refuses say how the column is written.
        todo = ctx.type_errors
        readings = read_dates(when(todo, values, None))
        frame = readings.frame
        written = write_dates(frame["year"], frame["month"], frame["day"], fmt)
        return FixOutcome.of(when(readings.found, written, values), readings.reasons)
