"""``minLength``/``maxLength`` on strings count characters, whatever their size in UTF-8.

The constraint decides most cells on their byte length and counts the characters of the others only;
Python's ``len`` is the reference."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socle.validation.constraints.base import build_constraints
from socle.validation.types import field_type

from ..types.support import field_from

CELL = st.one_of(st.none(), st.text(alphabet="aé€😀 \u0301", max_size=12))


@pytest.mark.parametrize("name", ["minLength", "maxLength"])
@settings(max_examples=200, deadline=None)
@given(cells=st.lists(CELL, min_size=1, max_size=30), limit=st.integers(min_value=0, max_value=8))
def test_string_length_counts_characters(name: str, cells: list[str | None], limit: int) -> None:
    field = field_from({"type": "string", "constraints": {name: limit}})
    (constraint,) = build_constraints(field, field_type(field))
    typed = pl.Series("v", cells, dtype=pl.String)
    violated = constraint.violated(typed, typed.is_null()).to_list()
    expected = [
        cell is not None and (len(cell) < limit if name == "minLength" else len(cell) > limit)
        for cell in cells
    ]
    assert violated == expected
