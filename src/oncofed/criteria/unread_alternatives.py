"""Alternatives the engine cannot read, joined by "or" to one it reads (`logic.or_groups`).

"Maximum cumulative dose of doxorubicin </= 360 mg/m2 or of epirubicin </= 720 mg/m2 or no prior
anthracyclines": the doses received are not in the record (a cumulative dose is `non_evaluable`; a drug given
with a dose limit has the limit as its `qualifier`, criteria/conditions.py), "no prior anthracyclines" is
read. The OR of the three cannot be violated by the alternative read alone: they are one group whatever the
negation of the read one (two read alternatives of opposite polarity are not joined: "no A or B").
"""

from __future__ import annotations

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# "doxorubicin </= 360 mg/m2 or no prior anthracyclines": an alternative the engine cannot read (a dose
# received) and one it reads, joined by "or": the OR cannot be violated by the read alternative alone
_ANY_DOSE = compile_i(
    r"(?:[<>≤≥]=?|</=|>/=|=<|=>|below|above|under|over|(?:less|more|greater)\s+than|up\s+to)\s*"
    r"\d+(?:[.,]\d+)?\s*(?:mg|g)(?:\s*/\s*(?:m2|m²|kg))?"
)
_UNREAD_OR = compile_i(r"\bor\b")
_UNREAD_STOP = compile_i(r"[;.]|\band\b(?!/)")


_DOSED_AFTER = compile_i(
    r"[^.;\d]{0,20}?(?:[<>≤≥]=?|</=|>/=|=<|=>|below|above|under|over|(?:less|more|greater)\s+than|up\s+to|"
    r"at\s+most|not\s+exceeding|in\s+excess\s+of|exceeding)\s*\d+(?:[.,]\d+)?\s*(?:mg|g)\s*/\s*(?:m2|m²|kg)"
)


def dosed(a: Atom, text: str) -> bool:
    """A therapy given with a dose limit ("epirubicin </= 720 mg/m2"): the record's course alone does not
    decide it (criteria/conditions.py reads the limit as its qualifier)."""
    return a.kind == "prior_therapy" and bool(a.span) and bool(_DOSED_AFTER.match(text, a.span[1]))  # type: ignore[index]


def unread_or(gap: str) -> bool:
    gap = _ANY_DOSE.sub(" ", gap)
    return len(gap) <= 50 and bool(_UNREAD_OR.search(gap)) and not _UNREAD_STOP.search(gap)
