"""Sheet, header row and column mapping found in the real files of ../shared/corpus."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from socle.importing.detect import Detection, detect
from socle.importing.mapping import Method
from socle.io import CELLS, ROW, column_name
from socle.schemas import TableSchema, load_schema
from tests.conftest import CORPUS

SUBVENTIONS = "scdl/subventions"
ALL_FIELDS = (
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
)
FOURTEEN = tuple(f for f in ALL_FIELDS if f not in ("rnaBeneficiaire", "dispositifAide"))


@dataclass(frozen=True)
class Expected:
    """What a person reading the file sees: where the header is, and which column gives which field."""

    path: str
    header_row: int
    sheet: str | None
    applied: dict[str, int]
    """Fields matched with certainty (or a resemblance above the threshold), by column."""
    pending: dict[str, int] = field(default_factory=dict)
    """Fields proposed for confirmation, by column."""
    unmapped: tuple[str, ...] = ()
    """Labels left without a field."""
    first_data_row: int = 0


def in_order(fields: tuple[str, ...], skip: tuple[str, ...] = ()) -> dict[str, int]:
    return {name: column for column, name in enumerate(f for f in fields if f not in skip)}


CASES = [
    Expected(
        "scdl/subventions/real-2018/DEP_Charente_Maritime_donnees-conventions-subventions.xlsx",
        header_row=1,
        sheet="Subventions",
        applied=in_order(FOURTEEN),
        first_data_row=2,
    ),
    Expected(
        "scdl/subventions/real-2018/DEP_Vendee_Publication_donnees_Open_data_Subventions_Conventions.xlsx",
        header_row=1,
        sheet="Rapport 1",
        applied={**in_order(FOURTEEN), "idBeneficiaire": 4, "nomBeneficiaire": 5},
        first_data_row=2,
    ),
    Expected(
        "scdl/subventions/real-2018/DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv",
        header_row=1,
        sheet=None,
        applied=in_order(FOURTEEN),
        first_data_row=2,
    ),
    Expected(
        "scdl/subventions/real-2018/DEP_Somme_TB_20180302_DONNEES_CONVENTIONS.csv",
        header_row=1,
        sheet=None,
        applied=in_order(FOURTEEN, skip=("idRAE", "notificationUE")),
        unmapped=("type",),
        first_data_row=2,
    ),
    Expected(
        "scdl/subventions/real-2018/DEP_Nievre_CD58_SUBVENTIONS_2016_LISTE.csv",
        header_row=1,
        sheet=None,
        applied={
            "nomAttribuant": 0,  # COLL_NOM
            "idAttribuant": 1,  # COLL_SIRET
            "referenceDecision": 4,  # ACTE_REF
            "nomBeneficiaire": 5,  # ATTRIB_NOM: associations' names
            "idBeneficiaire": 6,  # ATTRIB_SIRET
            "objet": 8,  # SUB_OBJET
            "montant": 9,  # SUB_MONTANT
            "nature": 10,  # SUB_NATURE
            "notificationUE": 16,  # NOTIF_EU
        },
        unmapped=(
            "COLL_TYPE",
            "ACTE_DATE",
            "ATTRIB_TYPE",
            "SUB_DATE_DEBUT",
            "SUB_DATE_FIN",
            "SUB_VERSEMENT",
            "SUB_DISPOSITIF",
            "ID_ENT",
        ),
        first_data_row=2,
    ),
    Expected(
        # French labels, no field name: the old titles and resemblance do the work; "attributaire"
        # (here the granting body) and the loose labels wait for a person's confirmation.
        "scdl/subventions/api-subventions-asso_SCDL_DILCRAH_2019.csv",
        header_row=1,
        sheet=None,
        applied={
            "dateConvention": 2,
            "referenceDecision": 3,
            "nomBeneficiaire": 4,
            "idBeneficiaire": 5,
            "montant": 7,
            "nature": 8,
            "conditionsVersement": 9,
            "pourcentageSubvention": 13,
        },
        pending={
            "nomAttribuant": 0,
            "idAttribuant": 1,
            "objet": 6,
            "datesPeriodeVersement": 10,
            "idRAE": 11,
            "notificationUE": 12,
        },
        first_data_row=2,
    ),
    Expected(
        # A workbook exported from Numbers: a summary sheet, a stray sheet, then the data under two
        # title rows and a blank one.
        "scdl/subventions/api-subventions-asso_SCDL.xlsx",
        header_row=4,
        sheet="Du 01-01-2023 au 30-06-2023",
        applied={
            "nomAttribuant": 0,
            "dateConvention": 2,
            "referenceDecision": 3,
            "nomBeneficiaire": 5,
            "objet": 6,
            "montant": 7,
            "nature": 8,
            "conditionsVersement": 9,
            "datesPeriodeVersement": 10,
            "pourcentageSubvention": 13,
        },
        pending={"idAttribuant": 1, "idRAE": 11, "notificationUE": 12},
        unmapped=("N° SIRET",),
        first_data_row=5,
    ),
    Expected(
        "scdl/subventions/api-subventions-asso_SCDL.csv",
        header_row=1,
        sheet=None,
        applied=in_order(ALL_FIELDS),  # "object" for objet, by resemblance
        first_data_row=2,
    ),
    Expected(
        "scdl/subventions/api-subventions-asso_fixture-errors_antibes.csv",
        header_row=1,
        sheet=None,
        applied={
            "nomAttribuant": 0,
            "idAttribuant": 1,
            "dateConvention": 2,
            "referenceDecision": 4,
            "nomBeneficiaire": 5,
            "idBeneficiaire": 6,
            "rnaBeneficiaire": 7,
            "objet": 8,
            "montant": 10,
            "datesPeriodeVersement": 12,
            "idRAE": 13,
            "notificationUE": 14,
            "pourcentageSubvention": 15,
            "dispositifAide": 16,
        },
        unmapped=("termeConvention", "section", "dates_versement"),
        first_data_row=2,
    ),
    Expected(
        "scdl/subventions/exemple-duplicate-column.csv",
        header_row=1,
        sheet=None,
        applied={**in_order(FOURTEEN), "pourcentageSubvention": 14},
        unmapped=("notificationUE",),
        first_data_row=2,
    ),
]


@pytest.fixture(scope="module")
def schema() -> TableSchema:
    return load_schema(SUBVENTIONS)


@pytest.mark.parametrize("case", CASES, ids=lambda case: Path(case.path).name)
def test_header_sheet_and_mapping_of_real_files(case: Expected, schema: TableSchema) -> None:
    detection = detect(CORPUS / case.path, schema)
    assert detection.header.row == case.header_row
    assert detection.sheet == case.sheet
    mapping = detection.mapping
    assert mapping.applied == case.applied
    assert {p.field: p.column for p in mapping.pending} == case.pending
    assert tuple(mapping.header[i] for i in mapping.unmapped_columns if mapping.proposal_for(i) is None) == (
        case.unmapped
    )
    table = detection.read()
    first = next(batch for batch in table.batches() if batch.height)
    assert int(first.frame[ROW][0]) == case.first_data_row


def test_reasons_for_the_numbers_workbook(schema: TableSchema) -> None:
    detection = detect(CORPUS / "scdl/subventions/api-subventions-asso_SCDL.xlsx", schema)
    assert detection.reasons == [
        "feuille « Du 01-01-2023 au 30-06-2023 » choisie : 10 colonnes reconnues, le plus grand nombre du "
        "classeur ; autres feuilles : « Résumé de l’exportation » : aucune colonne reconnue ; « Feuille2 » : "
        "aucune colonne reconnue",
        "ligne 4 choisie comme en-tête : 10 colonnes sur 14 reconnues ; lignes 1 à 2 : titre ; ligne 3 : vide",
    ]


def test_the_numbers_workbook_mapped_to_the_schema(schema: TableSchema) -> None:
    detection = detect(CORPUS / "scdl/subventions/api-subventions-asso_SCDL.xlsx", schema)
    mapping = detection.mapping.choose(1, "idAttribuant").choose(4, "idBeneficiaire")
    table = mapping.apply(detection.read())
    assert table.header == list(ALL_FIELDS)
    frame = next(table.batches()).frame
    index = {name: column_name(i) for i, name in enumerate(ALL_FIELDS)}
    assert frame[ROW][0] == 5 and frame[CELLS][0] == len(ALL_FIELDS)
    assert frame[index["nomAttribuant"]][0] == " Région Pétaouchnok"
    assert frame[index["idAttribuant"]][0] == "99000000000001"
    assert frame[index["idBeneficiaire"]][0] == "81532076800016"
    assert frame[index["rnaBeneficiaire"]][0] == "", "a field without a column is empty"


def test_old_names_mapped_to_the_schema(schema: TableSchema) -> None:
    detection = detect(
        CORPUS / "scdl/subventions/real-2018/DEP_Nievre_CD58_SUBVENTIONS_2016_LISTE.csv", schema
    )
    assert all(p.method is Method.ALIAS for p in detection.mapping.proposals if p.applied)
    table = detection.mapping.apply(detection.read())
    frame = next(table.batches()).frame
    by_field = {name: frame[column_name(i)] for i, name in enumerate(ALL_FIELDS)}
    assert by_field["nomAttribuant"][0] == "Département de la Nièvre"
    assert by_field["nomBeneficiaire"][0] == "AGORA"
    assert by_field["montant"][0] == "17\u00a0833", "cells are copied as they are (a non-breaking space)"
    assert by_field["dateConvention"][0] == "", "ACTE_DATE is the decision's date, not the convention's"


def test_every_corpus_file_of_subventions_is_detected(schema: TableSchema) -> None:
    """No real file of the corpus makes detection fail, and the chosen header maps at least one column."""
    paths = sorted(p for p in (CORPUS / "scdl/subventions").rglob("*") if p.suffix in (".csv", ".xlsx"))
    assert len(paths) >= 14
    for path in paths:
        detection: Detection = detect(path, schema)
        assert detection.header.by_schema, path.name
        assert detection.mapping.recognised >= 8, path.name
