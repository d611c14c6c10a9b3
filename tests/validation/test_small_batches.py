"""A few rows (a row typed in a form, a page of a draft) are judged by the same rules as a whole file:
the engine only skips the work that cannot find anything, and builds a schema's rules once."""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
import pytest

from socle.io.table import Table
from socle.schemas.model import TableSchema, parse_table_schema
from socle.validation import engine
from socle.validation.engine import FieldPlan, ValidationOptions, field_verdicts, validate_table
from socle.validation.records import validate_columns, validate_records

SIRET = "21350238800019"

SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "id", "constraints": {"required": True, "pattern": "^[a-z]+\\d$", "maxLength": 4}},
        {"name": "n", "type": "integer", "constraints": {"minimum": 2, "maximum": 50}},
        {"name": "m", "type": "integer", "constraints": {"enum": [1, 2, 3]}},
        {"name": "x", "type": "number", "constraints": {"exclusiveMaximum": 10, "required": True}},
        {"name": "d", "type": "date", "constraints": {"minimum": "2020-01-01"}},
        {"name": "b", "type": "boolean"},
        {"name": "y", "type": "year"},
        {"name": "e", "constraints": {"enum": ["oui", "non"]}},
        {"name": "t", "type": "array", "arrayItem": {"type": "string", "constraints": {"enum": ["a", "b"]}}},
        {"name": "o", "constraints": {"minLength": 3}},
        {"name": "s"},
    ],
    "missingValues": ["", "NA"],
    "custom_checks": [
        {"name": "french-siret-value", "params": {"column": "s"}},
        {"name": "compare-columns-value", "params": {"column": "n", "column2": "x", "op": "<"}},
    ],
}

# Per column, cells to mix: valid ones, missing values and every kind of error.
CELLS: dict[str, list[str]] = {
    "id": ["ab1", "", "AB1", "abcd1", "NA", "abc1"],
    "n": ["3", "1", "x", "", "51", "7"],
    "m": ["2", "4", "", "1.5"],
    "x": ["1.5", "10", "", "dix", "NA", "-3"],
    "d": ["2021-05-01", "2019-01-01", "01/05/2021", "", "2021-02-30"],
    "b": ["true", "oui", "", "0"],
    "y": ["2026", "26", ""],
    "e": ["oui", "peut-être", ""],
    "t": ['["a","b"]', '["c"]', "", "pas un tableau", "a,b"],
    "o": ["", "ab", "abcdef", "NA"],
    "s": [SIRET, "21350238800018", "", "123"],
}


