"""Fixtures of the browser tests: Debian's Chromium driven by Playwright (which never downloads a browser
of its own), Django's live server over the test database, the demo data, and axe-core run inside the pages.

Every browser test is marked ``slow`` and put in the xdist group ``browser`` (``./test`` runs
``pytest --dist loadgroup``), so that one worker runs them all with one Chromium.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from socle.web.demo import DEMO_PASSWORD, load_demo

ROOT = Path(__file__).resolve().parents[3]
WIDTH, HEIGHT = 1280, 720
SECRETAIRE = "secretaire@demo.socle.fr"
ANIMATEUR = "animateur@demo.socle.fr"
OPERATEUR = "operateur@demo.socle.fr"
BLOCKING_IMPACTS = ("serious", "critical")
"""axe-core's impacts that fail a test (the issue asks for 0 serious or critical violations)."""

browser_test = [pytest.mark.slow, pytest.mark.xdist_group("browser")]
"""The marks of every browser test: ``pytestmark = browser_test`` in each module."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Restore ``--dist loadgroup``: pytest 9.2 builds node ids from a structured ``_id``, so the
    ``@group`` suffix that pytest-xdist 3.8 writes into the old ``_nodeid`` is lost and grouped tests
    are spread over the workers (pytest-dev/pytest-xdist#1386, fix pending in #1388). A no-op once
    xdist adds the suffix itself, or on a pytest without ``_id``."""
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodeid import NodeId  # pytest's private module, only in 9.2+
    except ImportError:
        return
    for item in items:
        groups = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if groups and "@" not in item.nodeid.rpartition("]")[2] and hasattr(item, "_id"):
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


