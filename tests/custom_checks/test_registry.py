"""The registry: every check module registered, every code in the catalogue, every schema's check known."""

from __future__ import annotations

import json
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest

import socle.validation.custom_checks as package
from socle.validation import catalogue
from socle.validation.custom_checks.base import CustomCheck, load_registry

from .conftest import SCHEMAS

USED_BY_SCHEMA_DATA_GOUV = {
    "french-siret-value",
    "french-siren-value",
    "nomenclature-actes-value",
    "compare-columns-value",
    "sum-columns-value",
    "year-interval-value",
    "cohesive-columns-value",
    "one-of-required",
    "opening-hours-value",
    "phone-number-value",
    "french-gps-coordinates",
}
VALIDATA_NEWER_NAMES = {
    "siret": "french-siret-value",
    "siren": "french-siren-value",
    "nomenclature-acte": "nomenclature-actes-value",
}


def _check_names(node: Any) -> Iterator[str]:
    """Names of the custom checks anywhere in a JSON document (schemas and data packages)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "custom_checks" and isinstance(value, list):
                yield from (c["name"] for c in value if isinstance(c, dict) and "name" in c)
            else:
                yield from _check_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _check_names(item)


def test_every_check_module_registers_a_check() -> None:
    registry = load_registry()
    modules = {
        m.name
        for m in pkgutil.iter_modules(package.__path__)
        if not m.name.startswith("_") and m.name != "base"
    }
    registered = {cls.__module__.rsplit(".", 1)[1] for cls in registry.values()}
    assert modules == registered
    assert len(modules) == 11


def test_registry_keys_are_check_names() -> None:
    for name, cls in load_registry().items():
        assert cls.name == name
        assert issubclass(cls, CustomCheck)


def test_every_code_is_in_the_catalogue() -> None:
    for cls in load_registry().values():
        assert cls.codes
        for code in cls.codes:
            assert code in catalogue.CODES, f"{cls.name}: {code}"


def test_every_check_named_in_a_schema_is_known() -> None:
    used: set[str] = set()
    for path in SCHEMAS.rglob("*.json"):
        used.update(_check_names(json.loads(path.read_text(encoding="utf-8"))))
    assert used, "aucun contrôle trouvé : le dossier des schémas a changé ?"
    assert used <= set(load_registry())
    assert set(load_registry()) >= USED_BY_SCHEMA_DATA_GOUV


@pytest.mark.parametrize(("new", "old"), sorted(VALIDATA_NEWER_NAMES.items()))
def test_newer_validata_names_are_aliases(new: str, old: str) -> None:
    registry = load_registry()
    assert issubclass(registry[new], registry[old])
    assert registry[new].codes == registry[old].codes
