"""Frozen dataclass instances made without their `__init__` (issue 23 speed).

    made(cls, state) -> instance    # `cls(**state)`, the same object, ~1/2 to 1/3 of the time

A frozen dataclass's `__init__` sets each field through `object.__setattr__` (the class's own `__setattr__`
refuses): ~0.35 us a field. The notes reader makes ~40 such small records a note (vocabulary mentions,
mentions in context, facts), ~4 % of its time. `made` fills the instance's `__dict__` in one call, which
is what `__init__` leaves there: every field, in field order (the caller gives them so; no default is
filled in, no `__post_init__` runs: only for classes without one). A class whose instances have no
`__dict__` (slots, or a class compiled by mypyc) is made by its `__init__`, its fields given by position
when `state` names them in field order (mypyc parses keyword arguments ~5x slower than positions).
tests/test_patients_notes_shared.py checks that both give equal instances with the same state.

The reader's per-mention classes (`vocab.Mention`, `mentions.Target`, `dates.DateMention`, `therapy.Given`,
`language.LineLanguage`; issue 23, speed31) are no longer `frozen=True`: mypyc keeps the Python `__init__`
that `dataclasses` writes for a frozen dataclass (one `object.__setattr__` a field, ~3-4 us a `Target`
compiled); each writes its own `__init__`, which mypyc compiles to set its fields directly (~0.05 us, ~0.2 us
through `made`). They are never changed after `__init__`, and `unsafe_hash=True` gives them the frozen
dataclass's hash (equality and `repr` are the same).
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

T = TypeVar("T")


_DICT_BACKED: dict[type, bool] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}  # the names of a class's `__init__` parameters, in order


def _parameters(cls: type) -> tuple[str, ...]:
    """The names of the parameters of `cls(...)`, in order (none known: keywords are used)."""
    try:
        parameters = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return ()
    if any(p.kind not in (p.POSITIONAL_OR_KEYWORD, p.POSITIONAL_ONLY) for p in parameters):
        return ()
    return tuple(p.name for p in parameters)


def _dict_backed(cls: type) -> bool:
    """Whether instances of `cls` keep their fields in a `__dict__` that `made` may fill."""
    if hasattr(cls, "__post_init__"):
        return False
    try:
        return isinstance(object.__new__(cls).__dict__, dict)
    except (AttributeError, TypeError):  # slots, a native (compiled) class
        return False


def made(cls: type[T], state: dict[str, Any]) -> T:
    """`cls(**state)` for a frozen dataclass `cls`; `state` names every field, in field order."""
    backed = _DICT_BACKED.get(cls)
    if backed is None:
        backed = _DICT_BACKED[cls] = _dict_backed(cls)
    if not backed:
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = _parameters(cls)
        if names and tuple(state) == names:  # every parameter, in order: given by position
            return cls(*state.values())
        return cls(**state)
    new = object.__new__(cls)
    new.__dict__.update(state)
    return new
