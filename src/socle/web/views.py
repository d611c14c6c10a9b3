"""Site-wide pages: home (the authorities one may act for), health check, error pages in French."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socle.web.tenancy import access_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    authorities = access.authorities().annotate(dataset_count=Count("datasets")).order_by("-is_atd", "name")
    rows = [(a, access.role(a)) for a in authorities[:500]]
    return render(request, "socle/accueil.html", {"rows": rows, "total": authorities.count()})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise (for monitoring and the tests)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "base de données injoignable"}, status=503)
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "socle/erreur.html", {"title": title, "text": text}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Requête incorrecte", "La page demandée n'a pas pu être comprise.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    text = (
        str(exception)
        if exception and str(exception)
        else "Vous n'avez pas le rôle nécessaire pour cette page."
    )
    return _error(request, 403, "Accès refusé", text)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page introuvable",
        "Cette page n'existe pas, ou vous n'y avez pas accès avec ce compte.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "socle/erreur.html",
        {
            "title": "Erreur du serveur",
            "text": "Une erreur inattendue s'est produite ; elle a été enregistrée.",
        },
        status=500,
    )
