"""The fix framework: registry, selection of rules, the log, revert, counts, shared guarantees."""

from __future__ import annotations

import re
from typing import ClassVar

import polars as pl
import pytest

from socle.importing.fixes import (
    COUNT_SCHEMA,
    FIX_SCHEMA,
    FLAG_SCHEMA,
    FixContext,
    FixOutcome,
    FixRule,
    Goal,
    apply_fixes,
    count_by_rule,
    default_rules,
    load_registry,
    revert_fixes,
    run_rule,
    select_rules,
)
from socle.schemas.model import Field, TableSchema

from .fixes_support import frame_of, schema_of

EXPECTED_CODES = {
    "espaces",
    "date-francaise",
    "date-excel",
    "nombre-francais",
    "booleen-francais",
    "enum-casse-accents",
    "intervalle-dates",
    "siret-compact",
    "code-insee",
}

SCHEMA = schema_of(
    {"name": "date", "type": "date"},
    {"name": "montant", "type": "number", "constraints": {"required": True}},
    {"name": "ue", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]},
    {"name": "nature", "constraints": {"enum": ["aide en numéraire", "aide en nature"]}},
    {"name": "objet"},
)


def test_registry_has_every_rule_with_french_texts() -> None:
    registry = load_registry()
    assert set(registry) == EXPECTED_CODES
    for code, cls in registry.items():
        assert cls.code == code
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", code), code
        assert cls.label and cls.label[0].isupper(), code
        assert cls.description.endswith("."), code
        assert len(cls.description) > 60, code
        assert cls.__doc__ is None or cls.__module__.startswith("socle.importing.fixes.")
    assert len({r.label for r in default_rules()}) == len(registry)


def test_rules_run_spaces_first_and_excel_days_last() -> None:
    codes = [r.code for r in default_rules()]
    assert codes[0] == "espaces" and codes[-1] == "date-excel"


def test_select_rules_accepts_and_refuses_codes() -> None:
    assert [r.code for r in select_rules(accept={"date-excel", "espaces"})] == ["espaces", "date-excel"]
    assert "espaces" not in [r.code for r in select_rules(refuse={"espaces"})]
    with pytest.raises(ValueError, match="Règle de correction inconnue : insee-zeros"):
        select_rules(refuse={"insee-zeros"})


def frame() -> pl.DataFrame:
    return frame_of(
        {
            "date": ["08/09/2017", "2017-09-08", " 2017-09-08", "03/04/2021"],
            "montant": ["26 956,00", "12.5", "8,03E+13", "1 000 €"],
            "ue": ["Oui", "non", "NON", ""],
            "nature": ["Aide en Numéraire", "aide en nature", "inconnue", None],
            "objet": [" libre ", "", "x", "y"],
        }
    )


def test_apply_fixes_changes_logs_and_flags() -> None:
    original = frame()
    result = apply_fixes(original, SCHEMA)
    fixed = result.frame
    assert fixed.columns == original.columns and fixed.schema == original.schema
    assert fixed.get_column("date").to_list() == ["2017-09-08", "2017-09-08", "2017-09-08", "2021-04-03"]
    assert fixed.get_column("montant").to_list() == ["26956.00", "12.5", "8,03E+13", "1000"]
    assert fixed.get_column("ue").to_list() == ["oui", "non", "non", ""]
    assert fixed.get_column("nature").to_list() == ["aide en numéraire", "aide en nature", "inconnue", None]
    assert fixed.get_column("objet").to_list() == [" libre ", "", "x", "y"]
    assert fixed.get_column("__row__").to_list() == [2, 3, 4, 5]

    assert result.fixes.schema == pl.Schema(FIX_SCHEMA)
    assert result.flags.schema == pl.Schema(FLAG_SCHEMA)
    logged = {(r["row"], r["field"]): (r["before"], r["after"], r["rule"]) for r in result.fixes.to_dicts()}
    assert logged[(2, "montant")] == ("26 956,00", "26956.00", "nombre-francais")
    assert logged[(4, "date")] == (" 2017-09-08", "2017-09-08", "espaces")
    assert logged[(2, "nature")] == ("Aide en Numéraire", "aide en numéraire", "enum-casse-accents")
    assert len(logged) == result.fixes.height == 8
    assert result.flags.select("rule", "row", "field", "value").rows() == [
        ("nombre-francais", 4, "montant", "8,03E+13")
    ]
    assert "notation scientifique" in result.flags.get_column("reason")[0]


