"""The command line: exit codes 0/1/2, French messages, JSON and terminal reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socle.cli import main, sample_path
from tests.conftest import CORPUS

VALID = CORPUS / "scdl" / "subventions" / "exemple_valide.csv"
INVALID = CORPUS / "scdl" / "subventions" / "exemple_invalide_erreurs_cellules.csv"


def test_valid_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID), "--schema", "scdl/subventions"]) == 0
    assert "Le fichier est valide" in capsys.readouterr().out


def test_invalid_file_exits_1_and_the_json_lists_every_finding(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(INVALID), "--schema", "scdl/subventions", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert report["stats"]["errors"] == len(report["errors"]) > 0
    assert report["schema"] == {"name": "subventions", "version": "2.1.1"}
    first = report["errors"][0]
    assert set(first) >= {"code", "detail", "row", "column", "field", "value", "message", "category"}
    assert sum(report["counts"]["by_code"].values()) == len(report["errors"])


def test_terminal_report_groups_by_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(INVALID), "--schema", "scdl/subventions", "--tout"]) == 1
    out = capsys.readouterr().out
    assert "Problèmes dans les données, par colonne" in out
    assert "n'est pas valide" in out


def exit_code(args: list[str]) -> int:
    """main()'s return value, or the code argparse exits with."""
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["validate", "nulle-part.csv", "--schema", "scdl/subventions"], "n'existe pas"),
        (["validate", str(VALID), "--schema", "scdl/pas-de-schema"], "pas-de-schema"),
        (["validate", str(VALID)], "obligatoires"),
        (["validate", str(VALID), "--schema", "scdl/subventions", "--max-rows", "abc"], "nombre entier"),
        (["validate", str(VALID), "--schema", "scdl/subventions", "--max-rows", "3"], "SOCLE_LIMIT_MAX_ROWS"),
        (["commande-inconnue"], "choix invalide"),
    ],
)
def test_unusable_input_or_usage_exits_2_with_a_french_message(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exit_code(args) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_binary_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "image.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    assert main(["validate", str(bad), "--schema", "scdl/subventions"]) == 2
    assert "Erreur" in capsys.readouterr().err


def test_demo_validates_the_bundled_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert sample_path().is_file()
    assert main(["demo", "--format", "json"]) == 1
    out = capsys.readouterr().out
    report = json.loads(out[out.index("{") :])
    codes = {(e["field"], e["code"]) for e in report["errors"]}
    assert ("dateConvention", "type-error") in codes
    assert ("montant", "type-error") in codes
    assert ("nature", "constraint-error") in codes
    assert ("idBeneficiaire", "french-siret-value") in codes
    assert ("pourcentageSubvention", "constraint-error") in codes
