"""socle schemas sync against a catalogue served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from socle.errors import SchemaError
from socle.schemas import SchemaNotFoundError, SyncEvent, list_schemas, load_schema, sync
from tests.schemas._support import Site, minimal_schema

SCDL = "Socle Commun des Données Locales"


def _entry(site: Site, name: str, schema_type: str, versions: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "title": f"Titre de {name}",
        "schema_type": schema_type,
        "versions": [{"version_name": v, "schema_url": site.url(path)} for v, path in versions.items()],
        **extra,
    }


@pytest.fixture
def catalogue(site: Site) -> str:
    """Two Table Schemas × two versions (one invalid, one broken URL), a Data Package, a JSON Schema."""
    site.json("/schemas/test/alpha/1.0.0/schema.json", minimal_schema("a1", version="v1"))
    site.json("/schemas/test/alpha/2.0.0/schema.json", {"fields": [{"name": "a2", "type": "texte"}]})
    site.text("/schemas/test/beta/0.1.0/schema.yml", "fields:\n  - name: b1\n    type: integer\n")
    site.json(
        "/schemas/test/package/1.0/datapackage.json",
        {"resources": [{"name": "t", "schema": "t/schema.json"}]},
    )
    site.json("/schemas/test/package/1.0/t/schema.json", minimal_schema("t1"))
    schemas = [
        _entry(
            site,
            "test/alpha",
            "tableschema",
            {
                "1.0.0": "/schemas/test/alpha/1.0.0/schema.json",
                "2.0.0": "/schemas/test/alpha/2.0.0/schema.json",
            },
            labels=[SCDL],
        ),
        _entry(
            site,
            "test/beta",
            "tableschema",
            {
                "0.1.0": "/schemas/test/beta/0.1.0/schema.yml",
                "0.2.0": "/schemas/test/beta/0.2.0/missing.json",
            },
        ),
        _entry(site, "test/package", "datapackage", {"1.0": "/schemas/test/package/1.0/datapackage.json"}),
        _entry(site, "test/json", "jsonschema", {"1.0": "/schemas/test/json/1.0/schema.json"}),
        {"name": "../evil", "schema_type": "tableschema", "versions": []},
    ]
    return site.json("/schemas.json", {"$schema": "x", "version": 1, "schemas": schemas})


def test_sync_downloads_every_version_and_reports_failures(catalogue: str, tmp_path: Path) -> None:
    target = tmp_path / "synced"
    events: list[SyncEvent] = []
    report = sync(catalogue, target, on_progress=events.append)

    assert report.entries == 4
    assert report.downloaded == [("test/alpha", "1.0.0"), ("test/beta", "0.1.0"), ("test/package", "1.0")]
    assert report.already_present == []
    assert report.listed_only == ["test/json"]
    assert not report.ok
    failures = {(f.name, f.version): f.reason for f in report.failures}
    assert set(failures) == {("../evil", None), ("test/alpha", "2.0.0"), ("test/beta", "0.2.0")}
    assert (
        "champ « a2 »" in failures["test/alpha", "2.0.0"] and "« texte »" in failures["test/alpha", "2.0.0"]
    )
    assert "404" in failures["test/beta", "0.2.0"]
    assert "nom de schéma invalide" in failures["../evil", None]
    assert [e.done for e in events] == [1, 2, 3, 4, 5]
    assert {e.total for e in events} == {5}

    assert (target / "test/alpha/1.0.0/schema.json").is_file()
    assert not (target / "test/alpha/2.0.0").exists()
    assert (target / "test/package/1.0/t/schema.json").is_file()
    assert not list(target.rglob(".tmp-*"))
    stored = json.loads((target / "test/beta/0.1.0/schema.json").read_text(encoding="utf-8"))
    assert stored == {"fields": [{"name": "b1", "type": "integer"}]}  # YAML stored as JSON
    index = json.loads((target / "catalogue.json").read_text(encoding="utf-8"))
    assert index["source"] == catalogue
    files = {(e["name"], v["version_name"]): v["file"] for e in index["schemas"] for v in e["versions"]}
    assert files[("test/alpha", "1.0.0")] == "test/alpha/1.0.0/schema.json"
    assert files[("test/alpha", "2.0.0")] is None


def test_synced_schemas_are_loaded_first(catalogue: str, isolated_home: Path) -> None:
    report = sync(catalogue)
    assert report.target == isolated_home / "schemas"
    assert load_schema("test/alpha@1.0.0").field_names == ["a1"]
    assert load_schema("test/beta@0.1.0").fields[0].type == "integer"
    assert load_schema("test/package#t").field_names == ["t1"]
    # The latest (2.0.0) was invalid, so it is not stored: the newest local version is used, with a note.
    latest = load_schema("test/alpha")
    assert latest.version == "1.0.0"
    assert any("2.0.0" in w for w in latest.warnings)
    with pytest.raises(SchemaNotFoundError, match="socle schemas sync"):
        load_schema("test/alpha@2.0.0")
    summaries = {s.name: s for s in list_schemas()}
    assert summaries["test/alpha"].scdl and summaries["test/alpha"].local_versions == ("1.0.0",)
    assert "scdl/deliberations" in summaries  # the bundled snapshot stays available
    with pytest.raises(SchemaError, match="JSON Schema"):
        load_schema("test/json")


def test_a_second_sync_skips_what_is_present(catalogue: str, site: Site, tmp_path: Path) -> None:
    target = tmp_path / "synced"
    sync(catalogue, target)
    site.hits.clear()
    report = sync(catalogue, target)
    assert report.downloaded == []
    assert report.already_present == [
        ("test/alpha", "1.0.0"),
        ("test/beta", "0.1.0"),
        ("test/package", "1.0"),
    ]
    # Only the catalogue and the versions that failed last time are asked for again.
    assert sorted(site.hits) == [
        "/schemas.json",
        "/schemas/test/alpha/2.0.0/schema.json",
        "/schemas/test/beta/0.2.0/missing.json",
    ]


def test_a_fixed_version_is_picked_up_by_the_next_sync(catalogue: str, site: Site, tmp_path: Path) -> None:
    target = tmp_path / "synced"
    sync(catalogue, target)
    site.json("/schemas/test/alpha/2.0.0/schema.json", minimal_schema("a2"))
    report = sync(catalogue, target)
    assert report.downloaded == [("test/alpha", "2.0.0")]
    from socle.schemas import LocalCatalogue

    assert load_schema("test/alpha", catalogue=LocalCatalogue.from_dirs(target)).field_names == ["a2"]


def test_an_unreachable_catalogue_writes_nothing(site: Site, tmp_path: Path) -> None:
    target = tmp_path / "synced"
    with pytest.raises(SchemaError, match="404"):
        sync(site.url("/nothing.json"), target)
    assert not target.exists()


def test_something_that_is_not_a_catalogue(site: Site, tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="pas de liste « schemas »"):
        sync(site.json("/c.json", {"fields": []}), tmp_path / "synced")


def test_a_version_whose_document_has_the_wrong_type(site: Site, tmp_path: Path) -> None:
    site.json("/p/1/datapackage.json", minimal_schema())
    url = site.json(
        "/c.json", {"schemas": [_entry(site, "p/pk", "datapackage", {"1": "/p/1/datapackage.json"})]}
    )
    report = sync(url, tmp_path / "synced")
    assert (
        report.failures[0].reason
        == "le catalogue annonce un Data Package mais le document est un Table Schema."
    )


def test_package_resource_paths_cannot_escape(site: Site, tmp_path: Path) -> None:
    site.json("/p/1/datapackage.json", {"resources": [{"name": "t", "schema": "../../../outside.json"}]})
    url = site.json(
        "/c.json", {"schemas": [_entry(site, "p/pk", "datapackage", {"1": "/p/1/datapackage.json"})]}
    )
    report = sync(url, tmp_path / "synced")
    assert "chemin de ressource refusé" in report.failures[0].reason
    assert not (tmp_path / "outside.json").exists()
