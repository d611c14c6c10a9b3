"""SIREN and SIRET numbers, checked as Validata checks them (python-stdnum's rules), in polars.

Before the checksum, python-stdnum removes separators (spaces of any width and dot-like marks),
reads fullwidth and mathematical digits as ASCII digits, and trims whitespace at both ends; so
``210 600 045 00392`` is a valid SIRET for the check (the schema's ``pattern``, if any, is what
refuses the spaces). Everything else (hyphens, letters…) makes the number invalid.
"""

from __future__ import annotations

import polars as pl

_SPACE_SEPARATORS = (0x20, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)
_DOT_SEPARATORS = (
    0x2E, 0xB7, 0x2D9, 0x387, 0x6D4, 0x701, 0x702, 0x830, 0xF0B, 0xF0C, 0x16EB, 0x2022, 0x2024, 0x2027,
    0x2219, 0x22C5, 0x2E31, 0x2E33, 0x3002, 0x30FB, 0xFBB2, 0xFBB3, 0xFE52, 0xFF0E, 0xFF65, 0x10101,
    0x1091F, 0x10A50,
)  # fmt: skip
_SEPARATORS = frozenset(chr(c) for c in (*_SPACE_SEPARATORS, *_DOT_SEPARATORS))
_FULLWIDTH_ZERO = 0xFF10
_MATHEMATICAL_ZEROS = (0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6)  # bold, double-struck, sans-serif…
_OGHAM_SPACE_MARK = 0x1680  # a space for Python, but python-stdnum turns it into a hyphen first

_REPLACEMENTS: dict[str, str] = dict.fromkeys(_SEPARATORS, "") | {
    chr(zero + d): str(d) for zero in (_FULLWIDTH_ZERO, *_MATHEMATICAL_ZEROS) for d in range(10)
}
# What Python's str.strip() removes and is still there after the replacements.
_TRIM = "".join(
    chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in _SEPARATORS and c != _OGHAM_SPACE_MARK
)

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def compact(text: pl.Expr) -> pl.Expr:
    """The number without separators, with ASCII digits, trimmed."""
    replaced: pl.Expr = text.str.replace_many(_REPLACEMENTS)
    return replaced.str.strip_chars(_TRIM)


def _digit(number: pl.Expr, power: int) -> pl.Expr:
    divisor: int = 10**power
    return (number // divisor) % 10


def luhn_ok(digits: pl.Expr, length: int) -> pl.Expr:
    """Luhn checksum of a string of exactly ``length`` ASCII digits (``length`` <= 18)."""
    number = digits.cast(pl.Int64, strict=False)
    terms = []
    for power in range(length):  # power 0 is the rightmost digit, which is not doubled
        d = _digit(number, power)
        terms.append(d if power % 2 == 0 else 2 * d - 9 * (d // 5))
    return pl.sum_horizontal(terms) % 10 == 0


def _digit_sum(digits: pl.Expr, length: int) -> pl.Expr:
    number = digits.cast(pl.Int64, strict=False)
    return pl.sum_horizontal([_digit(number, p) for p in range(length)])


def _all_digits(digits: pl.Expr, length: int) -> pl.Expr:
    return digits.str.contains(f"^[0-9]{{{length}}}$")


def siren_ok(text: pl.Expr) -> pl.Expr:
    """True where ``text`` is a valid SIREN (never null for a non-null text)."""
    digits = compact(text)
    return _all_digits(digits, 9) & luhn_ok(digits, 9).fill_null(False)


def siret_ok(text: pl.Expr) -> pl.Expr:
    """True where ``text`` is a valid SIRET: Luhn over the 14 digits, or for La Poste's establishments
    (other than the head office) a digit sum that is a multiple of 5; and a valid SIREN in front."""
    digits = compact(text)
    la_poste = digits.str.starts_with(LA_POSTE_SIREN) & (digits != LA_POSTE_HEAD_OFFICE)
    checksum = pl.when(la_poste).then(_digit_sum(digits, 14) % 5 == 0).otherwise(luhn_ok(digits, 14))
    siren = luhn_ok(digits.str.slice(0, 9), 9)
    return _all_digits(digits, 14) & (checksum & siren).fill_null(False)
