"""Catalogue plumbing: where synced schemas go, version order, safe names and paths, fetch settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socle.errors import SchemaError, UsageError
from socle.schemas import FetchSettings, synced_dir
from socle.schemas.layout import entry_from_upstream, is_safe_relative, version_key


def test_synced_dir_prefers_socle_home(tmp_path: Path) -> None:
    assert synced_dir({"SOCLE_HOME": str(tmp_path)}) == tmp_path / "schemas"


def test_synced_dir_follows_xdg_on_linux(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    assert synced_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "socle" / "schemas"
    assert synced_dir({}) == Path.home() / ".local" / "share" / "socle" / "schemas"


def test_version_order_is_numeric() -> None:
    names = ["0.10.0", "0.9.2", "v1.0.0", "0.2.8", "1.0.0-rc1"]
    assert sorted(names, key=version_key) == ["0.2.8", "0.9.2", "0.10.0", "v1.0.0", "1.0.0-rc1"]


@given(st.lists(st.text(alphabet="0123456789.-vrcab", max_size=8), max_size=6))
def test_version_key_orders_any_names(names: list[str]) -> None:
    assert len(sorted(names, key=version_key)) == len(names)


@pytest.mark.parametrize("path", ["../x", "a/../../x", "/etc/passwd", "a\\b", "c:/x", "", "a//b", "./a"])
def test_unsafe_relative_paths(path: str) -> None:
    assert not is_safe_relative(path)


def test_safe_relative_path() -> None:
    assert is_safe_relative("statique/schema-statique.json")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("x", "n'est pas un objet"),
        ({"name": "../x", "schema_type": "tableschema", "versions": []}, "nom de schéma invalide"),
        ({"name": "a/b/c", "schema_type": "tableschema", "versions": []}, "nom de schéma invalide"),
        ({"name": "a/b", "versions": []}, "schema_type"),
        ({"name": "a/b", "schema_type": "tableschema"}, "versions"),
        (
            {"name": "a/b", "schema_type": "tableschema", "versions": [{"version_name": "../1"}]},
            "version au nom invalide",
        ),
        ({"name": "a/b", "schema_type": "tableschema", "versions": [{"version_name": "1"}]}, "schema_url"),
        ({"name": "a/b", "schema_type": "tableschema", "labels": "SCDL", "versions": []}, "labels"),
    ],
)
def test_upstream_entries_are_checked(raw: object, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        entry_from_upstream(raw)


def test_scdl_flag_from_labels() -> None:
    entry = entry_from_upstream(
        {
            "name": "a/b",
            "schema_type": "tableschema",
            "labels": ["Socle Commun des Données Locales"],
            "versions": [],
        }
    )
    assert entry.scdl and entry.latest is None


def test_fetch_settings_from_environment() -> None:
    settings = FetchSettings.from_env(
        {"SOCLE_SCHEMA_FETCH_TIMEOUT": "2.5", "SOCLE_SCHEMA_MAX_BYTES": "1_000"}
    )
    assert settings == FetchSettings(timeout=2.5, max_bytes=1000)
    assert FetchSettings.from_env({}) == FetchSettings()
    with pytest.raises(UsageError, match="SOCLE_SCHEMA_MAX_BYTES"):
        FetchSettings.from_env({"SOCLE_SCHEMA_MAX_BYTES": "beaucoup"})
    with pytest.raises(UsageError, match="strictement positif"):
        FetchSettings.from_env({"SOCLE_SCHEMA_FETCH_TIMEOUT": "0"})


def test_the_socle_command_has_the_schema_commands(capsys: pytest.CaptureFixture[str]) -> None:
    from socle.cli import main

    assert main(["schemas", "show", "scdl/budget", "--format", "json"]) == 0
    assert '"ref": "scdl/budget@0.8.3"' in capsys.readouterr().out
