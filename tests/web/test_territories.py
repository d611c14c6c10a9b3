"""Authorities created from the COG by the programme's operators; an ATD's accompaniments, which give
its members their reach (tenancy), with their history."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from socle.web.accounts.models import Invitation, Membership, Role, User
from socle.web.datasets.models import Action, AuditEvent
from socle.web.demo import demo_siret
from socle.web.territories.models import Accompaniment, Authority, Kind
from tests.web.conftest import PASSWORD, World, client_of, person

NEW = "/collectivites/nouvelle/"
BRUZ_SIREN = "213500473"  # Bruz, commune 35047 (COG)


def _wrong_key(siret: str) -> str:
    return siret[:-1] + str((int(siret[-1]) + 1) % 10)


def _create(client: Client, **data: str) -> object:
    return client.post(NEW, {"kind": "commune", "code": "35047", **data})


# Creating an authority ---------------------------------------------------------------------------


def test_the_operator_finds_territories_of_the_cog(world: World) -> None:
    client = client_of(world.people["operateur"])
    body = client.get(NEW, {"q": "bruz"}).content.decode()
    assert "Bruz" in body and "type=commune&amp;code=35047" in body
    by_code = client.get(NEW, {"q": "35"}).content.decode()  # a département's code
    assert "Ille-et-Vilaine" in by_code and "déjà créée" in by_code  # the world has it
    assert f"/c/{world.atd.slug}/" in by_code
    assert "Bretagne" in client.get(NEW, {"q": "53"}).content.decode()  # a région's code
    assert "Aucun territoire" in client.get(NEW, {"q": "zzzzqx"}).content.decode()


def test_the_operator_creates_an_authority_and_invites_its_administrator(world: World) -> None:
    client = client_of(world.people["operateur"])
    form = client.get(NEW, {"q": "bruz", "type": "commune", "code": "35047"})
    assert form.status_code == 200 and "SIRET du siège" in form.content.decode()
    siret = demo_siret(BRUZ_SIREN)
    response = _create(
        client, siret=f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}", admin_email="Maire@Bruz.fr"
    )
    assert response.status_code == 302 and response["Location"] == "/c/commune-35047/"
    bruz = Authority.objects.get(kind=Kind.COMMUNE, code="35047")
    assert (bruz.name, bruz.siren, bruz.siret, bruz.departement, bruz.is_atd) == (
        "Bruz",
        BRUZ_SIREN,
        siret,
        "35",
        False,
    )
    assert bruz.population and bruz.population > 10000
    assert AuditEvent.objects.filter(authority=bruz, action=Action.CREATED).count() == 1
    invitation = Invitation.objects.get(authority=bruz)
    assert invitation.email == "maire@bruz.fr" and invitation.role == Role.ADMINISTRATOR
    assert len(mail.outbox) == 1 and "Bruz" in mail.outbox[0].subject
    # The first administrator accepts and administers the new authority.
    link = re.search(r"http://testserver(/invitation/\S+/)", mail.outbox[0].body)
    assert link
    visitor = Client()
    visitor.post(
        link.group(1),
        {"first_name": "Anne", "last_name": "Maire", "password1": PASSWORD, "password2": PASSWORD},
    )
    maire = User.objects.get(email="maire@bruz.fr")
    assert Membership.objects.get(user=maire, authority=bruz).role == Role.ADMINISTRATOR
    assert visitor.get("/c/commune-35047/membres/").status_code == 200


def test_an_atd_may_be_created_without_an_administrator(world: World) -> None:
    client = client_of(world.people["operateur"])
    response = client.post(
        NEW, {"kind": "region", "code": "53", "siret": demo_siret("233500016"), "is_atd": "on"}
    )
    assert response.status_code == 302
    bretagne = Authority.objects.get(kind=Kind.REGION, code="53")
    assert bretagne.is_atd and bretagne.name == "Bretagne"
    assert not mail.outbox and not bretagne.invitations.exists()


def test_an_epci_is_created_by_its_siren(world: World) -> None:
    client = client_of(world.people["operateur"])
    found = client.get(NEW, {"q": "rennes metropole"}).content.decode()
    assert "type=epci&amp;code=243500139" in found
    response = client.post(NEW, {"kind": "epci", "code": "243500139", "siret": demo_siret("243500139")})
    assert response.status_code == 302 and response["Location"] == "/c/epci-243500139/"
    epci = Authority.objects.get(kind=Kind.EPCI)
    assert epci.name == "Rennes Métropole" and epci.siren == "243500139"


def test_a_siret_with_a_wrong_key_is_refused_in_french(world: World) -> None:
    response = _create(client_of(world.people["operateur"]), siret=_wrong_key(demo_siret(BRUZ_SIREN)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce SIRET n&#x27;est pas valide" in body and "clé de contrôle" in body
    assert not Authority.objects.filter(code="35047").exists()


def test_a_siret_of_another_body_is_refused(world: World) -> None:
    response = _create(client_of(world.people["operateur"]), siret=demo_siret("213502388"))  # Rennes
    assert (
        response.status_code == 200 and "doit commencer par son SIREN, 213500473" in response.content.decode()
    )
    assert not Authority.objects.filter(code="35047").exists()


def test_an_authority_is_created_once(world: World) -> None:
    client = client_of(world.people["operateur"])
    response = client.post(NEW, {"kind": "commune", "code": "35076", "siret": world.chavagne.siret})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chavagne existe déjà dans Socle" in body and f'href="/c/{world.chavagne.slug}/"' in body
    assert Authority.objects.filter(code="35076").count() == 1
    # Chosen in the search, it says so at once.
    chosen = client.get(NEW, {"type": "commune", "code": "35076"}).content.decode()
    assert "existe déjà" in chosen and "Créer la collectivité" not in chosen


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choisissez d&#x27;abord la collectivité"),
        ({"kind": "commune", "code": "35047"}, "Indiquez le SIRET"),
        ({"kind": "commune", "code": "99999", "siret": demo_siret(BRUZ_SIREN)}, "code officiel géographique"),
        ({"kind": "syndicat", "code": "1", "siret": "x"}, "Choisissez d&#x27;abord la collectivité"),
        (
            {"kind": "commune", "code": "35047", "siret": demo_siret(BRUZ_SIREN), "admin_email": "non"},
            "adresse électronique n&#x27;est pas valide",
        ),
    ],
)
def test_a_wrong_creation_says_why_in_french(world: World, data: dict[str, str], message: str) -> None:
    response = client_of(world.people["operateur"]).post(NEW, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Authority.objects.count() == 4


@pytest.mark.parametrize("who", ["admin-chavagne", "animateur", "sans-role"])
def test_only_operators_create_authorities(world: World, who: str) -> None:
    client = client_of(world.people[who])
    assert client.get(NEW, {"q": "bruz"}).status_code == 403
    assert _create(client, siret=demo_siret(BRUZ_SIREN)).status_code == 403
    assert not Authority.objects.filter(code="35047").exists()
    assert "Créer une collectivité" not in client.get("/").content.decode()
    assert Client().get(NEW)["Location"].startswith("/connexion/")
    assert "Créer une collectivité" in client_of(world.people["operateur"]).get("/").content.decode()


# Accompaniments of an ATD ------------------------------------------------------------------------


def _accompaniment_url(authority: Authority) -> str:
    return f"/c/{authority.slug}/accompagnement/"


@pytest.fixture
def atd_admin(world: World) -> User:
    admin = person("admin-atd@exemple.fr")
    Membership.objects.create(user=admin, authority=world.atd, role=Role.ADMINISTRATOR)
    return admin


def test_an_accompaniment_added_then_ended_gives_then_takes_the_reach(world: World, atd_admin: User) -> None:
    animateur = client_of(world.people["animateur"])
    brest = f"/c/{world.brest.slug}/"
    assert animateur.get(brest).status_code == 404
    client = client_of(atd_admin)
    url = _accompaniment_url(world.atd)
    found = client.get(url, {"q": "brest"}).content.decode()
    assert "Brest" in found and f'value="{world.brest.pk}"' in found
    started = timezone.localdate() - datetime.timedelta(days=30)
    added = client.post(
        url, {"action": "ajouter", "authority": world.brest.pk, "started_on": started.isoformat()}
    )
    assert added.status_code == 302
    assert animateur.get(brest).status_code == 200  # the ATD's animator now acts for Brest
    assert AuditEvent.objects.filter(authority=world.brest, action=Action.MEMBER).count() == 1
    assert AuditEvent.objects.filter(authority=world.atd, action=Action.MEMBER).count() == 1
    link = world.atd.accompanied.get(authority=world.brest)
    assert link.started_on == started and link.ended_on is None
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ended = client.post(
        url, {"action": "terminer", "accompaniment": link.pk, "ended_on": yesterday.isoformat()}
    )
    assert ended.status_code == 302
    assert animateur.get(brest).status_code == 404  # no longer
    link.refresh_from_db()
    assert link.ended_on == yesterday  # the history stays
    page = client.get(url).content.decode()
    history = page[page.index("Historique") :]
    assert "Brest" in history and started.strftime("%Y") in history
    assert AuditEvent.objects.filter(authority=world.brest, action=Action.MEMBER).count() == 2
    # And it can start again, a new period beside the old one.
    again = client.post(url, {"action": "ajouter", "authority": world.brest.pk, "started_on": ""})
    assert again.status_code == 200 and "Indiquez la date de début" in again.content.decode()
    today = timezone.localdate().isoformat()
    client.post(url, {"action": "ajouter", "authority": world.brest.pk, "started_on": today})
    assert world.atd.accompanied.filter(authority=world.brest).count() == 2
    assert animateur.get(brest).status_code == 200


def test_an_accompaniment_ended_today_still_runs_today(world: World, atd_admin: User) -> None:
    link = world.atd.accompanied.get(authority=world.chavagne)
    Accompaniment.objects.filter(pk=link.pk).update(started_on=datetime.date(2025, 1, 1))
    client_of(atd_admin).post(
        _accompaniment_url(world.atd),
        {"action": "terminer", "accompaniment": link.pk, "ended_on": timezone.localdate().isoformat()},
    )
    link.refresh_from_db()
    assert link.ended_on == timezone.localdate()  # "jusqu'au", inclusive
    assert client_of(world.people["animateur"]).get(f"/c/{world.chavagne.slug}/").status_code == 200


def test_wrong_accompaniment_changes_say_why_in_french(world: World, atd_admin: User) -> None:
    client = client_of(atd_admin)
    url = _accompaniment_url(world.atd)
    region = Authority.from_cog(Kind.REGION, "53", siret=demo_siret("233500016"), is_atd=True)
    region.save()
    other = Accompaniment.objects.create(atd=region, authority=world.brest)
    chavagne = world.atd.accompanied.get(authority=world.chavagne)
    cases = [
        ({}, "Choisissez la collectivité à accompagner"),
        ({"action": "ajouter", "authority": world.rennes.pk, "started_on": "2026-01-01"}, "accompagne déjà"),
        (
            {"action": "ajouter", "authority": world.atd.pk, "started_on": "2026-01-01"},
            "Choisissez la collectivité",
        ),
        ({"action": "ajouter", "authority": "x", "started_on": "31/02/2026"}, "n&#x27;est pas valide"),
        ({"action": "terminer"}, "Choisissez l&#x27;accompagnement à terminer"),
        ({"action": "terminer", "accompaniment": other.pk, "ended_on": "2026-01-01"}, "pas en cours"),
        (
            {"action": "terminer", "accompaniment": chavagne.pk, "ended_on": "2000-01-01"},
            "avant d&#x27;avoir commencé",
        ),
        ({"action": "terminer", "accompaniment": chavagne.pk, "ended_on": "demain"}, "n&#x27;est pas valide"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    other.refresh_from_db()
    chavagne.refresh_from_db()
    assert other.ended_on is None and chavagne.ended_on is None
    assert world.atd.accompanied.count() == 2 and not AuditEvent.objects.exists()


def test_operators_manage_accompaniments(world: World) -> None:
    client = client_of(world.people["operateur"])
    response = client.post(
        _accompaniment_url(world.atd),
        {"action": "ajouter", "authority": world.brest.pk, "started_on": "2026-01-01"},
    )
    assert response.status_code == 302
    assert world.atd.accompanied.filter(authority=world.brest).exists()


@pytest.mark.parametrize("who", ["animateur", "lecteur-atd"])
def test_other_members_of_the_atd_only_see_its_accompaniments(world: World, who: str) -> None:
    client = client_of(world.people[who])
    page = client.get(_accompaniment_url(world.atd), {"q": "brest"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Chavagne" in body and "Rennes" in body and "Terminer" not in body and "Brest" not in body
    data = {"action": "ajouter", "authority": world.brest.pk, "started_on": "2026-01-01"}
    assert client.post(_accompaniment_url(world.atd), data).status_code == 403
    assert not world.atd.accompanied.filter(authority=world.brest).exists()


@pytest.mark.parametrize("who", ["admin-chavagne", "admin-brest", "sans-role"])
def test_people_outside_the_atd_do_not_find_its_accompaniments(world: World, who: str) -> None:
    client = client_of(world.people[who])
    for method in ("get", "post"):
        response = getattr(client, method)(_accompaniment_url(world.atd))
        assert response.status_code == 404 and "Ille-et-Vilaine" not in response.content.decode()


def test_only_an_atd_has_an_accompaniment_page(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    assert client.get(_accompaniment_url(world.chavagne)).status_code == 404
    assert client_of(world.people["operateur"]).get(_accompaniment_url(world.brest)).status_code == 404
    assert (
        "Collectivités accompagnées et historique"
        not in client.get(f"/c/{world.chavagne.slug}/").content.decode()
    )
    atd_page = client_of(world.people["animateur"]).get(f"/c/{world.atd.slug}/").content.decode()
    assert _accompaniment_url(world.atd) in atd_page


def test_the_tenancy_matrix_knows_the_atd_only_page() -> None:
    from tests.web.test_tenancy import ATD_ONLY, ROUTES

    assert set(ROUTES) >= ATD_ONLY  # a renamed route would otherwise escape the matrix's 404 check