def test_revert_gives_the_original_frame_back() -> None:
    original = frame()
    result = apply_fixes(original, SCHEMA)
    assert revert_fixes(result.frame, result.fixes).equals(original)
    assert revert_fixes(original, result.fixes.clear()).equals(original)


def test_revert_goes_back_through_several_changes_of_one_cell() -> None:
    class Cap(FixRule):
        """Runs after the number rule and changes what it left refused by the maximum."""

        code = "test-plafond"
        label = "Test"
        description = "Test."
        order = 60

        def applies_to(self, field: Field, schema: TableSchema) -> bool:
            return field.type == "number"

        def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
            return FixOutcome.of(pl.repeat("100", values.len(), dtype=pl.String, eager=True))

    schema = schema_of({"name": "n", "type": "number", "constraints": {"maximum": 100}})
    original = frame_of({"n": ["150,5", "2,5", "99"]})
    result = apply_fixes(original, schema, rules=[*default_rules(), Cap()])
    assert result.frame.get_column("n").to_list() == ["100", "2.5", "99"]
    assert result.fixes.select("rule", "row", "before", "after").rows() == [
        ("nombre-francais", 2, "150,5", "150.5"),
        ("nombre-francais", 3, "2,5", "2.5"),
        ("test-plafond", 2, "150.5", "100"),
    ]
    assert revert_fixes(result.frame, result.fixes).equals(original)
    # Revert follows the steps, not the order of the log's rows; null "before" values come back.
    fixes = pl.DataFrame(
        {
            "step": [2, 1],
            "rule": ["b", "a"],
            "row": [2, 2],
            "field": ["n", "n"],
            "before": ["x", None],
            "after": ["y", "x"],
        },
        schema=FIX_SCHEMA,
    )
    reverted = revert_fixes(frame_of({"n": ["y", "z"]}), fixes)
    assert reverted.get_column("n").to_list() == [None, "z"]


def test_counts_per_rule() -> None:
    result = apply_fixes(frame(), SCHEMA)
    counts = result.counts()
    assert counts.schema == pl.Schema(COUNT_SCHEMA)
    by_rule = {r["rule"]: (r["fixes"], r["flags"]) for r in counts.to_dicts()}
    assert by_rule["nombre-francais"] == (2, 1)
    assert by_rule["date-francaise"] == (2, 0)
    assert by_rule["siret-compact"] == (0, 0)
    assert set(by_rule) == EXPECTED_CODES
    assert count_by_rule(result.fixes, result.flags).equals(counts)


def test_accept_and_refuse() -> None:
    only_dates = apply_fixes(frame(), SCHEMA, accept={"date-francaise"})
    assert set(only_dates.fixes.get_column("rule")) == {"date-francaise"}
    assert only_dates.frame.get_column("montant").equals(frame().get_column("montant"))
    no_numbers = apply_fixes(frame(), SCHEMA, refuse={"nombre-francais"})
    assert "nombre-francais" not in set(no_numbers.fixes.get_column("rule"))
    assert not no_numbers.flags.height
    assert [r["rule"] for r in no_numbers.counts().to_dicts()] == [
        r.code for r in default_rules() if r.code != "nombre-francais"
    ]


def test_a_flagged_cell_is_left_to_no_later_rule() -> None:
    class Flagger(FixRule):
        code = "test-signale"
        label = "Test"
        description = "Test."
        order = 5

        def applies_to(self, field: Field, schema: TableSchema) -> bool:
            return True

        def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
            return FixOutcome.of(values, pl.Series(["à vérifier", None], dtype=pl.String))

    schema = schema_of({"name": "d", "type": "date"})
    result = apply_fixes(
        frame_of({"d": ["08/09/2017", "09/09/2017"]}), schema, rules=[*default_rules(), Flagger()]
    )
    assert result.frame.get_column("d").to_list() == ["08/09/2017", "2017-09-09"]
    assert result.flags.select("rule", "row", "value", "reason").rows() == [
        ("test-signale", 2, "08/09/2017", "à vérifier")
    ]


