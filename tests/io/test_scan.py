"""The two ways the reader counts the cells of each record agree: by byte counts (fast, no look at the
delimiters) and by counting the delimiters outside quotes."""

from __future__ import annotations

import csv
import io

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from socle.io import scan

cells = st.text(alphabet='ab é",\n', max_size=5)
rows = st.lists(cells, min_size=0, max_size=5)


def _csv(table: list[list[str]], terminator: str) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=terminator)
    for row in table:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _values(table: list[list[str]], width: int) -> np.ndarray:
    return np.array([sum(len(c.encode("utf-8")) for c in row[:width]) for row in table], dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(st.lists(rows, min_size=1, max_size=10), st.sampled_from(["\n", "\r\n"]))
def test_byte_counts_agree_with_delimiter_counts(table: list[list[str]], terminator: str) -> None:
    # The csv module writes one empty cell as "" (a quoted empty cell), a blank line for no cell.
    data = _csv(table, terminator)
    array = np.frombuffer(data, dtype=np.uint8)
    quotes = scan.positions(array, scan.QUOTE)
    reference = scan.layout(array, quotes, ord(","), array.size)
    width = max(1, int(reference.cells.max()))
    counted = scan.record_cells(array, quotes, array.size, _values(table, width), width)
    assert counted is not None
    assert counted.tolist() == reference.cells.tolist()


def test_a_record_wider_than_the_frame_is_left_to_delimiter_counting() -> None:
    data = b"a,b\nc,d,e\n"
    array = np.frombuffer(data, dtype=np.uint8)
    values = np.array([2, 2], dtype=np.int64)  # what a two-column parse would hold
    assert scan.record_cells(array, scan.positions(array, scan.QUOTE), array.size, values, 2) is None


def test_a_record_count_that_does_not_match_is_refused() -> None:
    data = b"a,b\nc,d\n"
    array = np.frombuffer(data, dtype=np.uint8)
    values = pl.Series([2], dtype=pl.Int64).to_numpy()
    assert scan.record_cells(array, scan.positions(array, scan.QUOTE), array.size, values, 2) is None


def test_blank_records_have_no_cell_and_short_ones_their_own_count() -> None:
    data = b'a,b,c\r\n\r\n"x,y"\n,\n'
    array = np.frombuffer(data, dtype=np.uint8)
    values = np.array([3, 0, 3, 0], dtype=np.int64)
    counted = scan.record_cells(array, scan.positions(array, scan.QUOTE), array.size, values, 3)
    assert counted is not None
    assert counted.tolist() == [3, 0, 1, 2]
