"""What people do on the platform, in a real browser at 1280×720: a secrétaire de mairie creates a
dataset, the ATD animator who accompanies her commune sees it and its history.

The issue's whole journey (rows entered with one mistake, an import, a frozen version) will extend this
one as those pages land.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from socle.web.accounts.models import Membership
from tests.web.browser.conftest import ANIMATEUR, SECRETAIRE, assert_fits, browser_test, log_in

pytestmark = browser_test

TITLE = "Délibérations du conseil municipal 2026"


def test_a_secretaire_creates_a_dataset_and_the_atd_animator_sees_it_in_the_trail(
    site: str, new_page: Callable[[], Page]
) -> None:
    commune = Membership.objects.get(user__email=SECRETAIRE).authority

    page = new_page()
    log_in(page, site, SECRETAIRE)
    assert_fits(page, "Accueil de la secrétaire")
    page.get_by_role("link", name=commune.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(commune.name)
    assert_fits(page, "Page de la commune")

    page.get_by_role("link", name="Créer un jeu de données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un jeu de données")
    assert_fits(page, "Nouveau jeu de données")
    # The search box narrows the list of schemas (accents and case ignored) and says how many remain.
    page.get_by_role("searchbox", name="Chercher un schéma").fill("DELIBERATIONS")
    expect(page.locator("#recherche-schema-etat")).to_contain_text("trouvé")
    schema = page.get_by_role("combobox", name="Schéma")
    expect(schema.locator("option:not([hidden])").first).to_have_attribute(
        "value", re.compile("deliberations")
    )
    deliberations = schema.locator("option[value^='scdl/deliberations@']")
    schema.select_option(deliberations.get_attribute("value"))
    page.get_by_label("Description").fill("Les délibérations adoptées par le conseil municipal.")
    page.get_by_role("button", name="Créer le jeu").click()

    # The title was forgotten: the form comes back with a French message next to the field, the
    # field marked invalid, and what was typed kept; the page's title and a summary say so, and the
    # summary leads to the field.
    expect(page).to_have_title("Erreur : Nouveau jeu de données — " + commune.name + " — Socle")
    summary = page.get_by_role("alert").filter(has_text="Le jeu n'est pas encore créé")
    expect(summary).to_contain_text("Titre : Ce champ est obligatoire.")
    summary.get_by_role("link", name="Titre").click()
    title = page.get_by_label("Titre")
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description("Ce champ est obligatoire.")
    expect(page.get_by_label("Mots-clés")).to_have_accessible_description(
        re.compile("Séparés par des virgules")
    )
    expect(page.locator(".champ.en-erreur .erreur")).to_have_text("Ce champ est obligatoire.")
    expect(schema).to_have_value(deliberations.get_attribute("value") or "")
    expect(page.get_by_label("Description")).to_have_value(
        "Les délibérations adoptées par le conseil municipal."
    )
    assert_fits(page, "Nouveau jeu de données, avec ses erreurs")

    title.fill(TITLE)
    page.get_by_role("button", name="Créer le jeu").click()
    # The browser keeps the #id_title of the summary's link through the redirection.
    page.wait_for_url(re.compile(rf"{re.escape(site)}/c/{commune.slug}/jeux/[\w-]+/(#.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Schéma scdl/deliberations")).to_be_visible()
    assert_fits(page, "Page du jeu créé")
    dataset_url = page.url.partition("#")[0]

    # The animator of the ATD that accompanies the commune finds it among the authorities they act for.
    page = new_page()
    log_in(page, site, ANIMATEUR)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=commune.name, exact=True))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text("contributeur")
    assert_fits(page, "Accueil de l'animateur")
    row.get_by_role("link", name=commune.name, exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    assert page.url == dataset_url
    latest = page.get_by_role("heading", name="Dernières modifications").locator(
        "xpath=following-sibling::*[1]"
    )
    expect(latest).to_contain_text(f"Jeu « {TITLE} » créé")
    assert_fits(page, "Page du jeu, vue par l'animateur")

    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name=commune.name).click()
    page.get_by_role("link", name="Journal des modifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des modifications")
    creation = page.get_by_role("row").filter(has_text=f"Jeu « {TITLE} » créé")
    expect(creation).to_have_count(1)
    expect(creation).to_contain_text("Claire Secrétaire")
    assert_fits(page, "Journal des modifications")
