"""Every real file of ../shared/corpus reads as an independent reading of it says it should."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from frictionless import Resource

from socle.errors import UnusableInputError
from socle.io import read_table
from socle.io.cells import float_text
from socle.limits import Limits

from .conftest import CORPUS, records, rows_and_numbers

pytestmark = pytest.mark.usefixtures("scanner")

# SOURCES.md describes each file's format: "CSV; UTF-8+BOM; sep `;`; CRLF".
ENCODINGS = {
    "UTF-8": "utf-8",
    "UTF-8+BOM": "utf-8-sig",
    "Win-1252/Latin-1": "windows-1252",
    "BOM + Win-1252 body": "windows-1252",
    "UTF-16+BOM": "utf-16-le",
}
BROKEN_UTF16 = "validata-fixtures/mini-menus-collectifs_invalide.utf-16.csv"


def _sources() -> dict[str, tuple[str, str]]:
    """{relative path: (encoding label, delimiter)} for the CSV files listed in SOURCES.md."""
    found: dict[str, tuple[str, str]] = {}
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 4 or not cells[1].startswith("`") or not cells[3].startswith("CSV;"):
            continue
        parts = [part.strip() for part in cells[3].split(";")]
        delimiter = re.search(r"sep `(.)`", cells[3])
        assert delimiter is not None, line
        found[cells[1].strip("`")] = (ENCODINGS[parts[1]], delimiter.group(1))
    return found


SOURCES = _sources()
CSV_FILES = sorted(name for name in SOURCES if name != BROKEN_UTF16)
XLSX_FILES = sorted(str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*.xlsx"))


def test_sources_list_every_csv_of_the_corpus() -> None:
    on_disk = {str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*.csv")}
    assert on_disk == set(SOURCES)
    assert len(CSV_FILES) >= 40


def _decode(raw: bytes, label: str) -> str:
    if label == "utf-16-le":
        return raw[2:].decode("utf-16-le")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("cp1252" if label == "windows-1252" else "utf-8")


def independent_rows(path: Path, label: str, delimiter: str) -> list[list[str]]:
    """The file read with Python's csv module, spaces after delimiters skipped as csv.Sniffer says."""
    text = _decode(path.read_bytes(), label)
    sample = "".join(io.StringIO(text, newline="").readlines()[:100])
    try:
        skip = csv.Sniffer().sniff(sample, delimiter).skipinitialspace
    except csv.Error:
        skip = False
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=skip)
    return list(reader)


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_reads_like_the_csv_module(name: str) -> None:
    label, delimiter = SOURCES[name]
    path = CORPUS / name
    table = read_table(path)
    assert table.source.format == "csv"
    assert table.source.encoding == label
    assert table.source.delimiter == delimiter
    expected = independent_rows(path, label, delimiter)
    rows, numbers = rows_and_numbers(table)
    assert table.header == expected[0]
    assert table.header_row == 1
    assert rows == expected[1:]
    assert numbers == list(range(2, len(expected) + 1))


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_reads_the_same_in_tiny_slices(name: str) -> None:
    path = CORPUS / name
    whole = read_table(path)
    sliced = read_table(path, limits=Limits(batch_bytes=64))
    assert sliced.header == whole.header
    assert rows_and_numbers(sliced) == rows_and_numbers(whole)


@pytest.mark.parametrize(
    "name",
    [name for name in CSV_FILES if SOURCES[name][0] in ("utf-8", "utf-8-sig")],
)
def test_csv_cells_equal_frictionless_cells(name: str) -> None:
    """On UTF-8 files (where its encoding guess cannot differ), frictionless sees the same cells."""
    path = CORPUS / name
    table = read_table(path)
    theirs = Resource(str(path)).read_cells()
    assert [table.header, *records(table)] == theirs


def test_lying_bom_is_read_as_windows_1252_and_said() -> None:
    path = CORPUS / "scdl/subventions/real-2018/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv"
    table = read_table(path)
    assert table.source.encoding == "windows-1252"
    assert any("BOM UTF-8 suivi d'un contenu Windows-1252" in note for note in table.source.notes)
    # frictionless keeps the BOM as "ï»¿" in the first label; the BOM is not part of the header.
    assert table.header[0] == "nomAttribuant"
    text = " ".join(cell for row in records(table) for cell in row)
    assert "é" in text and "Ã" not in text


