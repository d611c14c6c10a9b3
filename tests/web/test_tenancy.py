"""Every page of an authority, requested by people of another authority, answers 404 or 403 and
shows nothing of it; the people who may see it get the page."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponseBase, StreamingHttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

from socle.web.accounts.models import Role
from socle.web.tenancy import compute_access
from tests.web.conftest import World, client_of


def _authority_routes() -> list[str]:
    """The routes of every authority page: patterns under ``c/<slug:slug>/``, as route templates."""
    found: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif "<slug:slug>" in route:
                found.append(route)

    walk(get_resolver().url_patterns, "/")
    return found


ROUTES = _authority_routes()


def _body(response: HttpResponseBase) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    return response.content.decode()  # type: ignore[attr-defined]


def _url(route: str, world: World, authority_slug: str, dataset_slug: str) -> str:
    """The route with its parameters filled: the authority, its dataset, version 1 of it, an import, a
    member and a pending invitation of Chavagne."""
    assert world.run is not None and world.invitation is not None
    values = {"slug": authority_slug, "dataset": dataset_slug, "number": "1", "run": str(world.run.pk)}
    values["member"] = str(world.chavagne.memberships.get(user=world.people["contrib-chavagne"]).pk)
    values["invitation"] = str(world.invitation.pk)
    url = route
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        name = match.group(2)
        assert name in values, f"paramètre {name} inconnu de la matrice : {route}"
        url = url.replace(match.group(0), values[name])
    return url


def test_the_matrix_covers_the_authority_pages() -> None:
    # A new page under c/<slug>/ joins the matrix below by itself; this keeps it from being empty.
    assert len(ROUTES) >= 4
    assert all(route.startswith("/c/<slug:slug>/") for route in ROUTES)


ATD_ONLY = {"/c/<slug:slug>/accompagnement/"}
"""Pages that only an ATD has (404 for any other authority)."""

OUTSIDERS = ["admin-brest", "contrib-brest", "lecteur-brest", "sans-role"]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("route", ROUTES)
def test_people_of_another_authority_get_nothing(world: World, who: str, route: str) -> None:
    client = client_of(world.people[who])
    url = _url(route, world, world.chavagne.slug, world.dataset.slug)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), (who, method, url, response.status_code)
        body = _body(response)
        assert "Chavagne" not in body and world.dataset.title not in body, (who, method, url)


@pytest.mark.parametrize("route", ROUTES)
def test_logged_out_visitors_are_sent_to_the_login_page(world: World, route: str) -> None:
    from django.test import Client

    response = Client().get(_url(route, world, world.chavagne.slug, world.dataset.slug))
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


@pytest.mark.parametrize("route", [r for r in ROUTES if "<slug:dataset>" in r])
def test_a_dataset_of_another_authority_is_not_found_through_ones_own(world: World, route: str) -> None:
    # Brest's administrator asks for Chavagne's dataset slug under Brest's address: the dataset is
    # looked up within the authority of the address only.
    client = client_of(world.people["admin-brest"])
    world.other_dataset.delete()
    response = client.get(_url(route, world, world.brest.slug, world.dataset.slug))
    assert response.status_code == 404
    assert world.dataset.title not in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin-chavagne", 200),
        ("contrib-chavagne", 200),
        ("lecteur-chavagne", 403),
        ("animateur", 200),
        ("lecteur-atd", 403),
        ("operateur", 403),
        ("admin-brest", 404),
    ],
)
def test_creating_a_dataset_needs_a_contributor(world: World, who: str, status: int) -> None:
    response = client_of(world.people[who]).get(f"/c/{world.chavagne.slug}/jeux/nouveau/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "who", ["admin-chavagne", "lecteur-chavagne", "animateur", "lecteur-atd", "operateur"]
)
@pytest.mark.parametrize("route", ROUTES)
def test_people_who_may_see_the_authority_get_its_pages(world: World, who: str, route: str) -> None:
    response = client_of(world.people[who]).get(_url(route, world, world.chavagne.slug, world.dataset.slug))
    if response.status_code == 403:  # a page for a higher role
        return
    if route in ATD_ONLY:  # Chavagne is not an ATD: the page does not exist for it
        assert response.status_code == 404 and "Chavagne" not in _body(response), (who, route)
        return
    assert response.status_code == 200, (who, route)
    if not response["Content-Type"].startswith("application/json"):  # a page shows whose it is
        assert "Chavagne" in _body(response)


def test_an_atd_acts_for_the_authorities_it_accompanies_now(world: World) -> None:
    animateur = world.people["animateur"]
    access = compute_access(animateur.pk)
    assert access.role(world.chavagne) == Role.CONTRIBUTOR and access.role(world.rennes) == Role.CONTRIBUTOR
    assert access.role(world.brest) is None
    # An ATD's administrator does not administer the communes: their members are theirs to choose.
    world.atd.memberships.filter(user=animateur).update(role=Role.ADMINISTRATOR)
    assert compute_access(animateur.pk).role(world.chavagne) == Role.CONTRIBUTOR
    # Once the accompaniment has ended, the commune is out of reach.
    import datetime

    world.chavagne.accompaniments.update(
        started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2021, 1, 1)
    )
    assert compute_access(animateur.pk).role(world.chavagne) is None
    assert client_of(animateur).get(f"/c/{world.chavagne.slug}/").status_code == 404


def test_home_lists_only_ones_authorities(world: World) -> None:
    body = client_of(world.people["animateur"]).get("/").content.decode()
    assert "Ille-et-Vilaine" in body and "Rennes" in body and "Chavagne" in body and "Brest" not in body
    body = client_of(world.people["admin-brest"]).get("/").content.decode()
    assert "Brest" in body and "Chavagne" not in body and "Rennes" not in body
    body = client_of(world.people["operateur"]).get("/").content.decode()
    assert "Brest" in body and "Chavagne" in body
