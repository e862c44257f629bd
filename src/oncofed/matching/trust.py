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

Every kind may be split in two by what the engine knows of the line when it decides (`SPLITS`: the line
read whole or in part, the atom plain or qualified, a measured value or a category): the key carries the
part ("exclusion:lab/plain"), each part is counted and trusted apart, and a table naming a kind unsplit
trusts every part of it (`trusted`). Which split is in force is the shipped table's (`"split"`), chosen
leave-one-set-out by `benchmarks.verdicts_trust --candidates` (docs/MATCHING.md, session 12).

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
import weakref
from collections.abc import Collection, Iterable, Iterator
from importlib import resources
from typing import Any

from oncofed.criteria import coverage as C
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


@functools.cache
def shipped_split() -> str:
    """The split of the shipped table's kinds ("" for none: see `SPLITS`)."""
    return str(load_table().get("split") or "")


def load_table() -> dict[str, Any]:
    ref = resources.files("oncofed.resources").joinpath(*TABLE)
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


_SHIPPED = "shipped"
_POLICY: contextvars.ContextVar[frozenset[str] | None | str] = contextvars.ContextVar(
    "oncofed_trusted_violations", default=_SHIPPED
)
_SPLIT: contextvars.ContextVar[str | None] = contextvars.ContextVar("oncofed_kind_split", default=None)


def split() -> str:
    """The split of the kinds in force (the shipped table's unless `splitting` says another)."""
    current = _SPLIT.get()
    return shipped_split() if current is None else current


@contextlib.contextmanager
def splitting(name: str) -> Iterator[None]:
    """Key the kinds of reading by this split (`SPLITS`; "" for none) inside the block (benchmarks only:
    the engine follows the shipped table's)."""
    if name not in SPLITS:
        raise ValueError(
            f"unknown split of the kinds of reading: {name!r} (one of {', '.join(map(repr, SPLITS))})"
        )
    token = _SPLIT.set(name)
    try:
        yield
    finally:
        _SPLIT.reset(token)


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


# --- kinds split by what the engine knows of the line when it decides (docs/MATCHING.md, session 12) -----
# A split names, for each atom of a line read as violated, one of two parts; the kind's key becomes
# "origin:kind/part" ("exclusion:lab/whole"). Which split the shipped table uses is chosen by
# leave-one-set-out (`benchmarks.verdicts_trust --candidates`) and written in the table ("split").
SPLITS: dict[str, tuple[str, str]] = {
    "": ("", ""),
    "read": ("whole", "partly"),  # the line read whole, or a part of it the engine knows it did not read
    "form": ("plain", "qualified"),  # the atom alone, or with a condition, alternative, window or scope
    "measure": ("measured", "category"),  # a number compared (a value, a score, a count), or a membership
}
# an atom's scope of its own: which courses, when, for what (criteria/therapy_scope.py, conditions.py ...)
_SCOPES = frozenset(
    {"setting", "target", "qualifier", "qualified", "washout", "min_days", "to_start", "context"}
)
_NUMERIC = frozenset({"<", "<=", ">", ">=", "=="})


def part(atom: Atom, whole: bool, conditioned: bool, name: str | None = None) -> str:
    """The part of the split in force (or `name`) an atom's reading falls in ("" with no split). `whole`:
    its line was read whole (`read_whole`); `conditioned`: its line has a condition."""
    name = split() if name is None else name
    if not name:
        return ""
    first, second = SPLITS[name]
    if name == "read":
        return first if whole else second
    if name == "form":
        attrs = atom.attributes or {}
        qualified = (
            conditioned
            or bool(atom.condition)
            or attrs.get("group") is not None
            or atom.window_days is not None
            or any(attrs.get(k) not in (None, "", (), []) for k in _SCOPES)
        )
        return second if qualified else first
    number = isinstance(atom.value, (int, float)) and not isinstance(atom.value, bool)
    return first if atom.operator in _NUMERIC and number else second


def key(origin_: str, kind: str, part_: str) -> str:
    """A kind of reading's key: "origin:kind", and "/part" when the kinds are split."""
    return f"{origin_}:{kind}/{part_}" if part_ else f"{origin_}:{kind}"


def trusted(table: Collection[str], kind_key: str) -> bool:
    """Whether a kind of reading may exclude under `table`: its key is there, or its kind unsplit (a table
    naming "exclusion:lab" trusts every part of it)."""
    return kind_key in table or base(kind_key) in table


def base(kind_key: str) -> str:
    """The kind of reading without its split part ("exclusion:lab/whole" -> "exclusion:lab")."""
    return kind_key.split("/", 1)[0]


PART_WORDS = {
    "whole": "read whole",
    "partly": "read in part",
    "plain": "a plain reading",
    "qualified": "a qualified reading",
    "measured": "a measured value",
    "category": "a category",
}


@functools.cache
def shipped_kinds() -> dict[str, dict[str, Any]]:
    """The shipped table's counts per kind of reading (read once)."""
    return dict(load_table().get("kinds") or {})


def counts(kind_key: str) -> tuple[int, int]:
    """(right, events) of a kind of reading in the shipped table (its off-topic right readings counted
    right, as the table's precision counts them); (0, 0) when never measured."""
    row = shipped_kinds().get(kind_key) or {}
    right = int(row.get("right", 0)) + int(row.get("off_topic", 0))
    return right, right + int(row.get("wrong", 0))


def best_measured(kind_keys: Iterable[str]) -> str:
    """Of a criterion's kinds of reading, the one measured most often in the shipped table ("" if none)."""
    ranked = sorted(kind_keys, key=lambda k: (-counts(k)[1], k))
    return ranked[0] if ranked and counts(ranked[0])[1] else ""


def part_of(kind_key: str) -> str:
    """The split part of a key ("" for an unsplit one)."""
    return kind_key.split("/", 1)[1] if "/" in kind_key else ""


_WHOLE: dict[int, tuple[weakref.ref[Criterion], bool]] = {}


def read_whole(criterion: Criterion, capped: bool = False) -> bool:
    """Whether the engine read the whole line (`read` split): no atom's qualifier unread (`capped`), no
    atom the vocabulary could not name (`non_evaluable`) nor a cancer it did not read (`unread_cancer`),
    and every content word after the first read word inside a read span (parenthesised examples aside,
    the words `criteria/coverage.py` counts). Computed once per criterion object."""
    hit = _WHOLE.get(id(criterion))
    if hit is None or hit[0]() is not criterion:
        whole = _read_whole(criterion)
        _WHOLE[id(criterion)] = (weakref.ref(criterion, _forget(id(criterion))), whole)
    else:
        whole = hit[1]
    return whole and not capped


def _forget(at: int) -> Any:
    def forget(ref: weakref.ref[Criterion]) -> None:
        entry = _WHOLE.get(at)
        if entry is not None and entry[0] is ref:
            del _WHOLE[at]

    return forget


def _read_whole(criterion: Criterion) -> bool:
    stack = [*criterion.atoms, *criterion.condition]
    while stack:
        atom = stack.pop()
        stack.extend(atom.condition)
        if atom.kind == "non_evaluable" or (atom.attributes or {}).get("unread_cancer"):
            return False
    spans = C._read_spans(criterion)
    if not spans or not criterion.text:
        return not criterion.atoms
    text = C._PAREN.sub(lambda m: " " * len(m.group()), criterion.text)
    first = min(s for s, _ in spans)
    for m in C._WORD.finditer(text, first):
        if m.group().lower() in C._STOP:
            continue
        if not any(s <= m.start() and m.end() <= e for s, e in spans):
            return False
    return True
