"""``opening-hours-value``: the cell follows OpenStreetMap's ``opening_hours`` syntax.

Judged by the ``opening-hours-py`` library, as in Validata, once per distinct value. Validata 0.12.5
ships version 0.6 of that library and Socle a newer one, which accepts some values 0.6 refused (valid
OSM syntax such as ``Mo-Fr 08:00+`` or ``Sa[-1]``, and tolerated forms such as ``Mo-Fr 9:00-12:00``),
and refuses a cell made of spaces only, which 0.6 accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation.custom_checks._common import TEXT, SingleColumnCheck, VerdictCache
from socle.validation.custom_checks.base import register


def is_valid_opening_hours(value: str) -> bool:
    """True if ``value`` is a valid OSM ``opening_hours`` expression."""
    import opening_hours  # only schemas that use the check load it

    return bool(opening_hours.validate(value))


class OpeningHoursValue(SingleColumnCheck):
    """Validata's ``opening-hours-value``."""

    name = "opening-hours-value"
    code = "opening-hours-value"
    codes = ("opening-hours-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self._verdicts = VerdictCache(is_valid_opening_hours)

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        return self.report(frame, self._verdicts.invalid(frame.get_column(TEXT)), column)


register(OpeningHoursValue)
