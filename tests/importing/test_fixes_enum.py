"""``enum-casse-accents``."""

from __future__ import annotations

from .fixes_support import changed, flagged, run, schema_of

NATURE = {
    "name": "nature",
    "constraints": {
        "enum": ["aide en numéraire", "aide en nature", "aide en numéraire;aide en nature"],
    },
}


def test_case_accents_and_spaces_are_ignored() -> None:
    cells = ["Aide en Numéraire", " aide en numeraire ", "AIDE  EN NUMÉRAIRE", "aide\u00a0en numéraire"]
    assert changed("enum-casse-accents", NATURE, cells) == ["aide en numéraire"] * len(cells)


def test_lists_with_spaces_around_the_separator() -> None:
    assert changed("enum-casse-accents", NATURE, ["Aide en numéraire ; Aide en nature"]) == [
        "aide en numéraire;aide en nature"
    ]


def test_typographic_apostrophes() -> None:
    field = {"name": "e", "constraints": {"enum": ["aide à l'investissement"]}}
    assert changed("enum-casse-accents", field, ["Aide à l’investissement"]) == ["aide à l'investissement"]


def test_the_example_of_the_issue() -> None:
    field = {"name": "e", "constraints": {"enum": ["numéraire", "nature"]}}
    assert changed("enum-casse-accents", field, ["Numéraire", "NATURE", "Numeraire"]) == [
        "numéraire",
        "nature",
        "numéraire",
    ]


def test_values_matching_nothing_stay() -> None:
    assert changed("enum-casse-accents", NATURE, ["Numéraire", "aide", ""]) == ["Numéraire", "aide", ""]


def test_valid_values_are_never_changed() -> None:
    field = {"name": "e", "constraints": {"enum": ["Nature", "nature"]}}
    assert changed("enum-casse-accents", field, ["Nature", "nature"]) == ["Nature", "nature"]


def test_several_matching_values_flag_the_cell() -> None:
    field = {"name": "e", "constraints": {"enum": ["Nature", "nature", "numéraire"]}}
    out = run("enum-casse-accents", field, ["NATURE", "NUMERAIRE"])
    assert out[0][0] == "NATURE" and out[0][1] is not None and "« Nature », « nature »" in out[0][1]
    assert out[1] == ("numéraire", None)


def test_applies_to_string_enums_only() -> None:
    from socle.importing.fixes import load_registry

    rule = load_registry()["enum-casse-accents"]()
    schema = schema_of(
        NATURE, {"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}}, {"name": "s"}
    )
    assert [rule.applies_to(f, schema) for f in schema.fields] == [True, False, False]


def test_flags_are_only_for_refused_cells() -> None:
    field = {"name": "e", "constraints": {"enum": ["A", "a"]}}
    assert flagged("enum-casse-accents", field, ["A", "a", "á"]) == [False, False, True]
