"""Build a :class:`CheckContext` from cell texts, and run custom checks on it.

The typed values are made here the way frictionless makes them for the few types the tests use
(independently of the engine, so that these tests judge the checks alone).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from socle.schemas.model import Field, TableSchema, parse_table_schema
from socle.validation.custom_checks.base import (
    ROW_COL,
    CheckContext,
    CustomCheck,
    load_registry,
    raw_col,
    typed_col,
)
from socle.validation.findings import FINDING_COLUMNS, concat_findings

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SCHEMAS = SHARED / "schemas"
CORPUS = SHARED / "corpus"

Outcome = tuple[str, str | None, int | None, str | None, int | None, str | None]
"""(code, detail, row, field, column, value) of a finding."""

_INTEGER = r"^[+-]?[0-9]+$"
_NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"


def _typed(field: Field, raw: pl.Series) -> pl.Series:
    """Frictionless' typed value (null when empty or wrong), for the types used in these tests."""
    frame = raw.alias("v").to_frame()
    v = pl.col("v")
    match field.type:
        case "integer" | "year":
            expr = pl.when(v.str.contains(_INTEGER)).then(v.cast(pl.Int64, strict=False))
        case "number":
            expr = pl.when(v.str.contains(_NUMBER)).then(v.cast(pl.Float64, strict=False))
        case "date":
            expr = v.str.to_date("%Y-%m-%d", strict=False)
        case "datetime":
            expr = v.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False)
        case "boolean":
            expr = (
                pl.when(v.is_in(list(field.true_values)))
                .then(True)
                .when(v.is_in(list(field.false_values)))
                .then(False)
            )
        case "geopoint":
            parts = v.str.strip_chars("[]").str.split(",")
            lon = parts.list.get(0, null_on_oob=True).str.strip_chars().cast(pl.Float64, strict=False)
            lat = parts.list.get(1, null_on_oob=True).str.strip_chars().cast(pl.Float64, strict=False)
            ok = (parts.list.len() == 2) & lon.is_not_null() & lat.is_not_null()
            expr = pl.when(ok).then(pl.struct(lon.alias("lon"), lat.alias("lat")))
        case "string":
            expr = v
        case other:
            raise AssertionError(f"type non pris en charge par le test : {other}")
    return frame.select(expr.alias("typed")).to_series()


def make_context(schema: TableSchema, header: Sequence[str], rows: Sequence[Sequence[str]]) -> CheckContext:
    """The context a check sees for these rows (first data row is row 2, the header being row 1)."""
    columns: dict[str, pl.Series] = {ROW_COL: pl.Series(range(2, len(rows) + 2), dtype=pl.Int64)}
    positions: dict[str, int] = {}
    for position, label in enumerate(header, start=1):
        field = schema.get_field(label)
        if field is None:
            continue
        cells = pl.Series(
            [row[position - 1] if position <= len(row) else "" for row in rows], dtype=pl.String
        )
        missing = schema.missing_values_for(field)
        raw = (
            cells.to_frame("c")
            .select(pl.when(~pl.col("c").is_in(list(missing))).then(pl.col("c")))
            .to_series()
        )
        columns[raw_col(field.name)] = raw
        columns[typed_col(field.name)] = _typed(field, raw)
        positions[field.name] = position
    return CheckContext(frame=pl.DataFrame(columns), schema=schema, positions=positions)


def schema_of(
    fields: Sequence[Mapping[str, Any] | str], checks: Sequence[Mapping[str, Any]] = ()
) -> TableSchema:
    """A schema from field names (string type) or field descriptors, with custom checks."""
    descriptors = [{"name": f} if isinstance(f, str) else dict(f) for f in fields]
    return parse_table_schema({"fields": descriptors, "custom_checks": list(checks)})


def instantiate(name: str, params: Mapping[str, Any], schema: TableSchema) -> CustomCheck:
    return load_registry()[name](params, schema)


def outcomes(findings: pl.DataFrame) -> list[Outcome]:
    """The findings as comparable tuples, sorted by row; every finding must have a message."""
    assert findings.columns == FINDING_COLUMNS
    assert findings.get_column("message").null_count() == 0
    found: list[Outcome] = [
        (r["code"], r["detail"], r["row"], r["field"], r["column"], r["value"])
        for r in findings.iter_rows(named=True)
    ]
    # By row (header findings first), then by the rest; None sorts before any value.
    return sorted(
        found, key=lambda o: tuple((v is not None, v) for v in (o[2], o[0], o[1], o[3], o[4], o[5]))
    )


def run_checks(schema: TableSchema, header: Sequence[str], rows: Sequence[Sequence[str]]) -> pl.DataFrame:
    """Every custom check of the schema on these rows, header findings included."""
    ctx = make_context(schema, header, rows)
    registry = load_registry()
    parts = []
    for spec in schema.custom_checks:
        check = registry[spec.name](spec.params, schema)
        parts.append(check.check_structure(list(ctx.positions)))
        parts.append(check.check(ctx))
    return concat_findings(parts)


def run(
    name: str,
    params: Mapping[str, Any],
    fields: Sequence[Mapping[str, Any] | str],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> list[Outcome]:
    """Outcomes of one check on a small table."""
    schema = schema_of(fields, [{"name": name, "params": dict(params)}])
    return outcomes(run_checks(schema, header, rows))


def load_schema(relative: str) -> TableSchema:
    return parse_table_schema(json.loads((SCHEMAS / relative).read_text(encoding="utf-8")))
