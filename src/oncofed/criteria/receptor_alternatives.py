"""A receptor status that is one alternative of a list: its expansion stays in the alternative.

"ER-positive or triple-negative breast cancer", "hormone receptor positive or hormone receptor negative,
HER2-negative disease": the readers expand "triple-negative" into ER, PR and HER2 negative and "hormone receptor
negative" into ER and PR negative, and the OR group kept only the first atom of the expansion (ER negative),
the others (PR negative, HER2 negative) became requirements of their own, so an ER-positive, PR-positive
patient, whom the line's first alternative takes, failed "PR negative" (an eligible patient excluded).

When an OR group of a line holds both statuses of one receptor (the sign that the line lists receptor statuses
as alternatives), a plain receptor-status atom written inside the group's extent (between its first and last
atom) joins the group. The alternatives are then read as one OR of statuses: never a wrong "not met"; a patient
who has the first atom of an expansion but not the others (ER negative, HER2 positive for "ER-positive or
triple-negative") is read as meeting it, which is left to check in the line's words.
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.domain.criteria import Atom, Criterion

RECEPTORS = frozenset({"ER", "PR", "HER2", "HR", "AR"})


def _status(a: Atom) -> str | None:
    return str(a.value).lower() if a.kind == "biomarker" and str(a.code).upper() in RECEPTORS else None


def receptor_alternatives(criteria: list[Criterion]) -> list[Criterion]:
    """The criteria with receptor-status atoms inside an alternative of both statuses joined to it."""
    return [_joined(c) for c in criteria]


def _joined(c: Criterion) -> Criterion:
    groups: dict[object, list[Atom]] = {}
    for a in c.atoms:
        group = a.attributes.get("group") if a.attributes else None
        if group is not None and _status(a) in ("positive", "negative") and a.span:
            groups.setdefault(group, []).append(a)
    join: dict[int, object] = {}
    for group, atoms in groups.items():
        by_marker: dict[str, set[str]] = {}
        for a in atoms:
            by_marker.setdefault(str(a.code).upper(), set()).add(_status(a) or "")
        if not any(len(s) > 1 for s in by_marker.values()):
            continue
        lo = min(a.span[0] for a in atoms if a.span)
        hi = max(a.span[1] for a in atoms if a.span)
        for a in c.atoms:
            plain = not (a.attributes and a.attributes.get("group") is not None)
            if plain and _status(a) in ("positive", "negative") and a.span and lo <= a.span[0] < hi:
                join[id(a)] = group
    if not join:
        return c
    joined = tuple(
        replace(a, attributes={**(a.attributes or {}), "group": join[id(a)]}) if id(a) in join else a
        for a in c.atoms
    )
    return replace(c, atoms=joined)
