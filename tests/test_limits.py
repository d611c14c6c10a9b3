"""Limits are named settings, overridable by environment and by code, and refuse nonsense."""

from __future__ import annotations

import pytest

from socle.errors import UsageError
from socle.limits import Limits


def test_environment_overrides_defaults() -> None:
    limits = Limits.from_env({"SOCLE_LIMIT_MAX_ROWS": "1_000", "SOCLE_LIMIT_BATCH_BYTES": "4096"})
    assert limits.max_rows == 1000
    assert limits.batch_bytes == 4096
    assert limits.max_bytes == Limits().max_bytes


@pytest.mark.parametrize("raw", ["abc", "-3", "0", ""])
def test_bad_environment_values_are_refused_in_french(raw: str) -> None:
    with pytest.raises(UsageError, match="SOCLE_LIMIT_MAX_ROWS"):
        Limits.from_env({"SOCLE_LIMIT_MAX_ROWS": raw})


def test_overrides_ignore_none_and_refuse_unknown_names() -> None:
    limits = Limits().with_overrides(max_rows=None, max_columns=5)
    assert limits.max_columns == 5
    assert limits.max_rows == Limits().max_rows
    with pytest.raises(UsageError, match="inconnue"):
        Limits().with_overrides(max_everything=3)


def test_every_limit_is_described() -> None:
    assert set(Limits.describe()) == set(Limits.names())
