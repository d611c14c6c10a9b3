"""``intervalle-dates``: periods written ``2017/09/08_2021/09/07`` or ``du 08/09/2017 au 07/09/2021``.

In a ``string`` field whose ``pattern`` expects ISO 8601 intervals (it accepts
``2017-09-08/2021-09-07`` and refuses ``2017-09-08_2021-09-07``, as ``datesPeriodeVersement`` of
``scdl/subventions`` does), a period whose ends are separated by ``_``, `` au ``, `` - `` or a dash,
with an optional leading ``du``, becomes ``début/fin`` with both dates in ISO 8601; a single date
becomes an ISO date when the pattern allows one. Dates are read as by ``date-francaise`` (day first;
ambiguous values in a column that mixes both orders are flagged), over every date of the column.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from socle.importing.fixes._dates import ISO_FORMAT, read_dates, write_dates
from socle.importing.fixes._text import strip, when
from socle.importing.fixes.base import FixContext, FixOutcome, FixRule, Goal, register
from socle.schemas.model import Field, TableSchema
from socle.validation.regex import CompiledPattern

_DATE = r"[0-9]{1,4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,4}(?:[ T]00:00(?::00)?)?"
_BETWEEN = r"\s*(?:_|\s(?i:au)\s|\s[-\u2013\u2014]\s|[\u2013\u2014])\s*"
"""What separates the ends of a period: ``_``, `` au ``, a spaced hyphen, an en or em dash."""
_PERIOD = f"^(?i:du\\s+)?(?P<start>{_DATE}){_BETWEEN}(?P<end>{_DATE})$"
_SINGLE = f"^(?P<start>{_DATE})$"


@cache
def _accepts(pattern: str, text: str) -> bool:
    matched = CompiledPattern.compile(pattern).matches(pl.Series([text], dtype=pl.String))[0]
    return bool(matched)


def expects_intervals(field: Field) -> bool:
    """Whether the field's pattern is one for ISO 8601 intervals of dates."""
    pattern = field.constraints.get("pattern")
    if field.type != "string" or not isinstance(pattern, str):
        return False
    return _accepts(pattern, "2017-09-08/2021-09-07") and not _accepts(pattern, "2017-09-08_2021-09-07")


@register
class IntervalleDates(FixRule):
    code = "intervalle-dates"
    label = "Périodes au format ISO 8601"
    description = (
        "Récrit les périodes écrites « 2017/09/08_2021/09/07 », « du 08/09/2017 au 07/09/2021 » ou avec "
        "un tiret en « 2017-09-08/2021-09-07 », comme l'attend le motif du schéma (ISO 8601) ; une date "
        "seule est récrite AAAA-MM-JJ si le motif l'accepte. Les dates ambiguës sont signalées."
    )
    order = 30
    goal = Goal.FIELD

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return expects_intervals(field)

    def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
        text = strip(when(ctx.todo, values, None))
        period = text.str.extract_groups(_PERIOD).struct.unnest()
        single = text.str.extract(_SINGLE)
        starts = when(period["start"].is_not_null(), period["start"], single)
        ends = period["end"]
        # Both ends of every period, and single dates, tell together how the column writes dates.
        readings = read_dates(pl.concat([starts, ends]))
        frame = readings.frame
        written = write_dates(frame["year"], frame["month"], frame["day"], ISO_FORMAT)
        size = values.len()
        start_iso, end_iso = written.head(size), written.tail(size)
        start_why, end_why = readings.reasons.head(size), readings.reasons.tail(size)
        interval = start_iso + "/" + end_iso
        fixed = when(
            ends.is_not_null(), interval, when(starts.is_not_null() & ends.is_null(), start_iso, None)
        )
        reasons = when(start_why.is_not_null(), start_why, end_why)
        return FixOutcome.of(when(fixed.is_not_null() & reasons.is_null(), fixed, values), reasons)
