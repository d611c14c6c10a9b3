"""french-gps-coordinates (and reversed-french-gps-coordinates)."""

from __future__ import annotations

import pytest

from socle.validation.custom_checks.base import CheckParamsError

from .conftest import instantiate, run, schema_of

GPS = "french-gps-coordinates"
REVERSED = "reversed-french-gps-coordinates"

# Validata 0.12.5's findings for these points ("lon, lat"), checked by running it.
POINTS = {
    "2.35, 48.85": None,  # Paris
    "48.85, 2.35": REVERSED,
    "-61.5, 16.2": None,  # Guadeloupe
    "16.2, -61.5": REVERSED,
    "0, 0": GPS,
    "-5.141277, 45": GPS,  # on the edge of the metropolitan box: outside
    "9.560091, 45": GPS,
    "9.56009, 45": None,
    "55.5, -21.1": None,  # La Réunion
    "-21.1, 55.5": REVERSED,
    "45.1, -12.8": None,  # Mayotte
    "-52, 4": None,  # Guyane
    "4, -52": REVERSED,
    "2.35,48.85": None,
    "45, 45": GPS,
    "-61, 14.6": None,  # Martinique
    "-60.5, 14.6": GPS,  # east of the Martinique box
}


def test_points() -> None:
    cells = list(POINTS)
    fields = [{"name": "g", "type": "geopoint"}]
    found = run(GPS, {"column": "g"}, fields, ["g"], [[c] for c in cells])
    expected = [
        (code, None, row, "g", 1, cell) for row, (cell, code) in enumerate(POINTS.items(), start=2) if code
    ]
    assert found == expected


def test_type_errors_and_empty_cells_are_skipped() -> None:
    fields = [{"name": "g", "type": "geopoint"}]
    assert run(GPS, {"column": "g"}, fields, ["g"], [["foo"], [""], ["1, 2, 3"]]) == []


def test_array_format_points() -> None:
    fields = [{"name": "g", "type": "geopoint", "format": "array"}]
    found = run(GPS, {"column": "g"}, fields, ["g"], [["[2.35, 48.85]"], ["[48.85, 2.35]"]])
    assert [(f[0], f[2]) for f in found] == [(REVERSED, 3)]


@pytest.mark.parametrize("params", [{}, {"column": "s"}, {"column": "nope"}])
def test_params_are_checked(params: dict[str, str]) -> None:
    with pytest.raises(CheckParamsError):
        instantiate(GPS, params, schema_of([{"name": "g", "type": "geopoint"}, "s"]))
