"""Accounts are people; what they may do is given per authority by a :class:`Membership`."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from socle.web.territories.models import Authority


class Role(models.IntegerChoices):
    """What a person may do for an authority; each role includes the ones below it."""

    READER = 1, "lecteur"
    CONTRIBUTOR = 2, "contributeur"
    ADMINISTRATOR = 3, "administrateur"


class SocleUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: object
    ) -> User:
        email = self.normalize_email(email).lower()
        return super().create_user(username=email, email=email, password=password, **extra)


class User(AbstractUser):
    """A person, logged in by e-mail address. ``is_operator``: the national programme's team, who
    sees every authority (and changes none of their data)."""

    email = models.EmailField("adresse électronique", unique=True)
    is_operator = models.BooleanField("opérateur du programme", default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = SocleUserManager()

    class Meta:
        verbose_name = "compte"

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Membership(models.Model):
    """``user`` acts for ``authority`` with ``role``. For an ATD, its members also act for every
    authority the ATD accompanies now (see :mod:`socle.web.tenancy`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="memberships")
    role = models.PositiveSmallIntegerField("rôle", choices=Role.choices, default=Role.CONTRIBUTOR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "rôle"
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="membership_user_authority")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.authority}"


INVITATION_DAYS = 14


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An invitation sent by e-mail to act for an authority; only the token's digest is stored."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse électronique")
    role = models.PositiveSmallIntegerField("rôle", choices=Role.choices, default=Role.CONTRIBUTOR)
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation"

    @classmethod
    def issue(
        cls, authority: Authority, email: str, role: int, invited_by: User | None
    ) -> tuple[Invitation, str]:
        """A saved invitation and its token (to put in the link; never stored)."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            authority=authority, email=email.lower(), role=role, digest=_digest(token), invited_by=invited_by
        )
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        """The pending, unexpired invitation of ``token``, if any."""
        invitation = cls.objects.filter(digest=_digest(token), accepted_at__isnull=True).first()
        if invitation is None or invitation.expired:
            return None
        return invitation

    @property
    def expired(self) -> bool:
        return timezone.now() > self.created_at + timedelta(days=INVITATION_DAYS)


class LoginFailure(models.Model):
    """A failed login, kept a little while to throttle password guessing (see ``forms``)."""

    email = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
