"""load_schema: catalogue names and versions, short names, Data Package tables, files and URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socle.errors import SchemaError
from socle.schemas import (
    FetchSettings,
    LocalCatalogue,
    SchemaNotFoundError,
    SchemaRef,
    bundled_dir,
    load_schema,
)
from tests.schemas._support import SHARED, Route, Site, minimal_schema, write_catalogue

# Catalogue -----------------------------------------------------------------------------------------


def test_latest_version_by_default() -> None:
    schema = load_schema("scdl/deliberations")
    assert schema.ref == SchemaRef("scdl/deliberations", "2.1.5")
    assert schema.version == "2.1.5"
    assert "COLL_SIRET" in schema.field_names
    assert any(c.name == "nomenclature-actes-value" for c in schema.custom_checks)


def test_explicit_version_and_schema_ref_object() -> None:
    assert load_schema("scdl/deliberations@2.1.5").ref == SchemaRef("scdl/deliberations", "2.1.5")
    assert load_schema(SchemaRef("scdl/subventions", "2.1.1")).ref == SchemaRef("scdl/subventions", "2.1.1")
    # A leading "v", as in git tags, is accepted.
    assert load_schema("scdl/deliberations@v2.1.5").version == "2.1.5"


def test_a_listed_version_that_is_not_local_says_which_are_and_how_to_get_others() -> None:
    with pytest.raises(SchemaNotFoundError) as caught:
        load_schema("scdl/deliberations@2.1.4")
    message = caught.value.message
    assert "2.1.4" in message and "versions disponibles localement : 2.1.5" in message
    assert "socle schemas sync" in message


def test_an_unpublished_version_lists_the_published_ones() -> None:
    with pytest.raises(SchemaNotFoundError, match=r"pas de version « 9\.9 ».*1\.1\.0, 2\.0\.0.*2\.1\.5"):
        load_schema("scdl/deliberations@9.9")


def test_short_names_when_unambiguous() -> None:
    assert load_schema("deliberations").ref == SchemaRef("scdl/deliberations", "2.1.5")
    assert load_schema("schema-irve-statique").ref == SchemaRef("etalab/schema-irve-statique", "2.3.1")
    # Names are matched regardless of case when nothing matches exactly.
    assert load_schema("SCDL/Deliberations").ref == SchemaRef("scdl/deliberations", "2.1.5")


def test_an_ambiguous_short_name_lists_the_candidates(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path / "cat",
        {
            "a/budget": {"versions": {"1.0": minimal_schema()}},
            "b/budget": {"versions": {"1.0": minimal_schema()}},
        },
    )
    with pytest.raises(SchemaNotFoundError, match="plusieurs schémas : a/budget, b/budget"):
        load_schema("budget", catalogue=LocalCatalogue.from_dirs(root))


def test_an_unknown_name_suggests_close_ones() -> None:
    with pytest.raises(SchemaNotFoundError) as caught:
        load_schema("scdl/deliberation")
    assert "Schéma inconnu" in caught.value.message
    assert "Vouliez-vous dire : scdl/deliberations" in caught.value.message


@pytest.mark.parametrize(
    ("name", "kind"),
    [("etalab/schema-zfe", "un JSON Schema"), ("etalab/schema-bal", "un schéma d'un autre type")],
)
def test_non_table_schema_entries_are_refused(name: str, kind: str) -> None:
    with pytest.raises(SchemaError) as caught:
        load_schema(name)
    assert kind in caught.value.message
    assert "Socle valide des fichiers tabulaires avec des Table Schemas" in caught.value.message


def test_latest_falls_back_to_the_newest_local_version_with_a_note(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path / "cat", {"p/s": {"versions": {"1.0.0": minimal_schema(), "1.1.0": None}}}
    )
    schema = load_schema("p/s", catalogue=LocalCatalogue.from_dirs(root))
    assert schema.version == "1.0.0"
    assert any("1.1.0" in w and "socle schemas sync" in w for w in schema.warnings)


def test_an_entry_with_no_local_version(tmp_path: Path) -> None:
    root = write_catalogue(tmp_path / "cat", {"p/s": {"versions": {"1.0.0": None}}})
    with pytest.raises(SchemaNotFoundError, match="aucune"):
        load_schema("p/s", catalogue=LocalCatalogue.from_dirs(root))


def test_an_invalid_stored_schema_is_refused_naming_it(tmp_path: Path) -> None:
    root = write_catalogue(
        tmp_path / "cat", {"p/s": {"versions": {"2.0": {"fields": [{"name": "x", "type": "texte"}]}}}}
    )
    with pytest.raises(SchemaError, match=r"champ « x » du schéma « p/s@2\.0 »"):
        load_schema("p/s", catalogue=LocalCatalogue.from_dirs(root))


# Data Packages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref",
    ["etalab/schema-irve#irve-statique", "etalab/schema-irve#statique", "etalab/schema-irve@2.3.1#statique"],
)
def test_data_package_resource(ref: str) -> None:
    schema = load_schema(ref)
    assert schema.ref == SchemaRef("etalab/schema-irve", "2.3.1", "irve-statique")
    # The resource's schema is the catalogue's own entry for it, at the same version.
    assert schema.field_names == load_schema("etalab/schema-irve-statique@2.3.1").field_names


def test_data_package_without_resource_lists_them() -> None:
    with pytest.raises(SchemaError) as caught:
        load_schema("etalab/schema-irve")
    assert "irve-statique, irve-dynamique" in caught.value.message
    assert "etalab/schema-irve#irve-statique" in caught.value.message


def test_unknown_resource() -> None:
    with pytest.raises(
        SchemaNotFoundError, match=r"pas de ressource « velo » .*irve-statique, irve-dynamique"
    ):
        load_schema("etalab/schema-irve#velo")


def test_resource_on_a_table_schema_is_refused() -> None:
    with pytest.raises(SchemaError, match="pas un Data Package"):
        load_schema("scdl/budget#table")


def test_inline_resource_schema() -> None:
    schema = load_schema(
        "betagouv/schema-projet-collectivites-transition-ecologique#referentiel-competences-m57"
    )
    assert schema.primary_key


def test_package_resource_not_available_locally(tmp_path: Path) -> None:
    package = {"name": "pk", "resources": [{"name": "t", "schema": "t/schema.json"}]}
    root = write_catalogue(tmp_path / "cat", {"p/pk": {"type": "datapackage", "versions": {"1.0": package}}})
    with pytest.raises(SchemaNotFoundError, match=r"« t/schema\.json ».*socle schemas sync"):
        load_schema("p/pk#t", catalogue=LocalCatalogue.from_dirs(root))


def test_package_resource_stored_next_to_the_package(tmp_path: Path) -> None:
    package = {
        "name": "pk",
        "resources": [{"name": "t", "schema": "t/schema.json"}, {"name": "u", "schema": {}}],
    }
    root = write_catalogue(tmp_path / "cat", {"p/pk": {"type": "datapackage", "versions": {"1.0": package}}})
    (root / "p/pk/1.0/t").mkdir()
    (root / "p/pk/1.0/t/schema.json").write_text(json.dumps(minimal_schema("col")))
    schema = load_schema("p/pk#t", catalogue=LocalCatalogue.from_dirs(root))
    assert schema.field_names == ["col"]
    assert schema.ref == SchemaRef("p/pk", "1.0", "t")


# Layers ---------------------------------------------------------------------------------------------


def test_synced_catalogue_comes_first_and_adds_versions(tmp_path: Path) -> None:
    synced = write_catalogue(
        tmp_path / "synced",
        {
            "scdl/deliberations": {
                "versions": {"2.1.4": minimal_schema("OLD"), "2.1.5": None},
                "title": "Synced",
            }
        },
    )
    catalogue = LocalCatalogue.from_dirs(synced, bundled_dir())
    assert load_schema("scdl/deliberations@2.1.4", catalogue=catalogue).field_names == ["OLD"]
    # 2.1.5 is listed by the synced catalogue without a file: the bundled one is used.
    latest = load_schema("scdl/deliberations", catalogue=catalogue)
    assert latest.version == "2.1.5" and "COLL_SIRET" in latest.field_names
    entry = catalogue.get("scdl/deliberations")
    assert entry is not None and entry.title == "Synced"
    assert catalogue.available_versions(entry) == ("2.1.4", "2.1.5")


def test_default_catalogue_reads_socle_home(isolated_home: Path) -> None:
    write_catalogue(isolated_home / "schemas", {"local/only": {"versions": {"0.1": minimal_schema("z")}}})
    assert load_schema("local/only").field_names == ["z"]
    assert load_schema("scdl/budget").fields  # the bundled snapshot is still there


def test_malformed_local_catalogue(tmp_path: Path) -> None:
    root = tmp_path / "cat"
    root.mkdir()
    (root / "catalogue.json").write_text('{"format": 99, "schemas": []}')
    with pytest.raises(SchemaError, match="n'est pas au format attendu"):
        LocalCatalogue.from_dirs(root)


# Files ----------------------------------------------------------------------------------------------


def test_local_json_file() -> None:
    path = SHARED / "corpus" / "validata-fixtures" / "dae_schema.json"
    schema = load_schema(str(path))
    assert schema.ref == SchemaRef(str(path))
    assert schema.fields


def test_local_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "schema.yml"
    path.write_text(
        "fields:\n  - name: code\n    type: string\n    constraints:\n      pattern: '^\\d{5}$'\n"
    )
    schema = load_schema(str(path))
    assert schema.fields[0].constraints == {"pattern": r"^\d{5}$"}


def test_local_data_package_with_relative_resource(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.json").write_text(json.dumps(minimal_schema("x", "y")))
    (tmp_path / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "t", "schema": "tables/t.json"}]})
    )
    schema = load_schema(f"{tmp_path / 'datapackage.json'}#t")
    assert schema.field_names == ["x", "y"]
    # A single-table package needs no "#".
    assert load_schema(str(tmp_path / "datapackage.json")).field_names == ["x", "y"]


def test_local_json_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"$schema": "http://json-schema.org/draft-07/schema#", "properties": {}}))
    with pytest.raises(SchemaError, match="est un JSON Schema, pas un Table Schema"):
        load_schema(str(path))


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="n'existe pas"):
        load_schema(str(tmp_path / "absent.json"))
    big = tmp_path / "big.json"
    big.write_text(json.dumps(minimal_schema(*[f"c{i}" for i in range(200)])))
    with pytest.raises(SchemaError, match=r"dépasse la taille maximale.*SOCLE_SCHEMA_MAX_BYTES"):
        load_schema(str(big), settings=FetchSettings(max_bytes=1000))


def test_size_limit_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(minimal_schema(*[f"c{i}" for i in range(50)])))
    monkeypatch.setenv("SOCLE_SCHEMA_MAX_BYTES", "100")
    with pytest.raises(SchemaError, match="100 octets"):
        load_schema(str(path))


# URLs -----------------------------------------------------------------------------------------------


def test_url_json(site: Site) -> None:
    url = site.json("/s/schema.json", minimal_schema("a", "b"))
    schema = load_schema(url)
    assert schema.field_names == ["a", "b"]
    assert schema.ref == SchemaRef(url)


def test_url_yaml_without_suffix(site: Site) -> None:
    url = site.text("/s/latest", "fields:\n  - name: a\n", "application/x-yaml")
    assert load_schema(url).field_names == ["a"]


def test_url_data_package_with_relative_resources(site: Site) -> None:
    site.json("/dp/t/schema.json", minimal_schema("t1"))
    url = site.json(
        "/dp/datapackage.json",
        {
            "resources": [
                {"name": "u", "schema": {"fields": [{"name": "u1"}]}},
                {"name": "t", "schema": "t/schema.json"},
            ]
        },
    )
    assert load_schema(f"{url}#t").field_names == ["t1"]
    assert load_schema(f"{url}#u").field_names == ["u1"]


def test_url_errors_are_french(site: Site) -> None:
    with pytest.raises(SchemaError, match="répondu 404 \\(introuvable\\)"):
        load_schema(site.url("/absent.json"))
    site.routes["/big.json"] = Route(json.dumps(minimal_schema(*[f"c{i}" for i in range(100)])).encode())
    with pytest.raises(SchemaError, match="dépasse la taille maximale"):
        load_schema(site.url("/big.json"), settings=FetchSettings(max_bytes=200))
    site.routes["/bad.json"] = Route(b"{not json")
    with pytest.raises(SchemaError, match="n'est pas un JSON valide : erreur ligne 1, colonne 2"):
        load_schema(site.url("/bad.json"))


def test_url_timeout(site: Site) -> None:
    site.routes["/slow.json"] = Route(b"{}", delay=2.0)
    with pytest.raises(SchemaError, match="délai"):
        load_schema(site.url("/slow.json"), settings=FetchSettings(timeout=0.2))


def test_unreachable_server() -> None:
    # Port 9 (discard) on 127.0.0.1 is closed on test machines: the connection is refused at once.
    with pytest.raises(SchemaError, match="Impossible de joindre"):
        load_schema("http://127.0.0.1:9/schema.json", settings=FetchSettings(timeout=2))


def test_malformed_url() -> None:
    with pytest.raises(SchemaError, match="mal formée"):
        load_schema("http://exa mple.org/schema.json")


def test_redirects_are_followed_only_to_http(site: Site) -> None:
    site.json("/target.json", minimal_schema("r"))
    site.redirects["/moved.json"] = "/target.json"
    site.redirects["/ftp.json"] = "ftp://127.0.0.1/x.json"
    assert load_schema(site.url("/moved.json")).field_names == ["r"]
    with pytest.raises(SchemaError, match="redirige vers « ftp://"):
        load_schema(site.url("/ftp.json"))
