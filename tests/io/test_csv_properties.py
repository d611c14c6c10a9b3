"""Property tests: any table written by Python's csv module reads back exactly.

Cells hold quotes, every candidate delimiter, line breaks, accents and spaces; rows are ragged and
may be blank; files are written in each supported encoding, with CRLF, LF or both, with or without
a final line break; and the slice size of the reader (``batch_bytes``) changes nothing.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from socle.io import read_table
from socle.limits import Limits

from .conftest import rows_and_numbers

pytestmark = pytest.mark.usefixtures("scanner")

ALPHABET = 'aZ019 éàçœ€«»’",;\t|\n\r'
DELIMITERS = [",", ";", "\t", "|"]
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

cells = st.text(alphabet=ALPHABET, max_size=8)
rows = st.lists(cells, min_size=0, max_size=6)
tables = st.lists(rows, min_size=1, max_size=12)


def write_csv(table: list[list[str]], delimiter: str, terminators: list[str], quote_all: bool) -> str:
    """The table as the csv module writes it, row i ending with ``terminators[i % len]``."""
    out = io.StringIO(newline="")
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    for index, row in enumerate(table):
        terminator = terminators[index % len(terminators)]
        csv.writer(out, delimiter=delimiter, lineterminator=terminator, quoting=quoting).writerow(row)
    return out.getvalue()


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


def expected_rows(table: list[list[str]], text: str, delimiter: str) -> list[list[str]]:
    """What a reader must return: what Python's csv module reads from the text.

    Spaces after delimiters are skipped when every header cell after the first starts with one
    (the rule Validata follows). The csv module writes a lone CR unquoted when the line terminator
    is LF, so that a cell ending with CR cannot round-trip; otherwise the reading is the table.
    """
    # The rule applies to the header as it is read: a lone CR may have cut the written one short.
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    skip = len(header) > 1 and all(cell.startswith(" ") for cell in header[1:])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=skip)
    expected = list(reader)
    if not skip and not any("\r" in cell for row in table for cell in row):
        assert expected == table
    return expected


def read_back(data: bytes, **options: object) -> tuple[list[str], list[list[str]], list[int]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(data)
        table = read_table(path, **options)  # type: ignore[arg-type]
        rows, numbers = rows_and_numbers(table)
        return table.header, rows, numbers


layouts = st.fixed_dictionaries(
    {
        "delimiter": st.sampled_from(DELIMITERS),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-be"]),
        "terminators": st.lists(st.sampled_from(["\r\n", "\n"]), min_size=1, max_size=3),
        "quote_all": st.booleans(),
        "final_newline": st.booleans(),
        "batch_bytes": st.sampled_from([1, 2, 3, 7, 16, 64, 32 * 1024 * 1024]),
    }
)


@SETTINGS
@given(table=tables, layout=layouts)
def test_written_table_reads_back_exactly(table: list[list[str]], layout: dict[str, Any]) -> None:
    delimiter = layout["delimiter"]
    text = write_csv(table, delimiter, layout["terminators"], layout["quote_all"])
    if not layout["final_newline"] and table[-1]:
        text = text.removesuffix("\r\n").removesuffix("\n")
    assume(text)  # an empty file is an error, tested elsewhere
    encoding = layout["encoding"]
    header, rows, numbers = read_back(
        encode(text, encoding),
        delimiter=delimiter,
        encoding="cp1252" if encoding == "cp1252" else None,
        limits=Limits(batch_bytes=layout["batch_bytes"]),
    )
    expected = expected_rows(table, text, delimiter)
    assert header == expected[0]
    assert rows == expected[1:]
    assert numbers == list(range(2, len(expected) + 1))


labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=10)


@SETTINGS
@given(
    data=st.data(),
    width=st.integers(min_value=2, max_value=6),
    delimiter=st.sampled_from(DELIMITERS),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_delimiter_and_encoding_are_detected(
    data: st.DataObject, width: int, delimiter: str, encoding: str
) -> None:
    """With a header of plain labels, the delimiter is found whatever the cells hold."""
    header = data.draw(st.lists(labels, min_size=width, max_size=width))
    body = data.draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=10))
    table = [header, *body]
    text = write_csv(table, delimiter, ["\r\n"], quote_all=False)  # CRLF: lone CRs get quoted
    found_header, rows, _ = read_back(encode(text, encoding))
    assert found_header == header
    assert rows == body


FRENCH = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éèàçùâêîôûëïü"


@SETTINGS
@given(
    table=st.lists(
        st.lists(st.text(alphabet=FRENCH, max_size=12), min_size=2, max_size=2), min_size=1, max_size=8
    ),
    bom=st.booleans(),
)
def test_windows_1252_is_detected_without_being_told(table: list[list[str]], bom: bool) -> None:
    """French text in Windows-1252 (lower-case accents) is never mistaken for UTF-8."""
    text = write_csv(table, ";", ["\r\n"], quote_all=False)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("cp1252")
    header, rows, _ = read_back(data, delimiter=";")
    assert [header, *rows] == expected_rows(table, text, ";")


@SETTINGS
@given(
    text=st.text(alphabet='ab ,;"\n\r', min_size=1, max_size=60),
    delimiter=st.sampled_from([",", ";"]),
    batch_bytes=st.sampled_from([1, 5, 64, 32 * 1024 * 1024]),
)
def test_any_text_reads_as_the_csv_module_reads_it(text: str, delimiter: str, batch_bytes: int) -> None:
    """Stray quotes, unclosed quotes, lone CRs: whatever the bytes, the reading is Python's csv one."""
    raw = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = raw[0] if raw else []
    skip = len(header) > 1 and all(cell.startswith(" ") for cell in header[1:])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=skip)
    expected = list(reader)
    found_header, rows, numbers = read_back(
        text.encode(), delimiter=delimiter, limits=Limits(batch_bytes=batch_bytes)
    )
    assert [found_header, *rows] == expected
    assert numbers == list(range(2, len(expected) + 1))


def test_a_lone_carriage_return_in_the_header_cuts_it_and_spaces_are_skipped(scanner: str) -> None:
    # ``, \r,`` : the csv module (as Validata reads) sees a header ``,`` + space, then a record ``,``;
    # every header cell after the first starts with a space, so spaces after delimiters are skipped.
    header, rows, _ = read_back(b", \r,")
    assert header == ["", ""] and rows == [["", ""]]
