"""Findings are rows of a polars frame, so that millions of them cost little and group quickly.

Columns (``FINDING_SCHEMA``):

- ``code``: stable code, aligned with frictionless / Validata names (see :mod:`socle.validation.catalogue`);
- ``detail``: what exactly failed within the code (the type, the constraint, the check's variant), or null;
- ``row``: row number as in the source file (null for findings about the whole table or header);
- ``column``: 1-based position of the cell's column in the source file (null if no column applies);
- ``field``: field name (or header label) the finding is about;
- ``value``: the cell's text as read (null if no cell applies);
- ``message``: the French message.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String(),
    "detail": pl.String(),
    "row": pl.Int64(),
    "column": pl.Int32(),
    "field": pl.String(),
    "value": pl.String(),
    "message": pl.String(),
}

FINDING_COLUMNS = list(FINDING_SCHEMA)


_EMPTY = pl.DataFrame(schema=FINDING_SCHEMA)


def empty_findings() -> pl.DataFrame:
    """No findings (one shared frame: polars frames are not changed in place)."""
    return _EMPTY


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Give a frame of findings exactly the finding columns, in order, with their types."""
    if frame.schema == _EMPTY.schema:
        return frame
    exprs = [
        (pl.col(name) if name in frame.columns else pl.lit(None)).cast(dtype).alias(name)
        for name, dtype in FINDING_SCHEMA.items()
    ]
    return frame.select(exprs)


def concat_findings(parts: Iterable[pl.DataFrame]) -> pl.DataFrame:
    frames = [conform(p) for p in parts if p.height]
    if not frames:
        return empty_findings()
    return pl.concat(frames, how="vertical")


def single_finding(
    code: str,
    message: str,
    *,
    detail: str | None = None,
    row: int | None = None,
    column: int | None = None,
    field: str | None = None,
    value: str | None = None,
) -> pl.DataFrame:
    """One finding, for structure-level problems found outside the vectorised path."""
    return pl.DataFrame(
        [
            {
                "code": code,
                "detail": detail,
                "row": row,
                "column": column,
                "field": field,
                "value": value,
                "message": message,
            }
        ],
        schema=FINDING_SCHEMA,
    )


def cell_findings(
    frame: pl.DataFrame,
    mask: pl.Expr | pl.Series,
    *,
    code: str,
    message: pl.Expr,
    row: pl.Expr,
    field: str | None,
    column: int | None,
    value: pl.Expr | None,
    detail: str | None = None,
) -> pl.DataFrame:
    """Findings for the rows of ``frame`` where ``mask`` is true.

    ``message``, ``row`` and ``value`` are expressions evaluated on ``frame`` (only on flagged rows).
    """
    if isinstance(mask, pl.Series):
        if not mask.any():  # known without a query
            return empty_findings()
        frame = frame.filter(mask)
        mask = pl.lit(True)
    return cell_findings_query(
        frame.lazy(),
        mask,
        code=code,
        message=message,
        row=row,
        field=field,
        column=column,
        value=value,
        detail=detail,
    ).collect()


def cell_findings_query(
    frame: pl.LazyFrame,
    mask: pl.Expr,
    *,
    code: str,
    message: pl.Expr,
    row: pl.Expr,
    field: str | None,
    column: int | None,
    value: pl.Expr | None,
    detail: str | None = None,
) -> pl.LazyFrame:
    """:func:`cell_findings` as a query, to be run with others (one query costs less than several)."""
    return frame.filter(mask).select(
        pl.lit(code, pl.String).alias("code"),
        pl.lit(detail, pl.String).alias("detail"),
        row.cast(pl.Int64).alias("row"),
        pl.lit(column, pl.Int32).alias("column"),
        pl.lit(field, pl.String).alias("field"),
        (value if value is not None else pl.lit(None)).cast(pl.String).alias("value"),
        message.cast(pl.String).alias("message"),
    )
