"""integer, number, year, yearmonth and boolean: hand-written cases, each checked against frictionless too."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.types.support import compare, socle_read

INVALID = object()


def check(descriptor: dict[str, Any], cell: str, expected: Any) -> None:
    ((ok, typed),) = socle_read(descriptor, [cell])
    if expected is INVALID:
        assert not ok
        assert typed is None
    else:
        assert ok
        if isinstance(expected, float) and math.isnan(expected):
            assert isinstance(typed, float) and math.isnan(typed)
        else:
            assert typed == expected
    compare(descriptor, [cell])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1", 1),
        ("+5", 5),
        (" 7 ", 7),
        ("007", 7),
        ("-0", 0),
        ("1_000", 1000),
        ("٣", 3),
        ("１２", 12),
        ("\x1c5", 5),  # str.strip() removes the information separators
        ("9223372036854775807", 2**63 - 1),
        ("1.0", INVALID),
        ("1e3", INVALID),
        ("1 000", INVALID),
        ("1__0", INVALID),
        ("_1", INVALID),
        ("12 €", INVALID),
        ("abc", INVALID),
        ("0" * 4301, INVALID),  # Python's limit on decimal strings
    ],
)
def test_integer(cell: str, expected: Any) -> None:
    check({"type": "integer"}, cell, expected)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12 €", 12),
        ("€ 12", 12),
        ("-5-", -5),
        ("a-5b", -5),
        ("--5", INVALID),
        ("- 5", INVALID),
        ("€", INVALID),
    ],
)
def test_integer_bare_number_false(cell: str, expected: Any) -> None:
    check({"type": "integer", "bareNumber": False}, cell, expected)


def test_integer_beyond_int64_is_valid_without_typed_value() -> None:
    # Deliberate: Int64 cannot hold it; the cell stays valid, its typed value is null.
    assert socle_read({"type": "integer"}, ["9" * 30, "-" + "9" * 25]) == [(True, None), (True, None)]
    compare({"type": "integer"}, ["9" * 30])


def test_group_char_does_not_apply_to_integers() -> None:
    check({"type": "integer", "groupChar": " "}, "1 000", INVALID)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.5", 1.5),
        ("-1e3", -1000.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1_000.5", 1000.5),
        ("NaN", math.nan),
        ("sNaN", math.nan),
        ("NaN12", math.nan),
        ("-Infinity", -math.inf),
        ("iNf", math.inf),
        ("١.٥", 1.5),
        ("1e999999999999999999", math.inf),
        ("1e999999999999999999999", INVALID),  # beyond Decimal's exponent limit
        ("1,5", INVALID),
        ("1 000", INVALID),
        ("0x10", INVALID),
        ("1.5.", INVALID),
    ],
)
def test_number(cell: str, expected: Any) -> None:
    check({"type": "number"}, cell, expected)


@pytest.mark.parametrize(
    ("options", "cell", "expected"),
    [
        ({"decimalChar": ","}, "1,5", 1.5),
        ({"decimalChar": ","}, "1.5", INVALID),  # a "." is refused once another decimal character is declared
        ({"decimalChar": ","}, "1 000,5", INVALID),
        ({"decimalChar": ",", "groupChar": " "}, "1 000,5", 1000.5),
        ({"decimalChar": ",", "groupChar": "."}, "1.234.567,5", 1234567.5),
        ({"groupChar": ","}, "1,234.5", 1234.5),
        ({"bareNumber": False}, "12.5 €", 12.5),
        ({"bareNumber": False}, "€ -3", -3.0),
        ({"bareNumber": False}, ".5", 5.0),  # frictionless drops the leading dot with the "currency" text
        ({"bareNumber": False}, "Infinity", INVALID),
        ({"bareNumber": False, "decimalChar": ","}, "12,5 %", 12.5),
    ],
)
def test_number_options(options: dict[str, Any], cell: str, expected: Any) -> None:
    check({"type": "number", **options}, cell, expected)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024", 2024),
        ("0000", 0),
        (" 123", 123),
        ("+123", 123),
        ("-000", 0),
        ("1_23", 123),
        ("١٢٣٤", 1234),
        ("12", INVALID),
        ("20245", INVALID),
        ("-123", INVALID),
        ("12 ", INVALID),
        ("\x1c123", INVALID),  # int() does not ignore U+001C, unlike str.strip()
    ],
)
def test_year(cell: str, expected: Any) -> None:
    check({"type": "year"}, cell, expected)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03", "2024-03"),
        ("2024-3", "2024-03"),
        (" 2024 - 03 ", "2024-03"),
        ("+2024-+3", "2024-03"),
        ("0-1", "0000-01"),
        ("99999-01", "99999-01"),
        ("٢٠٢٤-٠٣", "2024-03"),
        ("2024-13", INVALID),
        ("2024-00", INVALID),
        ("2024-03-01", INVALID),
        ("2024", INVALID),
        ("-5-3", INVALID),
    ],
)
def test_yearmonth(cell: str, expected: Any) -> None:
    check({"type": "yearmonth"}, cell, expected)


FRENCH = {
    "trueValues": ["true", "True", "TRUE", "1", "vrai", "Vrai", "VRAI", "oui", "Oui", "OUI"],
    "falseValues": ["false", "False", "FALSE", "0", "faux", "Faux", "FAUX", "non", "Non", "NON"],
}


@pytest.mark.parametrize(
    ("options", "cell", "expected"),
    [
        ({}, "true", True),
        ({}, "0", False),
        ({}, "yes", INVALID),
        ({}, "true ", INVALID),
        ({}, "oui", INVALID),
        (FRENCH, "Oui", True),
        (FRENCH, "NON", False),
        (FRENCH, "oUi", INVALID),
        ({"trueValues": ["oui"], "falseValues": ["non"]}, "true", INVALID),
    ],
)
def test_boolean(options: dict[str, Any], cell: str, expected: Any) -> None:
    check({"type": "boolean", **options}, cell, expected)
