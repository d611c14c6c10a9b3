"""Deterministic synthetic SCDL files (délibérations, subventions) with known injected errors.

Each generated CSV comes with its ground truth: the exact list of findings a correct validator must
report, as ``(row, field, code, detail)``. Row numbers count like frictionless does (the header is
row 1, the first data row is row 2); ``field`` is ``""`` for row-level findings (blank row, extra
cell). ``code`` is the frictionless/Validata error name (``type-error``, ``constraint-error``,
``missing-cell``…) or the custom check's name (``french-siret-value``…); ``detail`` refines it the
way Socle's error catalogue does (``required``, ``pattern``, ``date``, ``string/uri``…).

The generator is vectorised (numpy draws, polars string building): about 5 s per million rows.
Valid cells are really valid (Luhn-correct SIRETs, vote counts that add up, dates in order, matières
taken from the @ctes nomenclature), and each injected row gets exactly one defect, chosen so that it
causes exactly the findings recorded, under the rules a correct validator follows (see ``RULES``).

Usage::

    python bench/datagen.py deliberations 100000 out.csv --error-rate 0.01 --seed 1 --truth truth.json

The error rate is a fraction of *cells* (rows × fields), as in "1 % of bad cells"; each bad cell is
in its own row, so the rate cannot exceed ``1 / number of fields``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

Dataset = Literal["deliberations", "subventions"]
DATASETS: tuple[Dataset, ...] = ("deliberations", "subventions")

REPO = Path(__file__).resolve().parent.parent
# The reference data sits next to the repository in development and CI; SOCLE_SHARED overrides it.
SHARED = Path(os.environ.get("SOCLE_SHARED", str(REPO.parent / "shared")))


def schema_path(dataset: Dataset) -> Path:
    """The schema.data.gouv.fr Table Schema the dataset follows."""
    return SHARED / "schemas" / "scdl" / dataset / "schema.json"


# How a correct validator treats the cells a defect touches; the ground truth relies on these rules
# and the truth file repeats them.
RULES = (
    "A cell that fails its type (an unparsable date or number) is not used by custom checks: no comparison, "
    "no sum; it still counts as filled for cohesive-columns-value.",
    "A custom check is not evaluated on empty cells, except the checks about emptiness "
    "(cohesive-columns-value, one-of-required).",
    "A blank row, or a row with an extra or a missing cell, gets only that structure finding; missing cells "
    "are taken from the last field, which is optional and has no custom check.",
    "A value that breaks a field's pattern is also reported by the custom check on that field when it fails "
    "it too (a 13-digit SIRET, a budget year '2021-2022').",
    "A finding about several columns that no single column owns (one-of-required) has the field ''.",
)

# Codes reported by custom checks, as opposed to the Table Schema standard checks that frictionless
# implements; the differential tests compare the latter with frictionless.
CUSTOM_CODES = frozenset(
    {
        "french-siret-value",
        "compare-columns-value",
        "sum-columns-value",
        "year-interval-value",
        "cohesive-columns-value",
        "nomenclature-actes-value",
        "one-of-required",
    }
)


@dataclass(frozen=True)
class Finding:
    """One expected finding of the ground truth."""

    row: int
    field: str
    code: str
    detail: str | None
    kind: str
    value: str | None

    @property
    def is_custom(self) -> bool:
        return self.code in CUSTOM_CODES


@dataclass
class Truth:
    """What a generated file contains and what a correct validator must report on it."""

    dataset: Dataset
    rows: int
    seed: int
    error_rate: float
    findings: list[Finding]

    def standard(self) -> set[tuple[int, str, str]]:
        """(row, field, code) of the findings of standard Table Schema checks."""
        return {(f.row, f.field, f.code) for f in self.findings if not f.is_custom}

    def custom(self) -> set[tuple[int, str, str]]:
        """(row, field, code) of the findings of custom checks."""
        return {(f.row, f.field, f.code) for f in self.findings if f.is_custom}

    def write(self, path: Path) -> None:
        """Write as JSON, one finding per line so that a diff or a grep stays readable."""
        head = {
            "dataset": self.dataset,
            "schema": str(schema_path(self.dataset)),
            "rows": self.rows,
            "seed": self.seed,
            "error_rate": self.error_rate,
            "rules": list(RULES),
        }
        body = ",\n".join(
            json.dumps(
                {
                    "row": f.row,
                    "field": f.field,
                    "code": f.code,
                    "detail": f.detail,
                    "kind": f.kind,
                    "value": f.value,
                },
                ensure_ascii=False,
            )
            for f in self.findings
        )
        text = json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "findings": [\n' + body + "\n]}\n"
        path.write_text(text, encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Truth:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            dataset=data["dataset"],
            rows=data["rows"],
            seed=data["seed"],
            error_rate=data["error_rate"],
            findings=[Finding(**f) for f in data["findings"]],
        )


# --------------------------------------------------------------------------------------------------
# Vocabulary. Small pools drawn per row: the point is plausible, varied text, not a census.

_TOWNS = [
    "Poitiers", "Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Brieuc", "Angers", "Nantes",
    "Saint-Nazaire", "Le Mans", "Laval", "Tours", "Orléans", "Bourges", "Châteauroux", "Limoges",
    "Guéret", "Tulle", "Périgueux", "Agen", "Pau", "Bayonne", "Mont-de-Marsan", "Dax", "Albi", "Rodez",
    "Cahors", "Montauban", "Foix", "Tarbes", "Auch", "Nîmes", "Alès", "Béziers", "Sète", "Perpignan",
    "Carcassonne", "Valence", "Privas", "Aurillac", "Le Puy-en-Velay", "Mende", "Annecy", "Chambéry",
    "Besançon", "Épinal", "Nancy", "Metz", "Thionville", "Colmar", "Mulhouse",
    "Saint-Étienne-du-Rouvray", "Évreux", "Alençon", "Saint-Lô", "Cherbourg-en-Cotentin", "Amiens",
    "Beauvais", "Laon", "Arras", "Lens", "Dunkerque", "Île-Tudy", "L'Haÿ-les-Roses", "Œting",
]  # fmt: skip
# SIREN of collectivités start with 2 (21 communes, 20 and 24 groupings, 25 syndicates, 26 public
# establishments); "{de}" is "de Brest", "d'Albi" or "du Mans".
_COLL_KINDS = [
    ("Commune {de}", "21"),
    ("Ville {de}", "21"),
    ("Communauté d'agglomération {de}", "20"),
    ("Communauté de communes du pays {de}", "24"),
    ("Syndicat intercommunal des eaux {de}", "25"),
    ("Centre communal d'action sociale {de}", "26"),
]
_ASSO_KINDS = [
    "Association sportive {de}",
    "Comité des fêtes {de}",
    "Amicale laïque {de}",
    "Les Amis de la bibliothèque {de}",
    "Office de tourisme {de}",
    'Association "Culture et loisirs" {town}',
    "Club de football, section jeunes, {de}",
    "Harmonie municipale {de}",
    "Secours populaire, comité {de}",
    "École de musique {de}",
]


def _de(town: str) -> str:
    """French "de" before a town name, with elision and contraction."""
    if town.startswith("Le "):
        return "du " + town[3:]
    if town[0] in "AEIOUÉÈÎŒaeiou":
        return "d'" + town
    return "de " + town


def _named(templates: list[str]) -> list[str]:
    return [t.format(de=_de(town), town=town) for t in templates for town in _TOWNS]


_DELIB_ACTIONS = [
    "Approbation de",
    "Attribution de",
    "Autorisation donnée au maire de signer",
    "Modification de",
    "Adoption de",
    "Renouvellement de",
    "Création de",
    "Fixation des tarifs de",
]
_DELIB_SUBJECTS = [
    "la convention de partenariat avec le département",
    "subventions aux associations sportives",
    "l'avenant n°2 au marché de travaux de la salle polyvalente",
    'la charte "zéro pesticide", volet espaces verts',
    "la décision modificative n°1 du budget principal",
    "la délégation de service public de l'eau potable",
    "un emploi permanent d'adjoint technique",
    "la restauration scolaire, tarifs 2024-2025",
    "l'acquisition d'une parcelle cadastrée AB 123",
    "la dénomination d'une voie nouvelle : « allée des Tilleuls »",
    "la motion de soutien aux agriculteurs",
    "le plan local d'urbanisme intercommunal",
]
_BUDGETS = [
    "Budget principal",
    "Budget annexe eau",
    "Budget annexe assainissement",
    "Budget annexe déchets-collecte et traitement",
    "Budget annexe lotissement « Les Prés »",
]
_SUBV_OBJETS = [
    "Fonctionnement général de l'association",
    "Organisation du festival d'été",
    "Animations climat-énergie dans les lycées de la région",
    "Acquisition de matériel pédagogique, équipements sportifs et informatiques",
    'Projet "Lire et faire lire" dans les écoles',
    "Aide au démarrage d'une activité agricole en circuit court",
    "Soutien à l'emploi associatif",
    "Participation au séjour linguistique des collégiens",
]
_NATURES = [
    "aide en numéraire",
    "aide en nature",
    "aide en numéraire;aide en nature",
    "aide en nature;aide en numéraire",
]
_CONDITIONS = [
    "unique",
    "échelonné",
    "échelonné selon l'avancement du projet",
    "à la signature de la convention",
]
_DISPOSITIFS = [
    "65d5b6c7-102c-4440-ac3b-768f708edc0a",
    "Appel à projets vie associative",
    "Fonds de soutien local",
]


def _nomenclature_l1() -> dict[str, str]:
    """Level-1 labels as the SCDL spells them (accents restored, "pouvoirs"), keyed by code: the
    spelling every validator accepts, taken from the referential Socle ships."""
    from socle.referentials.nomenclature_actes import load

    return {m.code: m.scdl_label or m.label for m in load().matieres}


def _nomenclature_level2() -> list[tuple[str, str]]:
    """(code, level-2 label) pairs of the @ctes matières, from the reference CSV."""
    path = (
        SHARED
        / "referentiels"
        / "nomenclature-actes"
        / "actes_matieres_niveaux1-2_DERIVED_from_megalis_xml.csv"
    )
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["code"], r["libelle_niveau2"]) for r in csv.DictReader(fh) if r["niveau"] == "2"]


# --------------------------------------------------------------------------------------------------
# Vectorised building blocks.


def _luhn_check_digit(prefix: np.ndarray) -> np.ndarray:
    """Check digit that makes each row of digits ``prefix`` (shape n × k) Luhn-valid once appended."""
    k = prefix.shape[1]
    # Counting from the right of the completed number, the check digit is position 0 and every
    # odd position is doubled: prefix index j sits at position k - j.
    doubled = ((k - np.arange(k)) % 2) == 1
    d = prefix.astype(np.int64)
    d = np.where(doubled, d * 2, d)
    d = np.where(d > 9, d - 9, d)
    return (10 - d.sum(axis=1) % 10) % 10


def _digits_to_str(digits: np.ndarray) -> list[str]:
    width = digits.shape[1]
    raw = (digits.astype(np.uint8) + ord("0")).tobytes()
    return [raw[i * width : (i + 1) * width].decode("ascii") for i in range(digits.shape[0])]


def _sirets(rng: np.random.Generator, n: int, first: list[str]) -> list[str]:
    """``n`` valid SIRETs (SIREN and SIRET both Luhn-valid), SIREN starting with one of ``first``."""
    heads = rng.choice(np.array(first), n)
    width = len(first[0])
    siren8 = rng.integers(0, 10, (n, 8))
    siren8[:, :width] = np.array([[int(c) for c in h] for h in heads])
    siren = np.hstack([siren8, _luhn_check_digit(siren8)[:, None]])
    nic4 = rng.integers(0, 10, (n, 4))
    body = np.hstack([siren, nic4])
    out = _digits_to_str(np.hstack([body, _luhn_check_digit(body)[:, None]]))
    # La Poste's establishments follow another rule; never generate one.
    assert not any(s.startswith("356000000") for s in out)
    return out


def _pick(pool: list[str], idx: np.ndarray) -> pl.Series:
    return pl.Series(pool, dtype=pl.String).gather(pl.Series(idx, dtype=pl.UInt32))


def _int_str(values: np.ndarray) -> pl.Series:
    return pl.Series(values, dtype=pl.Int64).cast(pl.String)


_EPOCH_2015 = 16436  # 2015-01-01 as days since 1970-01-01


def _dates(days: np.ndarray) -> pl.Series:
    return pl.Series(days.astype(np.int32) + _EPOCH_2015, dtype=pl.Int32).cast(pl.Date)


def _iso(dates: pl.Series) -> pl.Series:
    return dates.dt.strftime("%Y-%m-%d")


def _masked(values: pl.Series, mask: np.ndarray) -> pl.Series:
    """Values where ``mask``, empty cells elsewhere."""
    return pl.select(
        pl.when(pl.Series(mask, dtype=pl.Boolean)).then(values).otherwise(pl.lit("")).alias(values.name)
    ).to_series()


def _choose(rng: np.random.Generator, options: list[pl.Series]) -> pl.Series:
    """Row by row, one of several candidate columns of the same length."""
    which = rng.integers(0, len(options), len(options[0]))
    out = options[0]
    for i, opt in enumerate(options[1:], start=1):
        out = pl.select(pl.when(pl.Series(which == i)).then(opt).otherwise(out)).to_series()
    return out


def _mutate_last_digit(values: pl.Series, rng: np.random.Generator) -> pl.Series:
    """Same identifier with another last digit: the Luhn sum moves by 1..9, so it becomes invalid."""
    last = values.str.slice(-1).cast(pl.Int64).to_numpy()
    new = (last + rng.integers(1, 10, len(values))) % 10
    return values.str.slice(0, values.str.len_chars() - 1) + _int_str(new)


# --------------------------------------------------------------------------------------------------
# The table under construction and the kinds of defects that can be injected into it.


@dataclass
class Table:
    """Columns as polars string Series, plus the numeric draws some defects are derived from."""

    fields: list[str]
    columns: dict[str, pl.Series] = dataclasses.field(default_factory=dict)
    numbers: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)

    def at(self, name: str, rows: np.ndarray) -> pl.Series:
        return self.columns[name].gather(pl.Series(rows, dtype=pl.UInt32))

    def set(self, name: str, rows: np.ndarray, values: pl.Series | list[str] | str) -> pl.Series:
        if isinstance(values, str):
            values = [values] * len(rows)
        series = pl.Series(values, dtype=pl.String)
        self.columns[name] = self.columns[name].scatter(rows, series)
        return series


Injector = Callable[[Table, np.ndarray, np.random.Generator], pl.Series]


@dataclass(frozen=True)
class Kind:
    """A kind of defect: where it goes, what it must produce, and how to write it."""

    name: str
    field: str
    code: str
    detail: str | None
    weight: float
    inject: Injector
    # (``dataclasses.field`` spelt out below: ``field`` is also an attribute of this class.)
    # Base-row conditions the defect relies on, e.g. {"votes": True}: the row's vote group is
    # filled before the defect is written, so that the finding is exactly the one recorded.
    needs: Mapping[str, bool] = dataclasses.field(default_factory=dict)
    # "line" defects rewrite the whole CSV line (structure errors) after the cells are quoted.
    stage: Literal["cell", "line"] = "cell"
    # Further findings the same defect must raise, as (field, code, detail).
    also: tuple[tuple[str, str, str | None], ...] = ()


def _set_to(name: str, make: Callable[[Table, np.ndarray, np.random.Generator], pl.Series]) -> Injector:
    def inject(table: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
        return table.set(name, rows, make(table, rows, rng))

    return inject


def _empty(name: str) -> Injector:
    return _set_to(name, lambda t, rows, rng: pl.Series([""] * len(rows), dtype=pl.String))


def _constant_choice(values: list[str]) -> Callable[[Table, np.ndarray, np.random.Generator], pl.Series]:
    return lambda t, rows, rng: _pick(values, rng.integers(0, len(values), len(rows)))


def _bad_date(date_field: str) -> Callable[[Table, np.ndarray, np.random.Generator], pl.Series]:
    """A date the way people mistype it: French order, month 13, or a day the month lacks."""

    def make(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
        d = t.at(date_field, rows).str.to_date("%Y-%m-%d")
        y = d.dt.year().cast(pl.String)
        m = d.dt.month().cast(pl.String).str.zfill(2)
        day = d.dt.day().cast(pl.String).str.zfill(2)
        months_31 = ["01", "03", "05", "07", "08", "10", "12"]
        impossible_day = pl.select(
            pl.when(m.eq("02"))
            .then(pl.lit("30"))
            .when(m.is_in(months_31))
            .then(pl.lit("32"))
            .otherwise(pl.lit("31"))
        ).to_series()
        return _choose(
            rng,
            [
                day + "/" + m + "/" + y,  # 31/02/2021-style French order
                y + "-13-" + day,
                y + "-" + m + "-" + impossible_day,
            ],
        )

    return make


def _bad_integer(name: str) -> Callable[[Table, np.ndarray, np.random.Generator], pl.Series]:
    def make(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
        v = t.at(name, rows)
        return _choose(rng, [v + ".5", v + ",0", pl.Series(["NC"] * len(rows)), v + " voix"])

    return make


def _blank_row(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    return pl.Series(["," * (len(t.fields) - 1)] * len(rows), dtype=pl.String)


def _extra_cell(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    return t.at("_line", rows) + ",voir annexe"


def _missing_cell(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    quoted = [_quote(t.at(name, rows)) for name in t.fields[:-1]]
    return pl.select(pl.concat_str(quoted, separator=",")).to_series()


_STRUCTURE_WEIGHT = 0.15


def _structure_kinds(last_field: str) -> list[Kind]:
    return [
        Kind("blank-row", "", "blank-row", None, _STRUCTURE_WEIGHT, _blank_row, stage="line"),
        Kind("extra-cell", "", "extra-cell", None, _STRUCTURE_WEIGHT, _extra_cell, stage="line"),
        Kind(
            "missing-cell", last_field, "missing-cell", None, _STRUCTURE_WEIGHT, _missing_cell, stage="line"
        ),
    ]


def _required_kinds(fields: list[str], weight: float, needs: Mapping[str, Mapping[str, bool]]) -> list[Kind]:
    return [
        Kind(f"required-{f}", f, "constraint-error", "required", weight, _empty(f), needs.get(f, {}))
        for f in fields
    ]


# --------------------------------------------------------------------------------------------------
# Délibérations.

DELIBERATIONS_FIELDS = [
    "COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM",
    "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL",
    "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL",
]  # fmt: skip
_VOTES = ["VOTE_EFFECTIF", "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]


def _pref_before_delib(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    delib = t.at("DELIB_DATE", rows).str.to_date("%Y-%m-%d").cast(pl.Int32)
    return _iso((delib - pl.Series(rng.integers(1, 60, len(rows)), dtype=pl.Int32)).cast(pl.Date))


def _votes_dont_add_up(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    # One vote fewer in the largest group: every vote stays <= VOTE_REEL, only the sum is wrong.
    groups = ["VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]
    counts = np.stack([t.numbers[g][rows] for g in groups], axis=1)
    largest = counts.argmax(axis=1)
    for i, g in enumerate(groups):
        sel = rows[largest == i]
        t.set(g, sel, _int_str(t.numbers[g][sel] - 1))
    return t.at("VOTE_REEL", rows)


def _effectif_below_reel(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    # Fewer members than voters: only VOTE_EFFECTIF >= VOTE_REEL breaks, the sum still holds.
    return _int_str(t.numbers["VOTE_REEL"][rows] - rng.integers(1, 4, len(rows)))


def _same_or_reversed_years(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    y = pl.Series(t.numbers["year"][rows], dtype=pl.Int64)
    return _choose(
        rng, [y.cast(pl.String) + "/" + y.cast(pl.String), (y + 1).cast(pl.String) + "/" + y.cast(pl.String)]
    )


def _bad_matiere(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    nom = t.at("DELIB_MATIERE_NOM", rows)
    level2 = nom.str.split("/").list.get(1)
    level1 = nom.str.split("/").list.get(0)
    unknown = _pick(
        ["Voirie", "Environnement", "Culture", "Administration générale"], rng.integers(0, 4, len(rows))
    )
    return _choose(rng, [level1 + " - " + level2, level1 + " / " + level2, unknown + "/" + level2])


def _bad_siret_shape(name: str) -> Callable[[Table, np.ndarray, np.random.Generator], pl.Series]:
    def make(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
        v = t.at(name, rows)
        return _choose(
            rng, [v.str.slice(0, 13), v + "0", "SIRET " + v, v.str.slice(0, 9) + "-" + v.str.slice(9)]
        )

    return make


def _without_scheme(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    return t.at("DELIB_URL", rows).str.replace("^https?://", "")


def _bad_matiere_code(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    code = t.at("DELIB_MATIERE_CODE", rows)
    return _choose(
        rng,
        [code.str.replace(".", "-", literal=True), code + ".1", code.str.replace(".", ",", literal=True)],
    )


def _checksum_broken(name: str) -> Injector:
    return _set_to(name, lambda t, rows, rng: _mutate_last_digit(t.at(name, rows), rng))


def _budget_without_nom(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    t.set("BUDGET_NOM", rows, "")
    return t.at("BUDGET_ANNEE", rows)


def _budget_nom_alone(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    t.set("BUDGET_NOM", rows, _pick(_BUDGETS, rng.integers(0, len(_BUDGETS), len(rows))))
    return t.at("BUDGET_ANNEE", rows)


def _deliberations_kinds() -> list[Kind]:
    required = ["COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE"]
    required += ["DELIB_MATIERE_NOM", "DELIB_OBJET"]
    # An empty or unreadable DELIB_DATE goes on rows without PREF_DATE, so that no comparison is
    # even in question.
    no_pref = {"pref": False}
    type_error, constraint_error = "type-error", "constraint-error"
    # One defect kind per two or three lines reads better than one argument per line.
    # fmt: off
    return [
        *_required_kinds(required, 0.3, {"DELIB_DATE": no_pref}),
        Kind("date-DELIB_DATE", "DELIB_DATE", type_error, "date", 1.0,
             _set_to("DELIB_DATE", _bad_date("DELIB_DATE")), no_pref),
        Kind("date-PREF_DATE", "PREF_DATE", type_error, "date", 0.5,
             _set_to("PREF_DATE", _bad_date("PREF_DATE")), {"pref": True}),
        *[Kind(f"integer-{v}", v, type_error, "integer", 0.4, _set_to(v, _bad_integer(v)), {"votes": True})
          for v in _VOTES],
        Kind("uri-DELIB_URL", "DELIB_URL", type_error, "string/uri", 0.7,
             _set_to("DELIB_URL", _without_scheme), {"url": True}),
        Kind("pattern-DELIB_MATIERE_CODE", "DELIB_MATIERE_CODE", constraint_error, "pattern", 1.0,
             _set_to("DELIB_MATIERE_CODE", _bad_matiere_code)),
        # A SIRET of the wrong shape breaks the pattern and is not a valid SIRET either (Validata
        # reports both); likewise a budget year that is no year at all fails its interval check.
        Kind("pattern-COLL_SIRET", "COLL_SIRET", constraint_error, "pattern", 0.8,
             _set_to("COLL_SIRET", _bad_siret_shape("COLL_SIRET")),
             also=(("COLL_SIRET", "french-siret-value", None),)),
        Kind("pattern-BUDGET_ANNEE", "BUDGET_ANNEE", constraint_error, "pattern", 0.5,
             _set_to("BUDGET_ANNEE", _constant_choice(["2021-2022", "exercice 2023", "21"])),
             {"budget": True}, also=(("BUDGET_ANNEE", "year-interval-value", None),)),
        *_structure_kinds("DELIB_URL"),
        # Custom checks.
        Kind("siret-checksum-COLL_SIRET", "COLL_SIRET", "french-siret-value", None, 1.5,
             _checksum_broken("COLL_SIRET")),
        Kind("pref-before-delib", "PREF_DATE", "compare-columns-value", None, 1.0,
             _set_to("PREF_DATE", _pref_before_delib), {"pref": True}),
        Kind("effectif-below-reel", "VOTE_EFFECTIF", "compare-columns-value", None, 0.5,
             _set_to("VOTE_EFFECTIF", _effectif_below_reel), {"votes": True}),
        Kind("votes-sum", "VOTE_REEL", "sum-columns-value", None, 1.0, _votes_dont_add_up, {"votes": True}),
        Kind("budget-year-interval", "BUDGET_ANNEE", "year-interval-value", None, 1.0,
             _set_to("BUDGET_ANNEE", _same_or_reversed_years), {"budget": True}),
        Kind("votes-without-effectif", "VOTE_EFFECTIF", "cohesive-columns-value", None, 0.5,
             _empty("VOTE_EFFECTIF"), {"votes": True}),
        Kind("effectif-alone", "VOTE_EFFECTIF", "cohesive-columns-value", None, 0.5,
             _set_to("VOTE_EFFECTIF", lambda t, rows, rng: _int_str(rng.integers(15, 70, len(rows)))),
             {"votes": False}),
        Kind("budget-without-nom", "BUDGET_ANNEE", "cohesive-columns-value", None, 0.5,
             _budget_without_nom, {"budget": True}),
        Kind("budget-nom-alone", "BUDGET_ANNEE", "cohesive-columns-value", None, 0.5,
             _budget_nom_alone, {"budget": False}),
        Kind("matiere-nom", "DELIB_MATIERE_NOM", "nomenclature-actes-value", None, 1.5,
             _set_to("DELIB_MATIERE_NOM", _bad_matiere)),
    ]
    # fmt: on


def _deliberations_base(n: int, rng: np.random.Generator, needs: dict[str, np.ndarray]) -> Table:
    t = Table(list(DELIBERATIONS_FIELDS))
    coll_names = _named([kind for kind, _ in _COLL_KINDS])
    coll_heads = [head for _, head in _COLL_KINDS for _ in _TOWNS]
    coll_sirets = [_sirets(rng, 1, [h])[0] for h in coll_heads]
    coll = rng.integers(0, len(coll_names), n)
    t.columns["COLL_NOM"] = _pick(coll_names, coll)
    t.columns["COLL_SIRET"] = _pick(coll_sirets, coll)

    days = rng.integers(0, 3650, n)
    delib = _dates(days)
    year = delib.dt.year().to_numpy().astype(np.int64)
    t.numbers["year"] = year
    t.columns["DELIB_ID"] = (
        "DEL"
        + pl.Series(year).cast(pl.String)
        + "_"
        + pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(7)
    )
    t.columns["DELIB_DATE"] = _iso(delib)

    level2 = _nomenclature_level2()
    codes = [c for c, _ in level2]
    # Two spellings per matière: the schema's (lower case, accented) and @ctes's capitalised one;
    # the check ignores case and accents, so both are valid.
    level1 = _nomenclature_l1()
    lower = [f"{level1[c.split('.')[0]].lower()}/{label.lower()}" for c, label in level2]
    capital = [f"{level1[c.split('.')[0]]}/{label}" for c, label in level2]
    matiere = rng.integers(0, len(level2), n)
    t.columns["DELIB_MATIERE_CODE"] = _pick(codes, matiere)
    t.columns["DELIB_MATIERE_NOM"] = _pick(lower + capital, matiere + len(level2) * rng.integers(0, 2, n))
    t.columns["DELIB_OBJET"] = (
        _pick(_DELIB_ACTIONS, rng.integers(0, len(_DELIB_ACTIONS), n))
        + " "
        + _pick(_DELIB_SUBJECTS, rng.integers(0, len(_DELIB_SUBJECTS), n))
    )

    budget = needs["budget"]
    interval = rng.random(n) < 0.2
    y = pl.Series(year + rng.integers(0, 2, n))
    annee = pl.select(
        pl.when(pl.Series(interval))
        .then(y.cast(pl.String) + "/" + (y + 1).cast(pl.String))
        .otherwise(y.cast(pl.String))
    ).to_series()
    t.columns["BUDGET_ANNEE"] = _masked(annee, budget)
    t.columns["BUDGET_NOM"] = _masked(_pick(_BUDGETS, rng.integers(0, len(_BUDGETS), n)), budget)

    pref = needs["pref"]
    dept = rng.integers(1, 96, n)
    dept = np.where(dept == 20, 21, dept)  # Corsica is 2A/2B, never 020
    pref_id = _choose(
        rng,
        [
            "PREF" + _int_str(dept).str.zfill(3),
            "SPREF" + _int_str(dept).str.zfill(3) + _int_str(rng.integers(1, 5, n)),
        ],
    )
    t.columns["PREF_ID"] = _masked(pref_id, pref)
    t.columns["PREF_DATE"] = _masked(_iso(_dates(days + rng.integers(0, 45, n))), pref)

    votes = needs["votes"]
    effectif = rng.integers(15, 70, n)
    reel = effectif - rng.integers(0, 8, n)
    contre = rng.binomial(reel, 0.1)
    abstention = rng.binomial(reel - contre, 0.08)
    pour = reel - contre - abstention
    for name, values in zip(_VOTES, [effectif, reel, pour, contre, abstention], strict=True):
        t.numbers[name] = values
        t.columns[name] = _masked(_int_str(values), votes)

    slugs = [
        "".join(ch for ch in town.lower().replace("'", "-") if ch.isascii() and (ch.isalnum() or ch == "-"))
        for town in _TOWNS
    ]
    url = (
        "https://www."
        + _pick(slugs, coll % len(_TOWNS))
        + ".fr/deliberations/"
        + pl.Series(year).cast(pl.String)
        + "/"
        + t.columns["DELIB_ID"]
        + ".pdf"
    )
    t.columns["DELIB_URL"] = _masked(url, needs["url"])
    return t


def _deliberations_masks(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {
        "budget": rng.random(n) < 0.6,
        "pref": rng.random(n) < 0.8,
        "votes": rng.random(n) < 0.7,
        "url": rng.random(n) < 0.7,
    }


# --------------------------------------------------------------------------------------------------
# Subventions.

SUBVENTIONS_FIELDS = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision", "nomBeneficiaire",
    "idBeneficiaire", "rnaBeneficiaire", "objet", "montant", "nature", "conditionsVersement",
    "datesPeriodeVersement", "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide",
]  # fmt: skip


def _too_long(name: str) -> Callable[[Table, np.ndarray, np.random.Generator], pl.Series]:
    def make(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
        # The text repeated past 256 characters (257 to 399 kept), as a pasted paragraph would be;
        # the shortest base text ("unique. ") repeated 60 times is long enough.
        repeated = pl.select(pl.concat_str([t.at(name, rows) + ". "] * 60)).to_series()
        return repeated.str.slice(0, pl.Series(rng.integers(257, 400, len(rows))))

    return make


def _bad_amount(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    amount = t.at("montant", rows)
    return _choose(
        rng,
        [
            amount.str.replace(".", ",", literal=True) + ",5",  # a French decimal comma
            amount.str.replace(r"\..*$", "") + " €",
            pl.Series(["NC"] * len(rows)),
            pl.Series(["1 000"] * len(rows)),
        ],
    )


def _bad_rna(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    rna = t.at("rnaBeneficiaire", rows)
    return _choose(rng, [rna.str.slice(0, 9), rna.str.to_lowercase(), rna.str.slice(1)])


def _bad_period(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    start = t.at("dateConvention", rows)
    return _choose(
        rng,
        [start.str.replace(r"^(\d{4})-(\d{2})-(\d{2})$", "$3/$2/$1"), start + " au " + start],
    )


def _long_rae(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    return _int_str(rng.integers(100000, 10**7, len(rows)))


def _no_beneficiary_id(t: Table, rows: np.ndarray, rng: np.random.Generator) -> pl.Series:
    # Nothing to write: the row was drawn without SIRET nor RNA (see ``needs``).
    return t.at("idBeneficiaire", rows)


def _subventions_kinds() -> list[Kind]:
    required = ["nomAttribuant", "idAttribuant", "dateConvention", "nomBeneficiaire", "objet", "montant"]
    required += ["nature", "conditionsVersement", "datesPeriodeVersement", "notificationUE"]
    required += ["pourcentageSubvention"]
    type_error, constraint_error = "type-error", "constraint-error"
    bad_natures = ["aide en numeraire", "Aide en numéraire", "subvention"]
    bad_natures += ["aide en numéraire, aide en nature"]
    # As for délibérations: one defect kind per two or three lines.
    # fmt: off
    return [
        *_required_kinds(required, 0.25, {}),
        Kind("date-dateConvention", "dateConvention", type_error, "date", 1.0,
             _set_to("dateConvention", _bad_date("dateConvention"))),
        Kind("number-montant", "montant", type_error, "number", 1.5, _set_to("montant", _bad_amount)),
        Kind("boolean-notificationUE", "notificationUE", type_error, "boolean", 1.0,
             _set_to("notificationUE", _constant_choice(["Oui", "NON", "false", "0", "o"]))),
        Kind("pattern-idAttribuant", "idAttribuant", constraint_error, "pattern", 0.8,
             _set_to("idAttribuant", _bad_siret_shape("idAttribuant")),
             also=(("idAttribuant", "french-siret-value", None),)),
        Kind("pattern-rnaBeneficiaire", "rnaBeneficiaire", constraint_error, "pattern", 1.0,
             _set_to("rnaBeneficiaire", _bad_rna), {"rna": True}),
        Kind("pattern-datesPeriodeVersement", "datesPeriodeVersement", constraint_error, "pattern", 1.0,
             _set_to("datesPeriodeVersement", _bad_period)),
        Kind("enum-nature", "nature", constraint_error, "enum", 1.0,
             _set_to("nature", _constant_choice(bad_natures))),
        Kind("maxLength-objet", "objet", constraint_error, "maxLength", 0.5,
             _set_to("objet", _too_long("objet"))),
        Kind("maxLength-conditionsVersement", "conditionsVersement", constraint_error, "maxLength", 0.3,
             _set_to("conditionsVersement", _too_long("conditionsVersement"))),
        Kind("maxLength-idRAE", "idRAE", constraint_error, "maxLength", 0.5, _set_to("idRAE", _long_rae)),
        Kind("minimum-pourcentageSubvention", "pourcentageSubvention", constraint_error, "minimum", 0.7,
             _set_to("pourcentageSubvention", _constant_choice(["0", "0.005", "-0.5"]))),
        Kind("maximum-pourcentageSubvention", "pourcentageSubvention", constraint_error, "maximum", 0.7,
             _set_to("pourcentageSubvention", _constant_choice(["45", "1.5", "100"]))),
        *_structure_kinds("dispositifAide"),
        # Custom checks.
        Kind("siret-checksum-idAttribuant", "idAttribuant", "french-siret-value", None, 1.5,
             _checksum_broken("idAttribuant")),
        Kind("siret-checksum-idBeneficiaire", "idBeneficiaire", "french-siret-value", None, 1.5,
             _checksum_broken("idBeneficiaire"), {"siret": True}),
        # A finding about two columns belongs to the row, as Validata reports it.
        Kind("no-beneficiary-id", "", "one-of-required", None, 1.0,
             _no_beneficiary_id, {"siret": False, "rna": False}),
    ]
    # fmt: on


def _subventions_masks(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    siret = rng.random(n) < 0.75
    rna = rng.random(n) < 0.6
    # Every beneficiary has at least one identifier, except where a defect removes both.
    rna |= ~siret
    return {"siret": siret, "rna": rna, "reference": rng.random(n) < 0.8, "rae": rng.random(n) < 0.2}


def _subventions_base(n: int, rng: np.random.Generator, needs: dict[str, np.ndarray]) -> Table:
    t = Table(list(SUBVENTIONS_FIELDS))
    att_names = _named([kind for kind, head in _COLL_KINDS if head in ("21", "20")])
    att_sirets = _sirets(rng, len(att_names), ["21"])
    att = rng.integers(0, len(att_names), n)
    t.columns["nomAttribuant"] = _pick(att_names, att)
    t.columns["idAttribuant"] = _pick(att_sirets, att)

    days = rng.integers(0, 3650, n)
    convention = _dates(days)
    t.columns["dateConvention"] = _iso(convention)
    year = convention.dt.year().cast(pl.String)
    reference = (
        year + "-" + _int_str(rng.integers(1, 13, n)).str.zfill(2) + "-" + _int_str(rng.integers(1, 400, n))
    )
    t.columns["referenceDecision"] = _masked(reference, needs["reference"])

    ben_names = _named(_ASSO_KINDS)
    ben_sirets = _sirets(rng, len(ben_names), ["4", "5", "7", "8"])
    ben_rna = ["W" + s for s in _digits_to_str(rng.integers(0, 10, (len(ben_names), 9)))]
    ben = rng.integers(0, len(ben_names), n)
    t.columns["nomBeneficiaire"] = _pick(ben_names, ben)
    t.columns["idBeneficiaire"] = _masked(_pick(ben_sirets, ben), needs["siret"])
    t.columns["rnaBeneficiaire"] = _masked(_pick(ben_rna, ben), needs["rna"])
    t.columns["objet"] = _pick(_SUBV_OBJETS, rng.integers(0, len(_SUBV_OBJETS), n))

    cents = np.round(rng.lognormal(8.0, 1.5, n) * 100).astype(np.int64) + 100
    whole = rng.random(n) < 0.4
    cents = np.where(whole, cents - cents % 100, cents)
    euros = _int_str(cents // 100)
    t.columns["montant"] = pl.select(
        pl.when(pl.Series(whole)).then(euros).otherwise(euros + "." + _int_str(cents % 100).str.zfill(2))
    ).to_series()
    t.columns["nature"] = _pick(_NATURES, rng.choice(len(_NATURES), n, p=[0.85, 0.08, 0.04, 0.03]))
    t.columns["conditionsVersement"] = _pick(_CONDITIONS, rng.integers(0, len(_CONDITIONS), n))
    start = _iso(_dates(days + rng.integers(0, 60, n)))
    end = _iso(_dates(days + rng.integers(60, 500, n)))
    t.columns["datesPeriodeVersement"] = _choose(rng, [start, start + "/" + end])
    t.columns["idRAE"] = _masked(_int_str(rng.integers(1, 100000, n)), needs["rae"])
    t.columns["notificationUE"] = _pick(["non", "oui"], (rng.random(n) < 0.05).astype(np.int64))
    # Most grants go to a single beneficiary (1); shared ones give a share in hundredths.
    share = _int_str(rng.integers(1, 100, n)).str.zfill(2)
    t.columns["pourcentageSubvention"] = pl.select(
        pl.when(pl.Series(rng.random(n) < 0.6)).then(pl.lit("1")).otherwise("0." + share)
    ).to_series()
    t.columns["dispositifAide"] = _masked(
        _pick(_DISPOSITIFS, rng.integers(0, len(_DISPOSITIFS), n)), rng.random(n) < 0.3
    )
    return t


# --------------------------------------------------------------------------------------------------
# Assembly.

_SPECS: dict[Dataset, tuple[list[str], Callable[[], list[Kind]], Callable[..., dict[str, np.ndarray]],
                            Callable[..., Table]]] = {
    "deliberations": (DELIBERATIONS_FIELDS, _deliberations_kinds, _deliberations_masks, _deliberations_base),
    "subventions": (SUBVENTIONS_FIELDS, _subventions_kinds, _subventions_masks, _subventions_base),
}  # fmt: skip


def kinds(dataset: Dataset) -> list[Kind]:
    """The kinds of defects injected into ``dataset`` files."""
    return _SPECS[dataset][1]()


def _quote(values: pl.Series) -> pl.Series:
    """RFC 4180 quoting, only where the cell needs it."""
    needs = values.str.contains(r'[",\r\n]')
    if not needs.any():
        return values
    # Escaping only the cells that need it: a when/then would escape the whole column.
    idx = needs.arg_true()
    escaped = '"' + values.gather(idx).str.replace_all('"', '""', literal=True) + '"'
    return values.clone().scatter(idx, escaped)


def _plan(
    n_bad: int, kind_list: list[Kind], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows for the defects, and the kind of each: every kind once, then by weight."""
    rows = rng.choice(n, n_bad, replace=False)
    weights = np.array([k.weight for k in kind_list])
    if n_bad >= len(kind_list):
        extra = rng.choice(len(kind_list), n_bad - len(kind_list), p=weights / weights.sum())
        which = rng.permutation(np.concatenate([np.arange(len(kind_list)), extra]))
    else:
        which = rng.choice(len(kind_list), n_bad, p=weights / weights.sum())
    return rows, which


