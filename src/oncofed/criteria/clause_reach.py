"""How far a negation reaches in a line of alternatives.

"Locally advanced breast cancer that is not amenable to curative radiation or surgical cure and/or
metastatic disease": the "not" belongs to the relative clause that says WHICH locally advanced cancers
count (a predicate of the first alternative: not amenable to, not a candidate for, cannot be treated with,
not resectable); it ends where that clause ends, at the coordinator that opens the next alternative ("and/or
metastatic disease", ", or stage IV disease"). ConText's window reads the "not" over the whole sentence and
negates "metastatic": every metastatic patient would fail an inclusion that is written for them.

`clause_reach` (run on one criterion's atoms after ConText, before the alternatives are grouped) lifts a
negation from the atoms that follow such a break when every negation trigger of the atom is a predicate
negation before the break. A break is a coordinator ("or", "and/or", ", or", "; or") followed at once by a
disease noun phrase (a setting, a stage, a cancer, a histology: the head of a new alternative), which the
object of "amenable to" or "candidate for" never is. Determiner negations ("no HIV or hepatitis B",
"without brain or leptomeningeal metastases") distribute over their list and are left alone.
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_HEAD_KINDS = {"disease_setting", "stage", "cancer_type", "histology", "tnm"}
# the negated predicate of a clause: "that is not amenable to", "which cannot be treated", "not a candidate"
_PREDICATE_BEFORE = compile_i(
    r"\b(?:that|which|who|qui|whose\s+\w+)\s+(?:(?:is|are|was|were|has|have|had)\s+)?$"
)
_PREDICATE_AFTER = compile_i(
    r"^\s*(?:(?:be|been|être|considered|deemed|judged)\s+){0,2}(?:an?\s+)?(?:amenable|suitable|candidates?|eligible|"
    r"appropriate|accessible|resectable|operable|curable|treatable|treated|fit|able|possible|feasible|"
    r"removable|manageable|indicated)\b"
)
# a coordinator opening a new alternative, then the words a disease noun phrase may start with
_BREAK = compile_i(
    r"(?:[,;]\s*(?:and/)?or|\band/or|\bor|/)\s+(?:(?:with|patients?\s+with|has|have|an?|one|the|documented|"
    r"confirmed|known|histologically|cytologically|proven|disease|maladie)\s+){0,3}$"
)
_NEGATION = "NEG"
_OWN_NEGATION = compile_i(r"(?:\bnon[\s-]?|\bno\s+|\bnot\s+|\bwithout\s+|\bfree\s+of\s+)$")


def _triggers(a: Atom, kind: str = _NEGATION) -> list[tuple[int, int]]:
    ctx = a.attributes.get("context") or ()
    return [(int(str(t[1])), int(str(t[2]))) for t in ctx if str(t[0]).upper().startswith(kind)]


def _predicate(text: str, start: int, end: int) -> bool:
    """Whether the negation trigger at `start:end` negates a clause's predicate ("that is not ...",
    "cannot be treated", "not amenable to") rather than a noun ("no", "without", "free of")."""
    word = text[start:end].lower()
    if word == "not" and text[max(0, start - 3) : start].lower() == "can":  # "cannot"
        return True
    if word in ("cannot", "can not", "could not", "can't"):
        return True
    # "that is not amenable to ...": a predicate whose object is a therapy; never "that is not metastatic or
    # locally advanced" (the "not" negates the settings themselves: both stay negated)
    return word in ("not", "n't") and bool(_PREDICATE_AFTER.match(text[end : end + 40]))


def _breaks(atoms: list[Atom], text: str) -> list[int]:
    """Positions where a new alternative starts: a disease atom right after a coordinator."""
    out = []
    for a in atoms:
        if a.kind not in _HEAD_KINDS:
            continue
        spans = [a.span] if a.span else []  # a cancer named again ("..., or metastatic breast cancer")
        spans += [(int(sp[0]), int(sp[1])) for sp in a.attributes.get("also_spans", ()) or ()]
        out += [s for s, _e in spans if _BREAK.search(text[max(0, s - 70) : s])]
    return sorted(out)


def clause_reach(atoms: list[Atom], text: str) -> list[Atom]:
    negated = [a for a in atoms if a.negated and a.span and _triggers(a)]
    if not negated or ("not" not in text.lower() and "n't" not in text.lower()):
        return atoms
    breaks = _breaks(atoms, text)
    if not breaks:
        return atoms
    lifted: set[int] = set()
    opened = len(text)  # where the first lifted negation's clause opens
    for a in negated:
        assert a.span is not None
        triggers = _triggers(a)
        if not all(_predicate(text, s, e) for s, e in triggers):
            continue
        last = max(e for _s, e in triggers)
        if _OWN_NEGATION.search(text[max(0, a.span[0] - 12) : a.span[0]]):
            continue  # "or non-metastatic", "or without distant metastasis": a negation of its own
        if any(last < b <= a.span[0] for b in breaks):  # a new alternative opens between the "not" and it
            lifted.add(id(a))
            opened = min(opened, *(s for s, _e in triggers))
    if not lifted:
        return atoms
    atoms = [_lifted(a, opened, breaks) if id(a) in lifted else a for a in atoms]
    return _alternatives(atoms, opened, [b for b in breaks if b > opened])


def _lifted(a: Atom, opened: int, breaks: list[int]) -> Atom:
    """`a` without the clause's negation, nor its hypothesis ("not a candidate for surgery") when that
    too stands inside the clause."""
    start = a.span[0] if a.span else 0
    hypothetical = a.hypothetical and not all(
        opened <= s and any(e < b <= start for b in breaks) for s, e in _triggers(a, "HYPO")
    )
    attrs = {**a.attributes, "negation_ends": "clause"}
    return replace(a, negated=False, hypothetical=hypothetical, attributes=attrs)


def _alternatives(atoms: list[Atom], opened: int, breaks: list[int]) -> list[Atom]:
    """ "Locally advanced [clause] and/or metastatic": the setting before the clause and the one after the
    break are alternatives (one group); the clause's atoms ("not amenable to curative radiation": the
    investigator's judgement) qualify the first one only (its `condition`)."""
    settings = [a for a in atoms if a.kind in ("disease_setting", "stage") and a.span and not a.negated]
    if not breaks:
        return atoms
    first_break = breaks[0]
    before = [a for a in settings if a.span and a.span[1] <= opened]
    after = [a for a in settings if a.span and a.span[0] >= first_break]
    if not before or not after or any(a.attributes.get("group") for a in before + after):
        return atoms
    head = max(before, key=lambda a: a.span[1] if a.span else 0)
    head_end = head.span[1] if head.span else 0

    def in_clause(a: Atom) -> bool:
        return (
            a.span is not None
            and head_end <= a.span[0]
            and a.span[1] <= first_break
            and a.kind != "cancer_type"
        )

    clause = [_judged(a) for a in atoms if in_clause(a)]
    members = {id(a) for a in before + after}
    out = []
    for a in atoms:
        if in_clause(a):
            continue
        if id(a) in members:
            condition = (*a.condition, *clause) if a is head else a.condition
            a = replace(a, attributes={**a.attributes, "group": "reach"}, condition=condition)
        out.append(a)
    return out


