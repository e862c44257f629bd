"""An exclusion written as an absence names what it keeps out (verdicts40).

Registries copy the NCI template's "No X" requirements into the exclusion list as they stand: "No unstable
angina pectoris", "No history of cerebrovascular accident within six months", "Not pregnant or nursing", "No
known hypersensitivity to ...", "No patients with clinically significant uncontrolled medical conditions (e.g.,
unstable angina, ...)". Read as written, the absence itself excluded: every patient whose record says "no
angina", every man ("not pregnant"). No trial excludes patients for being free of a disease, an infection,
an allergy, a pregnancy or another cancer: the writer keeps out the condition named. Over the 1,198 trials of
the corpus, 42 exclusion lines open with "No" / "Not" and negate only such conditions.

Lines of other kinds keep their reading: "No measurable disease", "No histologic documentation of breast
adenocarcinoma", "No distant metastasis" may well say that the absence excludes (a trial for measurable or
metastatic disease).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom, Criterion, Section

# conditions nobody is excluded for lacking
_HARMS = frozenset(
    {
        "comorbidity",
        "infection",
        "pregnancy",
        "breastfeeding",
        "brain_metastases",
        "leptomeningeal_disease",
        "prior_malignancy",
    }
)
_OPENS_NO = compile_i(
    r"[\W\d]{0,6}(?:no|not|none\s+of)\b(?!\s+(?:applicable|specified|required|more|less)\b)"
)
MISPLACED = "absence_in_exclusion"


# "No concurrent antiretroviral therapy for HIV-positive patients": the condition names whom a therapy line is
# about, the line keeps out the therapy (not read): no reading of the condition alone
_FOR_WHOM = compile_i(r"\bfor\s+(?:(?:the|those|all)\s+)?$")


def _kept_out(atoms: Sequence[Atom], text: str) -> bool:
    statement = [a for a in atoms if a.kind != "non_evaluable"]
    return (
        bool(statement)
        and all(a.negated and a.kind in _HARMS for a in statement)
        and not any(a.span and _FOR_WHOM.search(text[max(0, a.span[0] - 20) : a.span[0]]) for a in statement)
    )


def absences_kept_out(criteria: Sequence[Criterion]) -> list[Criterion]:
    """Each exclusion opening with "No" / "Not" whose statement is only negated conditions (`_HARMS`) states
    those conditions: its atoms lose the negation the opening word gave them, and, "none of A or B" being
    "A or B" kept out (De Morgan), two or more of them become one group of alternatives."""
    out = []
    for c in criteria:
        if c.section is Section.EXCLUSION and _OPENS_NO.match(c.text) and _kept_out(c.atoms, c.text):
            several = sum(1 for a in c.atoms if a.kind != "non_evaluable") > 1
            attrs = {MISPLACED: True, **({"group": f"kept_out{c.index}"} if several else {})}
            atoms = tuple(
                replace(a, negated=False, attributes={**a.attributes, **attrs})
                if a.kind != "non_evaluable"
                else a
                for a in c.atoms
            )
            c = replace(c, atoms=atoms)
        out.append(c)
    return out
