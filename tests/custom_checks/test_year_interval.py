"""year-interval-value."""

from __future__ import annotations

import pytest

from socle.validation.custom_checks.base import CheckParamsError

from .conftest import instantiate, make_context, run, schema_of

CELLS = ["2017", "2017/2017", "2018/2017", "2017/2018\n", "٢٠١٧/٢٠١٨", "2017/18", " 2017", "2017/2018", "abc"]


def _failing(params: dict[str, object]) -> list[tuple[int | None, str | None]]:
    return [(f[2], f[5]) for f in run("year-interval-value", params, ["Y"], ["Y"], [[c] for c in CELLS])]


def test_with_year_only_allowed() -> None:
    # Validata 0.12.5: a year alone passes; Arabic-Indic digits are digits; a final line break is tolerated.
    assert _failing({"column": "Y", "allow-year-only": "yes"}) == [
        (3, "2017/2017"),
        (4, "2018/2017"),
        (7, "2017/18"),
        (8, " 2017"),
        (10, "abc"),
    ]


def test_without_year_only() -> None:
    assert _failing({"column": "Y"}) == [
        (2, "2017"),
        (3, "2017/2017"),
        (4, "2018/2017"),
        (7, "2017/18"),
        (8, " 2017"),
        (10, "abc"),
    ]
    assert _failing({"column": "Y", "allow-year-only": "no"}) == _failing({"column": "Y"})
    assert _failing({"column": "Y", "allow-year-only": True}) == _failing(
        {"column": "Y", "allow-year-only": "true"}
    )


def test_reasons() -> None:
    schema = schema_of(["Y"])
    check = instantiate("year-interval-value", {"column": "Y", "allow-year-only": "yes"}, schema)
    found = check.check(make_context(schema, ["Y"], [["2017/2017"], ["2018/2017"], ["x"], ["٢٠١٨/٢٠١٧"]]))
    messages = found.sort("row").get_column("message").to_list()
    assert "différentes" in messages[0]
    # the right way round (Validata's message swaps the two years)
    assert "la seconde année (2017) doit être postérieure à la première (2018)" in messages[1]
    assert "une année AAAA ou un intervalle AAAA/AAAA" in messages[2]
    assert "postérieure" in messages[3]


def test_empty_cells_and_absent_column_are_skipped() -> None:
    assert run("year-interval-value", {"column": "Y"}, ["Y", "Z"], ["Y", "Z"], [["", "x"]]) == []
    assert run("year-interval-value", {"column": "Y"}, ["Y", "Z"], ["Z"], [["x"]]) == []


@pytest.mark.parametrize("params", [{}, {"column": "Y", "allow-year-only": 1}, {"column": "nope"}])
def test_params_are_checked(params: dict[str, object]) -> None:
    with pytest.raises(CheckParamsError):
        instantiate("year-interval-value", params, schema_of(["Y"]))