def test_shared_guarantees_hold_whatever_a_rule_proposes() -> None:
    class Wild(FixRule):
        code = "test-sauvage"
        label = "Test"
        description = "Test."
        goal = Goal.FIELD

        def applies_to(self, field: Field, schema: TableSchema) -> bool:
            return True

        def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
            # Proposes to change every cell, to empty one and to flag valid ones.
            proposed = pl.Series(["aide en nature", "", "n'importe quoi", "aide en nature"], dtype=pl.String)
            return FixOutcome.of(proposed, pl.Series([None, None, None, "non"], dtype=pl.String))

    schema = schema_of({"name": "e", "constraints": {"enum": ["aide en nature", "x"], "required": True}})
    cells = pl.Series(["x", "mauvais", "mauvais", "aide en nature"], dtype=pl.String)
    run = run_rule(Wild(), cells, schema.fields[0], schema)
    # valid "x" untouched; "" would empty a required cell; the third stays refused; the valid last one
    # is neither changed nor flagged.
    assert run.values.to_list() == ["x", "mauvais", "mauvais", "aide en nature"]
    assert run.changed.to_list() == [False] * 4
    assert run.flagged.to_list() == [False] * 4


def test_missing_values_of_the_schema_are_empty_cells() -> None:
    schema = schema_of({"name": "n", "type": "number"}, missing_values=["", "NA"])
    result = apply_fixes(frame_of({"n": ["NA", "1 000", ""]}), schema)
    assert result.frame.get_column("n").to_list() == ["NA", "1000", ""]


def test_blank_rows_are_left_blank() -> None:
    schema = schema_of(
        {"name": "coche", "type": "boolean", "constraints": {"required": True}},
        {"name": "objet"},
    )
    result = apply_fixes(frame_of({"coche": ["x", "", ""], "objet": ["a", "b", ""]}), schema)
    assert result.frame.get_column("coche").to_list() == ["true", "false", ""]


def test_other_columns_are_left_alone() -> None:
    original = frame().with_columns(
        pl.lit("26 956,00").alias("autre"), pl.lit(3, pl.Int32).alias("__cells__")
    )
    result = apply_fixes(original, SCHEMA)
    assert result.frame.get_column("autre").equals(original.get_column("autre"))
    assert result.frame.columns == original.columns


def test_frame_requirements() -> None:
    with pytest.raises(ValueError, match="__row__"):
        apply_fixes(pl.DataFrame({"date": ["x"]}), SCHEMA)
    with pytest.raises(ValueError, match="unique"):
        apply_fixes(pl.DataFrame({"date": ["x", "y"], "__row__": [2, 2]}), SCHEMA)
    with pytest.raises(ValueError, match="String"):
        apply_fixes(pl.DataFrame({"montant": [1.5], "__row__": [2]}), SCHEMA)


def test_an_extra_rule_can_be_handed_over() -> None:
    class Padding(FixRule):
        """A stand-in for a rule built with a referential at run time."""

        code = "test-zeros"
        label = "Test"
        description = "Test."
        refs: ClassVar[dict[str, str]] = {"1001": "01001"}

        def applies_to(self, field: Field, schema: TableSchema) -> bool:
            return field.name == "code"

        def fix(self, values: pl.Series, ctx: FixContext) -> FixOutcome:
            return FixOutcome.of(values.replace(self.refs))

    schema = schema_of({"name": "code", "constraints": {"pattern": "^[0-9]{5}$"}})
    result = apply_fixes(frame_of({"code": ["1001", "75056"]}), schema, rules=[*default_rules(), Padding()])
    assert result.frame.get_column("code").to_list() == ["01001", "75056"]
    assert result.fixes.get_column("rule").to_list() == ["test-zeros"]
