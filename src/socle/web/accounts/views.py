"""Accepting an invitation: a new account (or an existing one) gets its role for the authority."""

from __future__ import annotations

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from socle.web.accounts.forms import AcceptInvitationForm
from socle.web.accounts.models import Invitation, Membership, User
from socle.web.datasets.models import Action, AuditEvent


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find(token)
    if invitation is None:
        return render(request, "socle/invitation_invalide.html", status=404)
    existing = User.objects.filter(email=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None) if existing is None else None
    if request.method == "POST" and (existing is not None or (form is not None and form.is_valid())):
        with transaction.atomic():
            user = existing
            if user is None:
                assert form is not None
                user = User.objects.create_user(
                    invitation.email,
                    form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
            Membership.objects.update_or_create(
                user=user, authority=invitation.authority, defaults={"role": invitation.role}
            )
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
            AuditEvent.record(
                invitation.authority,
                user,
                Action.MEMBER,
                f"{user} a rejoint {invitation.authority} ({invitation.get_role_display()})",
            )
        if existing is None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accueil")
    return render(
        request, "socle/invitation.html", {"invitation": invitation, "form": form, "existing": existing}
    )
