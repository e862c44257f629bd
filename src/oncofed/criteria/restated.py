"""A line that only restates another line of the other section reads nothing of its own.

Trials often state one requirement twice: "Participant is a lung cancer patient" under the inclusions and
"Participant is not a lung cancer patient" under the exclusions; "ECOG 0-1" and "ECOG >= 2"; "are not
pregnant" and "are pregnant"; "adenocarcinoma" and "squamous or other non-adenocarcinoma histology"; "three
or less prior lines" and "more than three prior regimens". A patient who fails one fails both, and the
second violation says nothing new (in the verdict sets it was counted a wrong reading of its kind, the
failing criterion being the other line). The restating atom is taken out of one line of the pair:

- the pair: an atom `a` of an inclusion and an atom `b` of an exclusion about the same thing (kind and
  code), one the negation of the other ("lung cancer" / "not lung cancer") or complementary limits
  ("<= 1" / ">= 2", "<= 3" / "> 3", "< 9" / ">= 9"), the two lines in the same cohort and under the same
  condition;
- `a` is the restatement (dropped from the inclusion) when `a` is a plain conjunct of the inclusion and
  the exclusion holds whenever `a` fails: its atoms are `b`, alternatives of `b` (its OR group), or plain
  atoms the inclusion also requires. Then a patient failing `a` fails the exclusion: nothing is lost;
- the whole exclusion is the restatement instead when it states only the negation ("not lung cancer"):
  the inclusion's positive statement is kept;
- a line left with nothing becomes one `permission` atom (code `restatement`): not applicable, "the same
  requirement as another line".

Lines from the registry's structured fields (index < 0), hypothetical or historical atoms, and atoms with a
window or a condition of their own are left alone. Pure text analysis (an engine: imports `domain` and the
criteria helpers only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.conditions import permission_atom
from oncofed.domain import Atom, Criterion, Section

RESTATEMENT = "restatement"
_COMPLEMENT = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}
_INTEGER_KINDS = {"ecog", "prior_lines"}


def _plain(a: Atom) -> bool:
    return not (
        a.hypothetical or a.historical or a.window_days is not None or a.condition or "group" in a.attributes
    ) and a.kind not in ("permission", "non_evaluable")


def _conjunct(a: Atom) -> bool:
    return "group" not in a.attributes and not a.condition


def _same_subject(a: Atom, b: Atom) -> bool:
    return a.kind == b.kind and str(a.code or "").lower() == str(b.code or "").lower() and a.unit == b.unit


def _number(x: object) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _complement(a: Atom, b: Atom) -> bool:
    """Whether `b` holds exactly when `a` fails."""
    if not _same_subject(a, b) or a.hypothetical or b.hypothetical or a.historical or b.historical:
        return False
    if a.window_days is not None or b.window_days is not None or a.condition or b.condition:
        return False
    if a.operator == b.operator and a.value == b.value and a.negated != b.negated:
        return a.operator not in _COMPLEMENT or a.value is not None
    if a.negated or b.negated or a.operator not in _COMPLEMENT:
        return False
    va, vb = _number(a.value), _number(b.value)
    if va is None or vb is None:
        return False
    if _COMPLEMENT[a.operator] == b.operator and va == vb:
        return True
    if a.kind in _INTEGER_KINDS and va.is_integer() and vb.is_integer():  # "<= 3" / ">= 4"
        return (a.operator, b.operator, vb - va) in (("<=", ">=", 1.0), (">=", "<=", -1.0))
    return False


def _identical(a: Atom, b: Atom) -> bool:
    said = (a.kind, a.code, a.operator, a.value, a.unit, a.negated, a.historical, a.window_days)
    return said == (b.kind, b.code, b.operator, b.value, b.unit, b.negated, b.historical, b.window_days)


def _scope(c: Criterion) -> tuple[object, ...]:
    return (c.cohort, tuple(sorted((x.kind, str(x.code), str(x.value)) for x in c.condition)))


def _implied(exclusion: Criterion, b: Atom, inclusion: Criterion) -> bool:
    """Whether the exclusion holds whenever `b` does, given what the inclusion also requires."""
    group = b.attributes.get("group")
    for x in exclusion.atoms:
        if x is b or (group is not None and x.attributes.get("group") == group):
            continue
        if _conjunct(x) and any(_conjunct(y) and _identical(x, y) for y in inclusion.atoms):
            continue
        return False
    return True


def _restated(c: Criterion, drop: Atom) -> Criterion:
    atoms = tuple(a for a in c.atoms if a is not drop)
    if atoms:
        return replace(c, atoms=atoms)
    # as criteria/conditions.py's permissions: the one atom left is the criterion's condition
    return replace(c, atoms=(), condition=(*c.condition, permission_atom(c.text, RESTATEMENT, [drop])))


def restated_lines(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, the restating atom of each inclusion / exclusion pair taken out of one line."""
    out = list(criteria)
    inclusions = [i for i, c in enumerate(out) if c.section is Section.INCLUSION and c.index >= 0]
    exclusions = [j for j, c in enumerate(out) if c.section is Section.EXCLUSION and c.index >= 0]
    for i in inclusions:
        for j in exclusions:
            inc, exc = out[i], out[j]
            if _scope(inc) != _scope(exc):
                continue
            pair = next(
                ((a, b) for a in inc.atoms if _plain(a) for b in exc.atoms if _complement(a, b)),
                None,
            )
            if pair is None:
                continue
            a, b = pair
            whole = [x for x in exc.atoms if x.kind not in ("permission",)]
            if whole == [b] and b.negated and not a.negated:
                out[j] = _restated(exc, b)  # "not a lung cancer patient": the inclusion says it
            elif _implied(exc, b, inc):
                out[i] = _restated(inc, a)
    return out
