"""Versions of a dataset: freezing the draft, the version's file and report, comparing two versions,
restoring one into the draft, the audit trail; and who may do what."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern

from socle.web.datasets import versions as service
from socle.web.datasets.models import Action, AuditEvent, Dataset, DraftRow, Version
from socle.web.datasets.versions_urls import urlpatterns
from tests.web.conftest import World, client_of

SIRET = "21750001600019"
BENEFICIAIRE = "54210765100011"
NAMES = [
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
]


@pytest.fixture
def world(world: World) -> World:
    """The web tests' world without the version 1 it gives each dataset: these tests make their own."""
    Version.objects.all().delete()
    return world


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root  # type: ignore[attr-defined]
    return root


def good(**cells: str) -> dict[str, str]:
    """A valid row of subventions 2.1.1, with ``cells`` changed."""
    row = {
        "nomAttribuant": "Commune de Chavagne",
        "idAttribuant": SIRET,
        "dateConvention": "2024-03-12",
        "nomBeneficiaire": "Comité des fêtes",
        "idBeneficiaire": BENEFICIAIRE,
        "objet": "Fête de la musique",
        "montant": "1500",
        "nature": "aide en numéraire",
        "conditionsVersement": "unique",
        "datesPeriodeVersement": "2024-06-21",
        "notificationUE": "non",
        "pourcentageSubvention": "1",
    }
    row.update(cells)
    return row


def draft(dataset: Dataset, rows: list[dict[str, str]], *, first: int = 0) -> None:
    dataset.draft_rows.all().delete()
    for i, cells in enumerate(rows, start=first):
        DraftRow.objects.create(dataset=dataset, position=i, cells=cells)


def base(world: World) -> str:
    return f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/versions/"


def freeze(world: World, who: str = "contrib-chavagne") -> Version:
    response = client_of(world.people[who]).post(base(world) + "valider/")
    assert response.status_code == 302, response.content.decode()[:500]
    return world.dataset.versions.order_by("-number").first()  # type: ignore[return-value]


def line(*cells: str) -> str:
    return ",".join(cells) + "\r\n"


def test_freezing_writes_the_draft_as_csv_in_the_schemas_field_order(world: World, media: Path) -> None:
    # Positions out of creation order, cells needing quotes, a field the schema does not know, a
    # value that is wrong (the montant) and spaces that must stay as typed.
    tricky = good(objet="Fête \"d'été\", place de l'église\nsoirée", montant="12,5", dispositifAide=" appel ")
    tricky["champInconnu"] = "x"
    DraftRow.objects.create(dataset=world.dataset, position=5, cells=good(nomBeneficiaire="Zèbre"))
    DraftRow.objects.create(dataset=world.dataset, position=1, cells=tricky)
    DraftRow.objects.create(dataset=world.dataset, position=3, cells={"nomAttribuant": "Chavagne"})

    response = client_of(world.people["contrib-chavagne"]).post(base(world) + "valider/")

    version = Version.objects.get(dataset=world.dataset)
    assert response.status_code == 302 and response["Location"] == base(world) + "1/"
    assert version.number == 1 and version.rows == 3
    expected = (
        line(*NAMES)
        + line(
            "Commune de Chavagne",
            SIRET,
            "2024-03-12",
            "",
            "Comité des fêtes",
            BENEFICIAIRE,
            "",
            '"Fête ""d\'été"", place de l\'église\nsoirée"',
            '"12,5"',
            "aide en numéraire",
            "unique",
            "2024-06-21",
            "",
            "non",
            "1",
            " appel ",
        )
        + line("Chavagne", *[""] * 15)
        + line(
            "Commune de Chavagne",
            SIRET,
            "2024-03-12",
            "",
            "Zèbre",
            BENEFICIAIRE,
            "",
            "Fête de la musique",
            "1500",
            "aide en numéraire",
            "unique",
            "2024-06-21",
            "",
            "non",
            "1",
            "",
        )
    ).encode("utf-8")
    stored = version.file.read()
    version.file.close()
    assert stored == expected
    assert not stored.startswith(b"\xef\xbb\xbf")
    assert version.file.name == f"versions/{world.chavagne.slug}/subventions/v1.csv"
    assert (media / version.file.name).is_file()
    assert version.sha256 == hashlib.sha256(expected).hexdigest()
    # The report is the core's JSON: the bad montant (file row 2) and the row with only a name
    # (file row 3, its required fields empty) are there; the clean row 4 is not.
    report = version.report
    assert report["format_version"] == 1 and report["stats"]["rows"] == 3
    assert report["source"]["path"] == f"{world.chavagne.slug}-subventions-v1.csv"  # not a temporary file
    assert version.errors == report["stats"]["errors"] == len(report["errors"]) > 1
    assert {e["row"] for e in report["errors"]} == {2, 3}
    assert any(e["row"] == 2 and e["field"] == "montant" and e["value"] == "12,5" for e in report["errors"])
    event = AuditEvent.objects.get(action=Action.FROZEN)
    assert event.dataset == world.dataset and event.user == world.people["contrib-chavagne"]
    assert event.detail["version"] == 1 and event.detail["errors"] == version.errors


