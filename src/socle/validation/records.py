"""Validation of records held in memory (a draft typed in a form or a grid): each record is a mapping
from field name to cell text. The engine is the same as for files; record *i* (from 1) is row *i* of
the report, so findings point straight at the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from socle.io.table import SourceInfo, Table
from socle.schemas.model import TableSchema
from socle.validation.engine import validate_table
from socle.validation.report import ValidationReport


def validate_records(
    schema: TableSchema,
    records: Sequence[Mapping[str, str | None]],
    *,
    source: str = "<saisie>",
) -> ValidationReport:
    """Validate ``records`` against ``schema``: the header is the schema's fields, in order; a field
    absent from a record, or None, is an empty cell (as in a CSV file with ``,,``). Findings are
    numbered by record (1 for the first); header findings are row 0."""
    header = [f.name for f in schema.fields]
    rows: list[list[str]] = [header]
    for record in records:
        rows.append([_text(record.get(name)) for name in header])
    table = Table.from_rows(rows, SourceInfo(path=source, format="records"), first_row_number=0)
    return validate_table(table, schema)


def _text(value: str | None) -> str:
    return "" if value is None else value
