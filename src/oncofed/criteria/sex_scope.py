"""A sex that opens a diagnosis is part of the requirement, not who the line is about (verdicts34).

"Women with metastatic breast cancer", "Female patients having HER2-negative breast cancer", "Men diagnosed
with castration-resistant prostate cancer": the line describes the patients the trial takes, and the sex is
one of the things it asks, as "Adult women with metastatic breast cancer" (read as sex AND cancer) already was.
Rule 3 of criteria/conditions.py reads a line's opening sex as its subject, a condition ("Women of
childbearing potential must ...": for women, the requirement that follows); read so here, a man with
metastatic breast cancer was "not applicable" and met the line.

The sex stays a statement when the line is a bare description: the sex (and "patients", "subjects",
"participants") is followed by "with", "having", "who have", "diagnosed with", "affected by" or "suffering
from"; a cancer type the line does not negate is read after it; and nothing makes the sex a scope: no modal
verb ("must", "should", "has to" ...), no condition ("if", "when", "unless", "provided"), no reproductive reading
(pregnancy, breastfeeding, childbearing potential, contraception: those lines are about women as a scope),
no "eligible" / "allowed" / "may" (a permission about a subgroup: "Women with breast cancer are eligible"
says who else may enter). Under the exclusions both readings decide alike (excluded when both hold).
Pure text analysis (an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_AFTER_SEX = compile_i(
    r"^(?:\s+(?:patients?|subjects?|participants?|individuals?|persons?))?\s*,?\s*(?:with|having|who\s+(?:have|has)|"
    r"(?:who\s+(?:are|were|is|was)\s+|newly\s+)?diagnosed\s+with|affected\s+by|suffering\s+from)\b"
)
_SCOPE_WORDS = compile_i(
    r"\b(?:must|should|shall|needs?\s+to|has\s+to|have\s+to|required\s+to|if|when|unless|provided|except|"
    r"eligible|allowed|permitted|may|can|will|child-?\s*bearing|wocbp|pregnan\w*|lactat\w*|breast-?\s*feeding|"
    r"contracepti\w*|fertile|menopaus\w*|sterili\w*)\b"
)
_REPRODUCTIVE_KINDS = {"pregnancy", "breastfeeding", "childbearing_potential", "contraception"}


def diagnosis_subject(sex: Atom, atoms: list[Atom], text: str) -> bool:
    """Whether this opening sex (`extract.sex_atoms`' subject) describes the patients the line asks for."""
    if sex.kind != "sex" or not sex.span:
        return False
    end = sex.span[1]
    if not _AFTER_SEX.match(text[end:]) or _SCOPE_WORDS.search(text):
        return False
    if any(a.kind in _REPRODUCTIVE_KINDS for a in atoms):
        return False
    return any(
        a.kind == "cancer_type" and not a.negated and a.span is not None and a.span[0] >= end for a in atoms
    )
