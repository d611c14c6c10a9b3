"""The C scanner (``socle.io._scanner``) finds what the numpy functions of :mod:`socle.io.scan` find:
the same cut, the same first irregularity, the same cells per record, on any bytes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
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
