"""``booleen-francais``."""

from __future__ import annotations

from .fixes_support import changed, flagged, schema_of

OUI_NON = {"name": "b", "type": "boolean", "trueValues": ["oui"], "falseValues": ["non"]}
DEFAULT = {"name": "b", "type": "boolean"}


def test_french_words_become_the_schema_values() -> None:
    cells = ["Oui", "NON", " o ", "N", "vrai", "Faux", "VRAI", "true", "0", "yes", "no"]
    expected = ["oui", "non", "oui", "non", "oui", "non", "oui", "oui", "non", "oui", "non"]
    assert changed("booleen-francais", OUI_NON, cells) == expected


def test_default_values_take_the_same_spelling_or_the_first() -> None:
    assert changed("booleen-francais", DEFAULT, ["oui", "non", "Vrai", "faux", "TRUE "]) == [
        "true",
        "false",
        "true",
        "false",
        "true",
    ]
    field = {"name": "b", "type": "boolean", "trueValues": ["Oui", "O"], "falseValues": ["Non", "N"]}
    assert changed("booleen-francais", field, ["oui", "o", "n", "vrai"]) == ["Oui", "O", "N", "Oui"]


def test_valid_values_and_other_words_stay() -> None:
    assert changed("booleen-francais", OUI_NON, ["oui", "non", "peut-être", "", "2"]) == [
        "oui",
        "non",
        "peut-être",
        "",
        "2",
    ]


def test_a_word_the_schema_gives_the_other_meaning_is_left_alone() -> None:
    # This schema writes false as "oui": "OUI" may mean either, "Vrai" and "Non" cannot.
    field = {"name": "b", "type": "boolean", "trueValues": ["1"], "falseValues": ["oui"]}
    assert changed("booleen-francais", field, ["OUI", "Vrai", "Non"]) == ["OUI", "1", "oui"]


def test_a_checkbox_column() -> None:
    assert changed("booleen-francais", OUI_NON, ["x", "", "X", None]) == ["oui", "", "oui", None]


def test_a_required_checkbox_column_fills_the_empty_cells() -> None:
    field = {**OUI_NON, "constraints": {"required": True}}
    assert changed("booleen-francais", field, ["x", "", "X", None]) == ["oui", "non", "oui", "non"]


def test_an_x_elsewhere_is_flagged() -> None:
    assert flagged("booleen-francais", OUI_NON, ["x", "oui", ""]) == [True, False, False]


def test_an_x_the_schema_allows_is_valid() -> None:
    field = {"name": "b", "type": "boolean", "trueValues": ["x"], "falseValues": ["-"]}
    assert changed("booleen-francais", field, ["x", "X", "oui", "non"]) == ["x", "x", "x", "-"]


def test_applies_to_boolean_fields_only() -> None:
    from socle.importing.fixes import load_registry

    rule = load_registry()["booleen-francais"]()
    schema = schema_of({"name": "s"}, OUI_NON)
    assert [rule.applies_to(f, schema) for f in schema.fields] == [False, True]
