"""CSV reader: streamed in slices, every cell read as text, checked against a byte-level scan.

Each slice of about ``limits.batch_bytes`` is cut at a record boundary (quote parity). The C scanner
(``socle.io._scanner``, the GIL released) reads it in two passes: the first finds the cut, proves the
quoting regular and counts the cells of every record; the second, in a worker thread, builds the
columns as Arrow string views into its copy of the slice (quotes undone, absent cells null, UTF-8
checked), which polars takes without copying them. Without the C scanner (no C compiler at install
time) numpy finds the cut, polars parses the slice, and the reader proves that every record has the
full width with a byte count (the slice's length equals the cells' bytes plus delimiters, quotes and
line breaks) or, when that fails (short rows, blank lines), counts the cells of each record with
numpy; polars cannot tell an absent cell from an empty one, so the reader nulls the cells short
records lack. A record whose quoting the byte scan cannot follow (a quote in the middle of a cell, a
lone carriage return) is read with Python's csv module, the reference frictionless uses, and the
scan resumes after it; an unclosed quote leaves the rest of the file to the csv module.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from socle.errors import Location, UnusableInputError
from socle.io.dialect import Dialect, detect_dialect, header_width
from socle.io.encoding import (
    EncodingChoice,
    Utf8Stream,
    decode_error,
    detect_encoding,
    line_at,
    read_sample,
)
from socle.io.frames import assemble, limit_error, rows_frame
from socle.io.quoting import LF, REASONS, Irregularity
from socle.io.table import CELLS, ROW, SourceInfo, Table, column_name
from socle.limits import Limits

try:
    from socle.io import _scanner
    from socle.io._scanner import Text
except ImportError:  # built without a C compiler: the numpy scanner does the same, slower
    _scanner = None  # type: ignore[assignment]

    class Text:  # type: ignore[no-redef]
        """Stands for the C scanner's copy of a slice (never made without it)."""


if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from socle.io.scan import IntArray

SAMPLE_BYTES = 64 * 1024
"""Bytes read at the start of the file to detect the dialect."""
FIRST_SLICE_BYTES = 1024 * 1024
"""Largest first slice: the header, hence the validation plan, is ready before the first full slice is
read and parsed, and the next slices are read while the plan is made."""
PYTHON_BATCH_ROWS = 50_000
"""Largest batch built by the csv-module path (Python objects cost ~10× the text they hold)."""
PYTHON_BATCH_CHARS = 8 * 1024 * 1024
"""Largest text held in one batch of the csv-module path."""
MAX_IRREGULAR_PER_BUFFER = 4
"""Irregular records read one by one with the csv module in a buffer before it reads the whole buffer."""
TOO_MANY = "trop d'irrégularités"
NATIVE_SCANNER = True
"""Scan slices with the C scanner when it was built (tests turn it off to check the numpy one)."""
MAX_IRREGULAR_NOTES = 5
"""Irregular records described in the notes (the others are read the same way, silently)."""
_FIELD_SIZE_LIMIT = 2**31 - 1  # the largest a C long holds on every platform
# A line as a file opened with newline="" gives it to the csv module: ends at CRLF, LF or a lone CR.
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def read_csv(path: Path, limits: Limits, encoding: str | None, delimiter: str | None) -> Table:
    """Read a CSV file as a :class:`Table` (see :func:`socle.io.read_table`)."""
    choice = detect_encoding(path, encoding)
    sample, complete = read_sample(path, choice, SAMPLE_BYTES)
    dialect, notes = detect_dialect(sample, complete, delimiter)
    source = SourceInfo(
        path=str(path),
        format="csv",
        encoding=choice.label,
        delimiter=dialect.delimiter,
        notes=[*choice.notes, *notes],
    )
    width = header_width(sample, complete, dialect)
    if width > limits.max_columns:  # before polars is asked for that many columns
        location = Location(file=path.name, row=1)
        raise limit_error("max_columns", limits, location, f"{width} colonnes")
    parser = CsvParser(path=path, choice=choice, dialect=dialect, limits=limits, source=source, width=width)
    empty = "Le fichier est vide : il ne contient aucun enregistrement, pas même un en-tête."
    return assemble(parser.frames(), source, limits, empty)


