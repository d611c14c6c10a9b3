"""``one-of-required``: on each row, at least one of two columns is filled.

The first column is ``column1`` (scdl/subventions 2.1.1) or ``column`` (other schemas); the second is
``column2``. Validata only knows ``column1`` and refuses the ``column`` form.

As in Validata: an absent column counts as a column of empty cells; when both are absent, one finding
says so (Validata reports it on the first row; Socle with the header, even for a file without rows).
Where the finding goes: on the only present column when one is absent; when both are present, on
the row as a whole for the ``column1`` form (as Validata) and on ``column``'s cell for the ``column``
form (as every other check with a ``column`` parameter).

"Filled" is judged on the cell's text, as in ``cohesive-columns-value``: Validata tests the typed
value's truth, so a cell with a type error, or an integer 0, counts as empty there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation import catalogue
from socle.validation.custom_checks._common import require_field
from socle.validation.custom_checks.base import CheckContext, CheckParamsError, CustomCheck, register
from socle.validation.findings import cell_findings, empty_findings, single_finding

ABSENT_COLUMNS = "absent-columns"


class OneOfRequired(CustomCheck):
    """Validata's ``one-of-required``, also accepting ``column`` for the first column."""

    name = "one-of-required"
    codes = ("one-of-required",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        if "column" in params and "column1" in params and params["column"] != params["column1"]:
            raise CheckParamsError(
                "« column » et « column1 » désignent deux colonnes différentes : gardez-en un."
            )
        self.first_is_column = "column1" not in params and "column" in params
        self.column1 = self.param_str("column1", "column")
        self.column2 = self.param_str("column2")
        require_field(schema, self.column1, "column" if self.first_is_column else "column1")
        require_field(schema, self.column2, "column2")

    def fields(self) -> Sequence[str]:
        return [self.column1, self.column2]

    def check_structure(self, present_fields: Sequence[str]) -> pl.DataFrame:
        if self.column1 in present_fields or self.column2 in present_fields:
            return empty_findings()
        return single_finding(
            "one-of-required",
            catalogue.text("one-of-required", ABSENT_COLUMNS, field=self.column1, other=self.column2),
            detail=ABSENT_COLUMNS,
        )

    def _target(self, ctx: CheckContext) -> str | None:
        """The field that carries the finding (``None``: the row)."""
        has1, has2 = ctx.has(self.column1), ctx.has(self.column2)
        if has1 and has2:
            return self.column1 if self.first_is_column else None
        return self.column1 if has1 else self.column2

    def check(self, ctx: CheckContext) -> pl.DataFrame:
        if not (ctx.has(self.column1) or ctx.has(self.column2)):
            return empty_findings()  # said once by check_structure
        target = self._target(ctx)
        both_empty = ctx.raw(self.column1).is_null() & ctx.raw(self.column2).is_null()
        return cell_findings(
            ctx.frame,
            both_empty,
            code="one-of-required",
            message=catalogue.message("one-of-required", field=self.column1, other=self.column2),
            row=ctx.row,
            field=target,
            column=ctx.position(target) if target is not None else None,
            value=None,
        )


register(OneOfRequired)
