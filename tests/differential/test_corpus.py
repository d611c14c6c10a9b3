"""Every real file of ../shared/corpus: Socle and frictionless agree on the standard findings, and
Socle's verdict (custom checks included) is the one listed in corpus/SOURCES.md.

Both engines get the rows that Socle's reader read, so that the comparison is about the rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socle.errors import UnusableInputError
from socle.io import read_table
from socle.io.table import CELLS, Table, column_name
from socle.schemas import load_schema
from socle.validation.engine import validate_table
from tests.conftest import CORPUS
from tests.differential.peer import PeerGaveUp, frictionless_findings, socle_findings

SUBVENTIONS = "scdl/subventions"
# file (relative to corpus/) → (schema reference, verdict expected from Socle with its custom checks)
CASES: dict[str, tuple[str, bool]] = {
    "scdl/subventions/real-2018/DEP_Charente_Maritime_donnees-conventions-subventions.xlsx": (
        SUBVENTIONS,
        False,
    ),
    "scdl/subventions/real-2018/DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv": (SUBVENTIONS, False),
    "scdl/subventions/real-2018/DEP_Nievre_CD58_SUBVENTIONS_2016_LISTE.csv": (SUBVENTIONS, False),
    "scdl/subventions/real-2018/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv": (SUBVENTIONS, False),
    "scdl/subventions/real-2018/DEP_Vendee_Publication_donnees_Open_data_Subventions_Conventions.xlsx": (
        SUBVENTIONS,
        False,
    ),
    "scdl/subventions/api-subventions-asso_SCDL.csv": (SUBVENTIONS, False),
    "scdl/subventions/api-subventions-asso_SCDL.xlsx": (SUBVENTIONS, False),
    "scdl/subventions/api-subventions-asso_SCDL_DILCRAH_2019.csv": (SUBVENTIONS, False),
    "scdl/subventions/api-subventions-asso_fixture-errors_antibes.csv": (SUBVENTIONS, False),
    "scdl/subventions/api-subventions-asso_test-csv-valid.csv": (SUBVENTIONS, False),
    "scdl/subventions/exemple-duplicate-column.csv": (SUBVENTIONS, False),
    "scdl/subventions/exemple_invalide_erreurs_cellules.csv": (SUBVENTIONS, False),
    "scdl/subventions/exemple_invalide_erreurs_colonnes.csv": (SUBVENTIONS, False),
    "scdl/subventions/exemple_valide.csv": (SUBVENTIONS, True),
    "scdl/prenoms/prenoms-nouveaux-nes_exemple-invalide.csv": ("scdl/prenoms", False),
    "scdl/prenoms/prenoms-nouveaux-nes_exemple-valide.csv": ("scdl/prenoms", True),
    "scdl/irve/exemple-valide-dynamique_v2.csv": ("etalab/schema-irve-dynamique", True),
    "scdl/irve/exemple-valide-statique_v2.csv": ("etalab/schema-irve-statique", True),
    "scdl/irve/exemple-valide_v1_2019.csv": ("etalab/schema-irve-statique", False),
    "validata-fixtures/irve_accent_valide.csv": ("etalab/schema-irve-statique", False),
    "scdl/dae/dae_exemple_invalide.csv": ("atlasante/schema-dae", False),
    "scdl/dae/dae_exemple_invalide_complet.csv": ("atlasante/schema-dae", False),
    "scdl/dae/dae_exemple_invalide_structure.csv": ("atlasante/schema-dae", False),
    "scdl/dae/dae_exemple_valide.csv": ("atlasante/schema-dae", False),
    "scdl/decp/decp-table-schema_exemple-valide.csv": (
        "corpus:scdl/decp/decp-table-schema_schema_2021.json",
        True,
    ),
    # 0 typed as a number in a boolean cell reads "0", a valid false, as in Validata; but one date cell
    # really holds "2019-06-08  " (trailing spaces), which is not a date.
    "scdl/decp/decp-table-schema_exemple-valide.xlsx": (
        "corpus:scdl/decp/decp-table-schema_schema_2021.json",
        False,
    ),
    "scdl/catalogue/etalab-catalogue-donnees_exemple-valide.csv": (
        "corpus:scdl/catalogue/etalab-catalogue-donnees_schema.json",
        True,
    ),
    # VALID per Validata's own test (numeric cells read as the text the agent typed)
    "validata-fixtures/dae_test.xlsx": ("corpus:validata-fixtures/dae_schema.json", True),
}
UNDECODABLE = "validata-fixtures/mini-menus-collectifs_invalide.utf-16.csv"
ONE_OF_REQUIRED = sorted((CORPUS / "validata-fixtures" / "subventions_one_of_required").glob("*.csv"))


def _schema_ref(ref: str) -> str:
    return str(CORPUS / ref.removeprefix("corpus:")) if ref.startswith("corpus:") else ref


def table_rows(table: Table) -> list[list[str]]:
    """Header and cells as read, absent cells left out (as a CSV reader gives them)."""
    rows = [list(table.header)]
    for batch in table.batches():
        frame = batch.frame
        columns = [frame.get_column(column_name(i)).to_list() for i in range(batch.width)]
        for index, count in enumerate(frame.get_column(CELLS).to_list()):
            rows.append([columns[i][index] or "" for i in range(count)])
    return rows


def _descriptor(ref: str) -> dict[str, Any]:
    return dict(load_schema(_schema_ref(ref)).descriptor)


@pytest.mark.parametrize("name", sorted(CASES))
def test_standard_findings_equal_frictionless(name: str) -> None:
    ref, _ = CASES[name]
    rows = table_rows(read_table(CORPUS / name))
    descriptor = _descriptor(ref)
    found = socle_findings(rows, descriptor)
    try:
        expected = frictionless_findings(rows, descriptor)
    except PeerGaveUp:
        # frictionless stops on repeated labels (several blank ones included) when matching by name;
        # Socle says which labels and goes on checking what it can.
        report = validate_table(read_table(CORPUS / name), load_schema(_schema_ref(ref)))
        assert {"duplicate-label", "blank-label"} & set(report.findings.get_column("code").to_list())
        return
    assert found == expected, {
        "only_socle": sorted(found - expected, key=str),
        "only_frictionless": sorted(expected - found, key=str),
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_verdict_matches_sources(name: str) -> None:
    ref, valid = CASES[name]
    report = validate_table(read_table(CORPUS / name), load_schema(_schema_ref(ref)))
    assert report.valid is valid, report.findings.select("row", "field", "code", "message").head(10)


@pytest.mark.parametrize("path", ONE_OF_REQUIRED, ids=lambda p: p.name)
def test_one_of_required_fixtures(path: Path) -> None:
    report = validate_table(read_table(path), load_schema(SUBVENTIONS))
    codes = set(report.findings.get_column("code").to_list())
    if path.name.startswith("exemple_valide"):
        assert report.valid, report.findings
    elif "one_of_required" in path.name:
        assert "one-of-required" in codes
    elif "french_siret" in path.name:
        assert "french-siret-value" in codes
    else:
        assert "constraint-error" in codes


def test_undecodable_utf16_file_is_refused_with_its_byte_offset() -> None:
    with pytest.raises(UnusableInputError) as caught:
        read_table(CORPUS / UNDECODABLE)
    assert "octet" in str(caught.value)
    assert "mini-menus-collectifs_invalide.utf-16.csv" in str(caught.value)