@dataclass
class _Slice:
    """Complete records of the UTF-8 stream, with what the byte scan found in them."""

    text: bytes | Text
    """The records, starting at a record boundary and ending at one; what polars parses (the C
    scanner's copy when it scanned them). The worker empties it once the frame is proven complete
    (read it only after the parse result)."""
    size: int
    """Length of the records in bytes (``text`` may have been emptied since)."""
    offset: int
    """Offset of ``text[0]`` in the UTF-8 stream."""
    quotes: IntArray | None = None
    """Positions of the quotes (numpy scanner)."""
    crlf: int = 0
    """Carriage returns outside quotes (each the first half of a CRLF line break; numpy scanner)."""
    counted: _Counted | None = None
    """The cells of each record, when the C scanner counted them."""

    @property
    def data(self) -> bytes:
        """``text`` as bytes (a copy of the C scanner's, only when polars or the csv module must read it)."""
        return self.text if isinstance(self.text, bytes) else bytes(self.text)

    @property
    def array(self) -> npt.NDArray[np.uint8]:
        import numpy as np

        return np.frombuffer(self.text, dtype=np.uint8)


@dataclass
class _Counted:
    """Cells per record as the C scanner counted them: ``expected`` for every record but ``indices``
    (0-based), which have ``cells``."""

    records: int
    expected: int
    widest: int
    indices: list[int] = field(default_factory=list)
    cells: list[int] = field(default_factory=list)

    def series(self) -> pl.Series:
        column = pl.repeat(self.expected, self.records, dtype=pl.Int32, eager=True).alias(CELLS)
        return column.scatter(self.indices, self.cells) if self.indices else column

    def first_over(self, limit: int) -> tuple[int, int] | None:
        """(index, cells) of the first record with more than ``limit`` cells, if any."""
        if self.expected > limit:
            return 0, self.expected
        return next(((i, c) for i, c in zip(self.indices, self.cells, strict=True) if c > limit), None)


@dataclass
class _Rows:
    """Records read with the csv module, where the byte scan cannot follow the quoting."""

    rows: list[list[str]]
    reason: str
    """Why (French), for the note; empty when an earlier note already said it."""


@dataclass
class _Rest:
    """From ``data`` (at ``offset`` in the UTF-8 stream) to the end of the file: the csv module reads."""

    data: bytes
    offset: int
    reason: str


@dataclass
class _Nulled:
    """Cells per record of a frame whose absent cells are null already."""

    cells: pl.Series


class _ArrowColumn:
    """A column built by the C scanner, as the Arrow PyCapsule interface hands it to polars (once)."""

    def __init__(self, capsules: tuple[object, object]) -> None:
        self.capsules = capsules

    def __arrow_c_array__(self, requested_schema: object | None = None) -> tuple[object, object]:
        return self.capsules


_Cells = int | pl.Series | _Nulled | None


@dataclass
class _InFlight:
    """A slice whose polars parse runs in the worker thread (or records already read)."""

    piece: _Slice | _Rows
    parsed: Future[tuple[pl.DataFrame | None, _Cells]] | None
    """The frame (None if polars refused the slice) and its records' cell counts (see ``_parse``)."""


