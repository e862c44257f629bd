"""A laboratory limit whose comparison sign the registry text lost.

Registry exports drop "≤" and "≥" in older records and leave the number alone, often after a double space:
"Bilirubin  1.5 x the upper limit of normal (ULN)", "Creatinine 2.0 x ULN and Creatinine Clearance
40 mL/min", "ANC 1,500/mm3". An organ-function limit only ever guards the patient's safety, so its side is
the measure's own: an upper limit for what rises with organ damage (bilirubin, creatinine, transaminases,
INR, QTc), a lower limit for what falls (neutrophils, platelets, haemoglobin, creatinine clearance, eGFR,
albumin, LVEF). The value written is the value read; the atom says `attributes["implied_sign"]` ("upper" /
"lower") so that the evidence says the sign was not written. A measure with no safety side (BMI) gives
no atom. Written among the exclusions, the line names the values that keep the patient out: the side is
turned over there (`exclusion_sides`, run once the section is known).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import Caseless, compile_i
from oncofed.domain.criteria import Atom, Criterion, Section

IMPLIED_SIGN = "implied_sign"

# The side on which each analyte of resources/labs.tsv is limited for safety in an organ-function line
# (written for oncofed from the usual adequate-organ-function criteria of oncology protocols, e.g. the
# NCI CTEP protocol template: "total bilirubin <= ULN", "ANC >= 1,500/mcL", "creatinine clearance >= 60").
SAFE_SIDE: dict[str, str] = {
    "bilirubin": "upper",
    "creatinine": "upper",
    "ast": "upper",
    "alt": "upper",
    "inr": "upper",
    "qtc": "upper",
    "anc": "lower",
    "platelets": "lower",
    "hemoglobin": "lower",
    "creatinine_clearance": "lower",
    "egfr": "lower",
    "albumin": "lower",
    "lvef": "lower",
}

# the number right after the analyte (an abbreviation in parentheses, the closing bracket of a list "(AST, ALT )",
# ":", "of", "=" may come between),
# then a unit or "x ULN"; never a range ("100 - 400", "30 to 60"), a time ("14 days"), nor a number whose
# sense is written after it ("9 g/dL or more": read by the caller)
_LEAD = r"^\s*(?:[)\]]\s*){0,2}(?:\([^()]{1,30}\)\s*)?(?:(?:level|value|count|interval|concentration)s?\s+)?(?::|=|\bof\b|\bis\b|\bmust\s+be\b)?\s*"
_RANGE_OR_SENSE = compile_i(
    r"^\s*(?:-|–|to\b|and\s+\d|or\s+(?:less|lower|below|under|more|greater|higher|above|over)|"
    r"and\s+(?:above|below|over|under|higher|lower)|(?:or|and)\s+\d[\d.,]*\s*(?:x\s*)?(?:uln|upper))"
)


def bare_limit_re(num: str, uln: str, unit: str) -> Caseless:
    """The compiled pattern of a number with no sign before it (built by the caller from its own parts)."""
    return compile_i(rf"{_LEAD}(?P<n>{num})\s*(?:(?P<uln>{uln})|(?P<unit>{unit}))")


def no_range_after(text: str, end: int) -> bool:
    """Whether nothing after the number makes it a range or states its sense."""
    return _RANGE_OR_SENSE.match(text[end : end + 40]) is None


def implied_operator(code: str, per_uln: bool) -> tuple[str, str] | None:
    """(operator, side) of an analyte whose sign was lost; None when the measure has no safety side or
    when a multiple of the ULN is given for a measure limited from below."""
    side = SAFE_SIDE.get(code)
    if side is None or (per_uln and side == "lower"):
        return None
    return ("<=" if side == "upper" else ">=", side)


_TURNED = {"<=": ">", ">=": "<", "<": ">=", ">": "<="}


def exclusion_sides(criteria: Sequence[Criterion]) -> list[Criterion]:
    """An exclusion's limit with its sign lost names the values that exclude: the safe side turned over
    ("Exclusion: bilirubin 1.5 x ULN" excludes above 1.5 x ULN)."""
    out = []
    for c in criteria:
        if c.section == Section.EXCLUSION and any(
            a.kind == "lab" and a.attributes and IMPLIED_SIGN in a.attributes for a in c.atoms
        ):
            c = replace(c, atoms=tuple(_turned(a) for a in c.atoms))
        out.append(c)
    return out


def _turned(a: Atom) -> Atom:
    if a.kind != "lab" or not a.attributes or IMPLIED_SIGN not in a.attributes:
        return a
    return replace(a, operator=_TURNED.get(a.operator, a.operator))
