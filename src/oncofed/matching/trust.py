"""Which readings may exclude a patient on their own: the decision policy's data.

A criterion read as violated excludes the patient only when its *kind of reading* was proven reliable on
labelled data; any other violation becomes `unknown` ("read as not met: check it"), its evidence kept.
A kind of reading is general, known when the engine decides and carries over to a new trial: where the
line comes from (`inclusion`, `exclusion`, or `registry` for the registry's structured fields) crossed
with the kind of an atom of its statement (`cancer_type`, `ecog`, `lab`, `prior_therapy`, ...). An
inclusion is violated by a trusted reading when one of its false atoms is trusted (that atom alone makes
it false); an exclusion when all its atoms are (all are needed). Kinds never measured are not trusted.
How: `outcomes.policy_holds`.

One atom kind is read as two questions, decided per patient at run time from the trial's codes and the
patient's cancer alone (`reading_kind`): an inclusion's cancer type read as not met is
`cancer_organ` when the patient's cancer is in another organ (OncoTree tissue) than every cancer the
atom names ("the patient's cancer is not the trial's disease at all": lung cancer against a breast
cancer trial, a solid tumour against a lymphoma line), and `cancer_type` when it is in the same organ
(subtype, histology, setting within the organ: "is this breast cancer the lobular one?"). The two are
counted and trusted apart: a trial of another disease says nothing about reading subtypes.

The table (`resources/verdicts/trusted_violations.json`) is data, measured by
`benchmarks/verdicts_trust.py` on the labelled verdict sets (how often a violation of each kind was
right and wrong) with the rule written in it; nothing here is chosen by hand. `policy()` is the
trusted set in force: the shipped table, another one (`using(...)`, for leave-one-set-out scoring), or
None for the strict verdicts (every violation excludes: `strict()`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

from oncofed.domain import Atom, Criterion, Section

TABLE = ("verdicts", "trusted_violations.json")  # under oncofed/resources


def origin(criterion: Criterion) -> str:
    """Where a line comes from, for the policy: the registry's structured fields, or its section."""
    if criterion.index < 0:
        return "registry"
    return "inclusion" if criterion.section is Section.INCLUSION else "exclusion"


ORGAN = "cancer_organ"  # a cancer type read as not met at the organ level (see the module doc)


def atom_kind(atom: Atom) -> str:
    """An atom's kind as the policy counts it ("history of a cancer" is read apart from the primary)."""
    if atom.kind == "cancer_type" and atom.historical:
        return "cancer_type_history"
    return atom.kind


def organ_codes(atom: Atom) -> tuple[str, ...]:
    """The OncoTree codes of an atom whose reading splits into organ and subtype (a positive, current
    cancer type: not negated, not a history), upper case; () for any other atom."""
    if atom.kind != "cancer_type" or atom.historical or atom.negated or atom.attributes.get("unread_cancer"):
        return ()  # ... or a line naming a cancer the vocabulary did not read (criteria/cancer_site.py)
    raw = atom.value if atom.value is not None else atom.code
    return tuple(str(c).upper() for c in (raw if isinstance(raw, (list, tuple, set)) else [raw]) if c)


def reading_kind(atom: Atom, other_organ: bool) -> str:
    """The atom's kind of reading for one patient: `cancer_organ` for a cancer type whose codes are all
    in another organ than the patient's cancer (`other_organ`, `matching.vocab.another_organ`)."""
    return ORGAN if other_organ and organ_codes(atom) else atom_kind(atom)


@functools.cache
def shipped() -> frozenset[str]:
    """The trusted kinds of the shipped table."""
    return frozenset(load_table().get("trusted", ()))


def load_table() -> dict[str, Any]:
    ref = resources.files("oncofed.resources").joinpath(*TABLE)
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


_SHIPPED = "shipped"
_POLICY: contextvars.ContextVar[frozenset[str] | None | str] = contextvars.ContextVar(
    "oncofed_trusted_violations", default=_SHIPPED
)


def policy() -> frozenset[str] | None:
    """The trusted kinds in force (None: strict, every violation excludes)."""
    current = _POLICY.get()
    if isinstance(current, str):
        return shipped()
    return current


@contextlib.contextmanager
def using(table: Iterable[str] | None) -> Iterator[None]:
    """Decide with this trusted set (None: strict, every violation excludes) inside the block."""
    token = _POLICY.set(None if table is None else frozenset(table))
    try:
        yield
    finally:
        _POLICY.reset(token)


def strict(on: bool = True) -> contextlib.AbstractContextManager[None]:
    """Every violation excludes inside the block (the research nurse's short list) when `on`."""
    return using(None) if on else contextlib.nullcontext()


def reading() -> contextlib.AbstractContextManager[None]:
    """What the RANKER scores, inside the block: the engine's full reading, every criterion read as
    violated counted as violated, those the policy holds back from the verdict too. A criterion read as
    not met is still evidence that the trial fits less well, and the ranker's weights were chosen with
    violations counted: scoring held-back readings as plain unknowns cost nDCG@10 on the oncology judged
    set (lexical ranker -0.061, 95 % interval -0.124 to -0.013; with the dense layer -0.013, -0.038 to
    0.000; six sets pooled: within noise). The verdict and outcomes SHOWN follow `policy()`; the score,
    on every path (`assess.ranking_assess`, `vectorised.evaluate_trial_over_patients`), follows this."""
    return using(None)
