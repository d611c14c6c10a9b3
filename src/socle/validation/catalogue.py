"""The one error catalogue: every code Socle reports, with its French title, message template and doc.

A message template uses ``{placeholders}``: ``{value}`` is the cell's text, ``{field}`` the field's
name; the others are parameters given by the check that reports it. ``docs/erreurs.md`` is generated
from this module (``python scripts/gen_error_docs.py``) and a test fails if it is out of date or if
a code lacks a title, a template or a doc.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

import polars as pl

Category = Literal["structure", "body", "schema"]


@dataclass(frozen=True)
class Entry:
    code: str
    detail: str | None
    category: Category
    title: str
    template: str
    doc: str

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.code, self.detail)


_ENTRIES: list[Entry] = []


def _add(code: str, detail: str | None, category: Category, title: str, template: str, doc: str) -> None:  # noqa: PLR0917 - the catalogue reads as a table
    _ENTRIES.append(Entry(code, detail, category, title, template, doc))


# --- Structure: the table's shape and header ------------------------------------------------------
_add(
    "blank-label",
    None,
    "structure",
    "En-tête vide",
    "La colonne n°{column} n'a pas de nom d'en-tête.",
    "Une cellule de la ligne d'en-tête est vide : chaque colonne doit porter le nom d'un champ du schéma.",
)
_add(
    "duplicate-label",
    None,
    "structure",
    "En-tête en double",
    "La colonne « {field} » apparaît plusieurs fois (colonnes {columns}).",
    "Deux colonnes portent le même nom : seule la première est rapprochée du champ du schéma.",
)
_add(
    "missing-label",
    None,
    "structure",
    "Colonne obligatoire manquante",
    "La colonne obligatoire « {field} » est absente du fichier.",
    "Le schéma déclare ce champ obligatoire (« required ») mais aucune colonne ne porte ce nom.",
)
_add(
    "blank-header",
    None,
    "structure",
    "Ligne d'en-tête absente",
    "Le fichier ne contient aucune ligne d'en-tête.",
    "Le fichier est vide ou sa première ligne ne contient aucun nom de colonne.",
)
_add(
    "missing-header-warn",
    None,
    "structure",
    "Colonne facultative manquante",
    "Ajoutez la colonne manquante « {field} ».",
    "Avertissement : un champ facultatif du schéma n'a pas de colonne dans le fichier.",
)
_add(
    "extra-header-warn",
    None,
    "structure",
    "Colonne surnuméraire",
    "Retirez la colonne « {field} » non définie dans le schéma.",
    "Avertissement : une colonne du fichier ne correspond à aucun champ du schéma ; elle est ignorée.",
)
_add(
    "disordered-header-warn",
    None,
    "structure",
    "Colonnes désordonnées",
    "Réordonnez les colonnes du fichier pour respecter le schéma : {expected}.",
    "Avertissement : toutes les colonnes sont là, mais pas dans l'ordre du schéma.",
)

# --- Schema problems (the schema itself, not the data) --------------------------------------------
_add(
    "check-error",
    "unknown",
    "schema",
    "Contrôle personnalisé inconnu",
    "Le schéma utilise le contrôle personnalisé « {check} », que Socle ne connaît pas : il n'a pas été appliqué.",
    "Le schéma déclare dans « custom_checks » un contrôle absent du registre de Socle.",
)
_add(
    "check-error",
    "params",
    "schema",
    "Contrôle personnalisé mal paramétré",
    "Le contrôle personnalisé « {check} » est mal paramétré : {reason}",
    "Les paramètres d'un contrôle de « custom_checks » sont absents ou invalides ; le contrôle n'a pas été appliqué.",
)
_add(
    "check-error",
    "pattern",
    "schema",
    "Motif non évaluable",
    "Le motif (« pattern ») du champ « {field} » n'a pas pu être évalué : {reason}",
    "L'expression régulière du schéma est invalide ou trop coûteuse à évaluer sur ces valeurs ; les cellules "
    "concernées ne sont pas déclarées fausses.",
)

# --- Rows and cells ---------------------------------------------------------------------------------
_add(
    "blank-row",
    None,
    "body",
    "Ligne vide",
    "La ligne {row} est vide.",
    "Toutes les cellules de la ligne sont vides : supprimez-la.",
)
_add(
    "extra-cell",
    None,
    "body",
    "Cellule surnuméraire",
    "La ligne {row} contient une cellule de trop (« {value} ») en colonne {column}.",
    "La ligne a plus de cellules que l'en-tête n'a de colonnes (souvent un séparateur en trop dans le texte).",
)
_add(
    "missing-cell",
    None,
    "body",
    "Cellule manquante",
    "La ligne {row} s'arrête avant la colonne « {field} ».",
    "La ligne a moins de cellules que l'en-tête n'a de colonnes (séparateurs manquants).",
)

_TYPE_HINTS = {
    "string": "un texte",
    "integer": "un nombre entier (par exemple 12 ou -3)",
    "number": "un nombre (par exemple 12.5)",
    "boolean": "un booléen ({expected})",
    "date": "une date au format {expected}",
    "time": "une heure au format {expected}",
    "datetime": "une date et heure au format {expected}",
    "year": "une année sur quatre chiffres (par exemple 2024)",
    "yearmonth": "une année et un mois au format AAAA-MM (par exemple 2024-03)",
    "duration": "une durée au format ISO 8601 (par exemple P1Y2M3DT4H)",
    "geopoint": "un point géographique au format {expected}",
    "geojson": "un objet GeoJSON",
    "object": "un objet JSON",
    "array": "un tableau JSON{items}",
    "any": "une valeur",
}
for _type, _hint in _TYPE_HINTS.items():
    _add(
        "type-error",
        _type,
        "body",
        "Format incorrect",
        "La valeur « {value} » n'est pas " + _hint + ".",
        f"La cellule doit contenir {_hint.replace('{expected}', 'celui déclaré par le schéma')}.",
    )
for _fmt, _hint in {
    "email": "une adresse électronique valide",
    "uri": "une adresse web (URI) valide",
    "uuid": "un identifiant UUID valide",
    "binary": "un contenu binaire encodé en base64",
}.items():
    _add(
        "type-error",
        f"string/{_fmt}",
        "body",
        "Format incorrect",
        "La valeur « {value} » n'est pas " + _hint + ".",
        f"Le champ texte a le format « {_fmt} » : la cellule doit contenir {_hint}.",
    )

_add(
    "constraint-error",
    "required",
    "body",
    "Valeur manquante",
    "Une valeur est obligatoire dans la colonne « {field} ».",
    "Le champ est obligatoire (« required ») : la cellule ne peut pas être vide.",
)
_add(
    "constraint-error",
    "minLength",
    "body",
    "Valeur trop courte",
    "La valeur « {value} » est trop courte : {limit} caractères au moins.",
    "La valeur compte moins de caractères que le minimum (« minLength ») du schéma.",
)
_add(
    "constraint-error",
    "maxLength",
    "body",
    "Valeur trop longue",
    "La valeur « {value} » est trop longue : {limit} caractères au plus.",
    "La valeur compte plus de caractères que le maximum (« maxLength ») du schéma.",
)
_add(
    "constraint-error",
    "minimum",
    "body",
    "Valeur trop petite",
    "La valeur « {value} » est inférieure au minimum autorisé ({limit}).",
    "La valeur est plus petite que le minimum (« minimum ») du schéma.",
)
_add(
    "constraint-error",
    "maximum",
    "body",
    "Valeur trop grande",
    "La valeur « {value} » est supérieure au maximum autorisé ({limit}).",
    "La valeur est plus grande que le maximum (« maximum ») du schéma.",
)
_add(
    "constraint-error",
    "exclusiveMinimum",
    "body",
    "Valeur trop petite",
    "La valeur « {value} » doit être strictement supérieure à {limit}.",
    "La valeur doit dépasser strictement le minimum exclusif (« exclusiveMinimum ») du schéma.",
)
_add(
    "constraint-error",
    "exclusiveMaximum",
    "body",
    "Valeur trop grande",
    "La valeur « {value} » doit être strictement inférieure à {limit}.",
    "La valeur doit rester strictement sous le maximum exclusif (« exclusiveMaximum ») du schéma.",
)
_add(
    "constraint-error",
    "pattern",
    "body",
    "Format incorrect",
    "La valeur « {value} » ne respecte pas le format attendu pour « {field} »{hint}.",
    "La valeur ne correspond pas au motif (« pattern ») du schéma ; la description du champ en donne le sens.",
)
_add(
    "constraint-error",
    "enum",
    "body",
    "Valeur non autorisée",
    "La valeur « {value} » n'est pas autorisée ; valeurs possibles : {allowed}.",
    "La valeur doit être l'une de celles que le schéma énumère (« enum »), à la casse et aux accents près.",
)
_add(
    "constraint-error",
    "jsonSchema",
    "body",
    "Objet non conforme",
    "La valeur « {value} » ne respecte pas le schéma JSON du champ.",
    "La valeur JSON ne respecte pas la contrainte « jsonSchema » du champ.",
)
_add(
    "unique-error",
    None,
    "body",
    "Valeur en double",
    "La valeur « {value} » de la colonne « {field} » apparaît déjà ligne {first_row}.",
    "Le champ est unique (« unique ») : chaque valeur ne doit apparaître qu'une fois.",
)
_add(
    "primary-key",
    None,
    "body",
    "Clé primaire en double",
    "La clé primaire ({key}) de la ligne {row} reprend celle de la ligne {first_row}.",
    "La combinaison des champs de la clé primaire (« primaryKey ») doit être unique et non vide.",
)

# --- French custom checks of schema.data.gouv.fr ------------------------------------------------------
_add(
    "french-siret-value",
    None,
    "body",
    "SIRET invalide",
    "La valeur « {value} » n'est pas un numéro SIRET valide (14 chiffres, clé de contrôle de Luhn).",
    "Un SIRET compte 14 chiffres sans espace et respecte la formule de Luhn (sauf La Poste, SIREN 356000000).",
)
_add(
    "french-siren-value",
    None,
    "body",
    "SIREN invalide",
    "La valeur « {value} » n'est pas un numéro SIREN valide (9 chiffres, clé de contrôle de Luhn).",
    "Un SIREN compte 9 chiffres sans espace et respecte la formule de Luhn.",
)
_add(
    "nomenclature-actes-value",
    None,
    "body",
    "Matière d'acte invalide",
    "La valeur « {value} » ne respecte pas la nomenclature des actes{reason}.",
    "La matière doit commencer par un intitulé de niveau 1 de la nomenclature @ctes, suivi de « / » et d'un "
    "intitulé de niveau 2 (par exemple « Urbanisme/Droit de préemption urbain »).",
)
_add(
    "compare-columns-value",
    None,
    "body",
    "Comparaison de colonnes non respectée",
    "La valeur de « {field} » ({value}) devrait être {op_text} celle de « {other} » ({other_value}).",
    "Deux colonnes doivent respecter une comparaison (par exemple une date de transmission postérieure à la date "
    "de décision).",
)
_add(
    "sum-columns-value",
    None,
    "body",
    "Somme incorrecte",
    "La valeur de « {field} » ({value}) devrait être la somme de {columns} ({expected}).",
    "Une colonne doit être égale à la somme de plusieurs autres.",
)
_add(
    "year-interval-value",
    None,
    "body",
    "Intervalle d'années invalide",
    "La valeur « {value} » n'est pas un intervalle d'années valide{reason}.",
    "La valeur doit être un intervalle d'années « AAAA/AAAA » croissant (ou une année seule quand le schéma "
    "l'autorise).",
)
_add(
    "cohesive-columns-value",
    None,
    "body",
    "Colonnes incohérentes",
    "Les colonnes {columns} doivent être toutes renseignées ou toutes vides (ligne {row}).",
    "Un groupe de colonnes doit être rempli en entier ou laissé vide en entier.",
)
_add(
    "one-of-required",
    None,
    "body",
    "Au moins une valeur requise",
    "Au moins l'une des colonnes « {field} » et « {other} » doit être renseignée.",
    "Deux colonnes ne peuvent pas être vides en même temps.",
)
_add(
    "opening-hours-value",
    None,
    "body",
    "Horaires invalides",
    "La valeur « {value} » ne respecte pas le format des horaires d'ouverture OpenStreetMap.",
    "Les horaires suivent la syntaxe « opening_hours » d'OpenStreetMap (par exemple « Mo-Fr 08:00-12:00 »).",
)
_add(
    "phone-number-value",
    None,
    "body",
    "Numéro de téléphone invalide",
    "La valeur « {value} » n'est pas un numéro de téléphone valide.",
    "Le numéro doit être un numéro de téléphone français ou international valide.",
)
_add(
    "french-gps-coordinates",
    None,
    "body",
    "Coordonnées hors de France",
    "Les coordonnées ({value}) ne sont pas situées en France.",
    "Le point doit se trouver en France métropolitaine ou dans les territoires d'outre-mer.",
)
_add(
    "reversed-french-gps-coordinates",
    None,
    "body",
    "Coordonnées inversées",
    "Les coordonnées ({value}) semblent inversées : la latitude et la longitude ont été échangées.",
    "Le point serait en France si la latitude et la longitude étaient échangées.",
)

_add(
    "compare-columns-value",
    "not-comparable",
    "body",
    "Valeurs non comparables",
    "La valeur de « {field} » ({value}) ne peut pas être comparée à celle de « {other} » ({other_value}) : "
    "ce ne sont pas des valeurs de même nature.",
    "Les deux colonnes doivent contenir des valeurs comparables (deux nombres, deux dates, deux textes…).",
)
_add(
    "cohesive-columns-value",
    "absent-columns",
    "body",
    "Colonnes solidaires incomplètes",
    "Les colonnes {columns} doivent être toutes présentes ou toutes absentes ; il manque {absent}.",
    "Une partie seulement d'un groupe de colonnes solidaires est dans le fichier : ses lignes ne sont pas "
    "vérifiées.",
)
_add(
    "one-of-required",
    "absent-columns",
    "body",
    "Colonnes requises absentes",
    "Les colonnes « {field} » et « {other} » sont toutes deux absentes : l'une des deux au moins est obligatoire.",
    "Le schéma demande qu'au moins l'une de ces deux colonnes soit renseignée ; aucune n'est dans le fichier.",
)
_add(
    "constraint-error",
    "arrayItem/enum",
    "body",
    "Élément non autorisé",
    "La valeur « {value} » contient un élément non autorisé ; valeurs possibles : {allowed}.",
    "Chaque élément du tableau doit être l'une des valeurs énumérées par « arrayItem » dans le schéma.",
)
_add(
    "constraint-error",
    "arrayItem/required",
    "body",
    "Élément vide",
    "La valeur « {value} » contient un élément vide.",
    "Les éléments du tableau sont obligatoires (« arrayItem » requis) : aucun ne peut être vide.",
)
_add(
    "constraint-error",
    "arrayItem",
    "body",
    "Élément non conforme",
    "La valeur « {value} » contient un élément qui ne respecte pas la contrainte « {constraint} » ({limit}).",
    "Chaque élément du tableau doit respecter les contraintes déclarées par « arrayItem » dans le schéma.",
)

CATALOGUE: dict[tuple[str, str | None], Entry] = {e.key: e for e in _ENTRIES}
CODES: frozenset[str] = frozenset(e.code for e in _ENTRIES)
WARNING_CODES = frozenset({"missing-header-warn", "extra-header-warn", "disordered-header-warn"})

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def entry(code: str, detail: str | None = None) -> Entry:
    """The catalogue entry of ``(code, detail)``, falling back to the code's general entry."""
    try:
        return CATALOGUE[(code, detail)]
    except KeyError:
        if (code, None) in CATALOGUE:
            return CATALOGUE[(code, None)]
        raise KeyError(f"code absent du catalogue : {code} / {detail}") from None


