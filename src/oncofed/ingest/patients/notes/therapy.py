"""Treatments a note says the patient received (or explicitly did not), with setting and lines.

Drugs (INN), drug classes ("taxane-based regimen", "EGFR TKI", "chemotherapy") and regimens
("R-CHOP x 6": its five drugs) become `treatment` facts with `attributes` class, setting
(`metastatic`, `adjuvant`, `neoadjuvant`: the nearest setting cue of `vocab/notes_scopes.yaml` in the
clause) and line ("second-line ..."). Not treatments: mentions in a trial / plan / allergy scope
(`scopes.py`), a surgery in a sentence that names no cancer or tumour ("knee surgery"), and a
negation limited in time ("no radiotherapy in the past month" says nothing of earlier radiotherapy,
and the facts contract has no window for an absence, so it is left out rather than over-read).
`prior_lines`: "three lines of systemic treatment for her metastatic disease"; or counted from
"first-line X ... then Y".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oncofed.criteria.caseless import Caseless, compile_i
from oncofed.ingest.patients.common import drug_class
from oncofed.ingest.patients.notes.mentions import Target, extra_drug_classes, regimens
from oncofed.ingest.patients.notes.scopes import rules
from oncofed.ingest.patients.notes.text import clauses, containing, sentences, words_re

Add = Callable[..., None]
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
}
LINES_RE = compile_i(
    r"\b(one|two|three|four|five|six|seven|eight|\d{1,2})\s+(?:(?:prior|previous|earlier)\s+lines?\b|lines?\s+of\s+"
    r"(?:[\w-]+\s+){0,2}?(?:therapy|therapies|treatments?|chemotherapy|regimens?)\b)"
)
ORDINAL_RE = compile_i(r"\b(?:(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)[- ]line|([1-5])l)\b")
SEQUENCE_RE = re.compile(
    r"\b(?:then|subsequently|thereafter|switched\s+to|followed\s+by|after\s+progression|upon\s+progression)\b",
    re.I,
)
WINDOW_RE = re.compile(
    r"\b(?:in|within|during|over)\s+(?:the\s+)?(?:past|last|previous|preceding|prior|recent)\s+(?:\d+\s+|one\s+|two\s+|three\s+|"
    r"four\s+|six\s+|few\s+|several\s+)?(?:days?|weeks?|months?|years?)\b|\brecent(?:ly)?\b|\bin\s+recent\s+(?:weeks|months)\b",
    re.I,
)
GENERIC = {"systemic therapy"}
NOT_SYSTEMIC = {
    "surgery",
    "radiotherapy",
    "corticosteroid",
    "systemic therapy",
    "investigational agent",
    "immunosuppressive therapy",
}


@dataclass(frozen=True)
class Given:
    """One treatment read from a note."""

    code: str
    start: int
    end: int
    negated: bool
    attributes: dict[str, Any]
    display: str


@functools.cache
def _setting_res() -> list[tuple[str, Caseless]]:
    return [(name, words_re(words)) for name, words in rules()["settings"].items()]


@functools.cache
def _cancer_context() -> Caseless:
    return words_re(rules()["cancer_context"])


def _setting(text: str, t: Target, clause: tuple[int, int]) -> str | None:
    window = int(rules()["setting_window"])
    best: tuple[int, str] | None = None
    lo, hi = max(clause[0], t.start - window), min(clause[1], t.end + window)
    for name, pattern in _setting_res():
        for m in pattern.finditer(text, lo, hi):
            if name == "adjuvant" and text[max(0, m.start() - 4) : m.start()].lower().endswith(
                ("neo", "neo-")
            ):
                continue
            distance = m.start() - t.end if m.start() >= t.end else t.start - m.end()
            if best is None or distance < best[0]:
                best = (distance, name)
    return best[1] if best else None


def _codes(t: Target) -> list[tuple[str, str | None]]:
    """(treatment code, class) of a target: a drug, a class, or a regimen's drugs."""
    if t.label == "REGIMEN":
        return [(d, drug_class(d) or extra_drug_classes().get(d)) for d in regimens()[t.code][0]]
    if t.label == "DRUG":
        return [(t.code, drug_class(t.code) or extra_drug_classes().get(t.code))]
    return [(code, code) for code in t.code.split("+")]  # "chemoradiation": chemotherapy and radiotherapy


