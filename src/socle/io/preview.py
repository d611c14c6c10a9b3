"""The first records of a file, raw: what a sheet chooser and a header finder look at.

:func:`preview_file` reads up to ``records`` records of a CSV file, or of each sheet of a workbook,
as lists of text cells numbered as :func:`socle.io.read_table` numbers rows (a CSV record number, a
sheet row number), without taking any of them for the header. CSV files go through the readers'
encoding detection; the delimiter is the one that splits most records into the same number of
cells, so that a title line above the table ("Subventions 2018", with no delimiter or a stray
comma) does not mislead it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from socle.errors import UnusableInputError
from socle.io import check_input, detect_format
from socle.io.dialect import CANDIDATES, check_delimiter, delimiter_name, detect_dialect, header_width
from socle.io.encoding import detect_encoding, read_sample
from socle.io.spreadsheet import head_rows, load_sheet, merged_ranges, open_workbook
from socle.limits import Limits

PREVIEW_RECORDS = 30
"""Records read by default from a CSV file or from each sheet."""
SNIFF_RECORDS = 200
"""Records of the sample that decide the delimiter."""
PREVIEW_SAMPLE_BYTES = 256 * 1024
"""Bytes of a CSV file decoded for the preview (long cells may leave fewer records than asked)."""


@dataclass(frozen=True)
class MergedRange:
    """Merged cells of a sheet: rows as in the sheet (1-based), columns as table positions (0-based)."""

    first_row: int
    last_row: int
    first_column: int
    last_column: int


@dataclass(frozen=True)
class SheetPreview:
    """The first records of a CSV file or of one sheet of a workbook."""

    name: str | None
    """Sheet name (``None`` for a CSV file)."""
    index: int
    """0-based position of the sheet in the workbook (0 for a CSV file)."""
    rows: tuple[tuple[str, ...], ...]
    """Records as text cells; a blank record is ``()``."""
    row_numbers: tuple[int, ...]
    """Row number of each record, as in the table's ``__row__``."""
    merged: tuple[MergedRange, ...] = ()
    error: str | None = None
    """Why the sheet could not be read (French), for a chart sheet or a corrupt one."""

    @property
    def is_empty(self) -> bool:
        """True when no previewed record holds a non-blank cell."""
        return not any(cell.strip() for row in self.rows for cell in row)

    def label(self) -> str:
        """French name of the sheet for messages."""
        return "le fichier" if self.name is None else f"la feuille « {self.name} »"


@dataclass(frozen=True)
class FilePreview:
    """What :func:`preview_file` found: the file's format, and one :class:`SheetPreview` per sheet."""

    path: str
    format: str
    sheets: tuple[SheetPreview, ...]
    encoding: str | None = None
    delimiter: str | None = None
    notes: tuple[str, ...] = ()


def preview_file(
    path: str | Path,
    *,
    records: int = PREVIEW_RECORDS,
    limits: Limits | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> FilePreview:
    """The first ``records`` records of a CSV file, or of every sheet of a workbook, as raw text rows.

    Raises the errors of :func:`socle.io.read_table` for a file that cannot be read at all; a sheet
    that cannot be read is kept with its ``error``.
    """
    limits = limits if limits is not None else Limits.from_env()
    file = check_input(path, limits)
    kind = detect_format(file)
    if kind == "csv":
        return _preview_csv(file, records, encoding, delimiter)
    workbook, names = open_workbook(file, kind, limits)
    sheets: list[SheetPreview] = []
    for index, name in enumerate(names):
        try:
            data = load_sheet(workbook, index, file, kind)
        except UnusableInputError as error:
            sheets.append(SheetPreview(name, index, (), (), error=error.message))
            continue
        first, rows = head_rows(data, records)
        numbers = tuple(range(first, first + len(rows)))
        last = numbers[-1] if numbers else 0
        merged = tuple(MergedRange(*cells) for cells in merged_ranges(data) if cells[0] <= last)
        sheets.append(SheetPreview(name, index, tuple(tuple(row) for row in rows), numbers, merged))
    return FilePreview(path=str(file), format=kind, sheets=tuple(sheets))


def _preview_csv(file: Path, records: int, encoding: str | None, forced: str | None) -> FilePreview:
    choice = detect_encoding(file, encoding)
    sample, complete = read_sample(file, choice, PREVIEW_SAMPLE_BYTES)
    notes = list(choice.notes)
    if forced is not None:
        delimiter = check_delimiter(forced)
        notes.append(f"Séparateur imposé : {delimiter_name(delimiter)}.")
    else:
        sniffed = sniff_delimiter(sample, complete)
        delimiter = sniffed or ","
        if sniffed is None:
            notes.append("Aucun séparateur trouvé : le fichier est lu comme une seule colonne.")
        else:
            notes.append(f"Séparateur détecté : {delimiter_name(delimiter)}.")
    rows = parse_records(sample, delimiter, complete, records)
    sheet = SheetPreview(None, 0, tuple(tuple(row) for row in rows), tuple(range(1, len(rows) + 1)))
    return FilePreview(
        path=str(file),
        format="csv",
        sheets=(sheet,),
        encoding=choice.label,
        delimiter=delimiter,
        notes=tuple(notes),
    )


def _reader(lines: Iterator[str], delimiter: str) -> Iterator[list[str]]:
    return csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)


def parse_records(sample: str, delimiter: str, complete: bool, limit: int) -> list[list[str]]:
    """Up to ``limit`` records of ``sample`` (a blank line is ``[]``), none cut by the sample's end."""
    rows: list[list[str]] = []
    reader = _reader(iter(io.StringIO(sample, newline="")), delimiter)
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > limit:
                break
    except csv.Error:  # an unreadable record ends the preview; the reader reports it in full
        return rows[:limit]
    if len(rows) <= limit and not complete and rows:
        rows.pop()  # the last record of a truncated sample may be cut
    return rows[:limit]


def sniff_delimiter(sample: str, complete: bool) -> str | None:
    """The delimiter that splits the most records into the same number (≥ 2) of cells, or None.

    Blank lines are not counted; a title line counts against every delimiter alike. Ties go to the
    wider split, then to the order of :data:`socle.io.dialect.CANDIDATES`.
    """
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for rank, candidate in enumerate(CANDIDATES):
        rows = [row for row in parse_records(sample, candidate, complete, SNIFF_RECORDS) if row]
        widths = Counter(len(row) for row in rows if len(row) >= 2)
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        key = (count / len(rows), width, -rank)
        if best is None or key > best:
            best, chosen = key, candidate
    return chosen


def text_from_record(sample: str, record: int, delimiter: str) -> str | None:
    """``sample`` from the start of its record number ``record`` (1-based), or None if it has fewer."""
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(sample, newline=""):
            consumed += len(line)
            yield line

    reader = _reader(lines(), delimiter)
    try:
        for _ in range(record - 1):
            next(reader)
    except (StopIteration, csv.Error):
        return None
    rest = sample[consumed:]
    return rest if rest else None


def delimiter_from_record(file: Path, encoding: str | None, record: int) -> str | None:
    """The delimiter the CSV reader detects when the file is read from record ``record`` on.

    None when that record does not split into several cells with any delimiter.
    """
    choice = detect_encoding(file, encoding)
    sample, complete = read_sample(file, choice, PREVIEW_SAMPLE_BYTES)
    rest = text_from_record(sample, record, sniff_delimiter(sample, complete) or ",")
    if rest is None:
        return None
    dialect, _ = detect_dialect(rest, complete)
    return dialect.delimiter if header_width(rest, complete, dialect) >= 2 else None
