"""The shipped COG: built from shared/ by the script, read by the package alone, and true to the sources."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from socle.referentials import cog
from socle.referentials.cog import Commune, CommuneType, Departement, Epci, Region

from .conftest import REPO, SHARED, build_script

DATA = REPO / "src" / "socle" / "referentials" / "data"
SHIPPED = DATA / cog.DATA_FILE
SOURCES = SHARED / "referentiels" / "cog"


def _source(name: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads((SOURCES / name).read_text(encoding="utf-8"))
    return records


# --- the build ---------------------------------------------------------------------------------------


def test_shipped_file_is_what_the_script_builds() -> None:
    script = build_script()
    # Compared once decompressed: gzip bytes may differ from one zlib build to another, the content may not.
    expected = script.render_compact(script.build_cog(SHARED))
    assert gzip.decompress(SHIPPED.read_bytes()).decode("utf-8") == expected, (
        "relancer scripts/build_referentials.py (cog.json.gz)"
    )
    assert set(script.COMPRESSED_BUILDERS) == {p.name for p in DATA.glob("*.gz")}


def test_the_script_writes_the_cog_where_asked(tmp_path: Path) -> None:
    assert build_script().main(["--shared", str(SHARED), "--output", str(tmp_path)]) == 0
    written = (tmp_path / cog.DATA_FILE).read_bytes()
    assert gzip.decompress(written) == gzip.decompress(SHIPPED.read_bytes())


def test_compression_is_deterministic() -> None:
    script = build_script()
    text = script.render_compact({"b": [1, "é"], "a": None})
    assert text == '{"a":null,"b":[1,"é"]}\n'
    assert script.compress(text) == script.compress(text)
    for header in (script.compress(text)[:10], SHIPPED.read_bytes()[:10]):
        assert header[3] == 0  # no FNAME field: the name of the build machine's file is not recorded
        assert header[4:8] == b"\0\0\0\0"  # mtime 0
    assert SHIPPED.stat().st_size < 1_000_000


def test_shipped_json_has_sorted_keys() -> None:
    raw = json.loads(gzip.decompress(SHIPPED.read_bytes()))
    assert list(raw) == sorted(raw)
    assert list(raw["communes"]) == sorted(raw["communes"])


# --- the sources -------------------------------------------------------------------------------------


def test_counts_match_the_sources() -> None:
    loaded = cog.load()
    communes = _source("communes.json")
    assert len(communes) == len(loaded.communes) == 37_590
    assert Counter(c.type.label for c in loaded.communes) == {
        "commune actuelle": 34_969,
        "commune déléguée": 2_105,
        "commune associée": 471,
        "arrondissement municipal": 45,
    }
    by_type = Counter(r["type"] for r in communes)
    assert by_type["commune-actuelle"] == sum(c.type is CommuneType.ACTUELLE for c in loaded.communes)
    assert by_type["commune-deleguee"] == sum(c.type is CommuneType.DELEGUEE for c in loaded.communes)
    natures = Counter(e.nature for e in loaded.epcis.values())
    assert natures["EPT"] == len(_source("ept.json")) == 11
    assert sum(natures.values()) - natures["EPT"] == len(_source("epci.json")) == 1_255
    assert len(loaded.departements) == len(_source("departements.json")) == 109
    assert len(loaded.regions) == len(_source("regions.json")) == 26
    with_siren = [c for c in loaded.communes if c.siren]
    assert len(with_siren) == sum("siren" in r for r in communes)
    members = sum(len(r["membres"]) for r in _source("epci.json"))
    assert sum(c.epci is not None for c in loaded.communes) == members


def test_siren_of_departements_and_regions_come_from_the_datactivist_tables() -> None:
    loaded = cog.load()
    rows = (SOURCES / "datactivist_identifiants_departements_2022.csv").read_text(encoding="utf-8")
    assert sum(d.siren is not None for d in loaded.departements.values()) == len(rows.splitlines()) - 1 == 99
    rows = (SOURCES / "datactivist_identifiants_regions_2022.csv").read_text(encoding="utf-8")
    assert sum(r.siren is not None for r in loaded.regions.values()) == len(rows.splitlines()) - 1 == 17


def test_every_source_commune_is_shipped_unchanged() -> None:
    types = {
        "commune-actuelle": CommuneType.ACTUELLE,
        "commune-deleguee": CommuneType.DELEGUEE,
        "commune-associee": CommuneType.ASSOCIEE,
        "arrondissement-municipal": CommuneType.ARRONDISSEMENT_MUNICIPAL,
    }
    for record in _source("communes.json"):
        (c,) = [c for c in cog.communes_with_code(record["code"]) if c.type is types[record["type"]]]
        assert (c.name, c.departement, c.region) == (record["nom"], record["departement"], record["region"])
        assert (c.siren, c.population) == (record.get("siren"), record.get("population"))
        assert c.postal_codes == tuple(record.get("codesPostaux", ()))
        assert c.parent == record.get("chefLieu", record.get("commune"))


# --- facts -------------------------------------------------------------------------------------------


def test_a_commune_by_insee_code() -> None:
    c = cog.commune("01001")
    assert c is not None
    assert c.name == "L'Abergement-Clémenciat"
    assert c.siren == "210100012"
    assert c.type is CommuneType.ACTUELLE
    assert (c.departement, c.region, c.postal_codes, c.parent) == ("01", "84", ("01400",), None)
    assert isinstance(c.population, int) and c.population > 0
    assert c.epci == "200069193"
    ajaccio = cog.commune("2A004")  # Corsican codes are not all digits
    assert ajaccio is not None and ajaccio.name == "Ajaccio"
    assert cog.commune("99999") is None
    assert cog.commune("1001") is None


def test_a_commune_deleguee_exists_only_when_asked() -> None:
    beon = cog.commune("01039")
    assert beon is not None
    assert (beon.name, beon.type, beon.siren, beon.parent) == ("Béon", CommuneType.DELEGUEE, None, "01138")
    assert not cog.is_insee_code("01039")
    assert cog.is_insee_code("01039", deleguees=True)
    cordieux = cog.commune("01120")
    assert cordieux is not None and cordieux.type is CommuneType.ASSOCIEE
    assert cordieux.parent == "01262"
    assert not cog.is_insee_code("01120")
    assert cog.is_insee_code("01120", deleguees=True)
    assert cog.is_insee_code("01001") and cog.is_insee_code("01001", deleguees=True)


def test_a_code_shared_by_a_commune_nouvelle_and_a_commune_deleguee() -> None:
    actuelle, deleguee = cog.communes_with_code("01015")
    assert (actuelle.name, actuelle.type) == ("Arboys en Bugey", CommuneType.ACTUELLE)
    assert (deleguee.name, deleguee.type, deleguee.parent) == ("Arbignieu", CommuneType.DELEGUEE, "01015")
    assert cog.commune("01015") is actuelle
    assert cog.is_insee_code("01015")
    shared_codes = [code for code, found in cog.load().communes_by_code.items() if len(found) > 1]
    assert len(shared_codes) == 584


def test_arrondissements_municipaux() -> None:
    paris = [c for c in cog.communes_of_departement("75", arrondissements=True) if c.parent == "75056"]
    assert [c.code for c in paris] == [f"751{n:02}" for n in range(1, 21)]
    assert all(c.type is CommuneType.ARRONDISSEMENT_MUNICIPAL and c.siren is None for c in paris)
    first = cog.commune("75101")
    assert first is not None and first.name == "Paris 1er Arrondissement"
    assert [c.code for c in cog.communes_of_departement("75")] == ["75056"]
    assert not cog.is_insee_code("75101")
    assert cog.is_insee_code("75101", arrondissements=True)
    arrondissements = Counter(
        c.parent for c in cog.load().communes if c.type is CommuneType.ARRONDISSEMENT_MUNICIPAL
    )
    assert arrondissements == {"75056": 20, "13055": 16, "69123": 9}


def test_lookup_by_siren_across_kinds() -> None:
    (found,) = cog.by_siren("210100012")
    assert isinstance(found, Commune) and found.code == "01001"
    (ain,) = cog.by_siren("220100010")  # from the datactivist table
    assert isinstance(ain, Departement) and (ain.code, ain.name, ain.chef_lieu) == ("01", "Ain", "01053")
    (ara,) = cog.by_siren("200053767")
    assert isinstance(ara, Region) and ara.name == "Auvergne-Rhône-Alpes" and ara.chef_lieu == "69123"
    (dombes,) = cog.by_siren("200069193")
    assert isinstance(dombes, Epci) and dombes.kind == "epci" and dombes.nature == "CC"
    assert [a.kind for a in cog.by_siren("217500016")] == ["commune", "departement"]  # Paris
    assert cog.by_siren("000000000") == ()
    assert cog.by_siren("01001") == ()


def test_departements_and_regions() -> None:
    ain = cog.departement("01")
    assert ain is not None and ain.siren == "220100010" and ain.region == "84"
    corse = cog.region("94")
    assert corse is not None and corse.siren == "200076958"
    # Gaps of the sources, kept as such: no row in the datactivist tables.
    martinique = cog.departement("972")
    assert martinique is not None and martinique.siren is None
    mayotte = cog.region("06")
    assert mayotte is not None and mayotte.siren is None
    assert cog.departement("20") is None
    assert cog.region("99") is None
    assert len(cog.communes_of_departement("2A")) == 124
    assert all(c.departement == "2A" for c in cog.communes_of_departement("2A"))
    assert cog.communes_of_departement("00") == ()


def test_epci_members_and_the_epci_of_a_commune() -> None:
    dombes = cog.epci("200069193")
    assert dombes is not None and dombes.name == "CC de la Dombes"
    assert "01001" in dombes.members
    members = cog.communes_of_epci("200069193")
    assert [c.code for c in members] == list(dombes.members) == sorted(dombes.members)
    assert all(c.type is CommuneType.ACTUELLE and c.epci == dombes.siren for c in members)
    assert cog.epci_of("01001") == dombes
    grand_paris = cog.epci("200054781")
    assert grand_paris is not None and grand_paris.nature == "METRO"
    assert "75056" in grand_paris.members
    assert cog.epci_of("75112") == grand_paris  # an arrondissement municipal: its commune's EPCI
    assert cog.epci_of("01039") == cog.epci_of("01138") is not None  # a commune déléguée: likewise
    assert cog.epci_of("29155") is None  # Ouessant belongs to no EPCI
    assert cog.epci_of("99999") is None
    assert cog.communes_of_epci("000000000") == ()


def test_ept_are_kept_but_are_not_the_epci_of_their_communes() -> None:
    plaine_commune = cog.epci("200057867")
    assert plaine_commune is not None and plaine_commune.nature == "EPT"
    assert plaine_commune.name == "Plaine Commune"
    assert "93066" in plaine_commune.members
    saint_denis = cog.commune("93066")
    assert saint_denis is not None and saint_denis.epci == "200054781"
    epci = cog.epci_of("93066")
    assert epci is not None and epci.name == "Métropole du Grand Paris"


# --- search ------------------------------------------------------------------------------------------


def test_search_ignores_case_accents_and_hyphens() -> None:
    for query in ("saint etienne", "SAINT-ÉTIENNE", "  Saint  Etienne ", "saint-etienne"):
        first = cog.search(query)[0]
        assert (first.kind, first.code, first.name) == ("commune", "42218", "Saint-Étienne"), query
    found = [a.code for a in cog.search("saint etienne", limit=None)]
    assert "244200770" in found  # Saint-Étienne Métropole
    assert "76575" in found  # Saint-Étienne-du-Rouvray
    assert cog.search("l'abergement clemenciat")[0].code == "01001"
    assert cog.search("l haÿ les roses")[0].code == "94038"
    assert cog.search("boeurs en othe")[0].name == "Bœurs-en-Othe"


def test_search_order_kinds_and_limit() -> None:
    assert [(a.kind, a.code) for a in cog.search("paris", limit=2)] == [
        ("departement", "75"),
        ("commune", "75056"),
    ]
    lyon = cog.search("lyon", limit=3)
    assert [a.code for a in lyon[:2]] == ["69123", "200046977"]  # the commune, then Métropole de Lyon
    assert len(cog.search("saint", limit=7)) == 7
    assert len(cog.search("saint", limit=None)) > 1000
    assert [a.name for a in cog.search("rhone", kinds=["departement"])] == ["Rhône", "Bouches-du-Rhône"]
    assert all(a.kind == "epci" for a in cog.search("grand paris", kinds=["epci"], limit=None))
    assert cog.search("") == cog.search(" - ") == []
    assert cog.search("xyzzy") == []
    assert cog.search("st etienne") == []  # abbreviations are not expanded


def test_search_by_code_or_siren() -> None:
    assert [a.code for a in cog.search("210100012")] == ["01001"]
    assert [a.name for a in cog.search("2a004")] == ["Ajaccio"]
    assert [a.kind for a in cog.search("217500016")] == ["commune", "departement"]
    assert cog.search("75101") == []  # an arrondissement municipal is not an authority


def test_search_skips_non_authorities() -> None:
    found = cog.search("arrondissement", limit=None)
    assert all(not isinstance(a, Commune) or a.type is CommuneType.ACTUELLE for a in found)
    assert "01039" not in [a.code for a in cog.search("Béon", limit=None)]  # a commune déléguée


def test_fold_name() -> None:
    assert cog.fold_name("Saint-Étienne") == "saint etienne"
    assert cog.fold_name("L'Haÿ-les-Roses") == "l hay les roses"
    assert cog.fold_name("Bœurs-en-Othe") == "boeurs en othe"
    assert cog.fold_name("Communauté d’agglomération") == "communaute d agglomeration"
    assert cog.fold_name("Saint-E\u0301tienne") == "saint etienne"  # decomposed accent
    assert all(cog.fold_name(c.name) for c in cog.load().communes)


# --- the vectorised check ----------------------------------------------------------------------------


def test_is_insee_code_series() -> None:
    codes = pl.Series("insee", ["01001", "75101", "01039", "01120", "99999", None, "2A004", "1001", ""])
    found = cog.is_insee_code_series(codes)
    assert found.dtype == pl.Boolean
    assert found.to_list() == [True, False, False, False, False, None, True, False, False]
    with_deleguees = [True, False, True, True, False, None, True, False, False]
    assert cog.is_insee_code_series(codes, deleguees=True).to_list() == with_deleguees
    assert cog.is_insee_code_series(codes, arrondissements=True).to_list()[:3] == [True, True, False]
    assert cog.is_insee_code_series(pl.Series([], dtype=pl.String)).to_list() == []


def test_is_insee_code_series_agrees_with_is_insee_code() -> None:
    codes = sorted({c.code for c in cog.load().communes} | {"00000", "2A000", "97501", "98735"})
    series = pl.Series(codes, dtype=pl.String)
    for deleguees in (False, True):
        for arrondissements in (False, True):
            flags = {"deleguees": deleguees, "arrondissements": arrondissements}
            expected = [cog.is_insee_code(code, **flags) for code in codes]
            assert cog.is_insee_code_series(series, **flags).to_list() == expected


def test_is_insee_code_series_wants_strings() -> None:
    with pytest.raises(TypeError, match="String"):
        cog.is_insee_code_series(pl.Series([1001]))


# --- loading -----------------------------------------------------------------------------------------


def test_loaded_once() -> None:
    assert cog.load() is cog.load()
    assert cog.load().sources[0] == "shared/referentiels/cog/communes.json"


_PROBE = """
import json, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from socle.referentials import cog
at_import = list(opened)
cog.commune("01001"); cog.by_siren("217500016"); cog.search("saint etienne"); cog.epci_of("01001")
import polars as pl
cog.is_insee_code_series(pl.Series(["01001"]))
print(json.dumps({"import": at_import, "use": opened[len(at_import):]}))
"""


def test_reads_only_its_package_data_and_only_when_used() -> None:
    # A fresh interpreter, since audit hooks cannot be removed and load() is cached.
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, cwd=REPO
    )
    opened = json.loads(done.stdout)
    assert not [p for p in opened["import"] if cog.DATA_FILE in p], "aucune lecture de données à l'import"
    data_files = [p for p in opened["use"] if not p.endswith((".py", ".pyc")) and not Path(p).is_dir()]
    assert [Path(p).resolve() for p in data_files if Path(p).is_file()] == [SHIPPED.resolve()]
    shared = SHARED.resolve().as_posix()
    assert not [
        p for p in opened["import"] + opened["use"] if Path(p).resolve().as_posix().startswith(shared)
    ]
