"""Column mapping: each stage, conflicts, thresholds, the alias table, JSON, and applying a mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socle.errors import UsageError
from socle.importing.aliases import ALIASES
from socle.importing.detect import HEADER_SEARCH_ROWS
from socle.importing.mapping import (
    AMBIGUITY_MARGIN,
    APPLY_THRESHOLD,
    FORMAT_VERSION,
    FUZZY_MAX_SCORE,
    METHOD_SCORES,
    PROPOSE_THRESHOLD,
    ColumnMapping,
    Matcher,
    Method,
    compact,
    known_aliases,
    map_columns,
    repair_mojibake,
    words,
)
from socle.io import CELLS, ROW, Table
from socle.io.preview import PREVIEW_RECORDS
from socle.schemas import TableSchema, load_schema, parse_table_schema
from tests.conftest import REPO


@pytest.fixture(scope="module")
def subventions() -> TableSchema:
    return load_schema("scdl/subventions")


@pytest.fixture(scope="module")
def deliberations() -> TableSchema:
    return load_schema("scdl/deliberations")


def small_schema(*fields: tuple[str, str]) -> TableSchema:
    """A schema from a file: (name, title) pairs, no known aliases."""
    return parse_table_schema({"fields": [{"name": name, "title": title} for name, title in fields]})


def by_column(mapping: ColumnMapping) -> dict[int, tuple[str, Method, bool]]:
    return {p.column: (p.field, p.method, p.applied) for p in mapping.proposals}


# --- Normalisation ----------------------------------------------------------------------------------


def test_compact_ignores_case_accents_spaces_and_punctuation() -> None:
    assert compact("Nom du bénéficiaire*") == "nomdubeneficiaire"
    assert compact("  NOM_Bénéficiaire ") == compact("nomBeneficiaire") == "nombeneficiaire"
    assert compact("Œuvre") == "oeuvre"
    assert compact("***") == ""


def test_words_split_names_expand_abbreviations_and_drop_empty_words() -> None:
    assert words("idAttribuant") == ["identifiant", "attribuant"]
    assert words("DELIB_MATIERE_CODE") == ["delib", "matiere", "code"]
    assert words("N° SIRET") == ["numero", "identifiant"]
    assert words("Date(s) ou période(s) de versement") == ["date", "periode", "versement"]
    assert words("% du mt de la subvention") == ["pourcentage", "montant", "subvention"]


def test_mojibake_is_repaired_piece_by_piece() -> None:
    assert repair_mojibake("RÃ©fÃ©rence de la dÃ©cision") == "Référence de la décision"
    assert repair_mojibake("Aide notifiée Ã\xa0 l'Europe") == "Aide notifiée à l'Europe"
    assert repair_mojibake("Déjà correct") == "Déjà correct"
    assert compact("RÃ©fÃ©rence") == "reference"


# --- The stages, one by one -------------------------------------------------------------------------


def test_exact_then_normalized_then_title_then_alias(subventions: TableSchema) -> None:
    header = ["nomAttribuant", "ID attribuant", "Date de la convention de subvention", "SUB_MONTANT"]
    mapping = map_columns(header, subventions)
    assert by_column(mapping) == {
        0: ("nomAttribuant", Method.EXACT, True),
        1: ("idAttribuant", Method.NORMALIZED, True),
        2: ("dateConvention", Method.TITLE, True),
        3: ("montant", Method.ALIAS, True),
    }
    assert [p.score for p in mapping.proposals] == [100, 99, 98, 96]


def test_exact_name_with_spaces_around(subventions: TableSchema) -> None:
    mapping = map_columns([" montant "], subventions)
    assert by_column(mapping) == {0: ("montant", Method.EXACT, True)}


def test_fuzzy_match_is_applied_above_the_threshold_and_says_its_score(subventions: TableSchema) -> None:
    mapping = map_columns(["object", "Montant de la subvention"], subventions)
    first, second = mapping.proposals
    assert (first.field, first.method, first.applied) == ("objet", Method.FUZZY, True)
    assert APPLY_THRESHOLD <= first.score <= FUZZY_MAX_SCORE
    assert (second.field, second.method) == ("montant", Method.FUZZY)


def test_a_low_resemblance_is_proposed_never_applied(subventions: TableSchema) -> None:
    mapping = map_columns(["Objet de la convention"], subventions)
    (proposal,) = mapping.proposals
    assert proposal.field == "objet" and proposal.method is Method.FUZZY
    assert PROPOSE_THRESHOLD <= proposal.score < APPLY_THRESHOLD
    assert not proposal.applied and "seuil" in proposal.note
    assert mapping.applied == {} and "objet" in mapping.missing_fields
    assert mapping.pending == (proposal,)


def test_the_threshold_is_a_parameter(subventions: TableSchema) -> None:
    label = ["Objet de la convention"]
    score = map_columns(label, subventions).proposals[0].score
    assert map_columns(label, subventions, apply_threshold=score).proposals[0].applied
    assert not map_columns(label, subventions, apply_threshold=score + 1).proposals[0].applied


def test_nothing_is_proposed_below_the_proposal_threshold(subventions: TableSchema) -> None:
    mapping = map_columns(["COLL_TYPE", "ID_ENT", "Remarques"], subventions)
    assert mapping.proposals == ()
    assert mapping.unmapped_columns == (0, 1, 2)


def test_generic_words_weigh_less_than_rare_ones(subventions: TableSchema) -> None:
    matcher = Matcher(subventions)
    assert matcher.weight("identifiant") < matcher.weight("rae") == 1.0
    assert matcher.resemblance("ID_ENT", "idRAE") < PROPOSE_THRESHOLD, "only the generic word is shared"
    assert matcher.resemblance("nom beneficiaire 1", "nomBeneficiaire") < APPLY_THRESHOLD, "a data cell"


def test_an_ambiguous_resemblance_is_not_applied() -> None:
    schema = small_schema(("dateSignature", "Date de signature"), ("dateConvention", "Date de la convention"))
    label = ["Date de signature de la convention"]
    matcher = Matcher(schema)
    scores = [matcher.resemblance(label[0], name) for name in ("dateSignature", "dateConvention")]
    assert abs(scores[0] - scores[1]) <= AMBIGUITY_MARGIN
    assert min(scores) >= PROPOSE_THRESHOLD
    (proposal,) = map_columns(label, schema, apply_threshold=PROPOSE_THRESHOLD).proposals
    assert not proposal.applied, "above the threshold, but another field is as close"
    assert "ambigu" in proposal.note


def test_attributaire_is_never_applied_without_confirmation(subventions: TableSchema) -> None:
    mapping = map_columns(["Nom attributaire", "Identification de l'attributaire"], subventions)
    assert by_column(mapping) == {
        0: ("nomAttribuant", Method.FUZZY, False),
        1: ("idAttribuant", Method.FUZZY, False),
    }
    assert all("attributaire" in p.note for p in mapping.proposals)


# --- One column per field, one field per column -----------------------------------------------------


def test_a_field_claimed_twice_goes_to_the_best_score_and_the_loser_is_reported(
    subventions: TableSchema,
) -> None:
    mapping = map_columns(["dates_versement", "datesPeriodeVersement"], subventions)
    assert mapping.applied == {"datesPeriodeVersement": 1}
    (conflict,) = mapping.conflicts
    assert (conflict.field, conflict.kept, conflict.lost) == ("datesPeriodeVersement", 1, 0)
    assert conflict.kept_score == 100 and conflict.lost_score < 100
    assert "correspond mieux" in conflict.describe()


def test_a_loser_is_offered_its_next_free_choice_as_a_proposal() -> None:
    schema = small_schema(("dateConvention", "Date de la convention"), ("dateSignature", "Date de signature"))
    mapping = map_columns(["Date de la convention", "Date convention signature"], schema)
    assert mapping.applied == {"dateConvention": 0}
    second = mapping.proposal_for(1)
    assert second is not None and second.field == "dateSignature" and not second.applied
    assert "revient à une autre colonne" in second.note


def test_duplicated_columns_are_reported_and_only_the_first_is_mapped(subventions: TableSchema) -> None:
    mapping = map_columns(["montant", "objet", "Montant"], subventions)
    assert mapping.applied == {"montant": 0, "objet": 1}
    (duplicate,) = mapping.duplicates
    assert duplicate.columns == (0, 2)
    assert mapping.unmapped_columns == (2,)
    assert any("en double (colonnes 1 et 3)" in line for line in mapping.summary())


def test_blank_labels_are_neither_mapped_nor_counted(subventions: TableSchema) -> None:
    mapping = map_columns(["montant", "", "  "], subventions)
    assert mapping.labelled == 1 and mapping.unmapped_columns == () and mapping.duplicates == ()


# --- Known former names -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_every_alias_names_one_existing_field_and_no_other_field(name: str) -> None:
    schema = load_schema(name)
    table = ALIASES[name]
    keys: dict[str, str] = {}
    for label, target in table.items():
        assert target in schema.field_names, f"{label} → {target} : champ inconnu"
        key = compact(label)
        assert keys.setdefault(key, target) == target, f"{label} : deux cibles"
        others = {compact(f.name) for f in schema.fields if f.name != target}
        others |= {compact(f.title or "") for f in schema.fields if f.name != target}
        assert key not in others, f"{label} est le nom ou le titre d'un autre champ"


def test_old_scdl_names_of_the_pre_decree_format(subventions: TableSchema) -> None:
    header = ["COLL_NOM", "COLL_SIRET", "ACTE_REF", "ATTRIB_NOM", "ATTRIB_SIRET", "SUB_OBJ", "NOTIF_EU"]
    assert map_columns(header, subventions).applied == {
        "nomAttribuant": 0,
        "idAttribuant": 1,
        "referenceDecision": 2,
        "nomBeneficiaire": 3,
        "idBeneficiaire": 4,
        "objet": 5,
        "notificationUE": 6,
    }


def test_old_scdl_names_of_the_first_draft(subventions: TableSchema) -> None:
    header = [
        "ATTRIBUANT_NOM",
        "BENEFICIAIRE_ID",
        "RAE_NUM",
        "SUBVENTION_POURCENTAGE",
        "DATE_PERIODE_VERSEMENT",
    ]
    assert map_columns(header, subventions).applied == {
        "nomAttribuant": 0,
        "idBeneficiaire": 1,
        "idRAE": 2,
        "pourcentageSubvention": 3,
        "datesPeriodeVersement": 4,
    }


def test_ambiguous_old_names_are_not_in_the_table(subventions: TableSchema) -> None:
    mapping = map_columns(["ACTE_DATE", "SUB_VERSEMENT", "SUB_DATE_DEBUT", "ID_ENT"], subventions)
    assert mapping.applied == {}
    assert all(p.method is Method.FUZZY for p in mapping.proposals)


def test_former_titles_of_deliberations(deliberations: TableSchema) -> None:
    header = [
        "Date de la délibération",
        "Nombre de votes Pour",
        "Décompte de l’effectif total des élus ayant réellement participé au vote (exclusion des absents)",
        "Nom de la collectivité",
        "DELIB_OBJET",
    ]
    mapping = map_columns(header, deliberations)
    assert mapping.applied == {
        "DELIB_DATE": 0,
        "VOTE_POUR": 1,
        "VOTE_REEL": 2,
        "COLL_NOM": 3,
        "DELIB_OBJET": 4,
    }
    assert [p.method for p in mapping.proposals] == [
        Method.ALIAS,
        Method.ALIAS,
        Method.ALIAS,
        Method.TITLE,
        Method.EXACT,
    ]


def test_aliases_of_a_schema_from_a_file_come_from_the_table_of_its_fields(subventions: TableSchema) -> None:
    copy = parse_table_schema(dict(subventions.descriptor))
    assert copy.ref is None
    assert known_aliases(copy) == known_aliases(subventions)
    assert known_aliases(small_schema(("a", "A"))) == {}


def test_caller_aliases_replace_the_known_table(subventions: TableSchema) -> None:
    mapping = map_columns(["MNT_SUBV", "COLL_NOM"], subventions, aliases={"MNT_SUBV": "montant"})
    assert mapping.applied == {"montant": 0}


# --- A person's choices -----------------------------------------------------------------------------


def test_choose_confirms_replaces_or_removes(subventions: TableSchema) -> None:
    mapping = map_columns(["Objet de la convention", "montant"], subventions)
    confirmed = mapping.choose(0, "objet")
    assert confirmed.applied == {"objet": 0, "montant": 1}
    assert confirmed.proposal_for(0) is not None
    assert confirmed.proposal_for(0).method is Method.MANUAL  # type: ignore[union-attr]
    moved = confirmed.choose(0, "montant")
    assert moved.applied == {"montant": 0}, "the field leaves the column that had it"
    assert moved.choose(0, None).applied == {}
    with pytest.raises(UsageError, match="inconnu"):
        mapping.choose(0, "pasUnChamp")
    with pytest.raises(UsageError, match="inexistante"):
        mapping.choose(7, "objet")


def test_for_header_finds_columns_by_label(subventions: TableSchema) -> None:
    mapping = map_columns(["COLL_NOM", "SUB_MONTANT", "Objet de la convention"], subventions).choose(
        2, "objet"
    )
    moved = mapping.for_header(["Sub montant", "autre", "Objet de la convention", "coll_nom"])
    assert moved.applied == {"montant": 0, "objet": 2, "nomAttribuant": 3}
    assert moved.header[0] == "Sub montant"
    assert mapping.for_header(["autre"]).applied == {}


# --- JSON -------------------------------------------------------------------------------------------


def test_json_round_trip(tmp_path: Path, subventions: TableSchema) -> None:
    header = [
        "COLL_NOM",
        "dates_versement",
        "datesPeriodeVersement",
        "Objet de la convention",
        "montant",
        "montant",
    ]
    mapping = map_columns(header, subventions)
    assert mapping.conflicts and mapping.pending and mapping.duplicates
    path = tmp_path / "correspondance.json"
    mapping.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format_version"] == FORMAT_VERSION == 1
    assert document["schema"] == "scdl/subventions@2.1.1"
    assert document["columns"][0] == {
        "column": 0,
        "label": "COLL_NOM",
        "field": "nomAttribuant",
        "method": "alias",
        "score": 96,
        "applied": True,
        "note": "",
    }
    loaded = ColumnMapping.load(path)
    assert loaded == mapping
    assert loaded.summary() == mapping.summary()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format_version=2), "format_version 2 non pris en charge"),
        (lambda d: d.pop("format_version"), "format_version None"),
        (lambda d: d.update(header="x"), "« header » doit être une liste"),
        (lambda d: d["columns"][0].update(column=9), "hors de l'en-tête"),
        (lambda d: d["columns"][0].update(field="inconnu"), "absent de « fields »"),
        (lambda d: d["columns"][0].update(method="magie"), "méthode « magie » inconnue"),
        (lambda d: d["columns"][0].update(score=101), "hors de 0–100"),
        (lambda d: d["columns"][0].update(applied="oui"), "« applied » manquant ou de mauvais type"),
        (lambda d: d["columns"].append(dict(d["columns"][0])), "même « column »"),
    ],
)
def test_invalid_json_mappings_are_refused_in_french(
    tmp_path: Path, subventions: TableSchema, change, message
) -> None:  # type: ignore[no-untyped-def]
    document = map_columns(["COLL_NOM", "montant"], subventions).to_dict()
    change(document)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        ColumnMapping.load(path)


def test_unreadable_json_files(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text("{pas du json", encoding="utf-8")
    with pytest.raises(UsageError, match="JSON invalide"):
        ColumnMapping.load(tmp_path / "c.json")
    with pytest.raises(UsageError, match="illisible"):
        ColumnMapping.load(tmp_path / "absent.json")
    (tmp_path / "l.json").write_text("[]", encoding="utf-8")
    with pytest.raises(UsageError, match="objet JSON"):
        ColumnMapping.load(tmp_path / "l.json")


# --- Applying a mapping -----------------------------------------------------------------------------


def test_apply_gives_schema_columns_in_schema_order_with_file_row_numbers() -> None:
    schema = small_schema(("nom", "Nom"), ("montant", "Montant"), ("objet", "Objet"))
    rows = [["Montant", "Remarque", "Nom"], ["12", "r", "A"], [], ["7"], ["3", "", "C", "extra"]]
    table = Table.from_rows(rows, first_row_number=4)
    mapping = map_columns(table.header, schema)
    assert mapping.applied == {"montant": 0, "nom": 2}
    mapped = mapping.apply(table)
    assert mapped.header == ["nom", "montant", "objet"]
    assert mapped.header_row == 4
    (batch,) = list(mapped.batches())
    frame = batch.frame
    assert frame.columns == ["c0", "c1", "c2", ROW, CELLS]
    assert frame.rows() == [
        ("A", "12", "", 5, 3),
        (None, None, None, 6, 0),
        ("", "7", "", 7, 3),
        ("C", "3", "", 8, 3),
    ]
    assert any("sans colonne (laissés vides) : objet" in note for note in mapped.source.notes)


def test_apply_frame_names_columns_by_field() -> None:
    schema = small_schema(("nom", "Nom"), ("montant", "Montant"))
    table = Table.from_rows([["Montant", "Nom"], ["12", "A"]])
    mapping = map_columns(table.header, schema)
    frame = mapping.apply_frame(next(table.batches()).frame)
    assert frame.columns == ["nom", "montant", ROW]
    assert frame.rows() == [("A", "12", 2)]


def test_pending_proposals_are_not_applied_to_the_table(subventions: TableSchema) -> None:
    table = Table.from_rows([["Objet de la convention"], ["Festival"]])
    mapping = map_columns(table.header, subventions)
    (batch,) = list(mapping.apply(table).batches())
    assert set(batch.frame["c7"].to_list()) == {""}, "objet stays empty until confirmed"
    (batch,) = list(
        mapping.choose(0, "objet")
        .apply(Table.from_rows([["Objet de la convention"], ["Festival"]]))
        .batches()
    )
    assert batch.frame["c7"].to_list() == ["Festival"]


def test_apply_refuses_a_header_that_does_not_match(subventions: TableSchema) -> None:
    mapping = map_columns(["COLL_NOM", "SUB_MONTANT"], subventions)
    with pytest.raises(UsageError, match="colonne 2, « SUB_MONTANT » attendu, « autre » trouvé"):
        mapping.apply(Table.from_rows([["COLL_NOM", "autre"]]))
    with pytest.raises(UsageError, match="rien trouvé"):
        mapping.apply(Table.from_rows([["COLL_NOM"]]))
    assert mapping.apply(Table.from_rows([["coll nom", "Sub_Montant"]])).header == list(
        subventions.field_names
    )


def test_summary_in_french(subventions: TableSchema) -> None:
    mapping = map_columns(["COLL_NOM", "Objet de la convention", "Remarques"], subventions)
    lines = mapping.summary()
    assert lines[0] == "1 colonne sur 3 reconnue ; 1 champ du schéma sur 16."
    assert "« COLL_NOM » (colonne 1) → nomAttribuant : ancien nom connu du champ, 96" in lines
    assert any(
        line.startswith("« Objet de la convention » (colonne 2) → objet : ressemblance") for line in lines
    )
    assert "Colonnes sans champ correspondant : « Remarques » (3)." in lines
    assert any(line.startswith("Champs sans colonne (laissés vides) : idAttribuant") for line in lines)
    assert any("Dont obligatoires : idAttribuant" in line for line in lines)


def test_the_documentation_gives_the_constants_of_the_code() -> None:
    page = (REPO / "docs" / "import.md").read_text(encoding="utf-8")
    for text in (
        f"{APPLY_THRESHOLD} (`APPLY_THRESHOLD`)",
        f"{PROPOSE_THRESHOLD} (`PROPOSE_THRESHOLD`)",
        f"{AMBIGUITY_MARGIN} points (`AMBIGUITY_MARGIN`)",
        f"ne dépasse jamais {FUZZY_MAX_SCORE}",
        f"{HEADER_SEARCH_ROWS} premières lignes remplies (`HEADER_SEARCH_ROWS`)",
        f"{PREVIEW_RECORDS} premiers enregistrements (`PREVIEW_RECORDS`)",
        f"`format_version` {FORMAT_VERSION}",
    ):
        assert text in page, text
    for method in Method:
        score = METHOD_SCORES.get(method)
        row = f"| `{method.value}` |"
        assert row in page, method
        if score is not None:
            line = next(line for line in page.splitlines() if line.startswith(row))
            assert line.endswith(f"| {score} |"), line
