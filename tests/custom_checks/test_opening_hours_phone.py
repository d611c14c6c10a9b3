"""opening-hours-value and phone-number-value (library verdicts, judged once per distinct value)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socle.validation.custom_checks._common import VerdictCache
from socle.validation.custom_checks.base import CheckParamsError
from socle.validation.custom_checks.phone_number_value import (
    french_patterns,
    is_valid_phone_number,
    split_french,
)

from .conftest import instantiate, make_context, run, schema_of

# Verdicts shared by Validata 0.12.5 (opening-hours-py 0.6.18) and Socle (the library Socle installs).
OPENING_HOURS = {
    "Mo-Fr 08:00-12:00": True,
    "24/7": True,
    "Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00": True,
    "Lundi 8h-12h": False,
    "Mo-Su": True,
    "sunrise-sunset": True,
    "Mo-Fr 08:00-12:00; PH off": True,
    "Mo 25:00-26:00": False,
    "Mo-Fr 8-12": False,
    "24/24": False,
    'Mo-Fr 10:00-20:00; "sur rendez-vous"': True,
    "Mo-Fr 08h00-12h00": False,
    "Mo-Fr 08:00-12:00,": False,
    "closed": True,
    "Mo-Fr 09:00-12:00\n": False,
    "Mo–Fr 09:00–12:00": False,  # en dashes
    "Tu-Mo 10:00-12:00": True,
    "Mo-Fr 22:00-02:00": True,
    "Sa[1] 10:00-12:00": True,
    "Mo-Fr (sunrise+01:00)-(sunset-01:00)": True,
}

# Where the two library versions differ (Validata's verdict first): documented, not hidden.
OPENING_HOURS_VERSION_DIFFERENCES = {
    "Mo-Fr 08:00+": (False, True),  # valid OSM syntax ("open end")
    "Sa[-1] 10:00-12:00": (False, True),  # valid OSM syntax (last Saturday)
    "Mo-Fr 9:00-12:00": (False, True),  # tolerated by the newer version
    " ": (True, False),
}

# Verdicts of Validata 0.12.5 (phonenumbers 8.13.55), the same with the phonenumbers Socle installs.
PHONE_NUMBERS = {
    "01 99 00 27 37": True,
    "+33 1 99 00 27 37": True,
    "0199002737": True,
    "115": True,  # short numbers are valid in France
    "3949": True,
    "0800 123 456": True,
    "06 12 34 56 78": True,
    "07 00 00 00 00": False,
    "+1 650 253 0000": True,
    "+44 20 7946 0958": True,
    "0590 12 34 56": False,
    "0269 61 12 34": True,
    "+262 262 12 34 56": True,
    "0033199002737": True,
    "01.99.00.27.37": True,
    "(01) 99 00 27 37": True,
    "abc": False,
    "1": False,
    "01 99 00 27 3": False,
    "01 99 00 27 377": False,
    "+33 (0)1 99 00 27 37": True,
    "+689 40 12 34 56": False,
    "0694 12 34 56": False,
}


def _failing(name: str, cells: list[str]) -> list[str | None]:
    found = run(name, {"column": "v"}, ["id", "v"], ["id", "v"], [[str(i), c] for i, c in enumerate(cells)])
    assert all(f[0] == name and f[3] == "v" and f[4] == 2 for f in found)
    return [f[5] for f in found]


@pytest.mark.parametrize(
    ("name", "verdicts"), [("opening-hours-value", OPENING_HOURS), ("phone-number-value", PHONE_NUMBERS)]
)
def test_verdicts(name: str, verdicts: dict[str, bool]) -> None:
    cells = list(verdicts)
    assert _failing(name, cells) == [c for c in cells if not verdicts[c]]


def test_opening_hours_library_version_differences() -> None:
    cells = list(OPENING_HOURS_VERSION_DIFFERENCES)
    socle_fails = [c for c, (_, socle) in OPENING_HOURS_VERSION_DIFFERENCES.items() if not socle]
    assert _failing("opening-hours-value", cells) == socle_fails


@pytest.mark.parametrize("name", ["opening-hours-value", "phone-number-value"])
def test_repeated_values_are_all_reported(name: str) -> None:
    # Each distinct value is judged once, and the verdict goes back to every row that has it.
    cells = ["zzz", "24/7" if name == "opening-hours-value" else "115", "zzz", "", "zzz"]
    found = run(name, {"column": "v"}, ["v"], ["v"], [[c] for c in cells])
    assert [f[2] for f in found] == [2, 4, 6]


@pytest.mark.parametrize("name", ["opening-hours-value", "phone-number-value"])
def test_verdicts_are_kept_across_batches(name: str) -> None:
    schema = schema_of(["v"])
    check = instantiate(name, {"column": "v"}, schema)
    first = check.check(make_context(schema, ["v"], [["zzz"], ["yyy"]]))
    second = check.check(make_context(schema, ["v"], [["zzz"], ["xxx"]]))
    assert first.height == 2 and second.height == 2


@pytest.mark.parametrize("name", ["opening-hours-value", "phone-number-value"])
def test_params_are_checked(name: str) -> None:
    with pytest.raises(CheckParamsError):
        instantiate(name, {"column": "nope"}, schema_of(["v"]))


def _shapes(nsn: str) -> list[str]:
    pairs = [nsn[i : i + 2] for i in range(1, 9, 2)]
    return [
        "0" + nsn,
        f"0{nsn[0]} " + " ".join(pairs),
        f"0{nsn[0]}." + ".".join(pairs),
        f"0{nsn[0]}-" + "-".join(pairs),
        f"+33 {nsn[0]} " + " ".join(pairs),
        "+33" + nsn,
    ]


def test_french_fast_path_agrees_with_phonenumbers_on_every_prefix() -> None:
    # Every 3-digit start of the national number, in every shape the fast path takes.
    assert french_patterns() is not None
    values = [v for p in range(100, 1000) for v in _shapes(f"{p}{(p * 7919) % 1000000:06d}")]
    invalid, others = split_french(pl.Series(values))
    assert others == []
    assert sorted(invalid) == sorted(v for v in values if not is_valid_phone_number(v))
    assert 0 < len(invalid) < len(values)


@settings(max_examples=50)
@given(
    st.lists(st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: s[0] != "0"), min_size=1)
)
def test_french_fast_path_agrees_with_phonenumbers(numbers: list[str]) -> None:
    values = [v for nsn in numbers for v in _shapes(nsn)]
    invalid, others = split_french(pl.Series(values))
    assert others == []
    assert set(invalid) == {v for v in values if not is_valid_phone_number(v)}


def test_other_shapes_go_through_phonenumbers() -> None:
    values = [
        "01 99 00 27 3",
        "115",
        "(01) 99 00 27 37",
        "+44 20 7946 0958",
        "01  99 00 27 37",
        "01 99.00 27 37",
    ]
    invalid, others = split_french(pl.Series(values))
    assert invalid == [] and sorted(others) == sorted(values)


def test_verdict_cache_stays_bounded_and_right() -> None:
    calls: list[str] = []

    def short(value: str) -> bool:
        calls.append(value)
        return len(value) < 3

    cache = VerdictCache(short, limit=3)
    assert cache.invalid_values(["a", "long"]) == ["long"]
    assert cache.invalid_values(["a", "long"]) == ["long"] and calls == ["a", "long"]  # remembered
    assert cache.invalid_values(["bb", "cccc"]) == ["cccc"]  # over the limit: starts afresh
    assert cache.invalid_values(["a"]) == [] and calls == ["a", "long", "bb", "cccc", "a"]
    assert cache.invalid(pl.Series(["a", None, "long", "a"])).to_list() == [False, False, True, False]
