"""What people do on the platform, in a real browser at 1280×720: a secrétaire de mairie creates a
dataset, the ATD animator who accompanies her commune sees it and its history; then the issue's whole
journey: a subventions dataset, three rows entered by form with one mistake fixed, a real corpus file
imported with its fixes accepted, a frozen version, and the animator reading all of it in the trail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import Locator, Page, expect

from socle.web.accounts.models import Membership
from socle.web.datasets.models import Dataset
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


# --- The whole journey: form entry, an import, a version ------------------------------------------

SUBVENTIONS = "Subventions aux associations 2026"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
LOT = CORPUS / "scdl" / "subventions" / "real-2018" / "DEP_Lot_Subventions_2017_DONNEES.xlsx_pour_exemple.csv"
"""13 subventions of the Département du Lot (and 21 blank lines), in Windows-1252 with ``;``: French
amounts (« 40 000,00 ») and date ranges that Socle fixes with certainty, 36 errors as the file is and
none once fixed (docs/import-corpus.md)."""
LOT_ROWS = 13

ROWS = [
    {
        "dateConvention": "2026-03-02",
        "nomBeneficiaire": "Comité des fêtes",
        "rnaBeneficiaire": "W351234567",
        "objet": "Fête de la musique",
        "montant": "1500",
        "nature": "aide en numéraire",
        "conditionsVersement": "unique",
        "datesPeriodeVersement": "2026-04-01",
        "pourcentageSubvention": "1",
    },
    {
        "dateConvention": "2026-03-16",
        "nomBeneficiaire": "Club de football",
        "rnaBeneficiaire": "W351234568",
        "objet": "Achat de maillots",
        "montant": "douze euros",  # the mistake: fixed to 12 once the message is read
        "nature": "aide en numéraire",
        "conditionsVersement": "unique",
        "datesPeriodeVersement": "2026-04-15",
        "pourcentageSubvention": "0.5",
    },
    {
        "dateConvention": "2026-04-07",
        "nomBeneficiaire": "Bibliothèque pour tous",
        "rnaBeneficiaire": "W351234569",
        "objet": "Fonds de livres pour la jeunesse",
        "montant": "300",
        "nature": "aide en numéraire",
        "conditionsVersement": "unique",
        "datesPeriodeVersement": "2026-05-01",
        "pourcentageSubvention": "1",
    },
]


ONE_FETCH_AT_A_TIME = """(() => {
  const send = window.fetch.bind(window);
  const state = { queued: 0, running: 0, held: null, release: null };
  let queue = Promise.resolve();
  state.hold = () => { state.held = new Promise((resolve) => { state.release = resolve; }); };
  state.go = () => { if (state.release) { state.release(); } state.held = null; };
  window.__requests = state;
  window.fetch = (...args) => {
    state.queued++;
    const run = queue.then(() => state.held).then(() => {
      state.running++;
      return send(...args).finally(() => { state.running--; });
    });
    queue = run.catch(() => {});
    return run.finally(() => { state.queued--; });
  };
})();"""
"""The pages' own requests (the live check of a field, the import's progress) sent one at a time, and
held while the test's thread runs the jobs. With SQLite in memory, the live server's threads and the
test's share one connection, which two queries at once break (« bad parameter or other API misuse »,
then a lost session): a constraint of the test database, not of the platform (PostgreSQL, or SQLite on
a file, gives each thread its own connection)."""


def settle(page: Page) -> None:
    """Wait until the page has no request of its own on its way (before the next navigation)."""
    page.wait_for_function("window.__requests.queued === 0")


def run_jobs(page: Page) -> None:
    """Run the background jobs waiting in the database queue (analysis, import), as the platform's
    worker does, in the test's thread; the page's progress requests wait meanwhile, then resume and
    see the job's end."""
    page.evaluate("window.__requests.hold()")
    page.wait_for_function("window.__requests.running === 0")
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        page.evaluate("window.__requests.go()")


