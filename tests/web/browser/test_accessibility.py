"""Every page a person can reach passes axe-core with no serious or critical violation at 1280×720,
answers no error and is no wider than the window; the pages are usable from the keyboard (Tab order,
visible focus, the skip link) and reflow at 200 % zoom.

The pages of signed-in people are found by crawling: from the home page, as each demo person, every
same-site link is followed (GET only; logging out is a form, never followed), within a bound per route
and in all, so that pages added later are checked as soon as a link leads to them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from socle.web.accounts.models import Invitation, Membership, Role, User
from socle.web.datasets.models import DraftRow, Version
from socle.web.territories.models import Authority
from tests.web.browser.conftest import (
    ANIMATEUR,
    FOCUSED,
    FROM_THE_TOP,
    OPERATEUR,
    SECRETAIRE,
    Audit,
    browser_test,
    invisible_focus,
    log_in,
    overflow,
    tab_through,
)

pytestmark = browser_test

MAX_VISITS = 150
"""Pages visited per person at most (a bound, not a target: the demo has far fewer)."""
VISITS_PER_ROUTE = 20
"""Pages visited per route (URL name and query keys): enough to go through every demo authority and
find its datasets."""
VISITS_PER_QUERY_ROUTE = 1
"""Pages visited per route with a query string: another sort, filter or page of the same page shows
the same template and the same links (not every column's sort of a grid)."""
CHECKS_PER_ROUTE = 2
"""Pages checked by axe-core per route: the same template for another authority or dataset adds
little but time."""
NEVER_FOLLOWED = ("/deconnexion/", "/static/")


def route_of(url: str) -> str:
    """The route of a URL, to bound how many pages of one kind are checked."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
        name = match.view_name or match.route
    except Resolver404:
        name = parts.path
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{name}?{'&'.join(keys)}" if keys else name


@dataclass
class Crawl:
    routes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def crawl(page: Page, site: str, audit: Audit) -> Crawl:
    """Visit every page reachable by links from the home page (breadth first, bounded): the first ones
    of each route go through axe-core, the first one is also gone through with Tab (focus visible),
    and none may overflow the window or answer an error."""
    found = Crawl()
    queued = Counter[str]()
    seen = {f"{site}/"}
    queue = deque([f"{site}/"])
    visits = 0
    while queue and visits < MAX_VISITS:
        url = queue.popleft()
        visits += 1
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a file (a version's CSV): not a page
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        path = page.url.removeprefix(site)
        route = route_of(page.url)
        found.routes[route] += 1
        if response.status >= 400:
            found.problems.append(f"- {path} : HTTP {response.status}, lien suivi depuis une page du site")
        if found.routes[route] <= CHECKS_PER_ROUTE:
            audit.check(page, f"« {page.title()} » ({path})")
        if found.routes[route] == 1:
            found.problems += [
                f"- {path} : focus invisible sur {what}" for what in invisible_focus(tab_through(page))
            ]
        if wider := overflow(page):
            found.problems.append(f"- {path} : déborde de {wider} px à droite à 1280×720")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urldefrag(href)[0]
            if not link.startswith(f"{site}/") or any(part in link for part in NEVER_FOLLOWED):
                continue
            if link in seen:
                continue
            seen.add(link)
            route = route_of(link)
            if queued[route] < (VISITS_PER_QUERY_ROUTE if "?" in route else VISITS_PER_ROUTE):
                queued[route] += 1
                queue.append(link)
    return found


@pytest.fixture
def worked_demo(site: str) -> str:
    """The demo, with rows in the secrétaire's drafts (one of them to correct) and two versions of her
    subventions, so that the pages of rows and versions have something to show."""
    commune = Membership.objects.get(user__email=SECRETAIRE).authority
    for dataset in commune.datasets.all():
        for position, cells in enumerate(
            [
                {"nomAttribuant": commune.name, "objet": "Fête de la musique", "montant": "1200"},
                {"nomAttribuant": commune.name, "objet": "Club de football", "montant": "douze cents"},
            ],
            start=1,
        ):
            DraftRow.objects.create(dataset=dataset, position=position, cells=cells, errors=position - 1)
    subventions = commune.datasets.get(slug="subventions")
    for number in (1, 2):
        content = f"nomAttribuant,objet,montant\n{commune.name},Fête de la musique,{1000 + number}\n".encode()
        Version.objects.create(
            dataset=subventions,
            number=number,
            file=ContentFile(content, name=f"v{number}.csv"),
            rows=1,
            sha256=hashlib.sha256(content).hexdigest(),
        )
    return site


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (SECRETAIRE, {"accueil", "collectivite", "journal", "jeu-nouveau", "jeu"}),
        (ANIMATEUR, {"accueil", "collectivite", "journal", "jeu-nouveau", "jeu"}),
        (OPERATEUR, {"accueil", "collectivite", "journal", "jeu"}),
    ],
    ids=["secretaire", "animateur", "operateur"],
)
def test_every_page_reached_by_links_is_accessible(
    worked_demo: str, page: Page, audit: Audit, email: str, expected: set[str]
) -> None:
    site = worked_demo
    log_in(page, site, email)
    found = crawl(page, site, audit)
    reached = {route.partition("?")[0] for route in found.routes}
    assert expected <= reached, f"pages jamais atteintes : {sorted(expected - reached)}"
    checked = "\n".join(
        f"  {route} : {count} visitée(s), {min(count, CHECKS_PER_ROUTE)} vérifiée(s)"
        for route, count in sorted(found.routes.items())
    )
    if found.problems or audit.violations:
        problems = "\n".join(found.problems)
        pytest.fail(f"{problems}\n{audit.message()}\nPages vérifiées, par route :\n{checked}", pytrace=False)


def test_pages_of_a_visitor_are_accessible(site: str, page: Page, audit: Audit) -> None:
    page.goto(f"{site}/connexion/")
    audit.check(page, "Connexion")
    page.get_by_label("Adresse électronique").fill(SECRETAIRE)
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Adresse électronique ou mot de passe incorrect.").wait_for()
    audit.check(page, "Connexion refusée")

    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_role("heading", name="Mot de passe oublié").wait_for()
    audit.check(page, "Mot de passe oublié")
    page.get_by_role("button", name="Recevoir le lien").click()
    page.get_by_text("Ce champ est obligatoire.").wait_for()
    audit.check(page, "Mot de passe oublié, adresse manquante")
    page.get_by_label("Courriel").fill(SECRETAIRE)
    page.get_by_role("button", name="Recevoir le lien").click()
    page.get_by_role("heading", name="Courriel envoyé").wait_for()
    audit.check(page, "Courriel envoyé")

    user = User.objects.get(email=SECRETAIRE)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    page.goto(f"{site}/mot-de-passe/nouveau/{uid}/{default_token_generator.make_token(user)}/")
    page.get_by_role("button", name="Enregistrer").wait_for()
    # The password rules (a list) are read with the field.
    expect(page.get_by_label("Nouveau mot de passe", exact=False).first).to_have_accessible_description(
        re.compile("au minimum 10 caractères")
    )
    audit.check(page, "Nouveau mot de passe")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Ce champ est obligatoire.").first.wait_for()
    audit.check(page, "Nouveau mot de passe, champs manquants")
    page.goto(f"{site}/mot-de-passe/nouveau/{uid}/lien-perime/")
    page.get_by_text("Ce lien n'est plus valable.").wait_for()
    audit.check(page, "Lien de nouveau mot de passe périmé")
    page.goto(f"{site}/mot-de-passe/change/")
    audit.check(page, "Mot de passe changé")

    commune = Membership.objects.get(user=user).authority
    _, token = Invitation.issue(commune, "nouvelle@exemple.fr", Role.CONTRIBUTOR, invited_by=user)
    page.goto(f"{site}/invitation/{token}/")
    audit.check(page, "Invitation")
    page.get_by_role("button", name="Accepter l'invitation").click()
    page.get_by_text("Ce champ est obligatoire.").first.wait_for()
    audit.check(page, "Invitation, champs manquants")
    page.goto(f"{site}/invitation/pas-un-jeton/")
    audit.check(page, "Invitation invalide")

    assert page.goto(f"{site}/nulle-part/").status == 404  # type: ignore[union-attr]
    audit.check(page, "Page introuvable (visiteur)")
    audit.assert_clean()


def test_pages_of_signed_in_people_are_accessible(
    site: str, new_page: Callable[[], Page], audit: Audit
) -> None:
    page = new_page()
    log_in(page, site, SECRETAIRE)
    audit.check(page, "Accueil (secrétaire)")
    commune = Membership.objects.get(user__email=SECRETAIRE).authority
    page.get_by_role("link", name=commune.name).click()
    audit.check(page, "Collectivité (secrétaire)")
    page.get_by_role("link", name="Créer un jeu de données").click()
    audit.check(page, "Nouveau jeu de données")
    page.get_by_role("button", name="Créer le jeu").click()
    page.get_by_text("Ce champ est obligatoire.").first.wait_for()
    audit.check(page, "Nouveau jeu de données, erreurs affichées")
    page.goto(f"{site}/c/{commune.slug}/journal/")
    audit.check(page, "Journal des modifications")
    page.goto(f"{site}/c/{commune.slug}/jeux/{commune.datasets.order_by('slug')[0].slug}/")
    audit.check(page, "Jeu de données")
    assert page.goto(f"{site}/c/{commune.slug}/jeux/nulle-part/").status == 404  # type: ignore[union-attr]
    audit.check(page, "Page introuvable (connecté)")

    page = new_page()
    log_in(page, site, ANIMATEUR)
    audit.check(page, "Accueil (animateur)")

    page = new_page()
    log_in(page, site, OPERATEUR)
    audit.check(page, "Accueil (opératrice)")
    other = Authority.objects.filter(is_atd=False).order_by("name")[0]
    response = page.goto(f"{site}/c/{other.slug}/jeux/nouveau/")  # an operator only reads
    assert response is not None and response.status == 403
    page.get_by_role("heading", name="Accès refusé").wait_for()
    audit.check(page, "Accès refusé")
    audit.assert_clean()


def test_the_login_form_is_usable_from_the_keyboard(site: str, page: Page) -> None:
    page.goto(f"{site}/connexion/")
    stops = tab_through(page)
    expected = [
        ("a", "Aller au contenu"),
        ("a", "Socle"),
        ("input", "username"),
        ("input", "password"),
        ("button", "Se connecter"),
        ("a", "Mot de passe oublié ?"),
    ]
    reached = [(stop["tag"], stop["name"] or stop["text"]) for stop in stops]
    assert len(reached) == len(expected) and all(
        tag == stop_tag and what in stop_what
        for (tag, what), (stop_tag, stop_what) in zip(expected, reached, strict=True)
    ), f"Ordre des tabulations : attendu {expected}, obtenu {reached}"
    assert not invisible_focus(stops), f"Focus invisible : {invisible_focus(stops)}"

    # The skip link leads to the content: the next Tab reaches the first field, past the banner.
    page.evaluate(FROM_THE_TOP)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "username"


def test_the_pages_of_an_authority_are_usable_from_the_keyboard(site: str, page: Page) -> None:
    """On each page, every element reached by Tab shows its focus, inside the window, in the order of
    the page."""
    log_in(page, site, SECRETAIRE)
    commune = Membership.objects.get(user__email=SECRETAIRE).authority
    pages = {
        "Accueil": "/",
        "Collectivité": f"/c/{commune.slug}/",
        "Journal": f"/c/{commune.slug}/journal/",
        "Jeu de données": f"/c/{commune.slug}/jeux/subventions/",
        "Nouveau jeu de données": f"/c/{commune.slug}/jeux/nouveau/",
    }
    problems = []
    for label, path in pages.items():
        page.goto(f"{site}{path}")
        stops = tab_through(page)
        in_order = page.evaluate(TABBABLE_IN_ORDER)
        reached = [stop["id"] or stop["name"] or stop["text"] for stop in stops]
        if reached != in_order:
            problems.append(f"{label} : Tab suit {reached}, la page est dans l'ordre {in_order}")
        problems += [f"{label} : focus invisible sur {what}" for what in invisible_focus(stops)]
    page.get_by_role("button", name="Créer le jeu").click()
    page.get_by_role("alert").filter(has_text="Le jeu n'est pas encore créé").wait_for()
    stops = tab_through(page)
    problems += [f"Nouveau jeu, erreurs : focus invisible sur {what}" for what in invisible_focus(stops)]
    assert not problems, "\n".join(problems)


TABBABLE_IN_ORDER = """() => [...document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), '
    + 'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])')]
  .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
  .map(e => e.id || e.getAttribute('name')
       || (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().split('\\n')[0].slice(0, 60))"""
"""The elements Tab should reach, in the order of the document (no positive tabindex reorders them)."""


def test_the_pages_of_an_authority_reflow_at_200_percent_zoom(site: str, page: Page) -> None:
    """1280×720 zoomed to 200 % is a 640×360 window: nothing may need a horizontal scroll (WCAG 1.4.10)."""
    page.set_viewport_size({"width": 640, "height": 360})
    page.goto(f"{site}/connexion/")
    wide = [] if page.evaluate("document.documentElement.scrollWidth") <= 640 else ["Connexion"]
    log_in(page, site, SECRETAIRE)
    commune = Membership.objects.get(user__email=SECRETAIRE).authority
    for path in (
        "/",
        f"/c/{commune.slug}/",
        f"/c/{commune.slug}/journal/",
        f"/c/{commune.slug}/jeux/subventions/",
        f"/c/{commune.slug}/jeux/nouveau/",
    ):
        page.goto(f"{site}{path}")
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 640:
            wide.append(f"{path} ({width} px)")
    assert not wide, f"Pages plus larges que 640 px (1280×720 à 200 %) : {wide}"


def test_a_message_appearing_above_keeps_the_focused_field_in_the_window(site: str, page: Page) -> None:
    """The live check writes a message above the field being typed in: the field, pushed down, is
    scrolled back into the window so that the keyboard's focus stays visible."""
    log_in(page, site, SECRETAIRE)
    commune = Membership.objects.get(user__email=SECRETAIRE).authority
    page.goto(f"{site}/c/{commune.slug}/jeux/subventions/saisie/")
    last = page.locator('[data-champ="pourcentageSubvention"]')
    last.focus()
    # The focused field at the very bottom of the window, as when one tabs down a long form.
    page.evaluate(
        """(e) => window.scrollBy(0, e.getBoundingClientRect().bottom - innerHeight + 2)""",
        last.element_handle(),
    )
    # A mistake in the field just above it (in the window), judged while the focus stays put.
    page.evaluate(
        """() => { const d = document.querySelector('[data-champ="datesPeriodeVersement"]');
                   d.value = 'hier'; d.dispatchEvent(new Event('change', {bubbles: true})); }"""
    )
    date = page.locator('[data-champ="datesPeriodeVersement"]')
    expect(date).to_have_attribute("aria-invalid", "true")
    focused = page.evaluate(FOCUSED)
    assert focused["name"] == "pourcentageSubvention" and focused["inWindow"], focused
