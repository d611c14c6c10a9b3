"""Column mapping: which column of a source file holds which field of a schema.

Each column label goes through these stages; the first that matches decides (:class:`Method`):

1. ``exact``: the label is the field's name (spaces around it aside);
2. ``normalized``: the same name once case, accents, spaces and punctuation are ignored
   (``NOM Bénéficiaire`` is ``nomBeneficiaire``);
3. ``title``: the field's title, compared the same way (``Nom du bénéficiaire*``);
4. ``alias``: a former name of the field known for this schema (:mod:`socle.importing.aliases`);
5. ``fuzzy``: the most similar name, title or alias, word by word (rapidfuzz), scored 0–100.

The first four are sure and applied. A fuzzy match is applied only from :data:`APPLY_THRESHOLD` on,
and when no other field comes within :data:`AMBIGUITY_MARGIN` of it; otherwise it is only proposed,
for a person to confirm (:meth:`ColumnMapping.choose`). A column gives at most one field and a field
comes from at most one column: when several columns claim a field, the best score keeps it and the
others are reported as :class:`Conflict` (a loser may then be proposed its next choice). A column
whose label repeats an earlier one is a :class:`Duplicate` and is not mapped.

A mapping is saved as JSON (:meth:`ColumnMapping.save`, format in ``docs/import.md``) and applied to
a table (:meth:`ColumnMapping.apply`): the result has one column per schema field, in the schema's
order, empty where the file has no column for the field, and keeps the file's row numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
from rapidfuzz import fuzz

from socle.errors import UsageError
from socle.importing.aliases import ALIASES
from socle.io.table import CELLS, ROW, Batch, Table, column_name
from socle.schemas import TableSchema
from socle.schemas.ref import RefKind
from socle.text import without_accents

FORMAT_VERSION = 1
"""Version of the JSON format written by :meth:`ColumnMapping.save`."""
APPLY_THRESHOLD = 85
"""Lowest fuzzy score applied without a person's confirmation."""
PROPOSE_THRESHOLD = 60
"""Lowest fuzzy score still worth proposing; below it a column is left without a field."""
AMBIGUITY_MARGIN = 5
"""A fuzzy match is not applied when another field scores within this many points of it."""
FUZZY_MAX_SCORE = 95
"""A resemblance never scores as high as a known name, however close the words."""
STEM_LENGTH = 6
"""Two words sharing this many first letters count as the same word in part (``notifiée``, ``notification``)."""
STEM_SIMILARITY = 0.8
"""How much two such words count as the same."""


class Method(StrEnum):
    """How a column was matched to a field."""

    EXACT = "exact"
    NORMALIZED = "normalized"
    TITLE = "title"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        """French description, for messages."""
        return _METHOD_LABELS[self]


_METHOD_LABELS = {
    Method.EXACT: "nom exact du champ",
    Method.NORMALIZED: "nom du champ à la casse, aux accents et à la ponctuation près",
    Method.TITLE: "titre du champ",
    Method.ALIAS: "ancien nom connu du champ",
    Method.FUZZY: "ressemblance",
    Method.MANUAL: "choix manuel",
}
METHOD_SCORES = {
    Method.EXACT: 100,
    Method.MANUAL: 100,
    Method.NORMALIZED: 99,
    Method.TITLE: 98,
    Method.ALIAS: 96,
}
"""Fixed confidence of the stages that do not measure a resemblance."""
_RANK = {method: rank for rank, method in enumerate(Method)}


# --- Label normalisation -----------------------------------------------------------------------------

