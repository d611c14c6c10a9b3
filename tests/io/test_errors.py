"""Unreadable inputs and limits: the right exception, a French message, and where it happened."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from socle.errors import LimitExceededError, UnusableInputError, UsageError
from socle.io import read_table
from socle.limits import Limits

pytestmark = pytest.mark.usefixtures("scanner")


def write(tmp_path: Path, data: bytes | str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def read_all(path: Path, **options: object) -> int:
    table = read_table(path, **options)  # type: ignore[arg-type]
    return sum(batch.height for batch in table.batches())


# --- empty and non-text files -------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(UnusableInputError) as caught:
        read_table(write(tmp_path, b""))
    assert "vide" in caught.value.message
    assert caught.value.location is not None and caught.value.location.file == "t.csv"


def test_file_with_only_a_bom_is_empty(tmp_path: Path) -> None:
    with pytest.raises(UnusableInputError) as caught:
        read_table(write(tmp_path, b"\xef\xbb\xbf"))
    assert "vide" in caught.value.message


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_table(tmp_path / "absent.csv")
    assert "introuvable" in caught.value.message


def test_nul_byte_means_not_a_text_file(tmp_path: Path) -> None:
    path = write(tmp_path, b"a,b\n1,2\n3,\x004\n")
    with pytest.raises(UnusableInputError) as caught:
        read_all(path)
    assert "octet nul" in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.byte_offset == 10
    assert caught.value.location.row == 3


def test_html_page_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnusableInputError) as caught:
        read_table(write(tmp_path, "<!DOCTYPE html><html><body>Erreur 404</body></html>"))
    assert "HTML" in caught.value.message


# --- encodings -------------------------------------------------------------------------------------------


def test_mixed_encoding_is_an_error_at_the_first_bad_byte(tmp_path: Path) -> None:
    data = "nom;ville\nÉlise;Besançon\n".encode() + b"Z\xe9lie;Orl\xe9ans\n"
    offset = data.index(b"\xe9")
    with pytest.raises(UnusableInputError) as caught:
        read_all(write(tmp_path, data))
    assert "encodage mixte" in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.byte_offset == offset
    assert caught.value.location.row == 3
    assert "octet" in str(caught.value)


def test_invalid_utf8_far_in_the_file_is_found_while_streaming(tmp_path: Path) -> None:
    head = "id;nom\n" + "".join(f"{i};Élodie {i}\n" for i in range(100_000))
    data = head.encode() + b"100000;Cl\xe9ment\n" + b"100001;fin\n"
    path = write(tmp_path, data)
    table = read_table(path, limits=Limits(batch_bytes=65536))
    assert table.source.encoding == "utf-8"
    with pytest.raises(UnusableInputError) as caught:
        sum(batch.height for batch in table.batches())
    assert caught.value.location is not None
    assert caught.value.location.byte_offset == len(head.encode()) + len("100000;Cl")
    assert caught.value.location.row == 100_002


def test_forced_utf8_reports_the_offset(tmp_path: Path) -> None:
    data = b"a,b\n1,caf\xe9\n"
    with pytest.raises(UnusableInputError) as caught:
        read_all(write(tmp_path, data), encoding="utf-8")
    assert caught.value.location is not None and caught.value.location.byte_offset == 9


def test_forced_ascii_reports_the_offset(tmp_path: Path) -> None:
    data = b"a,b\n1,2\n3,\xc3\xa9\n"
    with pytest.raises(UnusableInputError) as caught:
        read_all(write(tmp_path, data), encoding="ascii")
    assert caught.value.location is not None and caught.value.location.byte_offset == 10
    assert "ascii" in caught.value.message


def test_lone_utf16_surrogate_reports_the_offset(tmp_path: Path) -> None:
    body = "a,b\n1,2\n".encode("utf-16-le") + b"\x00\xdc" + ",3\n".encode("utf-16-le")
    with pytest.raises(UnusableInputError) as caught:
        read_all(write(tmp_path, b"\xff\xfe" + body))
    assert caught.value.location is not None
    assert caught.value.location.byte_offset == 2 + 16
    assert caught.value.location.row == 3


# --- limits ------------------------------------------------------------------------------------------------


def assert_limit(error: LimitExceededError, name: str) -> None:
    assert name in error.message
    assert f"SOCLE_LIMIT_{name.upper()}" in error.message
    assert Limits.describe()[name] in error.message


def test_max_bytes_is_checked_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b\n" + "1,2\n" * 100)
    with pytest.raises(LimitExceededError) as caught:
        read_table(path, limits=Limits(max_bytes=100))
    assert_limit(caught.value, "max_bytes")
    assert "404 octets" in caught.value.message


def test_max_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b\n" + "1,2\n" * 100)
    assert read_all(path, limits=Limits(max_rows=100)) == 100
    with pytest.raises(LimitExceededError) as caught:
        read_all(path, limits=Limits(max_rows=99, batch_bytes=64))
    assert_limit(caught.value, "max_rows")
    assert caught.value.location is not None and caught.value.location.row == 101


def test_max_columns_on_the_header(tmp_path: Path) -> None:
    with pytest.raises(LimitExceededError) as caught:
        read_table(write(tmp_path, "a,b,c,d\n1,2,3,4\n"), limits=Limits(max_columns=3))
    assert_limit(caught.value, "max_columns")
    assert caught.value.location is not None and caught.value.location.row == 1


@pytest.mark.parametrize("data", ["a,b\n1,2\n1,2,3,4,5\n", 'a,b\n1,x"y\n1,2,3,4,5\n'])
def test_max_columns_on_a_data_row(tmp_path: Path, data: str) -> None:
    """Checked on the fast path and after a switch to the csv module (the stray quote)."""
    with pytest.raises(LimitExceededError) as caught:
        read_all(write(tmp_path, data), limits=Limits(max_columns=4))
    assert_limit(caught.value, "max_columns")
    assert caught.value.location is not None and caught.value.location.row == 3
    assert "5 colonnes" in caught.value.message


def test_max_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "a,b,c\n" + "1,2,3\n" * 10)
    assert read_all(path, limits=Limits(max_cells=30)) == 10
    with pytest.raises(LimitExceededError) as caught:
        read_all(path, limits=Limits(max_cells=29))
    assert_limit(caught.value, "max_cells")


def test_limits_through_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "a\n" + "1\n" * 10)
    with pytest.raises(LimitExceededError):
        read_all(path, limits=Limits().with_overrides(max_rows=5))


def test_limits_from_the_environment_apply_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "a\n" + "1\n" * 10)
    monkeypatch.setenv("SOCLE_LIMIT_MAX_ROWS", "3")
    with pytest.raises(LimitExceededError):
        read_all(path)


# --- spreadsheets -------------------------------------------------------------------------------------------


def small_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Données"
    sheet.append(["a", "b"])
    sheet.append([1, 2])
    book.create_sheet("Annexe").append(["x"])
    book.save(path)
    return path


def zip_bomb(path: Path, member_bytes: int) -> Path:
    """A valid-looking XLSX whose sheet XML is ``member_bytes`` of zeros (a few KB compressed)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"0" * (1024 * 1024)
            for _ in range(member_bytes // len(block)):
                member.write(block)
    return path


def test_zip_bomb_is_refused_before_decompression(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bombe.xlsx", 64 * 1024 * 1024)
    assert path.stat().st_size < 200_000
    with pytest.raises(LimitExceededError) as caught:
        read_table(path)
    assert_limit(caught.value, "max_compression_ratio")


def test_uncompressed_size_limit(tmp_path: Path) -> None:
    path = small_xlsx(tmp_path / "petit.xlsx")
    with pytest.raises(LimitExceededError) as caught:
        read_table(path, limits=Limits(max_uncompressed_bytes=1000))
    assert_limit(caught.value, "max_uncompressed_bytes")


def test_spreadsheet_cell_limit(tmp_path: Path) -> None:
    path = small_xlsx(tmp_path / "petit.xlsx")
    assert read_all(path, limits=Limits(max_spreadsheet_cells=4)) == 1
    with pytest.raises(LimitExceededError) as caught:
        read_table(path, limits=Limits(max_spreadsheet_cells=3))
    assert_limit(caught.value, "max_spreadsheet_cells")


def test_corrupt_xlsx(tmp_path: Path) -> None:
    good = small_xlsx(tmp_path / "bon.xlsx").read_bytes()
    path = write(tmp_path, good[: len(good) // 2], "tronque.xlsx")
    with pytest.raises(UnusableInputError) as caught:
        read_table(path)
    assert "ZIP" in caught.value.message or "classeur" in caught.value.message
    assert caught.value.location is not None and caught.value.location.file == "tronque.xlsx"


def test_xlsx_that_is_not_a_zip(tmp_path: Path) -> None:
    with pytest.raises(UnusableInputError) as caught:
        read_table(write(tmp_path, "a,b\n1,2\n", "faux.xlsx"))
    assert "n'est pas un classeur XLSX" in caught.value.message


def test_zip_without_a_workbook(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("donnees.csv", "a,b\n1,2\n")
    with pytest.raises(UnusableInputError) as caught:
        read_table(write(tmp_path, buffer.getvalue(), "archive.zip"))
    assert "ne contient pas de classeur" in caught.value.message


def test_broken_workbook_inside_a_valid_zip(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<pas du XML")
    with pytest.raises(UnusableInputError) as caught:
        read_table(write(tmp_path, buffer.getvalue(), "casse.xlsx"))
    assert "classeur XLSX lisible" in caught.value.message


@pytest.mark.parametrize("sheet", ["Inconnue", 3, "0"])
def test_unknown_sheet_lists_the_sheets(tmp_path: Path, sheet: str | int) -> None:
    path = small_xlsx(tmp_path / "petit.xlsx")
    with pytest.raises(UsageError) as caught:
        read_table(path, sheet=sheet)
    message = caught.value.message
    assert f"« {sheet} » introuvable" in message
    assert "1. « Données »" in message and "2. « Annexe »" in message


def test_csv_options_do_not_apply_to_spreadsheets(tmp_path: Path) -> None:
    path = small_xlsx(tmp_path / "petit.xlsx")
    with pytest.raises(UsageError):
        read_table(path, delimiter=";")


@pytest.mark.parametrize(
    "bad",
    [b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe9t\xe9", b"\xc3"],
    ids=["overlong", "surrogate", "beyond-unicode", "latin-1", "truncated"],
)
def test_every_invalid_utf8_sequence_is_refused_where_it_is(tmp_path: Path, bad: bytes) -> None:
    """Validation happens in the parser on the fast path: it must be as strict as Python's decoder."""
    # Past the 1 MiB that encoding detection reads, so that the parser is the one to find it.
    head = "".join(f"{i};Émile\n" for i in range(120_000)).encode()
    data = b"id;nom\n" + head + b'120000;"x' + bad + b'"\n120001;fin\n'
    expected = data.index(b'120000;"x') + len(b'120000;"x')
    path = write(tmp_path, data)
    table = read_table(path, limits=Limits(batch_bytes=65536))
    with pytest.raises(UnusableInputError) as caught:
        sum(batch.height for batch in table.batches())
    assert caught.value.location is not None
    assert caught.value.location.byte_offset == expected
    assert "encodage mixte" in caught.value.message


def test_forced_encoding_errors_are_not_called_mixed(tmp_path: Path) -> None:
    data = b"id;nom\n1;\xe9\n"
    with pytest.raises(UnusableInputError) as caught:
        read_all(write(tmp_path, data), encoding="utf-8")
    assert "mixte" not in caught.value.message
    assert caught.value.location is not None and caught.value.location.byte_offset == 9


def test_windows_1252_with_a_few_utf8_lookalikes_says_so(tmp_path: Path) -> None:
    data = "nom\nCrème brûlée\nÉtienne\nà\n".encode("cp1252") + "DÃ©but\n".encode("cp1252")
    table = read_table(write(tmp_path, data))
    assert table.source.encoding == "windows-1252"
    assert any("vérifiez les accents" in note for note in table.source.notes)


def test_an_unclosed_quote_stops_at_the_record_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "guillemet.csv"
    path.write_bytes(b'a,b\n1,"jamais ferme\n' + b"x,y\n" * 5000)
    limits = Limits(batch_bytes=1024, max_record_bytes=4096)
    with pytest.raises(UnusableInputError, match="SOCLE_LIMIT_MAX_RECORD_BYTES"):
        for _ in read_table(path, limits=limits).batches():
            pass
