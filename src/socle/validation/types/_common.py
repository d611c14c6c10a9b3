"""Helpers shared by the field types: Python's notions of whitespace and numbers, the fallback that
runs exact Python rules on a column's distinct values, and calendar arithmetic on polars columns.

Each type decides most cells with vectorised polars expressions and hands the rest (non-ASCII text,
rare shapes) to a Python function that states frictionless' rule exactly; that function runs once
per distinct value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import polars as pl

PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Characters ``str.strip()`` removes (``str.isspace``); a test checks the list against Python's."""

ASCII_INT_SPACE = "[\\t\\n\\x0b\\x0c\\r ]"
"""Regex class of the ASCII characters ``int()`` ignores around a number."""

ASCII_PY_SPACE = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f ]"
"""Regex class of the ASCII characters ``str.isspace`` (and Python's ``\\s``) accepts."""

INT_LITERAL = "[+-]?[0-9]+(?:_[0-9]+)*"
"""An ASCII base-10 literal as ``int()`` reads it (single underscores between digits)."""

MAX_INT_DIGITS = 4300
"""Python refuses to convert longer decimal strings to ``int`` (``sys.int_info.default_max_str_digits``)."""

_DIGIT = re.compile(r"\d")


def is_ascii(values: pl.Series) -> pl.Series:
    """True where the text is pure ASCII (null stays null)."""
    return values.str.len_bytes() == values.str.len_chars()


@cache  # a polars query each time: formats and separators come back on every batch
def escape_regex(text: str) -> str:
    """``text`` as a literal in polars' regex dialect."""
    return str(pl.Series([text]).str.escape_regex()[0])


_FEW_ROWS = 1000
"""Below this many rows, a Series built from a Python list costs less than a polars query."""


def nulls(length: int, dtype: pl.DataType | type[pl.DataType]) -> pl.Series:
    if length <= _FEW_ROWS:
        return pl.Series("literal", [None] * length, dtype=dtype)  # named as pl.repeat names it
    return pl.repeat(None, length, dtype=dtype, eager=True)


class Valid:
    """Result of a Python reader for a valid cell whose typed value cannot be represented (an
    integer beyond Int64…): the cell is valid, its typed value is ``value`` (often None)."""

    __slots__ = ("value",)

    def __init__(self, value: Any = None) -> None:
        self.value = value


Reader = Callable[[str], Any]
"""Exact Python rule for one cell: the typed value, :class:`Valid`, or None when invalid."""


class Decision:
    """Typed values and verdicts of a column, filled stage by stage on disjoint subsets of rows."""

    def __init__(self, values: pl.Series, dtype: pl.DataType) -> None:
        self.values = values
        self.dtype = dtype
        self.typed = nulls(values.len(), dtype)
        self.ok = nulls(values.len(), pl.Boolean)

    def set(self, where: pl.Series, typed: pl.Series, ok: pl.Series) -> None:
        """Take full-length ``typed`` and ``ok`` on the rows of ``where``."""
        cond = pl.lit(where.fill_null(False) if where.null_count() else where)
        # One query for both (a Series operation costs a query, which dominates on a few rows).
        self.typed, self.ok = pl.select(
            pl.when(cond).then(pl.lit(typed)).otherwise(pl.lit(self.typed)).alias("typed"),
            pl.when(cond).then(pl.lit(ok)).otherwise(pl.lit(self.ok)).alias("ok"),
        ).get_columns()
        self.typed, self.ok = self.typed.alias(typed.name), self.ok.alias(ok.name)

    def reject(self, where: pl.Series) -> None:
        """The rows of ``where`` are invalid."""
        where = where.fill_null(False)
        self.ok = pl.select(pl.when(pl.lit(where)).then(False).otherwise(pl.lit(self.ok))).to_series()

    def _split(self, where: pl.Series) -> pl.Series | None:
        """Row indices of ``where`` when they are few enough to be worth gathering; else None."""
        count = where.sum()
        return where.arg_true() if count * 2 < where.len() else None

    def run(self, where: pl.Series, decide: Callable[[pl.Series], tuple[pl.Series, pl.Series]]) -> None:
        """Apply vectorised ``decide`` (text → typed, ok) to the rows of ``where`` only. A null
        verdict leaves the row pending for a later stage."""
        if where.null_count():
            where = where.fill_null(False)
        if not where.any():
            return
        index = self._split(where)
        if index is None:
            typed, ok = decide(self.values)
            self.set(where, typed.cast(self.dtype), ok)
            return
        typed, ok = decide(self.values.gather(index))
        self.typed = self.typed.scatter(index, typed.cast(self.dtype))
        self.ok = self.ok.scatter(index, ok)

    def put(self, where: pl.Series, typed: pl.Series, ok: pl.Series) -> None:
        """Take ``typed`` and ``ok``, given for the rows of ``where`` only, in order."""
        index = where.fill_null(False).arg_true()
        self.typed = self.typed.scatter(index, typed.cast(self.dtype))
        self.ok = self.ok.scatter(index, ok)

    def python(self, where: pl.Series, read: Reader) -> None:
        """Apply the Python rule ``read`` to the distinct values of the rows of ``where``."""
        if where.null_count():
            where = where.fill_null(False)
        if self.values.null_count():
            where = where & self.values.is_not_null()
        if not where.any():
            return
        index = self._split(where)
        selected = self.values if index is None else self.values.gather(index)
        distinct = (self.values.filter(where) if index is None else selected).unique().to_list()
        results = [read(text) for text in distinct]
        keys = pl.Series(values=distinct, dtype=pl.String)
        typed = selected.replace_strict(
            keys,
            pl.Series(values=[_unwrap(r) for r in results], dtype=self.dtype),
            default=None,
            return_dtype=self.dtype,
        )
        if all(_unwrap(r) is not None for r in results if r is not None):
            # Every valid value has a typed value: the verdict follows.
            ok = typed.is_not_null()
        else:
            flags = pl.Series(values=[r is not None for r in results], dtype=pl.Boolean)
            ok = selected.replace_strict(keys, flags, default=None, return_dtype=pl.Boolean)
        if index is None:
            self.set(where, typed, ok)
        else:
            self.typed = self.typed.scatter(index, typed)
            self.ok = self.ok.scatter(index, ok)

    def pending(self) -> pl.Series:
        """Rows not decided yet (missing values excepted)."""
        undecided = self.ok.is_null()
        return undecided & self.values.is_not_null() if self.values.null_count() else undecided

    def result(self) -> tuple[pl.Series, pl.Series]:
        """``(typed, ok)``: missing values are valid, an undecided or invalid cell has a null value."""
        valid = pl.lit(self.ok).fill_null(False) | pl.lit(self.values).is_null()
        # One query for both (a Series operation costs a query, which dominates on a few rows).
        ok, typed = pl.select(
            valid.alias("ok"), pl.when(valid).then(pl.lit(self.typed)).otherwise(None).alias("typed")
        ).get_columns()
        return typed.alias(self.values.name), ok.alias(self.values.name)


