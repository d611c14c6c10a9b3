"""``espaces``: trimming and collapsing spaces, only when the result is accepted."""

from __future__ import annotations

from .fixes_support import changed, run

DATE = {"name": "d", "type": "date"}
ENUM = {"name": "e", "constraints": {"enum": ["aide en nature", "aide en numéraire"]}}
REQUIRED_ENUM = {"name": "e", "constraints": {"enum": ["aide en nature"], "required": True}}


def test_trims_every_kind_of_space_and_invisible_characters() -> None:
    cells = [
        " 2021-03-04",
        "2021-03-04\u00a0",
        "\u202f2021-03-04\t",
        "\ufeff2021-03-04",
        "\u200b2021-03-04 \n",
    ]
    assert changed("espaces", DATE, cells) == ["2021-03-04"] * len(cells)


def test_collapses_inner_runs_when_trimming_is_not_enough() -> None:
    cells = [" aide  en nature", "aide\u00a0en\u202fnature ", "aide\ten   nature"]
    assert changed("espaces", ENUM, cells) == ["aide en nature"] * 3


def test_prefers_the_smallest_change() -> None:
    # Trimming alone gives an allowed value: the inner double space is kept.
    field = {"name": "e", "constraints": {"enum": ["aide  en nature"]}}
    assert changed("espaces", field, [" aide  en nature "]) == ["aide  en nature"]


def test_leaves_values_the_engine_accepts() -> None:
    # A free text field accepts any text: its spaces are the author's.
    assert changed("espaces", {"name": "s"}, [" a  b ", "\u00a0x"]) == [" a  b ", "\u00a0x"]
    assert changed("espaces", ENUM, ["aide en nature"]) == ["aide en nature"]
    # Number cells are stripped by the engine itself: " 12 " is a valid number.
    assert changed("espaces", {"name": "n", "type": "number"}, [" 12 "]) == [" 12 "]


def test_leaves_values_that_stay_invalid() -> None:
    assert changed("espaces", ENUM, [" nature ", " x "]) == [" nature ", " x "]
    assert changed("espaces", DATE, [" 08/09/2017 "]) == [" 08/09/2017 "]


def test_a_cell_of_spaces_becomes_empty_only_where_empty_is_allowed() -> None:
    assert changed("espaces", DATE, ["   ", "\u00a0"]) == ["", ""]
    assert changed("espaces", REQUIRED_ENUM, ["   "]) == ["   "]


def test_never_flags_and_keeps_nulls() -> None:
    assert run("espaces", DATE, [None, "", " x"]) == [(None, None), ("", None), (" x", None)]
