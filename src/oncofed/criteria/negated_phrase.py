"""A negation over a qualified cancer denies the qualified cancer, not the cancer (verdicts34).

"No inflammatory breast cancer", "No stage IV breast cancer", "No metastatic breast cancer", "No HER2-positive breast
cancer": the line keeps out the breast cancers so qualified. Each atom was negated on its own and the atoms of a
line are a conjunction, so the line read "no breast cancer AND no stage IV ...": every patient of a breast cancer
trial failed it (`benchmarks/audit_polarity.py`: the exclusion "Stage IV breast cancer" and the inclusion "No stage
IV breast cancer" decided differently). By De Morgan the line is "not the qualifier OR not the cancer": the negated
cancer and the negated atoms read in its qualifier become one OR group. A qualifier word no atom reads
("inflammatory", "bilateral") joins the group as a statement left to the investigator (unread): a patient with
that cancer is then "to check", a patient with another cancer meets the line.

Only a cancer the negation governs directly, the qualifier between the two ("No ... breast cancer"): not a history
or another cancer ("No prior invasive breast cancer", "No other breast cancer", "No history of breast cancer":
those ask about a cancer other than the trial's), and not a plain "No breast cancer" / "No evidence of breast cancer".
Pure text analysis (an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain import Atom, Criterion

# words that say nothing of which cancer: "No evidence of a breast cancer", "No known ...", "No clinical signs of"
_NEUTRAL = compile_i(
    r"\b(?:evidence|signs?|diagnosis|known|clinical(?:ly)?|suspected|suspicion|features?|of|a|an|any|the|"
    r"current|active|present|documented|confirmed|radiological|histological(?:ly)?)\b"
)
# another cancer than the trial's: left to criteria/conditions.py and the prior-malignancy readings
_ANOTHER = compile_i(
    r"\b(?:other|another|second|prior|previous|previously|history|past|concurrent|concomitant|synchronous|"
    r"contralateral|new|former)\b"
)
# punctuation or a connective between the negation and the cancer: a list or a clause, not one noun phrase
_BREAK = compile_i(r"[,;:.()]|\b(?:or|and|with|without|for|in)\b")
_WHY = "the qualifier of a negated cancer (not read)"


def _negation_end(a: Atom) -> int | None:
    ends = [int(t[2]) for t in a.attributes.get("context", ()) if str(t[0]).upper().startswith("NEG")]
    return max(ends) if ends else None


def _qualified(c: Criterion, k: int) -> list[Atom] | None:
    """The atoms of the negated phrase around the cancer atom `k` (the cancer first), or None."""
    cancer = c.atoms[k]
    if cancer.historical or not cancer.span or cancer.attributes.get("group") is not None:
        return None
    end = _negation_end(cancer)
    if end is None or end > cancer.span[0]:
        return None
    between = c.text[end : cancer.span[0]]
    if _ANOTHER.search(between) or _BREAK.search(between):
        return None
    words = _NEUTRAL.sub(" ", between).strip(" -/")
    phrase = [
        a
        for a in c.atoms
        if a is not cancer
        and a.negated
        and a.span
        and end <= a.span[0]
        and a.span[1] <= cancer.span[1]
        and a.kind not in ("non_evaluable", "cancer_type")
    ]
    # "No HER2-positive breast cancer": the vocabulary's cancer phrase may hold its qualifier ("HER2-positive")
    if not words and not phrase or any(a.attributes.get("group") is not None for a in phrase):
        return None
    unread = words
    for a in phrase:
        assert a.span is not None
        unread = unread.replace(c.text[a.span[0] : a.span[1]], " ")
    unread = unread.strip(" -/")
    out = [cancer, *phrase]
    if unread or not phrase:
        start = end + len(between) - len(between.lstrip())
        out.append(
            Atom(
                "non_evaluable",
                "present",
                code="unread_statement",
                span=(start, cancer.span[0]),
                text=c.text[start : cancer.span[0]],
                attributes={
                    "why": _WHY,
                    "about": {"kind": "cancer_type", "code": cancer.code, "negated": True},
                },
            )  # fmt: skip
        )
    return out


def negated_qualified_cancers(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, each negated qualified cancer read as one OR group (see the module docstring)."""
    out = []
    for c in criteria:
        ks = [k for k, a in enumerate(c.atoms) if a.kind == "cancer_type" and a.negated]
        for n, k in enumerate(ks):
            group = _qualified(c, k)
            if group is None:
                continue
            name = f"notq{n}"
            members = {id(a) for a in group}
            atoms = [
                replace(a, attributes={**a.attributes, "group": name}) if id(a) in members else a
                for a in c.atoms
            ]
            atoms += [
                replace(a, attributes={**a.attributes, "group": name})
                for a in group
                if a.kind == "non_evaluable"
            ]
            c = replace(c, atoms=tuple(atoms))
        out.append(c)
    return out
