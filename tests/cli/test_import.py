"""``socle import``: the clean file, the printed summary, the JSON report, saved mappings, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socle.cli import main
from tests.conftest import CORPUS

SOMME = CORPUS / "scdl" / "subventions" / "real-2018" / "DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv"
LOT = CORPUS / "scdl" / "subventions" / "real-2018" / "DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv"


def test_a_file_that_becomes_valid_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "propre.csv"
    assert main(["import", str(LOT), "--schema", "scdl/subventions", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Nombres à la française (nombre-francais) : 13 cellule(s) corrigée(s)" in printed
    assert "après corrections : aucune erreur" in printed
    assert main(["validate", str(out), "--schema", "scdl/subventions"]) == 0


def test_what_stays_invalid_is_said_and_the_report_logs_every_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, report = tmp_path / "propre.csv", tmp_path / "corrections.json"
    code = main(["import", str(SOMME), "-s", "scdl/subventions", "-o", str(out), "--report", str(report)])
    assert code == 1
    printed = capsys.readouterr().out
    assert "fichier tel quel : 166 erreurs" in printed
    assert "après corrections : 82 erreurs" in printed
    assert "« 2017/09/08 » → « 2017-09-08 »" in printed
    log = json.loads(report.read_text(encoding="utf-8"))
    assert log["before"]["errors"] == 166 and log["after"]["errors"] == 82
    assert len(log["fixes"]) == sum(c["fixes"] for c in log["fixes_by_rule"]) == 124
    assert {"step", "rule", "row", "field", "before", "after"} == set(log["fixes"][0])
    assert main(["validate", str(out), "--schema", "scdl/subventions", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["stats"]["errors"] == 82


def test_a_saved_mapping_is_reused_and_rules_can_be_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "correspondance.json"
    first = tmp_path / "a.csv"
    main(["import", str(SOMME), "-s", "scdl/subventions", "-o", str(first), "--save-mapping", str(mapping)])
    assert json.loads(mapping.read_text(encoding="utf-8"))["format_version"] == 1
    capsys.readouterr()
    second = tmp_path / "b.csv"
    args = ["import", str(SOMME), "-s", "scdl/subventions", "-o", str(second), "--mapping", str(mapping)]
    main([*args, "--refuse", "date-francaise"])
    printed = capsys.readouterr().out
    assert "date-francaise" not in printed.split("Corrections", 1)[1].split("Validation", 1)[0]
    assert "2017/09/08" in second.read_text(encoding="utf-8")
    assert "2017/09/08" not in first.read_text(encoding="utf-8")


def test_an_unknown_rule_is_a_usage_error_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    assert main(["import", str(LOT), "-s", "scdl/subventions", "-o", str(out), "--accept", "magie"]) == 2
    assert "Règle de correction inconnue : magie" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "absent.csv"), "-s", "scdl/subventions", "-o", str(out)]) == 2
