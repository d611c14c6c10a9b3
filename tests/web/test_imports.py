"""Importing a spreadsheet into a draft: upload, background analysis, mapping and fixes checked by a
person, background import, progress, audit trail; too large a file is a French 413."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from socle.web.datasets import draft, imports
from socle.web.datasets.imports import analysed_rows
from socle.web.datasets.models import AuditEvent, DraftRow, ImportRun, ImportStatus
from socle.web.demo import demo_siret
from tests.web.conftest import World, client_of

# The jobs run in the database worker (``db_worker``), which closes the connections it finds, as a
# worker process does: the tests need real transactions, not one wrapping each test.
pytestmark = pytest.mark.django_db(transaction=True)

HEADER = (
    "Nom de l'attribuant;idAttribuant;dateConvention;nomBeneficiaire;idBeneficiaire;objet;montant;nature;"
    "conditionsVersement;datesPeriodeVersement;notificationUE;pourcentageSubvention;Remarque interne"
)


def _file(world: World) -> bytes:
    siret = world.chavagne.siret
    other = demo_siret("213502388")  # Rennes's SIREN
    rows = [
        f"Chavagne;{siret};08/09/2026;Club de foot;{other};Saison 2026;26 956,00;Aide en numéraire;unique;"
        "2026-10-01;non;100;à revoir",
        f"Chavagne;{siret};2026-09-10;Chorale;{other};Concert;1 500;aide en numéraire;unique;"
        "2026-11-01;Non;50;",
        f"Chavagne;{siret};31/02/2026;Bibliothèque;{other};Livres;300;aide en nature;unique;"
        "2026-12-01;non;20;date impossible",
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def run_jobs() -> None:
    """Run the jobs waiting in the database queue, as the platform's worker does."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _upload(
    world: World, content: bytes, name: str = "subventions.csv", **extra: str
) -> tuple[object, ImportRun]:
    client = client_of(world.people["contrib-chavagne"])
    url = f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/"
    response = client.post(url, {"fichier": SimpleUploadedFile(name, content), **extra})
    run = world.dataset.imports.order_by("-pk").first()
    assert run is not None
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{run.pk}/")
    return client, run


