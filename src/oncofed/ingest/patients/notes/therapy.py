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

from oncofed.criteria.caseless import Caseless
from oncofed.criteria.fast_regex import Needs, compile_fast
from oncofed.criteria.vocab import medication_classes
from oncofed.ingest.patients.common import drug_class
from oncofed.ingest.patients.notes.indications import indications
from oncofed.ingest.patients.notes.lowered import compile_i
from oncofed.ingest.patients.notes.mentions import Target, extra_drug_classes, regimens
from oncofed.ingest.patients.notes.scopes import rules
from oncofed.ingest.patients.notes.sites import primary_tissue
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
# "second-line", "2nd line", "2L", "L2:" (not "L2-L4" or "L2 vertebra", a vertebra)
# "Line 2: paclitaxel-ramucirumab", "line 3 lurbinectedin x2", "Metastatic line 1:" (the number after the word,
# group 4; readable notes of three writers: 68 mentions, every one a line of therapy; not "line 1-2", a range)
ORDINAL_RE = compile_i(
    r"\b(?:(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)[- ]line|([1-5])l|(?<![-–/])l([1-5])"
    r"(?!\s*[-–/]\s*[ls]?\d)(?!\s*(?:vertebra|spine|body|level|lesion|nerve|root|fracture|mets?\b|metasta))"
    r"|lines?\s*#?([1-9])(?!\s*[-–/.,]\s*\d)(?=\s*[:)]|\s+[a-z]))\b"
)
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
PROCEDURES = ("ectomy",)  # "hysterectomy", "nephrectomy": surgeries named by the organ removed
NOT_SYSTEMIC = {
    "surgery",
    "radiotherapy",
    "corticosteroid",
    "systemic therapy",
    "investigational agent",
    "immunosuppressive therapy",
}


@dataclass(unsafe_hash=True)
class Given:
    """One treatment read from a note."""

    # not `frozen=True`: a frozen dataclass's `__init__` is written by `dataclasses` in Python (one
    # `object.__setattr__` a field), which mypyc keeps; this one is compiled (`oncofed.compiled`) to set the
    # fields directly, ~30x cheaper. Never changed after `__init__` (as if frozen; `unsafe_hash`: the same
    # hash and equality as a frozen dataclass). See `oncofed.criteria.frozen`.

    code: str
    start: int
    end: int
    negated: bool
    attributes: dict[str, Any]
    display: str

    def __init__(
        self, code: str, start: int, end: int, negated: bool, attributes: dict[str, Any], display: str
    ) -> None:
        self.code = code
        self.start = start
        self.end = end
        self.negated = negated
        self.attributes = attributes
        self.display = display


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
    # "chemoradiation": chemotherapy and radiotherapy; "hysterectomy": a surgery
    return [(code, "surgery" if code.endswith(PROCEDURES) else code) for code in t.code.split("+")]


# organ resections by the OncoTree tissue of the cancers they treat: "R hemicolectomy 03/2024" in a colon
# cancer's note is its surgery even in a sentence that names no cancer (a hysterectomy in a breast cancer's
# note stays a procedure of the history)
_RESECTED_TISSUES = {
    "colectomy": {"BOWEL"},
    "hemicolectomy": {"BOWEL"},
    "sigmoidectomy": {"BOWEL"},
    "proctectomy": {"BOWEL"},
    "proctocolectomy": {"BOWEL"},
    "mastectomy": {"BREAST"},
    "lumpectomy": {"BREAST"},
    "quadrantectomy": {"BREAST"},
    "lobectomy": {"LUNG"},
    "bilobectomy": {"LUNG"},
    "pneumonectomy": {"LUNG"},
    "segmentectomy": {"LUNG"},
    "gastrectomy": {"STOMACH"},
    "esophagectomy": {"STOMACH"},
    "oesophagectomy": {"STOMACH"},
    "pancreatectomy": {"PANCREAS"},
    "pancreaticoduodenectomy": {"PANCREAS"},
    "nephrectomy": {"KIDNEY"},
    "nephroureterectomy": {"KIDNEY", "BLADDER"},
    "prostatectomy": {"PROSTATE"},
    "hysterectomy": {"UTERUS", "CERVIX"},
    "oophorectomy": {"OVARY"},
    "salpingo-oophorectomy": {"OVARY"},
    "cystectomy": {"BLADDER"},
    "hepatectomy": {"LIVER"},
    "thyroidectomy": {"THYROID"},
}


def _primary_tissue(found: list[Target]) -> str | None:
    cancer = next((t for t in found if t.label == "CANCER" and not t.negated and t.scope is None), None)
    return primary_tissue(cancer.code) if cancer else None


