"""The report: counts, categories, and the fast JSON writer equal to the plain dict."""

from __future__ import annotations

import io
import json
from pathlib import Path

from socle.io import read_table
from socle.schemas import load_schema
from socle.validation.engine import validate_table
from tests.conftest import CORPUS


def test_fast_json_equals_the_dict_form_and_counts_add_up() -> None:
    path = CORPUS / "scdl" / "subventions" / "exemple_invalide_erreurs_cellules.csv"
    report = validate_table(read_table(path), load_schema("scdl/subventions"))
    out = io.StringIO()
    report.write_json(out)
    written = json.loads(out.getvalue())
    assert written == json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert written["stats"]["errors"] == len(written["errors"]) == sum(written["counts"]["by_code"].values())
    assert sum(c["total"] for c in written["counts"]["by_column"]) == len(written["errors"])
    assert (
        written["stats"]["structure_errors"] + written["stats"]["body_errors"] == written["stats"]["errors"]
    )
    rows = [e["row"] for e in written["errors"] if e["row"] is not None]
    assert rows == sorted(rows)


def test_valid_report_writes_an_empty_error_list() -> None:
    path = CORPUS / "scdl" / "subventions" / "exemple_valide.csv"
    report = validate_table(read_table(path), load_schema("scdl/subventions"))
    out = io.StringIO()
    report.write_json(out)
    written = json.loads(out.getvalue())
    assert written["valid"] is True
    assert written["errors"] == []
    assert written["counts"] == {"by_code": {}, "by_column": []}


def test_json_written_through_a_binary_buffer_equals_the_text_form(tmp_path: Path) -> None:
    # More findings than one encoding slice, with accents: the bytes path and the text path must agree.
    header = "nomAttribuant,idAttribuant,dateConvention,nomBeneficiaire,objet,montant,nature"
    rows = [
        f"Commune d'Éé,21540001000019,2024-01-01,Asso « {i} »,Objet,{i}€,numéraire" for i in range(25_000)
    ]
    path = tmp_path / "many.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    report = validate_table(read_table(path), load_schema("scdl/subventions"))
    assert report.findings.height > 20_000
    text = io.StringIO()
    report.write_json(text)
    written = tmp_path / "report.json"
    with written.open("w", encoding="utf-8") as out:
        report.write_json(out)
    assert written.read_text(encoding="utf-8") == text.getvalue()
    assert json.loads(text.getvalue()) == json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