class CsvParser:
    """Turns the UTF-8 stream of a CSV file into frames of records (header first, row 1).

    Slice *k* becomes columns (or is parsed by polars) in a worker thread while this thread reads
    and scans slice *k + 1* and the caller validates the frame of slice *k - 1*. One read buffer is
    reused; a slice keeps only the copy of its records the columns point into (or polars reads).
    """

    def __init__(
        self,
        *,
        path: Path,
        choice: EncodingChoice,
        dialect: Dialect,
        limits: Limits,
        source: SourceInfo,
        width: int,
    ) -> None:
        self.path = path
        self.choice = choice
        self.dialect = dialect
        self.limits = limits
        self.source = source
        self.width = max(width, 1)
        self.delimiter = ord(dialect.delimiter)
        self.native = NATIVE_SCANNER and _scanner is not None
        self.stream = Utf8Stream(path, choice, limits.batch_bytes)
        # A record may span several slices, not the whole file: an unclosed quote would otherwise
        # keep everything in memory.
        self.max_record_bytes = max(limits.batch_bytes, limits.max_record_bytes)
        self._buffer = bytearray()
        self._irregular_notes = 0
        self._said_too_many = False

    # --- the slice loop -------------------------------------------------------------------------

    def frames(self) -> Iterator[pl.DataFrame]:
        """Frames of consecutive records, numbered from 1 (the header)."""
        with self.stream:
            if self.dialect.skip_initial_space:
                yield from self._python_frames(self._texts(b"", 0), 1)
            else:
                yield from self._slices()

    def _slices(self) -> Iterator[pl.DataFrame]:
        row = 1
        in_flight: _InFlight | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="socle-csv") as worker:
            try:
                for piece in self._pieces():
                    parsed = (
                        worker.submit(self._parse, piece, self.width) if isinstance(piece, _Slice) else None
                    )
                    if in_flight is not None:
                        done, in_flight = in_flight, None
                        frame = self._complete(done, row)
                        row += frame.height
                        del done
                        yield frame
                        del frame  # the caller may drop the batch: do not keep it alive here
                    if isinstance(piece, _Rest):
                        self._note_irregular(piece.reason, row, rest=True)
                        yield from self._python_frames(self._texts(piece.data, piece.offset), row)
                        return
                    if isinstance(piece, _Rows) and piece.reason:
                        self._note_irregular(piece.reason, row, rest=False)
                    in_flight = _InFlight(piece, parsed)
                if in_flight is not None:
                    yield self._complete(in_flight, row)
            finally:
                if in_flight is not None and in_flight.parsed is not None:
                    in_flight.parsed.cancel()

    def _pieces(self) -> Iterator[_Slice | _Rows | _Rest]:
        """The file as regular slices, records read around irregularities, and maybe a rest."""
        carry = b""
        offset = 0  # offset of the buffer's first byte in the UTF-8 stream
        most = FIRST_SLICE_BYTES
        while True:
            length, at_eof = self._fill(carry, most)
            most = self.limits.batch_bytes
            if not length:
                return
            start = 0  # next record boundary in the buffer
            irregular = 0
            with memoryview(self._buffer) as view:
                while start < length:
                    found, end = self._scan(view, start, length, at_eof, offset)
                    if found is None:  # no record ends in the buffer yet: read more
                        break
                    if isinstance(found, _Slice):
                        yield found
                        start = end
                        continue
                    irregular += 1
                    items, start = self._around(
                        view, start, length, at_eof=at_eof, offset=offset, irregular=found, count=irregular
                    )
                    yield from items
                    if items and isinstance(items[-1], _Rest):
                        return
                carry = bytes(view[start:length])
            if at_eof and not carry:
                return
            if start == 0:
                self._check_record_size(length, offset)
            offset += start

    def _fill(self, carry: bytes, most: int) -> tuple[int, bool]:
        """Fill the read buffer with ``carry`` then up to ``most`` bytes (at most ``batch_bytes``):
        (length, at EOF)."""
        size = len(carry) + min(self.limits.batch_bytes, most)
        if len(self._buffer) < size:
            # Room for a longer carry next time: reallocating means zeroing the whole buffer again.
            self._buffer = bytearray(size + max(size // 16, 64 * 1024))
        buffer = self._buffer
        buffer[: len(carry)] = carry
        filled = len(carry)
        at_eof = False
        while filled < size:
            count = self.stream.readinto(buffer, filled, size)
            if count == 0:
                at_eof = True
                break
            filled += count
        return filled, at_eof

    def _scan(
        self, view: memoryview, start: int, length: int, at_eof: bool, offset: int
    ) -> tuple[_Slice | Irregularity | None, int]:
        """The regular slice from ``start`` and where it ends, or the first irregularity in it.

        (None, start) when no record ends in the buffer yet.
        """
        if self.native:
            return self._scan_native(view, start, length, at_eof, offset)
        import numpy as np

        from socle.io import scan

        buffer = self._buffer
        array = np.frombuffer(buffer, dtype=np.uint8, count=length)
        quotes = scan.NONE
        if buffer.find(b'"', start, length) >= 0:
            quotes = scan.positions(array[start:length], scan.QUOTE) + start
        cut = scan.find_cut(buffer, start, length, quotes, at_eof)
        if cut is None:
            return None, start
        quotes = quotes[: int(np.searchsorted(quotes, cut))]
        returns = scan.NONE
        if buffer.find(b"\r", start, cut) >= 0:
            returns = scan.unquoted_returns(array, quotes, start, cut)
        irregular = scan.first_irregularity(array[:cut], quotes, self.delimiter, returns, start)
        if irregular is not None:
            return irregular, cut
        text = bytes(view[start:cut])
        return _Slice(text, cut - start, offset + start, quotes - start, int(returns.size)), cut

    def _scan_native(
        self, view: memoryview, start: int, length: int, at_eof: bool, offset: int
    ) -> tuple[_Slice | Irregularity | None, int]:
        """:meth:`_scan` by the C scanner, which also counts the cells of each record (numpy is not
        even imported)."""
        assert _scanner is not None
        cut, records, indices, cells, widest, position, kind = _scanner.scan(
            self._buffer, start, length, at_eof, self.delimiter, self.width
        )
        if cut < 0:
            return None, start
        if kind:
            return Irregularity(position, REASONS[kind]), cut
        counted = _Counted(records, self.width, widest, indices, cells)
        text = _scanner.copy(self._buffer, start, cut)
        return _Slice(text, cut - start, offset + start, counted=counted), cut

    def _around(
        self,
        view: memoryview,
        start: int,
        length: int,
        *,
        at_eof: bool,
        offset: int,
        irregular: Irregularity,
        count: int,
    ) -> tuple[list[_Slice | _Rows | _Rest], int]:
        """Read the records before an irregularity fast, the irregular one with the csv module.

        Returns the pieces and the record boundary where the byte scan can resume. Past a few
        irregularities in one buffer, the csv module reads the rest of the buffer: rescanning it
        after each one would cost more.
        """
        items: list[_Slice | _Rows | _Rest] = []
        buffer = self._buffer
        # The parity model is exact before the irregularity: the records ending before it are regular.
        boundary = buffer.rfind(b"\n", start, irregular.offset)
        if boundary >= 0:
            found, end = self._scan(view, start, boundary + 1, False, offset)
            if isinstance(found, _Slice):
                items.append(found)
                start = end
        if count <= MAX_IRREGULAR_PER_BUFFER:
            past = irregular.offset
            reason = irregular.reason if self._irregular_notes < MAX_IRREGULAR_NOTES else ""
        else:
            past = max(buffer.rfind(b"\n", start, length), irregular.offset)
            reason = "" if self._said_too_many else TOO_MANY
            self._said_too_many = True
        self._irregular_notes += 1 if reason else 0
        result = self._local_rows(start, length, at_eof, past, offset)
        if result is None:  # the irregular record runs past the buffer: the csv module reads the rest
            items.append(_Rest(bytes(view[start:length]), offset + start, irregular.reason))
            return items, length
        rows, end = result
        if end <= start:  # cannot happen with a record read; never loop on the same bytes
            items.append(_Rest(bytes(view[start:length]), offset + start, irregular.reason))
            return items, length
        items.append(_Rows(rows, reason))
        return items, end

    def _local_rows(
        self, start: int, length: int, at_eof: bool, past: int, offset: int
    ) -> tuple[list[list[str]], int] | None:
        """Records of the buffer from ``start`` read with the csv module, up to the first one ending
        after ``past``: (records, where they end), or None if the buffer ends first."""
        buffer = self._buffer
        state = {"end": start, "short": False}

        def lines() -> Iterator[str]:
            for match in _LINE.finditer(buffer, start, length):
                if match.end() == length and not at_eof:  # this line may go on in the next read
                    break
                try:
                    text = match.group().decode("utf-8")
                except UnicodeDecodeError as error:
                    raise self._utf8_error(offset + match.start() + error.start) from None
                state["end"] = match.end()
                yield text
            state["short"] = not at_eof

        rows: list[list[str]] = []
        for record in self._reader(lines()):
            if state["short"]:
                return None
            rows.append(record)
            if state["end"] > past:
                return rows, int(state["end"])
        return None if state["short"] else (rows, int(state["end"]))

    def _check_record_size(self, length: int, offset: int) -> None:
        if length > self.max_record_bytes:
            raise UnusableInputError(
                f"Un enregistrement dépasse {self.max_record_bytes} octets sans fin de ligne hors "
                "guillemets : un guillemet n'est probablement jamais fermé (limite max_record_bytes, "
                "variable SOCLE_LIMIT_MAX_RECORD_BYTES).",
                Location(file=self.path.name, byte_offset=self._raw(offset)),
            )

    def _note_irregular(self, reason: str, row: int, rest: bool) -> None:
        if reason == TOO_MANY:
            self.source.notes.append(
                f"À partir de la ligne {row}, trop d'irrégularités de guillemets ou de fins de ligne : "
                "le reste de la tranche est lu avec le module csv de Python (plus lent), comme le fait "
                "Validata."
            )
            return
        scope = "la suite du fichier est lue" if rest else "cet enregistrement est lu"
        self.source.notes.append(
            f"Ligne {row} : {reason} ; {scope} avec le module csv de Python, comme le fait Validata."
        )

    def _raw(self, offset: int) -> int | None:
        return self.stream.raw_offset(offset) if self.choice.passthrough else None

    # --- fast path: polars on a regular slice -----------------------------------------------------

    def _parse(self, piece: _Slice, width: int) -> tuple[pl.DataFrame | None, _Cells]:
        """Worker-thread job: parse with polars and count the cells of each record from byte counts.

        The cells are an int when every record has the frame's full width, a series when some do
        not, None when only counting the delimiters can tell (see :meth:`_complete`)."""
        if piece.counted is not None:
            return self._parse_counted(piece, piece.counted, width)
        import numpy as np

        from socle.io import scan

        assert piece.quotes is not None
        frame = self._polars(piece.data, width, piece.offset)
        if frame is None:
            return None, None
        cells: _Cells = None
        # The byte count proves the full width only if polars refuses every record wider than the
        # frame; it does not refuse a last record without a line break made of empty cells (``;;``).
        terminated = piece.size > 0 and piece.data[piece.size - 1] == LF
        if frame.width > 1 and terminated and self._full_width(frame, piece):
            cells = frame.width
        else:
            values = frame.select(pl.sum_horizontal(pl.all().str.len_bytes())).to_series().to_numpy()
            counts = scan.record_cells(
                piece.array, piece.quotes, piece.size, values.astype(np.int64, copy=False), frame.width
            )
            cells = None if counts is None else pl.Series(CELLS, counts, dtype=pl.Int32)
        if cells is not None:
            piece.text = b""
        return frame, cells

    def _parse_counted(
        self, piece: _Slice, counted: _Counted, width: int
    ) -> tuple[pl.DataFrame | None, _Cells]:
        """:meth:`_parse` of a slice whose cells the C scanner counted: polars parses it as wide as its
        widest record, and the frame must have one row per record."""
        if counted.widest > self.limits.max_columns:
            return None, None  # _complete says where
        width = max(width, counted.widest)
        assert isinstance(piece.text, Text)
        frame = self._native(piece.text, width, counted.records)
        if frame is not None:
            piece.text = b""
            if not counted.indices and counted.expected == frame.width:
                return frame, frame.width
            return frame, _Nulled(counted.series())
        piece.text = piece.data
        frame = self._polars(piece.text, width, piece.offset)
        if frame is None or frame.height != counted.records:
            return None, None  # should not happen on regular quoting; _complete reads it with the csv module
        piece.text = b""
        if not counted.indices and counted.expected == frame.width:
            return frame, frame.width
        return frame, counted.series()

    def _native(self, data: Text, width: int, records: int) -> pl.DataFrame | None:
        """The frame of a regular slice built by the C scanner without copying its cells again (see
        ``columns`` in ``_scanner.c``); None when it cannot (then polars parses the slice, and says
        where the UTF-8 is invalid)."""
        assert _scanner is not None
        names = [column_name(i) for i in range(width)]
        built = _scanner.columns(data, self.delimiter, names, records, self.choice.passthrough)
        if built is None:
            return None
        return pl.DataFrame([pl.Series(_ArrowColumn(pair)) for pair in built])

    def _complete(self, flight: _InFlight, row: int) -> pl.DataFrame:
        """The frame of a parsed slice: cell counts proved or counted, absent cells nulled."""
        piece = flight.piece
        if isinstance(piece, _Rows) or flight.parsed is None:
            return self._rows_frame(piece.rows if isinstance(piece, _Rows) else [], row)
        frame, cells = flight.parsed.result()
        if frame is not None and cells is not None:
            self.width = max(self.width, frame.width)
            return self._finish(frame, cells, row)
        if piece.counted is not None:  # counted by the C scanner, refused by polars
            self._check_columns(piece.counted.first_over(self.limits.max_columns), row)
            return self._rows_frame(self._python_rows(piece.data.decode("utf-8")), row)
        import numpy as np

        from socle.io import scan

        assert piece.quotes is not None
        layout = scan.layout(piece.array, piece.quotes, self.delimiter, piece.size)
        widest = int(layout.cells.max()) if layout.count else 0
        over = np.flatnonzero(layout.cells > self.limits.max_columns)
        self._check_columns((int(over[0]), int(layout.cells[over[0]])) if over.size else None, row)
        if frame is None or widest > frame.width:
            self.width = max(self.width, widest)
            frame = self._polars(piece.data, self.width, piece.offset)
        if frame is None or frame.height != layout.count:
            # Should not happen on regular quoting; the csv module keeps every record anyway.
            return rows_frame(self._python_rows(piece.data.decode("utf-8")), row, self.width)
        return self._finish(frame, pl.Series(CELLS, layout.cells, dtype=pl.Int32), row)

    def _polars(self, data: bytes, width: int, offset: int) -> pl.DataFrame | None:
        """Parse with polars; None when polars refuses the slice (invalid UTF-8 raises instead)."""
        try:
            # scan_csv + collect: read_csv's own preparation of the bytes costs a few ms per slice.
            return pl.scan_csv(
                data,
                has_header=False,
                separator=self.dialect.delimiter,
                quote_char='"',
                schema={column_name(i): pl.String for i in range(width)},
                empty_string_is_null=False,
                missing_columns="insert",
                raise_if_empty=False,
                infer_schema=False,
            ).collect(engine="streaming")
        except pl.exceptions.PolarsError:
            self._check_utf8(data, offset)
            return None

    def _check_utf8(self, data: bytes, offset: int) -> None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise self._utf8_error(offset + error.start) from None

    def _utf8_error(self, stream_offset: int) -> UnusableInputError:
        raw = self.stream.raw_offset(stream_offset)
        reason = (
            ""
            if self.choice.forced
            else "encodage mixte : le début du fichier est en UTF-8 mais pas ces octets"
        )
        return decode_error(self.path, "UTF-8", raw, line_at(self.path, raw), reason)

    def _full_width(self, frame: pl.DataFrame, piece: _Slice) -> bool:
        """Prove that every record of the slice has exactly ``frame.width`` cells by counting bytes.

        In regular CSV a slice is made of the cells' text, two framing quotes per quoted cell plus
        one extra quote per quote in the text, the delimiters and the line breaks. Polars refuses
        records wider than the schema, so if the delimiters account for ``width - 1`` per record,
        no record is shorter either (nor blank).
        """
        from socle.io import scan

        assert piece.quotes is not None
        total = frame.select(pl.sum_horizontal(pl.all().str.len_bytes().sum())).item()
        values = int(total) if total is not None else 0
        cut = piece.size
        framing = piece.quotes.size - scan.doubled_quotes(piece.quotes)
        records = frame.height
        terminated = cut > 0 and piece.data[-1] == LF
        terminators = (records if terminated else records - 1) + piece.crlf
        delimiters = records * (frame.width - 1)
        return cut == values + framing + delimiters + terminators

    def _finish(self, frame: pl.DataFrame, cells: pl.Series | int | _Nulled, row: int) -> pl.DataFrame:
        """Add the row numbers and cell counts; null the cells a record did not have."""
        height = frame.height
        rows = pl.int_range(row, row + height, dtype=pl.Int64, eager=True).alias(ROW)
        if isinstance(cells, int):
            return frame.with_columns(rows, pl.lit(cells, dtype=pl.Int32).alias(CELLS))
        if isinstance(cells, _Nulled):
            return frame.with_columns(cells.cells.alias(CELLS), rows).select([*frame.columns, ROW, CELLS])
        minimum = int(cells.min()) if height else 0  # type: ignore[arg-type]
        columns: list[pl.Expr] = []
        for position, name in enumerate(frame.columns):
            if position < minimum:
                columns.append(pl.col(name))
            else:
                columns.append(pl.when(pl.col(CELLS) > position).then(pl.col(name)).alias(name))
        return frame.with_columns(cells.alias(CELLS), rows).select([*columns, ROW, CELLS])

    def _rows_frame(self, rows: list[list[str]], row: int) -> pl.DataFrame:
        for index, record in enumerate(rows):
            if len(record) > self.limits.max_columns:
                location = Location(file=self.path.name, row=row + index)
                raise limit_error("max_columns", self.limits, location, f"{len(record)} colonnes")
        frame = rows_frame(rows, row, self.width)
        self.width = max(self.width, frame.width - 2)
        return frame

    def _check_columns(self, over: tuple[int, int] | None, row: int) -> None:
        """Refuse a slice whose record ``over[0]`` (0-based) has ``over[1]`` cells, above the limit."""
        if over is not None:
            index, cells = over
            location = Location(file=self.path.name, row=row + index)
            raise limit_error("max_columns", self.limits, location, f"{cells} colonnes")

    # --- slow path: Python's csv module -----------------------------------------------------------

    def _texts(self, first: bytes, offset: int) -> Iterator[str]:
        """Decode ``first`` (at ``offset`` in the UTF-8 stream) then the rest of the stream into text."""
        pending = b""
        position = offset  # stream offset of pending[0]
        chunk = first
        while True:
            if not chunk:
                chunk = self.stream.read(self.limits.batch_bytes)
                if not chunk:
                    break
            data = pending + chunk if pending else chunk
            try:
                text, used = codecs.utf_8_decode(data, "strict", False)
            except UnicodeDecodeError as error:
                raise self._utf8_error(position + error.start) from None
            pending, chunk = data[used:], b""
            position += used
            if text:
                yield text
        if pending:  # a multi-byte sequence cut by the end of the file
            try:
                codecs.utf_8_decode(pending, "strict", True)
            except UnicodeDecodeError as error:
                raise self._utf8_error(position + error.start) from None

    def _reader(self, lines: Iterator[str]) -> Iterator[list[str]]:
        if csv.field_size_limit() < _FIELD_SIZE_LIMIT:
            # Cells larger than the default 128 KiB are legitimate (geometries, long texts). The
            # setting is global to the csv module (frictionless raises it the same way).
            csv.field_size_limit(_FIELD_SIZE_LIMIT)
        return csv.reader(
            lines,
            delimiter=self.dialect.delimiter,
            quotechar='"',
            doublequote=True,
            skipinitialspace=self.dialect.skip_initial_space,
            strict=False,
        )

    def _python_rows(self, text: str) -> list[list[str]]:
        return list(self._reader(iter(io.StringIO(text, newline=""))))

    def _python_frames(self, texts: Iterator[str], row: int) -> Iterator[pl.DataFrame]:
        reader = self._reader(split_lines(texts))
        batch: list[list[str]] = []
        size = 0
        budget = max(min(self.limits.batch_bytes, PYTHON_BATCH_CHARS), 1)
        try:
            for record in reader:
                if len(record) > self.limits.max_columns:
                    location = Location(file=self.path.name, row=row + len(batch))
                    raise limit_error("max_columns", self.limits, location, f"{len(record)} colonnes")
                batch.append(record)
                size += sum(map(len, record)) + len(record)
                if size >= budget or len(batch) >= PYTHON_BATCH_ROWS:
                    frame = rows_frame(batch, row, self.width)
                    self.width = max(self.width, frame.width - 2)
                    row += len(batch)
                    batch, size = [], 0
                    yield frame
        except csv.Error as error:
            raise UnusableInputError(
                f"Enregistrement CSV illisible : {error}.",
                Location(file=self.path.name, row=row + len(batch)),
            ) from None
        if batch:
            yield rows_frame(batch, row, self.width)


def split_lines(texts: Iterator[str]) -> Iterator[str]:
    """Lines of consecutive text chunks, ending at ``\\n``, ``\\r\\n`` or a lone ``\\r``, ends kept.

    This is how a file opened with ``newline=""`` is read, which the csv module expects.
    """
    pending = ""
    for chunk in texts:
        text = pending + chunk if pending else chunk
        # A final "\r" may be the first half of a "\r\n" split between chunks: keep it pending.
        end = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1))
        if end < 0:
            pending = text
            continue
        pending = text[end + 1 :]
        yield from io.StringIO(text[: end + 1], newline="")
    if pending:
        yield from io.StringIO(pending, newline="")
