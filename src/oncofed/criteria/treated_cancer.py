"""The cancer an excluded therapy was given for is the therapy's target, not a reading of its own.

"Any cytotoxic chemotherapy or other anti-cancer drugs for the treatment of advanced breast cancer within
14 days of the first dose": under the exclusions, the breast cancer names what the therapy treated. Read
as an atom of its own it is true of every patient of the trial, and it made the patient's cancer type one
of the reasons of a wrong exclusion each time the therapy or its window was misread (the cancer-type
reading then lost the trust it had earned: matching/trust.py). Such cancer-type atoms are dropped and
given to the line's therapy atoms as `attributes["target"]`, as criteria/conditions.py `therapy_targets`
does for "for their current breast cancer" (a record of what the line said: the evaluator does not read it
yet, so the therapy is read whatever cancer it treated; in a trial of that cancer, the patient's). Under the inclusions the cancer is left alone: there it is
also a requirement ("prior chemotherapy for the treatment of metastatic breast cancer" is not met by a
patient with another cancer). Lines from the registry's structured fields (index < 0) are left alone.
Pure text analysis (an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain import Atom, Criterion, Section

# "for the treatment of (locally) advanced or metastatic ", "in the management of their "
_TREATMENT_OF = compile_i(
    r"\b(?:for|in)\s+(?:the\s+)?(?:treatment|management)\s+of\s+(?:(?:their|the|this|his|her)\s+)?"
    r"(?:(?:locally|advanced|metastatic|recurrent|relapsed|unresectable|inoperable|early|current|primary|"
    r"or|and)[\s,/]+){0,5}$"
)


def _treated(a: Atom, text: str) -> bool:
    """Whether this cancer atom's own words follow "for the treatment of" (its span, as
    conditions.therapy_targets reads it: another mention of the same cancer in the line is another atom)."""
    if a.kind != "cancer_type" or a.negated or not a.span:
        return False
    return bool(_TREATMENT_OF.search(text[max(0, a.span[0] - 80) : a.span[0]]))


def treated_cancers(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, the cancer an excluded therapy was given for moved into the therapy atoms' target."""
    out = []
    for c in criteria:
        if (
            c.section is Section.EXCLUSION
            and c.index >= 0
            and any(a.kind == "prior_therapy" for a in c.atoms)
        ):
            targets = [a for a in c.atoms if _treated(a, c.text)]
            if targets:
                target = [
                    {"kind": t.kind, "code": t.code, "operator": t.operator, "value": t.value}
                    for t in targets
                ]
                atoms = tuple(
                    replace(a, attributes={**a.attributes, "target": target})
                    if a.kind == "prior_therapy"
                    else a
                    for a in c.atoms
                    if a not in targets
                )
                c = replace(c, atoms=atoms)
        out.append(c)
    return out
