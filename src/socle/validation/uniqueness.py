"""``unique`` fields and ``primaryKey``: constraints that span every batch of the table.

Typed values are gathered batch after batch (only for the columns concerned, their texts copied out
of the batch) and duplicates are found once at the end; every occurrence after the first is reported, pointing at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

import polars as pl

from socle.io.table import owned
from socle.validation import catalogue
from socle.validation.findings import FINDING_COLUMNS, concat_findings, empty_findings


@dataclass
class UniqueTracker:
    """Gathers one unique field's typed values."""

    field: str
    column: int
    parts: list[pl.DataFrame] = dataclass_field(default_factory=list)

    def add(self, rows: pl.Series, typed: pl.Series, raw: pl.Series) -> None:
        frame = pl.DataFrame({"row": rows, "key": typed, "value": raw}).filter(pl.col("key").is_not_null())
        if typed.dtype.is_float():
            # NaN equals nothing, not even NaN: it is never a duplicate (as in frictionless).
            frame = frame.filter(~pl.col("key").is_nan())
        if frame.height:
            self.parts.append(owned(frame))

    def findings(self) -> pl.DataFrame:
        if not self.parts:
            return empty_findings()
        data = pl.concat(self.parts)
        dup = data.with_columns(pl.col("row").first().over("key").alias("first_row")).filter(
            pl.col("row") != pl.col("first_row")
        )
        if not dup.height:
            return empty_findings()
        return dup.select(
            pl.lit("unique-error").alias("code"),
            pl.lit(None, pl.String).alias("detail"),
            pl.col("row").cast(pl.Int64),
            pl.lit(self.column, pl.Int32).alias("column"),
            pl.lit(self.field).alias("field"),
            pl.col("value").cast(pl.String),
            catalogue.message(
                "unique-error", value=pl.col("value"), field=self.field, first_row=pl.col("first_row")
            ).alias("message"),
        ).select(FINDING_COLUMNS)


@dataclass
class PrimaryKeyTracker:
    """Gathers the primary key's typed values, row by row."""

    fields: tuple[str, ...]
    parts: list[pl.DataFrame] = dataclass_field(default_factory=list)

    def add(self, rows: pl.Series, typed: dict[str, pl.Series], raw: dict[str, pl.Series]) -> None:
        keys = pl.DataFrame({f"k{i}": typed[name] for i, name in enumerate(self.fields)})
        shown = pl.DataFrame({f"v{i}": raw[name] for i, name in enumerate(self.fields)})
        self.parts.append(owned(pl.concat([pl.DataFrame({"row": rows}), keys, shown], how="horizontal")))

    def findings(self) -> pl.DataFrame:
        if not self.parts:
            return empty_findings()
        data = pl.concat(self.parts, how="vertical_relaxed")
        key_cols = [f"k{i}" for i in range(len(self.fields))]
        shown = pl.concat_str(
            [pl.col(f"v{i}").fill_null("") for i in range(len(self.fields))], separator=", "
        )
        all_null = pl.all_horizontal([pl.col(c).is_null() for c in key_cols])
        data = data.with_columns(
            pl.struct(key_cols).alias("key"),
            shown.alias("shown"),
            all_null.alias("all_null"),
        )
        data = data.with_columns(pl.col("row").first().over("key").alias("first_row"))
        flagged = data.filter(pl.col("all_null") | (pl.col("row") != pl.col("first_row")))
        if not flagged.height:
            return empty_findings()
        key_names = ", ".join(self.fields)
        return concat_findings(
            [
                flagged.select(
                    pl.lit("primary-key").alias("code"),
                    pl.when(pl.col("all_null"))
                    .then(pl.lit("empty"))
                    .otherwise(pl.lit("duplicate"))
                    .alias("detail"),
                    pl.col("row").cast(pl.Int64),
                    pl.lit(None, pl.Int32).alias("column"),
                    pl.lit(key_names).alias("field"),
                    pl.col("shown").alias("value"),
                    pl.when(pl.col("all_null"))
                    .then(
                        pl.lit(f"La clé primaire ({key_names}) de la ligne ")
                        .add(pl.col("row").cast(pl.String))
                        .add(pl.lit(" est vide."))
                    )
                    .otherwise(
                        catalogue.message(
                            "primary-key",
                            key=key_names,
                            row=pl.col("row"),
                            first_row=pl.col("first_row"),
                        )
                    )
                    .alias("message"),
                )
            ]
        )
