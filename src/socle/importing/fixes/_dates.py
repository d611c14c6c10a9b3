"""Reading dates as people write them, and writing them as a date field expects (a private module).

Shapes read (after trimming):

- year first, ``2017/09/08``, ``2017.09.08``, ``2017-9-8``: always year, month, day;
- day or month first, ``08/09/2017``, ``8.9.2017``, ``08-09-2017`` (the same separator twice);
- either one followed by a zero time, ``2021-03-04 00:00:00``, ``04/03/2021 00:00``,
  ``2021-03-04T00:00:00.000Z``: a spreadsheet's date-time at midnight, which is a date.

Day first is the French way. A value is read month first only when it cannot be read day first
(``04/13/2021``). A value that reads both ways (``03/04/2021``; ``03/03/2021`` reads the same either
way) is read day first, unless the column also holds values that can only be read month first: the
column then mixes both ways, and such a value is ambiguous. Symmetrically, a month-first value is
converted only when the column holds no ambiguous value; otherwise it is flagged and kept, so that
the evidence of the mix stays in the column and a second run decides exactly as the first.

A two-digit year (``08/09/17``) and a time other than midnight are flagged: the century and the time
would be guesses or losses.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from socle.importing.fixes._text import example, strip
from socle.importing.fixes.base import FixContext, FixRule
from socle.schemas.model import Field, TableSchema
from socle.validation.types._common import safe_date, valid_date
from socle.validation.types._temporal import normalise_format

ISO_FORMAT = "%Y-%m-%d"

_SHAPE = (
    r"^(?P<date>[0-9]{1,4}[/.\-][0-9]{1,2}[/.\-][0-9]{1,4})"
    r"(?:[ T](?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?)Z?)?$"
)
_YEAR_FIRST = r"^(?P<p1>[0-9]{4})(?P<s1>[/.\-])(?P<p2>[0-9]{1,2})(?P<s2>[/.\-])(?P<p3>[0-9]{1,2})$"
_YEAR_LAST = r"^(?P<p1>[0-9]{1,2})(?P<s1>[/.\-])(?P<p2>[0-9]{1,2})(?P<s2>[/.\-])(?P<p3>[0-9]{4})$"
_SHORT_YEAR = r"^[0-9]{1,2}([/.\-])[0-9]{1,2}[/.\-][0-9]{2}$"
_ZERO_TIME = r"^0?0:00(?::00(?:[.,]0+)?)?$"

_KEY = "__text__"

SHORT_YEAR_REASON = "année écrite sur deux chiffres : le siècle serait deviné"
TIME_REASON = "la valeur porte une heure autre que minuit : la réduire à une date perdrait l'heure"


@dataclass(frozen=True)
class DateReadings:
    """The dates a column of texts holds: ``year``, ``month``, ``day`` (Int64, null where no certain
    reading) and ``reason`` (French, where the value looks like a date but is flagged)."""

    frame: pl.DataFrame

    @property
    def found(self) -> pl.Series:
        return self.frame.get_column("year").is_not_null()

    @property
    def reasons(self) -> pl.Series:
        return self.frame.get_column("reason")


def read_dates(values: pl.Series) -> DateReadings:
    """Read every text of ``values`` as a date when certain; see the module's docstring."""
    # Dates repeat: each distinct text is read once.
    distinct = values.unique(maintain_order=True)
    readings = _read_distinct(distinct).frame.with_columns(distinct.alias(_KEY))
    aligned = (
        values.alias(_KEY)
        .to_frame()
        .join(readings, on=_KEY, how="left", nulls_equal=True, maintain_order="left")
    )
    return DateReadings(aligned.drop(_KEY))


