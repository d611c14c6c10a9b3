"""Records typed in a form or a grid are judged as the same cells in a file would be."""

from __future__ import annotations

import csv
from pathlib import Path

from socle.schemas import load_schema
from socle.validation.engine import validate_file
from socle.validation.records import validate_records


def test_records_get_the_findings_of_the_same_rows_in_a_file(tmp_path: Path) -> None:
    schema = load_schema("scdl/subventions")
    names = [f.name for f in schema.fields]
    records = [
        {"nomAttribuant": "Chavagne", "idAttribuant": "21350076300012", "montant": "12,5"},
        {},
        dict.fromkeys(names, "x"),
    ]
    found = validate_records(schema, records)
    path = tmp_path / "same.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([r.get(n, "") for n in names] for r in records)
    in_file = validate_file(path, schema)

    def keyed(report: object, shift: int) -> set[tuple[object, ...]]:
        frame = report.findings  # type: ignore[attr-defined]
        return {(r["row"] - shift, r["field"], r["code"], r["detail"]) for r in frame.iter_rows(named=True)}

    # In the file the header is row 1, so record i is row i + 1; in the records it is row i.
    assert keyed(found, 0) == keyed(in_file, 1)
    assert {r for r, *_ in keyed(found, 0)} == {1, 2, 3}
    assert "blank-row" in found.findings.filter(found.findings["row"] == 2)["code"].to_list()


def test_no_record_no_finding() -> None:
    report = validate_records(load_schema("scdl/subventions"), [])
    assert report.valid and report.rows == 0


def test_columns_with_their_own_line_numbers() -> None:
    # A page of a draft, or a row typed among stored ones: findings carry the given numbers, and a
    # repeated unique value cites the other row by its number.
    from socle.schemas.model import parse_table_schema
    from socle.validation.records import validate_columns

    schema = parse_table_schema(
        {
            "fields": [
                {"name": "id", "type": "string", "constraints": {"unique": True}},
                {"name": "n", "type": "integer"},
            ]
        }
    )
    report = validate_columns(schema, [["a", "b", "a"], ["1", "x", None]], lines=[4, 9, 12])
    found = {(r["row"], r["field"], r["code"]) for r in report.findings.iter_rows(named=True)}
    assert found == {(9, "n", "type-error"), (12, "id", "unique-error")}
    unique = report.findings.filter(report.findings["code"] == "unique-error")["message"].item()
    assert "4" in unique
    import pytest

    with pytest.raises(ValueError):
        validate_columns(schema, [["a"]])
