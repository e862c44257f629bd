"""A therapy named in a criterion line that is not the line's requirement about prior therapy.

Read literally, every therapy a line names became a "prior X" reading: "less than 1 cm residual disease
after neoadjuvant chemotherapy" excluded every patient who had neoadjuvant chemotherapy. The classes of
error found on the labelled verdict sets (tenth pass), each read here from the line's own words:

- a time anchor: the therapy dates another finding ("residual disease after neoadjuvant chemotherapy",
  "LVEF >= 50 % within 6 weeks prior to initiation of neoadjuvant chemotherapy"). "Before the start of X"
  names the protocol's own, future therapy (both sections); "after X" under the exclusions asks for the
  finding after it (relapse, residual disease, toxicity), which the therapy alone does not show. "After X"
  under the inclusions is left alone: there it is most often a required prior therapy ("progressed
  after platinum");
- a permission: "Patient may have been treated with adjuvant chemotherapy", "may be on hormonal therapy",
  "prior adjuvant chemotherapy is allowed": the therapy is neither required nor excluded;
- a condition: "2-6 weeks after chemotherapy, if chemotherapy given first": the line applies to those who
  had it, it requires nothing about it;
- a definition: "of childbearing potential unless ... sterilized surgically (hysterectomy ...)",
  "contraception during and 6 months after chemotherapy": the therapy defines who must use contraception;
- a noun used as a modifier: "resection margin", "surgical bed", "surgical scar": a pathology or site,
  not an operation asked about;
- a window in another clause: "...after neoadjuvant chemotherapy; baseline evaluations within 4 weeks of
  registration": the window dates the evaluations, not the therapy (the window is dropped).

A window counted back from a day still to come ("within 14 days of the first dose", "28 days prior to
randomisation") is marked `attributes["to_start"]`: the note is written at screening, so a course that
ended inside the window before the note may end outside it by the first dose (matching/atoms.py: unknown,
not violated; a course still taken is within any window).

Such a therapy atom becomes a statement left to the investigator (`non_evaluable`, code
`unread_statement`, its span and evidence kept, `attributes["why"]` the class): the line is "unknown" at
worst and never excludes on it; the line's other atoms decide as before. Lines from the registry's
structured fields (index < 0) are left alone. Pure text analysis (an engine: imports `domain` and the
criteria helpers only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.therapy_absence import unread_statement
from oncofed.domain import Atom, Criterion, Section

ANCHOR = "a therapy that dates another finding"
PERMITTED = "a therapy the line allows"
CONDITION = "a therapy the line is conditional on"
DEFINITION = "a therapy that defines childbearing potential or contraception"
MODIFIER = "a therapy word naming a site or finding"

_WORDS = r"(?:[\w/+-]+\s+){0,4}"
# "after neoadjuvant anthracycline based chemotherapy", "following prior radiotherapy"
_AFTER = compile_i(rf"\b(?:after|following|post)\s+(?:the\s+|a\s+|an\s+|any\s+)?{_WORDS}$")
# "prior to initiation of neoadjuvant chemotherapy", "before starting study treatment": the protocol's own
_BEFORE_START = compile_i(
    rf"\b(?:prior\s+to|before|preceding)\s+(?:the\s+)?(?:initiation|start|starting|beginning|commencement|"
    rf"commencing|initiating)(?:\s+of)?\s+(?:the\s+|a\s+|an\s+)?{_WORDS}$"
)
_PERMISSION = compile_i(
    r"\b(?:may\s+(?:have\s+(?:been\s+treated|received|had|undergone)|be\s+on|be\s+receiving|continue)|"
    r"(?:is|are|will\s+be)\s+(?:allowed|permitted|acceptable|eligible)|allowed|permitted)\b"
)
_NOT_BEFORE = compile_i(r"\b(?:not|no|never|nor)\s+(?:\w+\s+){0,1}$|n't\s+(?:\w+\s+){0,1}$")
_CONDITION = compile_i(
    r"(?:\bif|\bwhen|\b(?:in|for)\s+(?:patients|participants|subjects|those|women|men)\s+who)\b[^.;,:()]{0,60}$"
)
_DEFINITION = compile_i(
    r"\b(?:child[\s-]?bearing|reproductive\s+potential|contracepti\w*|steril(?:i[sz]ed|i[sz]ation|e)|"
    r"birth\s+control)\b"
)
_MODIFIER_AFTER = compile_i(r"^\s*(?:margins?|bed|cavity|scars?|specimens?|site|field)\b")
_SENTENCE_CUT = re.compile(r"[.;](?:\s|$)")
# a window counted back from a day still to come: "within 14 days of the first dose", "28 days prior to
# randomisation" (the note is written at screening, before it)
_TO_START = compile_i(
    r"^\s*(?:(?:of|before|prior\s+to|preceding|from)\s+)?(?:the\s+|study\s+)?"
    r"(?:(?:first|initial)\s+(?:dose|administration|day|infusion|treatment)|(?:start|initiation|beginning|commencement)"
    r"\s+of|c1d1|cycle\s+1|day\s+1|randomi[sz]\w*|registration|enrol+ment|study\s+entry|entry)"
)


def _spans(a: Atom) -> list[tuple[int, int]]:
    out = [a.span] if a.span else []
    for s in a.attributes.get("also_spans", ()) if a.attributes else ():
        out.append((int(s[0]), int(s[1])))
    return out


def _sentence_before(text: str, start: int) -> str:
    """The text of the sentence (or ";" clause) holding `start`, up to `start`."""
    cut = 0
    for m in _SENTENCE_CUT.finditer(text, 0, start):
        cut = m.end()
    return text[cut:start]


def _sentence_of(text: str, start: int) -> str:
    m = _SENTENCE_CUT.search(text, start)
    return _sentence_before(text, start) + text[start : m.start() if m else len(text)]


# "Only patients previously treated with trastuzumab are eligible": a restriction, no permission
_ONLY = compile_i(r"\bonly\b(?!\s+(?:after|following|upon)\b)")


def _permitted(sentence: str) -> bool:
    if _ONLY.search(sentence):
        return False
    return any(not _NOT_BEFORE.search(sentence[: m.start()]) for m in _PERMISSION.finditer(sentence))


def why_not_required(a: Atom, text: str, section: Section) -> str | None:
    """Why a therapy atom of a line is no requirement about prior therapy (None: it is one)."""
    if a.kind != "prior_therapy" or not a.span:
        return None
    reasons = []
    for start, end in _spans(a):
        if _DEFINITION.search(_sentence_of(text, start)):  # the therapy's own sentence defines contraception
            return DEFINITION
        reasons.append(_mention_role(text, section, start, end))
    # a therapy named plainly, then again in the condition that exempts some patients ("Have received
    # exemestane (if exemestane was used in the adjuvant stage and stopped 12 months before, you can join)",
    # the exemption's time read as the line's window: `extract.with_window`): the plain mention states the
    # requirement (verdicts33); otherwise any mention that is a condition, an anchor or a modifier says why
    stated = reasons[:1] == [None] and bool(a.attributes.get("exemption_window"))
    if stated:
        return None  # the exemption admits patients: no permission of the therapy itself
    if any(reasons):
        return next(r for r in reasons if r)
    if not a.negated and a.operator != "absent" and _permitted(_sentence_of(text, a.span[0])):
        return PERMITTED
    return None


def _mention_role(text: str, section: Section, start: int, end: int) -> str | None:
    """Why one mention of a therapy is no requirement about it (None: it states one)."""
    before = _sentence_before(text, start)
    if _BEFORE_START.search(before[-120:]):
        return ANCHOR
    m = _AFTER.search(before[-80:]) if section is Section.EXCLUSION else None
    if m and before[: len(before) - len(before[-80:]) + m.start()].strip(" -*•:,("):
        return ANCHOR  # "<finding> after X": the line's subject comes first
    if _CONDITION.search(before[-80:]):
        return CONDITION
    if _MODIFIER_AFTER.match(text[end : end + 12]):
        return MODIFIER
    return None


def _window_elsewhere(a: Atom, text: str) -> bool:
    """Whether the atom's look-back window was read from another sentence or ";" clause of the line."""
    span = a.attributes.get("window_span") if a.attributes else None
    if a.window_days is None or not span or not a.span or a.attributes.get("washout"):
        return False
    # the text between the therapy and its window (after it, or before it)
    after = int(span[0]) >= a.span[1]
    between = text[a.span[1] : int(span[0])] if after else text[int(span[1]) : a.span[0]]
    return bool(_SENTENCE_CUT.search(between))