def field(page: Page, name: str) -> Locator:
    """A field of the entry form by its label, which ends with the schema's name of the field."""
    return page.get_by_label(re.compile(rf"\({re.escape(name)}\)"))


def enter_row(page: Page, cells: dict[str, str]) -> None:
    """Type a row as a person does: each box in turn, the lists chosen by their visible text."""
    for name, value in cells.items():
        box = field(page, name)
        if name == "nature":
            box.select_option(label=value)
        else:
            box.fill(value)
    # notificationUE: « non », whatever the boolean's spelling in the schema.
    notification = field(page, "notificationUE")
    no = notification.locator("option").filter(has_text=re.compile(r"\bnon\b")).first
    notification.select_option(no.get_attribute("value"))


def test_a_secretaire_enters_imports_and_freezes_subventions_and_the_animator_reads_the_trail(
    site: str, new_page: Callable[[], Page], assert_accessible: Callable[[Page, str], None]
) -> None:
    commune = Membership.objects.get(user__email=SECRETAIRE).authority

    # 1. The secrétaire creates a subventions dataset.
    page = new_page()
    page.add_init_script(ONE_FETCH_AT_A_TIME)
    log_in(page, site, SECRETAIRE)
    page.get_by_role("link", name=commune.name).click()
    page.get_by_role("link", name="Créer un jeu de données").click()
    page.get_by_role("searchbox", name="Chercher un schéma").fill("subventions")
    expect(page.locator("#recherche-schema-etat")).to_contain_text("trouvé")
    schema = page.get_by_role("combobox", name="Schéma")
    subventions = schema.locator("option[value^='scdl/subventions@']")
    expect(page.locator("#recherche-schema-etat")).to_contain_text("1 schéma trouvé")
    expect(subventions).not_to_have_attribute("hidden", re.compile(".*"))
    schema.select_option(subventions.get_attribute("value"))
    page.get_by_label("Titre").fill(SUBVENTIONS)
    page.get_by_role("button", name="Créer le jeu").click()
    page.wait_for_url(re.compile(rf"{re.escape(site)}/c/{commune.slug}/jeux/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBVENTIONS)
    expect(page.get_by_text("Schéma scdl/subventions")).to_be_visible()
    dataset_url = page.url
    dataset = Dataset.objects.get(authority=commune, title=SUBVENTIONS)

    # 2. Three rows by form; the identity of the commune is already there.
    page.get_by_role("link", name="Ajouter une ligne par formulaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ajouter une ligne (ligne 1)")
    expect(field(page, "nomAttribuant")).to_have_value(commune.name)
    expect(field(page, "idAttribuant")).to_have_value(commune.siret)
    assert_fits(page, "Saisie d'une ligne")
    for number, cells in enumerate(ROWS, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Ajouter une ligne (ligne {number})")
        enter_row(page, cells)
        if cells["montant"] == "douze euros":
            # Leaving the field, the engine's French message appears next to it at once.
            montant = field(page, "montant")
            montant.focus()
            page.keyboard.press("Tab")
            expect(montant).to_have_attribute("aria-invalid", "true")
            error = page.locator(f"#{montant.get_attribute('id')}-erreur")
            expect(error).to_contain_text("n'est pas un nombre")
            expect(montant).to_have_accessible_description(re.compile("n'est pas un nombre"))
            assert_accessible(page, "Saisie, avec une erreur sur le montant")
            assert_fits(page, "Saisie, avec une erreur sur le montant")
            montant.fill("12")
            page.keyboard.press("Tab")
            expect(error).to_have_text("")
            expect(montant).not_to_have_attribute("aria-invalid", "true")
        settle(page)
        page.get_by_role("button", name="Ajouter la ligne").click()
        expect(page.get_by_text(f"Ligne {number} ajoutée.")).to_be_visible()
        ending = "ligne" if number == 1 else "lignes"
        expect(page.locator("#completion")).to_have_text(f"{number} {ending}, aucune à corriger")
    expect(page.locator("#completion")).to_have_text("3 lignes, aucune à corriger")
    assert dataset.draft_rows.count() == 3
    assert dataset.draft_rows.get(position=2).cells["montant"] == "12"

    # 3. She imports a real file, adding its rows after hers.
    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name=SUBVENTIONS).click()
    page.get_by_role("link", name="Importer un fichier (CSV, tableur) dans le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un fichier")
    page.get_by_label(re.compile("^Fichier")).set_input_files(LOT)
    page.get_by_role("radio", name="Ajouter les lignes du fichier à la suite").check()
    page.get_by_role("button", name="Analyser le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Import de « {LOT.name} »")
    expect(page.get_by_role("progressbar")).to_be_visible()
    run_jobs(page)  # the analysis; the page, which polls, then shows the mapping screen
    expect(page.get_by_role("heading", name="Colonnes du fichier")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(f"{LOT_ROWS} lignes de données")).to_contain_text(
        "erreurs : 36 telles quelles, 0 après les corrections proposées"
    )
    expect(page.get_by_label(re.compile("« montant »"))).to_have_value("montant")
    rules = page.get_by_role("checkbox")
    expect(rules.first).to_be_visible()
    for rule in rules.all():
        expect(rule).to_be_checked()  # every proposed fix accepted
    expect(page.get_by_text("« 40 000,00 » → « 40000.00 »")).to_be_visible()
    assert_accessible(page, "Import : correspondance des colonnes et corrections")
    assert_fits(page, "Import : correspondance des colonnes et corrections")
    page.get_by_role("button", name="Importer dans le brouillon").click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    run_jobs(page)  # the import itself
    done = page.get_by_role("status").filter(has_text="Import terminé")
    expect(done).to_contain_text(f"{LOT_ROWS} lignes ajoutées au brouillon", timeout=30_000)
    expect(done).to_contain_text("0 ligne à corriger")  # not « 0 lignes » (Django's pluralize)
    page.get_by_role("link", name="Voir le jeu de données").click()
    total = 3 + LOT_ROWS
    expect(page.locator(".completion")).to_have_text(f"{total} lignes, aucune à corriger")
    assert dataset.draft_rows.count() == total

    # 4. She freezes version 1.
    page.get_by_role("link", name="Valider une version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Valider la version 1 de « {SUBVENTIONS} »")
    expect(page.get_by_text(f"Le brouillon compte {total} lignes et 0 erreur")).to_be_visible()
    page.get_by_role("button", name="Valider la version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Version 1 de « {SUBVENTIONS} »")
    facts = page.locator("dl.fiche")
    expect(facts.locator("dt:text-is('Lignes') + dd")).to_have_text(str(total))
    expect(facts).to_contain_text("aucune : la version est conforme au schéma")
    assert_accessible(page, "Version 1")
    assert_fits(page, "Version 1")

    # 5. The ATD animator finds the commune, the dataset, its version and its history.
    page = new_page()
    log_in(page, site, ANIMATEUR)
    page.get_by_role("link", name=commune.name, exact=True).click()
    page.get_by_role("link", name=SUBVENTIONS).click()
    assert page.url == dataset_url
    version = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Version 1"))
    expect(version).to_contain_text(f"{total} lignes, sans erreur")
    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name=commune.name).click()
    page.get_by_role("link", name="Journal des modifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des modifications")
    trail = page.get_by_role("row")
    for text in (
        "Ligne 1 ajoutée",
        "Ligne 2 ajoutée",
        "Ligne 3 ajoutée",
        f"Fichier « {LOT.name} » importé : {LOT_ROWS} ligne(s)",
        f"Version 1 de « {SUBVENTIONS} » validée : {total} lignes",
    ):
        entry = trail.filter(has_text=text)
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text("Claire Secrétaire")
    assert_fits(page, "Journal des modifications, vu par l'animateur")
