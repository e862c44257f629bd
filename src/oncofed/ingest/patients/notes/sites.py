"""Metastatic sites as notes write them, beyond fixed phrases ("liver metastases"):

- after a metastasis word: "metastasized to her liver", "spread to the liver and lungs",
  "metastatic breast cancer to bone and liver", "progression to the adrenal gland", "liver-only metastases";
  "metastatic lesions in her liver and lungs", "metastases were limited to the bones and lungs";
- a lesion at a site ("a lesion in her liver", "liver lesions"): a metastasis only when the note says
  the disease is metastatic or advanced and the site is not the primary cancer's own organ;
- brain metastases carry a status when the words before them give one ("symptomatic", "treated and stable"), or
  when their sentence names a local treatment of them: "treated", and "treated_stable" when imaging after it is
  stable ("craniotomy for a brain metastasis (2024)", "R frontal met resected + SRS 03/2024, MRI 01/2025 stable").

Negation comes from the ConText reading of the site word's clause (`mentions.targets` is run on the
site spans found here), so "no brain involvement" and "no evidence of CNS metastases" are negated.
"""

from __future__ import annotations

import functools
import re

from oncofed.criteria import vocab as shared_vocab
from oncofed.criteria.caseless import Caseless
from oncofed.ingest.patients.common import note_vocab
from oncofed.ingest.patients.notes.lowered import compile_i, lowerable, lowered
from oncofed.ingest.patients.notes.text import containing, fast_i, sentences, words_re

_DET = r"(?:(?:the|her|his|their|both|multiple|several|bilateral|left|right)\s+)*"


@functools.cache
def _site_words() -> tuple[Caseless, dict[str, str]]:
    by_word = {w.lower(): site for site, words in note_vocab()["site_words"].items() for w in words}
    return words_re(list(by_word)), by_word


@functools.cache
def _patterns() -> list[tuple[Caseless, bool, bool, tuple[str, ...]]]:
    """(pattern whose group 1 lists sites, needs an advanced disease, skips the primary's organ, words one
    of which every match holds in lower case: the pattern is not tried on an ASCII note without them)."""
    sites, _ = _site_words()
    site = sites.pattern
    listed = rf"{site}(?:\s*(?:,|and|or|&)\s*{_DET}{site})*"
    tail = (
        r"(?:\s+(?:were|was|are|is|had))?(?:\s+(?:limited|confined|mainly|only|predominantly))?\s+"
        rf"(?:to|in|into|involving|within|throughout)\s+{_DET}({listed})"
    )
    after_metastasis = fast_i(
        r"\b(?:metastas[ie]s|metastasi[sz]ed|metastatic(?:\s+(?:lesions?|disease|deposits|foci|nodules)|"
        r"(?:\s+[\w/+-]+){1,4}?(?=\s+to\s))?|spread|mets)" + tail
    )
    after_progression = fast_i(r"\b(?:progression|progressed|recurrence|recurred|relapsed?)" + tail)
    lesion = compile_i(
        rf"\b(?:measurable\s+)?(?:tumou?r\s+)?(?:lesions?|masses|mass|nodules?|deposits)\s+(?:in|of|involving|within)\s+{_DET}({listed})"
    )
    only = compile_i(rf"\b({site})[\s-]+only\s+(?:metastases|metastatic\s+disease|disease|metastasis)\b")
    return [
        (after_metastasis, False, False, ("metasta", "spread", "mets")),
        (only, False, False, ("only",)),
        (after_progression, False, True, ("progress", "recur", "relaps")),
        (lesion, True, True, ("lesion", "mass", "nodul", "deposit")),
    ]


_CUES = (
    "metasta",
    "spread",
    "mets",
    "lesion",
    "mass",
    "nodul",
    "deposit",
    "progress",
    "recur",
    "relaps",
    "only",
)


def site_spans(text: str, advanced: bool, primary_tissue: str | None) -> list[tuple[int, int, str]]:
    """(start, end, site) of each site word read as a metastasis by the patterns above: a lesion only
    in an advanced disease; a lesion or a progression in the primary's own organ is the primary."""
    low = lowered(text)
    if not any(w in low for w in _CUES):
        return []
    sites_re, by_word = _site_words()
    tissues: dict[str, str] = note_vocab()["site_tissue"]
    out: list[tuple[int, int, str]] = []
    # lower-casing is exactly what the patterns' IGNORECASE folds on ASCII text and on most French notes
    exact = lowerable(text)
    for pattern, needs_advanced, not_primary, words in _patterns():
        if (needs_advanced and not advanced) or (exact and not any(w in low for w in words)):
            continue
        for m in pattern.finditer(text):
            for w in sites_re.finditer(text, m.start(1), m.end(1)):
                site = by_word[re.sub(r"[\s-]+", " ", w.group(0).lower())]
                if not_primary and primary_tissue and tissues.get(site) == primary_tissue:
                    continue
                out.append((w.start(), w.end(), site))
    return out


def primary_tissue(code: str | None) -> str | None:
    """The OncoTree tissue of a cancer code (LUNG for NSCLC)."""
    if not code:
        return None
    chain = [code, *shared_vocab.oncotree_ancestors(code)]
    return chain[-1] if chain else None


@functools.cache
def _status_res() -> list[tuple[str, Caseless]]:
    return [(status, words_re(words)) for status, words in note_vocab()["brain_status"].items()]


