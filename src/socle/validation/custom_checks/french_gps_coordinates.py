"""``french-gps-coordinates``: the point (a ``geopoint`` field) lies in France.

France is approximated, as in Validata, by six boxes: metropolitan France with Corsica, Guadeloupe,
Martinique, Guyane, La Réunion and Mayotte; a point on a box's edge is outside (Validata tests
"strictly within"). A point outside every box but inside one once longitude and latitude are swapped
is reported as ``reversed-french-gps-coordinates``; any other point outside as
``french-gps-coordinates``.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from socle.validation.custom_checks._common import VALUE, SingleColumnCheck
from socle.validation.custom_checks.base import register


class Box(NamedTuple):
    """A longitude/latitude box, in WGS84 degrees."""

    name: str
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float


# The same boxes as Validata's (WGS84 degrees), so that the same points are judged outside.
FRANCE_BOXES = (
    Box("France métropolitaine", -5.141277, 41.333571, 9.560091, 51.088989),
    Box("Guadeloupe", -61.809839, 15.832041, -61.001959, 16.514488),
    Box("Martinique", -61.229033, 14.388646, -60.809655, 14.878723),
    Box("Guyane", -54.60239, 2.111055, -51.619041, 5.748138),
    Box("La Réunion", 55.216526, -21.389631, 55.836654, -20.8718),
    Box("Mayotte", 45.01833, -13.005254, 45.299985, -12.63659),
)


def in_france(lon: pl.Expr, lat: pl.Expr) -> pl.Expr:
    """True where the point is strictly inside one of the boxes."""
    return pl.any_horizontal(
        (lon > b.lon_min) & (lon < b.lon_max) & (lat > b.lat_min) & (lat < b.lat_max) for b in FRANCE_BOXES
    )


class FrenchGpsCoordinates(SingleColumnCheck):
    """Validata's ``french-gps-coordinates``."""

    name = "french-gps-coordinates"
    code = "french-gps-coordinates"
    codes = ("french-gps-coordinates", "reversed-french-gps-coordinates")
    field_types = ("geopoint",)

    def bad_rows(self, frame: pl.DataFrame, column: int | None) -> pl.DataFrame:
        point = pl.col(VALUE)
        lon, lat = point.struct.field("lon"), point.struct.field("lat")
        frame = frame.with_columns(in_france(lon, lat).alias("direct"), in_france(lat, lon).alias("swapped"))
        outside = ~pl.col("direct")
        return pl.concat(
            [
                self.report(
                    frame, outside & pl.col("swapped"), column, code="reversed-french-gps-coordinates"
                ),
                self.report(frame, outside & ~pl.col("swapped"), column),
            ]
        )


register(FrenchGpsCoordinates)
