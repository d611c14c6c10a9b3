"""Fixtures of the web tests: a département acting as ATD, communes it accompanies or not, people."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from socle.web.accounts.models import Invitation, Membership, Role, User
from socle.web.datasets.models import Dataset, ImportRun, Version
from socle.web.demo import demo_siret
from socle.web.territories.models import Accompaniment, Authority, Kind

PASSWORD = "un mot de passe sûr 2026"


@dataclass
class World:
    atd: Authority
    rennes: Authority  # accompanied by the ATD
    chavagne: Authority  # accompanied by the ATD
    brest: Authority  # elsewhere, not accompanied
    dataset: Dataset  # Chavagne's
    other_dataset: Dataset  # Brest's
    people: dict[str, User]
    run: ImportRun | None = None  # an import into Chavagne's dataset
    invitation: Invitation | None = None  # a pending invitation to Chavagne


def _authority(kind: str, code: str, *, is_atd: bool = False) -> Authority:
    authority = Authority.from_cog(kind, code, is_atd=is_atd)
    authority.siret = demo_siret(authority.siren)
    authority.save()
    return authority


def person(email: str, *, operator: bool = False) -> User:
    return User.objects.create_user(email, PASSWORD, is_operator=operator)


@pytest.fixture
def world(db: None) -> World:
    atd = _authority(Kind.DEPARTEMENT, "35", is_atd=True)
    rennes = _authority(Kind.COMMUNE, "35238")
    chavagne = _authority(Kind.COMMUNE, "35076")
    brest = _authority(Kind.COMMUNE, "29019")
    Accompaniment.objects.create(atd=atd, authority=rennes)
    Accompaniment.objects.create(atd=atd, authority=chavagne)
    people = {}
    for name, authority, role in [
        ("admin-chavagne", chavagne, Role.ADMINISTRATOR),
        ("contrib-chavagne", chavagne, Role.CONTRIBUTOR),
        ("lecteur-chavagne", chavagne, Role.READER),
        ("admin-brest", brest, Role.ADMINISTRATOR),
        ("contrib-brest", brest, Role.CONTRIBUTOR),
        ("lecteur-brest", brest, Role.READER),
        ("animateur", atd, Role.CONTRIBUTOR),
        ("lecteur-atd", atd, Role.READER),
    ]:
        user = person(f"{name}@exemple.fr")
        Membership.objects.create(user=user, authority=authority, role=role)
        people[name] = user
    people["operateur"] = person("operateur@exemple.fr", operator=True)
    people["sans-role"] = person("sans-role@exemple.fr")
    dataset = Dataset.objects.create(
        authority=chavagne,
        slug="subventions",
        schema_name="scdl/subventions",
        schema_version="2.1.1",
        title="Subventions de Chavagne",
    )
    other = Dataset.objects.create(
        authority=brest,
        slug="subventions",
        schema_name="scdl/subventions",
        schema_version="2.1.1",
        title="Subventions de Brest",
    )
    for each in (dataset, other):  # version 1 of each, for the pages of a version
        content = f"nomAttribuant\n{each.authority.name}\n".encode()
        Version.objects.create(
            dataset=each,
            number=1,
            file=ContentFile(content, name="v1.csv"),
            rows=1,
            sha256=hashlib.sha256(content).hexdigest(),
        )
    run = ImportRun.objects.create(
        dataset=dataset,
        file=ContentFile(b"nomAttribuant\nChavagne\n", name="import.csv"),
        original_name="import.csv",
    )
    invitation, _ = Invitation.issue(
        chavagne, "invitee@exemple.fr", Role.CONTRIBUTOR, people["admin-chavagne"]
    )
    return World(atd, rennes, chavagne, brest, dataset, other, people, run, invitation)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
