"""The polarity a line states itself, whatever section it sits in.

"HBV- or HCV-positive patients are ineligible because ...", "Nursing women are also excluded, as ...",
"Patients previously treated with bevacizumab cannot be enrolled", "Prior bevacizumab is not allowed",
"Patients must not have brain metastases": the line says who is kept out. Written among the inclusions it
is no requirement of the positive (the patient must be HBV-positive, nursing): its subject is negated;
written among the exclusions it is an exclusion of the subject as it stands, not of its negation.

`stated_exclusions` (run on one criterion's atoms, section unknown: the atoms memo is shared by both
sections) reads the inclusion's meaning and marks the atoms `attributes["stated_out"]` with how the subject
joins them ("or": "HBV- or HCV-positive patients", "and": "HER2-positive patients not treated with
trastuzumab", "one"). `in_section` (run on the parsed criteria) gives an exclusion's meaning back: the
marked atoms as the subject says them. De Morgan: "not (A or B)" is "not A and not B"; "not (A and B)" is
"not A or not B" (one group of alternatives). A reason after the predicate ("because of the risk of
reactivation following steroids", "as the risk ... is unknown") is no requirement: its atoms are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom, Criterion, Section

STATED_OUT = "stated_out"
GROUP = "stated_out"
# the predicate of a subject kept out: "are ineligible", "are (also) excluded", "cannot be enrolled", "may
# not take part", "is not allowed / permitted", "is prohibited"; never "ineligible for / to" (a state of
# the patient: "not eligible for surgery"), never inside a relative clause ("patients who are ineligible")
_SUBJECT_OUT = compile_i(
    r"\b(?:(?:is|are|be|will\s+be|shall\s+be|would\s+be)\s+(?:also\s+|therefore\s+|thus\s+|then\s+)?"
    r"(?:ineligible|not\s+eligible|non[-\s]?eligible|excluded|prohibited|forbidden|"
    r"not\s+(?:allowed|permitted|acceptable|accepted|included|enrolled))"
    r"|(?:cannot|can\s*not|can't|may\s+not|will\s+not|shall\s+not|must\s+not|should\s+not)\s+(?:be\s+)?"
    r"(?:enrolled|included|eligible|randomi[sz]ed|entered|accepted|allowed|permitted|participate|take\s+part|"
    r"enter|register)"
    r"|\bnot\s+eligible|\bineligible|\bnot\s+(?:allowed|permitted)"
    # "are not candidates for this study" (never "not candidates for surgery": a state of the patient)
    r"|\bnot\s+(?:suitable\s+|good\s+)?candidates?\s+for\s+(?:this|the)\s+(?:study|trial|protocol))\b"
    r"(?!\s+(?:for|to)\b(?!\s+(?:this|the)\s+(?:study|trial|protocol|research)\b"
    r"|\s+(?:participate|take\s+part|enter|enrol|enroll|be\s+enrolled|be\s+included)\b))"
)
_RELATIVE = compile_i(r"\b(?:who|that|which|whom)\s+(?:(?:is|are|were|was|be|been)\s+)?(?:also\s+)?$")
# a predicate with no verb ("Les patients with HBV not eligible.", as French "ne sont pas éligibles" is
# rewritten) ends the statement; never an adjective ("cisplatin-ineligible patients") nor a coordinated
# clause ("... and are either not eligible or not interested in taking tamoxifen")
_BARE = compile_i(r"not\s+eligible|ineligible|not\s+(?:allowed|permitted)")
_BARE_BEFORE = compile_i(r"(?:-|\b(?:either|or|and|nor|are|is|be|been|were|was)\s+)$")
_BARE_AFTER = compile_i(
    r"\s*(?:$|[.;,:(]|(?:for|to|in)\s+(?:this|the)\s+(?:study|trial|protocol)|because|due\s+to|as\b|since\b|unless\b|"
    r"except\b|to\s+(?:participate|take\s+part|enter|enrol))"
)


def _bare_predicate(text: str, m: re.Match[str]) -> bool:
    return not _BARE_BEFORE.search(text[max(0, m.start() - 10) : m.start()]) and bool(
        _BARE_AFTER.match(text, m.end())
    )


# "Patients must not have (received) X": the object after the predicate is kept out
_OBJECT_OUT = compile_i(
    r"\b(?:must|should|shall)\s+not\s+(?:have|be|receive|present|suffer|use|take)\b|\bmust\s+not\b"
)
# "... should not be excluded" (a permission), "... are not eligible: A) ..." (a heading over a list)
_NOT_BEFORE = compile_i(r"\b(?:not|n't|never)\s+$")
# "must not have taken X for at least 2 weeks before randomization": a washout, not the receipt of X
_TIME = compile_i(r"\b(?:weeks?|days?|months?|years?|hours?|wks?)\b")
# a reason after the predicate ("because of ...", ", as there is ...", "due to ..."): no requirement
_REASON = compile_i(
    r"[^;]*?(?:\bbecause\b|,\s*as\b(?!\s+well)|\bsince\b|\bdue\s+to\b|\bgiven\s+(?:the|that)\b)"
)
_CLAUSE = compile_i(r"[;]|\.\s|\bunless\b|\bexcept\b|\bif\b|\bother\s+than\b|\bbut\b")
_OR = compile_i(r"\bor\b|/|\band/or\b")
_KINDS = {
    "pregnancy", "breastfeeding", "cancer_type", "disease_setting", "biomarker", "prior_therapy",
    "brain_metastases", "leptomeningeal_disease", "metastasis", "measurable_disease", "prior_malignancy",
    "infection", "comorbidity", "treatment_naive", "stage", "histology",
}  # fmt: skip


_NOT_THE_THING = compile_i(
    r"\b(?:benefit\w*|plann\w*|plans?\s+to|requir\w*|needs?\b|need(?:ing|ed)|candidates?|complications?|toxicit\w*|"
    r"intoleran\w*|allerg\w*|hypersensitiv\w*|contra-?indicat\w*|refractory|resistan\w*|sensitive|eligible\s+for|"
    r"suitable\s+for|undergo\w*|will\s+receive|to\s+receive|scheduled|awaiting|fail\w*|progress\w*|relaps\w*|"
    r"recurr\w*|doses?\b)"
)
_LEFT_KINDS = {"sex", "non_evaluable", "permission", "childbearing_potential"}


def _negation_in(a: Atom, start: int, end: int) -> bool:
    """Whether the atom's ConText negation has its trigger inside [start, end)."""
    triggers = a.attributes.get("context", ()) if a.attributes else ()
    return any(str(t[0]).upper().startswith("NEG") and start <= int(t[1]) < end for t in triggers)