def test_dae_files_skip_spaces_after_delimiters_like_validata() -> None:
    table = read_table(CORPUS / "scdl/dae/dae_exemple_valide.csv")
    assert table.header[:3] == ["nom", "lat_coor1", "long_coor1"]
    first = records(table)[0]
    assert first[14] == "http://www.monsite.com/monimage1.jpg"  # quoted after ", "
    assert any("espaces en début de cellule" in note for note in table.source.notes)


def test_broken_utf16_file_is_refused_at_the_lone_surrogate() -> None:
    """The fixture is invalid on purpose: its last cell is the lone surrogate 0xDEAD at byte 1450."""
    path = CORPUS / BROKEN_UTF16
    with pytest.raises(UnusableInputError) as caught:
        table = read_table(path)
        list(table.batches())
    error = caught.value
    assert error.location is not None
    assert error.location.byte_offset == 1450
    assert error.location.file == path.name
    assert "utf-16" in error.message.lower() and "décoder" in error.message


def test_utf16_file_without_the_broken_pair_reads_like_the_csv_module(tmp_path: Path) -> None:
    raw = (CORPUS / BROKEN_UTF16).read_bytes()
    repaired = tmp_path / "menus.csv"
    repaired.write_bytes(raw[:1450] + raw[1452:])
    table = read_table(repaired)
    assert table.source.encoding == "utf-16-le"
    assert table.source.delimiter == ","
    expected = list(csv.reader(io.StringIO(repaired.read_bytes()[2:].decode("utf-16-le"), newline="")))
    assert [table.header, *records(table)] == expected
    assert table.header[0] == "menuCollNom"


# --- spreadsheets -----------------------------------------------------------------------------------


def openpyxl_text(cell: openpyxl.cell.cell.Cell) -> str:
    """A cell read by openpyxl, turned into text by the rules of socle.io.cells."""
    value = cell.value
    if isinstance(value, dt.datetime):
        time_in_format = any(mark in cell.number_format.lower() for mark in ("h", "s"))
        if value.time() == dt.time(0) and not time_in_format:
            value = value.date()
        else:
            return value.isoformat(timespec="seconds")
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def openpyxl_rows(path: Path, sheet: str) -> tuple[int, list[list[str]]]:
    """(first row number, rows as text) of the filled area of a sheet, blank rows as []."""
    book = openpyxl.load_workbook(path, data_only=True)
    grid = [[openpyxl_text(cell) for cell in row] for row in book[sheet].iter_rows()]
    filled = [(r, c) for r, row in enumerate(grid) for c, text in enumerate(row) if text != ""]
    top, bottom = min(r for r, _ in filled), max(r for r, _ in filled)
    left, right = min(c for _, c in filled), max(c for _, c in filled)
    rows = [row[left : right + 1] for row in grid[top : bottom + 1]]
    return top + 1, [row if any(row) else [] for row in rows]


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
@pytest.mark.parametrize("name", XLSX_FILES)
def test_xlsx_reads_like_openpyxl(name: str) -> None:
    path = CORPUS / name
    table = read_table(path)
    assert table.source.format == "xlsx"
    sheet = table.source.sheet
    assert sheet is not None and sheet in table.source.sheets
    first, expected = openpyxl_rows(path, sheet)
    rows, numbers = rows_and_numbers(table)
    assert table.header_row == first
    assert [table.header, *rows] == expected
    assert numbers == list(range(first + 1, first + len(expected)))


def test_numbers_typed_in_xlsx_keep_their_digits() -> None:
    """A SIRET and a postcode typed as numbers read as the digits shown, not as floats."""
    table = read_table(CORPUS / "validata-fixtures/dae_test.xlsx")
    row = dict(zip(table.header, records(table)[0], strict=False))
    assert row["com_cp"] == "97442"
    cells = [cell for record in records(table) for cell in record]
    assert not any(cell.endswith(".0") for cell in cells)


def test_workbook_with_several_sheets_reports_the_others() -> None:
    table = read_table(CORPUS / "scdl/subventions/api-subventions-asso_SCDL.xlsx")
    assert table.source.sheets == ["Résumé de l’exportation", "Feuille2", "Du 01-01-2023 au 30-06-2023"]
    assert table.source.sheet == "Résumé de l’exportation"
    assert any("Feuille2" in note and "ignorées" in note for note in table.source.notes)
    third = read_table(CORPUS / "scdl/subventions/api-subventions-asso_SCDL.xlsx", sheet=3)
    assert third.source.sheet == "Du 01-01-2023 au 30-06-2023"
    assert third.header[0] == "Cette case contient whatever mais ça fait un décalage"
