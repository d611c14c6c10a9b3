"""Properties of the column mapping: what a header may undergo without changing its meaning."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from socle.importing.mapping import (
    FUZZY_MAX_SCORE,
    ColumnMapping,
    Matcher,
    Method,
    map_columns,
)
from socle.schemas import TableSchema, load_schema

SUBVENTIONS = load_schema("scdl/subventions")
DELIBERATIONS = load_schema("scdl/deliberations")
SUBVENTIONS_MATCHER = Matcher(SUBVENTIONS)
WITH_MATCHERS = [(SUBVENTIONS, SUBVENTIONS_MATCHER), (DELIBERATIONS, Matcher(DELIBERATIONS))]
ACCENTED = {"e": "éèêë", "a": "àâ", "i": "îï", "o": "ô", "u": "ùû", "c": "ç"}


@st.composite
def disguised(draw: st.DrawFn, text: str, *, split_words: bool) -> str:
    """``text`` recased letter by letter, accented, its words split or joined by other separators."""
    if split_words:  # nomAttribuant → nom Attribuant, nom_attribuant, nom-attribuant…
        pieces = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).replace("_", " ").split(" ")
        separator = draw(st.sampled_from(["", " ", "_", "-", ".", "  "]))
        text = separator.join(pieces)
    letters: list[str] = []
    for original in text:
        lower = original.lower()
        char = (
            draw(st.sampled_from(ACCENTED[lower])) if lower in ACCENTED and draw(st.booleans()) else original
        )
        letters.append(char.upper() if draw(st.booleans()) else char.lower())
    padding = draw(st.sampled_from(["", " ", "  ", "\t"]))
    marker = draw(st.sampled_from(["", "*", " *", " :"]))
    return padding + "".join(letters) + marker + padding


def schemas() -> st.SearchStrategy[tuple[TableSchema, Matcher]]:
    return st.sampled_from(WITH_MATCHERS)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), pair=schemas())
def test_names_permuted_recased_and_accented_map_to_the_same_fields(
    data: st.DataObject, pair: tuple[TableSchema, Matcher]
) -> None:
    schema, matcher = pair
    names = data.draw(st.permutations(schema.field_names))
    count = data.draw(st.integers(min_value=1, max_value=len(names)))
    chosen = names[:count]
    header = [data.draw(disguised(name, split_words=True)) for name in chosen]
    mapping = map_columns(header, schema, matcher=matcher)
    assert mapping.applied == {name: column for column, name in enumerate(chosen)}
    assert {p.method for p in mapping.proposals} <= {Method.EXACT, Method.NORMALIZED}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), pair=schemas())
def test_titles_permuted_recased_and_accented_map_to_the_same_fields(
    data: st.DataObject, pair: tuple[TableSchema, Matcher]
) -> None:
    schema, matcher = pair
    fields = data.draw(st.permutations([f for f in schema.fields if f.title]))
    chosen = fields[: data.draw(st.integers(min_value=1, max_value=len(fields)))]
    header = [data.draw(disguised(f.title or "", split_words=False)) for f in chosen]
    mapping = map_columns(header, schema, matcher=matcher)
    assert mapping.applied == {f.name: column for column, f in enumerate(chosen)}


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_title_words_in_another_order_are_recognised_by_resemblance(data: st.DataObject) -> None:
    fields = [f for f in SUBVENTIONS.fields if f.title and len(f.title.split()) > 1]
    chosen = data.draw(st.permutations(fields))[: data.draw(st.integers(min_value=1, max_value=4))]
    header = [" ".join(data.draw(st.permutations((f.title or "").split()))) for f in chosen]
    mapping = map_columns(header, SUBVENTIONS, matcher=SUBVENTIONS_MATCHER)
    for column, f in enumerate(chosen):
        proposal = mapping.proposal_for(column)
        assert proposal is not None and proposal.field == f.name, header[column]
        assert proposal.applied, header[column]


labels = st.one_of(
    st.sampled_from([*SUBVENTIONS.field_names, *(f.title or "" for f in SUBVENTIONS.fields)]),
    st.sampled_from(
        ["COLL_NOM", "ATTRIB_NOM", "SUB_MONTANT", "N° SIRET", "Date", "Montant", "Nom", "", "objet"]
    ),
    st.text(max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(header=st.lists(labels, max_size=20), threshold=st.integers(min_value=0, max_value=100))
def test_any_header_gives_a_consistent_mapping_that_survives_json(header: list[str], threshold: int) -> None:
    mapping = map_columns(header, SUBVENTIONS, apply_threshold=threshold, matcher=SUBVENTIONS_MATCHER)
    columns = [p.column for p in mapping.proposals]
    fields = [p.field for p in mapping.proposals]
    assert len(set(columns)) == len(columns), "a column gives one field"
    assert len(set(fields)) == len(fields), "a field comes from one column"
    for proposal in mapping.proposals:
        assert 0 <= proposal.score <= 100
        assert proposal.label == header[proposal.column]
        if proposal.method is Method.FUZZY:
            assert proposal.score <= FUZZY_MAX_SCORE
            assert not proposal.applied or proposal.score >= threshold
    duplicated = {c for d in mapping.duplicates for c in d.columns[1:]}
    assert not duplicated & set(columns), "a repeated label is not mapped"
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