def _clause_start(text: str, end: int) -> int:
    starts = [m.end() for m in compile_i(r"[;:]|\.\s").finditer(text, 0, end)]
    return max(starts) if starts else 0


def stated_exclusions(atoms: list[Atom], text: str) -> list[Atom]:
    low = text.lower()
    if not any(w in low for w in ("eligib", "exclu", "not", "prohibit", "forbid", "n't")):
        return atoms
    m = _SUBJECT_OUT.search(text)
    while m is not None and (
        _RELATIVE.search(text[max(0, m.start() - 20) : m.start()])
        or _NOT_BEFORE.search(text[max(0, m.start() - 12) : m.start()])
        or text[m.end() :].lstrip().startswith(":")
        or (_BARE.fullmatch(m.group()) is not None and not _bare_predicate(text, m))
    ):
        m = _SUBJECT_OUT.search(text, m.end())
    if m is not None:
        begin = _clause_start(text, m.start())
        subject = [
            a
            for a in atoms
            if a.kind in _KINDS and a.span and begin <= a.span[0] < m.start() and not _is_condition(a)
        ]
        # "patients with more than two prior lines of chemotherapy are not eligible": a count, a threshold
        # (lines, labs, age) in the subject is not negated atom by atom; such a line is left as read
        counted = any(
            a.kind not in _KINDS | _LEFT_KINDS
            and a.span
            and begin <= a.span[0] < m.start()
            and not _is_condition(a)
            for a in atoms
        )
        # "patients who may benefit from hormonal therapy", "planning to undergo trastuzumab", "platinum-refractory
        # disease", "complications from prior radiation": the subject is not the atom's thing itself
        counted = counted or any(
            a.span and _NOT_THE_THING.search(text, begin, min(m.start(), a.span[1] + 15)) for a in subject
        )
        if subject and not counted:
            return _reasons_dropped(_kept_out(atoms, subject, text, begin, m.start()), text, m.end())
    o = _OBJECT_OUT.search(text)
    if o is not None:  # "must not have X": ConText negated X already; marked for an exclusion's reading
        stop = _CLAUSE.search(text, o.end())
        end = stop.start() if stop else len(text)
        objects = [a for a in atoms if a.kind in _KINDS and a.span and o.end() <= a.span[0] < end and a.negated
                   and _negation_in(a, o.start(), o.end())
                   and not (a.kind == "prior_therapy" and a.window_days is None and _TIME.search(text, o.end()))]  # fmt: skip
        joined = "or" if len(objects) > 1 else "one"  # not A and not B: A or B keeps out
        return [
            replace(a, attributes={**a.attributes, STATED_OUT: joined}) if a in objects else a for a in atoms
        ]
    return atoms


_NAIVE_AFTER = compile_i(r"^[\s-]*na[iï]ve\b")


