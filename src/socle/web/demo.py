"""Demo data: a real département acting as ATD, a dozen of its real communes, accounts and datasets.

Names, codes, SIREN and populations come from the COG shipped with Socle. A SIRET is not in the COG:
the demo gives each authority its SIREN followed by the first establishment number (NIC) that makes
a valid SIRET — a plausible number, not the authority's real one.
"""

from __future__ import annotations

from django.db import transaction

from socle.referentials import cog
from socle.schemas.describe import list_schemas
from socle.validation.identifiers import is_siret
from socle.web.accounts.models import Membership, Role, User
from socle.web.datasets.models import Action, AuditEvent, Dataset
from socle.web.territories.models import Accompaniment, Authority, Kind

DEMO_PASSWORD = "socle-demo-2026"
DEPARTEMENT = "35"
COMMUNES = (
    "35238",
    "35288",
    "35115",
    "35047",
    "35051",
    "35066",
    "35024",
    "35055",
    "35076",
    "35131",
    "35177",
    "35352",
)


def demo_siret(siren: str) -> str:
    """SIREN + the first NIC (from 00010) that gives a valid SIRET (one of ten consecutive NICs does,
    the key being a Luhn digit)."""
    for nic in range(10, 30):
        candidate = f"{siren}{nic:05d}"
        if is_siret(candidate):
            return candidate
    raise ValueError(siren)


@transaction.atomic
def load_demo() -> list[str]:
    """Create the demo data if the database holds no authority yet; the logins to print (or [])."""
    if Authority.objects.exists():
        return []
    atd = Authority.from_cog(Kind.DEPARTEMENT, DEPARTEMENT, is_atd=True)
    atd.siret = demo_siret(atd.siren)
    atd.save()
    communes = []
    for code in COMMUNES:
        if cog.commune(code) is None:
            continue
        commune = Authority.from_cog(Kind.COMMUNE, code)
        commune.siret = demo_siret(commune.siren)
        commune.save()
        communes.append(commune)
        Accompaniment.objects.create(atd=atd, authority=commune)
    small = min(communes, key=lambda c: c.population or 0)
    secretaire = User.objects.create_user(
        "secretaire@demo.socle.fr", DEMO_PASSWORD, first_name="Claire", last_name="Secrétaire"
    )
    animateur = User.objects.create_user(
        "animateur@demo.socle.fr", DEMO_PASSWORD, first_name="Alex", last_name="Animateur"
    )
    operateur = User.objects.create_user(
        "operateur@demo.socle.fr", DEMO_PASSWORD, first_name="Odile", last_name="Opératrice", is_operator=True
    )
    Membership.objects.create(user=secretaire, authority=small, role=Role.ADMINISTRATOR)
    Membership.objects.create(user=animateur, authority=atd, role=Role.ADMINISTRATOR)
    latest = {s.name: s.latest for s in list_schemas(scdl_only=True)}
    for authority, name, title in [
        (small, "scdl/subventions", f"Subventions accordées par {small.name}"),
        (small, "scdl/deliberations", f"Délibérations du conseil municipal de {small.name}"),
        (communes[0], "scdl/subventions", f"Subventions de {communes[0].name}"),
    ]:
        version = latest[name] or ""
        dataset = Dataset.objects.create(
            authority=authority,
            slug=name.split("/")[-1],
            schema_name=name,
            schema_version=version,
            title=title,
            description="Jeu de démonstration.",
            created_by=secretaire if authority == small else animateur,
        )
        AuditEvent.record(
            authority, dataset.created_by, Action.CREATED, f"Jeu « {title} » créé", dataset=dataset
        )
    return [
        f"{secretaire.email} ({DEMO_PASSWORD}) — secrétaire de mairie, administratrice de {small.name}",
        f"{animateur.email} ({DEMO_PASSWORD}) — animateur de l'ATD {atd.name} ({len(communes)} communes)",
        f"{operateur.email} ({DEMO_PASSWORD}) — opératrice du programme (voit tout)",
    ]
