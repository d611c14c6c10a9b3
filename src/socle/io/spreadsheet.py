"""XLSX, XLS and ODS reader (python-calamine), every cell turned into the text it shows.

XLSX and ODS files are ZIP archives: their directory is checked against the uncompressed size and
compression ratio limits *before* anything is decompressed, so that a ZIP bomb is refused cheaply.
Rows keep the sheet's own numbers (a table starting on row 3 has its header on row 3).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

import polars as pl

from socle.errors import Location, UnusableInputError, UsageError
from socle.io.cells import RENDERERS, cell_text
from socle.io.frames import assemble, limit_error, rows_frame
from socle.io.table import SourceInfo, Table
from socle.limits import Limits

_TEXT = dict(RENDERERS)


def _text(value: object) -> str:
    # A lookup by exact type is faster than cell_text's isinstance tests; subclasses fall back to it.
    return _TEXT.get(type(value), cell_text)(value)


BATCH_ROWS = 50_000
"""Rows per batch handed to the engine (the sheet itself is already in memory)."""
_MEMBER_RATIO_MIN_BYTES = 10 * 1024 * 1024
"""Members smaller than this are not checked one by one for their ratio (tiny files compress well)."""
_FORMAT_NAMES = {"xlsx": "XLSX", "xls": "XLS", "ods": "ODS", "xlsb": "XLSB"}


def check_archive(path: Path, limits: Limits, kind: str) -> None:
    """Refuse a corrupt archive or one over the decompression limits, from its directory alone."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _corrupt(path, kind, str(error)) from None
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    where = Location(file=path.name)
    if total > limits.max_uncompressed_bytes:
        raise limit_error("max_uncompressed_bytes", limits, where, f"{total} octets une fois décompressé")
    ratio = total / max(packed, 1)
    if ratio > limits.max_compression_ratio:
        raise limit_error("max_compression_ratio", limits, where, f"rapport de compression {ratio:.0f}")
    for member in members:
        member_ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= _MEMBER_RATIO_MIN_BYTES and member_ratio > limits.max_compression_ratio:
            found = f"« {member.filename} » : rapport de compression {member_ratio:.0f}"
            raise limit_error("max_compression_ratio", limits, where, found)


def _corrupt(path: Path, kind: str, detail: str) -> UnusableInputError:
    name = _FORMAT_NAMES.get(kind, kind.upper())
    return UnusableInputError(
        f"Le fichier n'est pas un classeur {name} lisible (fichier corrompu, protégé par mot de passe "
        f"ou d'un autre format) : {detail}.",
        Location(file=path.name),
    )


def _open(path: Path, kind: str) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:
        raise _corrupt(path, kind, _reason(error)) from None
    except BaseException as error:  # a panic in the Rust code surfaces as a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise _corrupt(path, kind, _reason(error)) from None


def _reason(error: BaseException) -> str:
    name = type(error).__name__
    if name == "PasswordError":
        return "classeur protégé par mot de passe"
    return str(error) or name


def open_workbook(path: Path, kind: str, limits: Limits) -> tuple[Any, list[str]]:
    """The workbook, opened once the archive passed the decompression limits, and its sheet names."""
    if kind in ("xlsx", "ods", "xlsb"):
        check_archive(path, limits, kind)
    workbook = _open(path, kind)
    return workbook, list(workbook.sheet_names)


def load_sheet(workbook: Any, index: int, path: Path, kind: str) -> Any:
    """The sheet at 0-based ``index``; an unreadable one raises :class:`UnusableInputError`."""
    return _load(workbook, index, path, kind)