def treatments(text: str, found: list[Target]) -> list[Given]:
    """The treatments of the note (targets with label DRUG, CLASS, REGIMEN and no scope)."""
    clause_spans, sents = clauses(text), sentences(text)
    tissue = _primary_tissue(found)
    therapies = [t for t in found if t.label in ("DRUG", "CLASS", "REGIMEN") and t.scope is None]
    anticancer_sentences = {
        containing(sents, t.start)
        for t in therapies
        if t.code not in NOT_SYSTEMIC - {"radiotherapy"} and not t.code.endswith(PROCEDURES)
    }
    # "cisplatin chemoRT + brachy" with no setting written: concurrent chemoradiation is given with
    # curative intent (its drug a radiosensitiser), never a line of systemic therapy for advanced disease
    chemoradiation = {
        containing(clause_spans, t.start)
        for t in therapies
        if t.code == "chemotherapy+radiotherapy" and not t.negated
    }
    given_for = indications(text, found) if therapies else {}
    out: list[Given] = []
    for t in therapies:
        clause = containing(clause_spans, t.start) or (t.start, t.end)
        sent = containing(sents, t.start) or clause
        if (
            t.label == "CLASS"
            and (t.code == "surgery" or t.code.endswith(PROCEDURES))
            and sent not in anticancer_sentences
            and not _cancer_context().search(text, sent[0], sent[1])
            and not (tissue and tissue in _RESECTED_TISSUES.get(t.code.lower(), ()))
        ):
            if t.code.endswith(PROCEDURES):  # "hysterectomy for fibroids": a procedure of the history
                procedure: dict[str, Any] = {"class": "surgery", "procedure": True}
                out.append(Given(t.code, t.start, t.end, t.negated, procedure, t.text))
            continue  # "knee surgery", "cataracts s/p surgery": not a cancer treatment
        if t.negated and WINDOW_RE.search(text, clause[0], clause[1]):
            continue  # "no radiotherapy in the past month": an absence limited in time
        if not t.negated and t.label in ("DRUG", "CLASS") and topical(text, t.start, t.end, clause):
            continue  # "topical steroids", "5-FU cream": a local medication (see `medications`)
        setting = None if t.code in ("surgery", "corticosteroid") else _setting(text, t, clause)
        if setting is None and not t.negated and clause in chemoradiation and t.code != "corticosteroid":
            setting = "definitive"
        line = _line_of(text, t, clause)
        site = radiotherapy_site(text, t, clause) if t.label == "CLASS" and "radiotherapy" in t.code else None
        for code, klass in _codes(t):
            attrs: dict[str, Any] = {"class": klass, "setting": setting, "historical": t.historical or None}
            if site and code == "radiotherapy":
                attrs["site"] = site
            if not t.negated:
                attrs["current"] = current_use(text, t.start, t.end, clause)
                if chronic_use(text, t.start, t.end, clause):
                    attrs["qualifier"] = "chronic"
            if line and not t.negated:
                attrs["line"] = line
            if t.label == "REGIMEN":
                attrs["regimen"] = t.text
            if t.start in given_for:  # "psoriatic arthritis on methotrexate": no anticancer therapy
                attrs["indication"], attrs["anticancer"] = given_for[t.start], False
            out.append(Given(code, t.start, t.end, t.negated, attrs, t.text))
        for target in _targeted(
            text, t, found
        ):  # "immunotherapy targeting PD-1 or PD-L1": anti-PD-1, anti-PD-L1
            out.append(
                Given(target, t.start, t.end, t.negated, {"class": target, "setting": setting}, t.text)
            )
    specific = [
        g for g in out if not g.negated and g.code not in GENERIC and not g.attributes.get("procedure")
    ]
    return [g for g in out if g.negated or g.code not in GENERIC or not specific]


# abbreviations of a radiotherapy that say what it was (criteria ask "whole brain radiotherapy")
_RT_KINDS = {
    "wbrt": "whole brain",
    "whole brain radiotherapy": "whole brain",
    "srs": "stereotactic radiosurgery",
    "radiosurgery": "stereotactic radiosurgery",
    "stereotactic radiosurgery": "stereotactic radiosurgery",
    "sbrt": "stereotactic body",
    "pci": "prophylactic cranial",
}
_RT_BEFORE = re.compile(r"((?:[A-Za-z][\w-]*\s+){1,3})$")
_RT_AFTER = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*gy\S*\s*)?(?:to|of)\s+(?:the\s+)?((?:[a-z-]+\s*){1,3})", re.I)
_NOT_SITE = {
    "prior",
    "previous",
    "no",
    "adjuvant",
    "palliative",
    "curative",
    "and",
    "with",
    "s/p",
    "post",
    "had",
    "received",
    "chemo",
    "chemotherapy",
}
# words that end what came before: "Postmenopausal after chemoRT", "no chemo since chemoRT"
_SITE_BREAK = {"since", "after", "before", "following", "then", "->", "+", "during", "until"}


