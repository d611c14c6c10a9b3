"""Plug-in discovery shared by types, constraints and custom checks: one module per rule, no list."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def import_rule_modules(package_name: str) -> None:
    """Import every public module of ``package_name`` (but ``base``) once, so that each registers itself."""
    package = importlib.import_module(package_name)
    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_") and module.name != "base":
            importlib.import_module(f"{package_name}.{module.name}")
