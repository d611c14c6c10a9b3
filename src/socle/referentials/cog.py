"""The French administrative geography (COG: communes, EPCI, départements, régions), shipped with Socle.

Built by ``scripts/build_referentials.py`` from the ``@etalab/decoupage-administratif`` files and the
datactivist SIREN tables; read lazily, once, through :mod:`importlib.resources` so that it works from
a wheel as well as from a checkout. Nothing is read at import time.

Facts of the data that shape this module:

- an INSEE code may name two records: 584 communes nouvelles keep the code of one of their communes
  déléguées, so :func:`commune` prefers the commune actuelle and :func:`communes_with_code` gives both;
- communes déléguées and associées, arrondissements municipaux and the communes of the collectivités
  d'outre-mer have no SIREN; the sources give none for Martinique and Guyane as départements (their
  single collectivity is listed as a région), for Mayotte as a région, nor for the collectivités
  d'outre-mer;
- one SIREN may name two authorities: Paris is a commune and a département (217500016);
- the EPT of the Métropole du Grand Paris are kept as :class:`Epci` of nature ``EPT``: they are not EPCI
  à fiscalité propre, but they have a SIREN and members, and they publish data. :func:`epci_of` ignores
  them (their communes belong to the Métropole du Grand Paris).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, ClassVar, Literal

import polars as pl

from socle.text import without_accents

DATA_FILE = "cog.json.gz"

AuthorityKind = Literal["commune", "epci", "departement", "region"]


class CommuneType(StrEnum):
    """The kinds of records of the COG, under the INSEE's TYPECOM codes."""

    ACTUELLE = "COM"
    ARRONDISSEMENT_MUNICIPAL = "ARM"
    DELEGUEE = "COMD"
    ASSOCIEE = "COMA"

    @property
    def label(self) -> str:
        """The French name of the type (« commune déléguée »…)."""
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    CommuneType.ACTUELLE: "commune actuelle",
    CommuneType.ARRONDISSEMENT_MUNICIPAL: "arrondissement municipal",
    CommuneType.DELEGUEE: "commune déléguée",
    CommuneType.ASSOCIEE: "commune associée",
}


@dataclass(frozen=True)
class Commune:
    """A commune actuelle, an arrondissement municipal, or a commune déléguée or associée."""

    kind: ClassVar[AuthorityKind] = "commune"

    code: str
    """The INSEE code (``01001``, ``2A004``, ``75101``)."""
    name: str
    type: CommuneType
    departement: str
    region: str
    siren: str | None
    """None for communes déléguées and associées, arrondissements municipaux and communes of the COM."""
    population: int | None
    postal_codes: tuple[str, ...]
    parent: str | None
    """The commune actuelle that a commune déléguée or associée (its chef-lieu) or an arrondissement
    municipal belongs to; None for a commune actuelle."""
    epci: str | None
    """SIREN of the EPCI à fiscalité propre of a commune actuelle (None for the other types; see
    :func:`epci_of`)."""


@dataclass(frozen=True)
class Epci:
    """An EPCI à fiscalité propre (nature ``CC``, ``CA``, ``CU``, ``METRO``, ``MET69``) or an ``EPT``."""

    kind: ClassVar[AuthorityKind] = "epci"

    siren: str
    name: str
    nature: str
    population: int | None
    """Population municipale, as the source gives it for the EPCI."""
    members: tuple[str, ...]
    """INSEE codes of the member communes actuelles, in code order."""

    @property
    def code(self) -> str:
        """An EPCI's code is its SIREN (for code handling shared by every kind of authority)."""
        return self.siren


@dataclass(frozen=True)
class Departement:
    """A département (or a collectivité d'outre-mer, which the COG lists alongside them)."""

    kind: ClassVar[AuthorityKind] = "departement"

    code: str
    name: str
    region: str
    chef_lieu: str
    siren: str | None


@dataclass(frozen=True)
class Region:
    """A région (or a collectivité d'outre-mer, which the COG lists alongside them)."""

    kind: ClassVar[AuthorityKind] = "region"

    code: str
    name: str
    chef_lieu: str
    siren: str | None


Authority = Commune | Epci | Departement | Region

# Search ranks whole territories before the smaller ones when their names match equally well.
_KIND_RANK: Mapping[str, int] = {"region": 0, "departement": 1, "epci": 2, "commune": 3}


@dataclass(frozen=True)
class Cog:
    """The whole referential and its indexes, as :func:`load` builds them once."""

    sources: tuple[str, ...]
    communes: tuple[Commune, ...]
    """Every record, in code order (for a shared code: commune actuelle first)."""
    epcis: Mapping[str, Epci]
    """By SIREN, EPT included."""
    departements: Mapping[str, Departement]
    regions: Mapping[str, Region]
    communes_by_code: Mapping[str, tuple[Commune, ...]]
    communes_by_departement: Mapping[str, tuple[Commune, ...]]
    authorities_by_siren: Mapping[str, tuple[Authority, ...]]