def _rows(count: int) -> list[list[str]]:
    names = list(CELLS)
    rows = []
    for i in range(count):
        if i % 9 == 4:
            rows.append([""] * len(names))  # a blank row
        else:
            rows.append(
                [CELLS[name][(i * (k + 1) + i // 3) % len(CELLS[name])] for k, name in enumerate(names)]
            )
    return rows


def _row_findings(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("row").is_not_null())


@pytest.mark.parametrize("size", [1, 3, 7])
def test_rows_judged_a_few_at_a_time_get_the_findings_of_the_whole_table(size: int) -> None:
    schema = parse_table_schema(SCHEMA)
    rows = _rows(60)
    whole = validate_table(Table.from_rows([list(CELLS), *rows]), schema).findings
    assert set(whole.get_column("code")) >= {
        "type-error",
        "constraint-error",
        "blank-row",
        "french-siret-value",
    }
    assert whole.height > 100

    parts = []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        columns = [[row[k] for row in chunk] for k in range(len(CELLS))]
        lines = list(range(start + 2, start + 2 + len(chunk)))  # the header is row 1 in the table
        parts.append(_row_findings(validate_columns(schema, columns, lines=lines).findings))
    assert pl.concat(parts).equals(_row_findings(whole))


def test_records_of_every_scdl_schema_get_the_findings_of_their_table() -> None:
    # A row left empty but for a few fields, and a row of nonsense, against each schema's own rules.
    from socle.schemas import load_schema

    for name in ("scdl/subventions", "scdl/deliberations", "scdl/budget", "scdl/equipements"):
        schema = load_schema(name)
        names = schema.field_names
        records = [
            {names[0]: "x", names[1]: SIRET},
            {n: f"?{i}" for i, n in enumerate(names)},
            dict.fromkeys(names, ""),
            dict.fromkeys(names, "2026-01-01"),
        ]
        table = Table.from_rows([names, *[[r.get(n, "") for n in names] for r in records]])
        whole = _row_findings(validate_table(table, schema).findings)
        one_by_one = pl.concat(
            [
                _row_findings(validate_columns(schema, [[r.get(n)] for n in names], lines=[i + 2]).findings)
                for i, r in enumerate(records)
            ]
        )
        assert one_by_one.equals(whole), name
        assert whole.height > 10


def test_the_rules_of_a_schema_are_built_once_and_what_keeps_state_is_built_per_validation() -> None:
    schema = parse_table_schema(SCHEMA)
    labels = list(CELLS)
    first = engine._make_plan(labels, schema, ValidationOptions())
    second = engine._make_plan(labels, schema, ValidationOptions())
    assert first.header is second.header
    by_name = {fp.field.name: (fp, other) for fp, other in zip(first.fields, second.fields, strict=True)}
    # enum values read once by their type, shared…
    assert by_name["m"][0] is by_name["m"][1]
    # …but a pattern keeps the values it could not judge in time: one per validation.
    (id_first, id_second) = by_name["id"]
    assert id_first.constraints[0] is not id_second.constraints[0]
    assert id_first.constraints[0].compiled is not id_second.constraints[0].compiled  # type: ignore[attr-defined]
    assert id_first.constraints[1] is id_second.constraints[1]  # maxLength
    assert first.checks[0] is not second.checks[0]

    # Another header, options or schema object: other rules.
    assert engine._make_plan(labels[:3], schema, ValidationOptions()).header is not first.header
    assert (
        engine._make_plan(labels, schema, ValidationOptions(ignore_header_case=True)).header
        is not first.header
    )
    assert (
        engine._make_plan(labels, parse_table_schema(SCHEMA), ValidationOptions()).header is not first.header
    )


def test_unique_values_of_one_validation_are_not_seen_by_the_next() -> None:
    schema: TableSchema = parse_table_schema(
        {"fields": [{"name": "id", "constraints": {"unique": True}}, {"name": "k"}], "primaryKey": ["k"]}
    )
    for _ in range(3):
        report = validate_records(schema, [{"id": "a", "k": "1"}])
        assert report.valid, report.findings
    twice = validate_records(schema, [{"id": "a", "k": "1"}, {"id": "a", "k": "1"}])
    assert sorted(twice.findings.get_column("code")) == ["primary-key", "unique-error"]


TYPES: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "string", "format": "email"},
    {"type": "integer"},
    {"type": "number"},
    {"type": "date"},
    {"type": "date", "format": "%d/%m/%Y"},
    {"type": "datetime"},
    {"type": "time"},
    {"type": "year"},
    {"type": "yearmonth"},
    {"type": "boolean"},
    {"type": "duration"},
    {"type": "geopoint"},
    {"type": "geopoint", "format": "array"},
    {"type": "geopoint", "format": "object"},
    {"type": "geojson"},
    {"type": "object"},
    {"type": "array"},
    {"type": "array", "arrayItem": {"type": "integer", "constraints": {"minimum": 1}}},
    {"type": "any"},
]


@pytest.mark.parametrize(("descriptor", "required"), list(itertools.product(TYPES, [False, True])))
def test_a_column_of_missing_values_is_judged_as_the_full_reading_judges_it(
    descriptor: dict[str, Any], required: bool
) -> None:
    constraints = {"required": True, "minLength": 1} if required else {}
    if descriptor["type"] in {"integer", "number", "date"} and "format" not in descriptor:
        constraints = {**constraints, "minimum": 1 if descriptor["type"] != "date" else "2020-01-01"}
    schema = parse_table_schema({"fields": [{"name": "f", **descriptor, "constraints": constraints}]})
    plan = FieldPlan.of(schema.fields[0], schema)
    empty = field_verdicts(plan, pl.Series(["", ""], dtype=pl.String))
    # a column with a cell to read goes the full way; its missing cell is judged the same
    mixed = field_verdicts(plan, pl.Series(["", "zz"], dtype=pl.String))
    assert empty.typed.dtype == mixed.typed.dtype == plan.missing_dtype()
    assert empty.typed.null_count() == 2
    refused = empty.refused().to_list()
    assert refused == [required, required]
    assert mixed.refused()[0] == required