def build(dataset: Dataset, n: int, *, error_rate: float = 0.01, seed: int = 1) -> tuple[pl.Series, Truth]:
    """The CSV lines (header first) of a generated file and its ground truth."""
    fields, kind_factory, make_masks, make_base = _SPECS[dataset]
    kind_list = kind_factory()
    n_bad = round(error_rate * n * len(fields))
    if n_bad > n:
        raise ValueError(f"error rate {error_rate} needs {n_bad} bad rows, more than the {n} rows")
    rng = np.random.default_rng(seed)
    rows, which = _plan(n_bad, kind_list, n, rng)

    masks = make_masks(n, rng)
    for i, kind in enumerate(kind_list):
        sel = rows[which == i]
        for mask_name, value in kind.needs.items():
            masks[mask_name][sel] = value
    table = make_base(n, rng, masks)
    assert list(table.columns) == fields, sorted(set(table.columns) ^ set(fields))

    findings: list[Finding] = []

    def record(kind: Kind, sel: np.ndarray, values: pl.Series | None) -> None:
        cells: list[str | None] = values.to_list() if values is not None else [None] * len(sel)
        row_numbers = (sel + 2).tolist()  # the header is row 1
        findings.extend(
            Finding(r, kind.field, kind.code, kind.detail, kind.name, v)
            for r, v in zip(row_numbers, cells, strict=True)
        )
        for name, code, detail in kind.also:
            also_cells = table.at(name, sel).to_list()
            findings.extend(
                Finding(r, name, code, detail, kind.name, v)
                for r, v in zip(row_numbers, also_cells, strict=True)
            )

    for i, kind in enumerate(kind_list):
        if kind.stage == "cell":
            sel = np.sort(rows[which == i])
            record(kind, sel, kind.inject(table, sel, rng))

    lines = pl.select(pl.concat_str([_quote(table.columns[f]) for f in fields], separator=",")).to_series()
    table.columns["_line"] = lines
    for i, kind in enumerate(kind_list):
        if kind.stage == "line":
            sel = np.sort(rows[which == i])
            new = kind.inject(table, sel, rng)
            table.columns["_line"] = table.columns["_line"].scatter(sel, new)
            record(kind, sel, None)
    findings.sort(key=lambda f: (f.row, f.field, f.code))
    header = pl.Series([",".join(fields)], dtype=pl.String)
    return header.append(table.columns["_line"]), Truth(dataset, n, seed, error_rate, findings)


