"""Vectorised scanning of CSV bytes: record boundaries, cells per record, quoting regularity.

The reader uses the C scanner ``socle.io._scanner`` (one pass, same model) when it was built, and
these numpy functions otherwise; the tests hold the two to the same results.

All functions work on a slice of UTF-8 bytes that starts at a record boundary (outside quotes), so
the number of quote bytes before a position tells whether it is inside a quoted field. That parity
model is exact for regular RFC 4180 quoting, where a quote either opens a field (first byte of the
field), closes it (followed by a delimiter or a line break), or is doubled inside it.
:func:`first_irregularity` finds the quotes and carriage returns that break the model; the caller
then parses with Python's csv module, whose reading is the reference (frictionless uses it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socle.io.quoting import BAD_CLOSE, BAD_OPEN, CR, LF, LONE_CR, QUOTE, REASONS, UNCLOSED, Irregularity

__all__ = ["CR", "LF", "QUOTE", "REASONS", "Irregularity", "Layout"]

IntArray = npt.NDArray[np.int64]
NONE: IntArray = np.empty(0, dtype=np.int64)
"""No positions."""


_BLOCK = 4 * 1024 * 1024
"""Bytes compared at once: keeps the boolean temporary small whatever the slice size."""


def positions(array: npt.NDArray[np.uint8], byte: int) -> IntArray:
    """Sorted positions of ``byte`` in ``array``."""
    if array.size <= _BLOCK:
        return np.flatnonzero(array == byte).astype(np.int64, copy=False)
    parts = [
        np.flatnonzero(array[start : start + _BLOCK] == byte).astype(np.int64, copy=False) + start
        for start in range(0, array.size, _BLOCK)
    ]
    return np.concatenate(parts)


def outside_quotes(quotes: IntArray, where: IntArray) -> npt.NDArray[np.bool_]:
    """For each position in ``where``, True when an even number of quotes precede it."""
    if quotes.size == 0:
        return np.ones(where.shape, dtype=np.bool_)
    even: npt.NDArray[np.bool_] = (np.searchsorted(quotes, where) & 1) == 0
    return even


def find_cut(data: bytes | bytearray, start: int, length: int, quotes: IntArray, at_eof: bool) -> int | None:
    """End (exclusive) of the last complete record in ``data[start:length]``, or None if none ends.

    ``start`` is a record boundary and ``quotes`` the quote positions from there. At the end of the
    file everything left is the last record.
    """
    if at_eof:
        return length
    end = length
    while True:
        newline = data.rfind(b"\n", start, end)
        if newline < 0:
            return None
        before = int(np.searchsorted(quotes, newline)) if quotes.size else 0
        if before % 2 == 0:
            return newline + 1
        # Inside a quoted field: jump before the quote that opened it.
        end = int(quotes[before - 1])


def first_irregularity(
    array: npt.NDArray[np.uint8], quotes: IntArray, delimiter: int, returns: IntArray, start: int = 0
) -> Irregularity | None:
    """The first place where quoting or line breaks are not regular, if any.

    ``array`` ends at the cut; ``quotes`` are the quote positions from the record boundary
    ``start`` to the cut, ``returns`` the carriage returns outside quotes (see
    :func:`unquoted_returns`).
    """
    found: list[Irregularity] = []
    if quotes.size:
        opening, closing = quotes[0::2], quotes[1::2]
        previous = array[np.maximum(opening - 1, 0)]
        bad_open = (previous != delimiter) & (previous != LF) & (previous != QUOTE) & (opening > start)
        if bad_open.any():
            position = int(opening[np.argmax(bad_open)])
            found.append(Irregularity(position, REASONS[BAD_OPEN]))
        following = array[np.minimum(closing + 1, array.size - 1)]
        bad_close = (following != delimiter) & (following != LF) & (following != CR) & (following != QUOTE)
        bad_close &= closing + 1 < array.size
        if bad_close.any():
            position = int(closing[np.argmax(bad_close)])
            found.append(Irregularity(position, REASONS[BAD_CLOSE]))
        if quotes.size % 2 == 1:
            found.append(Irregularity(int(quotes[-1]), REASONS[UNCLOSED]))
    if returns.size:
        following = array[np.minimum(returns + 1, array.size - 1)]
        lone = (following != LF) | (returns + 1 >= array.size)
        if lone.any():
            position = int(returns[np.argmax(lone)])
            found.append(Irregularity(position, REASONS[LONE_CR]))
    return min(found, key=lambda item: item.offset) if found else None


def unquoted_returns(array: npt.NDArray[np.uint8], quotes: IntArray, start: int, cut: int) -> IntArray:
    """Positions of the carriage returns outside quotes between ``start`` and ``cut``.

    In regular data each is followed by a line feed (CRLF); a lone one ends a record for Python's
    csv module, which the parity model does not follow.
    """
    returns = positions(array[start:cut], CR) + start
    if returns.size == 0:
        return returns
    outside: IntArray = returns[outside_quotes(quotes, returns)]
    return outside


def doubled_quotes(quotes: IntArray) -> int:
    """Number of ``""`` pairs standing for one quote inside a quoted field (quotes before the cut)."""
    if quotes.size < 3:
        return 0
    closing, following = quotes[1::2], quotes[2::2]
    return int((closing[: following.size] + 1 == following).sum())


@dataclass(frozen=True)
class Layout:
    """Records of a slice: where each starts and ends (line break excluded), and its cell count."""

    starts: IntArray
    ends: IntArray
    cells: npt.NDArray[np.int32]

    @property
    def count(self) -> int:
        return int(self.starts.size)


def _bounds(body: npt.NDArray[np.uint8], quotes: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Start and end (line feed excluded) of each record of ``body``, and the number of quotes before
    each end."""
    cut = body.size
    newlines = positions(body, LF)
    before = np.searchsorted(quotes, newlines) if quotes.size else np.zeros(newlines.shape, dtype=np.int64)
    outside = (before & 1) == 0
    if not outside.all():
        newlines, before = newlines[outside], before[outside]
    ends = newlines
    if cut > 0 and (newlines.size == 0 or newlines[-1] != cut - 1):
        # last record of the file, without a final newline
        ends = np.append(newlines, np.int64(cut))
        before = np.append(before, np.int64(quotes.size))
    starts = np.concatenate(([np.int64(0)], newlines + 1))[: ends.size]
    return starts, ends, before


