"""Pages of the territories: an operator creates an authority from the COG; an ATD's administrators
(and the operators) say which authorities it accompanies, and since when."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from socle.referentials import cog
from socle.web.accounts.members import InvitationNotSent, send_invitation
from socle.web.accounts.models import Role
from socle.web.datasets.models import Action, AuditEvent
from socle.web.tenancy import access_of, authority_view
from socle.web.territories.forms import AccompanimentForm, AuthorityForm, EndAccompanimentForm
from socle.web.territories.models import Authority, Kind

SEARCH_LIMIT = 20
MAX_QUERY = 100


def _query(request: HttpRequest) -> str:
    return " ".join(str(request.POST.get("q") or request.GET.get("q", "")).split())[:MAX_QUERY]


def search_cog(query: str) -> list[cog.Authority]:
    """The COG's territories for a name or a code: INSEE code of a commune, SIREN, and also the code of a
    département or a région (which :func:`cog.search` does not read as a code)."""
    if not query:
        return []
    found: list[cog.Authority] = []
    for record in (cog.region(query), cog.departement(query.upper())):
        if record is not None:
            found.append(record)
    for record in cog.search(query, limit=SEARCH_LIMIT):
        if record not in found:
            found.append(record)
    return found[:SEARCH_LIMIT]


@login_required
def create_authority(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_operator", False):
        raise PermissionDenied("Seuls les opérateurs du programme créent des collectivités.")
    query = _query(request)
    results = search_cog(query)
    created = {(a.kind, a.code): a for a in Authority.objects.filter(code__in={r.code for r in results})}
    kind = str(request.POST.get("kind") or request.GET.get("type", ""))[:20]
    code = str(request.POST.get("code") or request.GET.get("code", ""))[:20]
    form = AuthorityForm(
        request.POST if request.method == "POST" else None, initial={"kind": kind, "code": code}
    )
    chosen = None
    if kind in Kind.values and code:
        try:
            chosen = Authority.from_cog(kind, code)
        except ValueError:
            chosen = None
    if request.method == "POST" and form.is_valid():
        authority = form.authority
        assert authority is not None
        try:
            with transaction.atomic():
                authority.save()
                AuditEvent.record(
                    authority,
                    request.user,
                    Action.CREATED,
                    f"Collectivité créée depuis le COG ({authority.kind_label}, code {authority.code}, "
                    f"SIRET {authority.siret}{', ATD' if authority.is_atd else ''})",
                )
        except IntegrityError:  # created meanwhile by someone else
            form.existing = Authority.objects.filter(kind=authority.kind, code=authority.code).first()
            form.add_error(None, "Cette collectivité existe déjà dans Socle.")
        else:
            messages.success(request, f"{authority.name} est créée.")
            email = form.cleaned_data["admin_email"]
            if email:
                try:
                    send_invitation(request, authority, email, Role.ADMINISTRATOR)
                except InvitationNotSent:
                    messages.warning(
                        request,
                        f"Le courriel d'invitation à {email} n'a pas pu être envoyé : invitez cette personne "
                        "depuis la page des membres.",
                    )
                else:
                    messages.success(request, f"Invitation à l'administrer envoyée à {email}.")
            return redirect("collectivite", slug=authority.slug)
    existing = form.existing
    if existing is None and chosen is not None:
        existing = Authority.objects.filter(kind=kind, code=code).first()
    return render(
        request,
        "socle/collectivite_nouvelle.html",
        {
            "query": query,
            "results": [(r, created.get((r.kind, r.code))) for r in results],
            "chosen": chosen,
            "existing": existing,
            "form": form,
            "kinds": dict(Kind.choices),
        },
    )


def _find_authorities(query: str, atd: Authority) -> list[Authority]:
    """Authorities of Socle (not the ATD itself) whose name or code matches ``query``, as the COG's
    search reads names (case, accents and hyphens ignored; each word begins a word of the name)."""
    words = cog.fold_name(query).split()
    if not words:
        return []
    others = Authority.objects.exclude(pk=atd.pk)
    compact = query.replace(" ", "")
    by_code = list(others.filter(code__iexact=compact)) + list(others.filter(siren=compact))
    by_name = [
        a
        for a in others.only("pk", "name", "kind", "code", "slug")
        if all(any(w.startswith(q) for w in cog.fold_name(a.name).split()) for q in words)
    ]
    found: list[Authority] = []
    for a in by_code + sorted(by_name, key=lambda a: (cog.fold_name(a.name) != " ".join(words), a.name)):
        if a not in found:
            found.append(a)
    return found[:SEARCH_LIMIT]


def _record(atd: Authority, authority: Authority, user: object, summary: str) -> None:
    """An accompaniment gives (or takes away) the ATD's members a role for the authority: both
    journals say so."""
    for each in (atd, authority):
        AuditEvent.record(each, user, Action.MEMBER, summary, atd_id=atd.pk, authority_id=authority.pk)


@authority_view(Role.READER)
def accompaniments(request: HttpRequest, authority: Authority) -> HttpResponse:
    if not authority.is_atd:
        raise Http404("Seul un ATD accompagne d'autres collectivités.")
    access = access_of(request)
    can_manage = access.operator or access.can(authority, Role.ADMINISTRATOR)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(
            f"Il faut être administrateur de {authority.name} ou opérateur du programme pour changer "
            "ses accompagnements."
        )
    query = _query(request) if can_manage else ""
    add_form = AccompanimentForm(atd=authority)
    end_form = EndAccompanimentForm(atd=authority)
    if request.method == "POST" and request.POST.get("action") == "terminer":
        end_form = EndAccompanimentForm(request.POST, atd=authority)
        if end_form.is_valid():
            link = end_form.accompaniment
            assert link is not None
            link.ended_on = end_form.cleaned_data["ended_on"]
            link.save(update_fields=["ended_on"])
            _record(
                authority,
                link.authority,
                request.user,
                f"{authority.name} n'accompagne plus {link.authority.name} après le {link.ended_on:%d/%m/%Y}",
            )
            messages.success(
                request, f"L'accompagnement de {link.authority.name} se termine le {link.ended_on:%d/%m/%Y}."
            )
            return redirect("accompagnement", slug=authority.slug)
    elif request.method == "POST":
        add_form = AccompanimentForm(request.POST, atd=authority)
        if add_form.is_valid():
            accompanied = add_form.cleaned_data["authority"]
            started_on = add_form.cleaned_data["started_on"]
            authority.accompanied.create(authority=accompanied, started_on=started_on)
            _record(
                authority,
                accompanied,
                request.user,
                f"{authority.name} accompagne {accompanied.name} à partir du {started_on:%d/%m/%Y}",
            )
            messages.success(
                request, f"{authority.name} accompagne {accompanied.name} à partir du {started_on:%d/%m/%Y}."
            )
            return redirect("accompagnement", slug=authority.slug)
    today = timezone.localdate()
    links = authority.accompanied.select_related("authority")
    current_ids = set(authority.accompanied.current().values_list("authority_id", flat=True))
    candidates = _find_authorities(query, authority) if query else []
    return render(
        request,
        "socle/accompagnement.html",
        {
            "authority": authority,
            "can_manage": can_manage,
            "current": links.current(today).order_by("authority__name"),
            "upcoming": links.filter(started_on__gt=today).order_by("started_on"),
            "past": links.filter(ended_on__lt=today).order_by("-ended_on", "authority__name"),
            "query": query,
            "candidates": [(a, a.pk in current_ids) for a in candidates],
            "add_form": add_form,
            "end_form": end_form,
            "end_for": str(request.POST.get("accompaniment", "")),
            "today": today,
        },
    )
