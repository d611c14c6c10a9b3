"""XLSX, XLS and ODS: every cell as the text it shows, with the sheet's own row numbers."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table as OdsTable
from odf.table import TableCell, TableRow
from odf.text import P

from socle.io import read_table
from socle.io.cells import cell_text, duration_text, float_text, time_text

from .conftest import records, rows_and_numbers


def test_cell_text_rules() -> None:
    assert float_text(21350238800019.0) == "21350238800019"
    assert float_text(2019.0) == "2019"
    assert float_text(-0.0) == "0"
    assert float_text(1.5) == "1.5"
    assert float_text(0.1 + 0.2) == "0.30000000000000004"
    assert float_text(1e20) == "1e+20"
    assert cell_text(True) == "true" and cell_text(False) == "false"
    assert cell_text(42) == "42"
    assert cell_text(dt.date(2020, 1, 2)) == "2020-01-02"
    assert cell_text(dt.datetime(2020, 1, 2, 13, 4, 5)) == "2020-01-02T13:04:05"
    assert cell_text(dt.datetime(2020, 1, 2, 13, 4, 4, 999_000)) == "2020-01-02T13:04:05"
    assert time_text(dt.time(13, 4, 5, 400_000)) == "13:04:05"
    assert time_text(dt.time(23, 59, 59, 900_000)) == "23:59:59"
    assert duration_text(dt.timedelta(days=1, hours=6)) == "30:00:00"
    assert cell_text("01001") == "01001"


def typed_xlsx(path: Path) -> Path:
    """A sheet whose table starts at C3, with typed cells, a blank row inside and trailing space."""
    book = openpyxl.Workbook()
    empty = book.active
    assert empty is not None
    empty.title = "Vide"
    sheet = book.create_sheet("Données")
    sheet["C3"], sheet["D3"], sheet["E3"], sheet["F3"] = "siret", "annee", "date", "autre"
    sheet["C4"], sheet["D4"], sheet["E4"], sheet["F4"] = 21350238800019, 2019.0, dt.date(2020, 1, 2), 1.5
    sheet["E4"].number_format = "dd/mm/yyyy"
    sheet["C6"], sheet["D6"], sheet["E6"], sheet["F6"] = (
        "01001",
        True,
        dt.datetime(2020, 1, 2, 13, 4, 5),
        None,
    )
    sheet["E6"].number_format = "yyyy-mm-dd hh:mm:ss"
    sheet["C7"], sheet["E7"] = "x", dt.time(8, 30)
    book.create_sheet("Autre").append(["z"])
    book.save(path)
    return path


def test_xlsx_types_rows_and_default_sheet(tmp_path: Path) -> None:
    table = read_table(typed_xlsx(tmp_path / "t.xlsx"))
    assert table.source.format == "xlsx"
    assert table.source.sheet == "Données"
    assert table.source.sheets == ["Vide", "Données", "Autre"]
    assert any("première feuille non vide" in note for note in table.source.notes)
    assert any("« Vide », « Autre »" in note for note in table.source.notes)
    assert any("colonne C" in note for note in table.source.notes)
    assert table.header == ["siret", "annee", "date", "autre"]
    assert table.header_row == 3
    rows, numbers = rows_and_numbers(table)
    assert rows == [
        ["21350238800019", "2019", "2020-01-02", "1.5"],
        [],
        ["01001", "true", "2020-01-02T13:04:05", ""],
        ["x", "", "08:30:00", ""],
    ]
    assert numbers == [4, 5, 6, 7]


@pytest.mark.parametrize(("sheet", "name"), [("Autre", "Autre"), (3, "Autre"), ("2", "Données")])
def test_sheet_by_name_or_number(tmp_path: Path, sheet: str | int, name: str) -> None:
    table = read_table(typed_xlsx(tmp_path / "t.xlsx"), sheet=sheet)
    assert table.source.sheet == name
    assert any("Feuille lue" in note and name in note for note in table.source.notes)


def test_empty_sheet_chosen_explicitly_is_an_error(tmp_path: Path) -> None:
    from socle.errors import UnusableInputError

    with pytest.raises(UnusableInputError) as caught:
        read_table(typed_xlsx(tmp_path / "t.xlsx"), sheet="Vide")
    assert "« Vide » est vide" in caught.value.message


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def _relationship(kind: str, target: str) -> str:
    return (
        f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONS}">'
        f'<Relationship Id="rId1" Type="{RELATIONS}/{kind}" Target="{target}"/></Relationships>'
    )


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_with_error_cells(path: Path) -> Path:
    """A minimal XLSX written by hand: openpyxl cannot store cached error values."""
    rows = [
        f'<row r="1">{_inline("A1", "a")}{_inline("B1", "b")}</row>',
        '<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>',
        '<row r="3"><c r="A3" t="b"><v>0</v></c><c r="B3"><v>3.5</v></c></row>',
    ]
    types = (
        f'{XML_DECLARATION}<Types xmlns="{TYPES}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OFFICE}.worksheet+xml"/></Types>'
    )
    workbook = (
        f'{XML_DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><sheets>'
        '<sheet name="Erreurs" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    sheet = f'{XML_DECLARATION}<worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", _relationship("officeDocument", "xl/workbook.xml"))
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _relationship("worksheet", "worksheets/sheet1.xml"))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def test_xlsx_error_cells_keep_their_text(tmp_path: Path) -> None:
    table = read_table(xlsx_with_error_cells(tmp_path / "erreurs.xlsx"))
    assert table.header == ["a", "b"]
    assert records(table) == [["#N/A", "#DIV/0!"], ["false", "3.5"]]


def test_xls(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Feuille")
    sheet.write(1, 0, "siret")
    sheet.write(1, 1, "date")
    sheet.write(2, 0, 21350238800019)
    sheet.write(2, 1, dt.date(2020, 1, 2), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    sheet.write(3, 0, "01001")
    sheet.write(3, 1, True)
    path = tmp_path / "vieux.xls"
    book.save(str(path))
    table = read_table(path)
    assert table.source.format == "xls"
    assert table.header == ["siret", "date"]
    assert table.header_row == 2
    rows, numbers = rows_and_numbers(table)
    assert rows == [["21350238800019", "2020-01-02"], ["01001", "true"]]
    assert numbers == [3, 4]


def test_ods(tmp_path: Path) -> None:
    document = OpenDocumentSpreadsheet()
    table = OdsTable(name="Feuille ODS")
    values: list[list[tuple[str, str | None, str]]] = [
        [("string", None, "code"), ("string", None, "montant"), ("string", None, "date")],
        [("string", None, "01001"), ("float", "1500", "1 500"), ("date", "2020-01-02", "02/01/2020")],
        [("string", None, "75056"), ("float", "12.25", "12,25"), ("date", "2021-12-31", "31/12/2021")],
    ]
    for row_values in values:
        row = TableRow()
        for kind, value, shown in row_values:
            attributes: dict[str, str] = {"valuetype": kind}
            if kind == "float" and value is not None:
                attributes["value"] = value
            if kind == "date" and value is not None:
                attributes["datevalue"] = value
            cell = TableCell(**attributes)
            cell.addElement(P(text=shown))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    path = tmp_path / "libre.ods"
    document.save(str(path))
    read = read_table(path)
    assert read.source.format == "ods"
    assert read.source.sheet == "Feuille ODS"
    assert read.header == ["code", "montant", "date"]
    assert records(read) == [["01001", "1500", "2020-01-02"], ["75056", "12.25", "2021-12-31"]]


def test_spreadsheet_with_a_csv_name_is_read_as_a_spreadsheet(tmp_path: Path) -> None:
    path = typed_xlsx(tmp_path / "t.xlsx").rename(tmp_path / "mal-nomme.csv")
    table = read_table(path)
    assert table.source.format == "xlsx"
    assert any("malgré son extension" in note for note in table.source.notes)