CATEGORIES: dict[str, Category] = {e.code: e.category for e in reversed(_ENTRIES)}


def category(code: str) -> Category:
    return CATEGORIES[code]


def text(code: str, detail: str | None = None, **params: object) -> str:
    """The French message as a plain string (for one-off findings)."""
    template = entry(code, detail).template
    return _PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), template)


def message(code: str, detail: str | None = None, **params: pl.Expr | object) -> pl.Expr:
    """The French message as a polars expression; parameters may be expressions (per row) or constants."""
    parts: list[pl.Expr] = []
    for literal, name in _template_parts(code, detail):
        if literal is not None:
            parts.append(literal)
            continue
        if name not in params:
            raise KeyError(f"paramètre « {name} » manquant pour le message {code}/{detail}")
        value = params[name]
        if isinstance(value, pl.Expr):
            parts.append(value.cast(pl.String).fill_null(""))
        else:
            parts.append(pl.lit(str(value)))
    return pl.concat_str(parts) if len(parts) > 1 else parts[0]


@functools.cache
def _template_parts(code: str, detail: str | None) -> tuple[tuple[pl.Expr | None, str], ...]:
    """The template of ``(code, detail)`` cut into its texts (as expressions, made once: a row typed in a
    form builds dozens of messages) and its placeholders, as ``(text, "")`` or ``(None, name)``."""
    template = entry(code, detail).template
    parts: list[tuple[pl.Expr | None, str]] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        if m.start() > pos:
            parts.append((pl.lit(template[pos : m.start()]), ""))
        parts.append((None, m.group(1)))
        pos = m.end()
    if pos < len(template):
        parts.append((pl.lit(template[pos:]), ""))
    return tuple(parts)