def treatments(text: str, found: list[Target]) -> list[Given]:
    """The treatments of the note (targets with label DRUG, CLASS, REGIMEN and no scope)."""
    clause_spans, sents = clauses(text), sentences(text)
    therapies = [t for t in found if t.label in ("DRUG", "CLASS", "REGIMEN") and t.scope is None]
    anticancer_sentences = {
        containing(sents, t.start) for t in therapies if t.code not in NOT_SYSTEMIC - {"radiotherapy"}
    }
    out: list[Given] = []
    for t in therapies:
        clause = containing(clause_spans, t.start) or (t.start, t.end)
        sent = containing(sents, t.start) or clause
        if (
            t.label == "CLASS"
            and t.code == "surgery"
            and sent not in anticancer_sentences
            and not _cancer_context().search(text, sent[0], sent[1])
        ):
            continue  # "knee surgery", "cataracts s/p surgery": not a cancer treatment
        if t.negated and WINDOW_RE.search(text, clause[0], clause[1]):
            continue  # "no radiotherapy in the past month": an absence limited in time
        setting = None if t.code in ("surgery", "corticosteroid") else _setting(text, t, clause)
        line = ORDINAL_RE.search(text, clause[0], clause[1])
        for code, klass in _codes(t):
            attrs: dict[str, Any] = {"class": klass, "setting": setting, "historical": t.historical or None}
            if line and not t.negated:
                attrs["line"] = ORDINALS[line.group(1).lower()] if line.group(1) else int(line.group(2))
            if t.label == "REGIMEN":
                attrs["regimen"] = t.text
            out.append(Given(code, t.start, t.end, t.negated, attrs, t.text))
        for target in _targeted(
            text, t, found
        ):  # "immunotherapy targeting PD-1 or PD-L1": anti-PD-1, anti-PD-L1
            out.append(
                Given(target, t.start, t.end, t.negated, {"class": target, "setting": setting}, t.text)
            )
    specific = [g for g in out if not g.negated and g.code not in GENERIC]
    return [g for g in out if g.negated or g.code not in GENERIC or not specific]


_TARGETING = re.compile(
    r"\s*(?:treatments?|therap(?:y|ies)|agents?|drugs?|antibod(?:y|ies))?\s*(?:targeting|against|directed\s+at)\s",
    re.I,
)


@functools.cache
def _class_names() -> frozenset[str]:
    from oncofed.resources import load_tsv

    return frozenset(row["class"] for row in load_tsv("vocab/drug_classes.tsv"))


def _targeted(text: str, t: Target, found: list[Target]) -> list[str]:
    """Classes "anti-<marker>" of the markers listed after "<therapy> targeting"."""
    if t.label != "CLASS" or not _TARGETING.match(text, t.end, t.end + 40):
        return []
    out = []
    pos = t.end
    for g in (x for x in found if x.label == "GENE" and x.start >= t.end):
        if g.start - pos > 40 or not re.fullmatch(
            r"[\s,]*(?:(?:or|and|,)\s*)*(?:treatments?|therap(?:y|ies)|agents?|targeting|against|directed\s+at|\s)*",
            text[pos : g.start],
            re.I,
        ):
            break
        name = f"anti-{g.code}"
        if name in _class_names():
            out.append(name)
        pos = g.end
    return out


def prior_lines(
    text: str, given: list[Given], scope_of: Callable[[int], str | None]
) -> tuple[int, int, int, str] | None:
    """(lines, start, end, how) of systemic therapy for advanced disease, when the note says so."""
    stated = LINES_RE.finditer(text) if "line" in text.lower() else iter(())
    for m in stated:
        if scope_of(m.start()) is not None:
            continue
        before = text[max(0, m.start() - 40) : m.start()].lower()
        if re.search(r"\b(?:no|not|never|without)\b", before):
            continue
        raw = m.group(1).lower()
        return (NUMBERS.get(raw) or int(raw)), m.start(), m.end(), "stated"
    received = [g for g in given if not g.negated and g.code not in NOT_SYSTEMIC]
    lines = [(g.attributes["line"], g) for g in received if g.attributes.get("line")]
    if not lines:
        return None
    count, first = max(lines, key=lambda x: x[0])
    sents = sentences(text)
    start_sent = containing(sents, first.start)
    later = {
        containing(sents, g.start) for g in received if g.start > first.end and not g.attributes.get("line")
    }
    for sent in sorted(s for s in later if s and s != start_sent):
        if SEQUENCE_RE.search(text, sent[0], sent[1]):
            count += 1
    return count, first.start, first.end, "counted"
