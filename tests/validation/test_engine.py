"""The engine on small tables: what is reported, where, and what is not."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socle.errors import SchemaError
from socle.io import csv_reader, read_table
from socle.io.table import CELLS, ROW, Batch, SourceInfo, Table, column_name
from socle.limits import Limits
from socle.schemas.model import parse_table_schema
from socle.validation import engine
from socle.validation.engine import ValidationOptions, validate_table


def run(rows: list[list[str]], schema: dict[str, Any], **options: Any) -> list[tuple[Any, ...]]:
    report = validate_table(Table.from_rows(rows), parse_table_schema(schema), ValidationOptions(**options))
    return [(r["row"], r["field"], r["code"], r["detail"]) for r in report.findings.iter_rows(named=True)]


def test_a_type_error_hides_the_constraints_of_its_cell() -> None:
    schema = {"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": 5, "enum": [6, 7]}}]}
    assert run([["n"], ["abc"], ["3"], ["6"]], schema) == [
        (2, "n", "type-error", "integer"),
        (3, "n", "constraint-error", "minimum"),
        (3, "n", "constraint-error", "enum"),
    ]


def test_required_cells_and_missing_values() -> None:
    schema = {
        "missingValues": ["", "NA"],
        "fields": [{"name": "a", "constraints": {"required": True}}, {"name": "b"}],
    }
    assert run([["a", "b"], ["NA", "x"], ["", "y"], ["ok", "NA"]], schema) == [
        (2, "a", "constraint-error", "required"),
        (3, "a", "constraint-error", "required"),
    ]


def test_blank_rows_are_reported_alone() -> None:
    schema = {"fields": [{"name": "a", "constraints": {"required": True}}, {"name": "b", "type": "integer"}]}
    assert run([["a", "b"], ["", ""], ["x", "1"], [], ["", ""]], schema) == [
        (2, None, "blank-row", None),
        (4, None, "blank-row", None),
        (5, None, "blank-row", None),
    ]


def test_extra_and_missing_cells() -> None:
    schema = {"fields": [{"name": "a"}, {"name": "b", "constraints": {"required": True}}]}
    found = run([["a", "b"], ["1", "2", "3", "4"], ["1"]], schema)
    assert found == [
        (2, None, "extra-cell", None),
        (2, None, "extra-cell", None),
        (3, "b", "missing-cell", None),
        (3, "b", "constraint-error", "required"),
    ]


def test_unknown_columns_are_not_checked_and_unknown_checks_are_reported() -> None:
    schema = {
        "fields": [{"name": "a", "type": "integer"}],
        "custom_checks": [{"name": "no-such-check", "params": {}}],
    }
    report = validate_table(Table.from_rows([["a", "other"], ["1", "zz"]]), parse_table_schema(schema))
    assert [(r["code"], r["detail"]) for r in report.findings.iter_rows(named=True)] == [
        ("check-error", "unknown")
    ]
    assert [r["code"] for r in report.warnings.iter_rows(named=True)] == ["extra-header-warn"]
    assert not report.valid


def _two_batches(header: list[str], first: list[list[str]], second: list[list[str]]) -> Table:
    def batch(rows: list[list[str]], start: int) -> Batch:
        data: dict[str, Any] = {
            column_name(i): pl.Series([r[i] for r in rows], dtype=pl.String) for i in range(len(header))
        }
        data[ROW] = pl.Series(list(range(start, start + len(rows))), dtype=pl.Int64)
        data[CELLS] = pl.Series([len(r) for r in rows], dtype=pl.Int32)
        return Batch(pl.DataFrame(data))

    return Table(
        header=header,
        source=SourceInfo(path="t.csv", format="csv"),
        header_row=1,
        _batches=iter([batch(first, 2), batch(second, 2 + len(first))]),
    )


def test_unique_and_primary_key_span_batches_and_point_at_the_first_row() -> None:
    schema = parse_table_schema(
        {
            "fields": [{"name": "id", "constraints": {"unique": True}}, {"name": "k"}, {"name": "j"}],
            "primaryKey": ["k", "j"],
        }
    )
    table = _two_batches(
        ["id", "k", "j"], [["1", "a", "x"], ["2", "b", "x"]], [["1", "a", "x"], ["3", "", ""]]
    )
    report = validate_table(table, schema)
    found = [(r["row"], r["code"], r["detail"], r["message"]) for r in report.findings.iter_rows(named=True)]
    assert (4, "unique-error", None, "La valeur « 1 » de la colonne « id » apparaît déjà ligne 2.") in found
    assert any(row == 4 and code == "primary-key" and detail == "duplicate" for row, code, detail, _ in found)
    assert any(row == 5 and code == "primary-key" and detail == "empty" for row, code, detail, _ in found)
    assert report.rows == 4


def test_every_finding_is_kept_well_beyond_a_thousand() -> None:
    rows = [["n"], *[["x"] for _ in range(5000)]]
    found = run(rows, {"fields": [{"name": "n", "type": "integer"}]})
    assert len(found) == 5000
    assert found[-1][0] == 5001


def test_hostile_pattern_runs_in_linear_time_and_backreferences_fall_back() -> None:
    hostile = {"fields": [{"name": "s", "constraints": {"pattern": "(a+)+b"}}]}
    assert run([["s"], ["a" * 50_000 + "!"], ["aab"]], hostile) == [(2, "s", "constraint-error", "pattern")]
    backref = {"fields": [{"name": "s", "constraints": {"pattern": r"(\w)\1"}}]}
    assert run([["s"], ["aa"], ["ab"]], backref) == [(3, "s", "constraint-error", "pattern")]


def test_pattern_keeps_frictionless_anchoring_without_group() -> None:
    # frictionless compiles "^" + pattern + "$" without a group and matches from the start.
    schema = {"fields": [{"name": "s", "constraints": {"pattern": "a|b"}}]}
    assert run([["s"], ["a"], ["axx"], ["b"], ["xb"]], schema) == [(5, "s", "constraint-error", "pattern")]


def test_invalid_pattern_is_refused_with_the_schema() -> None:
    with pytest.raises(SchemaError, match="« s »"):
        parse_table_schema({"fields": [{"name": "s", "constraints": {"pattern": "(unclosed"}}]})


def test_pattern_python_accepts_but_rust_cannot_compile_still_works() -> None:
    # as in CEREMA schemas: an escaped non-ASCII dash
    schema = {"fields": [{"name": "s", "constraints": {"pattern": "a\\–b"}}]}
    assert run([["s"], ["a–b"], ["a-b"]], schema) == [(3, "s", "constraint-error", "pattern")]


def test_case_insensitive_header_option() -> None:
    schema = {"fields": [{"name": "A", "constraints": {"required": True}}]}
    assert run([["a"], ["1"]], schema)[0][2] == "missing-label"
    assert run([["a"], ["1"]], schema, ignore_header_case=True) == []


def test_exclusive_bounds_and_dates() -> None:
    schema = {
        "fields": [
            {"name": "n", "type": "number", "constraints": {"exclusiveMinimum": 0, "exclusiveMaximum": 1}},
            {"name": "d", "type": "date", "constraints": {"minimum": "2020-01-01"}},
        ]
    }
    assert run([["n", "d"], ["0", "2019-12-31"], ["0.5", "2020-01-01"], ["1", "2021-06-30"]], schema) == [
        (2, "n", "constraint-error", "exclusiveMinimum"),
        (2, "d", "constraint-error", "minimum"),
        (4, "n", "constraint-error", "exclusiveMaximum"),
    ]


def test_prefetching_keeps_no_batch_already_checked() -> None:
    # The reader works one batch ahead; a batch the engine has moved past must be freed (holding on
    # to the first one kept about 50 MB alive for the whole of a million-row file).
    import gc
    import weakref

    from socle.validation.engine import _prefetched

    class Item:
        pass

    made: list[weakref.ref[Item]] = []

    def items() -> Iterator[Item]:
        for _ in range(4):
            item = Item()
            made.append(weakref.ref(item))
            yield item
            del item

    ahead = _prefetched(items())  # type: ignore[arg-type]
    first = next(ahead)
    del first
    second = next(ahead)
    gc.collect()
    assert made[0]() is None
    assert second is made[1]()
    assert len(list(ahead)) == 2


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.sampled_from(
        [
            r"^\d{14}$",
            r"\d{14}",
            r"^W\d{9}$",
            r"a|b$",
            r"[$]x$",
            r"[]$]+",
            r"a\$",
            r"(ab)$$",
            r"[^]$]*$",
            r"x?",
        ]
    ),
    cells=st.lists(
        st.one_of(
            st.text(alphabet="abWx0123456789$]\n ", max_size=16),
            st.sampled_from(["12345678901234\n", "W123456789\n", "ab\n", "b\n", "a\n", "$x\n", "]]\n", "\n"]),
        ),
        min_size=1,
        max_size=20,
    ),
)
def test_patterns_match_as_python_re_match_does(pattern: str, cells: list[str]) -> None:
    # frictionless judges ``re.match(f"^{pattern}$", cell)``: Python's "$" also matches before a final
    # line feed (a quoted cell ending with a line break is valid for ``^\d{14}$``).
    import re

    from socle.validation.regex import CompiledPattern

    compiled = CompiledPattern.compile(pattern)
    assert compiled.rust is not None
    found = compiled.matches(pl.Series(cells, dtype=pl.String)).to_list()
    assert found == [re.match(f"^{pattern}$", cell) is not None for cell in cells]


def test_unique_values_kept_to_the_end_do_not_keep_their_slices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The C scanner's columns point into a copy of their slice. The ``unique`` and ``primaryKey``
    # values are kept until the last batch: kept as such, they would keep every slice of the file, and
    # memory would grow with it. They are copied out; the slices held stay few, however long the file.
    if csv_reader._scanner is None:
        pytest.skip("sans le scanner C, polars copie les cellules lui-même")
    monkeypatch.setattr(engine, "ENGINE_BATCH_ROWS", 2_000)
    path = tmp_path / "long.csv"
    lines = ["id,code,note"] + [f"identifiant-{i:08d},code-{i:010d},{'x' * 40}" for i in range(40_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # about 2.8 MB: 90 slices of 32 KB
    schema = parse_table_schema(
        {
            "fields": [
                {"name": "id", "type": "string", "constraints": {"unique": True}},
                {"name": "code", "type": "string"},
                {"name": "note", "type": "string"},
            ],
            "primaryKey": ["id", "code"],
        }
    )
    native = csv_reader._scanner
    gc.collect()
    before = native.texts()  # other tests' frames may still be alive
    held: list[int] = []
    table = read_table(path, limits=Limits(batch_bytes=32 * 1024))
    report = validate_table(table, schema, progress=lambda rows: held.append(native.texts() - before))
    assert report.rows == 40_000 and report.findings.height == 0
    assert len(held) == 20 and max(held) <= 20, held  # without the copy: 96, growing with the file
    del table
    gc.collect()
    assert native.texts() == before  # and nothing is kept once the report is made


def test_fields_checked_side_by_side_or_one_after_the_other_give_the_same_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Small batches are checked in the calling thread, large ones on the shared threads: same verdicts.
    schema = {
        "fields": [
            {"name": "id", "type": "string", "constraints": {"unique": True, "pattern": "^[a-z]+$"}},
            {"name": "n", "type": "integer", "constraints": {"minimum": 2}},
            {"name": "d", "type": "date"},
        ]
    }
    rows = [["id", "n", "d"]] + [
        [f"a{i % 3}", str(i % 5), "2026-02-30" if i % 4 else "2026-02-03"] for i in range(40)
    ]
    serial = run(rows, schema)
    monkeypatch.setattr(engine, "PARALLEL_MIN_ROWS", 0)
    assert run(rows, schema) == serial and len(serial) > 40