def read_spreadsheet(path: Path, kind: str, limits: Limits, sheet: str | int | None) -> Table:
    """Read one sheet of a spreadsheet as a :class:`Table` (see :func:`socle.io.read_table`)."""
    workbook, names = open_workbook(path, kind, limits)
    if not names:
        raise UnusableInputError("Le classeur ne contient aucune feuille.", Location(file=path.name))
    if sheet is None:
        index, data = _first_filled(workbook, names, path, kind)
        default = True
    else:
        index, default = _choose(names, sheet, path), False
        data = _load(workbook, index, path, kind)
    name = names[index]
    notes = [_sheet_note(name, index, default)]
    others = [other for other in names if other != name]
    if others:
        notes.append("Autres feuilles ignorées : " + ", ".join(f"« {other} »" for other in others) + ".")
    source = SourceInfo(path=str(path), format=kind, sheet=name, sheets=names, notes=notes)
    frames = _frames(path, kind, data, name=name, limits=limits, source=source)
    empty = f"La feuille « {name} » est vide : elle ne contient aucune cellule remplie."
    return assemble(frames, source, limits, empty)


def _sheet_note(name: str, index: int, default: bool) -> str:
    if default:
        return f"Feuille lue : « {name} » (la première feuille non vide du classeur)."
    return f"Feuille lue : « {name} » (feuille n° {index + 1})."


def _load(workbook: Any, index: int, path: Path, kind: str) -> Any:
    try:
        return workbook.get_sheet_by_index(index)
    except Exception as error:
        raise _corrupt(path, kind, _reason(error)) from None
    except BaseException as error:  # a panic in the Rust code surfaces as a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise _corrupt(path, kind, _reason(error)) from None


def _first_filled(workbook: Any, names: list[str], path: Path, kind: str) -> tuple[int, Any]:
    """The first sheet with a filled cell (loaded), or the first sheet if none has one."""
    for index in range(len(names)):
        try:
            data = _load(workbook, index, path, kind)
        except UnusableInputError:  # a chart sheet or an unreadable sheet is not "the first filled one"
            continue
        if data.start is not None:
            return index, data
    return 0, _load(workbook, 0, path, kind)


def _choose(names: list[str], sheet: str | int, path: Path) -> int:
    """0-based index of the sheet the user asked for, by name or 1-based number."""
    if isinstance(sheet, str) and sheet in names:
        return names.index(sheet)
    if isinstance(sheet, int) or sheet.strip().isdigit():
        number = int(sheet)
        if 1 <= number <= len(names):
            return number - 1
    listing = ", ".join(f"{i}. « {name} »" for i, name in enumerate(names, start=1))
    raise UsageError(
        f"Feuille « {sheet} » introuvable dans le classeur. Indiquez son nom ou son numéro (à partir de 1) "
        f"parmi : {listing}.",
        Location(file=path.name),
    )


def _frames(
    path: Path, kind: str, data: Any, *, name: str, limits: Limits, source: SourceInfo
) -> Iterator[pl.DataFrame]:
    start = data.start
    if start is None:
        return iter(())
    height, width = int(data.height), int(data.width)
    if height * width > limits.max_spreadsheet_cells:
        found = f"{height} lignes × {width} colonnes"
        raise limit_error("max_spreadsheet_cells", limits, Location(file=path.name), found)
    if width > limits.max_columns:
        raise limit_error("max_columns", limits, Location(file=path.name), f"{width} colonnes")
    first_row, first_column = int(start[0]), int(start[1])
    if first_column:
        source.notes.append(f"Le tableau commence à la colonne {column_letters(first_column)}.")
    errors = xlsx_error_cells(path, name) if kind == "xlsx" else {}
    return _rows_batches(data, first_row, first_column, height, errors)


def _rows_batches(
    data: Any, first_row: int, first_column: int, height: int, errors: dict[int, list[tuple[int, str]]]
) -> Iterator[pl.DataFrame]:
    rows = iter(data.iter_rows())
    skipped = 0
    batch: list[list[str]] = []
    number = first_row + 1  # 1-based sheet row of the next row read
    batch_start = number
    for values in rows:
        # python-calamine yields placeholder rows for the empty rows above the data range.
        if skipped < first_row and not any(value != "" for value in values):
            skipped += 1
            continue
        texts = [value if type(value) is str else _text(value) for value in values]
        for column, text in errors.get(number - 1, ()):
            if 0 <= column - first_column < len(texts):
                texts[column - first_column] = text
        batch.append(texts if any(texts) else [])
        number += 1
        if len(batch) >= BATCH_ROWS:
            yield rows_frame(batch, batch_start)
            batch, batch_start = [], number
        if number - first_row - 1 >= height:
            break
    if batch:
        yield rows_frame(batch, batch_start)


