"""sum-columns-value."""

from __future__ import annotations

import pytest

from socle.validation.custom_checks.base import CheckParamsError

from .conftest import instantiate, make_context, run, schema_of

FIELDS = [{"name": "T", "type": "integer"}, {"name": "A", "type": "integer"}, {"name": "B", "type": "number"}]
PARAMS = {"column": "T", "columns": ["A", "B"]}


def test_validata_outcomes() -> None:
    # Validata 0.12.5 on these rows: rows 3 (1 + 2.5 != 3) only; row 4 has an empty cell, row 6 a type
    # error in A and row 7 a non-integer A: all skipped.
    rows = [
        ["3", "1", "2"],
        ["3", "1", "2.5"],
        ["3", "", "2"],
        ["3", "1", "2.0"],
        ["1", "x", "1"],
        ["1", "0.1", "0.9"],
    ]
    assert run("sum-columns-value", PARAMS, FIELDS, ["T", "A", "B"], rows) == [
        ("sum-columns-value", None, 3, "T", 1, "3")
    ]


def test_decimal_sums_are_exact() -> None:
    # Validata adds Decimals: 0.1 + 0.2 == 0.3. A float sum would say 0.30000000000000004.
    fields = [
        {"name": "T", "type": "number"},
        {"name": "A", "type": "number"},
        {"name": "B", "type": "number"},
    ]
    rows = [
        ["0.3", "0.1", "0.2"],
        ["1.005", "1", "0.005"],
        ["0.3", "0.1", "0.21"],
        ["123456789.12", "123456789", "0.12"],
    ]
    assert [f[2] for f in run("sum-columns-value", PARAMS, fields, ["T", "A", "B"], rows)] == [4]


def test_large_integers_do_not_overflow() -> None:
    fields = [
        {"name": "T", "type": "integer"},
        {"name": "A", "type": "integer"},
        {"name": "B", "type": "integer"},
    ]
    big = str(2**62)
    rows = [[str(2**63 - 2), big, str(2**62 - 2)], ["-1", big, big]]
    assert [f[2] for f in run("sum-columns-value", PARAMS, fields, ["T", "A", "B"], rows)] == [3]


def test_message_gives_the_sum() -> None:
    schema = schema_of(FIELDS)
    check = instantiate("sum-columns-value", PARAMS, schema)
    finding = check.check(make_context(schema, ["T", "A", "B"], [["3", "1", "2.5"]])).row(0, named=True)
    assert "3.5" in finding["message"] and "« A » et « B »" in finding["message"]


def test_an_absent_column_skips_every_row() -> None:
    assert run("sum-columns-value", PARAMS, FIELDS, ["T", "A"], [["3", "1"]]) == []


@pytest.mark.parametrize(
    "params",
    [
        {"column": "T"},
        {"column": "T", "columns": "A"},
        {"column": "T", "columns": []},
        {"columns": ["A"]},
        {"column": "T", "columns": ["A", "S"]},  # a string column cannot be summed
        {"column": "T", "columns": ["A", "nope"]},
    ],
)
def test_params_are_checked(params: dict[str, object]) -> None:
    with pytest.raises(CheckParamsError):
        instantiate("sum-columns-value", params, schema_of([*FIELDS, "S"]))
