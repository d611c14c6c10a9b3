"""french-siret-value / siret and french-siren-value / siren."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from socle.schemas.model import parse_table_schema
from socle.validation.custom_checks._identifiers import siren_ok, siret_ok
from socle.validation.custom_checks.base import CheckParamsError

from .conftest import instantiate, outcomes, run, run_checks, schema_of

# Verdicts of Validata 0.12.5 (python-stdnum 1.20), checked by running it on these cells.
VALIDATA_SIRET = {
    "21060004500392": True,
    "2106000450039": False,  # 13 digits
    "21060004500393": False,  # Luhn key
    "210 600 045 00392": True,  # spaces are separators for python-stdnum
    "210.600.045.00392": True,
    "210\u00a0600\u00a0045\u00a000392": True,  # non-breaking spaces too
    "２１０６０００４５００３９２": True,  # fullwidth digits read as digits
    " 21060004500392\t": True,  # trimmed
    "21060004500392 ": True,
    "210-600-045-00392": False,  # hyphens are not separators
    "35600000000048": True,  # La Poste, head office: Luhn
    "35600000000001": True,  # La Poste establishment: digit sum multiple of 5
    "35600000012345": False,
    "35600000000055": False,
    "35600000000049": False,
    "00000000000000": True,
    "210600045003920": False,
    "2106000450039a": False,
    "12345678200010": True,
    "10000000000008": False,  # Luhn holds over the 14 digits but not over the SIREN in front
}
VALIDATA_SIREN = {
    "210600045": True,
    "210600046": False,
    "210 600 045": True,
    "000000000": True,
    "21060004": False,
    "356000000": True,
    "2106000450": False,
}


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _reference_siret(digits: str) -> bool:
    """SIRET rules written plainly, for ASCII digit strings."""
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        return False
    if digits.startswith("356000000") and digits != "35600000000048":
        key_ok = sum(map(int, digits)) % 5 == 0
    else:
        key_ok = _luhn(digits)
    return key_ok and _luhn(digits[:9])


def test_reference_matches_validata_table() -> None:
    # Guards the table above: the plain rules agree with Validata's verdicts on ASCII-digit cells.
    for value, valid in VALIDATA_SIRET.items():
        if value.isascii() and value.isdigit():
            assert _reference_siret(value) == valid, value


def test_siret_verdicts_are_validatas() -> None:
    cells = list(VALIDATA_SIRET)
    found = run(
        "french-siret-value", {"column": "siret"}, ["id", "siret"], ["id", "siret"], [["x", c] for c in cells]
    )
    expected = [
        ("french-siret-value", None, row, "siret", 2, cell)
        for row, cell in enumerate(cells, start=2)
        if not VALIDATA_SIRET[cell]
    ]
    assert found == sorted(expected)


def test_siren_verdicts_are_validatas() -> None:
    cells = list(VALIDATA_SIREN)
    found = run("french-siren-value", {"column": "siren"}, ["siren"], ["siren"], [[c] for c in cells])
    expected = [
        ("french-siren-value", None, row, "siren", 1, cell)
        for row, cell in enumerate(cells, start=2)
        if not VALIDATA_SIREN[cell]
    ]
    assert found == sorted(expected)


@pytest.mark.parametrize(("old", "new"), [("french-siret-value", "siret"), ("french-siren-value", "siren")])
def test_newer_validata_names_are_the_same_check(old: str, new: str) -> None:
    rows = [["21060004500393"], ["210600046"], ["21060004500392"], ["210600045"]]
    assert run(new, {"column": "n"}, ["n"], ["n"], rows) == run(old, {"column": "n"}, ["n"], ["n"], rows)
    assert run(old, {"column": "n"}, ["n"], ["n"], rows)  # the rows do fail


def test_empty_cells_missing_values_and_absent_column_are_skipped() -> None:
    schema = parse_table_schema(
        {
            "missingValues": ["", "NA"],
            "fields": [{"name": "siret"}, {"name": "other"}],
            "custom_checks": [{"name": "french-siret-value", "params": {"column": "siret"}}],
        }
    )
    schema_rows = [["", "a"], ["NA", "b"], ["21060004500393", "c"]]
    assert outcomes(run_checks(schema, ["siret", "other"], schema_rows)) == [
        ("french-siret-value", None, 4, "siret", 1, "21060004500393")
    ]
    assert outcomes(run_checks(schema, ["other"], [["a"], ["b"]])) == []


def test_params_are_checked() -> None:
    schema = schema_of(["siret"])
    with pytest.raises(CheckParamsError, match="column"):
        instantiate("french-siret-value", {}, schema)
    with pytest.raises(CheckParamsError, match="absente du schéma"):
        instantiate("french-siret-value", {"column": "nope"}, schema)
    with pytest.raises(CheckParamsError):
        instantiate("siren", {"column": ["siret"]}, schema)


def _vector(verdicts: Callable[[pl.Series], pl.Series], values: list[str]) -> list[bool]:
    return verdicts(pl.Series(values, dtype=pl.String)).to_list()


@given(st.lists(st.text(alphabet="0123456789", min_size=14, max_size=14), min_size=1, max_size=50))
def test_siret_vectorised_equals_the_plain_rules(values: list[str]) -> None:
    assert _vector(siret_ok, values) == [_reference_siret(v) for v in values]


@given(st.lists(st.text(alphabet="0123456789", min_size=5, max_size=5), min_size=1, max_size=50))
def test_la_poste_establishments(suffixes: list[str]) -> None:
    values = ["356000000" + s for s in suffixes]
    assert _vector(siret_ok, values) == [_reference_siret(v) for v in values]


@given(st.lists(st.text(alphabet="0123456789", min_size=8, max_size=10), min_size=1, max_size=50))
def test_siren_vectorised_equals_the_plain_rules(values: list[str]) -> None:
    assert _vector(siren_ok, values) == [len(v) == 9 and _luhn(v) for v in values]