def test_the_confirmation_says_how_many_rows_and_errors_the_draft_has(world: World) -> None:
    draft(world.dataset, [good(), good(montant="beaucoup"), good()])
    client = client_of(world.people["contrib-chavagne"])
    body = client.get(base(world) + "valider/").content.decode()
    assert "3 lignes" in body and "1 erreur" in body and "validée avec 1 erreur" in body
    assert 'name="csrfmiddlewaretoken"' in body and "Valider la version 1" in body
    assert not Version.objects.exists()
    draft(world.dataset, [good()])
    body = client.get(base(world) + "valider/").content.decode()
    assert "1 ligne" in body and "0 erreur" in body and "validée avec" not in body
    assert "identique à la version" not in body
    assert "ne seront pas dans la version" not in body
    freeze(world)
    body = client.get(base(world) + "valider/").content.decode()
    assert "Le brouillon est identique à la version 1" in body and "Valider la version 2" in body
    draft(world.dataset, [good() | {"commentaire": "à revoir", "vide": ""}])
    body = client.get(base(world) + "valider/").content.decode()
    assert "le schéma n'a pas de champ « commentaire »." in body


def test_the_freeze_is_protected_by_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["contrib-chavagne"])
    assert client.post(base(world) + "valider/").status_code == 403
    assert not Version.objects.exists()


def test_a_version_never_changes(world: World, media: Path) -> None:
    draft(world.dataset, [good()])
    version = freeze(world)
    version.errors = 12
    with pytest.raises(ValueError, match="ne se modifie pas"):
        version.save()
    assert Version.objects.get(pk=version.pk).errors == 0
    path = media / version.file.name
    assert os.stat(path).st_mode & 0o222 == 0  # read-only on disk


def test_a_second_freeze_after_a_change_is_version_2(world: World) -> None:
    draft(world.dataset, [good(), good()])
    first = freeze(world)
    first_bytes = Path(first.file.path).read_bytes()
    DraftRow.objects.filter(dataset=world.dataset, position=1).update(cells=good(montant="2000"))
    second = freeze(world)
    assert (first.number, second.number) == (1, 2)
    assert second.file.name.endswith("/v2.csv") and second.sha256 != first.sha256
    assert b"2000" in Path(second.file.path).read_bytes()
    assert Path(first.file.path).read_bytes() == first_bytes
    assert list(world.dataset.versions.values_list("number", flat=True)) == [2, 1]


def test_the_lists_and_the_version_page_show_the_versions(world: World) -> None:
    draft(world.dataset, [good(), good(idAttribuant="123")])
    freeze(world)
    client = client_of(world.people["lecteur-chavagne"])
    page = client.get(f"/c/{world.chavagne.slug}/jeux/{world.dataset.slug}/").content.decode()
    assert "Version 1" in page and base(world) + "1/" in page and "Valider une version" not in page
    listing = client.get(base(world)).content.decode()
    assert "Version 1" in listing and "contrib-chavagne@exemple.fr" in listing
    body = client.get(base(world) + "1/").content.decode()
    assert "Erreurs à corriger" in body and '<span class="valeur">123</span>' in body
    assert base(world) + "1/fichier.csv" in body and "restaurer" not in body
    contributor = client_of(world.people["contrib-chavagne"])
    assert (
        "Valider une version"
        in contributor.get(f"/c/{world.chavagne.slug}/jeux/subventions/").content.decode()
    )
    assert base(world) + "1/restaurer/" in contributor.get(base(world) + "1/").content.decode()


