"""Reading schema documents: JSON and YAML, with French errors that say where."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socle.errors import SchemaError
from socle.schemas.documents import DocumentFormat, format_for_name, parse_document


def test_json_with_bom_is_read() -> None:
    assert parse_document(b'\xef\xbb\xbf{"fields": []}', DocumentFormat.JSON, "le fichier « s.json »") == {
        "fields": []
    }


def test_bad_json_says_line_and_column() -> None:
    with pytest.raises(SchemaError) as caught:
        parse_document(b'{\n  "fields": [,]\n}', DocumentFormat.JSON, "le fichier « s.json »")
    assert (
        caught.value.message == "Le fichier « s.json » n'est pas un JSON valide : erreur ligne 2, colonne 14."
    )


@pytest.mark.parametrize(
    ("data", "kind"), [(b"[1, 2]", "une liste"), (b'"x"', "un texte"), (b"3", "une valeur simple")]
)
def test_a_document_must_be_an_object(data: bytes, kind: str) -> None:
    with pytest.raises(SchemaError, match=f"ne contient pas un objet mais {kind}"):
        parse_document(data, DocumentFormat.JSON, "le fichier « s.json »")


def test_non_utf8_is_refused_with_the_offset() -> None:
    with pytest.raises(SchemaError, match=r"UTF-8 .*position 11"):
        parse_document(b'{"title": "\xe9t\xe9"}', DocumentFormat.JSON, "le fichier « s.json »")


def test_yaml_is_read() -> None:
    text = "fields:\n  - name: a\n    type: integer\n    constraints:\n      minimum: 0\n"
    assert parse_document(text.encode(), DocumentFormat.YAML, "x") == {
        "fields": [{"name": "a", "type": "integer", "constraints": {"minimum": 0}}]
    }


def test_bad_yaml_says_line_and_column() -> None:
    with pytest.raises(SchemaError) as caught:
        parse_document(b"fields:\n  - name: a\n    type: b: c\n", DocumentFormat.YAML, "le fichier « s.yml »")
    assert (
        caught.value.message == "Le fichier « s.yml » n'est pas un YAML valide : erreur ligne 3, colonne 12."
    )


def test_yaml_aliases_are_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(SchemaError, match="alias YAML"):
        parse_document(bomb.encode(), DocumentFormat.YAML, "le fichier « bomb.yml »")


def test_yaml_python_tags_are_not_executed() -> None:
    with pytest.raises(SchemaError, match="YAML valide"):
        parse_document(b"fields: !!python/object/apply:os.system ['true']\n", DocumentFormat.YAML, "x")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("schema.yml", b"{}", DocumentFormat.YAML),
        ("/a/schema.YAML", b"{}", DocumentFormat.YAML),
        ("schema.json", b"a: b", DocumentFormat.JSON),
        ("/schemas/x/latest", b"  {", DocumentFormat.JSON),
        ("/schemas/x/latest", b"fields:", DocumentFormat.YAML),
    ],
)
def test_format_for_name(name: str, data: bytes, expected: DocumentFormat) -> None:
    assert format_for_name(name, data) is expected


def test_yaml_dates_stay_text_as_in_json() -> None:
    text = b"fields:\n  - name: d\n    type: date\n    constraints: {minimum: 2020-01-01}\n"
    document = parse_document(text, DocumentFormat.YAML, "x")
    assert document["fields"][0]["constraints"] == {"minimum": "2020-01-01"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"a: !!binary aGVsbG8=\n", "sans équivalent JSON (bytes)"),
        (b"a: !!set {x}\n", "sans équivalent JSON (set)"),
        (b"a: !!timestamp 2020-01-01\n", "sans équivalent JSON (date)"),
        (b"1: a\n", "la clé 1, qui n'est pas un texte"),
    ],
)
def test_yaml_values_without_json_equivalent_are_refused(text: bytes, message: str) -> None:
    with pytest.raises(SchemaError, match=re.escape(message)):
        parse_document(text, DocumentFormat.YAML, "le fichier « s.yml »")


@given(st.binary(max_size=200), st.sampled_from(list(DocumentFormat)))
def test_any_bytes_give_an_object_or_a_schema_error(data: bytes, fmt: DocumentFormat) -> None:
    try:
        document = parse_document(data, fmt, "x")
    except SchemaError as exc:
        assert exc.message.startswith("X ")
    else:
        assert isinstance(document, dict)