# UTF-8 read as Windows-1252: "Ã©" for "é", "Ã\xa0" for "à" (a lead byte, then a continuation byte).
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Words that say nothing of a field, and spellings of the same word, for the fuzzy stage only.
_STOP_WORDS = frozenset(
    {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "un", "une"}
)
_SYNONYMS = {
    "n": "numero",
    "no": "numero",
    "num": "numero",
    "id": "identifiant",
    "ident": "identifiant",
    "identification": "identifiant",
    "mt": "montant",
    "mnt": "montant",
    "nb": "nombre",
    "pct": "pourcentage",
    "benef": "beneficiaire",
    # In the schemas of schema.data.gouv.fr, identifiers of bodies (idAttribuant, COLL_SIRET…) are SIRETs.
    "siret": "identifiant",
}
AMBIGUOUS_WORDS = {
    "attributaire": "« attributaire » désigne selon les fichiers l'attribuant ou le bénéficiaire",
}
"""Words that files use for opposite things: a label holding one is never matched without confirmation."""


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text decoded as Windows-1252 (``RÃ©fÃ©rence`` → ``Référence``), piece by piece."""
    if "Ã" not in text and "Â" not in text:
        return text

    def fix(match: re.Match[str]) -> str:
        try:
            return match.group().encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return match.group()

    return _MOJIBAKE.sub(fix, text)


def _plain(text: str) -> str:
    """Lower-case ASCII letters and digits: accents dropped, ligatures spelt out."""
    return without_accents(repair_mojibake(text).casefold())


def compact(label: str) -> str:
    """A label without case, accents, spaces or punctuation: ``Nom du bénéficiaire*`` → ``nomdubeneficiaire``."""
    return _NON_ALNUM.sub("", _plain(label))


def words(label: str) -> list[str]:
    """The meaningful words of a label or field name, singular, for resemblance.

    ``idAttribuant`` → ``identifiant attribuant``; ``N° SIRET`` → ``numero siret``; ``Date(s) de
    versement`` → ``date versement``; ``% du mt`` → ``pourcentage montant``.
    """
    text = _CAMEL.sub(" ", repair_mojibake(label)).replace("%", " pourcentage ").replace("°", " ")
    found: list[str] = []
    for raw in _NON_ALNUM.split(_plain(text)):
        word = _SYNONYMS.get(raw, raw)
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word and word not in _STOP_WORDS and (len(word) > 1 or word.isdigit()):
            found.append(word)
    return found


# --- Results -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A field proposed for a source column."""

    column: int
    """0-based position of the column in the source header."""
    label: str
    field: str
    method: Method
    score: int
    """Confidence, 0–100."""
    applied: bool
    """False for a proposal that a person has to confirm."""
    note: str = ""
    """Why it is not applied, or where it comes from (French)."""

    def describe(self) -> str:
        """One French line, e.g. « « COLL_NOM » (colonne 1) → nomAttribuant : ancien nom connu du champ, 96 »."""
        text = (
            f"« {self.label} » (colonne {self.column + 1}) → {self.field} : {self.method.label}, {self.score}"
        )
        if not self.applied:
            text += " ; à confirmer"
        return f"{text} ({self.note})" if self.note else text


@dataclass(frozen=True)
class Conflict:
    """Two columns claimed the same field: ``kept`` has it, ``lost`` does not."""

    field: str
    kept: int
    kept_label: str
    kept_score: int
    lost: int
    lost_label: str
    lost_score: int

    def describe(self) -> str:
        return (
            f"« {self.lost_label} » (colonne {self.lost + 1}) correspond aussi à {self.field} "
            f"(score {self.lost_score}) mais « {self.kept_label} » (colonne {self.kept + 1}) lui "
            f"correspond mieux (score {self.kept_score})"
        )