def _service(what: str) -> str:
    """The one line that ``scripts/services.sh chromium|axe`` prints (the path, once checked)."""
    result = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), what], capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not result.stdout.strip():
        pytest.fail(
            f"scripts/services.sh {what} a échoué ({result.stderr.strip()}) : "
            "lancez scripts/services.sh install (ou ./test, qui le fait)."
        )
    return result.stdout.strip()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for a module of tests (as root, Playwright adds --no-sandbox).
    Closed after each module: Playwright's asyncio loop must not outlive the browser tests, or the
    tests that the same worker runs next could not run async code (Django's ``async_to_sync``)."""
    chromium = _service("chromium")
    # Playwright's sync API keeps an asyncio loop running in this thread, so Django's guard against
    # database calls from async code would refuse the tests' own queries (fixtures, assertions): the
    # guard is lifted while the browser runs (it only guards async code, which the tests have none of).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium_browser = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield chromium_browser
        chromium_browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core (pinned by scripts/services.sh), followed by its French messages where it has them."""
    path = Path(_service("axe"))
    source = path.read_text(encoding="utf-8")
    french = path.parent / "locales" / "fr.json"
    if french.exists():
        source += f"\naxe.configure({{locale: {french.read_text(encoding='utf-8')}}});\n"
    return source


@pytest.fixture
def site(transactional_db: None, live_server: Any) -> str:
    """The live server's address, its database holding the demo data (authorities, accounts, datasets)."""
    load_demo()
    return str(live_server.url)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Opens pages at 1280×720, each in its own context (its own cookies: one person per page)."""
    contexts: list[BrowserContext] = []

    def open_page() -> Page:
        context = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, locale="fr-FR", timezone_id="Europe/Paris"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


def log_in(page: Page, site: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real login form, as a person would, and land on the home page."""
    page.goto(f"{site}/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{site}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vos collectivités"


@dataclass(frozen=True)
class Violation:
    """One serious or critical finding of axe-core on one page."""

    page: str
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    nodes: int

    def __str__(self) -> str:
        more = f" (+{self.nodes - len(self.targets)})" if self.nodes > len(self.targets) else ""
        return (
            f"- {self.page} : {self.rule} [{self.impact}] {self.help} — {self.nodes} élément(s) : "
            f"{', '.join(self.targets)}{more} — {self.help_url}"
        )


def axe_violations(page: Page, axe_source: str, label: str) -> list[Violation]:
    """Run axe-core in the page; its violations of impact serious or critical."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        nodes = violation.get("nodes", [])
        targets = tuple(" >> ".join(map(str, node["target"])) for node in nodes[:3])
        found.append(
            Violation(
                label,
                violation["id"],
                violation["impact"],
                violation["help"],
                violation.get("helpUrl", ""),
                targets,
                len(nodes),
            )
        )
    return found


MISSING_REFERENCES = """() => {
  const found = [];
  for (const element of document.querySelectorAll('[aria-describedby], [aria-labelledby], [aria-errormessage], label[for]')) {
    for (const attribute of ['aria-describedby', 'aria-labelledby', 'aria-errormessage', 'for']) {
      for (const id of (element.getAttribute(attribute) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) {
          const name = element.id ? '#' + element.id : element.getAttribute('name') ? `[name=${element.getAttribute('name')}]` : '';
          found.push(`${element.tagName.toLowerCase()}${name} ${attribute}=${id}`);
        }
      }
    }
  }
  return found;
}"""
"""What axe-core leaves to review: references to ids missing from the page (a help text or an error
that is never read with its field). Socle's own check, reported with the violations."""


def missing_references(page: Page, label: str) -> list[Violation]:
    missing = page.evaluate(MISSING_REFERENCES)
    if not missing:
        return []
    return [
        Violation(
            label,
            "socle-idref",
            "serious",
            "aria-describedby, aria-labelledby ou for renvoie à un id absent de la page : le texte "
            "lié (aide, erreur, nom) n'est pas lu avec l'élément",
            "https://www.w3.org/TR/wai-aria-1.2/#aria-describedby",
            tuple(missing[:3]),
            len(missing),
        )
    ]


class Audit:
    """Runs axe-core (and :func:`missing_references`) on page after page and gathers the serious or
    critical violations, to fail once with all of them."""

    def __init__(self, axe_source: str) -> None:
        self.axe_source = axe_source
        self.pages: list[str] = []
        self.violations: list[Violation] = []

    def check(self, page: Page, label: str) -> None:
        self.pages.append(label)
        self.violations += axe_violations(page, self.axe_source, label)
        self.violations += missing_references(page, label)

    def message(self) -> str:
        return (
            f"axe-core : {len(self.violations)} violation(s) grave(s) ou critique(s) (serious/critical) "
            f"sur {len(self.pages)} page(s) vérifiée(s) :\n" + "\n".join(str(v) for v in self.violations)
        )

    def assert_clean(self) -> None:
        if self.violations:
            pytest.fail(self.message(), pytrace=False)


@pytest.fixture
def audit(axe_source: str) -> Audit:
    return Audit(axe_source)


@pytest.fixture
def assert_accessible(axe_source: str) -> Callable[[Page, str], None]:
    """``assert_accessible(page, label)``: fails listing every serious or critical axe-core violation
    (rule id, impact, help, the first target selectors, the rule's documentation)."""

    def check(page: Page, label: str) -> None:
        audit = Audit(axe_source)
        audit.check(page, label)
        audit.assert_clean()

    return check


FROM_THE_TOP = """() => {
  const body = document.body;
  body.tabIndex = -1;
  body.focus();
  body.removeAttribute('tabindex');
}"""
"""Puts the keyboard's starting point at the top of the document, as when a page has just opened (and
whatever has autofocus)."""

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const style = getComputedStyle(e), box = e.getBoundingClientRect();
  return {
    tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name') || '',
    text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().split('\\n')[0].slice(0, 60),
    outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
    inWindow: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < innerWidth && box.top < innerHeight,
    box: [box.left, box.top, box.right, box.bottom].map(Math.round),
  };
}"""
"""What has the keyboard focus: tag, id, name, text, outline, its box and whether it is in the window
(at least in part: WCAG 2.4.11, focus not entirely hidden)."""


def tab_through(page: Page, limit: int = 80) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until the focus leaves the document or comes back to the
    first element (at most ``limit`` times); what had the focus each time, repeated stops (the parts
    of a date field) counted once."""
    page.wait_for_load_state()  # the style sheet applied
    page.evaluate(FROM_THE_TOP)
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            break
        if not stops or focused != stops[-1]:
            stops.append(focused)
    return stops


def invisible_focus(stops: list[dict[str, Any]]) -> list[str]:
    """The stops whose focus cannot be seen: no outline, or outside the window."""
    return [
        f"{stop['tag']}{'#' + stop['id'] if stop['id'] else ''} « {stop['text'] or stop['name']} » "
        f"(outline {stop['outline']} {stop['outlineWidth']}px, "
        f"{'dans' if stop['inWindow'] else 'hors de'} la fenêtre : {stop['box']})"
        for stop in stops
        if stop["outline"] == "none" or stop["outlineWidth"] < 2 or not stop["inWindow"]
    ]


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the 1280-pixel window (0: nothing overflows)."""
    return max(0, int(page.evaluate("document.documentElement.scrollWidth")) - WIDTH)


def assert_fits(page: Page, label: str) -> None:
    wider = overflow(page)
    assert wider == 0, f"« {label} » déborde de {wider} px à droite à 1280×720 ({page.url})"
