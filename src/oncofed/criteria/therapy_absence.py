"""An exclusion line that reads as the ABSENCE of a therapy cannot exclude on that reading.

"No concurrent anticancer therapy", "Any chronic skin condition that does not require systemic therapy",
"Spinal cord compression not definitively treated with surgery and/or radiation": listed under the
exclusions, a negated therapy atom would exclude every patient who did NOT receive the therapy, which is
what such a line almost never means (a requirement written among the exclusions, or a negation that
belongs to the condition the therapy treats). The rare exclusion that does mean it ("patients who have
not received a prior anthracycline") is read as not decided either: the atom becomes a statement left
to the investigator (`non_evaluable`, code `unread_statement`), its evidence span kept, so the line is
"unknown" at worst and never excludes on a therapy the patient did not receive. Lines from the
registry's structured fields (index < 0) are left alone. Pure text analysis (an engine: imports
`domain` only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.domain import Atom, Criterion, Section

WHY = "the absence of a therapy, under the exclusions"


def absent(a: Atom) -> bool:
    """Whether a therapy atom states that the therapy was NOT received (not a therapy a line keeps out by its
    own words, "Patients must not have received X" read among the exclusions: criteria/polarity.py)."""
    return (
        a.kind == "prior_therapy"
        and a.negated != (a.operator == "absent")
        and not (a.attributes and a.attributes.get("stated_out"))
    )


def unread_statement(a: Atom, why: str, negated: bool | None = None) -> Atom:
    """The atom as a statement left to the investigator (`non_evaluable`, `unread_statement`): its span and
    text kept as evidence, `why` the class, `about` what it was read as (the one builder of such atoms of
    criteria/therapy_absence.py, therapy_context.py and definitions.py)."""
    group = a.attributes.get("group") if a.attributes else None
    about = {"kind": a.kind, "code": a.code, "negated": a.negated if negated is None else negated}
    attributes: dict[str, object] = {"why": why, "about": about}
    if group is not None:
        attributes["group"] = group  # an alternative of an OR group stays one
    return Atom("non_evaluable", "present", code="unread_statement", span=a.span, text=a.text,
                attributes=attributes)  # fmt: skip


def absent_therapy_exclusions(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, each exclusion's negated therapy atoms made statements left to the investigator."""
    out = []
    for c in criteria:
        if c.section is Section.EXCLUSION and c.index >= 0 and any(absent(a) for a in c.atoms):
            c = replace(
                c, atoms=tuple(unread_statement(a, WHY, negated=True) if absent(a) else a for a in c.atoms)
            )
        out.append(c)
    return out
