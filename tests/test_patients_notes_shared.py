"""Shortcuts of the notes reader's per-note structure (issue 23 speed) give exactly what the plain forms give:
`common.fact` builds the Fact its dataclass `__init__` builds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.domain import Fact, Provenance
from oncofed.ingest.patients.common import fact

SCALARS = st.one_of(
    st.none(), st.text(max_size=6), st.integers(-5, 5), st.floats(allow_nan=False), st.booleans()
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "code": st.one_of(st.none(), st.text(max_size=8)),
        "value": SCALARS,
        "unit": st.one_of(st.none(), st.text(max_size=4)),
        "display": st.text(max_size=12),
        "when": st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1))),
        "negated": st.booleans(),
        "span": st.one_of(st.none(), st.tuples(st.integers(0, 99), st.integers(0, 99))),
        "note_id": st.one_of(st.none(), st.text(max_size=5)),
        "attributes": st.one_of(st.none(), st.dictionaries(st.sampled_from("abcd"), SCALARS, max_size=4)),
    },
)


def _plain(kind: str, source: str, record: str, **fields: Any) -> Fact:
    """`fact` as it was written before the shortcut: the dataclass's own `__init__`."""
    span = fields.pop("span", None)
    note_id = fields.pop("note_id", None)
    attributes = {k: v for k, v in (fields.pop("attributes", None) or {}).items() if v not in (None, "")}
    return Fact(
        kind=kind, provenance=Provenance(source, record, span, note_id), attributes=attributes, **fields
    )


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["lab", "treatment", "note"]), st.text(max_size=5), st.text(max_size=5), FIELDS)
def test_fact_is_the_dataclass_fact(kind: str, source: str, record: str, fields: dict[str, Any]) -> None:
    built, plain = fact(kind, source, record, **dict(fields)), _plain(kind, source, record, **dict(fields))
    assert built == plain
    assert list(vars(built).items()) == list(vars(plain).items())  # the same fields in the same order
    assert list(vars(built.provenance).items()) == list(vars(plain.provenance).items())
    assert hash(built.provenance) == hash(plain.provenance)


def test_fact_refuses_an_unknown_field_as_the_dataclass_does() -> None:
    with pytest.raises(TypeError):
        _plain("lab", "s", "r", colour="red")
    with pytest.raises(TypeError, match="colour"):
        fact("lab", "s", "r", colour="red")
    with pytest.raises(TypeError):
        fact("lab", "s", "r", provenance=None)