def test_the_version_page_lists_the_first_errors_in_french(world: World) -> None:
    draft(world.dataset, [good(montant="douze")])
    version = freeze(world)
    body = client_of(world.people["lecteur-chavagne"]).get(base(world) + "1/").content.decode()
    message = next(e["message"] for e in version.report["errors"] if e["field"] == "montant")
    from django.utils.html import escape

    assert escape(message) in body and "douze" in body


def test_the_file_is_downloaded_as_an_attachment_within_the_tenancy(world: World) -> None:
    draft(world.dataset, [good()])
    version = freeze(world)
    url = base(world) + "1/fichier.csv"
    response = client_of(world.people["lecteur-atd"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{world.chavagne.slug}-subventions-v1.csv"'
    )
    assert b"".join(response.streaming_content) == Path(version.file.path).read_bytes()  # type: ignore[attr-defined]
    for who in ("admin-brest", "lecteur-brest", "sans-role"):
        refused = client_of(world.people[who]).get(url)
        assert refused.status_code == 404 and b"Chavagne" not in refused.content
    # Brest's own address with Chavagne's dataset slug finds nothing either.
    world.other_dataset.delete()
    assert (
        client_of(world.people["admin-brest"])
        .get(f"/c/{world.brest.slug}/jeux/subventions/versions/1/fichier.csv")
        .status_code
        == 404
    )
    assert client_of(world.people["lecteur-chavagne"]).get(base(world) + "2/fichier.csv").status_code == 404


def test_unknown_and_absurd_version_numbers_are_404(world: World) -> None:
    draft(world.dataset, [good()])
    freeze(world)
    client = client_of(world.people["admin-chavagne"])
    for suffix in ("7/", "0/", "99999999999999999999999/", "7/fichier.csv", "7/restaurer/"):
        assert client.get(base(world) + suffix).status_code == 404, suffix


@pytest.mark.parametrize("who", ["lecteur-chavagne", "lecteur-atd", "operateur"])
def test_a_reader_can_neither_freeze_nor_restore(world: World, who: str) -> None:
    draft(world.dataset, [good()])
    freeze(world)
    draft(world.dataset, [good(), good()])
    client = client_of(world.people[who])
    for url in (base(world) + "valider/", base(world) + "1/restaurer/"):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Version.objects.count() == 1 and world.dataset.draft_rows.count() == 2
    assert not AuditEvent.objects.filter(action=Action.RESTORED).exists()


def _two_versions(world: World) -> tuple[Version, Version]:
    draft(world.dataset, [good(objet="a"), good(objet="b"), good(objet="c", montant="10")])
    first = freeze(world)
    draft(
        world.dataset, [good(objet="a"), good(objet="B", montant="20"), good(objet="c", montant="10"), good()]
    )
    return first, freeze(world)


def test_the_diff_finds_added_removed_and_changed_rows_by_position(world: World) -> None:
    first, second = _two_versions(world)
    forward = service.diff_versions(first, second)
    assert (forward.added, forward.removed, forward.changed, forward.unchanged) == (1, 0, 1, 2)
    changed = next(c for c in forward.changes if c.kind == "changed")
    assert changed.position == 2
    assert [(c.name, c.old, c.new) for c in changed.cells] == [("objet", "b", "B"), ("montant", "1500", "20")]
    added = next(c for c in forward.changes if c.kind == "added")
    assert added.position == 4 and ("objet", "", "Fête de la musique") in [
        (c.name, c.old, c.new) for c in added.cells
    ]
    backward = service.diff_versions(second, first)
    assert (backward.added, backward.removed, backward.changed) == (0, 1, 1)
    assert next(c for c in backward.changes if c.kind == "removed").position == 4


def test_the_comparison_page_shows_each_changed_cell(world: World) -> None:
    _two_versions(world)
    response = client_of(world.people["lecteur-chavagne"]).get(base(world) + "comparer/?de=1&a=2")
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "1 ligne ajoutée" in body
        and "0 supprimée" in body
        and "1 modifiée" in body
        and "2 identiques" in body
    )
    assert '<del><span class="sr">avant : </span>b</del>' in body
    assert '<ins><span class="sr">après : </span>B</ins>' in body
    assert "<ins>Fête de la musique</ins>" in body


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?de=1", 400, "Choisissez la version d&#x27;arrivée"),
        ("?a=2", 400, "Choisissez la version de départ"),
        ("?de=1&a=1", 400, "deux versions différentes"),
        ("?de=1&a=9", 404, "La version 9 n&#x27;existe pas"),
        ("?de=un&a=2", 400, "« un » n&#x27;est pas un numéro de version"),
        ("?de=-1&a=2", 400, "n&#x27;est pas un numéro de version"),
        ("?de=99999999999999999999&a=2", 400, "n&#x27;est pas un numéro de version"),
        ("?de=%C2%B2&a=2", 400, "n&#x27;est pas un numéro de version"),  # "²": a digit to isdigit
        ("", 200, "Comparer deux versions"),
    ],
)
def test_bad_comparisons_say_why_in_french(world: World, query: str, status: int, message: str) -> None:
    _two_versions(world)
    response = client_of(world.people["lecteur-chavagne"]).get(base(world) + "comparer/" + query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_comparing_needs_two_versions(world: World) -> None:
    body = client_of(world.people["lecteur-chavagne"]).get(base(world) + "comparer/").content.decode()
    assert "Il faut au moins deux versions" in body


def test_the_diff_of_large_versions_is_counted_in_one_pass(world: World) -> None:
    rows = [good(objet=f"objet {i}", montant=str(i)) for i in range(12_000)]
    DraftRow.objects.bulk_create(
        DraftRow(dataset=world.dataset, position=i, cells=c) for i, c in enumerate(rows)
    )
    first = service.freeze(world.dataset, world.people["contrib-chavagne"])
    DraftRow.objects.filter(dataset=world.dataset, position__in=[10, 5000]).update(cells=good(objet="changé"))
    DraftRow.objects.filter(dataset=world.dataset, position__gte=11_990).delete()
    second = service.freeze(world.dataset, world.people["contrib-chavagne"])
    diff = service.diff_versions(first, second, keep=5)
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == (0, 10, 2, 11_988)
    assert len(diff.changes) == 5 and diff.truncated
    assert [c.position for c in diff.changes[:2]] == [11, 5001]


def test_restoring_brings_the_draft_back_to_a_version(world: World) -> None:
    rows = [good(objet="a"), good(objet="b", montant="douze"), good(objet='c "cité", ici')]
    draft(world.dataset, rows)
    first = freeze(world)
    draft(world.dataset, [good(objet="autre chose")])
    second = freeze(world)
    client = client_of(world.people["animateur"])
    confirm = client.get(base(world) + "1/restaurer/").content.decode()
    assert "Le brouillon actuel (1 ligne) sera remplacé" in confirm and "3 lignes de la version 1" in confirm
    assert "identique à la version 2" in confirm and "seront perdues" not in confirm
    DraftRow.objects.filter(dataset=world.dataset).update(cells=good(objet="pas encore validé"))
    confirm = client.get(base(world) + "1/restaurer/").content.decode()
    assert "n'est enregistré dans aucune version : ses modifications seront perdues" in confirm.replace(
        "&#x27;", "'"
    )
    assert world.dataset.draft_rows.count() == 1  # a GET changes nothing

    response = client.post(base(world) + "1/restaurer/")

    assert (
        response.status_code == 302 and response["Location"] == f"/c/{world.chavagne.slug}/jeux/subventions/"
    )
    restored = list(world.dataset.draft_rows.order_by("position"))
    assert [r.cells for r in restored] == [dict.fromkeys(NAMES, "") | row for row in rows]
    assert [r.position for r in restored] == [1, 2, 3]
    assert [r.errors > 0 for r in restored] == [False, True, False]
    # The counts are the ones the draft's own judge gives (the entry's grid filters on them).
    from socle.web.datasets.draft import revalidate

    before = [(r.position, r.errors) for r in restored]
    revalidate(world.dataset)
    assert [(r.position, r.errors) for r in world.dataset.draft_rows.order_by("position")] == before
    event = AuditEvent.objects.get(action=Action.RESTORED)
    assert event.user == world.people["animateur"] and event.detail["version"] == 1
    # The versions themselves did not change; freezing the restored draft gives v1's very bytes.
    assert list(Version.objects.values_list("number", "sha256")) == [(2, second.sha256), (1, first.sha256)]
    third = freeze(world)
    assert third.number == 3 and third.sha256 == first.sha256


def test_freezes_are_numbered_again_when_a_number_was_taken_meanwhile(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if another freeze had committed number 1 between the reading of the last number and the
    # insertion: the unique constraint refuses, the freeze takes the next number, nothing is lost.
    draft(world.dataset, [good()])
    freeze(world)
    stale = iter([1])
    real = service._next_number
    monkeypatch.setattr(service, "_next_number", lambda dataset: next(stale, None) or real(dataset))
    version = service.freeze(world.dataset, world.people["contrib-chavagne"])
    assert version.number == 2 and Version.objects.count() == 2
    assert Path(version.file.path).is_file()
    assert AuditEvent.objects.filter(action=Action.FROZEN).count() == 2


def _slow_numbering(monkeypatch: pytest.MonkeyPatch | None = None) -> None:
    """Widen the window between reading the last number and inserting the version: without the lock
    both freezes would read the same last number."""
    real = service._next_number

    def slow(dataset: Dataset) -> int:
        number = real(dataset)
        time.sleep(0.3)
        return number

    if monkeypatch is None:
        service._next_number = slow  # type: ignore[assignment]
    else:
        monkeypatch.setattr(service, "_next_number", slow)


def _freeze_twice_at_once(dataset: Dataset) -> tuple[list[int], list[BaseException]]:
    start = threading.Barrier(2)
    numbers: list[int] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            numbers.append(service.freeze(Dataset.objects.get(pk=dataset.pk), None).number)
        except BaseException as error:  # reported by the caller
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(numbers), failures


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_freezes_get_numbers_1_and_2(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The SQLite test database is in memory, where concurrent writers fail at once instead of
        # waiting: the platform's own SQLite settings are checked on a file, in a process of its own.
        _freezes_on_a_sqlite_file(tmp_path)
        return
    # PostgreSQL: two threads, two real connections.
    draft(world.dataset, [good(), good(montant="x")])
    _slow_numbering(monkeypatch)
    numbers, failures = _freeze_twice_at_once(world.dataset)
    assert not failures, failures
    assert numbers == [1, 2]
    assert sorted(Version.objects.values_list("number", flat=True)) == [1, 2]
    assert len({v.file.name for v in Version.objects.all()}) == 2


CONCURRENT_FREEZES = """
import json
import django

django.setup()
from django.core.management import call_command

call_command("migrate", verbosity=0)
from socle.web.datasets.models import Dataset, DraftRow, Version
from socle.web.territories.models import Authority, Kind
from tests.web import test_versions as t

authority = Authority.from_cog(Kind.COMMUNE, "35076")
authority.save()
dataset = Dataset.objects.create(
    authority=authority, slug="subventions", schema_name="scdl/subventions", schema_version="2.1.1",
    title="Subventions",
)
DraftRow.objects.create(dataset=dataset, position=1, cells=t.good())
t._slow_numbering()
numbers, failures = t._freeze_twice_at_once(dataset)
print(json.dumps({
    "numbers": numbers,
    "failures": [repr(f) for f in failures],
    "stored": sorted(Version.objects.values_list("number", flat=True)),
    "files": len({v.file.name for v in Version.objects.all()}),
}))
"""


def _freezes_on_a_sqlite_file(tmp_path: Path) -> None:
    """The platform's own SQLite settings (a file in WAL mode, immediate transactions, busy timeout),
    in a process of its own: two threads freeze the same draft at the same moment."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SOCLE_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="socle.web.settings")
    done = subprocess.run(
        [sys.executable, "-c", CONCURRENT_FREEZES],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["failures"] == []
    assert result["numbers"] == result["stored"] == [1, 2] and result["files"] == 2
    assert (tmp_path / "socle.sqlite3").is_file()


# The routes with a version number, requested by everyone with a version frozen by the platform
# (test_tenancy.py requests them too, with the version its fixture makes).
NUMBERED = [
    str(p.pattern) for p in urlpatterns if isinstance(p, URLPattern) and "<int:number>" in str(p.pattern)
]


def test_the_numbered_routes_are_all_here() -> None:
    assert len(NUMBERED) == 3


@pytest.mark.parametrize("route", NUMBERED)
def test_people_of_another_authority_get_nothing_of_a_version(world: World, route: str) -> None:
    draft(world.dataset, [good()])
    freeze(world)
    url = f"/c/{world.chavagne.slug}/jeux/subventions/" + route.replace("<int:number>", "1")
    for who in ("admin-brest", "contrib-brest", "lecteur-brest", "sans-role"):
        client = client_of(world.people[who])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404), (who, method, url)
            assert b"Chavagne" not in response.content and b"Subventions de" not in response.content
    assert Client().get(url)["Location"].startswith("/connexion/")
    for who in ("admin-chavagne", "lecteur-chavagne", "animateur", "lecteur-atd", "operateur"):
        response = client_of(world.people[who]).get(url)
        assert response.status_code in (200, 403), (who, url)
    assert Version.objects.count() == 1 and world.dataset.draft_rows.count() == 1


def test_versions_of_different_layouts_compare_by_field_name(world: World) -> None:
    # A version of one column (as the web tests' fixture makes), then a freeze of the schema's sixteen.
    content = b"nomAttribuant\nChavagne\n"
    first = Version.objects.create(
        dataset=world.dataset,
        number=1,
        file=ContentFile(content, name="v1.csv"),
        rows=1,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    draft(world.dataset, [good(nomAttribuant="Chavagne"), good()])
    second = freeze(world)
    assert second.number == 2
    diff = service.diff_versions(first, second)
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == (1, 0, 1, 0)
    changed = diff.changes[0]
    assert "nomAttribuant" not in {c.name for c in changed.cells}  # "Chavagne" in both
    assert ("montant", "", "1500") in [(c.name, c.old, c.new) for c in changed.cells]
    response = client_of(world.people["lecteur-chavagne"]).get(base(world) + "comparer/?de=1&a=2")
    assert response.status_code == 200 and "1 ligne ajoutée" in response.content.decode()


def test_a_missing_file_is_a_french_page_not_a_500(world: World) -> None:
    draft(world.dataset, [good()])
    freeze(world)
    draft(world.dataset, [good(), good()])
    version = freeze(world)
    Path(version.file.path).unlink()
    client = client_of(world.people["contrib-chavagne"])
    for response in (
        client.get(base(world) + "2/fichier.csv"),
        client.get(base(world) + "comparer/?de=1&a=2"),
        client.post(base(world) + "2/restaurer/"),
    ):
        assert response.status_code == 404
        assert "Le fichier de la version 2 est introuvable sur le serveur" in response.content.decode()
    assert (
        world.dataset.draft_rows.count() == 2
        and not AuditEvent.objects.filter(action=Action.RESTORED).exists()
    )


def test_long_cells_are_read_back(world: World) -> None:
    long = "é" * 300_000  # more than the csv module reads by default
    draft(world.dataset, [good(dispositifAide=long)])
    first = freeze(world)
    draft(world.dataset, [good()])
    second = freeze(world)
    diff = service.diff_versions(first, second)
    assert [(c.name, c.old, c.new) for c in diff.changes[0].cells] == [("dispositifAide", long, "")]
    service.restore(world.dataset, first, None)
    assert world.dataset.draft_rows.get().cells["dispositifAide"] == long


def test_a_schema_that_cannot_be_loaded_is_said_in_french(world: World) -> None:
    Dataset.objects.filter(pk=world.dataset.pk).update(schema_version="9.9.9")
    draft(world.dataset, [good()])
    client = client_of(world.people["contrib-chavagne"])
    for method in ("get", "post"):
        response = getattr(client, method)(base(world) + "valider/")
        assert response.status_code == 400 and "9.9.9" in response.content.decode()
    assert not Version.objects.exists()


def test_the_freeze_is_announced_on_the_version_page(world: World) -> None:
    draft(world.dataset, [good(), good(montant="x")])
    response = client_of(world.people["contrib-chavagne"]).post(base(world) + "valider/", follow=True)
    assert "Version 1 validée : 2 lignes, 1 erreur." in response.content.decode()


def test_a_long_dataset_slug_still_fits_the_file_field(world: World) -> None:
    dataset = Dataset.objects.create(
        authority=world.chavagne,
        slug="s" * 80,
        schema_name="scdl/subventions",
        schema_version="2.1.1",
        title="Un titre très long",
    )
    draft(dataset, [good()])
    for number in (1, 2):
        version = service.freeze(dataset, None)
        assert version.number == number
        assert len(version.file.name) <= Version._meta.get_field("file").max_length  # type: ignore[operator]
        assert version.file.name.startswith(
            f"versions/{world.chavagne.slug}/sss"
        ) and version.file.name.endswith(f"/v{number}.csv")
        assert Path(version.file.path).read_bytes().startswith(b"nomAttribuant,")
