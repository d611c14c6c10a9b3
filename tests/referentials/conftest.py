"""Where the repository and the reference data of ../shared are."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def build_script() -> ModuleType:
    """``scripts/build_referentials.py``, loaded as a module."""
    spec = importlib.util.spec_from_file_location(
        "build_referentials", REPO / "scripts" / "build_referentials.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
