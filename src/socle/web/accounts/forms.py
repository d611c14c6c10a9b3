"""Forms of the accounts: login by e-mail with throttling, acceptance of an invitation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils import timezone

from socle.web.accounts.models import LoginFailure

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
THROTTLE_MINUTES = 15


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


class EmailAuthenticationForm(AuthenticationForm):
    """Login by e-mail address; after 5 failures for one account (or 20 from one address) in 15 minutes,
    further attempts are refused for the rest of those 15 minutes, right password or not."""

    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
        "throttled": (
            "Trop de tentatives de connexion échouées : réessayez dans un quart d'heure, ou "
            "réinitialisez votre mot de passe."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["password"].label = "Mot de passe"

    def clean(self) -> dict[str, Any]:
        email = (self.cleaned_data.get("username") or "").lower()
        self.cleaned_data["username"] = email
        address = client_address(self.request)
        since = timezone.now() - timedelta(minutes=THROTTLE_MINUTES)
        recent = LoginFailure.objects.filter(at__gte=since)
        if (email and recent.filter(email=email).count() >= MAX_FAILURES_PER_ACCOUNT) or (
            address and recent.filter(address=address).count() >= MAX_FAILURES_PER_ADDRESS
        ):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            LoginFailure.objects.create(email=email[:254], address=address)
            raise


class AcceptInvitationForm(forms.Form):
    """A new account's name and password (the e-mail address is the invitation's)."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 10 caractères, pas uniquement des chiffres, pas un mot de passe courant.",
    )
    password2 = forms.CharField(
        label="Mot de passe (confirmation)",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
