"""A type's fast reading agrees with its full rule: a cell it decides is valid, with the same value.

The engine trusts :meth:`FieldType.fast` for the usual cells of a column and reads only the others with
:meth:`FieldType.parse`; any disagreement would change a verdict."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socle.validation.types import field_type

from .support import field_from

DESCRIPTORS: list[dict[str, Any]] = [
    {"type": "integer"},
    {"type": "integer", "bareNumber": False},
    {"type": "number"},
    {"type": "number", "decimalChar": ",", "groupChar": " "},
    {"type": "number", "decimalChar": ",", "groupChar": "."},
    {"type": "number", "bareNumber": False},
    {"type": "date"},
    {"type": "date", "format": "%d/%m/%Y"},
    {"type": "date", "format": "%Y"},
    {"type": "year"},
    {"type": "boolean"},
    {"type": "boolean", "trueValues": ["oui", "x"], "falseValues": ["non"]},
    {"type": "boolean", "trueValues": ["oui", "x"], "falseValues": ["non", "x"]},
    {"type": "boolean", "trueValues": [f"v{i}" for i in range(12)] + ["true"], "falseValues": ["False"]},
    {"type": "string", "format": "uri"},
    {"type": "string"},
]

CELL = st.one_of(
    st.text(alphabet="0123456789-+./,: eEaTtrufsxnoi_٣\u00a0/", max_size=14),
    st.dates().map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["true", "False", "oui", "x", "non", "http://a.fr", "mailto:x", "2024-02-30", "0000"]),
)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


@pytest.mark.parametrize("descriptor", DESCRIPTORS, ids=lambda d: "-".join(f"{k}={v}" for k, v in d.items()))
@settings(max_examples=150, deadline=None)
@given(cells=st.lists(CELL, min_size=1, max_size=30))
def test_fast_decisions_are_those_of_the_full_rule(descriptor: dict[str, Any], cells: list[str]) -> None:
    ftype = field_type(field_from(descriptor))
    values = pl.Series("v", cells, dtype=pl.String)
    fast = ftype.fast(values)
    if fast is None:
        return
    read, decided = fast
    typed, ok = ftype.parse(values)
    flags = [True] * len(cells) if decided is None else decided.fill_null(False).to_list()
    for cell, is_decided, fast_value, valid, value in zip(
        cells, flags, read.to_list(), ok.to_list(), typed.to_list(), strict=True
    ):
        if is_decided:
            assert valid, cell
            assert _same(fast_value, value), (cell, fast_value, value)
