"""Members and invitations of an authority: administrators invite, change roles and remove people,
never the last administrator; everyone who sees the authority sees its members; all in the journal."""

from __future__ import annotations

import re
import smtplib
import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from socle.web.accounts import members
from socle.web.accounts.models import Invitation, Membership, Role, User
from socle.web.datasets.models import Action, AuditEvent
from tests.web.conftest import PASSWORD, World, client_of


def _members_url(world: World, *rest: object) -> str:
    return "/".join([f"/c/{world.chavagne.slug}/membres", *map(str, rest), ""])


def _membership(world: World, who: str) -> Membership:
    return world.chavagne.memberships.get(user=world.people[who])


def _link(body: str) -> str:
    found = re.search(r"http://testserver(/invitation/[^/\s]+/)", body)
    assert found, body
    return found.group(1)


def test_the_tenancy_matrix_requests_every_members_page() -> None:
    from tests.web.test_tenancy import ROUTES

    mine = {r for r in ROUTES if r.startswith("/c/<slug:slug>/membres/")}
    assert len(mine) == 5 and "/c/<slug:slug>/membres/<int:member>/retirer/" in mine


def test_the_members_page_lists_people_roles_and_atds(world: World) -> None:
    body = client_of(world.people["lecteur-chavagne"]).get(_members_url(world)).content.decode()
    assert "admin-chavagne@exemple.fr" in body and "contrib-chavagne@exemple.fr" in body
    assert "administrateur" in body and "contributeur" in body
    assert "Ille-et-Vilaine" in body  # the ATD that accompanies Chavagne, read-only
    # A reader sees no form and no pending invitation.
    assert "Envoyer l'invitation" not in body and "invitee@exemple.fr" not in body
    assert "admin-brest@exemple.fr" not in body  # only Chavagne's people
    admin = client_of(world.people["admin-chavagne"]).get(_members_url(world)).content.decode()
    assert "Envoyer l'invitation" in admin and "invitee@exemple.fr" in admin
    # The authority's page leads there.
    home = client_of(world.people["admin-chavagne"]).get(f"/c/{world.chavagne.slug}/").content.decode()
    assert f'href="{_members_url(world)}">Membres et invitations' in home