def head_rows(data: Any, count: int) -> tuple[int, list[list[str]]]:
    """The first ``count`` rows of a loaded sheet as text, numbered as :func:`read_spreadsheet` does.

    Returns the sheet row number of the first row and the rows (a blank row is ``[]``); cells
    start at the first column of the sheet's data range, as in the table's frames.
    """
    start = data.start
    if start is None or count <= 0:
        return 0, []
    first_row = int(start[0])
    skipped = 0
    rows: list[list[str]] = []
    for values in data.iter_rows():
        # Same rule as _rows_batches: placeholder rows above the data range are not rows of the table.
        if skipped < first_row and not any(value != "" for value in values):
            skipped += 1
            continue
        texts = [value if type(value) is str else _text(value) for value in values]
        rows.append(texts if any(texts) else [])
        if len(rows) >= count:
            break
    return first_row + 1, rows


def merged_ranges(data: Any) -> list[tuple[int, int, int, int]]:
    """Merged cells of a loaded sheet as (first row, last row, first column, last column).

    Rows are sheet row numbers (1-based), columns 0-based positions from the first column of the
    data range; empty when the format or the library does not tell.
    """
    start = data.start
    ranges = getattr(data, "merged_cell_ranges", None)  # None for ODS, absent from older python-calamine
    if start is None or not ranges:
        return []
    first_column = int(start[1])
    found: list[tuple[int, int, int, int]] = []
    for (top, left), (bottom, right) in ranges:
        found.append((int(top) + 1, int(bottom) + 1, int(left) - first_column, int(right) - first_column))
    return sorted(found)


# --- XLSX error cells -------------------------------------------------------------------------------
# python-calamine turns error cells (#N/A, #DIV/0!…) into empty cells; the sheet XML keeps their text.

_CELL_REFERENCE = re.compile(r"^([A-Z]+)(\d+)$")


def column_letters(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """Archive path of the worksheet XML of ``sheet_name``."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relation = None
    for element in workbook.iter():
        if _local(element.tag) == "sheet" and element.get("name") == sheet_name:
            relation = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            break
    if relation is None:
        return None
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for element in relations.iter():
        if _local(element.tag) == "Relationship" and element.get("Id") == relation:
            target = element.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def _has_error_cells(archive: zipfile.ZipFile, part: str) -> bool:
    marker = b't="e"'
    tail = b""
    with archive.open(part) as member:
        while chunk := member.read(1024 * 1024):
            if marker in tail + chunk[: len(marker)] or marker in chunk:
                return True
            tail = chunk[-len(marker) :]
    return False


def xlsx_error_cells(path: Path, sheet_name: str) -> dict[int, list[tuple[int, str]]]:
    """{0-based row: [(0-based column, error text)]} of the error cells of an XLSX sheet."""
    found: dict[int, list[tuple[int, str]]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet_name)
            if part is None or not _has_error_cells(archive, part):
                return found
            with archive.open(part) as member:
                for _, element in ElementTree.iterparse(member, events=("end",)):
                    tag = _local(element.tag)
                    if tag == "c" and element.get("t") == "e":
                        _record_error(element, found)
                    elif tag == "row":
                        element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return found  # best effort: calamine already read the sheet, errors stay empty cells
    return found


def _record_error(element: ElementTree.Element, found: dict[int, list[tuple[int, str]]]) -> None:
    match = _CELL_REFERENCE.match(element.get("r", ""))
    value = next((child.text for child in element if _local(child.tag) == "v"), None)
    if match and value:
        row = int(match.group(2)) - 1
        found.setdefault(row, []).append((_column_index(match.group(1)), value))
