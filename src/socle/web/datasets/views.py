"""Pages of one authority: its datasets, its audit trail, a dataset's page. Every view is an
:func:`~socle.web.tenancy.authority_view`; every query starts from the authority."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from socle.web.accounts.models import Role
from socle.web.datasets import draft
from socle.web.datasets.forms import DatasetForm
from socle.web.datasets.models import Action, AuditEvent
from socle.web.tenancy import access_of, authority_view
from socle.web.territories.models import Authority


@authority_view(Role.READER)
def authority_home(request: HttpRequest, authority: Authority) -> HttpResponse:
    access = access_of(request)
    datasets = authority.datasets.order_by("title")
    accompanied = authority.accompanied.current().select_related("authority") if authority.is_atd else []
    return render(
        request,
        "socle/collectivite.html",
        {
            "authority": authority,
            "datasets": datasets,
            "role": access.role(authority),
            "can_edit": access.can(authority, Role.CONTRIBUTOR),
            "accompanied": accompanied,
        },
    )


@authority_view(Role.READER)
def audit(request: HttpRequest, authority: Authority) -> HttpResponse:
    events = authority.audit_events.select_related("user", "dataset")[:200]
    return render(request, "socle/journal.html", {"authority": authority, "events": events})


@authority_view(Role.CONTRIBUTOR)
def create_dataset(request: HttpRequest, authority: Authority) -> HttpResponse:
    form = DatasetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name, _, version = form.cleaned_data["schema"].partition("@")
        dataset = form.save(commit=False)
        dataset.authority = authority
        dataset.schema_name, dataset.schema_version = name, version
        dataset.keywords = form.cleaned_data["keywords"]
        dataset.created_by = request.user if request.user.is_authenticated else None
        base = slugify(dataset.title)[:70] or "jeu"
        for attempt in range(1, 100):
            dataset.slug = base if attempt == 1 else f"{base}-{attempt}"
            try:
                with transaction.atomic():
                    dataset.save()
                break
            except IntegrityError:
                dataset.pk = None
                continue
        AuditEvent.record(
            authority, request.user, Action.CREATED, f"Jeu « {dataset.title} » créé", dataset=dataset
        )
        return redirect("jeu", slug=authority.slug, dataset=dataset.slug)
    return render(request, "socle/jeu_nouveau.html", {"authority": authority, "form": form})


@authority_view(Role.READER)
def dataset_home(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    found = get_object_or_404(authority.datasets, slug=dataset)
    return render(
        request,
        "socle/jeu.html",
        {
            "authority": authority,
            "dataset": found,
            "versions": found.versions.defer("report")[:20],
            "rows": found.draft_rows.count(),
            "completion": draft.completion(found),
            "events": found.audit_events.select_related("user")[:20],
            "can_edit": access_of(request).can(authority, Role.CONTRIBUTOR),
        },
    )
