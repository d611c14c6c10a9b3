"""Header matching: by name, as Validata does, with blank and repeated labels reported."""

from __future__ import annotations

from socle.schemas.model import parse_table_schema
from socle.validation.header import match_header

SCHEMA = parse_table_schema(
    {
        "fields": [
            {"name": "COLL_NOM", "constraints": {"required": True}},
            {"name": "COLL_SIRET", "constraints": {"required": True}},
            {"name": "OBJET"},
            {"name": "NOTE"},
        ]
    }
)


def codes(frame) -> list[tuple[str, int | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(r["code"], r["column"], r["field"]) for r in frame.iter_rows(named=True)]


def test_columns_are_matched_by_name_wherever_they_are() -> None:
    match = match_header(["OBJET", "COLL_SIRET", "COLL_NOM", "NOTE"], SCHEMA)
    assert match.positions == {"OBJET": 0, "COLL_SIRET": 1, "COLL_NOM": 2, "NOTE": 3}
    assert match.findings.height == 0
    assert codes(match.warnings) == [("disordered-header-warn", None, None)]


def test_missing_required_is_an_error_missing_optional_a_warning() -> None:
    match = match_header(["COLL_NOM", "OBJET"], SCHEMA)
    assert codes(match.findings) == [("missing-label", None, "COLL_SIRET")]
    assert codes(match.warnings) == [("missing-header-warn", None, "NOTE")]


def test_unknown_columns_are_warnings_and_not_matched() -> None:
    match = match_header(["COLL_NOM", "COLL_SIRET", "Commentaire"], SCHEMA)
    assert ("extra-header-warn", 3, "Commentaire") in codes(match.warnings)
    assert match.label_fields[2] is None


def test_blank_and_duplicate_labels_are_errors_and_the_first_duplicate_wins() -> None:
    match = match_header(["COLL_NOM", "", "COLL_SIRET", "COLL_NOM", " "], SCHEMA)
    found = codes(match.findings)
    assert ("blank-label", 2, None) in found
    assert ("blank-label", 5, None) in found
    assert ("duplicate-label", 4, "COLL_NOM") in found
    assert match.positions["COLL_NOM"] == 0


def test_case_is_significant_unless_asked_otherwise() -> None:
    labels = ["coll_nom", "Coll_Siret"]
    strict = match_header(labels, SCHEMA)
    assert {r["field"] for r in strict.findings.iter_rows(named=True)} == {"COLL_NOM", "COLL_SIRET"}
    relaxed = match_header(labels, SCHEMA, ignore_case=True)
    assert relaxed.findings.height == 0
    assert relaxed.positions == {"COLL_NOM": 0, "COLL_SIRET": 1}


def test_primary_key_fields_count_as_required() -> None:
    schema = parse_table_schema({"fields": [{"name": "id"}, {"name": "x"}], "primaryKey": "id"})
    assert codes(match_header(["x"], schema).findings) == [("missing-label", None, "id")]


def test_spaces_around_labels_are_ignored() -> None:
    match = match_header([" COLL_NOM ", "COLL_SIRET\t"], SCHEMA)
    assert match.findings.height == 0
    assert match.positions == {"COLL_NOM": 0, "COLL_SIRET": 1}
