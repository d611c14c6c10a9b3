"""Helpers for the reader tests: where the corpus is, how to look at a table's rows, both scanners."""

from __future__ import annotations

from pathlib import Path

import pytest

from socle.io import CELLS, ROW, Table, column_name, csv_reader

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


@pytest.fixture(params=["c", "numpy"])
def scanner(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CSV reader with the C scanner, then with the numpy one (the fallback when Socle is installed
    without a C compiler): the reader's test modules use it for every test."""
    monkeypatch.setattr(csv_reader, "NATIVE_SCANNER", request.param == "c")
    return str(request.param)