def generate(
    dataset: Dataset,
    n: int,
    path: Path,
    *,
    error_rate: float = 0.01,
    seed: int = 1,
    truth_path: Path | None = None,
) -> Truth:
    """Write a generated CSV file of ``n`` data rows (UTF-8, LF line ends) and return its ground truth."""
    lines, truth = build(dataset, n, error_rate=error_rate, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pl.DataFrame({"line": lines}).write_csv(tmp, include_header=False, quote_style="never")
    tmp.replace(path)
    if truth_path is not None:
        truth.write(truth_path)
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("dataset", choices=DATASETS)
    parser.add_argument("rows", type=int, help="number of data rows")
    parser.add_argument("output", type=Path, help="CSV file to write")
    parser.add_argument("--error-rate", type=float, default=0.01, help="fraction of bad cells (default 0.01)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--truth", type=Path, help="where to write the ground truth (JSON)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    truth = generate(
        args.dataset,
        args.rows,
        args.output,
        error_rate=args.error_rate,
        seed=args.seed,
        truth_path=args.truth,
    )
    counts: dict[str, int] = {}
    for f in truth.findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    summary = ", ".join(f"{code} {count}" for code, count in sorted(counts.items()))
    print(
        f"{args.output}: {args.rows} rows, {len(truth.findings)} injected findings ({summary}) "
        f"in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
