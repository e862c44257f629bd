"""Two performance scales offered as alternatives (verdicts29): "ECOG 0-1 or a Karnofsky index of at least 70",
"ECOG PS <= 1 (or KPS >= 70)", "ECOG 0-1 / Karnofsky >= 70 %", "ECOG <= 1 or equivalent Karnofsky >= 70",
"ECOG ≤ 1 ou indice de Karnofsky ≥ 70 %".

ECOG (WHO) and Karnofsky (Lansky for children) grade one thing; a line naming both with "or" asks for either.
The general OR rule (`logic.or_groups`) links atoms whose spans are joined by "or" alone; an ECOG atom's
span reaches over the words after its number here, and words sit between "or" and the other scale ("a",
"equivalent", "index de", "("), so both were required: a patient with only a Karnofsky score was unknown, one
with ECOG 2 and Karnofsky 70 excluded by a line that admits her. `performance_alternatives` puts an ECOG atom
and a Karnofsky atom of one line in one OR group when the words before the later scale's name, after the
earlier one, are "or" / "/" / "ou" with at most a few words (no "and", no clause break).
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_SCALES = {"ecog", "karnofsky"}
# the scale names an atom's text starts from (the later atom's own name is searched before its span too)
_NAME = compile_i(r"\b(?:ECOG|WHO|OMS|Zubrod|Karnofsky|KPS|Lansky|performance\s+status|PS)\b")
# between the earlier scale's statement and the later scale's name: "or", "/", "ou", "(or", with a few words
_OR_BEFORE = compile_i(
    r"(?:\bor\b|\bou\b|/)\s*(?:\(\s*)?(?:(?:an?|the|equivalent|corresponding|index|indice|score|de|un|une|l')\s*){0,3}"
    r"(?:(?:ECOG|WHO|OMS|Zubrod|Karnofsky|KPS|Lansky)\b)"
)
_BREAK = compile_i(r"[;.]\s|\band\b|\bet\b")


def performance_alternatives(atoms: list[Atom], text: str) -> list[Atom]:
    """An ECOG and a Karnofsky atom joined by "or" (module docstring): one OR group."""
    scales = [a for a in atoms if a.kind in _SCALES and a.span and not a.negated]
    if {a.kind for a in scales} != _SCALES:
        return atoms
    ecog = [a for a in scales if a.kind == "ecog"]
    kps = [a for a in scales if a.kind == "karnofsky"]
    if len(ecog) != 1 or len(kps) != 1:
        return atoms
    e, k = ecog[0], kps[0]
    if e.attributes.get("group") and e.attributes.get("group") == k.attributes.get("group"):
        return atoms
    if e.attributes.get("group") or k.attributes.get("group") or e.condition or k.condition:
        return atoms  # already an alternative of something else, or conditional: left as read
    first, later = (e, k) if e.span[0] <= k.span[0] else (k, e)  # type: ignore[index]
    # where the later scale is named: its own span, or its name just before it ("Karnofsky index of ...")
    start = later.span[0]  # type: ignore[index]
    between = text[first.span[0] : start]  # type: ignore[index]
    joined = _OR_BEFORE.search(between + text[start : start + 12])
    if not joined or _BREAK.search(between[: joined.start()] if joined else between):
        return atoms
    if _NAME.search(between[joined.end() :]):
        return atoms  # a third scale named between: not the two alternatives
    group = "performance"
    return [replace(a, attributes={**a.attributes, "group": group}) if a in (e, k) else a for a in atoms]
