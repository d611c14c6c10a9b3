"""The members of an authority and its invitations: who acts for it, with which role.

Everyone who may see the authority sees its members (and, read-only, the ATDs that accompany it);
only its administrators invite, change a role or remove someone. An authority always keeps at least
one administrator. Every change is written in the audit trail.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django import forms
from django.contrib import messages
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from socle.web.accounts.models import INVITATION_DAYS, Invitation, Membership, Role, User
from socle.web.datasets.models import Action, AuditEvent
from socle.web.tenancy import access_of, authority_view, compute_access
from socle.web.territories.models import Authority

logger = logging.getLogger(__name__)

ROLE_CHOICES = [(int(role), role.label) for role in reversed(Role)]
"""Administrator first: the order in which the roles read best in a list."""


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=f"La personne reçoit un lien valable {INVITATION_DAYS} jours.",
        error_messages={
            "required": "Indiquez l'adresse électronique de la personne à inviter.",
            "invalid": "Cette adresse électronique n'est pas valide (exemple : prenom.nom@mairie.fr).",
        },
    )
    role = forms.TypedChoiceField(
        label="Rôle",
        choices=ROLE_CHOICES,
        coerce=int,
        initial=int(Role.CONTRIBUTOR),
        help_text=(
            "Lecteur : consulte. Contributeur : saisit, importe, valide. "
            "Administrateur : gère aussi les membres."
        ),
        error_messages={
            "required": "Choisissez un rôle.",
            "invalid_choice": "Choisissez un rôle de la liste.",
        },
    )

    def __init__(self, *args: Any, authority: Authority | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if self.authority is not None and self.authority.memberships.filter(user__email=email).exists():
            raise forms.ValidationError(
                "Cette personne est déjà membre de la collectivité : changez son rôle dans la liste des membres."
            )
        return email


class RoleForm(forms.Form):
    role = forms.TypedChoiceField(
        label="Rôle",
        choices=ROLE_CHOICES,
        coerce=int,
        error_messages={
            "required": "Choisissez un rôle.",
            "invalid_choice": "Choisissez un rôle de la liste.",
        },
    )


class InvitationNotSent(Exception):
    """The e-mail could not be handed to the mail server: the invitation was not kept."""


def send_invitation(request: HttpRequest, authority: Authority, email: str, role: int) -> Invitation:
    """Issue an invitation to ``authority`` and send its link by e-mail (it replaces a pending invitation
    of the same address); recorded in the audit trail. Raises :class:`InvitationNotSent` when the mail
    server refuses it, keeping nothing new and the earlier invitation as it was."""
    inviter = request.user if isinstance(request.user, User) else None
    invitation, token = Invitation.issue(authority, email, role, inviter)
    link = request.build_absolute_uri(reverse("invitation", args=[token]))
    context = {
        "authority": authority,
        "invitation": invitation,
        "inviter": inviter,
        "link": link,
        "days": INVITATION_DAYS,
    }
    try:
        send_mail(
            f"Socle : invitation à rejoindre {authority.name}",
            render_to_string("socle/invitation_courriel.txt", context, request=request),
            None,
            [invitation.email],
        )
    except (OSError, smtplib.SMTPException) as error:
        logger.warning("invitation to %s not sent: %s", invitation.email, error)
        invitation.delete()
        raise InvitationNotSent from error
    # The earlier links of this address no longer serve once the new one is on its way.
    pending = authority.invitations.filter(email=invitation.email, accepted_at__isnull=True)
    replaced = pending.exclude(pk=invitation.pk).delete()[0]
    AuditEvent.record(
        authority,
        request.user,
        Action.INVITED,
        f"Invitation {'renvoyée' if replaced else 'envoyée'} à {invitation.email} "
        f"({invitation.get_role_display()})",
        email=invitation.email,
        role=invitation.role,
    )
    return invitation


def _administrators(authority: Authority) -> list[Membership]:
    """The authority's administrators, locked until the end of the transaction (two administrators
    demoting each other at once must not leave the authority without one)."""
    return list(authority.memberships.select_for_update().filter(role=Role.ADMINISTRATOR))


LAST_ADMINISTRATOR = (
    "{user} est le dernier administrateur de {authority} : donnez d'abord le rôle d'administrateur "
    "à une autre personne."
)


def _page(
    request: HttpRequest,
    authority: Authority,
    *,
    invitation_form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    access = access_of(request)
    is_admin = access.can(authority, Role.ADMINISTRATOR)
    members = authority.memberships.select_related("user").order_by("-role", "user__last_name", "user__email")
    atds = authority.accompaniments.current().select_related("atd").order_by("atd__name")
    pending = (
        authority.invitations.filter(accepted_at__isnull=True).order_by("-created_at") if is_admin else []
    )
    return render(
        request,
        "socle/membres.html",
        {
            "authority": authority,
            "members": members,
            "atds": [(link, access.role(link.atd) is not None) for link in atds],
            "pending": pending,
            "is_admin": is_admin,
            "form": invitation_form or (InvitationForm(authority=authority) if is_admin else None),
            "roles": ROLE_CHOICES,
        },
        status=status,
    )


@authority_view(Role.READER)
def members(request: HttpRequest, authority: Authority) -> HttpResponse:
    return _page(request, authority)


@authority_view(Role.ADMINISTRATOR)
def invite(request: HttpRequest, authority: Authority) -> HttpResponse:
    form = InvitationForm(request.POST if request.method == "POST" else None, authority=authority)
    if request.method != "POST" or not form.is_valid():
        return _page(request, authority, invitation_form=form)
    email, role = form.cleaned_data["email"], form.cleaned_data["role"]
    try:
        send_invitation(request, authority, email, role)
    except InvitationNotSent:
        form.add_error(
            None,
            "Le courriel d'invitation n'a pas pu être envoyé (serveur de courriel injoignable) : "
            "réessayez plus tard.",
        )
        return _page(request, authority, invitation_form=form)
    messages.success(request, f"Invitation envoyée à {email} ({Role(role).label}).")
    return redirect("membres", slug=authority.slug)


@authority_view(Role.ADMINISTRATOR)
def cancel_invitation(request: HttpRequest, authority: Authority, invitation: int) -> HttpResponse:
    found = get_object_or_404(authority.invitations, pk=invitation, accepted_at__isnull=True)
    if request.method == "POST":
        found.delete()
        AuditEvent.record(
            authority,
            request.user,
            Action.MEMBER,
            f"Invitation de {found.email} ({found.get_role_display()}) retirée avant d'être acceptée",
            email=found.email,
        )
        messages.success(request, f"L'invitation de {found.email} est retirée : son lien ne sert plus.")
        return redirect("membres", slug=authority.slug)
    return render(
        request, "socle/membres_invitation_retirer.html", {"authority": authority, "invitation": found}
    )


@authority_view(Role.ADMINISTRATOR)
def change_role(request: HttpRequest, authority: Authority, member: int) -> HttpResponse:
    membership = get_object_or_404(authority.memberships.select_related("user"), pk=member)
    form = RoleForm(request.POST if request.method == "POST" else None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        role = Role(form.cleaned_data["role"])
        with transaction.atomic():
            admins = _administrators(authority)
            membership.refresh_from_db()
            before = Role(membership.role)
            if before == Role.ADMINISTRATOR and role < before and len(admins) <= 1:
                form.add_error(
                    "role", LAST_ADMINISTRATOR.format(user=membership.user, authority=authority.name)
                )
            elif role != before:
                membership.role = role
                membership.save(update_fields=["role"])
                AuditEvent.record(
                    authority,
                    request.user,
                    Action.MEMBER,
                    f"Rôle de {membership.user} : {before.label} → {role.label}",
                    email=membership.user.email,
                    before=int(before),
                    after=int(role),
                )
        if not form.errors:
            if role != before:
                messages.success(request, f"{membership.user} est maintenant {role.label}.")
            return redirect("membres", slug=authority.slug)
    return render(
        request,
        "socle/membres_role.html",
        {"authority": authority, "membership": membership, "form": form},
        status=200,
    )


@authority_view(Role.ADMINISTRATOR)
def remove_member(request: HttpRequest, authority: Authority, member: int) -> HttpResponse:
    membership = get_object_or_404(authority.memberships.select_related("user"), pk=member)
    error = ""
    if request.method == "POST":
        with transaction.atomic():
            admins = _administrators(authority)
            membership.refresh_from_db()
            if membership.role == Role.ADMINISTRATOR and len(admins) <= 1:
                error = LAST_ADMINISTRATOR.format(user=membership.user, authority=authority.name)
            else:
                membership.delete()
                AuditEvent.record(
                    authority,
                    request.user,
                    Action.MEMBER,
                    f"{membership.user} retiré·e des membres ({membership.get_role_display()})",
                    email=membership.user.email,
                    before=membership.role,
                )
        if not error:
            messages.success(request, f"{membership.user} n'agit plus pour {authority.name}.")
            if membership.user_id == request.user.pk and not _still_sees(request, authority):
                return redirect("accueil")
            return redirect("membres", slug=authority.slug)
    return render(
        request,
        "socle/membres_retirer.html",
        {
            "authority": authority,
            "membership": membership,
            "error": error,
            "last_admin": membership.role == Role.ADMINISTRATOR
            and authority.memberships.filter(role=Role.ADMINISTRATOR).count() <= 1,
            "self": membership.user_id == request.user.pk,
        },
    )


def _still_sees(request: HttpRequest, authority: Authority) -> bool:
    """Whether the user still sees the authority once their own membership is gone (through an ATD)."""
    operator = bool(getattr(request.user, "is_operator", False))
    return compute_access(request.user.pk, operator=operator).role(authority) is not None
