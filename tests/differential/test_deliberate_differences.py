"""Where Socle deliberately differs from frictionless/Validata (docs/ecarts-validata.md), shown on both."""

from __future__ import annotations

import pytest

from socle.io.table import Table
from socle.schemas.model import parse_table_schema
from socle.validation.engine import validate_table
from tests.differential.peer import PeerGaveUp, frictionless_findings, socle_findings


def test_the_header_is_the_first_row_not_a_guess() -> None:
    import warnings

    from frictionless import Detector, Schema, resources

    descriptor = {"fields": [{"name": n, "type": "boolean"} for n in ("f0", "f1", "f2", "f3")]}
    rows = [["f0", "f1", "f2", "f3"], ["true"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        guessed = resources.TableResource(
            data=rows, schema=Schema.from_descriptor(descriptor), detector=Detector(schema_sync=True)
        ).validate()
    # frictionless takes the short second row for the header (closer to the average width)
    assert [e.type for e in guessed.tasks[0].errors] == ["unmatched-header"]
    assert socle_findings(rows, descriptor) == {
        (2, name, "missing-cell", None) for name in ("f1", "f2", "f3")
    }


def test_repeated_labels_do_not_stop_the_validation() -> None:
    descriptor = {"fields": [{"name": "a", "type": "integer"}, {"name": "b"}]}
    rows = [["a", "b", "b"], ["x", "1", "2"]]
    with pytest.raises(PeerGaveUp):
        frictionless_findings(rows, descriptor)
    report = validate_table(Table.from_rows(rows), parse_table_schema(descriptor))
    found = {(r["code"], r["column"]) for r in report.findings.iter_rows(named=True)}
    assert found == {("duplicate-label", 3), ("type-error", 1)}


def test_errors_are_never_capped() -> None:
    descriptor = {"fields": [{"name": "n", "type": "integer"}]}
    rows = [["n"], *[["x"] for _ in range(1500)]]
    assert len(socle_findings(rows, descriptor)) == 1500


def test_no_row_count_limit_in_validation() -> None:
    descriptor = {"fields": [{"name": "n", "type": "integer"}]}
    rows = [["n"], *[[str(i)] for i in range(100_005)]]
    report = validate_table(Table.from_rows(rows), parse_table_schema(descriptor))
    assert report.valid
    assert report.rows == 100_005


def test_array_items_are_judged_like_frictionless() -> None:
    descriptor = {
        "fields": [
            {
                "name": "tags",
                "type": "array",
                "arrayItem": {"type": "string", "constraints": {"enum": ["a", "b"], "required": True}},
                "constraints": {"maxLength": 2},
            }
        ]
    }
    rows = [
        ["tags"],
        ['["a"]'],
        ['["a","c"]'],
        ['["x","z",5]'],
        ["pas du json"],
        ['["a",null]'],
        ['["a","b","a"]'],
    ]
    expected = frictionless_findings(rows, descriptor)
    assert socle_findings(rows, descriptor) == expected
    assert (3, "tags", "constraint-error", "arrayItem/enum") in expected
