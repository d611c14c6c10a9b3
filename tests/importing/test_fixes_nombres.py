"""``nombre-francais``: the output keeps the digits as written, with the field's decimal character."""

from __future__ import annotations

import pytest

from .fixes_support import changed, flagged, run

NUMBER = {"name": "n", "type": "number"}
INTEGER = {"name": "i", "type": "integer"}
COMMA_NUMBER = {"name": "n", "type": "number", "decimalChar": ","}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("26 956,00", "26956.00"),
        ("26\u00a0956,00", "26956.00"),
        ("26\u202f956,00", "26956.00"),
        ("1 234 567,5", "1234567.5"),
        ("1 234", "1234"),
        ("12,5", "12.5"),
        ("0,75", "0.75"),
        (",5", ".5"),
        ("1.234.567", "1234567"),
        ("1.234,56", "1234.56"),
        ("1,234,567", "1234567"),
        ("1,234.56", "1234.56"),
        ("-1 200", "-1200"),
        ("\u2212 3,5", "-3.5"),
        ("+12,5", "+12.5"),
        ("26 956,00 €", "26956.00"),
        ("26\u00a0956,00\u00a0€", "26956.00"),
        ("€ 12", "12"),
        ("12€", "12"),
        ("12 EUR", "12"),
        ("12,50 euros", "12.50"),
        ("12 Euro", "12"),
        ("1,234", "1.234"),  # the French reading, when nothing in the column says otherwise
    ],
)
def test_french_numbers(cell: str, expected: str) -> None:
    assert changed("nombre-francais", NUMBER, [cell]) == [expected]


def test_valid_numbers_are_never_changed() -> None:
    cells = ["12.5", "1.234", "1e3", "-0", " 12 ", "26956.00", ""]
    assert changed("nombre-francais", NUMBER, cells) == cells


def test_what_is_not_a_number_stays() -> None:
    cells = ["abc", "50 %", "12 k€", "06 12 34 56 78", "0 123", "1,2,3", "12 34", "12,", "€"]
    assert changed("nombre-francais", NUMBER, cells) == cells


def test_the_field_decimal_and_group_characters_are_respected() -> None:
    assert changed("nombre-francais", COMMA_NUMBER, ["26 956,00", "12.5", "1.234,5", "1,234.5"]) == [
        "26956,00",
        "12,5",
        "1234,5",
        "1234,5",
    ]
    # With a group character, "26.956,00" is valid as it is.
    field = {"name": "n", "type": "number", "decimalChar": ",", "groupChar": "."}
    assert changed("nombre-francais", field, ["26.956,00", "26 956,00"]) == ["26.956,00", "26956,00"]


def test_a_point_with_three_digits_is_ambiguous_when_the_decimal_character_is_a_comma() -> None:
    assert flagged("nombre-francais", COMMA_NUMBER, ["1.234", "12.5"]) == [True, False]


def test_integers() -> None:
    cells = ["1 200", "1 200,00", "1.234.567", "12 €", "12.0", "\u22125"]
    assert changed("nombre-francais", INTEGER, cells) == ["1200", "1200", "1234567", "12", "12", "-5"]
    # A decimal part that is not zero cannot become an integer: left for the validation to report.
    assert changed("nombre-francais", INTEGER, ["1 200,50", "12.5"]) == ["1 200,50", "12.5"]


def test_thousands_or_decimals_in_an_integer_field_are_flagged() -> None:
    assert flagged("nombre-francais", INTEGER, ["1,234", "1.234", "1,000", "12,5"]) == [
        True,
        True,
        True,
        False,
    ]


def test_a_column_mixing_comma_conventions_flags_both() -> None:
    out = run("nombre-francais", NUMBER, ["1,234", "1,234,567", "12,5", "3 000"])
    assert out[0][0] == "1,234" and out[0][1] is not None and "« 1,234,567 »" in out[0][1]
    assert out[1][0] == "1,234,567" and out[1][1] is not None and "« 1,234 »" in out[1][1]
    assert out[2:] == [("12.5", None), ("3000", None)]


def test_scientific_notation_is_flagged_never_expanded() -> None:
    assert flagged("nombre-francais", NUMBER, ["8,03E+13", "1,5e-3"]) == [True, True]
    assert flagged("nombre-francais", INTEGER, ["8.03E+13", "1E3"]) == [True, True]
    # A number field reads "8.03E+13" itself: valid, so not flagged.
    assert flagged("nombre-francais", NUMBER, ["8.03E+13"]) == [False]


def test_bare_number_false_fields() -> None:
    field = {"name": "n", "type": "number", "bareNumber": False}
    # The engine removes the currency itself; the group spaces and the comma still need fixing.
    assert changed("nombre-francais", field, ["12 €", "26 956,00 €"]) == ["12 €", "26956.00"]


def test_a_change_is_kept_even_if_a_bound_still_refuses_the_number() -> None:
    field = {"name": "p", "type": "number", "constraints": {"maximum": 1}}
    assert changed("nombre-francais", field, ["150,5"]) == ["150.5"]
