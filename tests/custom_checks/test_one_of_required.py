"""one-of-required, including the Validata fixtures listed in shared/corpus/SOURCES.md."""

from __future__ import annotations

import csv

import pytest

from socle.validation.custom_checks.base import CheckParamsError

from .conftest import CORPUS, Outcome, instantiate, load_schema, outcomes, run, run_checks, schema_of

FIELDS = [{"name": "A", "type": "integer"}, {"name": "B", "type": "integer"}, "C"]


def test_both_columns_present_the_finding_is_on_the_row() -> None:
    # Validata 0.12.5: a row error (no field) on rows 2 and 3... and also on row 4 (A = "x", a type
    # error, is None for it) and row 3 (B = "0" is falsy for it). Socle judges the text: "0" and "x"
    # are values, so only row 2 fails.
    rows = [["", "x", ""], ["0", "y", ""], ["", "z", "x"], ["1", "", ""]]
    assert run("one-of-required", {"column1": "A", "column2": "B"}, FIELDS, ["B", "C", "A"], rows) == [
        ("one-of-required", None, 2, None, None, None)
    ]


def test_column_form_puts_the_finding_on_column() -> None:
    # Validata refuses the "column" form (check-error); Socle accepts it, and reports on "column"'s cell
    # as for every check with a "column" parameter.
    rows = [["", "x", ""], ["1", "", ""]]
    assert run("one-of-required", {"column": "A", "column2": "B"}, FIELDS, ["B", "C", "A"], rows) == [
        ("one-of-required", None, 2, "A", 3, None)
    ]


def test_one_absent_column_counts_as_empty() -> None:
    rows = [[""], ["1"]]
    assert run("one-of-required", {"column1": "A", "column2": "B"}, FIELDS, ["B"], rows) == [
        ("one-of-required", None, 2, "B", 1, None)
    ]
    assert run("one-of-required", {"column1": "A", "column2": "B"}, FIELDS, ["C", "A"], [["x", ""]]) == [
        ("one-of-required", None, 2, "A", 2, None)
    ]


def test_both_columns_absent_is_said_once() -> None:
    # Validata: one error, on row 1, whatever the number of rows (none for a file without rows).
    assert run("one-of-required", {"column1": "A", "column2": "B"}, FIELDS, ["C"], [["x"], ["y"], ["z"]]) == [
        ("one-of-required", "absent-columns", None, None, None, None)
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"column1": "A"},
        {"column2": "B"},
        {"column": "A", "column1": "C", "column2": "B"},
        {"column1": "A", "column2": "Z"},
        {"column1": 3, "column2": "B"},
    ],
)
def test_params_are_checked(params: dict[str, object]) -> None:
    with pytest.raises(CheckParamsError):
        instantiate("one-of-required", params, schema_of(FIELDS))


FIXTURES = CORPUS / "validata-fixtures" / "subventions_one_of_required"
SIRET = "french-siret-value"
ONE_OF = "one-of-required"

# The custom-check outcomes of these files (scdl/subventions), as Validata 0.12.5 reports them (checked
# by running it), the file being invalid ("INVALID per Validata" in SOURCES.md) exactly when one is listed.
# constraint_error* fail on a pattern only, which is not a custom check. one_of_required2: Validata
# names the absent idBeneficiaire with the column number (6) of rnaBeneficiaire; Socle names
# rnaBeneficiaire, the column that is there.
EXPECTED: dict[str, list[Outcome]] = {
    "exemple_invalide_subventions_constraint_error1.csv": [],
    "exemple_invalide_subventions_constraint_error2.csv": [],
    "exemple_invalide_subventions_french_siret_error1.csv": [
        (SIRET, None, 2, "idBeneficiaire", 6, "52499120500")
    ],
    "exemple_invalide_subventions_french_siret_error2.csv": [
        (SIRET, None, 2, "idBeneficiaire", 6, "52499120500")
    ],
    "exemple_invalide_subventions_one_of_required1.csv": [(ONE_OF, None, 2, None, None, None)],
    "exemple_invalide_subventions_one_of_required2.csv": [(ONE_OF, None, 2, "rnaBeneficiaire", 6, None)],
    "exemple_invalide_subventions_one_of_required3.csv": [(ONE_OF, None, 2, "idBeneficiaire", 6, None)],
    "exemple_invalide_subventions_one_of_required4.csv": [(ONE_OF, "absent-columns", None, None, None, None)],
    "exemple_valide_subventions1.csv": [],
    "exemple_valide_subventions2.csv": [],
    "exemple_valide_subventions3.csv": [],
}


def test_every_fixture_is_covered() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validata_subventions_fixtures(name: str) -> None:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    schema = load_schema("scdl/subventions/schema.json")
    assert {c.name for c in schema.custom_checks} == {SIRET, ONE_OF}
    assert outcomes(run_checks(schema, header, rows)) == EXPECTED[name]