def _read_distinct(values: pl.Series) -> DateReadings:
    text = strip(values)
    shape = text.str.extract_groups(_SHAPE).struct.unnest()
    date_part, time_part = shape.get_column("date"), shape.get_column("time")
    zero_time = time_part.is_null() | time_part.str.contains(_ZERO_TIME).fill_null(False)
    ymd = _parts(date_part, _YEAR_FIRST)
    dmy = _parts(date_part, _YEAR_LAST)
    frame = pl.DataFrame(
        {
            "zero_time": zero_time,
            "short": date_part.str.contains(_SHORT_YEAR).fill_null(False),
            "ymd_y": ymd["p1"],
            "ymd_m": ymd["p2"],
            "ymd_d": ymd["p3"],
            "a": dmy["p1"],
            "b": dmy["p2"],
            "y": dmy["p3"],
        }
    )
    a, b, y = pl.col("a"), pl.col("b"), pl.col("y")
    frame = frame.with_columns(
        ymd_ok=valid_date(pl.col("ymd_y"), pl.col("ymd_m"), pl.col("ymd_d")),
        day_first=valid_date(y, b, a),
        month_first=valid_date(y, a, b),
    ).with_columns(
        certain_day_first=pl.col("day_first") & (~pl.col("month_first") | (a == b)),
        only_month_first=pl.col("month_first") & ~pl.col("day_first"),
        both_ways=pl.col("day_first") & pl.col("month_first") & (a != b),
    )
    dated = (pl.col("ymd_ok") | pl.col("day_first") | pl.col("month_first")) & pl.col("zero_time")
    counts = frame.select(
        (pl.col("only_month_first") & dated).any().alias("month_first_seen"),
        (pl.col("both_ways") & dated).any().alias("ambiguous_seen"),
    ).row(0, named=True)
    month_first_seen, ambiguous_seen = bool(counts["month_first_seen"]), bool(counts["ambiguous_seen"])
    mask = frame.select(pl.col("only_month_first") & dated).to_series()
    ambiguous_reason = (
        "date ambiguë : elle se lit jour/mois comme mois/jour, et la colonne contient aussi des dates "
        f"écrites mois/jour, comme {example(values, mask)}"
    )
    mask = frame.select(pl.col("both_ways") & dated).to_series()
    mixed_reason = (
        "date écrite mois/jour, dans une colonne qui contient aussi des dates ambiguës, comme "
        f"{example(values, mask)} : la colonne mélange deux façons d'écrire les dates"
    )
    read_day_first = pl.col("certain_day_first") | (pl.col("both_ways") & (not month_first_seen))
    read_month_first = pl.col("only_month_first") & (not ambiguous_seen)
    month = (
        pl.when(pl.col("ymd_ok"))
        .then(pl.col("ymd_m"))
        .when(read_day_first)
        .then(b)
        .when(read_month_first)
        .then(a)
    )
    day = (
        pl.when(pl.col("ymd_ok"))
        .then(pl.col("ymd_d"))
        .when(read_day_first)
        .then(a)
        .when(read_month_first)
        .then(b)
    )
    year = pl.when(pl.col("ymd_ok")).then(pl.col("ymd_y")).when(read_day_first | read_month_first).then(y)
    reason = (
        pl.when(pl.col("both_ways") & dated & month_first_seen)
        .then(pl.lit(ambiguous_reason))
        .when(pl.col("only_month_first") & dated & ambiguous_seen)
        .then(pl.lit(mixed_reason))
        .when(pl.col("short") & pl.col("zero_time"))
        .then(pl.lit(SHORT_YEAR_REASON))
        .when((pl.col("ymd_ok") | pl.col("day_first") | pl.col("month_first")) & ~pl.col("zero_time"))
        .then(pl.lit(TIME_REASON))
    )
    result = frame.select(
        pl.when(pl.col("zero_time")).then(year).alias("year"),
        pl.when(pl.col("zero_time")).then(month).alias("month"),
        pl.when(pl.col("zero_time")).then(day).alias("day"),
        reason.cast(pl.String).alias("reason"),
    )
    return DateReadings(result)


def _parts(date_part: pl.Series, regex: str) -> pl.DataFrame:
    """p1, p2, p3 as integers where the text has the shape and one separator used twice, else null."""
    groups = date_part.str.extract_groups(regex).struct.unnest()
    same = (groups.get_column("s1") == groups.get_column("s2")).fill_null(False)
    return groups.select(
        pl.when(pl.lit(same)).then(pl.col(p).cast(pl.Int64, strict=False)).alias(p)
        for p in ("p1", "p2", "p3")
    )


# --- writing --------------------------------------------------------------------------------------


def output_format(field_format: str) -> str | None:
    """The strptime pattern dates of a field with this ``format`` are written in, or None when it is not
    simple enough to write with certainty (only ``%Y``, ``%m``, ``%d`` once each, ``%%`` and literal
    text: a two-digit year or a month name could be read back differently)."""
    fmt = normalise_format(field_format)
    if fmt in {"default", "any"}:
        return ISO_FORMAT
    seen: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            code = fmt[i + 1] if i + 1 < len(fmt) else ""
            if code not in {"Y", "m", "d", "%"}:
                return None
            if code != "%":
                seen.append(code)
            i += 2
        else:
            i += 1
    return fmt if sorted(seen) == ["Y", "d", "m"] else None


def write_dates(year: pl.Series, month: pl.Series, day: pl.Series, fmt: str) -> pl.Series:
    """The dates as text in the strptime pattern ``fmt`` (see :func:`output_format`); null stays null.

    polars writes ``%Y`` (four digits, zero-padded), ``%m``, ``%d`` and ``%%`` as Python does."""
    valid = valid_date(pl.lit(year), pl.lit(month), pl.lit(day))
    dates = safe_date(pl.lit(year), pl.lit(month), pl.lit(day), valid)
    return pl.select(dates.dt.strftime(fmt)).to_series()


class DateRule(FixRule):
    """A rule that writes dates in a ``date`` field's format (when that format is simple enough to write
    with certainty, see :func:`output_format`)."""

    def applies_to(self, field: Field, schema: TableSchema) -> bool:
        return field.type == "date" and output_format(field.format) is not None

    @staticmethod
    def target_format(ctx: FixContext) -> str:
        """The format the rule writes the field's dates in."""
        fmt = output_format(ctx.field.format)
        assert fmt is not None  # applies_to checked it
        return fmt
