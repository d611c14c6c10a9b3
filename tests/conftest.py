"""Shared fixtures: where the reference data of ../shared lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"../shared est introuvable ({SHARED}) : les tests en ont besoin"
    return SHARED


# In CI the property tests draw the same examples on every run (a submission is judged on its own
# code, not on the luck of the draw); locally they explore new examples each time.
if os.environ.get("CI"):
    settings.register_profile("ci", derandomize=True, print_blob=True)
    settings.load_profile("ci")