def test_a_file_is_analysed_checked_then_imported(world: World) -> None:
    DraftRow.objects.create(dataset=world.dataset, position=0, cells={"objet": "ancienne ligne"})
    client, run = _upload(world, _file(world))
    page = client.get(f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/")
    assert "<progress" in page.content.decode()  # waiting for the worker: a progress bar
    run_jobs()
    run.refresh_from_db()
    assert run.status == ImportStatus.READY and run.progress == 100
    page = client.get(f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/").content.decode()
    # The mapping screen: every column of the file, its field, how sure Socle is.
    assert "« Nom de l&#x27;attribuant »" in page and "/100" in page
    assert 'name="colonne-12"' in page  # « Remarque interne »: no field
    # The fixes, with examples: the French amount and date.
    assert "« 26 956,00 » → « 26956.00 »" in page
    assert "« 08/09/2026 » → « 2026-09-08 »" in page
    rules = {rule["rule"]: rule for rule in run.analysis["rules"]}
    assert rules["nombre-francais"]["fixes"] == 2  # 26 956,00 and 1 500
    # The person keeps the columns, refuses the French-number fix.
    choices = {f"colonne-{c}": field for c, field in enumerate(run.mapping["fields"][:0])}
    for proposal in run.mapping["columns"]:
        choices[f"colonne-{proposal['column']}"] = proposal["field"]
    accepted = [code for code in rules if code != "nombre-francais"]
    response = client.post(
        f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/", {**choices, "regle": accepted}
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.IMPORTING and run.refused_rules == ["nombre-francais"]
    run_jobs()
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.error
    rows = list(world.dataset.draft_rows.order_by("position"))
    assert len(rows) == 3  # the draft is replaced
    assert rows[0].cells["nomAttribuant"] == "Chavagne"
    assert rows[0].cells["dateConvention"] == "2026-09-08"  # fixed
    assert rows[0].cells["montant"] == "26 956,00"  # refused: kept as typed, and an error
    assert rows[0].errors >= 1
    assert rows[2].cells["dateConvention"] == "31/02/2026"  # not a date: never guessed
    assert "Remarque interne" not in rows[0].cells
    assert list(_counts_are_the_draft_s_own(world).values()) == [row.errors for row in rows]
    assert not analysed_rows(run).exists()  # the analysis' rows are gone with the import
    event = AuditEvent.objects.get(dataset=world.dataset, action="imported")
    assert event.user == world.people["contrib-chavagne"] and "subventions.csv" in event.summary
    done = client.get(f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/").content.decode()
    assert "Import terminé : 3 lignes" in done


def _counts_are_the_draft_s_own(world: World) -> dict[int, int]:
    """The stored error counts, checked against a judgement of the whole draft as it now is."""
    stored = dict(world.dataset.draft_rows.values_list("position", "errors"))
    draft.revalidate(world.dataset)
    assert dict(world.dataset.draft_rows.values_list("position", "errors")) == stored
    return stored


def test_rows_can_follow_the_draft_instead(world: World) -> None:
    draft.add_row(world.dataset, None, {"objet": "ancienne ligne"})
    client, run = _upload(world, _file(world), mode="ajouter")
    run_jobs()
    run.refresh_from_db()
    client.post(
        f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/",
        {
            **{f"colonne-{p['column']}": p["field"] for p in run.mapping["columns"]},
            "regle": ["nombre-francais"],
        },
    )
    run_jobs()
    positions = list(world.dataset.draft_rows.order_by("position").values_list("position", "cells__objet"))
    assert positions == [(1, "ancienne ligne"), (2, "Saison 2026"), (3, "Concert"), (4, "Livres")]
    # Each row's errors are counted over the whole draft: the old row lacks every required field; only
    # the French-number fix was kept, so the first imported row keeps its French date, its « non » and
    # the case of its nature.
    errors = _counts_are_the_draft_s_own(world)
    assert errors[1] == 11 and errors[2] == 3


def test_state_of_the_job_as_json(world: World) -> None:
    client, run = _upload(world, _file(world))
    state = client.get(f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/etat.json").json()
    assert state == {
        "status": "uploaded",
        "label": "déposé",
        "stage": "En attente de l'analyse",
        "progress": 0,
    }


def test_a_field_chosen_twice_is_refused_in_french(world: World) -> None:
    client, run = _upload(world, _file(world))
    run_jobs()
    run.refresh_from_db()
    response = client.post(
        f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/",
        {"colonne-0": "objet", "colonne-5": "objet"},
    )
    assert response.status_code == 400
    assert "est choisi pour deux colonnes (1 et 6)" in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportStatus.READY


def test_an_unreadable_file_fails_with_a_french_message(world: World) -> None:
    client, run = _upload(world, b"\x00\x01\x02" * 1000 + b"\xff\xfe\xfa", name="casse.csv")
    run_jobs()
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and "octet nul" in run.error  # the core's French message
    page = client.get(f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/").content.decode()
    assert "L'import a échoué" in page


def test_a_file_of_another_kind_is_refused_at_once(world: World) -> None:
    client = client_of(world.people["contrib-chavagne"])
    response = client.post(
        f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/",
        {"fichier": SimpleUploadedFile("rapport.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 400
    assert "n&#x27;est pas un fichier que Socle sait lire" in response.content.decode()
    assert not world.dataset.imports.exclude(pk=world.run.pk if world.run else None).exists()


@override_settings(SOCLE_MAX_UPLOAD_BYTES=10_000)
def test_too_large_a_file_is_a_french_413_before_it_is_read(world: World) -> None:
    client = client_of(world.people["contrib-chavagne"])
    response = client.post(
        f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/",
        {"fichier": SimpleUploadedFile("gros.csv", b"a;b\n" + b"1;2\n" * 50_000)},
    )
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.content.decode()
    assert world.dataset.imports.count() == 1  # the fixture's only


def test_a_reader_sees_the_page_but_cannot_import(world: World) -> None:
    client = client_of(world.people["lecteur-chavagne"])
    url = f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"fichier": SimpleUploadedFile("s.csv", b"a\n1\n")})
    assert response.status_code == 403


def _choose(world: World, run: ImportRun, refused: tuple[str, ...] = ()) -> None:
    client = client_of(world.people["contrib-chavagne"])
    choices = {f"colonne-{p['column']}": p["field"] for p in run.mapping["columns"]}
    accepted = [rule["rule"] for rule in run.analysis["rules"] if rule["rule"] not in refused]
    response = client.post(
        f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/import/{run.pk}/", {**choices, "regle": accepted}
    )
    assert response.status_code == 302


def test_the_analysis_rows_are_imported_when_nothing_was_changed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, run = _upload(world, _file(world))
    run_jobs()
    run.refresh_from_db()
    assert analysed_rows(run).exists()
    _choose(world, run)
    with monkeypatch.context() as patched:
        patched.setattr(imports, "import_file", lambda *a, **k: pytest.fail("le fichier est relu"))
        run_jobs()
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.error
    rows = list(world.dataset.draft_rows.order_by("position"))
    assert [row.cells["montant"] for row in rows] == ["26956.00", "1500", "300"]  # every fix accepted
    assert run.result["fixes"] == sum(rule["fixes"] for rule in run.analysis["rules"])
    assert list(_counts_are_the_draft_s_own(world).values()) == [row.errors for row in rows]


def test_a_refused_rule_reads_the_file_again(world: World) -> None:
    _, run = _upload(world, _file(world))
    run_jobs()
    run.refresh_from_db()
    _choose(world, run, refused=("nombre-francais",))
    run_jobs()
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE, run.error
    rows = world.dataset.draft_rows.order_by("position")
    assert [row.cells["montant"] for row in rows] == ["26 956,00", "1 500", "300"]  # text, as in the file


def test_an_import_that_breaks_half_way_leaves_the_draft_as_it_was(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft.add_row(world.dataset, None, {"objet": "ancienne ligne"})
    _, run = _upload(world, _file(world))
    run_jobs()
    run.refresh_from_db()
    _choose(world, run)
    real = draft.insert_rows

    def broken(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # the rows are written, then the job breaks
        raise RuntimeError("panne")

    monkeypatch.setattr(draft, "insert_rows", broken)
    run_jobs()
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and "erreur inattendue" in run.error
    assert list(world.dataset.draft_rows.values_list("cells__objet", flat=True)) == ["ancienne ligne"]
    assert not AuditEvent.objects.filter(dataset=world.dataset, action="imported").exists()
    assert not analysed_rows(run).exists()
