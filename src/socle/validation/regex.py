"""Regular expressions of schemas, evaluated in linear time.

Patterns are evaluated by polars' Rust regex engine, which has no backtracking: no pattern and no
cell can make it run away. The few schema patterns it cannot compile (backreferences, escaped
non-ASCII punctuation such as ``\\–``) fall back to the ``regex`` module, on the column's distinct
values only, each match under a timeout and the whole column under a budget; a value that cannot be
judged in time is reported as such, never as valid or invalid.

Semantics follow frictionless: the cell must match ``^{pattern}$`` from its first character
(Python's ``re.match``), the pattern not being wrapped in a group.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

import polars as pl
import regex as slow_regex

PER_VALUE_TIMEOUT = 0.05
"""Seconds one fallback match may take."""
COLUMN_BUDGET = 2.0
"""Seconds the fallback may spend on one column of one batch."""


_PYTHON_END = r"(?:\n?\z)"
"""Python's ``$`` for Rust: the end of the text, or a final line feed (Rust's ``$`` is the end only)."""


def python_dollars(pattern: str) -> str:
    """``pattern`` with each ``$`` outside a character class written as :data:`_PYTHON_END`.

    Python's ``$`` also matches before a line feed that ends the text, so ``^\\d{14}$`` accepts a
    cell ``12345678901234`` followed by a line break (a quoted cell of a spreadsheet export); frictionless
    accepts it, Socle must too. Rust has no lookahead: the line feed is consumed, which is the same
    wherever nothing but other ends of text follow the ``$`` (the patterns of schema.data.gouv.fr)."""
    out: list[str] = []
    class_start = -1  # where the character class being read opened, -1 outside any
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if class_start >= 0:
            # A "]" right after "[" or "[^" is a member of the class, not its end.
            if char == "]" and pattern[class_start + 1 : index] not in ("", "^"):
                class_start = -1
        elif char == "[":
            class_start = index
        elif char == "$":
            out.append(_PYTHON_END)
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


@dataclass
class CompiledPattern:
    """A schema pattern, ready to judge String series."""

    pattern: str
    rust: str | None = None
    fallback: slow_regex.Pattern[str] | None = None
    error: str | None = None
    unjudged: list[str] = field(default_factory=list)

    @classmethod
    def compile(cls, pattern: str) -> CompiledPattern:
        """``pattern`` ready to judge cells, with a list of unjudged values of its own (a validation's)."""
        rust, fallback, error = _compiled(pattern)
        return cls(pattern=pattern, rust=rust, fallback=fallback, error=error)

    def matches(self, values: pl.Series) -> pl.Series:
        """Boolean series: true where the value matches, false where it does not, null where it
        could not be judged (null values stay null)."""
        if self.rust is not None:
            return values.str.contains(self.rust)
        if self.fallback is None:
            return pl.Series(values=[None] * values.len(), dtype=pl.Boolean)
        return self._fallback_matches(values, self.fallback)

    def _fallback_matches(self, values: pl.Series, compiled: slow_regex.Pattern[str]) -> pl.Series:
        verdicts: dict[str, bool | None] = {}
        deadline = time.monotonic() + COLUMN_BUDGET
        for value in values.drop_nulls().unique().to_list():
            if time.monotonic() > deadline:
                verdicts[value] = None
                self.unjudged.append(value)
                continue
            try:
                verdicts[value] = compiled.match(value, timeout=PER_VALUE_TIMEOUT) is not None
            except TimeoutError:
                verdicts[value] = None
                self.unjudged.append(value)
        return values.replace_strict(verdicts, default=None, return_dtype=pl.Boolean)


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str) -> tuple[str | None, slow_regex.Pattern[str] | None, str | None]:
    """``(rust, fallback, error)`` for ``pattern``: trying the Rust engine costs a polars query, paid
    once per pattern and process (a form judged row by row builds its patterns again and again)."""
    anchored = f"^(?:^{python_dollars(pattern)}{_PYTHON_END})"
    try:
        pl.Series(values=[""], dtype=pl.String).str.contains(anchored)
        return anchored, None, None
    except pl.exceptions.PolarsError:
        pass
    try:
        compiled = slow_regex.compile(f"^{pattern}$", flags=slow_regex.VERSION0)
    except (slow_regex.error, ValueError, OverflowError) as exc:
        return None, None, f"l'expression régulière « {pattern} » est invalide ({exc})"
    return None, compiled, None
