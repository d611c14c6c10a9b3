"""Finding the sheet and the header row, on files built for each situation."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from socle.errors import UsageError
from socle.importing.detect import HEADER_SEARCH_ROWS, combine_labels, detect, find_header, group_labels
from socle.io import CELLS, ROW, column_name
from socle.io.preview import MergedRange, SheetPreview
from socle.schemas import TableSchema, load_schema

FIELDS = "nomAttribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant"
ROW_1 = "Département;22170001600738;2017-06-27;Association;56182048100019;Festival;1500"
ROW_2 = "Département;22170001600738;2017-07-01;Club;30432689500014;Tournoi;800"


@pytest.fixture(scope="module")
def schema() -> TableSchema:
    return load_schema("scdl/subventions")


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def data_rows(table_batches: object) -> list[tuple[int, list[str | None]]]:
    out: list[tuple[int, list[str | None]]] = []
    for batch in table_batches:  # type: ignore[attr-defined]
        frame = batch.frame
        for index in range(frame.height):
            width = int(frame[CELLS][index])
            cells = [frame[column_name(i)][index] for i in range(width)]
            out.append((int(frame[ROW][index]), cells))
    return out


# --- CSV ------------------------------------------------------------------------------------------


def test_header_below_title_rows_in_a_csv(tmp_path: Path, schema: TableSchema) -> None:
    text = (
        f"Subventions attribuées en 2017\nDépartement de la Charente-Maritime\n\n{FIELDS}\n{ROW_1}\n{ROW_2}\n"
    )
    detection = detect(write(tmp_path / "t.csv", text), schema)
    assert detection.format == "csv" and detection.sheet is None and detection.sheets == ()
    header = detection.header
    assert header.row == 4 and header.group_row is None and header.by_schema
    assert (
        header.reason
        == "ligne 4 choisie comme en-tête : 7 colonnes sur 7 reconnues ; lignes 1 à 2 : titre ; ligne 3 : vide"
    )
    assert detection.reasons == [header.reason]
    assert [(s.first, s.last, s.kind) for s in header.skipped] == [(1, 2, "titre"), (3, 3, "vide")]
    table = detection.read()
    assert table.header == FIELDS.split(";") and table.header_row == 4
    rows = data_rows(table.batches())
    assert [number for number, _ in rows] == [5, 6]
    mapped = detection.mapping.apply(detection.read())
    first = data_rows(mapped.batches())[0]
    assert first[0] == 5 and first[1][:3] == ["Département", "22170001600738", "2017-06-27"]


def test_a_note_with_many_cells_above_the_header_is_other_content(
    tmp_path: Path, schema: TableSchema
) -> None:
    text = f"Source;Département;mise à jour;2018\n{FIELDS}\n{ROW_1}\n"
    detection = detect(write(tmp_path / "t.csv", text), schema)
    assert detection.header.row == 2
    assert detection.header.reason.endswith("ligne 1 : autre contenu")


def test_two_row_header_in_a_csv_without_merged_cells(tmp_path: Path, schema: TableSchema) -> None:
    text = (
        "Attribuant;;Bénéficiaire;;Montant\n"
        "Nom;SIRET;Nom;SIRET;\n"
        "Département;22170001600738;Association;56182048100019;1500\n"
    )
    detection = detect(write(tmp_path / "t.csv", text), schema)
    header = detection.header
    assert (header.group_row, header.row) == (1, 2)
    assert header.labels == (
        "Attribuant Nom",
        "Attribuant SIRET",
        "Bénéficiaire Nom",
        "Bénéficiaire SIRET",
        "Montant",
    )
    assert detection.mapping.applied == {
        "nomAttribuant": 0,
        "idAttribuant": 1,
        "nomBeneficiaire": 2,
        "idBeneficiaire": 3,
        "montant": 4,
    }
    assert header.reason.startswith("lignes 1 et 2 choisies comme en-tête sur deux lignes")
    table = detection.read()
    assert table.header == list(header.labels)
    assert any("En-tête sur deux lignes (1 et 2)" in note for note in table.source.notes)
    mapped = detection.mapping.apply(table)
    ((number, cells),) = data_rows(mapped.batches())
    assert number == 3
    assert cells[:2] == ["Département", "22170001600738"] and cells[8] == "1500"


def test_a_group_label_over_a_column_the_field_row_lacks(tmp_path: Path, schema: TableSchema) -> None:
    text = (
        "Attribuant;;Bénéficiaire;;Montant\n"
        "Nom;SIRET;Nom;SIRET\n"
        "Département;22170001600738;Association;56182048100019;1500\n"
        "Département;22170001600738;Club;30432689500014\n"
    )
    detection = detect(write(tmp_path / "t.csv", text), schema)
    assert detection.header.labels[-1] == "Montant" and detection.mapping.applied["montant"] == 4
    rows = data_rows(detection.mapping.apply(detection.read()).batches())
    assert [(number, cells[8]) for number, cells in rows] == [(3, "1500"), (4, "")]


def test_a_sheet_cannot_be_imposed_on_a_csv(tmp_path: Path, schema: TableSchema) -> None:
    with pytest.raises(UsageError, match="qu'aux tableurs"):
        detect(write(tmp_path / "t.csv", f"{FIELDS}\n"), schema, sheet=1)


def test_without_any_recognised_column_the_first_row_of_labels_is_taken(
    tmp_path: Path, schema: TableSchema
) -> None:
    text = "Liste 2018\n1;2;3\ncode;libellé;quantité\n01;pommes;4\n"
    header = detect(write(tmp_path / "t.csv", text), schema).header
    assert header.row == 3 and not header.by_schema
    assert header.reason.startswith(
        "aucune colonne du schéma reconnue dans les 20 premières lignes : ligne 3 retenue"
    )


def test_the_header_is_searched_only_near_the_top(tmp_path: Path, schema: TableSchema) -> None:
    titles = "".join(f"note {i}\n" for i in range(HEADER_SEARCH_ROWS))
    header = detect(write(tmp_path / "t.csv", f"{titles}{FIELDS}\n{ROW_1}\n"), schema).header
    assert not header.by_schema and header.row == 1


def test_an_imposed_header_row(tmp_path: Path, schema: TableSchema) -> None:
    file = write(tmp_path / "t.csv", f"titre\n{FIELDS}\n{ROW_1}\n")
    header = detect(file, schema, header_row=3).header
    assert header.row == 3 and header.reason.startswith("ligne 3 imposée comme en-tête")
    with pytest.raises(UsageError, match="Ligne d'en-tête 9 introuvable"):
        detect(file, schema, header_row=9)


def test_an_empty_csv_is_refused(tmp_path: Path, schema: TableSchema) -> None:
    with pytest.raises(UsageError, match="aucune ligne remplie"):
        detect(write(tmp_path / "t.csv", ";;\n;;\n"), schema)


# --- Workbooks ------------------------------------------------------------------------------------


def workbook(path: Path) -> Path:
    """A summary sheet, an empty sheet, a sheet of another table, the data under a two-row merged header."""
    book = openpyxl.Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Synthèse"
    summary["A1"] = "Ce classeur contient les subventions de 2018"
    summary["A3"], summary["B3"] = "Feuille", "Contenu"
    book.create_sheet("Vide")
    other = book.create_sheet("Budget")
    other.append(["compte", "montant", "exercice"])
    other.append(["6574", "1500", "2018"])
    data = book.create_sheet("Conventions")
    data["A1"] = "Subventions 2018"
    data["A3"], data["C3"], data["E3"] = "Attribuant", "Bénéficiaire", "Montant"
    data.merge_cells("A3:B3")
    data.merge_cells("C3:D3")
    data.merge_cells("E3:E4")
    data.append(["Nom", "SIRET", "Nom", "SIRET"])
    data.append(["Département", "22170001600738", "Association", "56182048100019", 1500])
    data.append(["Département", "22170001600738", "Club", "30432689500014", 800])
    book.save(path)
    return path


def test_the_sheet_with_most_recognised_columns_is_chosen(tmp_path: Path, schema: TableSchema) -> None:
    detection = detect(workbook(tmp_path / "c.xlsx"), schema)
    assert detection.sheet == "Conventions"
    assert [(s.name, s.status) for s in detection.sheets] == [
        ("Synthèse", "aucune colonne reconnue"),
        ("Vide", "vide"),
        ("Budget", "1 colonne reconnue"),
        ("Conventions", "5 colonnes reconnues"),
    ]
    assert detection.sheet_reason == (
        "feuille « Conventions » choisie : 5 colonnes reconnues, le plus grand nombre du classeur ; autres "
        "feuilles : « Synthèse » : aucune colonne reconnue ; « Vide » : vide ; « Budget » : 1 colonne reconnue"
    )
    header = detection.header
    assert (header.group_row, header.row) == (3, 4)
    assert header.reason == (
        "lignes 3 et 4 choisies comme en-tête sur deux lignes (libellés de groupe au-dessus des libellés de "
        "champ, joints) : 5 colonnes sur 5 reconnues ; ligne 1 : titre ; ligne 2 : vide"
    )
    assert detection.mapping.applied == {
        "nomAttribuant": 0,
        "idAttribuant": 1,
        "nomBeneficiaire": 2,
        "idBeneficiaire": 3,
        "montant": 4,
    }
    table = detection.read()
    assert table.source.sheet == "Conventions"
    assert [number for number, _ in data_rows(table.batches())] == [5, 6]


def test_an_imposed_sheet(tmp_path: Path, schema: TableSchema) -> None:
    path = workbook(tmp_path / "c.xlsx")
    detection = detect(path, schema, sheet="Budget")
    assert detection.sheet == "Budget"
    assert detection.sheet_reason is not None and detection.sheet_reason.startswith(
        "feuille « Budget » imposée"
    )
    assert detect(path, schema, sheet=4).sheet == "Conventions"
    with pytest.raises(UsageError, match="introuvable"):
        detect(path, schema, sheet="Absente")
    with pytest.raises(UsageError, match="est vide"):
        detect(path, schema, sheet="Vide")


def test_a_single_sheet_workbook_says_so(tmp_path: Path, schema: TableSchema) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Données"
    sheet.append(FIELDS.split(";"))
    sheet.append(ROW_1.split(";"))
    book.save(tmp_path / "c.xlsx")
    detection = detect(tmp_path / "c.xlsx", schema)
    assert detection.sheet_reason == "feuille « Données », la seule du classeur (7 colonnes reconnues)"
    assert detection.reasons == [
        detection.sheet_reason,
        "ligne 1 choisie comme en-tête : 7 colonnes sur 7 reconnues",
    ]


def test_no_recognised_column_in_any_sheet_takes_the_first_filled_one(
    tmp_path: Path, schema: TableSchema
) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Vide"
    book.create_sheet("A").append(["code", "libellé"])
    book.create_sheet("B").append(["x", "y"])
    book.save(tmp_path / "c.xlsx")
    detection = detect(tmp_path / "c.xlsx", schema)
    assert detection.sheet == "A"
    assert detection.sheet_reason is not None and "faute de mieux" in detection.sheet_reason


# --- Two-row headers, piece by piece --------------------------------------------------------------


def test_group_labels_run_over_the_columns_they_head() -> None:
    upper = ["Attribuant", "", "Bénéficiaire", "", "Montant"]
    lower = ["Nom", "SIRET", "Nom", "SIRET", ""]
    groups = group_labels(upper, lower)
    assert groups == ["Attribuant", "Attribuant", "Bénéficiaire", "Bénéficiaire", "Montant"]
    assert combine_labels(groups, lower) == [
        "Attribuant Nom",
        "Attribuant SIRET",
        "Bénéficiaire Nom",
        "Bénéficiaire SIRET",
        "Montant",
    ]


def test_merged_cells_decide_the_groups() -> None:
    upper = ["Bénéficiaire", "", "", "Note"]
    lower = ["Nom", "SIRET", "RNA", "x"]
    assert group_labels(upper, lower, [MergedRange(1, 1, 0, 2)]) == ["Bénéficiaire"] * 3 + ["Note"]
    single = ["Bénéficiaire", "", "", ""]
    assert group_labels(single, lower, [MergedRange(1, 1, 0, 2)]) == ["Bénéficiaire"] * 3 + [""]
    assert group_labels(single, lower) is None, "a single group without merged cells may be a title"


def test_rows_that_are_not_group_labels() -> None:
    lower = ["Nom", "SIRET", "Montant"]
    assert group_labels(["Subventions 2018", "", ""], lower) is None, "one title is not groups"
    assert group_labels(["a", "b", "c"], lower) is None, "as many labels as below"
    assert group_labels(["2018", "", "2019"], ["x", "y", "z", "t"]) is None, "numbers are not labels"
    assert group_labels(["", "", ""], lower) is None


def test_a_group_word_already_in_the_label_is_not_repeated() -> None:
    assert combine_labels(["Bénéficiaire", "Bénéficiaire"], ["Nom du bénéficiaire", "SIRET"]) == [
        "Nom du bénéficiaire",
        "Bénéficiaire SIRET",
    ]


def test_find_header_on_a_preview(schema: TableSchema) -> None:
    sheet = SheetPreview(None, 0, (("titre",), tuple(FIELDS.split(";")), tuple(ROW_1.split(";"))), (1, 2, 3))
    header = find_header(sheet, schema)
    assert header is not None and header.row == 2 and header.mapping.recognised == 7
    assert find_header(SheetPreview(None, 0, ((), ("",)), (1, 2)), schema) is None