def test_an_invitation_is_sent_and_its_link_makes_a_member(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    response = client.post(_members_url(world, "inviter"), {"email": "Nora@Exemple.fr", "role": Role.READER})
    assert response.status_code == 302 and response["Location"] == _members_url(world)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nora@exemple.fr"] and "Chavagne" in message.subject
    assert "lecteur" in message.body and "Bonjour" in message.body
    invitation = Invitation.objects.get(authority=world.chavagne, email="nora@exemple.fr")
    assert invitation.role == Role.READER and invitation.invited_by == world.people["admin-chavagne"]
    assert AuditEvent.objects.filter(authority=world.chavagne, action=Action.INVITED).count() == 1
    assert "nora@exemple.fr" in client.get(_members_url(world)).content.decode()  # pending
    # The link, opened by the person, creates the account and the role.
    visitor = Client()
    link = _link(message.body)
    assert visitor.get(link).status_code == 200
    done = visitor.post(
        link, {"first_name": "Nora", "last_name": "Nouvelle", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert done.status_code == 302
    user = User.objects.get(email="nora@exemple.fr")
    assert Membership.objects.get(user=user, authority=world.chavagne).role == Role.READER
    body = client.get(_members_url(world)).content.decode()
    assert "Nora Nouvelle" in body


def test_an_existing_account_invited_gets_the_role(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    client.post(_members_url(world, "inviter"), {"email": "admin-brest@exemple.fr", "role": Role.CONTRIBUTOR})
    link = _link(mail.outbox[0].body)
    brest = client_of(world.people["admin-brest"])
    assert brest.post(link).status_code == 302
    assert _membership(world, "admin-brest").role == Role.CONTRIBUTOR
    assert brest.get(f"/c/{world.chavagne.slug}/").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Indiquez l&#x27;adresse électronique"),
        ({"email": "pas-une-adresse", "role": Role.READER}, "n&#x27;est pas valide"),
        ({"email": "x@exemple.fr", "role": "9"}, "Choisissez un rôle de la liste."),
        ({"email": "CONTRIB-chavagne@exemple.fr", "role": Role.READER}, "déjà membre"),
    ],
)
def test_a_wrong_invitation_says_why_in_french(world: World, data: dict[str, object], message: str) -> None:
    response = client_of(world.people["admin-chavagne"]).post(_members_url(world, "inviter"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not mail.outbox and Invitation.objects.filter(authority=world.chavagne).count() == 1


def test_inviting_again_replaces_the_pending_invitation(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    for role in (Role.READER, Role.ADMINISTRATOR):
        client.post(_members_url(world, "inviter"), {"email": "invitee@exemple.fr", "role": role})
    pending = Invitation.objects.filter(authority=world.chavagne, email="invitee@exemple.fr")
    assert [i.role for i in pending] == [Role.ADMINISTRATOR]
    # The first link no longer serves; the second does.
    assert Invitation.find(_link(mail.outbox[0].body).split("/")[2]) is None
    assert Invitation.find(_link(mail.outbox[1].body).split("/")[2]) is not None


def test_a_mail_server_that_refuses_keeps_no_invitation(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise smtplib.SMTPException("refusé")

    monkeypatch.setattr("socle.web.accounts.members.send_mail", refuse)
    response = client_of(world.people["admin-chavagne"]).post(
        _members_url(world, "inviter"), {"email": "nora@exemple.fr", "role": Role.READER}
    )
    assert response.status_code == 200 and "pas pu être envoyé" in response.content.decode()
    assert not Invitation.objects.filter(email="nora@exemple.fr").exists()
    assert not AuditEvent.objects.filter(action=Action.INVITED).exists()
    # Inviting again an address whose invitation is pending: the earlier one stays as it was.
    client_of(world.people["admin-chavagne"]).post(
        _members_url(world, "inviter"), {"email": "invitee@exemple.fr", "role": Role.ADMINISTRATOR}
    )
    assert list(Invitation.objects.filter(email="invitee@exemple.fr")) == [world.invitation]


def test_cancelling_an_invitation_kills_its_link(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    client.post(_members_url(world, "inviter"), {"email": "nora@exemple.fr", "role": Role.READER})
    link = _link(mail.outbox[0].body)
    invitation = Invitation.objects.get(email="nora@exemple.fr")
    url = _members_url(world, "invitations", invitation.pk, "retirer")
    assert "nora@exemple.fr" in client.get(url).content.decode()  # the confirmation page
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert client.post(url).status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert Client().get(link).status_code == 404
    event = AuditEvent.objects.filter(authority=world.chavagne, action=Action.MEMBER).get()
    assert "nora@exemple.fr" in event.summary and "retirée" in event.summary
    # Gone: a second cancel is a 404, not a 500.
    assert client.post(url).status_code == 404


def test_an_administrator_changes_a_role(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    membership = _membership(world, "contrib-chavagne")
    response = client.post(_members_url(world, membership.pk), {"role": Role.ADMINISTRATOR})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ADMINISTRATOR
    event = AuditEvent.objects.get(authority=world.chavagne, action=Action.MEMBER)
    assert "contributeur → administrateur" in event.summary and event.user == world.people["admin-chavagne"]
    # Bad data: the form again, in French.
    for data in ({}, {"role": "7"}, {"role": "x"}):
        bad = client.post(_members_url(world, membership.pk), data)
        assert bad.status_code == 200 and "Choisissez un rôle" in bad.content.decode()


def test_the_last_administrator_is_neither_demoted_nor_removed(world: World) -> None:
    admin = world.people["admin-chavagne"]
    client = client_of(admin)
    own = _membership(world, "admin-chavagne")
    demoted = client.post(_members_url(world, own.pk), {"role": Role.CONTRIBUTOR})
    assert demoted.status_code == 200 and "dernier administrateur" in demoted.content.decode()
    removed = client.post(_members_url(world, own.pk, "retirer"))
    assert removed.status_code == 200 and "dernier administrateur" in removed.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMINISTRATOR
    assert not AuditEvent.objects.filter(action=Action.MEMBER).exists()
    # With a second administrator, the first may step down.
    Membership.objects.filter(pk=_membership(world, "contrib-chavagne").pk).update(role=Role.ADMINISTRATOR)
    assert client.post(_members_url(world, own.pk), {"role": Role.CONTRIBUTOR}).status_code == 302
    own.refresh_from_db()
    assert own.role == Role.CONTRIBUTOR


def test_removing_a_member_asks_first(world: World) -> None:
    client = client_of(world.people["admin-chavagne"])
    membership = _membership(world, "lecteur-chavagne")
    url = _members_url(world, membership.pk, "retirer")
    page = client.get(url)
    assert page.status_code == 200 and "lecteur-chavagne@exemple.fr" in page.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()  # asking removes nothing
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=world.people["lecteur-chavagne"].pk).exists()  # the account stays
    event = AuditEvent.objects.get(authority=world.chavagne, action=Action.MEMBER)
    assert "lecteur-chavagne@exemple.fr" in event.summary
    assert client_of(world.people["lecteur-chavagne"]).get(f"/c/{world.chavagne.slug}/").status_code == 404


def test_an_administrator_who_leaves_goes_home(world: World) -> None:
    Membership.objects.filter(pk=_membership(world, "contrib-chavagne").pk).update(role=Role.ADMINISTRATOR)
    client = client_of(world.people["admin-chavagne"])
    response = client.post(_members_url(world, _membership(world, "admin-chavagne").pk, "retirer"))
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("who", ["contrib-chavagne", "lecteur-chavagne", "animateur", "operateur"])
def test_only_administrators_change_members(world: World, who: str) -> None:
    client = client_of(world.people[who])
    assert client.get(_members_url(world)).status_code == 200  # they see the members
    target = _membership(world, "lecteur-chavagne")
    assert world.invitation is not None
    for url, data in [
        (_members_url(world, "inviter"), {"email": "nora@exemple.fr", "role": Role.ADMINISTRATOR}),
        (_members_url(world, target.pk), {"role": Role.ADMINISTRATOR}),
        (_members_url(world, target.pk, "retirer"), {}),
        (_members_url(world, "invitations", world.invitation.pk, "retirer"), {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    target.refresh_from_db()
    assert target.role == Role.READER
    assert not mail.outbox and Invitation.objects.filter(pk=world.invitation.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_member_of_another_authority_is_not_found_through_ones_own(world: World) -> None:
    # Brest's administrator names a member of Chavagne under Brest's address: not found.
    client = client_of(world.people["admin-brest"])
    target = _membership(world, "contrib-chavagne")
    assert world.invitation is not None
    for url in (
        f"/c/{world.brest.slug}/membres/{target.pk}/",
        f"/c/{world.brest.slug}/membres/{target.pk}/retirer/",
        f"/c/{world.brest.slug}/membres/invitations/{world.invitation.pk}/retirer/",
    ):
        assert client.post(url, {"role": Role.READER}).status_code == 404, url
    assert Membership.objects.filter(pk=target.pk, role=Role.CONTRIBUTOR).exists()
    assert Invitation.objects.filter(pk=world.invitation.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_administrators_demoting_each_other_at_once_leave_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    Membership.objects.filter(pk=_membership(world, "contrib-chavagne").pk).update(role=Role.ADMINISTRATOR)
    if connection.vendor == "sqlite":
        # SQLite runs one writing transaction at a time (immediate transactions), so the two requests
        # come one after the other (the in-memory test database cannot take concurrent writers): the
        # second is refused all the same.
        first = client_of(world.people["admin-chavagne"]).post(
            _members_url(world, _membership(world, "contrib-chavagne").pk), {"role": Role.READER}
        )
        second = client_of(world.people["contrib-chavagne"]).post(
            _members_url(world, _membership(world, "admin-chavagne").pk), {"role": Role.READER}
        )
        assert (first.status_code, second.status_code) in ((302, 200), (302, 403))
        assert world.chavagne.memberships.filter(role=Role.ADMINISTRATOR).count() == 1
        return
    # PostgreSQL: two requests at the same moment, each with its own connection; the window between
    # counting the administrators and saving is widened, so without the lock both would see two.
    real = members._administrators

    def slow(authority: object) -> list[Membership]:
        found = real(authority)  # type: ignore[arg-type]
        time.sleep(0.3)
        return found

    monkeypatch.setattr(members, "_administrators", slow)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def demote(who: str, other: str) -> None:
        try:
            client = client_of(world.people[who])
            start.wait()
            url = _members_url(world, _membership(world, other).pk)
            statuses.append(client.post(url, {"role": Role.READER}).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=("admin-chavagne", "contrib-chavagne")),
        threading.Thread(target=demote, args=("contrib-chavagne", "admin-chavagne")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [200, 302]  # one demoted, the other refused
    assert world.chavagne.memberships.filter(role=Role.ADMINISTRATOR).count() == 1