def _judged(a: Atom) -> Atom:
    """A therapy inside the clause ("not amenable to curative radiation") is one the patient could be
    given: the investigator judges it, no part of the history (as `conditions.therapy_tense` reads it)."""
    if a.kind not in ("prior_therapy", "prior_lines", "treatment_naive"):
        return a
    about = {"kind": a.kind, "code": a.code, "operator": a.operator, "value": a.value}
    return Atom("non_evaluable", "present", code="investigator_judgement", span=a.span, text=a.text,
                attributes={"about": about})  # fmt: skip


def restated_stages(atoms: list[Atom], text: str) -> list[Atom]:
    """ "Invasive breast cancer without distant metastasis (stage I, II, and III)": the stages in
    parentheses name the disease the line asks for, the one without distant metastasis; the "without"
    does not reach into them. (A stage IV in the parentheses restates the metastasis: negated with it.)"""
    denied = [
        a.span[1]
        for a in atoms
        if a.kind in ("disease_setting", "metastasis")
        and a.negated
        and a.span
        and a.code in ("metastatic", None)
    ]
    if not denied or "(" not in text:
        return atoms
    out = []
    for a in atoms:
        if a.kind == "stage" and a.negated and a.span and isinstance(a.value, list):
            opening = text.rfind("(", 0, a.span[0])
            stages = [str(v) for v in a.value]
            if (
                opening >= 0
                and not text[opening + 1 : a.span[0]].strip()
                and any(0 <= opening - end <= 2 for end in denied)
                and not any(v.startswith("IV") for v in stages)
            ):
                a = replace(a, negated=False, attributes={**a.attributes, "negation_ends": "parenthesis"})
        out.append(a)
    return out
