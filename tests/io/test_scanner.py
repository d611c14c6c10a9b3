"""The C scanner (``socle.io._scanner``) finds what the numpy functions of :mod:`socle.io.scan` find:
the same cut, the same first irregularity, the same cells per record, on any bytes; the columns it
builds from a regular slice hold the cells the csv module reads, and it refuses exactly the bytes
Python's UTF-8 decoder refuses."""

from __future__ import annotations

import csv
import gc
import io

import numpy as np
import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from socle.io import csv_reader, scan

PIECES = st.sampled_from(['"', '""', ",", ";", "\n", "\r\n", "\r", "a", "é", "abc", " ", '","', '"\n'])


def _reference(data: bytes, start: int, end: int, at_eof: bool, delimiter: int) -> tuple[int, object]:
    """(cut or -1, irregularity or cells per record) by the numpy scanner, as the reader uses it."""
    array = np.frombuffer(data, dtype=np.uint8, count=end)
    quotes = scan.positions(array[start:end], scan.QUOTE) + start
    cut = scan.find_cut(data, start, end, quotes, at_eof)
    if cut is None:
        return -1, None
    quotes = quotes[: int(np.searchsorted(quotes, cut))]
    returns = scan.unquoted_returns(array, quotes, start, cut)
    irregular = scan.first_irregularity(array[:cut], quotes, delimiter, returns, start)
    if irregular is not None:
        return cut, irregular
    layout = scan.layout(array[start:], quotes - start, delimiter, cut - start)
    return cut, layout.cells.tolist()


def test_the_c_scanner_is_built() -> None:
    # Installing Socle compiles it (setup.py); without a C compiler the numpy scanner is used instead,
    # slower. The test suite runs with both.
    assert csv_reader._scanner is not None, "socle.io._scanner n'a pas été compilé (compilateur C absent ?)"


@settings(max_examples=1500, deadline=None)
@given(
    pieces=st.lists(PIECES, max_size=40),
    prefix=st.integers(min_value=0, max_value=3),
    at_eof=st.booleans(),
    delimiter=st.sampled_from([",", ";"]),
    expected=st.integers(min_value=0, max_value=4),
)
def test_c_scanner_agrees_with_numpy(
    pieces: list[str], prefix: int, at_eof: bool, delimiter: str, expected: int
) -> None:
    data = ("x\n" * prefix + "".join(pieces)).encode("utf-8")
    start = 2 * prefix
    if start >= len(data) or csv_reader._scanner is None:
        return
    code = ord(delimiter)
    cut, reference = _reference(data, start, len(data), at_eof, code)
    found = csv_reader._scanner.scan(data, start, len(data), at_eof, code, expected)
    found_cut, records, indices, cells, widest, offset, kind = found
    assert found_cut == cut
    if cut < 0:
        return
    if isinstance(reference, scan.Irregularity):
        assert (offset, scan.REASONS.get(kind)) == (reference.offset, reference.reason)
        return
    assert (offset, kind) == (-1, 0)
    assert isinstance(reference, list)
    counted = [expected] * records
    for index, count in zip(indices, cells, strict=True):
        assert count != expected
        counted[index] = count
    assert counted == reference
    assert widest == max(reference, default=0)


def test_c_scanner_refuses_bad_bounds() -> None:
    if csv_reader._scanner is None:
        return
    for start, end in [(-1, 3), (2, 1), (0, 99)]:
        try:
            csv_reader._scanner.scan(b"a,b\n", start, end, True, 44, 2)
        except ValueError:
            continue
        raise AssertionError((start, end))


# --- columns(): the cells of a regular slice as Arrow string views --------------------------------

CELL_TEXT = st.lists(
    st.sampled_from(["a", "é", "€", "𝄞", " ", ",", ";", "\t", '"', "\n", "\r\n", "x" * 13, "0"]), max_size=12
).map("".join)


class _Column:
    def __init__(self, capsules: tuple[object, object]) -> None:
        self.capsules = capsules

    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]:
        return self.capsules


def _columns(data: bytes, delimiter: str) -> list[list[str | None]] | None:
    """The columns() of ``data`` (scanned first, as the reader does), as lists; None if refused."""
    built = _built(data, delimiter)
    if built is None:
        return None
    frame = pl.DataFrame([pl.Series(_Column(pair)) for pair in built])
    assert frame.columns == [f"c{i}" for i in range(frame.width)]
    return [frame[name].to_list() for name in frame.columns]


def _built(data: bytes, delimiter: str, utf8: bool = True) -> list[tuple[object, object]] | None:
    assert csv_reader._scanner is not None
    native = csv_reader._scanner
    code = ord(delimiter)
    cut, records, _indices, _cells, widest, _offset, kind = native.scan(data, 0, len(data), True, code, 0)
    assert kind == 0, "not a regular slice"
    names = [f"c{i}" for i in range(max(widest, 1))]
    return native.columns(native.copy(data, 0, cut), code, names, records, utf8)


def _quoted(cell: str, delimiter: str, always: bool) -> str:
    if always or any(c in cell for c in (delimiter, '"', "\n", "\r")) or cell.startswith(" "):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@settings(max_examples=600, deadline=None)