def _blank_and_cr(
    body: npt.NDArray[np.uint8], starts: IntArray, ends: IntArray
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], IntArray]:
    """Per record: blank (no byte but a line break), ends with a carriage return (CRLF), length."""
    length = ends - starts
    last = body[np.maximum(ends - 1, 0)] if body.size else np.zeros(ends.shape, dtype=np.uint8)
    has_cr = (length > 0) & (last == CR)
    blank = (length == 0) | ((length == 1) & has_cr)
    return blank, has_cr, length


def record_cells(
    array: npt.NDArray[np.uint8], quotes: IntArray, cut: int, values: IntArray, width: int
) -> npt.NDArray[np.int32] | None:
    """Cells per record of ``array[:cut]`` from byte counts, without looking at the delimiters.

    ``values`` holds, per record, the bytes of its cells' text as parsed (an absent cell counts 0).
    In regular CSV a record is made of that text, its delimiters (one fewer than its cells), two
    framing quotes per quoted cell plus one per doubled quote, and maybe a carriage return: the
    delimiters, hence the cells, follow. None when the records do not match ``values`` or a count
    falls outside 1..``width`` (the caller then counts delimiters with :func:`layout`).
    """
    body = array[:cut]
    starts, ends, before = _bounds(body, quotes)
    if starts.size != values.size:
        return None
    blank, has_cr, length = _blank_and_cr(body, starts, ends)
    # Quotes of each record, from the counts before each end; a doubled quote frames nothing.
    framing = np.diff(before, prepend=np.int64(0))
    if quotes.size >= 3:
        closing, following = quotes[1::2], quotes[2::2]
        closing = closing[: following.size]
        doubled = closing[closing + 1 == following]
        if doubled.size:
            framing -= np.diff(np.searchsorted(doubled, ends), prepend=np.int64(0))
    cells = length - has_cr - values - framing + 1
    full = ~blank
    if full.any() and (cells[full].min() < 1 or cells[full].max() > width):
        return None
    return np.where(blank, 0, cells).astype(np.int32)


def layout(array: npt.NDArray[np.uint8], quotes: IntArray, delimiter: int, cut: int) -> Layout:
    """Record boundaries and cells per record of ``array[:cut]`` (regular quoting assumed)."""
    body = array[:cut]
    starts, ends, _ = _bounds(body, quotes)
    delimiters = positions(body, delimiter)
    per_record = np.searchsorted(delimiters, ends) - np.searchsorted(delimiters, starts)
    if quotes.size >= 2:
        # Delimiters inside quoted fields do not separate cells: count them per quoted span (few
        # binary searches) rather than testing every delimiter against the quotes.
        opening = quotes[0::2]
        closing = quotes[1::2]
        opening = opening[: closing.size]
        quoted = np.searchsorted(delimiters, closing) - np.searchsorted(delimiters, opening)
        record = np.searchsorted(starts, opening, side="right") - 1
        keep = (record >= 0) & (record < starts.size)
        per_record = (
            per_record
            - np.bincount(record[keep], weights=quoted[keep], minlength=starts.size).astype(np.int64)[
                : starts.size
            ]
        )
    blank, _, _ = _blank_and_cr(body, starts, ends)
    cells = np.where(blank, 0, per_record + 1).astype(np.int32)
    return Layout(starts, ends, cells)


def lines_before(data: bytes, offset: int) -> int:
    """Line feeds in ``data`` before ``offset``."""
    return data.count(b"\n", 0, offset)