@cache
def load() -> Cog:
    """The shipped referential (read on first use, then cached)."""
    packed = resources.files("socle.referentials").joinpath("data", DATA_FILE).read_bytes()
    raw = json.loads(gzip.decompress(packed))
    epcis = {e["siren"]: _epci(e) for e in raw["epci"]}
    epci_of_member = {code: e.siren for e in epcis.values() if e.nature != "EPT" for code in e.members}
    columns = raw["communes"]
    communes = tuple(
        Commune(
            code=code,
            name=name,
            type=CommuneType(kind),
            departement=departement,
            region=region,
            siren=siren,
            population=population,
            postal_codes=tuple(postal_codes),
            parent=parent,
            epci=epci_of_member.get(code) if kind == CommuneType.ACTUELLE else None,
        )
        for code, name, kind, departement, region, siren, population, postal_codes, parent in zip(
            columns["code"],
            columns["name"],
            columns["type"],
            columns["departement"],
            columns["region"],
            columns["siren"],
            columns["population"],
            columns["postal_codes"],
            columns["parent"],
            strict=True,
        )
    )
    departements = {d["code"]: Departement(**d) for d in raw["departements"]}
    regions = {r["code"]: Region(**r) for r in raw["regions"]}
    return Cog(
        sources=tuple(raw["sources"]),
        communes=communes,
        epcis=epcis,
        departements=departements,
        regions=regions,
        communes_by_code=_group(communes, lambda c: c.code),
        communes_by_departement=_group(communes, lambda c: c.departement),
        authorities_by_siren=_by_siren(communes, epcis, departements, regions),
    )


def _epci(raw: dict[str, Any]) -> Epci:
    return Epci(
        siren=raw["siren"],
        name=raw["name"],
        nature=raw["nature"],
        population=raw["population"],
        members=tuple(raw["members"]),
    )


def _group(communes: Iterable[Commune], key: Callable[[Commune], str]) -> dict[str, tuple[Commune, ...]]:
    groups: defaultdict[str, list[Commune]] = defaultdict(list)
    for c in communes:
        groups[key(c)].append(c)
    return {k: tuple(v) for k, v in groups.items()}


def _by_siren(
    communes: Iterable[Commune],
    epcis: Mapping[str, Epci],
    departements: Mapping[str, Departement],
    regions: Mapping[str, Region],
) -> dict[str, tuple[Authority, ...]]:
    found: defaultdict[str, list[Authority]] = defaultdict(list)
    every: list[Iterable[Authority]] = [communes, epcis.values(), departements.values(), regions.values()]
    for authorities in every:
        for a in authorities:
            if a.siren is not None:
                found[a.siren].append(a)
    return {k: tuple(v) for k, v in found.items()}


def _types(deleguees: bool, arrondissements: bool) -> frozenset[CommuneType]:
    types = {CommuneType.ACTUELLE}
    if deleguees:
        types |= {CommuneType.DELEGUEE, CommuneType.ASSOCIEE}
    if arrondissements:
        types.add(CommuneType.ARRONDISSEMENT_MUNICIPAL)
    return frozenset(types)


def commune(code: str) -> Commune | None:
    """The commune with this INSEE code: the commune actuelle when a commune déléguée shares its code."""
    found = load().communes_by_code.get(code)
    return found[0] if found else None


def communes_with_code(code: str) -> tuple[Commune, ...]:
    """Every record with this INSEE code (two when a commune nouvelle kept a commune déléguée's code)."""
    return load().communes_by_code.get(code, ())


def is_insee_code(code: str, *, deleguees: bool = False, arrondissements: bool = False) -> bool:
    """Whether ``code`` is the INSEE code of a commune actuelle.

    ``deleguees`` also accepts communes déléguées and associées, ``arrondissements`` the arrondissements
    municipaux of Paris, Lyon and Marseille.
    """
    types = _types(deleguees, arrondissements)
    return any(c.type in types for c in communes_with_code(code))


@cache
def _known_codes(deleguees: bool, arrondissements: bool) -> pl.Series:
    """The accepted codes as a one-row list series, the form :meth:`polars.Series.is_in` takes."""
    types = _types(deleguees, arrondissements)
    codes = sorted({c.code for c in load().communes if c.type in types})
    return pl.Series("code", codes, dtype=pl.String).implode()


def is_insee_code_series(
    codes: pl.Series, *, deleguees: bool = False, arrondissements: bool = False
) -> pl.Series:
    """:func:`is_insee_code` over a String series, vectorised: a Boolean series, null where ``codes`` is null."""
    if codes.dtype != pl.String:
        raise TypeError(f"une série de type String est attendue, pas {codes.dtype}")
    return codes.is_in(_known_codes(deleguees, arrondissements))


def epci(siren: str) -> Epci | None:
    """The EPCI (or EPT) with this SIREN."""
    return load().epcis.get(siren)


def epci_of(code: str) -> Epci | None:
    """The EPCI à fiscalité propre of a commune, by INSEE code.

    A commune déléguée or associée, or an arrondissement municipal, gets the EPCI of its commune actuelle.
    None for an unknown code and for the communes outside any EPCI (four islands and the COM).
    """
    found = commune(code)
    if found is not None and found.parent is not None:
        found = commune(found.parent)
    if found is None or found.epci is None:
        return None
    return load().epcis[found.epci]


