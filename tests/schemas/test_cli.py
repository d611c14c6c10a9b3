"""socle schemas list / show / sync, through a parser built as socle.cli builds its own."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from socle.cli_schemas import add_commands
from tests.schemas._support import Site, minimal_schema


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="socle")
    add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schemas", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 95
    deliberations = next(s for s in listed if s["name"] == "scdl/deliberations")
    assert deliberations["latest"] == "2.1.5"
    assert deliberations["local_versions"] == ["2.1.5"]
    assert len(deliberations["versions"]) == 8
    assert deliberations["scdl"] is True and deliberations["usable"] is True
    assert next(s for s in listed if s["name"] == "etalab/schema-zfe")["usable"] is False


def test_list_scdl_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schemas", "list", "--scdl"]) == 0
    out = capsys.readouterr().out
    assert "Schémas du Socle Commun des Données Locales (14)" in out
    assert "scdl/deliberations" in out and "scdl/subventions" in out
    assert "cnigfr/schema-friches" not in out


def test_show_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schemas", "show", "scdl/deliberations"]) == 0
    out = capsys.readouterr().out
    for expected in (
        "Délibérations",
        "scdl/deliberations@2.1.5",
        "COLL_SIRET",
        "Contrôles personnalisés (11)",
    ):
        assert expected in out
    assert "nomenclature-actes-value" in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schemas", "show", "scdl/subventions@2.1.1", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ref"] == "scdl/subventions@2.1.1"
    assert shown["entry"]["scdl"] is True
    fields = {f["name"]: f for f in shown["schema"]["fields"]}
    assert fields["idAttribuant"]["required"] is True
    assert fields["idAttribuant"]["title"]
    assert {
        "name": "one-of-required",
        "params": {"column1": "idBeneficiaire", "column2": "rnaBeneficiaire"},
    } in shown["schema"]["custom_checks"]


def test_show_patterns_are_not_taken_for_markup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps({"fields": [{"name": "c", "constraints": {"pattern": "^[bold]x$", "enum": ["[red]"]}}]})
    )
    assert run(["schemas", "show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "^[bold]x$" in out and "[red]" in out


def test_show_data_package_lists_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schemas", "show", "etalab/schema-irve", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["schema"] is None
    assert [r["name"] for r in shown["resources"]] == ["irve-statique", "irve-dynamique"]
    assert shown["resources"][0]["catalogue_entry"] == "etalab/schema-irve-statique"


def test_show_non_table_schema_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schemas", "show", "etalab/schema-bal"]) == 0
    assert "Socle valide les fichiers tabulaires avec des Table Schemas" in capsys.readouterr().out.replace(
        "\n", " "
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("scdl/nope", "Schéma inconnu"),
        ("scdl/deliberations@2.1.4", "socle schemas sync"),
        ("ftp://x", "http"),
    ],
)
def test_show_errors_exit_2_in_french(capsys: pytest.CaptureFixture[str], name: str, message: str) -> None:
    assert run(["schemas", "show", name]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Erreur : ")
    assert message in captured.err.replace("\n", " ")
    assert "Traceback" not in captured.err


def test_bare_schemas_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schemas"]) == 2
    assert "sync" in capsys.readouterr().err


def test_sync_command(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.json("/s/1.json", minimal_schema("x"))
    entry = {
        "name": "p/s",
        "schema_type": "tableschema",
        "versions": [
            {"version_name": "1", "schema_url": site.url("/s/1.json")},
            {"version_name": "2", "schema_url": site.url("/s/2.json")},
        ],
    }
    url = site.json("/c.json", {"schemas": [entry]})
    target = tmp_path / "t"
    assert run(["schemas", "sync", "--catalogue", url, "--target", str(target)]) == 1
    out = capsys.readouterr().out
    assert "1 versions téléchargées" in out and "1 échec(s)" in out and "p/s@2" in out
    assert run(["schemas", "sync", "--catalogue", url, "--target", str(target), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["already_present"] == ["p/s@1"]
    assert report["failures"][0]["version"] == "2"
    site.json("/s/2.json", minimal_schema("y"))
    assert run(["schemas", "sync", "--catalogue", url, "--target", str(target)]) == 0
    assert "sans erreur" in capsys.readouterr().out


def test_sync_with_unusable_catalogue_exits_2(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["schemas", "sync", "--catalogue", site.url("/absent.json"), "--target", str(tmp_path)]) == 2
    assert "404" in capsys.readouterr().err


def test_sync_default_target_is_socle_home(
    site: Site, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = site.json("/c.json", {"schemas": []})
    assert run(["schemas", "sync", "--catalogue", url]) == 0
    assert (isolated_home / "schemas" / "catalogue.json").is_file()
