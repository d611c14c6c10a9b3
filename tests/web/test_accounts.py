"""Login by e-mail with throttling, invitations, password reset: in French, never a 500."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from socle.web.accounts.models import Invitation, Membership, Role, User
from socle.web.datasets.models import AuditEvent
from tests.web.conftest import PASSWORD, World


def _login(client: Client, email: str, password: str) -> int:
    return client.post("/connexion/", {"username": email, "password": password}).status_code


def test_login_by_email_then_home(world: World) -> None:
    client = Client()
    assert _login(client, "ADMIN-chavagne@exemple.fr", PASSWORD) == 302  # the address, whatever its case
    assert "Chavagne" in client.get("/").content.decode()


def test_wrong_password_says_so_in_french(world: World) -> None:
    response = Client().post("/connexion/", {"username": "admin-chavagne@exemple.fr", "password": "non"})
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_login_is_throttled_after_five_failures(world: World) -> None:
    client = Client()
    for _ in range(5):
        assert _login(client, "admin-chavagne@exemple.fr", "mauvais") == 200
    response = client.post("/connexion/", {"username": "admin-chavagne@exemple.fr", "password": PASSWORD})
    assert response.status_code == 200  # refused, right password or not
    assert "Trop de tentatives" in response.content.decode()
    # Another account is not throttled by these failures.
    assert _login(Client(), "admin-brest@exemple.fr", PASSWORD) == 302


def test_an_invitation_creates_the_account_and_its_role(world: World) -> None:
    invitation, token = Invitation.issue(world.chavagne, "nouvelle@exemple.fr", Role.CONTRIBUTOR, None)
    client = Client()
    page = client.get(f"/invitation/{token}/")
    assert page.status_code == 200 and "Chavagne" in page.content.decode()
    weak = client.post(
        f"/invitation/{token}/",
        {"first_name": "Nora", "last_name": "Nouvelle", "password1": "12345678", "password2": "12345678"},
    )
    assert weak.status_code == 200 and not User.objects.filter(email="nouvelle@exemple.fr").exists()
    done = client.post(
        f"/invitation/{token}/",
        {"first_name": "Nora", "last_name": "Nouvelle", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert done.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert Membership.objects.get(user=user, authority=world.chavagne).role == Role.CONTRIBUTOR
    assert AuditEvent.objects.filter(authority=world.chavagne, action="member").exists()
    # A token serves once; an unknown one is a French 404 page.
    again = Client().get(f"/invitation/{token}/")
    assert again.status_code == 404 and "plus valable" in again.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert len(Invitation.objects.filter(digest=token)) == 0  # only the digest is stored


def test_password_reset_sends_a_french_email(world: World) -> None:
    response = Client().post("/mot-de-passe/oublie/", {"email": "admin-chavagne@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Socle : nouveau mot de passe"
    assert "/mot-de-passe/nouveau/" in message.body
    link = next(line for line in message.body.splitlines() if "/mot-de-passe/nouveau/" in line)
    path = link[link.index("/mot-de-passe/") :]
    client = Client()
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Nouveau mot de passe" in form.content.decode()