def _to_start(a: Atom, text: str) -> bool:
    """Whether the atom's look-back window is counted back from the first dose (or randomisation, ...)."""
    span = a.attributes.get("window_span") if a.attributes else None
    if a.kind != "prior_therapy" or a.window_days is None or not span:
        return False
    return bool(_TO_START.match(text[int(span[1]) : int(span[1]) + 60]))


def therapy_context(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, each therapy atom that is no requirement about prior therapy made a statement left
    to the investigator, and each window read from another clause dropped."""
    out = []
    for c in criteria:
        if c.index >= 0 and any(a.kind == "prior_therapy" for a in c.atoms):
            atoms = []
            for a in c.atoms:
                if _to_start(a, c.text):
                    a = replace(a, attributes={**a.attributes, "to_start": True})
                if _window_elsewhere(a, c.text):
                    extra = {
                        k: v for k, v in a.attributes.items() if k not in ("window_span", "exemption_window")
                    }
                    if a.attributes.get("exemption_window"):
                        # an exemption's time read from another clause: the minimum time it was before verdicts33
                        extra = {**a.attributes, "min_days": a.window_days}
                        extra.pop("exemption_window")
                    a = replace(a, window_days=None, attributes=extra)
                why = why_not_required(a, c.text, c.section)
                atoms.append(unread_statement(a, why) if why else a)
            if atoms != list(c.atoms):
                c = replace(c, atoms=tuple(atoms))
        out.append(c)
    return out
