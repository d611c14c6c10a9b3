"""Named CSV cases: what a reader must keep (absent vs empty cells, row numbers, extra cells…)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest

from socle.errors import UsageError
from socle.io import CELLS, ROW, column_name, read_table
from socle.limits import Limits

from .conftest import records, rows_and_numbers

pytestmark = pytest.mark.usefixtures("scanner")


def write(tmp_path: Path, data: bytes | str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_frame_layout_and_types(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a,b,c\n1,,3\n4\n"))
    (batch,) = list(table.batches())
    frame = batch.frame
    assert frame.columns == ["c0", "c1", "c2", ROW, CELLS]
    assert frame.schema == {
        "c0": pl.String,
        "c1": pl.String,
        "c2": pl.String,
        ROW: pl.Int64,
        CELLS: pl.Int32,
    }
    assert frame.rows() == [("1", "", "3", 2, 3), ("4", None, None, 3, 1)]


def test_cells_are_text_untouched(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "code,montant,date\n01001, 1 000,50 ,2020-01-02\n"))
    assert records(table) == [["01001", " 1 000", "50 ", "2020-01-02"]]


def test_blank_line_is_a_row_without_cells(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a,b\n1,2\n\n3,4\n\r\n5,6"))
    rows, numbers = rows_and_numbers(table)
    assert rows == [["1", "2"], [], ["3", "4"], [], ["5", "6"]]
    assert numbers == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("batch_bytes", [1, 5, 8 * 1024 * 1024])
def test_a_last_record_of_empty_cells_wider_than_the_header_keeps_its_cells(
    tmp_path: Path, batch_bytes: int
) -> None:
    # Regression: polars silently truncates a last record made of empty cells when it has no line
    # break (";;" read as two cells under a two-column header), and a blank line before it fooled the
    # byte count of the slice.
    table = read_table(write(tmp_path, ';a"\n\n;;'), delimiter=";", limits=Limits(batch_bytes=batch_bytes))
    rows, numbers = rows_and_numbers(table)
    assert rows == [[], ["", "", ""]]
    assert numbers == [2, 3]
    assert records(read_table(write(tmp_path, "x;y\n\n;;", "v.csv"))) == [[], ["", "", ""]]


def test_extra_cells_are_kept_in_extra_columns(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a,b\n1,2,3,4\n5,6\n"))
    batches = list(table.batches())
    assert batches[0].width == 4
    assert batches[0].frame[column_name(3)].to_list() == ["4", None]
    assert records(read_table(write(tmp_path, "a,b\n1,2,3,4\n5,6\n", "u.csv"))) == [
        ["1", "2", "3", "4"],
        ["5", "6"],
    ]


def test_trailing_delimiter_is_an_empty_extra_cell(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a;b;\n1;2;\n"))
    assert table.header == ["a", "b", ""]
    assert records(table) == [["1", "2", ""]]


def test_quoted_newlines_and_quotes_count_as_one_record(tmp_path: Path) -> None:
    data = 'id,texte\n1,"deux\nlignes"\n2,"il dit ""oui"", puis\r\nnon"\n3,fin\n'
    rows, numbers = rows_and_numbers(read_table(write(tmp_path, data)))
    assert rows == [["1", "deux\nlignes"], ["2", 'il dit "oui", puis\r\nnon'], ["3", "fin"]]
    assert numbers == [2, 3, 4]


def test_crlf_lf_mix_and_missing_final_newline(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a,b\r\n1,2\n3,4\r\n5,6"))
    assert records(table) == [["1", "2"], ["3", "4"], ["5", "6"]]


def test_header_only_file_has_no_batches(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a;b;c\r\n"))
    assert table.header == ["a", "b", "c"]
    assert list(table.batches()) == []


def test_empty_first_record_gives_an_empty_header(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "\na,b\n1,2\n"))
    assert table.header == []
    rows, numbers = rows_and_numbers(table)
    assert rows == [["a", "b"], ["1", "2"]]
    assert numbers == [2, 3]


def test_single_column_keeps_blank_lines_apart_from_empty_cells(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, 'nom\nAnne\n\n""\nBob\n'))
    assert table.source.delimiter == ","
    assert records(table) == [["Anne"], [], [""], ["Bob"]]


def test_stray_quote_switches_to_the_csv_module_and_says_so(tmp_path: Path) -> None:
    lines = ["id,nom"] + [f"{i},ligne {i}" for i in range(1, 200)]
    lines[150] = '150,le "grand" chêne'
    data = "\n".join(lines) + "\n"
    table = read_table(write(tmp_path, data), limits=Limits(batch_bytes=256))
    rows, numbers = rows_and_numbers(table)
    assert rows[149] == ["150", 'le "grand" chêne']
    assert rows[0] == ["1", "ligne 1"] and rows[-1] == ["199", "ligne 199"]
    assert numbers == list(range(2, 201))
    assert any("Ligne 151" in note and "module csv" in note for note in table.source.notes)


def test_unclosed_quote_puts_the_rest_of_the_file_in_one_cell(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, 'a,b\n1,"ouvert\n2,3\n'))
    assert records(table) == [["1", "ouvert\n2,3\n"]]
    assert any("jamais fermé" in note for note in table.source.notes)


def test_lone_carriage_return_ends_a_record_as_in_python(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "a,b\r1,2\r3,4\n"))
    assert table.header == ["a", "b"]
    assert records(table) == [["1", "2"], ["3", "4"]]


def test_rows_wider_than_the_header_late_in_the_file(tmp_path: Path) -> None:
    lines = ["a,b"] + [f"{i},x" for i in range(300)] + ["300,x,extra"] + [f"{i},y" for i in range(301, 400)]
    table = read_table(write(tmp_path, "\n".join(lines) + "\n"), limits=Limits(batch_bytes=512))
    rows, numbers = rows_and_numbers(table)
    assert rows[300] == ["300", "x", "extra"]
    assert len(rows) == 400 and numbers == list(range(2, 402))
    assert all(batch.width >= 2 for batch in read_table(write(tmp_path, "a,b\n1\n", "s.csv")).batches())


@pytest.mark.parametrize(
    ("content", "delimiter"),
    [("a;b;c\n1;2,5;3\n", ";"), ("a\tb\n1\t2\n", "\t"), ("a|b\n1|2\n", "|"), ("a,b\n1,2\n", ",")],
)
def test_delimiter_detection(tmp_path: Path, content: str, delimiter: str) -> None:
    table = read_table(write(tmp_path, content))
    assert table.source.delimiter == delimiter
    assert len(table.header) == content.split("\n", maxsplit=1)[0].count(delimiter) + 1


def test_semicolon_file_with_decimal_commas_is_not_read_as_commas(tmp_path: Path) -> None:
    data = "nom;montant;taux\n" + "".join(f"asso {i};{i} 000,50;0,{i}\n" for i in range(20))
    table = read_table(write(tmp_path, data))
    assert table.source.delimiter == ";"
    assert records(table)[3] == ["asso 3", "3 000,50", "0,3"]


def test_delimiter_can_be_forced(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b;c\n1,2;3\n")
    assert read_table(path, delimiter=";").header == ["a,b", "c"]
    assert read_table(path, delimiter="tab").header == ["a,b;c"]
    with pytest.raises(UsageError) as caught:
        read_table(path, delimiter=";;")
    assert "Séparateur invalide" in caught.value.message


def test_encoding_can_be_forced(tmp_path: Path) -> None:
    path = write(tmp_path, "nom\nCrème\n".encode("cp1252"))
    assert read_table(path).source.encoding == "windows-1252"
    assert records(read_table(path, encoding="latin-1")) == [["Crème"]]
    with pytest.raises(UsageError) as caught:
        read_table(path, encoding="klingon")
    assert "Encodage inconnu" in caught.value.message


def test_windows_1252_bytes_undefined_in_python_cp1252_are_still_read(tmp_path: Path) -> None:
    path = write(tmp_path, b"nom\n\xe9t\xe9 \x81 \x80\n")
    table = read_table(path)
    assert table.source.encoding == "windows-1252"
    assert records(table) == [["été \x81 €"]]


def test_sheet_option_does_not_apply_to_csv(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_table(write(tmp_path, "a\n1\n"), sheet=2)
    assert "tableurs" in caught.value.message


def test_notes_say_what_was_detected(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, b"\xef\xbb\xbfa;b\n1;2\n"))
    assert table.source.encoding == "utf-8-sig"
    assert "Encodage détecté : UTF-8 avec BOM." in table.source.notes
    assert "Séparateur détecté : point-virgule « ; »." in table.source.notes


def test_many_irregular_records_read_as_the_csv_module_reads_them(tmp_path: Path) -> None:
    lines = ["id;texte"] + [f'{i};pneu 5" {i}' if i % 3 else f"{i};ok" for i in range(3000)]
    data = "\r\n".join(lines) + "\r\n"
    table = read_table(write(tmp_path, data), limits=Limits(batch_bytes=4096))
    expected = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    rows, numbers = rows_and_numbers(table)
    assert [table.header, *rows] == expected
    assert numbers == list(range(2, 3002))
    notes = [note for note in table.source.notes if "module csv" in note]
    assert any("trop d'irrégularités" in note for note in notes)
    assert len(notes) <= 6  # a few examples and one summary, not one note per record


def test_cells_larger_than_the_csv_module_default_limit(tmp_path: Path) -> None:
    """200 KB cells (geometries…) read on the fast path and through the csv module alike."""
    big = "x" * 200_000
    data = f'id,geo\n1,"{big}"\n2,a"b{big}\n'
    table = read_table(write(tmp_path, data))
    assert records(table) == [["1", big], ["2", f'a"b{big}']]