# what the same clause says after the mention: "brain metastases with headaches", "..., causing a left
# hemiparesis", "two brain lesions, dexamethasone started", "brain mets requiring steroids", "..., symptomatic":
# metastases with symptoms (or steroids given for them) are symptomatic; "with no headache", "asymptomatic",
# "steroids stopped" are not
_SYMPTOM = (
    r"headaches?|seizures?|fits|hemiparesis|hemiplegia|weakness|vomiting|nausea|confusion|ataxia|aphasia|dysphasia|"
    r"diplopia|visual\s+(?:loss|disturbance)|(?:focal\s+)?neurologic(?:al)?\s+(?:symptoms?|deficits?|signs?)"
)
_STEROID = r"dexamethasone|steroids?|corticosteroids?|methylprednisolone|prednisolone"
_SYMPTOMATIC_AFTER = compile_i(
    rf"[^.;]{{0,50}}?(?:\b(?:with|causing|presenting\s+with|and|revealed\s+by|responsible\s+for)\s+"
    rf"(?!no\b|not\b|without\b)(?:[\w-]+\s+){{0,2}}?(?:{_SYMPTOM})\b"
    rf"|\b(?:{_STEROID})\s+(?:(?:was|were|has\s+been|have\s+been)\s+)?(?:started|initiated|begun|required|needed|given)\b"
    rf"|\b(?:requiring|needing|on|started\s+on|treated\s+with)\s+(?:[\w-]+\s+)?(?:{_STEROID})\b"
    rf"|(?<![\w-])symptomatic\b)",
)


def brain_status(text: str, start: int, end: int | None = None) -> str:
    """ "symptomatic", "untreated", "active", "treated_stable" from the words right before a brain
    metastasis mention, else "symptomatic" when the rest of its clause (from `end`) gives symptoms or steroids
    for them, else "any"."""
    before = text[max(0, start - 30) : start]
    for status, pattern in _status_res():
        if pattern.search(before):
            return status
    if end is not None and _SYMPTOMATIC_AFTER.match(text, end, end + 80):
        return "symptomatic"
    if end is not None and (treated := _local_treatment_end(text, start, end)) is not None:
        sentence = containing(sentences(text), start)
        rest = text[treated : sentence[1] if sentence else treated + 100]
        return "treated_stable" if _STABLE.search(rest) and not _PROGRESS.search(rest) else "treated"
    return "any"


# a local treatment of a brain metastasis named in its clause (verdicts42): before it, the treatment and "of / for
# / to" ("craniotomy for a brain metastasis", "resection of a cerebellar metastasis", "stereotactic radiosurgery to
# two brain metastases", "WBRT 30 Gy/10 fx 06/2023 for 4 brain mets"); after it, a verb or a brain-specific
# treatment ("R frontal met resected + SRS", "single brain met (R parietal, 8 mm) treated with SRS 06/2024",
# "brain metastases treated with WBRT"). Not planned ("referral for radiosurgery", "SRS planned"), not negated
# ("not resected", "unresectable", "no prior radiotherapy to the brain metastasis")
_BRAIN_LOCAL = (
    r"craniotom(?:y|ies)|radiosurgery|srs|srt|fsrt|gamma[\s-]?knife|cyber[\s-]?knife|"
    r"stereotactic\s+(?:radio\w+|radiation|irradiation|ablative\s+\w+)|whole[\s-]brain\s+(?:radio\w+|irradiation|rt)|"
    r"wbrt|pci"
)
_LOCAL = rf"{_BRAIN_LOCAL}|(?:surgical\s+)?resection|excision|neurosurgery|surgery|radiotherapy|irradiation"
_TREATED_BEFORE = compile_i(rf"\b(?:{_LOCAL})\b[^.;\n]{{0,30}}?\s(?:of|for|to|on)\s+(?:[\w()-]+\s+){{0,4}}$")
_TREATED_AFTER = compile_i(
    rf"[^.;\n]{{0,45}}?(?:\b(?:resected|excised|removed|operated(?:\s+on)?|irradiated)\b|\b(?:{_BRAIN_LOCAL})\b|"
    r"\btreated\s+(?:with|by)\s+(?:[\w-]+\s+){0,2}?(?:surgery|resection|radiotherapy|radiation|excision)\b)"
)
_NOT_DONE = compile_i(
    r"\b(?:plan\w*|to\s+be|will|would|scheduled|referr\w*|refer|candidate|consider\w*|discuss\w*|propos\w*|"
    r"await\w*|pending|booked|not|no|without|unless|if|eligible|amenable|suitable)\b"
)
_STABLE = compile_i(
    r"\b(?:stable|no\s+(?:progression|recurrence|new\s+(?:lesions?|disease))|controlled|resolved|no\s+active|"
    r"no\s+evidence\s+of\s+(?:progression|active|recurren\w+))\b"
)
_PROGRESS = compile_i(
    # "no progression", "without new lesions" are stable
    r"(?<!\bno\s)(?<!\bwithout\s)(?<!\bno\sfurther\s)\b(?:progress(?:ed|ing|ion|ive)|new\s+(?:lesions?|met\w*)|is\s+new|growing|enlarg\w*)\b"
)


_CLAUSE_REST = re.compile(r"[^.;,\n]{0,25}")


def _local_treatment_end(text: str, start: int, end: int) -> int | None:
    """Where the local treatment of the brain metastasis at [start, end) ends in its sentence, or None."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 80) : start]
    if (m := _TREATED_BEFORE.search(before)) is not None and not _NOT_DONE.search(before, m.start()):
        return end
    if (m := _TREATED_AFTER.match(text, end)) is not None:
        after = _CLAUSE_REST.match(text, m.end())  # "SRS planned next week": the plan is written after
        if not _NOT_DONE.search(text, end, after.end() if after else m.end()):
            return m.end()
    return None