def departement(code: str) -> Departement | None:
    """The département with this code (``01``, ``2A``, ``974``)."""
    return load().departements.get(code)


def region(code: str) -> Region | None:
    """The région with this code (``84``, ``01``)."""
    return load().regions.get(code)


def by_siren(siren: str) -> tuple[Authority, ...]:
    """Every authority with this SIREN: commune, EPCI or EPT, département, région, in that order.

    Empty when the SIREN is unknown; two authorities for Paris, commune and département.
    """
    return load().authorities_by_siren.get(siren, ())


def communes_of_departement(
    code: str, *, deleguees: bool = False, arrondissements: bool = False
) -> tuple[Commune, ...]:
    """The communes actuelles of a département (and, if asked, its déléguées/associées or arrondissements)."""
    types = _types(deleguees, arrondissements)
    return tuple(c for c in load().communes_by_departement.get(code, ()) if c.type in types)


def communes_of_epci(siren: str) -> tuple[Commune, ...]:
    """The member communes of an EPCI or EPT, in code order (empty for an unknown SIREN)."""
    found = epci(siren)
    if found is None:
        return ()
    by_code = load().communes_by_code
    return tuple(by_code[code][0] for code in found.members)


_SEPARATORS = re.compile(r"[^0-9a-z]+")


def fold_name(text: str) -> str:
    """How names are compared: lower case, no accents, words separated by one space.

    Hyphens, apostrophes and other punctuation separate words: ``Saint-Étienne`` and ``saint etienne``
    fold alike, as do ``L'Haÿ-les-Roses`` and ``l hay les roses``.
    """
    return _SEPARATORS.sub(" ", without_accents(text).lower()).strip()


@dataclass(frozen=True)
class _Entry:
    folded: str
    words: tuple[str, ...]
    rank: tuple[int, int, str, str]
    authority: Authority


@cache
def _search_index() -> tuple[_Entry, ...]:
    """Every authority that can be searched by name: communes actuelles, EPCI and EPT, départements, régions."""
    cog = load()
    authorities: list[Authority] = [
        *cog.regions.values(),
        *cog.departements.values(),
        *cog.epcis.values(),
        *(c for c in cog.communes if c.type is CommuneType.ACTUELLE),
    ]
    entries = []
    for a in authorities:
        folded = fold_name(a.name)
        population = a.population if isinstance(a, Commune | Epci) and a.population is not None else 0
        rank = (_KIND_RANK[a.kind], -population, folded, a.code)
        entries.append(_Entry(folded, tuple(folded.split()), rank, a))
    return tuple(entries)


def _match_quality(entry: _Entry, folded_query: str, words: list[str]) -> int | None:
    """0 for the exact name, then better for whole words and for a match at the start; None: no match."""
    if entry.folded == folded_query:
        return 0
    if entry.folded.startswith(folded_query + " "):
        return 1
    if all(q in entry.words for q in words):
        return 2
    if entry.folded.startswith(folded_query):
        return 3
    if all(any(w.startswith(q) for w in entry.words) for q in words):
        return 4
    return None


def search(
    query: str, *, kinds: Iterable[AuthorityKind] | None = None, limit: int | None = 20
) -> list[Authority]:
    """Authorities whose name matches ``query``, ignoring case, accents, hyphens and apostrophes.

    Each word of the query must begin a word of the name (``st etienne`` does not find Saint-Étienne,
    ``saint eti`` does). The exact name comes first, then names that begin with the query's words, names
    that contain them, names that begin with the query, and the others; among equals, régions,
    départements, EPCI, communes, the most populated first. A SIREN or the INSEE
    code of a commune actuelle finds its authority. Communes déléguées and associées and arrondissements
    municipaux are not authorities and are not searched.
    """
    wanted = frozenset(kinds) if kinds is not None else frozenset(_KIND_RANK)
    folded_query = fold_name(query)
    words = folded_query.split()
    if not words:
        return []
    scored: list[tuple[int, tuple[int, int, str, str], Authority]] = []
    exact_code = [
        *by_siren(folded_query),
        *(c for c in communes_with_code(folded_query.upper()) if c.type is CommuneType.ACTUELLE),
    ]
    scored.extend((-1, (0, 0, "", ""), a) for a in exact_code if a.kind in wanted)
    first = words[0]
    for entry in _search_index():
        if first not in entry.folded or entry.authority.kind not in wanted:
            continue
        quality = _match_quality(entry, folded_query, words)
        if quality is None:
            continue
        scored.append((quality, entry.rank, entry.authority))
    scored.sort(key=lambda s: (s[0], s[1]))
    found: list[Authority] = []
    seen: set[int] = set()
    for _, _, authority in scored:
        if id(authority) not in seen:  # found by its code, it may match by name too
            seen.add(id(authority))
            found.append(authority)
            if limit is not None and len(found) == limit:
                break
    return found