# "naïve to chemotherapy or hormonal treatments": the therapies after it, to the clause's end (ConText reads
# the plain "naive to"; its rules hold ASCII words only, so the diaeresis is read here: verdicts33)
_NAIVE_TO = compile_i(r"\bna[iï]ve\s+(?:to|of|for)\b")
_NAIVE_END = re.compile(r"[;.(]|\b(?:but|except|unless|other\s+than)\b", re.IGNORECASE)


def naive_therapies(atoms: list[Atom], text: str) -> list[Atom]:
    """ "anthracycline-naive", "taxane naive", "naïve to chemotherapy": the therapy NOT received (read as a
    requirement of it)."""
    if "na" not in text.lower():
        return atoms
    scopes = []
    for m in _NAIVE_TO.finditer(text):
        stop = _NAIVE_END.search(text, m.end())
        scopes.append((m.end(), stop.start() if stop else len(text)))

    def naive(a: Atom) -> bool:
        if a.kind != "prior_therapy" or not a.span or a.negated:
            return False
        return bool(_NAIVE_AFTER.match(text[a.span[1] :])) or any(lo <= a.span[0] < hi for lo, hi in scopes)

    return [replace(a, negated=True) if naive(a) else a for a in atoms]


def _is_condition(a: Atom) -> bool:
    return bool(a.attributes) and a.attributes.get("role") == "condition"


def _kept_out(atoms: list[Atom], subject: list[Atom], text: str, begin: int, end: int) -> list[Atom]:
    spans = sorted(a.span for a in subject if a.span)
    between = text[spans[0][1] : spans[-1][0]] if len(spans) > 1 else ""
    kinds = {a.kind for a in subject}
    # "small cell lung cancer, lymphoma and myeloma are not eligible": a list, each one kept out (or);
    # "HER2-positive patients not treated with trastuzumab": statements of several kinds at once (and)
    listed = _OR.search(between) or "," in between or len(kinds) == 1
    joined = "one" if len(subject) == 1 else "or" if listed else "and"
    chosen = {id(a) for a in subject}
    out = []
    for a in atoms:
        if a.kind == "sex" and a.span and begin <= a.span[0] < end and not _is_condition(a):
            # "Nursing women are excluded": whom the line is about, no requirement of a sex
            a = replace(a, attributes={**a.attributes, "role": "condition"})
        elif id(a) in chosen:
            own = a.negated and _negation_in(
                a, begin, end
            )  # "patients who have NOT received X are ineligible"
            attrs = {k: v for k, v in a.attributes.items() if k != "group"}
            attrs[STATED_OUT] = joined
            if joined == "and":  # not (A and B): not A or not B
                attrs["group"] = GROUP
            a = replace(a, negated=not own, attributes=attrs)
        out.append(a)
    return out


def _reasons_dropped(atoms: list[Atom], text: str, after: int) -> list[Atom]:
    """The atoms of a reason after the predicate dropped; its span (`reason_span` of the stated atoms) is
    read words, no qualifier left unread (criteria/coverage.py)."""
    m = _REASON.match(text, after)
    if m is None:
        return atoms
    start = m.end() - 1
    stop = text.find(";", start)
    stop = len(text) if stop < 0 else stop
    return [
        replace(a, attributes={**a.attributes, "reason_span": [start, stop]})
        if STATED_OUT in a.attributes
        else a
        for a in atoms
        if not (a.span and start <= a.span[0] < stop and STATED_OUT not in a.attributes)
    ]


def _exclusion_reading(a: Atom) -> Atom:
    joined = a.attributes.get(STATED_OUT)
    attrs = {k: v for k, v in a.attributes.items() if not (k == "group" and v == GROUP)}
    if joined == "or":  # A or B keeps out: an exclusion by either
        attrs["group"] = GROUP
    return replace(a, negated=not a.negated, attributes=attrs)


def _pregnancy_test(a: Atom) -> bool:
    return (
        a.kind == "pregnancy" and a.negated and bool(a.attributes) and bool(a.attributes.get("test_negative"))
    )


def in_section(criteria: Sequence[Criterion]) -> list[Criterion]:
    """An exclusion criterion's stated-out atoms as the subject says them (module docstring). A negative
    pregnancy test written among the exclusions is the requirement it states: a pregnancy excludes."""
    out = []
    for c in criteria:
        if c.section == Section.EXCLUSION and any(_pregnancy_test(a) for a in c.atoms):
            c = replace(
                c, atoms=tuple(replace(a, negated=False) if _pregnancy_test(a) else a for a in c.atoms)
            )
        if c.section == Section.EXCLUSION and any(
            STATED_OUT in a.attributes for a in c.atoms if a.attributes
        ):
            atoms = tuple(_exclusion_reading(a) if STATED_OUT in a.attributes else a for a in c.atoms)
            c = replace(c, atoms=atoms)
        out.append(c)
    return out
