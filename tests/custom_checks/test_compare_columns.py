"""compare-columns-value."""

from __future__ import annotations

import pytest

from socle.validation.custom_checks.base import CheckParamsError

from .conftest import instantiate, make_context, run, schema_of

FIELDS = [
    {"name": "D1", "type": "date"},
    {"name": "D2", "type": "date"},
    {"name": "I1", "type": "integer"},
    {"name": "N1", "type": "number"},
    {"name": "S1", "type": "string"},
    {"name": "S2", "type": "string"},
    {"name": "T1", "type": "datetime"},
]
HEADER = ["D1", "D2", "I1", "N1", "S1", "S2", "T1"]
ROWS = [
    ["2020-01-02", "2020-01-01", "1", "1.5", "b", "a", ""],
    ["2020-01-01", "2020-01-02", "2", "1.5", "a", "b", ""],
    ["2020-01-01", "", "2", "2", "10", "9", "2020-01-01T00:00:00"],
    ["2020-01-01", "2020-01-01", "3", "x", "1e1", "9.5", ""],
    ["", "2020-01-01", "3", "4", "3", "abc", ""],
    ["", "2020-01-01", "3", "4", "3.0", "abc", ""],
]


def _rows(params: dict[str, str]) -> list[tuple[int | None, str | None, str | None]]:
    return [(f[2], f[1], f[3]) for f in run("compare-columns-value", params, FIELDS, HEADER, ROWS)]


# Each case: Validata 0.12.5's findings on ROWS (row, detail), checked by running it.
def test_dates_compare_as_dates() -> None:
    assert _rows({"column": "D1", "op": ">=", "column2": "D2"}) == [(3, None, "D1")]


def test_integer_and_number_compare_as_numbers() -> None:
    # row 6 has a type error in N1: skipped, as Validata skips a None value
    assert _rows({"column": "I1", "op": "<", "column2": "N1"}) == [(3, None, "I1"), (4, None, "I1")]


def test_texts_compare_as_numbers_when_both_read_as_numbers() -> None:
    # "10" > "9" and "1e1" > "9.5" hold as numbers; "3" > "abc" fails as texts
    assert _rows({"column": "S1", "op": ">", "column2": "S2"}) == [
        (3, None, "S1"),
        (6, None, "S1"),
        (7, None, "S1"),
    ]


def test_a_number_and_a_non_numeric_text_cannot_be_compared() -> None:
    assert _rows({"column": "I1", "op": "==", "column2": "S1"}) == [
        (2, "not-comparable", "I1"),
        (3, "not-comparable", "I1"),
        (4, None, "I1"),  # 2 == "10" compares as numbers, and fails
        (5, None, "I1"),  # 3 == "1e1"
    ]


def test_a_date_and_a_datetime_cannot_be_compared() -> None:
    assert _rows({"column": "D1", "op": "==", "column2": "T1"}) == [(4, "not-comparable", "D1")]


@pytest.mark.parametrize(
    ("left", "right", "fails"),
    [
        # Validata's verdicts for S1 > S2 on two texts
        (" 5", "30", True),
        ("1_000", "5", False),
        ("-1", "-2", False),
        ("+1", "2", True),
        ("1.", "2", True),
        (".5", "0.1", False),
        ("1e400", "5", False),
        ("0x10", "5", True),  # not a number for Python's float(): compared as texts
        ("1 ", "2", True),
        ("1", "1.0", True),
        ("2", "10", True),
        ("é", "e", False),
        ("1", "1,5", True),  # "1,5" is a text: "1" < "1,5"
        # Validata crashes on these (its expression evaluator refuses them); Socle compares sensibly
        ("007", "5", False),
        ("inf", "5", False),  # not a number for Socle: "inf" > "5" as texts
    ],
)
def test_text_comparisons(left: str, right: str, fails: bool) -> None:
    found = run(
        "compare-columns-value",
        {"column": "a", "op": ">", "column2": "b"},
        ["a", "b"],
        ["a", "b"],
        [[left, right]],
    )
    assert bool(found) is fails


def test_finding_carries_both_values_and_the_operator() -> None:
    schema = schema_of([{"name": "PREF_DATE", "type": "date"}, {"name": "DELIB_DATE", "type": "date"}])
    check = instantiate(
        "compare-columns-value", {"column": "PREF_DATE", "op": ">=", "column2": "DELIB_DATE"}, schema
    )
    ctx = make_context(schema, ["DELIB_DATE", "PREF_DATE"], [["2021-03-02", "2021-03-01"]])
    finding = check.check(ctx).row(0, named=True)
    assert (finding["row"], finding["field"], finding["column"], finding["value"]) == (
        2,
        "PREF_DATE",
        2,
        "2021-03-01",
    )
    assert "supérieure ou égale à" in finding["message"]
    assert "2021-03-02" in finding["message"] and "DELIB_DATE" in finding["message"]


def test_an_absent_column_skips_every_row() -> None:
    assert (
        run("compare-columns-value", {"column": "a", "op": ">", "column2": "b"}, ["a", "b"], ["a"], [["1"]])
        == []
    )


@pytest.mark.parametrize(
    "params",
    [
        {"column": "a", "column2": "b"},
        {"column": "a", "op": "=", "column2": "b"},
        {"column": "a", "op": ">"},
        {"column": "a", "op": ">", "column2": "zz"},
        {"column": "g", "op": ">", "column2": "a"},
    ],
)
def test_params_are_checked(params: dict[str, str]) -> None:
    schema = schema_of(["a", "b", {"name": "g", "type": "geopoint"}])
    with pytest.raises(CheckParamsError):
        instantiate("compare-columns-value", params, schema)
