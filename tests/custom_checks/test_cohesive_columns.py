"""cohesive-columns-value."""

from __future__ import annotations

import pytest

from socle.schemas.model import parse_table_schema
from socle.validation.custom_checks.base import CheckParamsError

from .conftest import instantiate, make_context, outcomes, run, run_checks, schema_of

FIELDS = [{"name": "A", "type": "integer"}, {"name": "B", "type": "integer"}, {"name": "C", "type": "string"}]
PARAMS = {"column": "B", "othercolumns": ["A", "C"]}


def test_rows_partly_filled_are_reported_on_column() -> None:
    # Validata 0.12.5 reports rows 2 and 3 on B (column 3), not the full, empty or "0" rows.
    rows = [["x", "1", ""], ["", "", "2"], ["x", "1", "2"], ["", "", ""], ["z", "0", "0"]]
    assert run("cohesive-columns-value", PARAMS, FIELDS, ["C", "A", "B"], rows) == [
        ("cohesive-columns-value", None, 2, "B", 3, None),
        ("cohesive-columns-value", None, 3, "B", 3, "2"),
    ]


def test_a_type_error_is_not_an_empty_cell() -> None:
    # Validata judges the typed value: A = "x" (not an integer) is None there, so it also reports a
    # cohesion error on this row, besides the type error. The cell is filled: Socle reports nothing.
    assert run("cohesive-columns-value", PARAMS, FIELDS, ["C", "A", "B"], [["z", "x", "2"]]) == []


def test_missing_values_count_as_empty() -> None:
    schema = parse_table_schema(
        {
            "missingValues": ["", "NA"],
            "fields": FIELDS,
            "custom_checks": [{"name": "cohesive-columns-value", "params": PARAMS}],
        }
    )
    assert [
        f[2] for f in outcomes(run_checks(schema, ["A", "B", "C"], [["NA", "1", "x"], ["NA", "NA", ""]]))
    ] == [2]


def test_partly_absent_columns_are_said_once_and_rows_not_checked() -> None:
    # Validata: one error ("must be all present or all absent") and the check stops.
    assert run("cohesive-columns-value", PARAMS, FIELDS, ["A", "B"], [["1", ""], ["", "2"]]) == [
        ("cohesive-columns-value", "absent-columns", None, None, None, None)
    ]


def test_all_absent_columns_say_nothing() -> None:
    fields = [*FIELDS, "D"]
    assert run("cohesive-columns-value", PARAMS, fields, ["D"], [["x"]]) == []


def test_message_names_the_columns() -> None:
    schema = schema_of(FIELDS)
    check = instantiate("cohesive-columns-value", PARAMS, schema)
    message = check.check(make_context(schema, ["A", "B", "C"], [["1", "", ""]])).item(0, "message")
    assert "« B », « A » et « C »" in message and "ligne 2" in message


@pytest.mark.parametrize(
    "params", [{"column": "B"}, {"othercolumns": ["A"]}, {"column": "B", "othercolumns": ["A", "Z"]}]
)
def test_params_are_checked(params: dict[str, object]) -> None:
    with pytest.raises(CheckParamsError):
        instantiate("cohesive-columns-value", params, schema_of(FIELDS))
