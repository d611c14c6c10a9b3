"""The bundled snapshot: equal to what the build script makes from ../shared, and every schema in it loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socle.schemas import LocalCatalogue, bundled_dir, load_schema, show_schema
from socle.schemas.layout import read_catalogue
from socle.schemas.snapshot import build_snapshot, snapshot_contents
from tests.schemas._support import SHARED_SCHEMAS


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _upstream() -> list[dict[str, object]]:
    return list(json.loads((SHARED_SCHEMAS / "schemas.json").read_text(encoding="utf-8"))["schemas"])


def test_shared_reference_data_is_present() -> None:
    # CI always has ../shared; without it the snapshot cannot be checked, so fail rather than skip.
    assert (SHARED_SCHEMAS / "schemas.json").is_file(), f"{SHARED_SCHEMAS} est introuvable"
    assert (SHARED_SCHEMAS / "schemas-scdl.json").is_file()


def test_shipped_snapshot_equals_a_fresh_build(tmp_path: Path) -> None:
    built = tmp_path / "data"
    build_snapshot(SHARED_SCHEMAS, built)
    shipped, fresh = _tree(bundled_dir()), _tree(built)
    assert sorted(shipped) == sorted(fresh), "relancez scripts/build_schema_snapshot.py"
    differing = [name for name in fresh if shipped[name] != fresh[name]]
    assert not differing, f"fichiers différents (relancez scripts/build_schema_snapshot.py) : {differing[:5]}"


def test_build_is_deterministic_and_rerunnable(tmp_path: Path) -> None:
    out = tmp_path / "data"
    build_snapshot(SHARED_SCHEMAS, out)
    (out / "stale.json").write_text("{}")
    first = _tree(out)
    build_snapshot(SHARED_SCHEMAS, out)
    second = _tree(out)
    assert "stale.json" not in second  # the output is replaced as a whole
    first.pop("stale.json")
    assert first == second


def test_catalogue_lists_every_entry_with_all_its_versions() -> None:
    read = read_catalogue(bundled_dir())
    assert read is not None
    _, entries = read
    upstream = _upstream()
    assert [e.name for e in entries] == [raw["name"] for raw in upstream]
    for entry, raw in zip(entries, upstream, strict=True):
        assert list(entry.version_names) == [v["version_name"] for v in raw["versions"]]  # type: ignore[index, union-attr]
        stored = [v.name for v in entry.versions if v.file]
        if entry.schema_type in ("tableschema", "datapackage"):
            assert stored == [entry.latest.name] if entry.latest else []
        else:
            assert stored == []  # JSON Schema and "other" are listed, never stored


def test_scdl_flags_follow_schemas_scdl_json() -> None:
    scdl = {
        e["name"]
        for e in json.loads((SHARED_SCHEMAS / "schemas-scdl.json").read_text(encoding="utf-8"))["schemas"]
    }
    _, entries = snapshot_contents(SHARED_SCHEMAS)
    assert {e.name for e in entries if e.scdl} == scdl
    assert len(scdl) == 14


def test_catalogue_version_names_win_over_the_descriptor() -> None:
    schema = load_schema("etalab/schema-irve-statique")
    assert schema.descriptor["version"] == "v2.3.0"
    assert schema.version == "2.3.1"
    assert str(schema.ref) == "etalab/schema-irve-statique@2.3.1"
    assert load_schema("scdl/prenoms").version == "1.1.6"


def test_stored_documents_are_compact_json_without_yaml() -> None:
    files = [p for p in bundled_dir().rglob("*") if p.is_file()]
    assert all(p.suffix == ".json" for p in files)
    document = next(p for p in files if p.name == "schema.json")
    assert "\n " not in document.read_text(encoding="utf-8")


def _table_schema_entries() -> list[str]:
    return [
        e.name for e in LocalCatalogue.from_dirs(bundled_dir()).entries() if e.schema_type == "tableschema"
    ]


def _package_resources() -> list[str]:
    catalogue = LocalCatalogue.from_dirs(bundled_dir())
    refs = []
    for entry in catalogue.entries():
        if entry.schema_type == "datapackage":
            shown = show_schema(entry.name, catalogue=catalogue)
            refs += [f"{entry.name}#{r['name']}" for r in shown["resources"]]
    return refs


def test_snapshot_holds_all_table_schemas_and_packages() -> None:
    upstream = _upstream()
    assert len(_table_schema_entries()) == sum(raw["schema_type"] == "tableschema" for raw in upstream) == 60
    shared_packages = [
        json.loads(p.read_text(encoding="utf-8")) for p in SHARED_SCHEMAS.glob("*/*/datapackage.json")
    ]
    assert len(shared_packages) == 9
    assert len(_package_resources()) == sum(len(d["resources"]) for d in shared_packages)


@pytest.mark.parametrize("name", _table_schema_entries())
def test_every_table_schema_of_the_snapshot_loads(name: str) -> None:
    schema = load_schema(name)
    assert schema.fields
    assert schema.ref is not None and schema.ref.name == name


@pytest.mark.parametrize("ref", _package_resources())
def test_every_data_package_resource_of_the_snapshot_loads(ref: str) -> None:
    schema = load_schema(ref)
    assert schema.fields
    assert schema.ref is not None and schema.ref.resource == ref.split("#")[1]
