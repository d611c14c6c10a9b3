"""Differential property test: random schemas and random tables, Socle and frictionless agree.

Each example draws a Table Schema (types, formats and constraints as schema.data.gouv.fr uses them)
and a table mixing valid, nearly valid and random cells, ragged and blank rows; the sets of
(row, field, code, constraint) found by both engines must be equal.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.differential.peer import frictionless_findings, socle_findings

TEXT = st.text(alphabet=string.ascii_letters + string.digits + " -_/.,:;éÉàç+'\"", max_size=12)

VALUES: dict[str, st.SearchStrategy[str]] = {
    "string": st.one_of(TEXT, st.sampled_from(["A1", "abc", "W123456789", "12345678901234", " x "])),
    "integer": st.one_of(
        st.integers(-1000, 10**6).map(str),
        st.sampled_from(["1.0", "1,5", " 3", "+4", "-0", "1_000", "12a", "0x1F", "١٢", "1e3", "007"]),
        TEXT,
    ),
    "number": st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: f"{f:g}"),
        st.sampled_from(
            ["1,5", "1 000", "1.", ".5", "-.5", "NaN", "inf", "-INF", "1e5", "1E-3", "12€", "+2.5"]
        ),
        TEXT,
    ),
    "boolean": st.sampled_from(
        ["true", "false", "True", "FALSE", "1", "0", "oui", "non", "yes", "t", " true", ""]
    ),
    "date": st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(
            [
                "2021-02-30",
                "2021-13-01",
                "12/03/2021",
                "2021/03/12",
                "2021-3-1",
                "20210312",
                "2021-03-12T00:00:00",
            ]
        ),
        TEXT,
    ),
    "year": st.one_of(
        st.integers(-50, 3000).map(str), st.sampled_from(["02021", "21", "2021.0", "+2021", "2021 "])
    ),
    "yearmonth": st.sampled_from(["2021-03", "2021-13", "2021-3", "202103", "2021/03", "2021-00", "0001-01"]),
    "time": st.sampled_from(
        ["12:30:00", "12:30", "24:00:00", "23:59:60", "1:02:03", "12:30:00Z", "12:30:00.5"]
    ),
    "datetime": st.sampled_from(
        [
            "2021-03-12T12:30:00",
            "2021-03-12T12:30:00Z",
            "2021-03-12 12:30:00",
            "2021-03-12T12:30:00+02:00",
            "2021-03-12",
        ]
    ),
}

CONSTANTS: dict[str, list[Any]] = {
    "integer": [0, 5, 100, -3],
    "number": [0, 0.01, 1, 2.5],
    "date": ["2000-01-01", "2021-06-15"],
    "year": [1900, 2020],
}

PATTERNS = ["^\\d{14}$", "W\\d{9}", "[A-Z]+", "\\d{4}\\-\\d{2}(\\/\\d{4})?", "a|b", "[^;]*"]


@st.composite
def fields(draw: st.DrawFn, name: str) -> dict[str, Any]:  # noqa: PLR0912 - one branch per schema feature drawn
    ftype = draw(st.sampled_from(sorted(VALUES)))
    field: dict[str, Any] = {"name": name, "type": ftype}
    constraints: dict[str, Any] = {}
    if draw(st.booleans()):
        constraints["required"] = True
    if draw(st.integers(0, 5)) == 0 and ftype not in {"datetime", "time"}:  # TEMP
        constraints["unique"] = True
    if ftype == "string":
        if draw(st.booleans()):
            constraints["maxLength"] = draw(st.integers(0, 8))
        if draw(st.booleans()):
            constraints["minLength"] = draw(st.integers(0, constraints.get("maxLength", 4)))
        if draw(st.booleans()):
            constraints["pattern"] = draw(st.sampled_from(PATTERNS))
    custom_format = ftype == "date" and draw(st.booleans())
    if custom_format:
        field["format"] = draw(st.sampled_from(["%d/%m/%Y", "%Y/%m/%d"]))
    # a bound must be written in the field's own format (Socle refuses the schema otherwise, frictionless crashes)
    if ftype in CONSTANTS and not custom_format and draw(st.booleans()):
        key = draw(
            st.sampled_from(["minimum", "maximum"])
        )  # exclusive bounds need datapackage v2 in frictionless
        constraints[key] = draw(st.sampled_from(CONSTANTS[ftype]))
    if ftype in {"string", "integer", "boolean"} and draw(st.integers(0, 3)) == 0:
        constraints["enum"] = draw(st.lists(VALUES[ftype].filter(bool), min_size=1, max_size=4, unique=True))
        if ftype == "integer":
            constraints["enum"] = [int(v) for v in constraints["enum"] if v.lstrip("-").isdigit()] or [1]
        if ftype == "boolean":
            constraints["enum"] = [True]
    if ftype == "number" and draw(st.booleans()):
        field["decimalChar"] = ","
        field["groupChar"] = draw(st.sampled_from(["", " ", "."]))
    if ftype in {"number", "integer"} and draw(st.integers(0, 3)) == 0:
        field["bareNumber"] = False
    if ftype == "boolean" and draw(st.booleans()):
        field["trueValues"] = ["oui", "Oui"]
        field["falseValues"] = ["non", "Non"]
    if constraints:
        field["constraints"] = constraints
    return field


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[list[str]]]:
    n = draw(st.integers(1, 5))
    schema_fields = [draw(fields(f"f{i}")) for i in range(n)]
    descriptor: dict[str, Any] = {"fields": schema_fields}
    if draw(st.integers(0, 3)) == 0:
        descriptor["missingValues"] = ["", "NA", "-"]
    # header: the schema's names in any order, maybe one dropped, maybe an unknown column
    names = [f["name"] for f in schema_fields]
    header = draw(st.permutations(names))
    if len(header) > 1 and draw(st.booleans()):
        header = header[:-1]
    if draw(st.integers(0, 3)) == 0:
        header = [*header, "autre"]
    by_name = {f["name"]: f for f in schema_fields}
    spaced = [f" {h}" if draw(st.integers(0, 5)) == 0 else h for h in header]
    rows: list[list[str]] = [spaced]
    for _ in range(draw(st.integers(0, 12))):
        shape = draw(st.integers(0, 15))
        if shape == 0:
            rows.append([])
            continue
        row = [draw(VALUES[by_name[h]["type"]]) if h in by_name else draw(TEXT) for h in header]
        if shape == 1:
            row = row[: draw(st.integers(0, len(row)))]
        elif shape == 2:
            row = [*row, draw(TEXT)]
        elif shape == 3:
            row = ["" for _ in row]
        elif shape == 4 and "missingValues" in descriptor:
            row = ["NA" for _ in row]
        rows.append(row)
    return descriptor, rows


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_socle_and_frictionless_find_the_same_errors(case: tuple[dict[str, Any], list[list[str]]]) -> None:
    descriptor, rows = case
    expected = frictionless_findings(rows, descriptor)
    found = socle_findings(rows, descriptor)
    assert found == expected, {"only_socle": found - expected, "only_frictionless": expected - found}
