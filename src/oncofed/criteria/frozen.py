"""Frozen dataclass instances made without their `__init__` (issue 23 speed).

    made(cls, state) -> instance    # `cls(**state)`, the same object, ~1/2 to 1/3 of the time

A frozen dataclass's `__init__` sets each field through `object.__setattr__` (the class's own `__setattr__`
refuses): ~0.35 us a field. The notes reader makes ~40 such small records a note (vocabulary mentions,
mentions in context, facts), ~4 % of its time. `made` fills the instance's `__dict__` in one call, which
is what `__init__` leaves there: every field, in field order (the caller gives them so; no default is
filled in, no `__post_init__` runs: only for classes without one). A class whose instances have no
`__dict__` (slots, or a class compiled by mypyc) is made by its `__init__`.
tests/test_patients_notes_shared.py checks that both give equal instances with the same state.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


_DICT_BACKED: dict[type, bool] = {}


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
        return cls(**state)
    new = object.__new__(cls)
    new.__dict__.update(state)
    return new
