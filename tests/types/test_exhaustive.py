"""Every short text over a small alphabet, read by Socle and by frictionless: the vectorised rules
must agree with the reference on all of them, not only on sampled ones."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.types.support import compare


def texts(alphabet: str, longest: int) -> list[str]:
    return ["".join(t) for n in range(1, longest + 1) for t in itertools.product(alphabet, repeat=n)]


@pytest.mark.parametrize(
    ("descriptor", "alphabet", "longest"),
    [
        ({"type": "string", "format": "binary"}, "Q=.", 8),
        ({"type": "integer"}, "1-+_ .", 6),
        ({"type": "integer", "bareNumber": False}, "1-+_ a", 5),
        ({"type": "number"}, "1.e-_n", 6),
        ({"type": "number", "decimalChar": ",", "groupChar": " "}, "1,. e-", 6),
        ({"type": "number", "bareNumber": False}, "1.-a", 5),
        ({"type": "year"}, "1-+_ ", 5),
        ({"type": "yearmonth"}, "1-+ 3_", 6),
        ({"type": "geopoint"}, "1,. -e", 6),
        ({"type": "duration"}, "P1TYD", 5),
        ({"type": "time"}, "1:0+Z", 8),
    ],
)
def test_every_short_text(descriptor: dict[str, Any], alphabet: str, longest: int) -> None:
    compare(descriptor, texts(alphabet, longest))