@dataclass(frozen=True)
class Duplicate:
    """A label found in several columns (only the first one is mapped)."""

    label: str
    columns: tuple[int, ...]

    def describe(self) -> str:
        listed = _and_list([str(column + 1) for column in self.columns])
        return f"Libellé « {self.label} » en double (colonnes {listed}) : seule la première est retenue"


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column gives which schema field, with how sure each choice is."""

    fields: tuple[str, ...]
    """The schema's field names, in the schema's order."""
    header: tuple[str, ...]
    """The source labels, by position."""
    proposals: tuple[Proposal, ...]
    """At most one per column and per field, in column order."""
    conflicts: tuple[Conflict, ...] = ()
    schema: str | None = None
    """The schema reference (``scdl/subventions@2.1.1``) when known."""
    required: tuple[str, ...] = dataclass_field(default=())
    """Fields the schema requires (for messages only)."""

    # --- reading the result

    @property
    def applied(self) -> dict[str, int]:
        """{field: source column} of the applied proposals."""
        return {p.field: p.column for p in self.proposals if p.applied}

    @property
    def pending(self) -> tuple[Proposal, ...]:
        """Proposals waiting for a person's confirmation."""
        return tuple(p for p in self.proposals if not p.applied)

    @property
    def recognised(self) -> int:
        """Number of columns with an applied field."""
        return sum(p.applied for p in self.proposals)

    @property
    def labelled(self) -> int:
        """Number of columns with a non-blank label."""
        return sum(bool(label.strip()) for label in self.header)

    @property
    def unmapped_columns(self) -> tuple[int, ...]:
        """Columns with a label but no applied field."""
        used = set(self.applied.values())
        return tuple(i for i, label in enumerate(self.header) if label.strip() and i not in used)

    @property
    def missing_fields(self) -> tuple[str, ...]:
        """Fields no column gives (applied proposals only)."""
        applied = self.applied
        return tuple(name for name in self.fields if name not in applied)

    @property
    def duplicates(self) -> tuple[Duplicate, ...]:
        """Labels found in several columns."""
        return tuple(_duplicates(self.header))

    def proposal_for(self, column: int) -> Proposal | None:
        """The proposal for a source column, if any."""
        return next((p for p in self.proposals if p.column == column), None)

    def summary(self) -> list[str]:
        """French lines describing the mapping, most important first."""
        found = len(self.fields) - len(self.missing_fields)
        lines = [
            f"{self.recognised} colonne{_s(self.recognised)} sur {self.labelled} reconnue{_s(self.recognised)} ; "
            f"{found} champ{_s(found)} du schéma sur {len(self.fields)}."
        ]
        lines += [p.describe() for p in self.proposals]
        lines += [conflict.describe() + "." for conflict in self.conflicts]
        lines += [duplicate.describe() + "." for duplicate in self.duplicates]
        unmapped = [i for i in self.unmapped_columns if self.proposal_for(i) is None]
        if unmapped:
            listed = ", ".join(f"« {self.header[i]} » ({i + 1})" for i in unmapped)
            lines.append(f"Colonnes sans champ correspondant : {listed}.")
        missing = self.missing_fields
        if missing:
            required = [name for name in missing if name in self.required]
            text = f"Champs sans colonne (laissés vides) : {', '.join(missing)}."
            if required:
                text += f" Dont obligatoires : {', '.join(required)}."
            lines.append(text)
        return lines

    # --- changing it

    def choose(self, column: int, field_name: str | None) -> ColumnMapping:
        """A copy where a person chose ``field_name`` for ``column`` (None: no field for it)."""
        if not 0 <= column < len(self.header):
            raise UsageError(f"Colonne {column + 1} inexistante : l'en-tête a {len(self.header)} colonnes.")
        if field_name is not None and field_name not in self.fields:
            raise UsageError(f"Champ « {field_name} » inconnu du schéma.")
        kept = [p for p in self.proposals if p.column != column and p.field != field_name]
        if field_name is not None:
            kept.append(
                Proposal(
                    column, self.header[column], field_name, Method.MANUAL, METHOD_SCORES[Method.MANUAL], True
                )
            )
        return replace(self, proposals=tuple(sorted(kept, key=lambda p: p.column)))

    def for_header(self, header: Sequence[str]) -> ColumnMapping:
        """The same choices for another file's header, finding each column by its label.

        A column is found by its exact label, else by its :func:`compact` label; a choice whose
        label is absent is dropped (its field becomes missing).
        """
        free = list(range(len(header)))
        moved: list[Proposal] = []
        for proposal in self.proposals:
            position = next((i for i in free if header[i].strip() == proposal.label.strip()), None)
            if position is None:
                key = compact(proposal.label)
                position = next((i for i in free if compact(header[i]) == key), None)
            if position is not None:
                free.remove(position)
                moved.append(replace(proposal, column=position, label=header[position]))
        return replace(
            self, header=tuple(header), proposals=tuple(sorted(moved, key=lambda p: p.column)), conflicts=()
        )

    # --- applying it

    def sources(self) -> list[int | None]:
        """For each schema field in order, the source column that gives it (None: absent)."""
        applied = self.applied
        return [applied.get(name) for name in self.fields]

    def check_header(self, header: Sequence[str]) -> None:
        """Raise :class:`UsageError` unless ``header`` has the mapped labels at the mapped positions."""
        for proposal in self.proposals:
            if not proposal.applied:
                continue
            found = header[proposal.column] if proposal.column < len(header) else None
            if found is None or compact(found) != compact(proposal.label):
                shown = "rien" if found is None else f"« {found} »"
                raise UsageError(
                    f"L'en-tête du fichier ne correspond pas à la correspondance de colonnes : colonne "
                    f"{proposal.column + 1}, « {proposal.label} » attendu, {shown} trouvé. Adaptez la "
                    "correspondance à ce fichier (les colonnes sont alors retrouvées par leur libellé)."
                )

    def apply(self, table: Table) -> Table:
        """The table with one column per schema field, in the schema's order, named by the fields.

        A field without a column is empty (``""``) on every row, as is a cell the source row did not
        have; blank rows stay blank, and row numbers stay those of the file.
        """
        self.check_header(table.header)
        sources = self.sources()
        missing = self.missing_fields
        found = len(self.fields) - len(missing)
        note = f"Colonnes renommées selon le schéma : {found} champ{_s(found)} sur {len(self.fields)} trouvé{_s(found)}"
        note += f" ; sans colonne (laissés vides) : {', '.join(missing)}." if missing else "."
        info = replace(table.source, notes=[*table.source.notes, note])
        batches = (Batch(_select(batch.frame, sources)) for batch in table.batches())
        return Table(header=list(self.fields), source=info, header_row=table.header_row, _batches=batches)

    def apply_frame(self, frame: pl.DataFrame) -> pl.DataFrame:
        """A batch frame (``c0``… ``__row__`` ``__cells__``) as columns named by the schema's fields.

        The fields come in the schema's order, then ``__row__``; absent fields and absent cells are
        ``""``, and blank rows are null throughout.
        """
        selected = _select(frame, self.sources())
        renamed = {column_name(i): name for i, name in enumerate(self.fields)}
        return selected.rename(renamed).select([*self.fields, ROW])

    # --- JSON

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``docs/import.md`` (``format_version`` 1)."""
        return {
            "format_version": FORMAT_VERSION,
            "schema": self.schema,
            "fields": list(self.fields),
            "required": list(self.required),
            "header": list(self.header),
            "columns": [
                {
                    "column": p.column,
                    "label": p.label,
                    "field": p.field,
                    "method": p.method.value,
                    "score": p.score,
                    "applied": p.applied,
                    "note": p.note,
                }
                for p in self.proposals
            ],
            "conflicts": [
                {
                    "field": c.field,
                    "kept": c.kept,
                    "kept_label": c.kept_label,
                    "kept_score": c.kept_score,
                    "lost": c.lost,
                    "lost_label": c.lost_label,
                    "lost_score": c.lost_score,
                }
                for c in self.conflicts
            ],
        }

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> ColumnMapping:
        """Read the JSON document written by :meth:`to_dict`; :class:`UsageError` in French if it is not one."""
        return _parse_document(document)

    def save(self, path: str | Path) -> None:
        """Write the mapping as a JSON file (UTF-8)."""
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        """Read a mapping saved by :meth:`save`."""
        file = Path(path)
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageError(f"Correspondance de colonnes illisible ({file.name}) : {error}.") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageError(
                f"Correspondance de colonnes « {file.name} » : JSON invalide ({error})."
            ) from None
        return _parse_document(document)


def _s(count: int) -> str:
    return "s" if count > 1 else ""


def _and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _duplicates(header: Sequence[str]) -> Iterator[Duplicate]:
    positions: dict[str, list[int]] = {}
    for index, label in enumerate(header):
        key = compact(label)
        if key:
            positions.setdefault(key, []).append(index)
    for columns in positions.values():
        if len(columns) > 1:
            yield Duplicate(header[columns[0]], tuple(columns))


def _select(frame: pl.DataFrame, sources: Sequence[int | None]) -> pl.DataFrame:
    """Frame columns ``c0``… taken from the source positions, empty for None; blank rows stay blank.

    A position the frame lacks (a label above a column no row fills) gives empty cells too.
    """
    blank = pl.col(CELLS) == 0
    present = set(frame.columns)
    columns: list[pl.Expr] = []
    for position, source in enumerate(sources):
        name = column_name(source) if source is not None else None
        value = pl.col(name).fill_null("") if name in present else pl.lit("", dtype=pl.String)
        columns.append(
            pl.when(blank).then(pl.lit(None, dtype=pl.String)).otherwise(value).alias(column_name(position))
        )
    cells = pl.when(blank).then(pl.lit(0, dtype=pl.Int32)).otherwise(pl.lit(len(sources), dtype=pl.Int32))
    return frame.select([*columns, pl.col(ROW), cells.alias(CELLS)])


# --- Matching ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    field: str
    method: Method
    score: int


@dataclass(frozen=True)
class _FieldKeys:
    name: str
    compact_name: str
    compact_title: str
    forms: tuple[tuple[str, ...], ...]
    """Words of the name, of the title and of each former name."""
    bag: frozenset[str]
    """Every word of the forms."""


def known_aliases(schema: TableSchema) -> dict[str, str]:
    """{former label, as written: field} known for ``schema`` (see :mod:`socle.importing.aliases`).

    A catalogue schema gets the table of its name; a schema read from a file or a URL gets the
    table whose fields it all has, if any.
    """
    names = set(schema.field_names)
    table: Mapping[str, str] | None = None
    if schema.ref is not None and schema.ref.kind is RefKind.CATALOGUE:
        table = ALIASES.get(schema.ref.name)
    if table is None:
        table = next((t for t in ALIASES.values() if set(t.values()) <= names), None)
    return {label: target for label, target in (table or {}).items() if target in names}


@lru_cache(maxsize=65_536)
def word_similarity(a: str, b: str) -> float:
    """How alike two words are, 0–1: equal, a typo away (``beneficaire``), or sharing a long stem."""
    if a == b:
        return 1.0
    ratio = fuzz.ratio(a, b) / 100
    if ratio >= 0.85:
        return ratio
    stem = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return STEM_SIMILARITY if stem >= STEM_LENGTH else 0.0


class Matcher:
    """A schema's fields as the stages compare labels to them; build it once to map many headers.

    The fuzzy stage weighs each word by its rarity among the fields (``identifiant`` names five
    fields of scdl/subventions and says less than ``rae``), then scores a label against a field as
    the harmonic mean of two shares: how much of the label the field's words explain, and how much
    of the field's best-matching form (name, title or a former name) the label covers.
    """

    def __init__(self, schema: TableSchema, aliases: Mapping[str, str] | None = None) -> None:
        table = dict(aliases) if aliases is not None else known_aliases(schema)
        self.schema = schema
        self.aliases = {compact(label): target for label, target in table.items()}
        # Former titles are phrases worth comparing word by word; former codes (ATTRIB_SIRET) are
        # matched whole, as their abbreviations ("attrib") would make resemblances of their own.
        originals: dict[str, list[str]] = {}
        for label, target in table.items():
            if " " in label.strip():
                originals.setdefault(target, []).append(label)
        self.keys: list[_FieldKeys] = []
        for f in schema.fields:
            texts = [f.name, *([f.title] if f.title else []), *originals.get(f.name, ())]
            forms = tuple(dict.fromkeys(tuple(words(text)) for text in texts if words(text)))
            bag = frozenset(word for form in forms for word in form)
            self.keys.append(_FieldKeys(f.name, compact(f.name), compact(f.title or ""), forms, bag))
        count = max(len(self.keys), 1)
        frequency = Counter(word for key in self.keys for word in key.bag)
        top = math.log(1 + count)
        self._weights = {word: math.log(1 + count / seen) / top for word, seen in frequency.items()}

    def weight(self, word: str) -> float:
        """Rarity of a word among the fields, 0–1 (a word no field uses weighs 1)."""
        return self._weights.get(word, 1.0)

    def resemblance(self, label: str, field_name: str) -> int:
        """Fuzzy score (0–100) of ``label`` for one field, before the cap of :data:`FUZZY_MAX_SCORE`."""
        key = next((k for k in self.keys if k.name == field_name), None)
        return 0 if key is None else round(100 * self._resemblance(words(label), key))

    def _resemblance(self, tokens: Sequence[str], key: _FieldKeys) -> float:
        if not tokens or not key.forms:
            return 0.0
        explained = sum(self.weight(t) * max(word_similarity(t, w) for w in key.bag) for t in tokens)
        precision = explained / sum(self.weight(t) for t in tokens)
        if not precision:
            return 0.0
        recall = max(
            sum(self.weight(w) * max(word_similarity(w, t) for t in tokens) for w in form)
            / sum(self.weight(w) for w in form)
            for form in key.forms
        )
        return 2 * precision * recall / (precision + recall) if recall else 0.0

    def candidates(self, label: str) -> list[_Candidate]:
        """The fields a label may stand for, best first (a sure stage gives one, unless ambiguous)."""
        key = compact(label)
        if not key:
            return []
        stripped = label.strip()
        stages: list[tuple[Method, list[str]]] = [
            (Method.EXACT, [k.name for k in self.keys if k.name == stripped]),
            (Method.NORMALIZED, [k.name for k in self.keys if k.compact_name == key]),
            (Method.TITLE, [k.name for k in self.keys if k.compact_title == key]),
            (Method.ALIAS, [self.aliases[key]] if key in self.aliases else []),
        ]
        for method, names in stages:
            if names:
                return [_Candidate(name, method, METHOD_SCORES[method]) for name in names]
        tokens = words(label)
        scored = [
            _Candidate(k.name, Method.FUZZY, min(FUZZY_MAX_SCORE, round(100 * self._resemblance(tokens, k))))
            for k in self.keys
        ]
        scored.sort(key=lambda c: -c.score)
        return [c for c in scored if c.score >= PROPOSE_THRESHOLD]


def map_columns(
    header: Sequence[str],
    schema: TableSchema,
    *,
    aliases: Mapping[str, str] | None = None,
    apply_threshold: int = APPLY_THRESHOLD,
    matcher: Matcher | None = None,
) -> ColumnMapping:
    """Match each source label to a schema field (see the module's documentation for the stages).

    ``aliases`` ({former label: field}) replaces the known table of the schema; ``apply_threshold``
    is the lowest fuzzy score applied without confirmation; ``matcher`` saves rebuilding the
    schema's keys when mapping many headers.
    """
    matcher = matcher if matcher is not None else Matcher(schema, aliases)
    seen: set[str] = set()
    candidates: dict[int, list[_Candidate]] = {}
    for column, label in enumerate(header):
        key = compact(label)
        if not key or key in seen:  # a repeated label is reported as a duplicate, not mapped
            continue
        seen.add(key)
        found = matcher.candidates(label)
        if found:
            candidates[column] = found
    proposals, conflicts = _resolve(header, candidates, apply_threshold)
    required = tuple(f.name for f in schema.fields if f.required)
    reference = str(schema.ref) if schema.ref is not None else schema.name
    return ColumnMapping(
        fields=tuple(schema.field_names),
        header=tuple(header),
        proposals=tuple(sorted(proposals, key=lambda p: p.column)),
        conflicts=tuple(conflicts),
        schema=reference,
        required=required,
    )


def _resolve(
    header: Sequence[str], candidates: Mapping[int, list[_Candidate]], threshold: int
) -> tuple[list[Proposal], list[Conflict]]:
    """One field per column and one column per field: the best score first, losers reported."""
    order = sorted(candidates, key=lambda c: (-candidates[c][0].score, _RANK[candidates[c][0].method], c))
    taken: dict[str, Proposal] = {}
    conflicts: list[Conflict] = []
    losers: list[int] = []
    for column in order:
        best = candidates[column][0]
        holder = taken.get(best.field)
        if holder is not None:
            conflicts.append(
                Conflict(
                    best.field, holder.column, holder.label, holder.score, column, header[column], best.score
                )
            )
            losers.append(column)
            continue
        applied, note = _decide(header[column], candidates[column], threshold)
        taken[best.field] = Proposal(
            column, header[column], best.field, best.method, best.score, applied, note
        )
    for column in losers:  # second pass, so that a loser never takes a field another column wants first
        first = candidates[column][0]
        for other in candidates[column][1:]:
            if other.field not in taken:
                note = f"« {first.field} » revient à une autre colonne"
                taken[other.field] = Proposal(
                    column, header[column], other.field, other.method, other.score, False, note
                )
                break
    return list(taken.values()), conflicts


def _decide(label: str, found: Sequence[_Candidate], threshold: int) -> tuple[bool, str]:
    """Whether the best candidate is applied, and why not (French)."""
    best = found[0]
    if best.method is Method.FUZZY:
        tricky = next((AMBIGUOUS_WORDS[w] for w in words(label) if w in AMBIGUOUS_WORDS), None)
        if tricky is not None:
            return False, tricky
    rival = next((c for c in found[1:] if c.field != best.field), None)
    if best.method is not Method.FUZZY:
        if rival is not None and rival.method is best.method:
            return False, f"ambigu : aussi « {rival.field} »"
        return True, ""
    if best.score < threshold:
        return False, f"ressemblance sous le seuil de {threshold}"
    if rival is not None and rival.score >= best.score - AMBIGUITY_MARGIN:
        return False, f"ambigu : « {rival.field} » est presque aussi proche ({rival.score})"
    return True, ""


# --- Reading a saved mapping -------------------------------------------------------------------------


def _parse_document(document: Any) -> ColumnMapping:
    if not isinstance(document, Mapping):
        raise _bad("le document doit être un objet JSON")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise _bad(f"format_version {version!r} non pris en charge (version {FORMAT_VERSION} attendue)")
    fields_ = _strings(document.get("fields"), "fields")
    header = _strings(document.get("header"), "header")
    schema = document.get("schema")
    if schema is not None and not isinstance(schema, str):
        raise _bad("« schema » doit être une chaîne ou null")
    proposals = [_proposal(item, header, fields_) for item in _list(document.get("columns", []), "columns")]
    for attribute in ("column", "field"):
        values = [getattr(p, attribute) for p in proposals]
        repeated = sorted({str(v) for v in values if values.count(v) > 1})
        if repeated:
            raise _bad(
                f"plusieurs entrées de « columns » ont le même « {attribute} » : {', '.join(repeated)}"
            )
    conflicts = [_conflict(item) for item in _list(document.get("conflicts", []), "conflicts")]
    required = _strings(document.get("required", []), "required")
    return ColumnMapping(
        fields=tuple(fields_),
        header=tuple(header),
        proposals=tuple(sorted(proposals, key=lambda p: p.column)),
        conflicts=tuple(conflicts),
        schema=schema,
        required=tuple(name for name in required if name in fields_),
    )


def _bad(reason: str) -> UsageError:
    return UsageError(f"Correspondance de colonnes invalide : {reason}.")


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise _bad(f"« {name} » doit être une liste")
    return value


def _strings(value: Any, name: str) -> list[str]:
    items = _list(value, name)
    if not all(isinstance(item, str) for item in items):
        raise _bad(f"« {name} » doit être une liste de chaînes")
    return items


def _get(item: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = item.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _bad(f"{where} : « {key} » manquant ou de mauvais type")
    return value


def _proposal(item: Any, header: Sequence[str], fields_: Sequence[str]) -> Proposal:
    if not isinstance(item, Mapping):
        raise _bad("chaque entrée de « columns » doit être un objet")
    column = _get(item, "column", int, "columns")
    name = _get(item, "field", str, "columns")
    where = f"columns, colonne {column}"
    if not 0 <= column < len(header):
        raise _bad(f"{where} : hors de l'en-tête ({len(header)} colonnes, numérotées à partir de 0)")
    if name not in fields_:
        raise _bad(f"{where} : champ « {name} » absent de « fields »")
    try:
        method = Method(_get(item, "method", str, where))
    except ValueError:
        raise _bad(f"{where} : méthode « {item.get('method')} » inconnue") from None
    score = _get(item, "score", int, where)
    if not 0 <= score <= 100:
        raise _bad(f"{where} : score {score} hors de 0–100")
    label = item.get("label", header[column])
    if not isinstance(label, str):
        raise _bad(f"{where} : « label » doit être une chaîne")
    note = item.get("note", "")
    return Proposal(column, label, name, method, score, bool(_get(item, "applied", bool, where)), str(note))


def _conflict(item: Any) -> Conflict:
    if not isinstance(item, Mapping):
        raise _bad("chaque entrée de « conflicts » doit être un objet")
    return Conflict(
        field=_get(item, "field", str, "conflicts"),
        kept=_get(item, "kept", int, "conflicts"),
        kept_label=_get(item, "kept_label", str, "conflicts"),
        kept_score=_get(item, "kept_score", int, "conflicts"),
        lost=_get(item, "lost", int, "conflicts"),
        lost_label=_get(item, "lost_label", str, "conflicts"),
        lost_score=_get(item, "lost_score", int, "conflicts"),
    )
