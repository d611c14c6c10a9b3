"""Helpers for the reader tests: where the corpus is, and how to look at a table's rows."""

from __future__ import annotations

from pathlib import Path

from socle.io import CELLS, ROW, Table, column_name

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"


def records(table: Table) -> list[list[str]]:
    """Every data row as the list of cells it really had (``__cells__`` of them)."""
    out: list[list[str]] = []
    for batch in table.batches():
        frame = batch.frame
        columns = [frame[column_name(i)].to_list() for i in range(batch.width)]
        for index, count in enumerate(frame[CELLS].to_list()):
            row = [columns[i][index] for i in range(count)]
            assert all(cell is not None for cell in row), "a cell the record had is null"
            assert all(columns[i][index] is None for i in range(count, batch.width)), "absent cell not null"
            out.append(row)
    return out


def rows_and_numbers(table: Table) -> tuple[list[list[str]], list[int]]:
    """Data rows (as :func:`records`) and their ``__row__`` numbers, read in one pass."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    for batch in table.batches():
        frame = batch.frame
        assert frame[ROW].dtype.is_integer() and frame[CELLS].dtype.is_integer()
        columns = [frame[column_name(i)].to_list() for i in range(batch.width)]
        for index, count in enumerate(frame[CELLS].to_list()):
            rows.append([columns[i][index] for i in range(count)])
            assert all(columns[i][index] is None for i in range(count, batch.width))
        numbers.extend(frame[ROW].to_list())
    return rows, numbers
