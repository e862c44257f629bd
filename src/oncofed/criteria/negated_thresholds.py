"""A line that opens with a negation governs the measured value it names first (verdicts34).

"No QTc > 470 msec", "Without platelet count < 100,000/mm3", "Absence of ANC < 1,500/mm3", "Patients must not
have a creatinine > 1.5 mg/dL": the inclusion another author writes for the exclusion "QTc > 470 msec". ConText
negates the kinds whose truth depends on context (parser.CONTEXT_KINDS); numeric thresholds are not among them,
so the "No" was lost and the line read as the threshold itself: every patient with a normal QTc failed it
(`benchmarks/audit_polarity.py`, which compares the two templates by decision on every corpus line).

The threshold is negated when the negation opens the line (after an optional subject: "Patients must not have",
"Subjects with no") and only words stand between it and the measure's name: no punctuation, no connective, at
most five words ("No history of a QTc > 470 msec"). Not when "no" belongs to an operator ("no more than 3
prior regimens", "no less than 18 years", "not exceeding"), nor for a second measure after a comma or a
semicolon ("No prior chemotherapy; ANC >= 1,500/mm3": the count is a requirement of its own).
Pure text analysis (an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_NUMERIC = {"lab", "age", "ecog", "karnofsky", "life_expectancy"}
_CUE = compile_i(
    r"^\W*(?:(?:patients?|participants?|subjects?)\s+(?:must|should|shall|may)\s+not\s+have(?:\s+(?:an?|any))?|"
    r"(?:patients?|participants?|subjects?)\s+with\s+no|no|without|absence\s+of|free\s+of|not\s+having)\s+"
)
# "no more than", "not less than", "no greater than", "not exceeding": an operator, not a negation
_OPERATOR_AFTER = compile_i(
    r"^(?:more|less|greater|fewer|lower|higher|older|younger|earlier|later|exceed\w*|over|under|above|below)\b"
)
_WORDS_ONLY = compile_i(r"^(?:[\w'()/-]+\s+){0,5}$")
_NAMED = {
    "age": compile_i(r"\b(?:age[ds]?|old|older|younger)\b"),
    "life_expectancy": compile_i(r"\bexpectancy\b"),
}


def negated_thresholds(atoms: list[Atom], text: str) -> list[Atom]:
    """The first measured value of a line that opens with a negation, negated (see the module docstring)."""
    cue = _CUE.match(text)
    if cue is None or _OPERATOR_AFTER.match(text[cue.end() :]):
        return atoms
    numeric = [a for a in atoms if a.kind in _NUMERIC and a.span and not a.negated]
    if not numeric:
        return atoms
    first = min(numeric, key=lambda a: a.span or (0, 0))
    if first.kind in _NAMED and not _NAMED[first.kind].search(text, cue.end(), (first.span or (0, 0))[1]):
        # an age or a life expectancy whose name is not written before its number ("No spontaneous menses for >= 1
        # year": a duration the age reader took): no measure is named, so nothing is negated (session 14, lead:
        # the negated "age >= 1" failed every patient)
        return atoms
    start = int(first.attributes.get("analyte_span", first.span)[0]) if first.span else 0
    between = text[cue.end() : start]
    if start < cue.end() or not _WORDS_ONLY.match(between) or " or " in f" {between.lower()}":
        return atoms
    return [replace(a, negated=True) if a is first else a for a in atoms]
