"""SIREN and SIRET numbers, checked as Validata checks them (python-stdnum's rules), in polars.

Before the checksum, python-stdnum removes separators (spaces of any width and dot-like marks),
reads fullwidth and mathematical digits as ASCII digits, and trims whitespace at both ends; so
``210 600 045 00392`` is a valid SIRET for the check (the schema's ``pattern``, if any, is what
refuses the spaces). Everything else (hyphens, letters…) makes the number invalid.

Most cells are plain digits: they go straight to the checksum, computed on the integer they read as
with lookup tables of 5-digit chunks (one polars query per column); only the others are cleaned up
first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

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

LA_POSTE_SIREN = 356000000
LA_POSTE_HEAD_OFFICE = 35600000000048
SIREN_LENGTH = 9
SIRET_LENGTH = 14

_TEXT, _NUMBER = "__text__", "__number__"
_CHUNK = 100_000  # Luhn sums are looked up five digits at a time


def compact(text: pl.Expr) -> pl.Expr:
    """The number without separators, with ASCII digits, trimmed (python-stdnum's ``compact``)."""
    replaced: pl.Expr = text.str.replace_many(_REPLACEMENTS)
    return replaced.str.strip_chars(_TRIM)


@cache
def _tables() -> tuple[pl.Series, pl.Series, pl.Series]:
    """For every 5-digit chunk: its Luhn sum (last digit not doubled / doubled) and its digit sum."""
    chunk = pl.col("chunk")
    digits = [(chunk // 10**power) % 10 for power in range(5)]

    def doubled(digit: pl.Expr) -> pl.Expr:  # 2d, minus 9 when over 9
        return pl.when(digit >= 5).then(2 * digit - 9).otherwise(2 * digit)

    tables = (
        pl.int_range(0, _CHUNK, dtype=pl.Int64, eager=True)
        .alias("chunk")
        .to_frame()
        .select(
            pl.sum_horizontal(doubled(d) if power % 2 else d for power, d in enumerate(digits)).alias(
                "plain"
            ),
            pl.sum_horizontal(d if power % 2 else doubled(d) for power, d in enumerate(digits)).alias(
                "doubled"
            ),
            pl.sum_horizontal(digits).alias("digits"),
        )
    )
    return tables["plain"], tables["doubled"], tables["digits"]


def _siren_rule(numbers: pl.Expr) -> pl.Expr:
    even, odd, _ = _tables()
    high, low = numbers // _CHUNK, numbers % _CHUNK  # digits 5-8, digits 0-4
    return (pl.lit(even).gather(low) + pl.lit(odd).gather(high)) % 10 == 0


def _siret_rule(numbers: pl.Expr) -> pl.Expr:
    even, odd, digit_sum = _tables()
    siren, c0 = numbers // _CHUNK, numbers % _CHUNK  # the SIREN is the 9 leading digits
    c2, c1 = siren // _CHUNK, siren % _CHUNK
    key_ok = (pl.lit(even).gather(c0) + pl.lit(odd).gather(c1) + pl.lit(even).gather(c2)) % 10 == 0
    siren_ok = (pl.lit(even).gather(c1) + pl.lit(odd).gather(c2)) % 10 == 0
    # La Poste's establishments (not its head office) have a digit sum multiple of 5 instead of a Luhn key.
    la_poste = (siren == LA_POSTE_SIREN) & (numbers != LA_POSTE_HEAD_OFFICE)
    sum_ok = (
        pl.lit(digit_sum).gather(c0) + pl.lit(digit_sum).gather(c1) + pl.lit(digit_sum).gather(c2)
    ) % 5 == 0
    return pl.when(la_poste).then(sum_ok).otherwise(key_ok) & siren_ok


Rule = Callable[[pl.Expr], pl.Expr]
"""A test on the numbers that strings of ASCII digits read as (an Int64 expression, never null)."""


def _numbers(values: pl.Series, length: int) -> pl.Series:
    """The integer each value reads as once compacted, if it is then exactly ``length`` ASCII digits."""
    text = pl.col(_TEXT)
    signed = text.str.starts_with("+") | text.str.starts_with("-")
    frame = values.alias(_TEXT).to_frame().with_columns(text.cast(pl.Int64, strict=False).alias(_NUMBER))
    # Plain digits: right byte length, read as an integer, no sign (polars reads "+12" as 12).
    numbers = frame.select(
        pl.when((text.str.len_bytes() == length) & ~signed).then(pl.col(_NUMBER)).alias(_NUMBER)
    ).to_series()
    others = (numbers.is_null() & values.is_not_null()).arg_true()
    if others.len():  # separators, other digits, stray whitespace: clean these up first
        cleaned = values.gather(others).alias(_TEXT).to_frame().select(compact(text))
        digits = cleaned.select(pl.when(text.str.contains(f"^[0-9]{{{length}}}$")).then(text).cast(pl.Int64))
        numbers = numbers.scatter(others, digits.to_series())
    return numbers


def _verdicts(values: pl.Series, length: int, rule: Rule) -> pl.Series:
    """True where the value, once compacted, is ``length`` ASCII digits that pass ``rule``."""
    # One query judges the plain digits and spots the others; most columns (and a row typed in a
    # form) hold only plain digits, and then that query is the whole answer.
    text = pl.col(_TEXT)
    signed = text.str.starts_with("+") | text.str.starts_with("-")
    plain = pl.when((text.str.len_bytes() == length) & ~signed).then(text.cast(pl.Int64, strict=False))
    frame = (
        values.alias(_TEXT)
        .to_frame()
        .select(
            (plain.is_not_null() & rule(plain.fill_null(0))).alias(values.name),
            (plain.is_null() & text.is_not_null()).alias(_NUMBER),
        )
    )
    if not frame.get_column(_NUMBER).any():
        return frame.get_column(values.name)
    numbers = pl.col(_NUMBER)
    frame = _numbers(values, length).alias(_NUMBER).to_frame()
    verdicts = frame.select((numbers.is_not_null() & rule(numbers.fill_null(0))).alias(values.name))
    return verdicts.to_series()


def siren_ok(values: pl.Series) -> pl.Series:
    """True where the value is a valid SIREN (false for nulls)."""
    return _verdicts(values, SIREN_LENGTH, _siren_rule)


def siret_ok(values: pl.Series) -> pl.Series:
    """True where the value is a valid SIRET: Luhn key over the 14 digits (for La Poste's establishments,
    a digit sum multiple of 5), and a valid SIREN in front (false for nulls)."""
    return _verdicts(values, SIRET_LENGTH, _siret_rule)
