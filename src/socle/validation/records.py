"""Validation of records held in memory (a draft typed in a form or a grid): each record is a mapping
from field name to cell text, or the records are given column by column. The engine is the same as
for files; record *i* (from 1) is row *i* of the report unless other line numbers are given, so
findings point straight at the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from socle.io.table import CELLS, ROW, Batch, SourceInfo, Table, column_name
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
    names = [f.name for f in schema.fields]
    columns = [[record.get(name) for record in records] for name in names]
    return validate_columns(schema, columns, source=source)


def validate_columns(
    schema: TableSchema,
    columns: Sequence[Sequence[str | None] | pl.Series],
    *,
    lines: Sequence[int] | None = None,
    source: str = "<saisie>",
) -> ValidationReport:
    """Validate rows given column by column, one column of texts per field of ``schema`` in its order
    (None is an empty cell). ``lines``: the row number of each row in the report (ascending, not
    necessarily consecutive: a page of a draft, a row typed among stored ones); 1, 2, 3… by default.
    Findings that cite another row (a repeated unique value) cite these numbers."""
    names = [f.name for f in schema.fields]
    if len(columns) != len(names):
        raise ValueError(f"{len(columns)} colonnes pour {len(names)} champs du schéma")
    height = len(columns[0]) if columns else 0
    numbers = list(lines) if lines is not None else list(range(1, height + 1))
    if len(numbers) != height or any(len(column) != height for column in columns):
        raise ValueError("les colonnes et les numéros de ligne n'ont pas la même longueur")
    frame = pl.DataFrame(
        {
            **{column_name(i): _texts(column_name(i), column) for i, column in enumerate(columns)},
            ROW: pl.Series(ROW, numbers, dtype=pl.Int64),
            CELLS: pl.Series(CELLS, [len(names)] * height, dtype=pl.Int32),
        }
    )
    table = Table(
        header=names,
        source=SourceInfo(path=source, format="records"),
        header_row=0,
        _batches=iter([Batch(frame)]),
    )
    return validate_table(table, schema)


def _texts(name: str, column: Sequence[str | None] | pl.Series) -> pl.Series:
    """A String series of the cells, None read as an empty cell. Nulls are replaced in Python when the
    cells are a list (a polars call per column would cost more than the rest of a one-row validation)."""
    if isinstance(column, pl.Series):
        series = pl.Series(name, column, dtype=pl.String)
        return series.fill_null("") if series.null_count() else series
    return pl.Series(name, ["" if cell is None else cell for cell in column], dtype=pl.String)