def radiotherapy_site(text: str, t: Target, clause: tuple[int, int]) -> str | None:
    """What a radiotherapy was ("WBRT": whole brain; "chest wall RT"; "RT to the pelvis"), when said."""
    kind = _RT_KINDS.get(t.text.lower())
    if kind:
        return kind
    before = _RT_BEFORE.search(text[clause[0] : t.start])
    words: list[str] = []
    for w in before.group(1).split() if before else []:
        if w.lower() in _SITE_BREAK:
            words = []
        elif w.lower() not in _NOT_SITE and not drug_class(w.lower()):  # "cisplatin chemoRT": not a site
            words.append(w)
    after = _RT_AFTER.match(text[t.end : clause[1]])
    site = " ".join(words[-3:]) or (after.group(1).strip() if after else "")
    return site.lower() or None


_PAST_USE = re.compile(
    r"\b(?:stopped|discontinued|previously|formerly|was\s+on|were\s+on|used\s+to|held|weaned|off)\b", re.I
)
# a note holding none of the words these patterns open with is not searched for them once per drug
_PAST_USE_NEEDS = Needs(_PAST_USE)
_CURRENT_BEFORE = re.compile(
    r"(?:\b(?:on|taking|takes|receiving|started|continues|continuing|currently|current|maintained\s+on)|"
    r"\bmeds?\s*:|\bmedications?\s*:|\btreatment\s*:)[^.;:]{0,40}$",
    re.I,
)
# `_CURRENT_BEFORE` written backwards, matched at the start of the text reversed: whether `_CURRENT_BEFORE`
# matches anywhere in a text (every match of it ends at the text's end, `$`, or before a final newline, `\n?`
# here); `re` tried it at every position of a line before the mention (0.2 ms on a one-paragraph note of
# 1,100 characters), the reversed one is tried at one position. `\b`, `\s` and case folding read a character
# alike in both directions.
_CURRENT_BEFORE_REVERSED = re.compile(
    r"\n?[^.;:]{0,40}(?:(?:no|gnikat|sekat|gniviecer|detrats|seunitnoc|gniunitnoc|yltnerruc|tnerruc|no\s+deniatniam)\b|"
    r":\s*s?dem\b|:\s*s?noitacidem\b|:\s*tnemtaert\b)",
    re.I,
)


def _current_before(text: str) -> bool:
    """`bool(_CURRENT_BEFORE.search(text))`; a text longer than ~100 characters is read backwards (on a
    shorter one the reversed pattern's 41 tail lengths cost more than the forward search)."""
    if len(text) <= 100:
        return _CURRENT_BEFORE.search(text) is not None
    return _current_before_reversed(text)


def _current_before_reversed(text: str) -> bool:
    return _CURRENT_BEFORE_REVERSED.match(text[::-1]) is not None


_CURRENT_AFTER = re.compile(
    r"^\s*(?:\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|g|iu|units?|mg/kg)\b|(?:bid|tid|qid|qd|od|daily|prn|qhs|long[- ]term|"
    r"ongoing|since)\b)",
    re.I,
)


