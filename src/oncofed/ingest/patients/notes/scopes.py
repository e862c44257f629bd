"""The parts of a note that are not the patient's history, and note-only negation rules.

Scopes (cues in `resources/vocab/notes_scopes.yaml`, applied as ConText does: a cue opens a scope
forward to the end of its sentence, or backward to the start of its clause):

- `trial`: a trial or study description ("a phase II trial of pembrolizumab");
- `plan`: plans, options, recommendations ("she was offered a radical hysterectomy"), a drug named but not
  given ("referred for the X phase II", "consent signed for X"; back to the comma before a status written after
  the drug: "X was declined", "X contraindicated", "X was discussed as an option"); a sequence to come ("letrozole
  to follow chemotherapy", "tamoxifen will start after radiotherapy": `_TO_COME`) holds both therapies, the one
  to come (back to the comma before) and the one it comes after (to the clause's end: planned or ongoing, the
  note does not say which);
- `allergy`: drugs after "hypersensitivity to" / "allergic to" are not treatments received.

A relative's history (`family`) and hypotheticals come from ConText and the cue lists of
`vocab/notes_patient.yaml` (see `mentions.py`). The other rules here decide negation where a
note's wording differs from criteria: a result after the finding ("HIV negative", "hepatitis B and C
tests were negative", "serologies (HIV, HBV, HCV) negative") or before it ("negative serologies for HIV and
hepatitis B"), a time anchor ("no UTI prior to her pregnancy": she is pregnant), and a
disease status qualifying a therapy ("no chemotherapy for her metastatic disease": metastatic).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from oncofed.ingest.patients.common import note_vocab
from oncofed.ingest.patients.notes.text import Cues, any_between, clauses, containing, sentences
from oncofed.resources import load_yaml


@functools.cache
def rules() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("vocab/notes_scopes.yaml")
    return data


@functools.cache
def _cues() -> tuple[Cues, Cues]:
    """(every cue of a note, by category; the "took part in no trial" wording, searched when needed)."""
    r, nv = rules(), note_vocab()
    every = Cues(
        {
            "pseudo": nv["family_pseudo"],
            "trial": r["trial"]["cues"],
            "plan": r["plan"]["forward"],
            "plan_back": r["plan"]["backward"],
            "plan_short": r["plan"]["backward_short"],
            "trial_back": r["trial"]["backward"],
            "allergy": r["allergy"]["forward"],
            "differential": r["differential"]["forward"],
            "negation": nv["negations"],
            "family": nv["family"],
            "stop": nv["terminators"],
            "qualifier": r["qualifier_negations"],
            "reason": r["scope_stops"],
        }
    )
    return every, Cues({"trial_not": r["trial"]["not_when"]})


@functools.lru_cache(maxsize=256)
def cues(text: str) -> dict[str, list[tuple[int, int]]]:
    """Cue positions of a note by category (scopes here; negation, family, terminators for `mentions`)."""
    return _cues()[0].find(text)


_AFTER_ALL = float("inf")


@dataclass(frozen=True)
class NoteScopes:
    """Scopes of one note: sorted (start, end, name) character spans."""

    spans: tuple[tuple[int, int, str], ...]

    def scope_of(self, start: int) -> str | None:
        """The scope holding character `start` (the innermost, i.e. latest-opened), or None."""
        if not self.spans:
            return None  # most notes have no trial, plan or allergy scope
        i = bisect.bisect_right(self.spans, (start, _AFTER_ALL, "")) - 1
        found = None
        while i >= 0:
            s, e, name = self.spans[i]
            if s <= start < e:
                found = found or name
            i -= 1
        return found


@functools.cache
def _headings() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str]]:
    by_word = {w.lower(): name for name, words in rules()["headings"].items() for w in words}
    body = "|".join(sorted((re.escape(w) for w in by_word), key=len, reverse=True))
    # at the start of a line, or after the end of a sentence on its line ("… to consent. Plan: palbociclib")
    # ... closed by a colon or by a spaced dash ("Plan - start pembrolizumab", "Allergies – penicillin"; not
    # "Plan-free interval")
    heading = re.compile(
        rf"(?:^[ \t*#-]*|(?<=[.;!?])[ \t]+)({body})(?:[ \t\u00a0\u202f]*:|[ \t\u00a0]+[-\u2013\u2014]{{1,2}}(?=[ \t\u00a0]|$))",
        re.I | re.M,
    )
    any_heading = re.compile(r"^[ \t*#-]*[A-Za-z][\w /&\u00a0\u202f-]{0,40}:|^[ \t]*$", re.M)
    return heading, by_word, any_heading


# A copy line: "cc: Dr Martin, GP", "Copy to Mrs Roe (daughter)", "Copies: Pr Duval; patient". Its people are
# addressees, so what it says of them (an age, an ECOG, a lab) is not the patient's. "CC:" is also a US chief
# complaint ("CC: dysphagia x3 weeks"): a "cc" line is a copy line only when a person opens it (a title, "GP").
_COPY_LINE = re.compile(
    r"^[ \t*-]*(?:(?:copy|copies)\s*(?:to\b\s*:?|:)|(?:cc|c\.c\.)\s*[:\-]?(?=\s*(?:Drs?\b|Mrs?\b|Ms\b|Mme\b|M\.\s|"
    r"Mlle\b|Miss\b|Prof\b|Pr\b|Professor\b|Madame\b|Monsieur\b|GP\b|the\s+GP\b|general\s+practitioner\b)))"
    r"[^\n]*",
    re.M | re.I,
)


# the copy line's sentence ends at a period after a word of three letters or more or a parenthesis, not after an
# initial or a title ("Mrs J. Brown", "Prof. Duval", "c.c.")
_COPY_END = re.compile(r"(?:(?<=\))|(?<=\w\w\w))(?<!\bProf)(?<!\bMrs)(?<!\bMme)(?<!\bMlle)\.(?=\s)")


def _copy_scopes(text: str) -> list[tuple[int, int, str]]:
    """The copy lines of a note ("cc: ...", "Copy to ..."), each one a scope to its end."""
    low = text.lower()
    if "cc" not in low and "c.c" not in low and "cop" not in low:
        return []
    out = []
    for m in _COPY_LINE.finditer(text):
        stop = _COPY_END.search(text, m.start(), m.end())  # "cc: Mrs J. Brown (GP). Follow-up: his PSA ..."
        out.append((m.start(), stop.end() if stop else m.end(), "copy"))
    return out


def without_copy_lines(text: str) -> str:
    """`text` with its copy lines blanked (same length: spans hold), for the readers of the patient's own age and
    sex ("cc: Mrs Roe, 81, for her own follow-up" gives neither)."""
    spans = _copy_scopes(text)
    for s, e, _ in spans:
        text = text[:s] + " " * (e - s) + text[e:]
    return text


# a heading after the end of a sentence, on the same line: a capitalised label of up to four words (letters only:
# "Review 3 weeks:" is no heading) and a colon
_INLINE_HEADING = re.compile(
    r"(?<=[.;!?])[ \t]+[A-Z][A-Za-z/&-]*(?: [A-Za-z/&-]+){0,3}[ \t\u00a0\u202f]*:(?!\d)"
)


def _section_scopes(text: str) -> list[tuple[int, int, str]]:
    """Scopes of "Plan:", "Family history:", "Allergies:" sections (a heading starts a line or follows the end
    of a sentence on it): a heading ending its line opens the
    lines under it, to the next heading or blank line; a heading with text after it on its line ("Plan:
    start pembrolizumab.") is that line only (the next lines of a one-line-per-topic note are history)."""
    if ":" not in text and " -" not in text and "\u2013" not in text and "\u2014" not in text:
        return []
    heading, by_word, any_heading = _headings()
    out = []
    for m in heading.finditer(text):
        line_end = text.find("\n", m.end())
        if text[m.end() : len(text) if line_end < 0 else line_end].strip():
            end = len(text) if line_end < 0 else line_end
            # ... to the next heading on its line ("Allergy: codeine. Non-smoker. PMH: cholecystectomy 2010")
            if nxt_inline := _INLINE_HEADING.search(text, m.end(), end):
                end = nxt_inline.start()
        else:
            nxt = any_heading.search(text, line_end + 1) if line_end >= 0 else None
            end = len(text) if line_end < 0 else (nxt.start() if nxt else len(text))
        out.append((m.end(), end, by_word[m.group(1).lower()]))
    return out


# "pembrolizumab x4 on a basket study", "enrolled in the KEYNOTE-522 study": the patient took part, the
# drugs were received (no backward trial scope)
_TOOK_PART = re.compile(
    r"\b(?:on|in|as\s+part\s+of|enrolled\s+in|participated\s+in|treated\s+(?:on|in))\s+(?:a|an|the)\s+"
    r"(?:[\w/+-]+\s+){0,3}$",
    re.IGNORECASE,
)


# "during the study period", "throughout the study", "for the duration of the study": the study as a time frame
# a sequence to come: "X to follow Y", "X will follow Y", "X will start after Y", "X is to begin once Y"; not "to
# follow up" (a visit), not "followed by" (a sequence given: "AC followed by paclitaxel")
_TO_COME = re.compile(
    r"\b(?:to|will|shall)\s+(?:follow|come\s+after)\b(?![\s-]*up\b)"
    r"|\b(?:(?:is|are)\s+to|to|will|shall)\s+(?:start|begin|commence|be\s+started|be\s+given)\s+"
    r"(?:after|once|following|at\s+the\s+end\s+of|on\s+completion\s+of)\b",
    re.I,
)


def _to_come(text: str, clause_spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int, str]]:
    """The plan scopes of the sequences to come (`_TO_COME`): back to the comma before the cue, forward to the
    clause's end."""
    out = []
    for m in _TO_COME.finditer(text):
        clause = containing(clause_spans, m.start()) or (m.start(), m.end())
        out.append(
            (max(clause[0], text.rfind(",", clause[0], m.start()) + 1), max(m.end(), clause[1]), "plan")
        )
    return out


