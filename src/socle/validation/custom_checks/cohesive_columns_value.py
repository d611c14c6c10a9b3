"""``cohesive-columns-value``: ``column`` and ``othercolumns`` are all filled or all empty, row by row.

"Empty" is judged on the cell's text (empty or a missing value), not on its typed value. Validata
judges the typed value, so a cell with a type error counts as empty there and a non-integer vote count
raises, besides its type error, a cohesion error that is wrong: the cell is filled. Socle reports the
type error alone.

As in Validata: when some of these columns are absent from the file and others present, one finding
says so and the rows are not checked; when all are absent, nothing is checked. The finding of a row
goes on ``column``'s cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation import catalogue
from socle.validation.custom_checks._common import quote_list, require_field
from socle.validation.custom_checks.base import CheckContext, CustomCheck, register
from socle.validation.findings import cell_findings, empty_findings, single_finding

ABSENT_COLUMNS = "absent-columns"


class CohesiveColumnsValue(CustomCheck):
    """Validata's ``cohesive-columns-value``, judging emptiness on the text."""

    name = "cohesive-columns-value"
    codes = ("cohesive-columns-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self.column = self.param_str("column")
        self.othercolumns = self.param_str_list("othercolumns")
        require_field(schema, self.column, "column")
        for name in self.othercolumns:
            require_field(schema, name, "othercolumns")

    def fields(self) -> Sequence[str]:
        return [self.column, *self.othercolumns]

    def _partly_absent(self, present: Sequence[str]) -> list[str]:
        """The absent columns when some, not all, are absent; else an empty list."""
        absent = [name for name in self.fields() if name not in present]
        return absent if len(absent) < len(self.fields()) else []

    def check_structure(self, present_fields: Sequence[str]) -> pl.DataFrame:
        absent = self._partly_absent(present_fields)
        if not absent:
            return empty_findings()
        return single_finding(
            "cohesive-columns-value",
            catalogue.text(
                "cohesive-columns-value",
                ABSENT_COLUMNS,
                columns=quote_list(self.fields()),
                absent=quote_list(absent),
                row="d'en-tête",
            ),
            detail=ABSENT_COLUMNS,
        )

    def check(self, ctx: CheckContext) -> pl.DataFrame:
        present = [name for name in self.fields() if ctx.has(name)]
        if len(present) < len(self.fields()):
            return empty_findings()  # partly absent: said once by check_structure; all absent: nothing to say
        filled = [ctx.raw(name).is_not_null() for name in self.fields()]
        mixed = pl.any_horizontal(filled) & ~pl.all_horizontal(filled)
        return cell_findings(
            ctx.frame,
            mixed,
            code="cohesive-columns-value",
            message=catalogue.message(
                "cohesive-columns-value", columns=quote_list(self.fields()), row=ctx.row
            ),
            row=ctx.row,
            field=self.column,
            column=ctx.position(self.column),
            value=ctx.raw(self.column),
        )


register(CohesiveColumnsValue)