def current_use(text: str, start: int, end: int, clause: tuple[int, int]) -> bool | None:
    """Whether a drug is taken now ("on apixaban 5 mg bid", "Meds: itraconazole ..."), was taken in the
    past ("stopped", "previously on"), or the note does not say (None)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(clause[0], start - 60) : start]
    if not _PAST_USE_NEEDS.absent(text) and (
        _PAST_USE.search(before) or _PAST_USE.search(text, end, min(clause[1], end + 30))
    ):
        return False
    if _current_before(before) or _current_before(text[line_start:start]):
        return True
    return True if _CURRENT_AFTER.match(text[end : end + 25]) else None


_CHRONIC = re.compile(
    r"\b(?:long[\s-]*term|chronic(?:ally)?|(?:steroid|oxygen)[\s-]*dependent|dependent\s+on|for\s+(?:>\s*|over\s+|more\s+than\s+)?"
    r"(?:\d+|several|many)\s+(?:months|years))\b",
    re.I,
)

_CHRONIC_NEEDS = Needs(_CHRONIC)


def chronic_use(text: str, start: int, end: int, clause: tuple[int, int]) -> bool:
    """A drug taken long term ("prednisolone 10 mg/d long term", "steroid-dependent COPD on prednisolone",
    "on tacrolimus for 3 years"): the `chronic` of "chronic steroid therapy"."""
    return not _CHRONIC_NEEDS.absent(text) and bool(
        _CHRONIC.search(text, max(clause[0], start - 40), start)
        or _CHRONIC.search(text, end, min(clause[1], end + 40))
    )


_TOPICAL = re.compile(
    r"\b(?:topical(?:ly)?|cream|ointment|shampoo|gel|lotion|foam|eye[\s-]*drops?|ear[\s-]*drops?|inhal\w+|"
    r"nasal\s+spray|mouthwash|mouth\s+rinse|suppositor\w+|pessar\w+)\b",
    re.I,
)

_TOPICAL_NEEDS = Needs(_TOPICAL)


def topical(text: str, start: int, end: int, clause: tuple[int, int]) -> bool:
    """A drug applied locally ("ketoconazole 2% shampoo", "topical steroids"): no systemic exposure."""
    return not _TOPICAL_NEEDS.absent(text) and bool(
        _TOPICAL.search(text, max(clause[0], start - 25), start)
        or _TOPICAL.search(text, end, min(clause[1], end + 30))
    )


def medications(text: str, found: list[Target]) -> list[Given]:
    """Concomitant drugs and classes the note names (`medication` facts: never anticancer treatments),
    with `current` when it says they are taken now ("on phenytoin 100 mg tid")."""
    clause_spans = clauses(text)
    out: list[Given] = []
    for t in found:
        if t.label not in ("MED", "MEDCLASS") or t.scope is not None:
            continue
        clause = containing(clause_spans, t.start) or (t.start, t.end)
        attrs: dict[str, Any] = {"historical": t.historical or None}
        if t.label == "MED":
            attrs["classes"] = list(medication_classes(t.code))
        else:
            attrs["class"] = t.code
        if not t.negated:
            attrs["current"] = current_use(text, t.start, t.end, clause)
            if chronic_use(text, t.start, t.end, clause):
                attrs["qualifier"] = "chronic"
        if topical(text, t.start, t.end, clause):
            attrs["route"] = "topical"
        out.append(Given(t.code, t.start, t.end, t.negated, attrs, t.text))
    for t in found:  # an anticancer drug or a steroid applied locally is a medication, not a treatment
        if t.label in ("DRUG", "CLASS") and t.scope is None and not t.negated:
            clause = containing(clause_spans, t.start) or (t.start, t.end)
            if topical(text, t.start, t.end, clause):
                attrs = {"route": "topical", "class": t.code if t.label == "CLASS" else None}
                out.append(Given(t.code, t.start, t.end, False, attrs, t.text))
    return out


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


def _line_of(text: str, t: Any, clause: tuple[int, int]) -> int | None:
    """The line of therapy a treatment was given in: the nearest line number written before it in its
    clause ("1L nab-paclitaxel + pembrolizumab, 2L capecitabine, 3L eribulin": 1, 1, 2, 3), else the
    first one after it ("capecitabine as second-line")."""
    before: re.Match[str] | None = None
    after: re.Match[str] | None = None
    for found in ORDINAL_RE.finditer(text, clause[0], clause[1]):
        if found.start() < t.start:
            before = found
        elif after is None:
            after = found
    m = before or after
    if m is None:
        return None
    return ORDINALS[m.group(1).lower()] if m.group(1) else int(m.group(2) or m.group(3) or m.group(4))


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
    received = [
        g
        for g in given
        if not g.negated
        and g.code not in NOT_SYSTEMIC
        and g.attributes.get("class") not in NOT_SYSTEMIC
        and g.attributes.get("anticancer") is not False
    ]
    lines = [(g.attributes["line"], g) for g in received if g.attributes.get("line")]
    if not lines:
        return None
    count, first = max(lines, key=lambda x: x[0])
    sents = sentences(text)
    unnumbered = [g for g in received if g.start > first.end and not g.attributes.get("line")]
    for sent in sorted({s for g in unnumbered if (s := containing(sents, g.start))}):
        for cue in SEQUENCE_RE.finditer(text, max(sent[0], first.end), sent[1]):
            # "then gemcitabine/docetaxel, ifosfamide and dacarbazine": one line per regimen listed
            stop = _LIST_END.search(text, cue.end(), sent[1])
            end = stop.start() if stop else sent[1]
            starts = [g.start for g in unnumbered if cue.end() <= g.start < end]
            if _MAINTENANCE.search(text, cue.end(), end):
                continue  # "Line 1: docetaxel + trastuzumab x6, then trastuzumab maintenance": the same line
            if starts:  # "X and Y" alone may be one combination; "X, Y and Z" is a list
                commas = text.count(",", min(starts), max(starts))
                count += 1 + (len(_LIST_SEP.findall(text, min(starts), max(starts))) if commas else 0)
    return count, first.start, first.end, "counted"


_MAINTENANCE = re.compile(r"\bmaintenance\b|\bmaintained\b|\bcontinu(?:ed|ation)\b", re.I)
_LIST_END = re.compile(r";|->|→|\(|\bthen\b|\bfollowed\b", re.I)
_LIST_SEP = compile_fast(r",|\b[Aa][Nn][Dd]\b(?!/)")  # "AND" in capitals too (audit_note_variants)
