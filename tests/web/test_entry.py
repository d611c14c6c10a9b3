"""Entry of a draft by form and by grid: the engine's French messages next to the right field or in
the right cell, identity fields pre-filled, the completion line, the audit trail, and roles."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from socle.schemas import load_schema, parse_table_schema
from socle.web.datasets import draft
from socle.web.datasets.models import Action, AuditEvent, Dataset, DraftRow
from socle.web.territories.models import Authority, Kind
from tests.web.conftest import World, client_of

SUBVENTION = {
    "dateConvention": "2024-03-01",
    "nomBeneficiaire": "Comité des fêtes",
    "rnaBeneficiaire": "W351234567",
    "objet": "Fête de la musique",
    "montant": "1500",
    "nature": "aide en numéraire",
    "conditionsVersement": "Versement unique",
    "datesPeriodeVersement": "2024-04-01",
    "notificationUE": "non",
    "pourcentageSubvention": "1",
}


def _base(world: World) -> str:
    return f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}"


def _identity(world: World) -> dict[str, str]:
    return {"nomAttribuant": world.chavagne.name, "idAttribuant": world.chavagne.siret}


def _row(world: World, **changes: str) -> dict[str, str]:
    return {**_identity(world), **SUBVENTION, **changes}


def _field_error(body: str, schema_name: str, field: str) -> str:
    """The text of the error paragraph next to ``field`` in the form page."""
    index = load_schema(schema_name).field_names.index(field)
    found = re.search(rf'<p class="erreur" id="champ-{index}-erreur">(.*?)</p>', body, re.S)
    assert found, field
    return found.group(1)


def _fill(world: World, rows: list[dict[str, str]]) -> None:
    schema = draft.schema_of(world.dataset)
    DraftRow.objects.bulk_create(
        DraftRow(dataset=world.dataset, position=i, cells=draft.cells_for(schema, cells))
        for i, cells in enumerate(rows, start=1)
    )
    draft.revalidate(world.dataset)


# --- Form entry --------------------------------------------------------------------------------------


def test_a_secretary_enters_three_rows_with_one_mistake_and_fixes_it(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    url = f"{_base(world)}/saisie/"
    page = client.get(url).content.decode()
    assert 'aria-required="true"' in page and "(obligatoire)" in page
    assert 'type="date"' in page and "<select" in page and "<textarea" in page

    assert client.post(url, _row(world)).status_code == 302
    # The second row has a mistake: the row is not saved, the engine's message is next to « montant ».
    response = client.post(url, _row(world, montant="mille euros", nomBeneficiaire="Club de foot"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "n&#x27;est pas un nombre" in _field_error(body, "scdl/subventions@2.1.1", "montant")
    assert _field_error(body, "scdl/subventions@2.1.1", "objet") == ""
    index = load_schema("scdl/subventions@2.1.1").field_names.index("montant")
    widget = re.search(rf'<input[^>]*id="champ-{index}"[^>]*>', body)
    assert widget and 'aria-invalid="true"' in widget.group(0) and "mille euros" in widget.group(0)
    assert f"champ-{index}-erreur" in widget.group(0)  # aria-describedby
    assert world.dataset.draft_rows.count() == 1
    # Fixed, it is saved as row 2; a third row follows.
    response = client.post(url, _row(world, montant="800", nomBeneficiaire="Club de foot"), follow=True)
    assert "Ligne 2 ajoutée" in response.content.decode()
    client.post(url, _row(world, nomBeneficiaire="Bibliothèque", montant="300"))
    rows = list(world.dataset.draft_rows.order_by("position"))
    assert [r.position for r in rows] == [1, 2, 3]
    assert [r.cells["nomBeneficiaire"] for r in rows] == ["Comité des fêtes", "Club de foot", "Bibliothèque"]
    assert all(r.errors == 0 for r in rows)
    assert "3 lignes, aucune à corriger" in client.get(url).content.decode()


def test_a_row_kept_with_its_mistake_is_fixed_later_through_the_same_form(world: World) -> None:
    client = client_of(world.people["contrib-chavagne"])
    url = f"{_base(world)}/saisie/"
    client.post(url, _row(world))
    response = client.post(url, {**_row(world, dateConvention="01/03/2024"), "garder": "1"}, follow=True)
    assert "Ligne 2 ajoutée ; elle a 1 erreur à corriger" in response.content.decode()
    assert "2 lignes, 1 à corriger" in response.content.decode()
    row = world.dataset.draft_rows.get(position=2)
    assert row.errors == 1 and row.cells["dateConvention"] == "01/03/2024"
    # The edit form shows the message, and keeps the value (a text box: a date box would drop it).
    body = client.get(f"{url}?ligne=2").content.decode()
    assert "AAAA-MM-JJ" in _field_error(body, "scdl/subventions@2.1.1", "dateConvention")
    assert 'value="01/03/2024"' in body
    response = client.post(f"{url}?ligne=2", _row(world, dateConvention="2024-03-01"), follow=True)
    assert "Ligne 2 enregistrée" in response.content.decode()
    assert world.dataset.draft_rows.get(position=2).errors == 0
    assert "2 lignes, aucune à corriger" in response.content.decode()
    event = AuditEvent.objects.filter(action=Action.ROW_CHANGED).get()
    assert event.summary == "Ligne 2 modifiée : dateConvention"
    assert event.detail["champs"]["dateConvention"] == {"avant": "01/03/2024", "apres": "2024-03-01"}
    assert event.user == world.people["contrib-chavagne"] and event.dataset == world.dataset


def test_an_empty_or_bad_form_gets_french_messages_and_no_row(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    url = f"{_base(world)}/saisie/"
    response = client.post(url, {})
    assert response.status_code == 200 and "La ligne est vide" in response.content.decode()
    response = client.post(url, {"objet": "x" * 30_000})
    assert response.status_code == 200 and "20000" in response.content.decode().replace("\u202f", "")
    response = client.post(url, {"objet": "a\x00b"})
    assert response.status_code == 200
    assert client.get(f"{url}?ligne=abc").status_code == 400
    response = client.get(f"{url}?ligne=7")
    assert response.status_code == 404 and "La ligne 7 n&#x27;existe pas" in response.content.decode()
    assert world.dataset.draft_rows.count() == 0


def test_completion_line() -> None:
    assert str(draft.Completion(0, 0)) == "0 ligne"
    assert str(draft.Completion(1, 1)) == "1 ligne, 1 à corriger"
    assert str(draft.Completion(1, 0)) == "1 ligne, aucune à corriger"
    assert str(draft.Completion(3, 0)) == "3 lignes, aucune à corriger"
    assert str(draft.Completion(12, 2)) == "12 lignes, 2 à corriger"
    assert str(draft.Completion(50_000, 1)) == "50\u202f000 lignes, 1 à corriger"


def test_completion_line_on_the_pages(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    assert "0 ligne" in client.get(f"{_base(world)}/saisie/").content.decode()
    _fill(world, [_row(world), _row(world, montant="?"), _row(world)])
    assert draft.completion(world.dataset) == draft.Completion(3, 1)
    assert "3 lignes, 1 à corriger" in client.get(f"{_base(world)}/saisie/").content.decode()
    assert "3 lignes, 1 à corriger" in client.get(f"{_base(world)}/grille/").content.decode()
    page = client.get(f"{_base(world)}/").content.decode()
    assert f"{_base(world)}/grille/" in page and f"{_base(world)}/saisie/" in page


# --- Identity fields ---------------------------------------------------------------------------------


def test_identity_fields_are_pre_filled_from_the_authority(world: World) -> None:
    chavagne = world.chavagne
    subventions = draft.identity_values(load_schema("scdl/subventions@2.1.1"), chavagne)
    assert subventions == {"nomAttribuant": "Chavagne", "idAttribuant": chavagne.siret}
    deliberations = draft.identity_values(load_schema("scdl/deliberations"), chavagne)
    assert deliberations == {"COLL_NOM": "Chavagne", "COLL_SIRET": chavagne.siret}
    assert draft.identity_values(load_schema("scdl/budget"), chavagne) == {
        "BGT_NOM": "Chavagne",
        "BGT_SIRET": chavagne.siret,
    }
    prenoms = draft.identity_values(load_schema("scdl/prenoms"), chavagne)
    assert prenoms == {"COLL_INSEE": "35076", "COMMUNE_NOM": "Chavagne"}
    # A département has no commune INSEE code to give.
    assert draft.identity_values(load_schema("scdl/prenoms"), world.atd) == {}
    # A field that wants a SIREN gets the SIREN.
    vehicles = draft.identity_values(
        load_schema("etalab/schema-vehicules-faibles-emissions-renouvellement-parc"), chavagne
    )
    assert vehicles == {"sirenDeclarant": chavagne.siren}
    # What the authority does not know is left empty.
    unknown = Authority(kind=Kind.COMMUNE, code="35076", name="Chavagne", siren="", siret="")
    assert draft.identity_values(load_schema("scdl/subventions@2.1.1"), unknown) == {
        "nomAttribuant": "Chavagne"
    }


def test_the_form_is_pre_filled_and_the_values_stay_editable(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    body = client.get(f"{_base(world)}/saisie/").content.decode()
    assert 'value="Chavagne"' in body and f'value="{world.chavagne.siret}"' in body
    client.post(f"{_base(world)}/saisie/", _row(world, nomAttribuant="Mairie de Chavagne"))
    assert world.dataset.draft_rows.get().cells["nomAttribuant"] == "Mairie de Chavagne"


# --- Live check --------------------------------------------------------------------------------------


def test_the_live_check_answers_the_engines_messages_for_the_row_being_typed(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    url = f"{_base(world)}/saisie/verifier/"
    _fill(world, [_row(world)])
    answer = client.post(url, _row(world, montant="douze", idAttribuant="12345678901234")).json()
    assert answer["ligne"] == 2 and answer["valide"] is False
    assert "n'est pas un nombre" in answer["erreurs"]["montant"][0]
    assert "SIRET" in answer["erreurs"]["idAttribuant"][0]
    assert "objet" not in answer["erreurs"]
    assert answer["completion"] == "1 ligne, aucune à corriger"
    assert world.dataset.draft_rows.count() == 1  # a check saves nothing
    answer = client.post(url, _row(world)).json()
    assert answer["valide"] is True and answer["erreurs"] == {} and answer["erreurs_ligne"] == []
    # Editing row 1: the check is about row 1.
    answer = client.post(f"{url}?ligne=1", _row(world, nature="autre")).json()
    assert answer["ligne"] == 1 and "nature" in answer["erreurs"]
    # Without any field, the answer says what is checked; a bad row number is refused in French.
    answer = client.get(url).json()
    assert answer["jeu"] == world.dataset.title and "montant" in answer["champs"]
    response = client.post(f"{url}?ligne=zéro", _row(world))
    assert response.status_code == 400 and "numéro de ligne" in response.json()["erreur"]
    assert client.post(f"{url}?ligne=9", _row(world)).status_code == 404


def test_checks_across_rows_see_the_whole_draft(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = parse_table_schema(
        {"fields": [{"name": "code", "constraints": {"unique": True, "required": True}}, {"name": "nom"}]}
    )
    monkeypatch.setattr(draft, "schema_of", lambda dataset: schema)
    for position, code in enumerate(["A", "B", "C"], start=1):
        DraftRow.objects.create(dataset=world.dataset, position=position, cells={"code": code, "nom": "x"})
    assert draft.revalidate(world.dataset) == draft.Completion(3, 0)
    # The row being typed repeats row 2's code: the engine says so, naming row 2.
    found = draft.judge_rows(world.dataset, schema, [(4, {"code": "B", "nom": "y"})])
    assert found[4]["code"] == ["La valeur « B » de la colonne « code » apparaît déjà ligne 2."]
    # Stored, the duplicate is counted; the grid's messages for that row name row 2 as well.
    DraftRow.objects.create(dataset=world.dataset, position=4, cells={"code": "B", "nom": "y"})
    assert draft.revalidate(world.dataset) == draft.Completion(4, 1)
    row = world.dataset.draft_rows.get(position=4)
    assert row.errors == 1
    assert "apparaît déjà ligne 2" in draft.judge_stored(world.dataset, schema, [row])[4]["code"][0]
    # Row 2 deleted: the duplicate is gone, rows are numbered 1, 2, 3 again.
    draft.delete_row(world.dataset, None, world.dataset.draft_rows.get(position=2))
    assert draft.completion(world.dataset) == draft.Completion(3, 0)
    assert list(world.dataset.draft_rows.values_list("position", "cells__code")) == [
        (1, "A"),
        (2, "C"),
        (3, "B"),
    ]


# --- Grid entry --------------------------------------------------------------------------------------


@pytest.fixture
def grid_world(world: World) -> World:
    rows = [_row(world, montant=str(1000 + i), objet=f"Objet {i:03d}") for i in range(1, 121)]
    rows[9]["montant"] = "dix"  # line 10
    rows[99]["dateConvention"] = "2024-13-45"  # line 100
    _fill(world, rows)
    return world


def _lines(body: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="ligne-(\d+)"', body)]


def test_the_grid_is_paginated_and_reads_only_one_page(grid_world: World) -> None:
    client = client_of(grid_world.people["lecteur-chavagne"])
    url = f"{_base(grid_world)}/grille/"
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert _lines(body) == list(range(1, 51))
    assert "<table" in body and '<th scope="col"' in body and '<th scope="row"' in body
    assert "Page 1 sur 3" in body and "120 lignes, 2 à corriger" in body
    # One page reads the ids of 50 rows, then those rows' cells: never every row of the draft.
    draft_queries = [q["sql"] for q in queries.captured_queries if 'FROM "datasets_draftrow"' in q["sql"]]
    assert any("LIMIT 50" in sql for sql in draft_queries)
    cells_read = [sql for sql in draft_queries if '"cells"' in sql.split("FROM")[0]]
    assert cells_read and all('"id" IN (' in sql for sql in cells_read)
    assert all(sql.split('"id" IN (')[1].count(",") == 49 for sql in cells_read)
    assert _lines(client.get(f"{url}?page=3").content.decode()) == list(range(101, 121))
    # A page number out of range or malformed gives a page, never an error.
    assert _lines(client.get(f"{url}?page=99").content.decode()) == list(range(101, 121))
    assert _lines(client.get(f"{url}?page=abc").content.decode()) == list(range(1, 51))


def test_the_grid_sorts_by_any_column(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    url = f"{_base(grid_world)}/grille/"
    body = client.get(f"{url}?tri=objet&ordre=desc").content.decode()
    assert _lines(body)[:3] == [120, 119, 118]
    assert 'aria-sort="descending"' in body
    # A numeric column sorts as numbers ("999" before "1000"); what is not a number comes last.
    grid_world.dataset.draft_rows.filter(position=120).update(cells={**_row(grid_world), "montant": "999"})
    grid_world.dataset.draft_rows.filter(position=119).update(cells={**_row(grid_world), "montant": "-12.5"})
    body = client.get(f"{url}?tri=montant").content.decode()
    assert _lines(body)[:4] == [119, 120, 1, 2] and 10 not in _lines(body)
    assert _lines(client.get(f"{url}?tri=montant&page=3").content.decode())[-1] == 10
    body = client.get(f"{url}?tri=montant&ordre=desc").content.decode()
    assert _lines(body)[:2] == [118, 117]
    assert _lines(client.get(f"{url}?tri=montant&ordre=desc&page=3").content.decode())[-3:] == [120, 119, 10]
    # A row without the cell at all comes last either way; the filter on errors still applies.
    cells = {k: v for k, v in _row(grid_world).items() if k != "objet"}
    grid_world.dataset.draft_rows.filter(position=7).update(cells=cells)
    for order in ("", "&ordre=desc"):
        assert _lines(client.get(f"{url}?tri=objet{order}&page=3").content.decode())[-1] == 7
    assert _lines(client.get(f"{url}?tri=montant&erreurs=1").content.decode()) == [100, 10]
    body = client.get(f"{url}?ordre=desc").content.decode()
    assert _lines(body)[0] == 120
    # An unknown column is ignored: the rows stay in their order.
    assert _lines(client.get(f"{url}?tri=inconnu").content.decode())[:2] == [1, 2]


def test_the_grid_filters_the_rows_to_fix_and_shows_the_messages_in_place(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    body = client.get(f"{_base(grid_world)}/grille/?erreurs=1").content.decode()
    assert _lines(body) == [10, 100]
    cell = re.search(r'<tr id="ligne-10".*?<td data-champ="montant" class="en-erreur">(.*?)</td>', body, re.S)
    assert cell and "dix" in cell.group(1) and "n&#x27;est pas un nombre" in cell.group(1)
    assert 'class="sr">Erreur : </span>' in cell.group(1)
    date = re.search(
        r'<tr id="ligne-100".*?<td data-champ="dateConvention" class="en-erreur">(.*?)</td>', body, re.S
    )
    assert date and "2024-13-45" in date.group(1)
    assert '<td data-champ="objet" class="en-erreur">' not in body


def test_the_grid_escapes_what_was_typed(grid_world: World) -> None:
    typed = '<script>alert("x")</script> & <b>'
    grid_world.dataset.draft_rows.filter(position=10).update(
        cells={**_row(grid_world), "objet": typed, "montant": "<i>dix</i>"}
    )
    body = client_of(grid_world.people["admin-chavagne"]).get(f"{_base(grid_world)}/grille/").content.decode()
    assert "<script>alert" not in body and "<i>dix" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in body
    assert "&lt;i&gt;dix&lt;/i&gt;" in body


def _cell(client: Client, world: World, data: dict[str, str]) -> tuple[int, dict[str, object]]:
    response = client.post(f"{_base(world)}/grille/cellule/", data)
    return response.status_code, response.json()


def test_a_cell_is_changed_through_the_json_endpoint(grid_world: World) -> None:
    client = client_of(grid_world.people["contrib-chavagne"])
    status, answer = _cell(client, grid_world, {"ligne": "10", "champ": "montant", "valeur": "1010"})
    assert status == 200 and answer["modifie"] is True and answer["nb_erreurs"] == 0
    assert answer["valeur"] == "1010" and answer["erreurs"] == {}
    assert answer["completion"] == "120 lignes, 1 à corriger"
    status, answer = _cell(
        client, grid_world, {"ligne": "3", "champ": "notificationUE", "valeur": "peut-être"}
    )
    assert status == 200 and answer["nb_erreurs"] == 1
    assert "booléen" in answer["erreurs"]["notificationUE"][0]
    assert grid_world.dataset.draft_rows.get(position=3).cells["notificationUE"] == "peut-être"
    assert grid_world.dataset.draft_rows.get(position=3).errors == 1
    summaries = list(AuditEvent.objects.filter(action=Action.ROW_CHANGED).values_list("summary", flat=True))
    assert sorted(summaries) == ["Ligne 10 modifiée : montant", "Ligne 3 modifiée : notificationUE"]
    # A JSON body works too; the same value again changes nothing and writes nothing.
    response = client.post(
        f"{_base(grid_world)}/grille/cellule/",
        json.dumps({"ligne": 3, "champ": "notificationUE", "valeur": "peut-être"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["modifie"] is False
    assert AuditEvent.objects.filter(action=Action.ROW_CHANGED).count() == 2
    # GET tells a row's cells and messages.
    answer = client.get(f"{_base(grid_world)}/grille/cellule/?ligne=3").json()
    assert answer["cellules"]["notificationUE"] == "peut-être" and "notificationUE" in answer["erreurs"]


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        ({}, 400, "Indiquez la ligne"),
        ({"ligne": "x", "champ": "montant", "valeur": "1"}, 400, "numéro de ligne"),
        ({"ligne": "²", "champ": "montant", "valeur": "1"}, 400, "numéro de ligne"),
        ({"ligne": "1", "id": "²", "champ": "montant", "valeur": "1x"}, 200, ""),
        ({"ligne": "999", "champ": "montant", "valeur": "1"}, 404, "La ligne 999 n'existe pas"),
        ({"ligne": "1", "champ": "inconnu", "valeur": "1"}, 400, "n'est pas dans le schéma"),
        ({"ligne": "1", "champ": "montant"}, 400, "nouvelle valeur"),
        ({"ligne": "1", "champ": "montant", "valeur": "1" * 30_000}, 400, "trop longue"),
    ],
)
def test_a_bad_cell_change_is_refused_in_french(
    grid_world: World, data: dict[str, str], status: int, words: str
) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    got, answer = _cell(client, grid_world, data)
    assert got == status and words in str(answer.get("erreur", ""))
    if status != 200:
        assert grid_world.dataset.draft_rows.get(position=1).cells["montant"] == "1001"


def test_malformed_json_is_refused(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    response = client.post(
        f"{_base(grid_world)}/grille/cellule/", "{pas du json", content_type="application/json"
    )
    assert response.status_code == 400 and "JSON" in response.json()["erreur"]


def test_a_row_is_appended_from_the_grid_with_the_identity_pre_filled(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    response = client.post(f"{_base(grid_world)}/grille/", {"action": "ajouter"})
    assert response.status_code == 302 and response["Location"].endswith("?page=3#ligne-121")
    row = grid_world.dataset.draft_rows.get(position=121)
    assert row.cells["nomAttribuant"] == "Chavagne" and row.cells["montant"] == ""
    assert row.errors > 0  # the required fields are still empty
    event = AuditEvent.objects.get(action=Action.ROW_ADDED)
    assert event.summary.startswith("Ligne 121 ajoutée") and "nomAttribuant" in event.summary
    assert client.post(f"{_base(grid_world)}/grille/", {"action": "autre"}).status_code == 400


def test_a_row_is_deleted_after_a_confirmation(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    url = f"{_base(grid_world)}/lignes/supprimer/"
    page = client.get(f"{url}?ligne=2")
    body = page.content.decode()
    assert page.status_code == 200 and "Supprimer la ligne 2 ?" in body and "Objet 002" in body
    assert grid_world.dataset.draft_rows.count() == 120  # asking deletes nothing
    response = client.post(f"{url}?ligne=2", {"ligne": "2"})
    assert response.status_code == 302
    assert grid_world.dataset.draft_rows.count() == 119
    assert grid_world.dataset.draft_rows.get(position=2).cells["objet"] == "Objet 003"
    assert grid_world.dataset.draft_rows.get(position=9).cells["montant"] == "dix"
    assert grid_world.dataset.draft_rows.get(position=9).errors == 1
    event = AuditEvent.objects.get(action=Action.ROW_DELETED)
    assert event.summary == "Ligne 2 supprimée" and event.detail["cellules"]["objet"] == "Objet 002"
    # Without a row number: a page to choose one (GET), a French refusal (POST).
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"ligne": "500"}).status_code == 404
    assert grid_world.dataset.draft_rows.count() == 119


def test_a_reader_sees_the_grid_and_changes_nothing(grid_world: World) -> None:
    client = client_of(grid_world.people["lecteur-chavagne"])
    base = _base(grid_world)
    body = client.get(f"{base}/grille/").content.decode()
    assert "data-cellule" not in body and "Supprimer" not in body and "Ajouter une ligne" not in body
    assert client.get(f"{base}/saisie/").status_code == 403
    assert client.post(f"{base}/saisie/", _row(grid_world)).status_code == 403
    assert client.post(f"{base}/saisie/verifier/", _row(grid_world)).status_code == 403
    assert client.post(f"{base}/grille/", {"action": "ajouter"}).status_code == 403
    assert (
        client.post(f"{base}/grille/cellule/", {"ligne": "1", "champ": "montant", "valeur": "1"}).status_code
        == 403
    )
    assert client.post(f"{base}/lignes/supprimer/", {"ligne": "1"}).status_code == 403
    assert grid_world.dataset.draft_rows.count() == 120
    assert grid_world.dataset.draft_rows.get(position=1).cells["montant"] == "1001"
    assert not AuditEvent.objects.filter(action__startswith="row_").exists()


def test_an_atd_animator_enters_rows_for_an_accompanied_commune(world: World) -> None:
    client = client_of(world.people["animateur"])
    assert client.post(f"{_base(world)}/saisie/", _row(world)).status_code == 302
    assert AuditEvent.objects.get(action=Action.ROW_ADDED).user == world.people["animateur"]


def test_a_dataset_whose_schema_is_gone_gets_a_french_page(world: World) -> None:
    Dataset.objects.filter(pk=world.dataset.pk).update(schema_name="scdl/inexistant", schema_version="9.9")
    client = client_of(world.people["admin-chavagne"])
    for path in ("saisie/", "grille/", "lignes/supprimer/"):
        response = client.get(f"{_base(world)}/{path}")
        assert response.status_code == 503 and "ne peut pas être chargé" in response.content.decode()
    assert client.get(f"{_base(world)}/grille/cellule/?ligne=1").status_code == 503


def test_a_change_reaches_its_row_after_an_earlier_row_was_deleted(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    base = _base(grid_world)
    row5 = grid_world.dataset.draft_rows.get(position=5)
    form = client.get(f"{base}/saisie/?ligne=5").content.decode()
    assert f'name="socle-ligne-id" value="{row5.pk}"' in form
    # Someone deletes row 2 meanwhile: row 5 is now line 4.
    client.post(f"{base}/lignes/supprimer/?ligne=2", {"ligne": "2"})
    response = client.post(
        f"{base}/saisie/?ligne=5", {**_row(grid_world, objet="Modifié"), "socle-ligne-id": row5.pk}
    )
    assert response.status_code == 302
    row5.refresh_from_db()
    assert row5.position == 4 and row5.cells["objet"] == "Modifié"
    assert grid_world.dataset.draft_rows.get(position=5).cells["objet"] == "Objet 006"
    # The grid names the row by its id too.
    status, answer = _cell(
        client, grid_world, {"ligne": "5", "id": str(row5.pk), "champ": "objet", "valeur": "Bis"}
    )
    assert status == 200 and answer["ligne"] == 4
    row5.refresh_from_db()
    assert row5.cells["objet"] == "Bis"


def test_a_row_deleted_while_it_was_typed_keeps_the_values(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    base = _base(grid_world)
    row = grid_world.dataset.draft_rows.get(position=3)
    ident = row.pk
    row.delete()
    response = client.post(
        f"{base}/saisie/?ligne=3", {**_row(grid_world, objet="Mon texte"), "socle-ligne-id": ident}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "La ligne 3 a été supprimée entre-temps" in body
    assert "Mon texte" in body and "?ligne=" not in body.split('class="formulaire saisie"')[1].split(">")[0]
    assert not grid_world.dataset.draft_rows.filter(cells__objet="Mon texte").exists()
    status, answer = _cell(
        client, grid_world, {"ligne": "3", "id": str(ident), "champ": "objet", "valeur": "x"}
    )
    assert status == 404 and "supprimée" in str(answer["erreur"])


def test_after_a_deletion_the_grid_comes_back_where_it_was(grid_world: World) -> None:
    client = client_of(grid_world.people["admin-chavagne"])
    base = _base(grid_world)
    grid = client.get(f"{base}/grille/?tri=objet&page=2").content.decode()
    assert "retour=%3Ftri%3Dobjet%26page%3D2" in grid and '<dialog id="confirmer-suppression"' in grid
    response = client.post(f"{base}/lignes/supprimer/", {"ligne": "60", "retour": "?tri=objet&page=2"})
    assert response["Location"] == f"{base}/grille/?tri=objet&page=2"
    # Only the grid's own parameters come back: never an address elsewhere.
    response = client.post(f"{base}/lignes/supprimer/", {"ligne": "60", "retour": "//ailleurs.example/?x=1"})
    assert response["Location"] == f"{base}/grille/"
    assert grid_world.dataset.draft_rows.count() == 118


def test_the_judge_reads_rows_written_by_others_whatever_their_cells(world: World) -> None:
    # A number stored as a JSON number, a missing key, a row that is not an object: judged, never a 500.
    DraftRow.objects.create(dataset=world.dataset, position=1, cells={**_row(world), "montant": 1500})
    DraftRow.objects.create(
        dataset=world.dataset, position=2, cells={k: v for k, v in _row(world).items() if k != "objet"}
    )
    DraftRow.objects.create(dataset=world.dataset, position=3, cells=["pas", "un", "objet"])
    assert draft.revalidate(world.dataset) == draft.Completion(3, 2)
    errors = dict(world.dataset.draft_rows.values_list("position", "errors"))
    assert errors[1] == 0 and errors[2] == 1 and errors[3] > 0
    client = client_of(world.people["admin-chavagne"])
    body = client.get(f"{_base(world)}/grille/").content.decode()
    assert _lines(body) == [1, 2, 3] and ">1500<" in body
    assert client.get(f"{_base(world)}/saisie/?ligne=3").status_code == 200
    status, answer = _cell(client, world, {"ligne": "3", "champ": "objet", "valeur": "Réparé"})
    assert answer["valeur"] == "Réparé"
    assert status == 200 and world.dataset.draft_rows.get(position=3).cells["objet"] == "Réparé"
    DraftRow.objects.filter(position=3).delete()
    assert draft.revalidate(world.dataset) == draft.Completion(2, 1)


def test_the_dataset_pages_draft_section_shows_the_completion_line_it_is_given(world: World) -> None:
    # The dataset page's view (views.py) passes ``completion`` = draft.completion(dataset) to show it;
    # without it the section falls back on the number of rows.
    from django.template.loader import render_to_string

    context = {"authority": world.chavagne, "dataset": world.dataset, "rows": 12, "can_edit": True}
    given = render_to_string("socle/_jeu_saisie.html", {**context, "completion": draft.Completion(12, 2)})
    assert "12 lignes, 2 à corriger" in given and f"{_base(world)}/saisie/" in given
    fallback = render_to_string("socle/_jeu_saisie.html", {**context, "can_edit": False})
    assert "12 lignes dans le brouillon" in fallback and "/saisie/" not in fallback