_STUDY_TIME = re.compile(
    r"\b(?:during|throughout|duration\s+of|end\s+of|after|before|until)\s+(?:the\s+|this\s+)?$", re.I
)
_STUDY_TIME_AFTER = re.compile(  # "study period", "study compliance": a compound, no study named
    r"\s+(?:period|visits?|duration|participation|entry|treatment|compliance|requirements?|procedures?|schedule"
    r"|assessments?|staff|team|site)\b",
    re.I,
)
# the determiner opening the study's noun phrase ("the eribulin + pembrolizumab study") and a conjunction before
# it joining another predicate ("on letrozole and referred for the ... study"; an "and" inside the study's name,
# after its determiner, joins its drugs)
_DETERMINER = re.compile(r"\b(?:the|a|an|this|that)\s", re.I)
_AND = re.compile(r"\s(?:and|but)\s", re.I)


def _last(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    tail = deque(matches, maxlen=1)
    return tail[0] if tail else None


@functools.lru_cache(maxsize=256)
def note_scopes(text: str) -> NoteScopes:
    """The trial / plan / allergy / differential-diagnosis scopes of `text` (and family sections)."""
    found = cues(text)
    sections = _section_scopes(text) + _copy_scopes(text)
    lowered = text.lower()
    if ("follow" in lowered or "after" in lowered or "once" in lowered or "end of" in lowered) and (
        _TO_COME.search(text)
    ):
        sections += _to_come(text, clauses(text))
    if not (
        found["trial"]
        or found["trial_back"]
        or found["plan"]
        or found["plan_back"]
        or found["plan_short"]
        or found["allergy"]
        or found["differential"]
        or sections
    ):
        return NoteScopes(())
    sents, clause_spans = sentences(text), clauses(text)
    stops = sorted(found["stop"] + found["reason"])
    trial_not = _cues()[1].find(text)["trial_not"] if found["trial"] or found["trial_back"] else []

    def sentence_end(pos: int) -> int:
        sent = containing(sents, pos) or (pos, len(text))
        i = bisect.bisect_left(stops, (pos, -1))
        return stops[i][0] if i < len(stops) and stops[i][0] < sent[1] else sent[1]

    out: list[tuple[int, int, str]] = list(sections)
    opened: set[tuple[str, tuple[int, int] | None]] = set()
    for s, _ in found["trial"]:
        clause = containing(clause_spans, s) or (s, s)
        sent = containing(sents, s)
        if ("trial", sent) in opened or any_between(trial_not, clause[0], s):
            continue  # "had not participated in any other clinical trials": the patient's history
        opened.add(("trial", sent))
        out.append((s, sentence_end(s), "trial"))
    for s, _ in found["plan"]:
        sent = containing(sents, s)
        if ("plan", sent) not in opened:
            opened.add(("plan", sent))
            out.append((s, sentence_end(s), "plan"))
    for s, _ in found[
        "differential"
    ]:  # "differential diagnosis included X": a hypothesis, to the clause's end
        out.append((s, sentence_end(s), "differential"))
    for s, e in found["plan_back"]:  # "chemotherapy is planned", "she is scheduled for surgery": the clause
        clause = containing(clause_spans, s) or (s, e)
        out.append((clause[0], max(e, clause[1]), "plan"))
    for s, e in found["plan_short"]:  # "capecitabine was declined": back to the comma before, to the cue
        clause = containing(clause_spans, s) or (s, e)
        out.append((max(clause[0], text.rfind(",", clause[0], s) + 1), e, "plan"))
    for s, e in found["trial_back"]:  # "63, referred for the eribulin + pembrolizumab study": back to a comma
        clause = containing(clause_spans, s) or (s, e)
        begin = max(clause[0], text.rfind(",", clause[0], s) + 1)
        if _STUDY_TIME.search(text, max(begin, s - 40), s) or _STUDY_TIME_AFTER.match(text, e):
            continue  # "agreed to contraception during the study period", "interfere with study compliance"
        if any(kind == "plan" and lo <= s < hi for lo, hi, kind in out):
            continue  # "to discuss the X study": a plan already holds the study and its drugs
        det = _last(_DETERMINER.finditer(text, begin, s))
        if det is not None and (join := _last(_AND.finditer(text, begin, det.start()))) is not None:
            begin = (
                join.end()
            )  # "on letrozole and [referred for the X + Y study]": the other predicate's drugs stay
        if not any_between(trial_not, begin, s) and not _TOOK_PART.search(text, max(begin, s - 50), s):
            out.append((begin, max(e, clause[1]), "trial"))
    for _, e in found["allergy"]:
        clause = containing(clause_spans, e - 1) or (e, e)
        out.append((e, clause[1], "allergy"))
    return NoteScopes(tuple(sorted(out)))


_AFTER_NEGATIVE = re.compile(
    r"^(?:\s*(?:,|/|and|or|&)\s*[\w-]{1,12}(?:\s+[a-e]\b)?"  # "HIV, HBV and hepatitis C negative"
    r"|\s+(?:virus|infection|serology|serologies|tests?|testing|antibod(?:y|ies)|antigen|ab|ag|igg|igm|screen(?:ing)?|"
    r"status|results?|rna|dna|pcr|viral\s+load|surface\s+antigen|core\s+antibody)){0,6}"
    r"\s*\)?\s*[:=]?\s*(?:(?:was|were|is|are|came\s+back|returned|tested|has\s+been|have\s+been)\s+)?"
    r"(?:negative|neg|non-?reactive|not\s+detected|undetectable)\b",
    re.I,
)
# a result written before the finding: "negative HIV serology", "negative serologies for HIV, hepatitis B and C",
# "anti-HBc positive with negative HBsAg", "serologies negative (HIV, HBV, HCV)"
_BEFORE_NEGATIVE = re.compile(
    r"\b(?:negative|neg|non-?reactive)\s*\(?\s*(?:(?:viral\s+)?(?:serolog(?:y|ies)|tests?|testing|screen(?:ing)?|"
    r"results?|markers?)\s+)?(?:for\s+)?(?:\(?\s*[\w-]{1,12}(?:\s+[a-e])?\s*(?:,|/|and|or|&)\s*){0,3}$",
    re.I,
)


def negative_after(text: str, end: int, limit: int) -> bool:
    """True when the result written after a finding is negative ("HIV negative", "HBsAg: neg",
    "hepatitis B and C tests were negative"); `limit` is the end of the finding's clause."""
    return bool(_AFTER_NEGATIVE.match(text[end : min(limit, end + 60)]))


def negative_before(text: str, start: int, since: int) -> bool:
    """True when a negative result is written right before a finding ("negative HIV serology", "negative
    serologies for HIV, hepatitis B and C"); `since` is the start of the finding's clause."""
    return bool(_BEFORE_NEGATIVE.search(text[max(since, start - 60) : start]))


@functools.cache
def _anchor_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    r = rules()

    def tail(words: list[str]) -> re.Pattern[str]:
        body = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
        # searched on 20-30 characters: plain IGNORECASE is cheaper there than lower-casing first
        return re.compile(rf"(?<![\w-])(?:{body})\s+(?:(?:her|his|the|their|a|an)\s+)?$", re.I)

    return tail(r["time_anchors"]), tail(r["setting_anchors"])


def time_anchor(text: str, start: int) -> bool:
    """The mention right after "prior to / after / since ..." marks a time, not a finding."""
    return bool(_anchor_res()[0].search(text[max(0, start - 30) : start]))


# "negative for", "free of", "clear for": the preposition belongs to a result, its object is what is denied
_RESULT_PREPOSITION = re.compile(
    r"\b(?:negative|neg|free|clear)\s+(?:for|of|in)\s+(?:(?:her|his|the|their|any)\s+)?$", re.I
)


def setting_anchor(text: str, start: int) -> bool:
    """A disease status right after "for her / in the" qualifies a therapy ("no chemotherapy for her metastatic
    disease"); not after a result's own preposition ("CT negative for metastatic disease": the status is denied)."""
    before = text[max(0, start - 30) : start]
    return bool(_anchor_res()[1].search(before)) and not _RESULT_PREPOSITION.search(before)
