"""``year-interval-value``: the cell is a year interval ``AAAA/AAAA`` with the first year before the second,
or a single year ``AAAA`` when the ``allow-year-only`` parameter is ``"yes"`` or ``"true"``.

As in Validata, "digit" means any Unicode decimal digit and a final line break is tolerated
(Python's ``\\d`` and ``$``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import polars as pl

from socle.schemas.model import TableSchema
from socle.validation.custom_checks._common import TEXT, VALUE, SingleColumnCheck, judge_distinct
from socle.validation.custom_checks.base import CheckParamsError, register

_INTERVAL = r"^(\d{4})/(\d{4})\n?$"
_YEAR = r"^\d{4}\n?$"
_TRUE_WORDS = frozenset({"yes", "true"})

_BAD_FORMAT = " : le format attendu est AAAA/AAAA (par exemple 2017/2018)"
_BAD_FORMAT_YEAR_ALLOWED = (
    " : le format attendu est une année AAAA ou un intervalle AAAA/AAAA (par exemple 2017/2018)"
)
_SAME_YEARS = " : les deux années doivent être différentes"


def _year(digits: pl.Expr) -> pl.Expr:
    """Four Unicode digits as an integer (ASCII in practice; other scripts go through Python)."""
    return digits.cast(pl.Int64, strict=False)


def _unicode_year(text: str) -> int:
    return int("".join(str(unicodedata.digit(c)) for c in text))


class YearIntervalValue(SingleColumnCheck):
    """Validata's ``year-interval-value``."""

    name = "year-interval-value"
    code = "year-interval-value"
    codes = ("year-interval-value",)

    def __init__(self, params: Mapping[str, Any], schema: TableSchema) -> None:
        super().__init__(params, schema)
        self.allow_year_only = _allow_year_only(params.get("allow-year-only", "false"))

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        flagged = judge_distinct(frame, TEXT, self._reasons)
        return self.report(flagged, pl.lit(True), column, reason=pl.col("reason"))

    def _reasons(self, distinct: pl.Series) -> pl.DataFrame:
        value = pl.col(VALUE)
        groups = value.str.extract_groups(_INTERVAL)
        frame = distinct.to_frame().with_columns(
            groups.struct.field("1").alias("first"), groups.struct.field("2").alias("second")
        )
        frame = frame.with_columns(_year(pl.col("first")).alias("y1"), _year(pl.col("second")).alias("y2"))
        frame = _fill_unicode_years(frame)
        y1, y2 = pl.col("y1"), pl.col("y2")
        bad_format = _BAD_FORMAT_YEAR_ALLOWED if self.allow_year_only else _BAD_FORMAT
        year_alone_ok = value.str.contains(_YEAR) if self.allow_year_only else pl.lit(False)
        reason = (
            pl.when(pl.col("first").is_null())
            .then(pl.when(year_alone_ok).then(pl.lit(None, pl.String)).otherwise(pl.lit(bad_format)))
            .when(y1 == y2)
            .then(pl.lit(_SAME_YEARS))
            .when(y1 > y2)
            .then(
                pl.concat_str(
                    pl.lit(" : la seconde année ("),
                    pl.col("second"),
                    pl.lit(") doit être postérieure à la première ("),
                    pl.col("first"),
                    pl.lit(")"),
                )
            )
            .otherwise(pl.lit(None, pl.String))
        )
        return frame.select(value, reason.alias("reason")).filter(pl.col("reason").is_not_null())


def _fill_unicode_years(frame: pl.DataFrame) -> pl.DataFrame:
    """Years written with non-ASCII digits (which polars does not cast) are converted in Python."""
    for digits, year in (("first", "y1"), ("second", "y2")):
        todo = frame.filter(pl.col(digits).is_not_null() & pl.col(year).is_null())
        if todo.height:
            converted = {t: _unicode_year(t) for t in todo.get_column(digits).unique().to_list()}
            frame = frame.with_columns(
                pl.coalesce(
                    pl.col(year),
                    pl.col(digits).replace_strict(converted, default=None, return_dtype=pl.Int64),
                )
            )
    return frame


def _allow_year_only(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        return raw in _TRUE_WORDS
    raise CheckParamsError('le paramètre « allow-year-only » doit valoir "yes" ou "no" (ou true/false).')


register(YearIntervalValue)
