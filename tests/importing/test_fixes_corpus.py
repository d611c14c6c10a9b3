"""The fixes on real files of ../shared/corpus, written by départements in 2018 (scdl/subventions)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from socle.importing.fixes import apply_fixes, revert_fixes
from socle.io import ROW, read_table
from socle.io.table import Table
from socle.schemas.loader import load_schema
from socle.schemas.model import TableSchema
from socle.validation.engine import validate_table
from tests.conftest import CORPUS

REAL_2018 = CORPUS / "scdl" / "subventions" / "real-2018"


@pytest.fixture(scope="module")
def schema() -> TableSchema:
    return load_schema("scdl/subventions@2.1.1")


def mapped_frame(path: Path, schema: TableSchema) -> pl.DataFrame:
    """The file's rows as String columns named after the fields (columns matched by name, ignoring case;
    column mapping proper is another part of the import)."""
    table = read_table(path)
    frame = pl.concat([batch.frame for batch in table.batches()])
    by_name = {f.name.casefold(): f.name for f in schema.fields}
    columns = [
        pl.col(f"c{i}").alias(by_name[label.casefold()])
        for i, label in enumerate(table.header)
        if label.casefold() in by_name and f"c{i}" in frame.columns
    ]
    return frame.select([*columns, pl.col(ROW)])


def findings(frame: pl.DataFrame, schema: TableSchema) -> pl.DataFrame:
    names = [c for c in frame.columns if c != ROW]
    rows = [names, *([c if c is not None else "" for c in row] for row in frame.select(names).rows())]
    return validate_table(Table.from_rows(rows), schema).findings


def test_somme_amounts_dates_and_periods(schema: TableSchema) -> None:
    original = mapped_frame(REAL_2018 / "DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv", schema)
    result = apply_fixes(original, schema)
    first = result.frame.row(0, named=True)
    # 26 956,00 (a space between thousands, a decimal comma) is written with the digits as they were.
    assert original.row(0, named=True)["montant"] == "26 956,00"
    assert first["montant"] == "26956.00"
    assert first["dateConvention"] == "2017-09-08"
    assert first["datesPeriodeVersement"] == "2017-09-08/2021-09-07"
    logged = result.fixes.filter((pl.col("row") == 2) & (pl.col("field") == "montant")).to_dicts()
    assert logged == [
        {
            "step": logged[0]["step"],
            "rule": "nombre-francais",
            "row": 2,
            "field": "montant",
            "before": "26 956,00",
            "after": "26956.00",
        }
    ]
    counts = {r["rule"]: r["fixes"] for r in result.counts().to_dicts()}
    assert (
        counts["nombre-francais"] == counts["date-francaise"] == counts["intervalle-dates"] == original.height
    )
    assert not result.flags.height
    # The engine no longer refuses any of these cells.
    fixed_fields = {"montant", "dateConvention", "datesPeriodeVersement"}
    before = findings(original, schema).filter(pl.col("field").is_in(list(fixed_fields)))
    after = findings(result.frame, schema).filter(pl.col("field").is_in(list(fixed_fields)))
    assert before.height >= 3 * original.height
    assert after.height == 0, after.to_dicts()
    assert revert_fixes(result.frame, result.fixes).equals(original)
    assert apply_fixes(result.frame, schema).fixes.height == 0


def test_nievre_amounts_with_non_breaking_spaces() -> None:
    # An older schema's column names: the amount column is SUB_MONTANT, a number in that schema.
    schema = load_schema("scdl/subventions@2.1.1")
    table = read_table(REAL_2018 / "DEP_Nievre_CD58_SUBVENTIONS_2016_LISTE.csv")
    frame = pl.concat([batch.frame for batch in table.batches()])
    position = table.header.index("SUB_MONTANT")
    amounts = frame.select(pl.col(f"c{position}").alias("montant"), pl.col(ROW))
    assert "17\u00a0833" in amounts.get_column("montant").to_list()
    result = apply_fixes(amounts, schema)
    fixed = dict(
        zip(
            amounts.get_column("montant").to_list(), result.frame.get_column("montant").to_list(), strict=True
        )
    )
    assert fixed["17\u00a0833"] == "17833"
    assert fixed["511\u00a0100"] == "511100"


def test_charente_maritime_booleans_and_periods(schema: TableSchema) -> None:
    original = mapped_frame(REAL_2018 / "DEP_Charente_Maritime_donnees-conventions-subventions.xlsx", schema)
    result = apply_fixes(original, schema)
    assert set(original.get_column("notificationUE").unique()) == {"Non"}
    assert set(result.frame.get_column("notificationUE").unique()) == {"non"}
    periods = result.frame.get_column("datesPeriodeVersement").drop_nulls()
    iso = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(/[0-9]{4}-[0-9]{2}-[0-9]{2})?$"
    assert periods.filter(periods != "").str.contains(iso).all()
    assert result.fixes.filter(pl.col("field") == "datesPeriodeVersement").height == 74
    # "Numéraire" is not one of the allowed values, whatever the case: it stays, for the user to map.
    assert set(result.frame.get_column("nature").unique()) == {"Numéraire"}


@pytest.mark.parametrize(
    "name",
    [
        "DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv",
        "DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv",
        "DEP_Charente_Maritime_donnees-conventions-subventions.xlsx",
        "DEP_Vendee_Publication_donnees_Open_data_Subventions_Conventions.xlsx",
    ],
)
def test_real_files_lose_findings_and_revert_exactly(name: str, schema: TableSchema) -> None:
    original = mapped_frame(REAL_2018 / name, schema)
    result = apply_fixes(original, schema)
    assert result.fixes.height > 0
    assert findings(result.frame, schema).height < findings(original, schema).height
    assert revert_fixes(result.frame, result.fixes).equals(original)
    second = apply_fixes(result.frame, schema)
    assert second.fixes.height == 0 and second.frame.equals(result.frame)
