"""Entry of a dataset's draft, by form and by grid. The views parse and authorise; every verdict on a
cell comes from the engine through :mod:`socle.web.datasets.draft`.

- ``saisie/``: the form generated from the Table Schema (``?ligne=N`` edits row N), and
  ``saisie/verifier/``, the live check of the row being typed (JSON);
- ``grille/``: the draft as a table (paginated, sortable, filtered to the rows to fix; a POST appends
  a row), ``grille/cellule/``: change one cell (JSON);
- ``lignes/supprimer/?ligne=N``: delete a row, after a confirmation page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator
from django.db import connection
from django.db.models import F, Func, TextField
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from socle.schemas import TableSchema
from socle.schemas.model import Field
from socle.web.accounts.models import Role
from socle.web.datasets import draft
from socle.web.datasets.models import Dataset, DraftRow
from socle.web.tenancy import access_of, authority_view
from socle.web.territories.models import Authority

PAGE_SIZE = 50
MAX_CELL = 20_000
"""Characters of one cell typed in a form or a grid (far beyond any schema's maxLength)."""
LONG_TEXT = 200
"""A text field allowed at least this many characters gets a multi-line box."""


# --- The form generated from the schema ------------------------------------------------------------


def _is_iso_date(value: str) -> bool:
    parts = value.split("-")
    return len(value) == 10 and len(parts) == 3 and all(p.isdigit() for p in parts)


def _choices(values: list[tuple[str, str]], current: str) -> list[tuple[str, str]]:
    """Options of a select; a current value outside them stays an option (nothing is lost)."""
    options = [("", "— choisir —"), *values]
    if current and current not in {v for v, _ in values}:
        options.append((current, f"{current} (valeur actuelle, hors de la liste)"))
    return options


def _boolean_label(value: str, meaning: str) -> str:
    return value if value.lower() == meaning else f"{value} ({meaning})"


_INPUT_MODES = {"integer": "numeric", "year": "numeric", "number": "decimal"}
_STRING_FORMATS: dict[str, type[forms.Input]] = {"email": forms.EmailInput, "uri": forms.URLInput}


def _options(field: Field) -> list[tuple[str, str]]:
    """The values of an enum, or a boolean's first true and false values (empty for other fields)."""
    enum = field.constraints.get("enum")
    if isinstance(enum, list) and enum:
        return [(str(v), str(v)) for v in enum]
    if field.type == "boolean":
        return [(v, _boolean_label(v, "oui")) for v in field.true_values[:1]] + [
            (v, _boolean_label(v, "non")) for v in field.false_values[:1]
        ]
    return []


def _multiline(field: Field) -> bool:
    if field.type in ("object", "array", "geojson"):
        return True
    longest = field.constraints.get("maxLength")
    return field.type == "string" and isinstance(longest, int) and longest >= LONG_TEXT


def widget_for(field: Field, current: str, attrs: dict[str, str]) -> forms.Widget:
    """One widget per type: a select for an enum or a boolean, a date box for a date (unless the
    value is not an ISO date: it stays as typed), a multi-line box for long texts and JSON values,
    a text box with the right keyboard for numbers (a number box would drop "1 000,5" unseen)."""
    options = _options(field)
    if options:
        return forms.Select(attrs=attrs, choices=_choices(options, current))
    if field.type == "date" and field.format == "default" and (not current or _is_iso_date(current)):
        return forms.DateInput(attrs=attrs | {"type": "date"})
    if field.type in _INPUT_MODES:
        return forms.TextInput(attrs=attrs | {"inputmode": _INPUT_MODES[field.type]})
    if _multiline(field):
        return forms.Textarea(attrs=attrs | {"rows": "3"})
    if field.type == "string" and field.format in _STRING_FORMATS:
        return _STRING_FORMATS[field.format](attrs=attrs)
    return forms.TextInput(attrs=attrs)


_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://[^)\s]+)\)")


def _help(field: Field) -> str:
    """The field's description (its Markdown links reduced to their text) and its example."""
    parts = [_MARKDOWN_LINK.sub(r"\1", field.description.strip())] if field.description else []
    if field.example not in (None, ""):
        parts.append(f"Exemple : {field.example}")
    return "\n".join(parts)


def _field_id(index: int) -> str:
    return f"champ-{index}"


class EntryForm(forms.Form):
    """A row of the draft: one text per field of the schema. The form only carries the texts; the
    engine judges them (see :func:`draft.judge_rows`)."""

    def __init__(self, schema: TableSchema, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schema = schema
        for index, column in enumerate(schema.fields):
            ident = _field_id(index)
            described = ([f"{ident}-aide"] if _help(column) else []) + [f"{ident}-erreur"]
            attrs = {"id": ident, "aria-describedby": " ".join(described), "data-champ": column.name}
            if column.required:
                attrs["aria-required"] = "true"
            self.fields[column.name] = forms.CharField(
                label=column.label,
                required=False,
                strip=False,
                # A validator rather than max_length, which would put a maxlength on selects too.
                validators=[MaxLengthValidator(MAX_CELL)],
                widget=widget_for(column, self._current(column.name), attrs),
                help_text=_help(column),
            )

    def _current(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(name, ""))
        return draft.cell_text(self.initial.get(name))

    def cells(self) -> dict[str, str]:
        """The texts typed (line breaks as ``\\n``), for every field."""
        values = {name: str(v).replace("\r\n", "\n") for name, v in self.cleaned_data.items()}
        return draft.cells_for(self.schema, values)

    def show(self, found: draft.Messages) -> None:
        """Mark the fields the engine found something to fix in (``aria-invalid``)."""
        for name, form_field in self.fields.items():
            if found.get(name) or self.errors.get(name):
                form_field.widget.attrs["aria-invalid"] = "true"


@dataclass
class Entry:
    """A field of the form as the template shows it."""

    bound: forms.BoundField
    field: Field
    messages: list[str]

    @property
    def ident(self) -> str:
        return str(self.bound.field.widget.attrs["id"])


def _entries(form: EntryForm, found: draft.Messages) -> list[Entry]:
    form.show(found)
    result = []
    for schema_field in form.schema.fields:
        bound = form[schema_field.name]
        texts = [*bound.errors, *found.get(schema_field.name, [])]
        result.append(Entry(bound, schema_field, texts))
    return result


# --- Helpers of the views -------------------------------------------------------------------------


class _Refused(Exception):
    """A request that cannot be served as asked: ``status`` and a French ``text``."""

    def __init__(self, status: int, text: str) -> None:
        self.status = status
        self.text = text
        super().__init__(text)


_TITLES = {400: "Requête incorrecte", 404: "Ligne introuvable", 503: "Schéma indisponible"}


def _page_error(request: HttpRequest, error: _Refused) -> HttpResponse:
    title = _TITLES.get(error.status, "Impossible")
    return render(request, "socle/erreur.html", {"title": title, "text": error.text}, status=error.status)


def _json(data: Mapping[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(dict(data), status=status, json_dumps_params={"ensure_ascii": False})


def _envelope(authority: Authority, dataset: Dataset) -> dict[str, Any]:
    return {
        "collectivite": authority.name,
        "jeu": dataset.title,
        "completion": str(draft.completion(dataset)),
    }


def _schema(dataset: Dataset) -> TableSchema:
    try:
        return draft.schema_of(dataset)
    except draft.SchemaUnavailable as exc:
        raise _Refused(503, exc.message) from exc


def _digits(text: str) -> bool:
    """ASCII digits only ("²" and "٣" are digits to ``str.isdigit``, not to ``int``)."""
    return text.isascii() and text.isdigit()


def _line_number(raw: object) -> int | None:
    """The line asked for (``None`` when none is); a malformed one is refused."""
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    if not _digits(text) or len(text) > 9 or int(text) < 1:
        raise _Refused(400, f"« {text[:40]} » n'est pas un numéro de ligne (1, 2, 3…).")
    return int(text)


def _row(dataset: Dataset, line: int | None) -> DraftRow | None:
    if line is None:
        return None
    row = dataset.draft_rows.filter(position=line).first()
    if row is None:
        total = dataset.draft_rows.count()
        raise _Refused(
            404,
            f"La ligne {line} n'existe pas dans le brouillon, qui compte "
            f"{total} ligne{'s' if total > 1 else ''}.",
        )
    return row


ROW_ID = "socle-ligne-id"
"""Field of a change that names the row by its id: rows move up a line when one before them is
deleted, so a change typed meanwhile still reaches its row."""


def _row_to_change(dataset: Dataset, line: int | None, ident: object) -> DraftRow | None:
    """The row a change is meant for: by its id when the page sent it, else by its line."""
    text = str(ident or "").strip()
    if not _digits(text) or len(text) > 18:
        return _row(dataset, line)
    row = dataset.draft_rows.filter(pk=int(text)).first()
    if row is None:
        raise _Refused(
            404, f"La ligne {line} a été supprimée entre-temps." if line else "Cette ligne a été supprimée."
        )
    return row


def _next_line(dataset: Dataset) -> int:
    return dataset.draft_rows.count() + 1


def _user(request: HttpRequest) -> object:
    return request.user


def _messages_json(found: draft.Messages) -> dict[str, Any]:
    return {
        "valide": not any(found.values()),
        "erreurs": {name: texts for name, texts in found.items() if name != draft.ROW_MESSAGES},
        "erreurs_ligne": found.get(draft.ROW_MESSAGES, []),
    }


def _dataset(authority: Authority, slug: str) -> Dataset:
    return get_object_or_404(authority.datasets, slug=slug)


# --- Form entry -----------------------------------------------------------------------------------


@authority_view(Role.CONTRIBUTOR)
def form_entry(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    """The form of one row: a new one (identity fields pre-filled) or ``?ligne=N``."""
    found = _dataset(authority, dataset)
    gone = ""
    try:
        schema = _schema(found)
        asked = _line_number(request.GET.get("ligne"))
        if request.method == "POST":
            row = _row_to_change(found, asked, request.POST.get(ROW_ID))
        else:
            row = _row(found, asked)
    except _Refused as error:
        if request.method != "POST" or error.status != 404:
            return _page_error(request, error)
        # The row was deleted while it was being typed: nothing typed is lost.
        row = None
        gone = f"{error.text} Vos valeurs sont gardées ci-dessous : « Ajouter la ligne » les enregistre comme une nouvelle ligne."
    line = row.position if row else _next_line(found)
    verdict: draft.Messages = {}
    pending = False
    if request.method == "POST":
        form = EntryForm(schema, request.POST)
        if gone:
            form.is_valid()
            form.add_error(None, gone)
        elif form.is_valid():
            cells = form.cells()
            if draft.is_blank(cells):
                form.add_error(None, "La ligne est vide : remplissez au moins un champ avant d'enregistrer.")
            else:
                verdict = draft.judge_rows(found, schema, [(line, cells)])[line]
                if not any(verdict.values()) or request.POST.get("garder"):
                    return _save(request, found, row, cells, verdict)
                pending = True
    else:
        initial = (
            draft.cells_for(schema, draft.stored_cells(row))
            if row
            else draft.identity_values(schema, authority)
        )
        form = EntryForm(schema, initial=initial)
        if row is not None and row.errors:
            verdict = draft.judge_stored(found, schema, [row]).get(row.position, {})
    return render(
        request,
        "socle/saisie.html",
        {
            "authority": authority,
            "dataset": found,
            "form": form,
            "entries": _entries(form, verdict),
            "row_messages": verdict.get(draft.ROW_MESSAGES, []),
            "row": row,
            "line": line,
            "pending": pending,
            "row_id_field": ROW_ID,
            "pending_count": sum(len(texts) for texts in verdict.values()),
            "completion": draft.completion(found),
        },
    )


def _save(
    request: HttpRequest,
    dataset: Dataset,
    row: DraftRow | None,
    cells: dict[str, str],
    verdict: draft.Messages,
) -> HttpResponse:
    base = reverse("jeu-saisie", args=[dataset.authority.slug, dataset.slug])
    if row is None:
        row = draft.add_row(dataset, _user(request), cells, verdict)
        text = f"Ligne {row.position} ajoutée"
        target = base
    else:
        changed = draft.change_row(dataset, _user(request), row, cells, verdict)
        text = f"Ligne {row.position} enregistrée" if changed else f"Ligne {row.position} : aucun changement"
        target = f"{base}?ligne={row.position}"
    if row.errors:
        text += f" ; elle a {row.errors} erreur{'s' if row.errors > 1 else ''} à corriger"
    messages.success(request, f"{text}. Brouillon : {draft.completion(dataset)}.")
    return redirect(target)


@authority_view(Role.CONTRIBUTOR)
def check_entry(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    """The engine's messages on the row being typed, judged with the rest of the draft (JSON)."""
    found = _dataset(authority, dataset)
    answer = _envelope(authority, found)
    try:
        schema = _schema(found)
        row = _row(found, _line_number(request.GET.get("ligne")))
    except _Refused as error:
        return _json({**answer, "erreur": error.text}, status=error.status)
    data = request.POST if request.method == "POST" else request.GET
    if not any(name in data for name in schema.field_names):
        return _json({**answer, "ligne": None, "champs": schema.field_names})
    form = EntryForm(schema, data)
    line = row.position if row else _next_line(found)
    if not form.is_valid():
        refused = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        return _json({**answer, "ligne": line, "valide": False, "erreurs": refused, "erreurs_ligne": []})
    verdict = draft.judge_rows(found, schema, [(line, form.cells())])[line]
    return _json({**answer, "ligne": line, **_messages_json(verdict)})


# --- Grid entry -----------------------------------------------------------------------------------


@dataclass
class GridCell:
    name: str
    value: str
    messages: list[str]


@dataclass
class GridRow:
    row: DraftRow
    cells: list[GridCell]
    messages: list[str]

    @property
    def cells_html(self) -> SafeString:
        """The row's ``<td>`` cells, every text escaped. Written here rather than in the template: a
        page has 50 rows of a dozen cells, and the template engine took 20 ms to render them."""
        parts = []
        for cell in self.cells:
            name, value = escape(cell.name), escape(cell.value)
            if cell.messages:
                parts.append(
                    f'<td data-champ="{name}" class="en-erreur"><span class="valeur">{value}</span>'
                    '<span class="marque" aria-hidden="true">!</span><span class="bulle"><span class="sr">'
                    f"Erreur : </span>{escape(' '.join(cell.messages))}</span></td>"
                )
            else:
                parts.append(f'<td data-champ="{name}"><span class="valeur">{value}</span></td>')
        return mark_safe("".join(parts))  # every text above is escaped


@dataclass
class GridView:
    """What the grid page was asked for: sort, order, filter, page."""

    sort: str | None
    descending: bool
    errors_only: bool
    page: str | None

    @classmethod
    def of(cls, query: QueryDict, schema: TableSchema) -> GridView:
        sort = query.get("tri") or None
        if sort not in schema.field_names:
            sort = None
        return cls(sort, query.get("ordre") == "desc", query.get("erreurs") == "1", query.get("page"))

    def query(self, **changes: object) -> str:
        """The query string of this view, with ``changes`` (``None`` removes a parameter)."""
        params: dict[str, object] = {
            "tri": self.sort,
            "ordre": "desc" if self.descending else None,
            "erreurs": "1" if self.errors_only else None,
            "page": self.page,
        }
        params.update(changes)
        kept = {k: v for k, v in params.items() if v not in (None, "", False)}
        return "?" + urlencode(kept) if kept else "?"


NUMERIC_TYPES = ("number", "integer", "year")
PLAIN_NUMBER = r"^-?[0-9]+([.][0-9]+)?$"
"""Cells of a numeric column sorted as numbers when they are written this way (others come after)."""


class _CellText(Func):
    """A cell's text (NULL when the row has no such key), read with one JSON function: ``->>`` on
    PostgreSQL, ``json_extract`` on SQLite (Django's key lookup adds a test of the JSON type around it)."""

    arity = 1
    output_field = TextField()

    def __init__(self, key: str) -> None:
        super().__init__(F("cells"))
        self.key = key

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        cells, params = compiler.compile(self.get_source_expressions()[0])
        return f"({cells} ->> %s)", [*params, self.key]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        cells, params = compiler.compile(self.get_source_expressions()[0])
        return f"json_extract({cells}, %s)", [*params, "$." + json.dumps(self.key)]


class _SortedKeys:
    """The ids of some rows sorted by one cell, as the paginator reads them (a count, then a slice).

    On SQLite each row's cell is read once into a materialised table, which is then sorted: SQLite
    parses a row's JSON text at every read, and a sort on the key itself read it up to six times a
    row (on 50,000 rows, 185 ms instead of 140). A numeric column sorts its plain numbers as numbers ("999"
    before "1000"), then what is not one by text; rows of equal cells stay in line order."""

    def __init__(self, rows: Any, key: str, numeric: bool, descending: bool) -> None:
        self.rows, self.key, self.numeric, self.descending = rows, key, numeric, descending

    def count(self) -> int:
        return int(self.rows.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        start = window.start or 0
        limit = -1 if window.stop is None else max(0, window.stop - start)
        inner, params = (
            self.rows.annotate(socle_cell=_CellText(self.key))
            .values_list("pk", "position", "socle_cell")
            .order_by()
            .query.sql_with_params()
        )
        params = list(params)
        direction = "DESC" if self.descending else "ASC"
        keys = []
        if self.numeric:
            if connection.vendor == "postgresql":
                keys.append("CASE WHEN cell ~ %s THEN CAST(cell AS double precision) END")
                params.append(PLAIN_NUMBER)
            else:  # digits and points after a digit, read by GLOB and trim (REGEXP is Python's, slow)
                keys.append(
                    "CASE WHEN ltrim(cell, '-') GLOB '[0-9]*' "
                    "AND trim(ltrim(cell, '-'), '0123456789.') = '' THEN CAST(cell AS REAL) END"
                )
        keys.append("cell")
        order = ", ".join(f"{key} {direction} NULLS LAST" for key in keys)
        # PostgreSQL reads a jsonb key cheaply and sorts best with the query inlined.
        materialized = "" if connection.vendor == "postgresql" else "MATERIALIZED"
        sql = (
            f"WITH sorted (id, line, cell) AS {materialized} ({inner}) "
            f"SELECT id FROM sorted ORDER BY {order}, line LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, start])
            return [row[0] for row in cursor.fetchall()]


def _grid_keys(dataset: Dataset, schema: TableSchema, view: GridView) -> Any:
    """The ids of the rows, in the order asked (only ids: the sort carries no cells along)."""
    rows = dataset.draft_rows.all()
    if view.errors_only:
        rows = rows.filter(errors__gt=0)
    if view.sort is None:
        return rows.order_by("-position" if view.descending else "position").values_list("pk", flat=True)
    column = schema.get_field(view.sort)
    return _SortedKeys(rows, view.sort, column is not None and column.type in NUMERIC_TYPES, view.descending)


@authority_view(Role.READER)
def grid(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    """The draft as a table, 50 rows a page; a POST (contributors) appends a row."""
    found = _dataset(authority, dataset)
    can_edit = access_of(request).can(authority, Role.CONTRIBUTOR)
    try:
        schema = _schema(found)
    except _Refused as error:
        return _page_error(request, error)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(f"Il faut être contributeur de {authority.name} pour changer ce jeu.")
        return _append(request, authority, found, schema)
    view = GridView.of(request.GET, schema)
    paginator = Paginator(_grid_keys(found, schema, view), PAGE_SIZE)
    page = paginator.get_page(view.page)
    keys = list(page.object_list)
    by_key = found.draft_rows.only("pk", "position", "cells", "errors").in_bulk(keys)
    rows = [by_key[key] for key in keys if key in by_key]
    judged = draft.judge_stored(found, schema, rows)
    shown = []
    for row in rows:
        found_messages = judged.get(row.position, {})
        cells = [
            GridCell(name, draft.cell_text(draft.stored_cells(row).get(name)), found_messages.get(name, []))
            for name in schema.field_names
        ]
        shown.append(GridRow(row, cells, found_messages.get(draft.ROW_MESSAGES, [])))
    columns = [
        {
            "field": f,
            "sorted": view.sort == f.name,
            # A click sorts by the column, ascending; a second click on it, descending.
            "link": view.query(
                tri=f.name, ordre="desc" if view.sort == f.name and not view.descending else None, page=None
            ),
        }
        for f in schema.fields
    ]
    return render(
        request,
        "socle/grille.html",
        {
            "authority": authority,
            "dataset": found,
            "schema": schema,
            "columns": columns,
            "rows": shown,
            "page": page,
            "paginator": paginator,
            "view": view,
            "links": {
                "first": view.query(page=None),
                "previous": view.query(page=page.previous_page_number()) if page.has_previous() else None,
                "next": view.query(page=page.next_page_number()) if page.has_next() else None,
                "last": view.query(page=paginator.num_pages),
                "by_line": view.query(
                    tri=None, ordre="desc" if view.sort is None and not view.descending else None, page=None
                ),
                "all_rows": view.query(erreurs=None, page=None),
            },
            "can_edit": can_edit,
            "view_query": view.query(),
            "row_id_field": ROW_ID,
            "completion": draft.completion(found),
        },
    )


def _append(
    request: HttpRequest, authority: Authority, dataset: Dataset, schema: TableSchema
) -> HttpResponse:
    if request.POST.get("action") != "ajouter":
        return _page_error(
            request, _Refused(400, "Action inconnue : seule « ajouter une ligne » est possible ici.")
        )
    row = draft.add_row(dataset, _user(request), draft.identity_values(schema, authority))
    messages.success(request, f"Ligne {row.position} ajoutée à la fin du brouillon : remplissez-la.")
    last = (dataset.draft_rows.count() - 1) // PAGE_SIZE + 1
    target = reverse("jeu-grille", args=[authority.slug, dataset.slug])
    return redirect(f"{target}?page={last}#ligne-{row.position}")


def _cell_request(request: HttpRequest) -> Mapping[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise _Refused(400, "La requête n'est pas du JSON valide.") from exc
        if not isinstance(data, dict):
            raise _Refused(400, "La requête doit être un objet JSON (ligne, champ, valeur).")
        return data
    return request.POST


@authority_view(Role.CONTRIBUTOR)
def grid_cell(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    """Change one cell (POST ``ligne``, ``champ``, ``valeur``); the engine's verdict on its row (JSON).
    A GET tells a row's cells and messages (``?ligne=N``), or the draft's completion."""
    found = _dataset(authority, dataset)
    answer = _envelope(authority, found)
    try:
        schema = _schema(found)
        if request.method != "POST":
            row = _row(found, _line_number(request.GET.get("ligne")))
            if row is None:
                return _json(answer)
            verdict = draft.judge_stored(found, schema, [row]).get(row.position, {})
            cells = draft.cells_for(schema, draft.stored_cells(row))
            return _json({**answer, "ligne": row.position, "cellules": cells, **_messages_json(verdict)})
        data = _cell_request(request)
        line = _line_number(data.get("ligne"))
        if line is None:
            raise _Refused(400, "Indiquez la ligne de la cellule (« ligne »).")
        name = data.get("champ")
        if name not in schema.field_names:
            raise _Refused(400, f"Le champ « {str(name)[:80]} » n'est pas dans le schéma de ce jeu.")
        value = data.get("valeur")
        if not isinstance(value, str):
            raise _Refused(400, "Indiquez la nouvelle valeur de la cellule (« valeur », un texte).")
        if len(value) > MAX_CELL:
            raise _Refused(400, f"Cette valeur est trop longue : {MAX_CELL} caractères au plus.")
        if "\x00" in value:
            raise _Refused(400, "Cette valeur contient un caractère nul : retirez-le.")
        row = _row_to_change(found, line, data.get("id"))
        assert row is not None
    except _Refused as error:
        return _json({**answer, "erreur": error.text}, status=error.status)
    # The whole row as it will be, judged once: its messages are the answer and its stored count.
    cells = {**draft.cells_for(schema, draft.stored_cells(row)), name: value.replace("\r\n", "\n")}
    verdict = draft.judge_rows(found, schema, [(row.position, cells)])[row.position]
    changed = draft.change_row(found, _user(request), row, cells, verdict)
    return _json(
        {
            **_envelope(authority, found),
            "ligne": row.position,
            "champ": name,
            "valeur": draft.cell_text(draft.stored_cells(row).get(name)),
            "modifie": bool(changed),
            "nb_erreurs": row.errors,
            **_messages_json(verdict),
        }
    )


def _back(raw: str | None) -> str:
    """The grid's query string to go back to (its page, sort, filter), from the grid's own parameters
    only: never an address elsewhere."""
    if not raw or not raw.startswith("?"):
        return ""
    params = QueryDict(raw[1:])
    kept = {key: params[key][:80] for key in ("tri", "ordre", "erreurs", "page") if params.get(key)}
    return "?" + urlencode(kept) if kept else ""


@authority_view(Role.CONTRIBUTOR)
def delete_entry(request: HttpRequest, authority: Authority, dataset: str) -> HttpResponse:
    """Delete ``?ligne=N`` after a confirmation page (the POST deletes)."""
    found = _dataset(authority, dataset)
    grid_url = reverse("jeu-grille", args=[authority.slug, found.slug])
    try:
        schema = _schema(found)
        raw = (
            request.POST.get("ligne", request.GET.get("ligne"))
            if request.method == "POST"
            else request.GET.get("ligne")
        )
        line = _line_number(raw)
        if line is None and request.method == "POST":
            raise _Refused(400, "Indiquez le numéro de la ligne à supprimer.")
        row = (
            _row_to_change(found, line, request.POST.get(ROW_ID))
            if request.method == "POST"
            else _row(found, line)
        )
    except _Refused as error:
        return _page_error(request, error)
    back = _back(request.POST.get("retour") if request.method == "POST" else request.GET.get("retour"))
    if request.method == "POST" and row is not None:
        line = row.position
        draft.delete_row(found, _user(request), row)
        messages.success(request, f"Ligne {line} supprimée. Brouillon : {draft.completion(found)}.")
        return redirect(grid_url + back)
    cells = draft.cells_for(schema, draft.stored_cells(row)) if row else {}
    return render(
        request,
        "socle/_grille_supprimer.html",
        {
            "authority": authority,
            "dataset": found,
            "row": row,
            "cells": [(f, cells.get(f.name, "")) for f in schema.fields],
            "grid_url": grid_url,
            "back": back,
            "row_id_field": ROW_ID,
        },
    )