@given(
    records=st.lists(st.lists(CELL_TEXT, max_size=5), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    crlf=st.booleans(),
    always=st.booleans(),
    final=st.booleans(),
)
def test_columns_agree_with_the_csv_module(
    records: list[list[str]], delimiter: str, crlf: bool, always: bool, final: bool
) -> None:
    # Regular CSV as a spreadsheet writes it: every cell the csv module reads is there, the cells a
    # record lacks (blank records lack them all) are null, quotes are undone, nothing else changes.
    if csv_reader._scanner is None:
        return
    end = "\r\n" if crlf else "\n"
    lines = [delimiter.join(_quoted(cell, delimiter, always) for cell in record) for record in records]
    lines = [line if line else "" for line in lines]
    text = end.join(lines) + (end if final and lines else "")
    if not text:
        return
    data = text.encode("utf-8")
    expected = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    found = _columns(data, delimiter)
    assert found is not None
    width = len(found)
    assert width == max([len(r) for r in expected] + [1])
    rows = [[found[c][r] for c in range(width)] for r in range(len(found[0]))]
    assert rows == [r + [None] * (width - len(r)) for r in expected]


UTF8_PIECES = st.one_of(
    st.text(max_size=40).map(lambda t: t.encode("utf-8")),
    st.binary(max_size=6),
    st.sampled_from(
        [
            b"\xc3",
            b"\xa9",
            b"\xe0\xa0\x80",
            b"\xe0\x9f\xbf",
            b"\xed\x9f\xbf",
            b"\xed\xa0\x80",
            b"\xf0\x90\x80\x80",
            b"\xf0\x8f\xbf\xbf",
            b"\xf4\x8f\xbf\xbf",
            b"\xf4\x90\x80\x80",
            b"\xc0\x80",
            b"\xc1\xbf",
            b"\xf5\x80\x80\x80",
            b"\xff",
            b"a" * 15,
            b"\xc3\xa9" * 9,
        ]
    ),
)


@settings(max_examples=1500, deadline=None)
@given(pieces=st.lists(UTF8_PIECES, max_size=12))
# Sequences cut at the end of a 16-byte block, followed by a block of ASCII or by their continuation.
@example(pieces=[b"a" * 14, b"\xc3", b"a" * 16])
@example(pieces=[b"a" * 13, b"\xe2\x82", b"a" * 16])
@example(pieces=[b"a" * 14, b"\xe2\x82\xac", b"a" * 16])
@example(pieces=[b"a" * 12, b"\xf0\x9d\x84", b"a" * 16])
def test_columns_refuse_exactly_what_python_cannot_decode_as_utf8(pieces: list[bytes]) -> None:
    # One cell per line, whatever the bytes: the slice is refused (polars then parses it and the reader
    # says where the bytes are wrong) exactly when Python's strict UTF-8 decoder refuses it.
    if csv_reader._scanner is None:
        return
    special = {ord(c) for c in ',"\r\n'}
    data = b"x" + bytes(b for b in b"".join(pieces) if b not in special) + b"\n"  # never a blank record
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    found = _columns(data, ",")
    assert (found is not None) == valid
    if valid:
        assert found == [[data[:-1].decode("utf-8")]]
    # Unchecked (a stream transcoded to UTF-8 by Socle), the same bytes are taken as they are.
    assert _built(data, ",", utf8=False) is not None


def test_columns_hold_their_text_after_the_copy_is_gone() -> None:
    # Cells longer than 12 bytes point into the copy: it lives as long as a column does.
    if csv_reader._scanner is None:
        return
    native = csv_reader._scanner
    data = b'a fairly long first cell,"quoted ""long"" second cell"\nshort,x\n'
    text = native.copy(data, 0, len(data))
    assert bytes(text) == data and len(text) == len(data)
    built = native.columns(text, 44, ["c0", "c1"], 2, True)
    assert built is not None
    del text
    frame = pl.DataFrame([pl.Series(_Column(pair)) for pair in built])
    del built
    gc.collect()
    assert frame.rows() == [("a fairly long first cell", 'quoted "long" second cell'), ("short", "x")]


def test_columns_refuse_what_is_not_a_regular_slice() -> None:
    if csv_reader._scanner is None:
        return
    native = csv_reader._scanner
    for data, names, records in [
        (b'a,b"c\n', ["c0", "c1"], 1),  # a quote in the middle of a cell
        (b'"a"b,c\n', ["c0", "c1"], 1),  # text after a closing quote
        (b"a\rb\n", ["c0"], 1),  # a lone carriage return
        (b'"a\n', ["c0"], 1),  # a quote never closed
        (b"a,b,c\n", ["c0", "c1"], 1),  # wider than the names
        (b"a\nb\n", ["c0"], 1),  # more records than said
        (b"a\n", ["c0"], 2),  # fewer
    ]:
        assert native.columns(native.copy(data, 0, len(data)), 44, names, records, True) is None, data
    with pytest.raises(TypeError):
        native.columns(b"a\n", 44, ["c0"], 1, True)  # bytes, not a Text
    with pytest.raises(TypeError):
        native.Text()
    with pytest.raises(ValueError):
        native.copy(b"abc", 2, 1)