def ascii_only(
    decide: Callable[[pl.Series], tuple[pl.Series, pl.Series]],
) -> Callable[[pl.Series], tuple[pl.Series, pl.Series]]:
    """Wrap a vectorised rule written for ASCII text: other rows get a null verdict (left to Python)."""

    def wrapped(sub: pl.Series) -> tuple[pl.Series, pl.Series]:
        typed, ok = decide(sub)
        cell = pl.lit(sub)
        ascii_text = cell.str.len_bytes() == cell.str.len_chars()
        verdict = pl.select(pl.when(ascii_text).then(pl.lit(ok)).otherwise(None)).to_series()
        return typed, verdict

    return wrapped


def _unwrap(result: Any) -> Any:
    return result.value if isinstance(result, Valid) else result


def py_int(text: str) -> int | None:
    """``int(text)`` as Python reads it, or None."""
    try:
        return int(text)
    except ValueError:
        return None


def strip_bare_number(text: str) -> str:
    """frictionless' ``bareNumber: false`` clean-up: drop what precedes the number (anything but a
    minus sign or a digit) and every non-digit after its last digit."""
    start = 0
    while start < len(text) and text[start] != "-" and not _DIGIT.match(text[start]):
        start += 1
    end = len(text)
    while end > start and not _DIGIT.match(text[end - 1]):
        end -= 1
    if end == start:
        return ""
    return text[start:end]


def strip_bare_number_expr(values: pl.Series) -> pl.Series:
    """Vectorised :func:`strip_bare_number` for ASCII text."""
    return values.str.replace(r"^[^\-0-9]*", "").str.replace(r"[^0-9]*$", "")


# --- calendar --------------------------------------------------------------------------------------


def is_leap(year: pl.Expr) -> pl.Expr:
    return ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)


def days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    long_months = month.is_in([1, 3, 5, 7, 8, 10, 12])
    return (
        pl.when(month == 2)
        .then(pl.when(is_leap(year)).then(29).otherwise(28))
        .when(long_months)
        .then(31)
        .otherwise(30)
    )


def valid_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Whether Python's ``datetime.date(year, month, day)`` exists (years 1 to 9999)."""
    return (
        year.is_between(1, 9999)
        & month.is_between(1, 12)
        & (day >= 1)
        & (day <= days_in_month(year, month.clip(1, 12)))
    ).fill_null(False)


def safe_date(year: pl.Expr, month: pl.Expr, day: pl.Expr, valid: pl.Expr) -> pl.Expr:
    """``pl.date`` where ``valid``, null elsewhere (polars raises on impossible dates)."""
    built = pl.date(
        pl.when(valid).then(year).otherwise(2000),
        pl.when(valid).then(month).otherwise(1),
        pl.when(valid).then(day).otherwise(1),
    )
    return pl.when(valid).then(built).otherwise(None)


def quote_list(items: Iterable[str], limit: int = 8) -> str:
    """« a », « b »… for messages."""
    items = list(items)
    shown = [f"« {i} »" for i in items[:limit]]
    if len(items) > limit:
        shown.append("…")
    return ", ".join(shown)


# --- JSON -------------------------------------------------------------------------------------------

JSON_SPACE = "[ \\t\\n\\r]"
"""Whitespace ``json.loads`` skips around a document."""

JSON_NUMBER = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"


def canonical_json(value: Any) -> str:
    """One text per JSON value up to key order and spacing, so that equal objects compare equal."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_NOT_JSON = object()


def load_json(text: str) -> Any:
    """``json.loads`` as frictionless calls it; ``NOT_JSON`` when it fails."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


NOT_JSON = _NOT_JSON
