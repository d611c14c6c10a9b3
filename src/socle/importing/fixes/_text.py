"""Text helpers shared by the fix rules (a private module: the registry does not import it as a rule)."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from socle.validation.types._common import PY_WHITESPACE, escape_regex

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
"""Zero-width characters and the byte order mark: not whitespace for Python, but never meant in a cell."""

STRIPPED = PY_WHITESPACE + INVISIBLE
"""What the rules remove around a cell: every Python whitespace character, non-breaking and narrow
non-breaking spaces included, and the invisible characters."""

WHITESPACE_CLASS = "[" + "".join(escape_regex(c) for c in PY_WHITESPACE) + "]"
"""Regex class of Python's whitespace characters (polars' ``\\s`` is close, but not the same set)."""

SPACE_SEPARATORS = " \u00a0\u202f\u2009\u2007"
"""Spaces found between groups of digits: ordinary, non-breaking, narrow non-breaking, thin, figure."""

APOSTROPHES = "[\u2019\u2018\u02bc\u00b4`]"
"""Typographic apostrophes and look-alikes, read as ``'``."""


def strip(values: pl.Series) -> pl.Series:
    """The text without whitespace or invisible characters at either end."""
    return values.str.strip_chars(STRIPPED)


def collapse(values: pl.Series) -> pl.Series:
    """Stripped, with every inner run of whitespace replaced by one ordinary space."""
    return strip(values).str.replace_all(f"{WHITESPACE_CLASS}+", " ")


def fold(values: pl.Series) -> pl.Series:
    """A key that ignores case, accents, typographic apostrophes and spacing.

    Two texts with the same key differ only in ways a reader does not notice: ``Numéraire `` and
    ``numeraire``, ``l’État`` and ``l'etat``, ``a ; b`` and ``a;b``.
    """
    decomposed = collapse(values).str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    return (
        decomposed.str.to_lowercase()
        .str.replace_all(APOSTROPHES, "'")
        .str.replace_all(r" ?([;,/]) ?", "$1")
        .str.strip_chars(" ")
    )


def fold_text(text: str) -> str:
    """:func:`fold` for one text."""
    return str(fold(pl.Series([text], dtype=pl.String))[0])


def when(mask: pl.Series, then: pl.Series | str | None, otherwise: pl.Series | str | None) -> pl.Series:
    """Element-wise choice between two series (or constants) of the same length."""
    return pl.select(
        pl.when(pl.lit(mask.fill_null(False))).then(pl.lit(then)).otherwise(pl.lit(otherwise))
    ).to_series()


def on_rows(values: pl.Series, mask: pl.Series, change: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """``values`` with ``change`` applied to the rows of ``mask`` only (``change`` keeps the length)."""
    index = mask.fill_null(False).arg_true()
    if not index.len():
        return values
    # scatter works in place: change a copy, never the caller's series.
    return values.clone().scatter(index, change(values.gather(index)).cast(values.dtype))


def example(values: pl.Series, mask: pl.Series) -> str:
    """One value of ``values`` where ``mask`` holds (the first), for French reasons: ``« 04/13/2021 »``."""
    found = values.filter(mask.fill_null(False)).drop_nulls()
    return f"« {found[0]} »" if found.len() else ""
