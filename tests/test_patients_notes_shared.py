"""Shortcuts of the notes reader (issue 23 speed) give exactly what the plain forms give: `common.fact` builds
the Fact its dataclass `__init__` builds, `criteria.frozen.made` the instance its class builds."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.domain import Fact, Provenance
from oncofed.ingest.patients.common import fact, fact_from

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
    rest = {k: v for k, v in fields.items() if k not in ("span", "note_id")}
    given = dict(rest)
    built = fact_from(kind, source, record, fields.get("span"), fields.get("note_id"), rest)
    assert rest == given  # left unchanged
    assert built == plain and list(vars(built).items()) == list(vars(plain).items())


def test_fact_refuses_an_unknown_field_as_the_dataclass_does() -> None:
    with pytest.raises(TypeError):
        _plain("lab", "s", "r", colour="red")
    with pytest.raises(TypeError, match="colour"):
        fact("lab", "s", "r", colour="red")
    with pytest.raises(TypeError):
        fact("lab", "s", "r", provenance=None)
    with pytest.raises(TypeError, match="kind"):
        fact_from("lab", "s", "r", None, None, {"kind": "x"})


MENTION = st.fixed_dictionaries(
    {
        "start": st.integers(0, 500),
        "end": st.integers(0, 500),
        "text": st.text(max_size=10),
        "code": st.text(max_size=6),
        "attributes": st.dictionaries(
            st.sampled_from(["classes", "x"]), st.lists(st.text(max_size=3), max_size=2)
        ),
    }
)
TARGET = st.fixed_dictionaries(
    {
        "label": st.sampled_from(["DRUG", "CANCER", "GENE"]),
        "code": st.text(max_size=6),
        "start": st.integers(0, 500),
        "end": st.integers(0, 500),
        "text": st.text(max_size=10),
        "negated": st.booleans(),
        "historical": st.booleans(),
        "hypothetical": st.booleans(),
        "family": st.booleans(),
        "scope": st.one_of(st.none(), st.sampled_from(["trial", "plan", "allergy"])),
    }
)


@settings(max_examples=200, deadline=None)
@given(MENTION, TARGET)
def test_made_is_the_dataclass_instance(mention: dict[str, Any], target: dict[str, Any]) -> None:
    from oncofed.criteria.frozen import made
    from oncofed.criteria.vocab import Mention
    from oncofed.ingest.patients.notes.mentions import Target

    for cls, drawn in ((Mention, mention), (Target, target)):
        state = {f.name: drawn[f.name] for f in dataclasses.fields(cls)}  # field order, as `made` asks
        built, plain = made(cls, dict(state)), cls(**state)
        assert type(built) is cls
        assert built == plain
        if hasattr(plain, "__dict__"):
            assert list(vars(built).items()) == list(vars(plain).items())
        else:  # a native class of the readers compiled by `make compile`: no __dict__, built by cls(**state)
            names = [f.name for f in dataclasses.fields(cls)]
            assert [getattr(built, n) for n in names] == [getattr(plain, n) for n in names]
        # no longer `frozen=True` (speed31: their compiled `__init__`), but hashed as a frozen dataclass is
        try:
            expected = hash(plain)
        except TypeError:  # a Mention's `attributes` dict
            with pytest.raises(TypeError):
                hash(built)
        else:
            assert (
                hash(built)
                == expected
                == hash(tuple(getattr(plain, f.name) for f in dataclasses.fields(cls)))
            )


def test_made_falls_back_on_classes_without_a_dict() -> None:
    from dataclasses import dataclass

    from oncofed.criteria.frozen import made

    @dataclass(frozen=True, slots=True)
    class Slotted:
        a: int
        b: str = "x"

    @dataclass(frozen=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError("negative")

    assert made(Slotted, {"a": 1, "b": "y"}) == Slotted(1, "y")
    with pytest.raises(ValueError):
        made(Checked, {"a": -1})  # its __init__ (and __post_init__) ran


def test_made_gives_fields_by_position_only_in_their_order() -> None:
    """A class without a `__dict__` is made by its `__init__`: by position when `state` names its
    parameters in order, else by keyword (a state in another order must not swap two fields)."""
    from dataclasses import dataclass

    from oncofed.criteria.frozen import made

    @dataclass(frozen=True, slots=True)
    class Pair:
        a: int
        b: int
        c: str = "x"

    class Written:
        __slots__ = ("a", "b")

        def __init__(self, b: int, a: int) -> None:  # parameters not in the order of the slots
            self.a, self.b = a, b

    assert made(Pair, {"a": 1, "b": 2, "c": "y"}) == Pair(1, 2, "y")
    assert made(Pair, {"b": 2, "a": 1, "c": "y"}) == Pair(1, 2, "y")  # another order: keywords
    assert made(Pair, {"a": 1, "b": 2}) == Pair(1, 2)  # a default left out: keywords
    w = made(Written, {"a": 1, "b": 2})
    assert (w.a, w.b) == (1, 2)
    w = made(Written, {"b": 2, "a": 1})
    assert (w.a, w.b) == (1, 2)
