"""A therapy that qualifies a condition: "Active infection requiring systemic therapy", "Autoimmune disease
requiring systemic treatment in the past 2 years", "heart failure treated with ...", "pneumonitis that
required steroids".

The therapy after "requiring / needing / that requires / treated with / managed with" belongs to the
condition named before it: it says which infections or autoimmune diseases count, never that the patient's
own anticancer therapy is asked. Read as an atom of its own it is a prior-therapy requirement that any
chemotherapy meets (an exclusion "active infection requiring systemic therapy, or other serious infection"
would exclude every patient treated with carboplatin).

`governed_therapies` (run on one criterion's atoms after ConText, before the alternatives are grouped)
takes such a therapy atom out of the line: a generic or anticancer therapy ("systemic therapy",
"treatment", "chemotherapy") becomes the condition's `attributes["qualifier"]` ("requiring systemic
therapy": a record of the condition alone cannot tell, its absence still decides); a named medicine of
another kind ("steroids", "antibiotics", "immunosuppressants") becomes the condition atom's own
`condition` (the condition AND that medicine, inside the condition's alternative).
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# an infection or a comorbidity; not brain metastases ("treated with radiotherapy" is their status, read by
# conditions.py) nor another cancer ("treated with chemotherapy" is its history)
_CONDITION_KINDS = {"infection", "comorbidity"}
_THERAPY_KINDS = {"prior_therapy"}
# between a condition and the therapy that treats it: "requiring", "that requires", "which has needed",
# "treated with", "managed with", "for which ... is required" is not read (the order is the condition's)
_GOVERNS = compile_i(
    r"^[\s,]*(?:\((?:[^()]{0,40})\)\s*)?(?:(?!(?:or|and|with|without|no|not)\b)[a-z-]+\s+){0,2}?(?:(?:that|which|who)\s+)?(?:(?:has|have|had|is|are|was|were)\s+)?"
    r"(?:(?:currently|actively|still)\s+)?"
    r"(?:requir\w*|need\w*|necessitat\w*|(?:being\s+)?treated\s+(?:with|by)|managed\s+with|under|on)\s+"
    r"(?:(?:ongoing|active|current|chronic|an?|the|any|long[\s-]term)\s+)*$"
)
# a therapy whose words name no medicine of their own: what the condition requires is a qualifier
_GENERIC = compile_i(
    r"^(?:(?:systemic|intravenous|iv|oral|active|specific|medical|ongoing|chronic|disease[\s-]modifying|"
    r"immunosuppressive|anti-?cancer)\s+)*(?:therap(?:y|ies)|treatments?|medications?|chemotherapy)$"
)
_ANTICANCER = {"systemic therapy", "chemotherapy", "treatment", "therapy", "anticancer therapy"}


def _qualifier(therapy: Atom) -> str:
    words = (therapy.text or "").lower()
    return "requiring systemic therapy" if "system" in words or "chemo" in words else "requiring treatment"


def governed_therapies(atoms: list[Atom], text: str) -> list[Atom]:
    conditions = [a for a in atoms if a.kind in _CONDITION_KINDS and a.span]
    # negated with their condition too: "no active infection requiring systemic therapy" is no "no prior
    # systemic therapy" (every treated patient would fail it)
    therapies = [a for a in atoms if a.kind in _THERAPY_KINDS and a.span]
    if not conditions or not therapies:
        return atoms
    owner: dict[int, Atom] = {}  # id(therapy) -> the condition it qualifies
    for t in therapies:
        assert t.span is not None
        before = [c for c in conditions if c.span and c.span[1] <= t.span[0] and c.negated == t.negated]
        if not before:
            continue
        c = max(before, key=lambda a: a.span[1] if a.span else 0)
        assert c.span is not None
        if _GOVERNS.match(text[c.span[1] : t.span[0]]):
            owner[id(t)] = c
    if not owner:
        return atoms
    qualifiers: dict[int, str] = {}
    medicines: dict[int, list[Atom]] = {}
    for t in therapies:
        held = owner.get(id(t))
        if held is None:
            continue
        c = held
        code = str(t.code or t.attributes.get("class") or "").lower()
        if code in _ANTICANCER or _GENERIC.match((t.text or "").strip()):
            qualifiers.setdefault(id(c), _qualifier(t))
        else:  # "pneumonitis that required steroids": the condition and that medicine (the line's negation,
            # "no pneumonitis that required steroids", is the condition atom's: its medicine is asked as such)
            plain = {k: v for k, v in t.attributes.items() if k not in ("group", "context")}
            medicines.setdefault(id(c), []).append(replace(t, negated=False, attributes=plain))
    out = []
    for a in atoms:
        if id(a) in owner:
            continue
        if id(a) in qualifiers and not a.attributes.get("qualifier"):
            a = replace(a, attributes={**a.attributes, "qualifier": qualifiers[id(a)]})
        if id(a) in medicines:
            a = replace(a, condition=(*a.condition, *medicines[id(a)]))
        out.append(a)
    return out
