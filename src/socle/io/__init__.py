"""Readers: CSV, XLSX, XLS and ODS files as a :class:`~socle.io.table.Table` of text cells.

``read_table`` looks at the file's first bytes (not its extension) to choose the reader, checks the
size limits before reading, and returns the header at once; the data rows come as lazy batches, so
that a file larger than memory is read in bounded memory. Every cell is text, as in the file.
:mod:`socle.io.preview` reads the first records of a file (each sheet of a workbook) without taking
any of them for the header.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from socle.errors import LimitExceededError, Location, UnusableInputError, UsageError
from socle.io.csv_reader import read_csv
from socle.io.frames import limit_error, start_at
from socle.io.spreadsheet import read_spreadsheet
from socle.io.table import CELLS, ROW, Batch, SourceInfo, Table, column_name
from socle.limits import Limits

__all__ = [
    "CELLS",
    "ROW",
    "Batch",
    "LimitExceededError",
    "SourceInfo",
    "Table",
    "check_input",
    "column_name",
    "detect_format",
    "read_table",
]

SPREADSHEET_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsb", ".xls": "xls", ".ods": "ods"}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<table")


def read_table(
    path: str | Path,
    *,
    limits: Limits | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
) -> Table:
    """Open a CSV or spreadsheet file as a table of text cells.

    ``sheet`` picks a spreadsheet sheet by name or 1-based number (default: the first non-empty
    one); ``encoding`` and ``delimiter`` force what is otherwise detected in a CSV file;
    ``header_row`` is the row number of the header (a CSV record number, a sheet row number) when
    rows above it are not part of the table (a title): they are skipped and a note says so, and
    row numbers stay those of the file. Raises :class:`UnusableInputError` (or its subclass
    :class:`LimitExceededError`) when the file cannot be read, :class:`UsageError` when an option
    does not apply; the batches of the returned table may raise them too, for problems found
    further in the file.
    """
    limits = limits if limits is not None else Limits.from_env()
    file = check_input(path, limits)
    where = Location(file=file.name)
    if header_row is not None and header_row < 1:
        raise UsageError(
            f"Ligne d'en-tête invalide : {header_row} (les lignes sont numérotées à partir de 1)."
        )
    kind = detect_format(file)
    if kind == "csv":
        if sheet is not None:
            raise UsageError("Le choix de la feuille ne s'applique qu'aux tableurs (XLSX, XLS, ODS).", where)
        table = _read_csv_from(file, limits, encoding, delimiter, header_row)
    elif encoding is not None or delimiter is not None:
        raise UsageError(
            "L'encodage et le séparateur ne s'appliquent qu'aux fichiers CSV, pas aux tableurs.", where
        )
    else:
        table = read_spreadsheet(file, kind, limits, sheet)
        expected = SPREADSHEET_EXTENSIONS.get(file.suffix.lower())
        if expected != kind:
            table.source.notes.append(
                f"Le contenu du fichier est un classeur {kind.upper()} malgré son extension « {file.suffix} »."
            )
    return table if header_row is None else start_at(table, header_row, limits)


def check_input(path: str | Path, limits: Limits) -> Path:
    """The path of an existing, non-empty file within ``max_bytes``, or a French error saying why not."""
    file = Path(path)
    where = Location(file=file.name)
    if not file.is_file():
        raise UsageError("Fichier introuvable (ou ce n'est pas un fichier).", where)
    size = file.stat().st_size
    if size > limits.max_bytes:
        raise limit_error("max_bytes", limits, where, f"{size} octets")
    if size == 0:
        raise UnusableInputError("Le fichier est vide (0 octet).", where)
    return file


def _read_csv_from(
    file: Path, limits: Limits, encoding: str | None, delimiter: str | None, header_row: int | None
) -> Table:
    """Read a CSV file; when its header is below title rows, the delimiter is detected from the header.

    A title line ("Subventions 2018") holds no delimiter, or a misleading one: detecting from the
    first record would read the whole file as one column.
    """
    if header_row is None or header_row == 1 or delimiter is not None:
        return read_csv(file, limits, encoding, delimiter)
    from socle.io.dialect import delimiter_name
    from socle.io.preview import delimiter_from_record

    found = delimiter_from_record(file, encoding, header_row)
    table = read_csv(file, limits, encoding, found)
    if found is not None:
        forced = f"Séparateur imposé : {delimiter_name(found)}."
        detected = (
            f"Séparateur détecté à partir de la ligne d'en-tête ({header_row}) : {delimiter_name(found)}."
        )
        table.source.notes[:] = [detected if note == forced else note for note in table.source.notes]
    return table


def detect_format(path: Path) -> str:
    """'csv', 'xlsx', 'xlsb', 'xls' or 'ods', from the file's content (its extension only breaks ties)."""
    with path.open("rb") as handle:
        head = handle.read(512)
    expected = SPREADSHEET_EXTENSIONS.get(path.suffix.lower())
    if head.startswith(_ZIP_MAGIC):
        return _zip_kind(path, expected or "xlsx")
    if head.startswith(_OLE2_MAGIC):
        return "xls"
    if expected is not None:
        raise UnusableInputError(
            f"Le fichier porte l'extension « {path.suffix} » mais n'est pas un classeur "
            f"{expected.upper()} : ni archive ZIP, ni classeur Excel 97-2003. Vérifiez le fichier ou "
            "renommez-le s'il s'agit d'un CSV.",
            Location(file=path.name),
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(_MARKUP_STARTS):
        raise UnusableInputError(
            "Le fichier est une page HTML ou un document XML, pas un fichier CSV ni un tableur.",
            Location(file=path.name),
        )
    return "csv"


def _zip_kind(path: Path, expected: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnusableInputError(
            f"Le fichier est une archive ZIP illisible (classeur {expected.upper()} corrompu ou "
            f"incomplet ?) : {error}.",
            Location(file=path.name),
        ) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet") or "content.xml" in names:
        return "ods"
    raise UnusableInputError(
        "Le fichier est une archive ZIP qui ne contient pas de classeur (XLSX ou ODS) : "
        "extrayez le fichier CSV ou le tableur qu'elle contient.",
        Location(file=path.name),
    )
