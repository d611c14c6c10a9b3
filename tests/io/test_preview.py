"""Raw previews of files, and reading a table from a header below title rows (``header_row``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table as OdsTable
from odf.table import TableCell, TableRow
from odf.text import P

from socle.errors import UnusableInputError, UsageError
from socle.io import read_table
from socle.io.preview import MergedRange, parse_records, preview_file, sniff_delimiter, text_from_record

from .conftest import CORPUS, rows_and_numbers


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- CSV previews -------------------------------------------------------------------------------------


def test_csv_preview_keeps_title_rows_and_numbers_records_like_the_reader(tmp_path: Path) -> None:
    file = write(tmp_path / "t.csv", "Subventions 2018\n\nnom;montant;objet\na;1;x\n\nb;2;y\n")
    preview = preview_file(file)
    assert preview.format == "csv" and preview.delimiter == ";" and preview.encoding == "utf-8"
    (sheet,) = preview.sheets
    assert sheet.name is None and sheet.index == 0
    assert sheet.rows == (
        ("Subventions 2018",),
        (),
        ("nom", "montant", "objet"),
        ("a", "1", "x"),
        (),
        ("b", "2", "y"),
    )
    assert sheet.row_numbers == (1, 2, 3, 4, 5, 6)
    table = read_table(file, header_row=3)
    rows, numbers = rows_and_numbers(table)
    assert table.header == ["nom", "montant", "objet"]
    assert rows == [["a", "1", "x"], [], ["b", "2", "y"]]
    assert numbers == [4, 5, 6], "row numbers stay those of the file"


def test_a_comma_in_the_title_does_not_choose_the_delimiter(tmp_path: Path) -> None:
    text = "Subventions, année 2018\nnom;montant;objet\na;1;x, y\nb;2;z\nc;3;w\n"
    file = write(tmp_path / "t.csv", text)
    assert preview_file(file).delimiter == ";"
    table = read_table(file, header_row=2)
    assert table.header == ["nom", "montant", "objet"]
    assert table.source.delimiter == ";"
    assert any("à partir de la ligne d'en-tête (2)" in note for note in table.source.notes)
    assert not any("imposé" in note for note in table.source.notes), "the user did not force it"


def test_preview_limits_records_and_drops_a_record_cut_by_the_sample(tmp_path: Path) -> None:
    file = write(tmp_path / "t.csv", "a,b\n" + "".join(f"{i},{i}\n" for i in range(100)))
    assert len(preview_file(file, records=5).sheets[0].rows) == 5
    rows = parse_records('a,b\n1,"long', ",", complete=False, limit=10)
    assert rows == [["a", "b"]]


def test_preview_windows_1252_and_forced_delimiter(tmp_path: Path) -> None:
    file = write(tmp_path / "t.csv", "libellé|montant\nété|1\n", "cp1252")
    preview = preview_file(file, delimiter="|")
    assert preview.encoding == "windows-1252"
    assert preview.sheets[0].rows[:2] == (("libellé", "montant"), ("été", "1"))
    assert "Séparateur imposé : barre verticale « | »." in preview.notes


def test_sniffing_and_skipping_records() -> None:
    sample = "Titre\n\nx;y;z\n1;2;3\n4;5;6\n"
    assert sniff_delimiter(sample, complete=True) == ";"
    assert sniff_delimiter("une seule colonne\nsans séparateur\n", complete=True) is None
    assert text_from_record(sample, 3, ";") == "x;y;z\n1;2;3\n4;5;6\n"
    assert text_from_record('"a\nb";c\nd;e\n', 2, ";") == "d;e\n", "a quoted line break is one record"
    assert text_from_record("a\n", 5, ";") is None


def test_preview_refuses_what_read_table_refuses(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        preview_file(tmp_path / "absent.csv")
    with pytest.raises(UnusableInputError):
        preview_file(write(tmp_path / "vide.csv", ""))


# --- Spreadsheet previews -----------------------------------------------------------------------------


def workbook(path: Path) -> Path:
    """A summary sheet, an empty one, and a data sheet whose two-row header has merged groups."""
    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Synthèse"
    summary["B3"] = "Ce classeur a été exporté"
    book.create_sheet("Vide")
    data = book.create_sheet("Données")
    data["A1"] = "Subventions 2018"
    data["A3"], data["C3"], data["E3"] = "Attribuant", "Bénéficiaire", "Montant"
    data.merge_cells("A3:B3")
    data.merge_cells("C3:D3")
    data.merge_cells("E3:E4")
    data.append(["Nom", "SIRET", "Nom", "SIRET"])
    data.append(["Département", "22170001600738", "Association", "56182048100019", 1500])
    book.save(path)
    return path


def test_spreadsheet_preview_reads_every_sheet_with_sheet_row_numbers(tmp_path: Path) -> None:
    preview = preview_file(workbook(tmp_path / "c.xlsx"))
    assert preview.format == "xlsx"
    assert [(s.name, s.index) for s in preview.sheets] == [("Synthèse", 0), ("Vide", 1), ("Données", 2)]
    summary, empty, data = preview.sheets
    assert summary.rows == (("Ce classeur a été exporté",),) and summary.row_numbers == (3,)
    assert empty.is_empty and empty.rows == ()
    assert data.row_numbers == (1, 2, 3, 4, 5)
    assert data.rows[2] == ("Attribuant", "", "Bénéficiaire", "", "Montant")
    assert data.rows[4] == ("Département", "22170001600738", "Association", "56182048100019", "1500")
    assert set(data.merged) == {MergedRange(3, 3, 0, 1), MergedRange(3, 3, 2, 3), MergedRange(3, 4, 4, 4)}


def test_merged_columns_are_table_positions_when_the_table_starts_right(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["C2"], sheet["E2"] = "groupe", "autre"
    sheet.merge_cells("C2:D2")
    sheet["C3"], sheet["D3"], sheet["E3"] = "a", "b", "c"
    book.save(tmp_path / "c.xlsx")
    (only,) = preview_file(tmp_path / "c.xlsx").sheets
    assert only.rows[0] == ("groupe", "", "autre")
    assert only.merged == (MergedRange(2, 2, 0, 1),)


def test_xls_and_ods_previews(tmp_path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Feuille")
    sheet.write_merge(0, 0, 0, 1, "Groupe")
    sheet.write(1, 0, "x")
    sheet.write(1, 1, "y")
    book.save(str(tmp_path / "c.xls"))
    xls = preview_file(tmp_path / "c.xls").sheets[0]
    assert xls.rows == (("Groupe", ""), ("x", "y"))
    assert xls.merged == (MergedRange(1, 1, 0, 1),)

    document = OpenDocumentSpreadsheet()
    table = OdsTable(name="Feuille ODS")
    for values in (["titre"], ["a", "b"]):
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(tmp_path / "c.ods"))
    ods = preview_file(tmp_path / "c.ods")
    assert ods.format == "ods"
    assert ods.sheets[0].rows == (("titre", ""), ("a", "b"))
    assert ods.sheets[0].merged == ()


# --- read_table(header_row=…) -----------------------------------------------------------------------


def test_header_row_in_a_sheet_keeps_sheet_row_numbers(tmp_path: Path) -> None:
    table = read_table(workbook(tmp_path / "c.xlsx"), sheet="Données", header_row=4)
    assert table.header == ["Nom", "SIRET", "Nom", "SIRET", ""]
    assert table.header_row == 4
    rows, numbers = rows_and_numbers(table)
    assert rows == [["Département", "22170001600738", "Association", "56182048100019", "1500"]]
    assert numbers == [5]
    assert "En-tête lu à la ligne 4 : les lignes 1 à 3 sont ignorées." in table.source.notes


def test_header_row_equal_to_the_first_row_changes_nothing(tmp_path: Path) -> None:
    file = write(tmp_path / "t.csv", "a,b\n1,2\n")
    plain, first = read_table(file), read_table(file, header_row=1)
    assert plain.header == first.header and plain.source.notes == first.source.notes
    assert rows_and_numbers(plain) == rows_and_numbers(first)


@pytest.mark.parametrize(
    ("header_row", "message"),
    [
        (0, "numérotées à partir de 1"),
        (2, "elle est vide"),
        (9, "le fichier s'arrête avant"),
    ],
)
def test_impossible_header_rows_are_refused(tmp_path: Path, header_row: int, message: str) -> None:
    file = write(tmp_path / "t.csv", "titre\n\na;b\n1;2\n")
    with pytest.raises(UsageError, match=message):
        read_table(file, header_row=header_row)


def test_a_header_row_above_the_sheet_data_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="le tableau commence à la ligne 3"):
        read_table(workbook(tmp_path / "c.xlsx"), header_row=1)


def test_header_row_with_a_forced_delimiter(tmp_path: Path) -> None:
    file = write(tmp_path / "t.csv", "Titre\na;b\n1;2\n")
    table = read_table(file, delimiter=";", header_row=2)
    assert table.header == ["a", "b"]
    assert "Séparateur imposé : point-virgule « ; »." in table.source.notes


def test_header_row_in_a_real_workbook_under_title_rows() -> None:
    path = CORPUS / "scdl/subventions/api-subventions-asso_SCDL.xlsx"
    table = read_table(path, sheet="Du 01-01-2023 au 30-06-2023", header_row=4)
    assert table.header[:3] == [
        "Nom de l'attribuant",
        "Identification de l'attributaire",
        "Date de la convention",
    ]
    rows, numbers = rows_and_numbers(table)
    assert numbers[0] == 5 and rows[0][0] == " Région Pétaouchnok"


def test_previews_of_corpus_csv_files_split_like_the_reader() -> None:
    for path in sorted((CORPUS / "scdl/subventions").rglob("*.csv")):
        preview, table = preview_file(path), read_table(path)
        assert preview.delimiter == table.source.delimiter, path.name
        assert list(preview.sheets[0].rows[0]) == table.header, path.name


cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00"), max_size=6)


@settings(max_examples=60, deadline=None)
@given(
    titles=st.lists(st.lists(cell_text.filter(lambda c: ";" not in c), max_size=2), max_size=4),
    header=st.lists(
        st.text(alphabet="abcdefgh", min_size=1, max_size=5), min_size=2, max_size=5, unique=True
    ),
    data=st.lists(st.lists(cell_text, min_size=1, max_size=5), max_size=5),
)
def test_rows_below_any_title_rows_read_as_if_the_titles_were_not_there(
    tmp_path_factory: pytest.TempPathFactory,
    titles: list[list[str]],
    header: list[str],
    data: list[list[str]],
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    for row in [*titles, header, *data]:
        writer.writerow(row)
    folder = tmp_path_factory.mktemp("titres")
    with_titles = write(folder / "avec.csv", buffer.getvalue())
    alone = io.StringIO()
    csv.writer(alone, delimiter=";", lineterminator="\n").writerows([header, *data])
    without = write(folder / "sans.csv", alone.getvalue())

    skipped = len(titles)
    table = read_table(with_titles, header_row=skipped + 1, delimiter=";")
    reference = read_table(without, delimiter=";")
    assert table.header == reference.header == header
    rows, numbers = rows_and_numbers(table)
    expected_rows, expected_numbers = rows_and_numbers(reference)
    assert rows == expected_rows
    assert numbers == [number + skipped for number in expected_numbers]
    preview = preview_file(with_titles, delimiter=";")
    assert list(preview.sheets[0].rows[skipped]) == header
