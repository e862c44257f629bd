"""The facts of one note, each with its character span (contract: docs/DEVELOPING.md, patient facts).

Besides the facts about the patient, two kinds keep what a clinician should see on the page:
`note_mention` (a drug, cancer or condition the note names that is not the patient's history: a trial
drug, a plan, an allergy, a relative's disease; `attributes.scope` says which) and `note_unread` (a
sentence with a clinical signal that gave no fact). The matcher reads neither.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from oncofed.criteria.caseless import Caseless
from oncofed.criteria.fast_regex import Needs
from oncofed.criteria.vocab import oncotree_ancestors
from oncofed.domain import Fact, PatientProfile
from oncofed.ingest.patients.common import (
    add_performance_conversions,
    fact,
    fact_from,
    finish_profile,
    note_vocab,
    oncotree_name,
)
from oncofed.ingest.patients.notes import (
    allergies,
    biomarkers,
    dates,
    history,
    infections,
    labs,
    mentions,
    scopes,
    signs,
    sites,
    suspected,
    therapy,
    unread,
    values,
    weight,
)
from oncofed.ingest.patients.notes.dates import DATED_KINDS, dated
from oncofed.ingest.patients.notes.lowered import compile_i, lowered
from oncofed.ingest.patients.notes.mentions import Target
from oncofed.ingest.patients.notes.text import clauses, containing, fast_i, sentences, words_re

SUPPRESSED = {
    "hepatitis",
    "alcoholic_liver_disease",
    "metabolic_liver_disease",
    "organ_adenoma",
}  # wording guards, not codes
Pending = tuple[str, int, int, dict[str, Any]]  # kind, start, end, the fields of the Fact
VALUE_KEYED = {
    "lab", "biomarker", "ecog", "karnofsky", "life_expectancy", "prior_lines", "age", "sex", "weight_loss", "exercise",
}  # fmt: skip
MENTIONED = {"CANCER", "DRUG", "CLASS", "REGIMEN", "GENE", "COMORBIDITY", "METASTASIS", "SITE", "LESION"}
# "oligo-?metasta" as a branch of its own (`(?:oligo-?)?metasta` opening the first one kept `fast_i` from letting
# `re` skip to where a branch may match: every position of the note was tried)
_ADVANCED = fast_i(r"\b(?:oligo-?metasta\w*|metasta\w*|mets|stage\s+iv|advanced|widespread)\b")
# "3 liver lesions, bx = breast primary", "lung nodules, biopsy c/w colorectal mets": lesions a biopsy proved
# to be the cancer make the disease advanced (a lesion outside the primary's organ is then a metastasis);
# not "bx = benign", "biopsy negative for malignancy", "bx pending"
_PROVEN_LESION = re.compile(
    r"\b(?:lesions?|masses|mass|nodules?|deposits)\b[^.;]{0,40}?\b(?:bx|biops(?:y|ies|ied))\b\s*"
    r"(?:=|:|-|proven|confirmed|showed|shows|revealed|c/w|consistent\s+with)\s*"
    r"(?:(?!(?:no|not|neg\w*|benign|without|free|pending)\b)[\w/-]+\s+){0,3}?"
    r"(?:primary|origin|mets|metasta\w*|carcinoma|adenocarcinoma|malignan\w*|cancer)\b",
    re.I,
)
_PROVEN_LESION_NEEDS = Needs(_PROVEN_LESION)  # most notes name no lesion: not searched
_NEGATED_BEFORE = re.compile(r"(?:\bno\b|\bnot\b|\bwithout\b|\bnon-?|\bfree of\b)[^.;]{0,30}$", re.I)
_COMPLICATION = re.compile(
    r"^\s*(?:complications?|retinopathy|neuropathy|nephropathy|ketoacidosis|foot|ulcers?)\b", re.I
)
_PREGNANCY_TEST = re.compile(r"test|hcg", re.I)
_NODES_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:lymph|nodes?|nodal|ln)\b", re.I)
_POSITIVE_AFTER = re.compile(r"^[\s:]*(?:(?:was|is|were|came\s+back)\s+)?(?:positive|pos\b|\+)", re.I)
_NOT_BREASTFEEDING = re.compile(r"^\s*(?:home|facility|staff|care|assistant)\b", re.I)
_FORMER = re.compile(r"\b(former|quit|ex[- ]?smoker|history of|used to|stopped|gave up)\b", re.I)


@functools.cache
def _res() -> tuple[Caseless, dict[str, Caseless], set[str]]:
    nv = note_vocab()
    types = {name: words_re(words) for name, words in nv["diabetes_type"].items()}
    return words_re(scopes.rules()["cancer_context"]), types, set(nv["status_needs_cancer_context"])


@functools.cache
def _load() -> None:
    """Every vocabulary and pattern of the reader, built at the first note (not at the first note that needs
    one of them), so that each later note costs its own reading only."""
    biomarkers._status_phrases()
    _res()
    labs._note_lab_index()
    labs._unit_rewrites()
    mentions._note_index()
    mentions.regimens()
    mentions.extra_drug_classes()
    scopes._cues()
    scopes._headings()
    scopes._anchor_res()
    sites._patterns()
    sites._status_res()
    therapy._setting_res()
    therapy._cancer_context()
    therapy._class_names()
    unread._word_lists()
    values._stage_res()


def extract(text: str, note_id: str, source: str) -> PatientProfile:
    """The facts of one note, each with its character span and provenance."""
    _load()
    p = PatientProfile(id="", centre_id="")
    pending: list[Pending] = []

    def add(kind: str, start: int, end: int, **fields: Any) -> None:
        pending.append((kind, start, end, fields))  # Facts are built once, after de-duplication

    p.age_years, p.sex = values.age_and_sex(scopes.without_copy_lines(text), add)  # not an addressee's
    note_scopes = scopes.note_scopes(text)
    values.performance(text, add, note_scopes)
    values.life_expectancy(text, add, note_scopes)
    weight.weight_loss(text, add, note_scopes)
    weight.exercise(text, add, note_scopes)
    values.menopause(text, add, note_scopes)
    for lab in labs.lab_values(text, note_scopes):
        add(
            "lab",
            lab.start,
            lab.end,
            code=lab.analyte,
            value=lab.value,
            unit=lab.unit,
            display=text[lab.start : lab.end],
            attributes=lab.attributes,
        )
    advanced = any(
        not _NEGATED_BEFORE.search(text[max(0, m.start() - 40) : m.start()]) for m in _ADVANCED.finditer(text)
    ) or (not _PROVEN_LESION_NEEDS.absent(text) and bool(_PROVEN_LESION.search(text)))
    cancers = mentions.cancer_mentions(text)  # the primary's organ: a lesion there is not a metastasis
    tissue = sites.primary_tissue(cancers[0].code if cancers else None)
    found = mentions.targets(
        text, [(s, e, "SITE", site) for s, e, site in sites.site_spans(text, advanced, tissue)]
    )
    diagnosed = suspected.without_suspected(text, found)  # "suspected X; biopsy showed Y": Y
    primary = _refined(history.primary_of(_cancers(diagnosed), text), diagnosed)
    if primary is not None:
        add(
            "primary_cancer",
            primary.start,
            primary.end,
            code=primary.code,
            display=oncotree_name(primary.code),
            attributes={"text": _with_histology(text, primary)},
        )
        for other in _other_cancers(text, primary, diagnosed):  # "PMH: melanoma 2022": another malignancy
            add(
                "comorbidity",
                other.start,
                other.end,
                code="prior_malignancy",
                display=other.text,
                attributes={"cancer": other.code, "text": _own_words(text, other)},
            )
    implied = values.stage(
        text, add, note_scopes, [(t.start, t.end) for t in found if t.label == "CANCER" and t.scope is None]
    )
    for t in found:
        if t.scope is not None:
            if t.label in MENTIONED:
                add(
                    "note_mention",
                    t.start,
                    t.end,
                    code=t.code,
                    display=t.text,
                    attributes={"scope": t.scope, "label": t.label.lower()},
                )
            continue
        _fact_of(text, t, add, advanced, tissue, found)
    biomarkers.read(text, [t for t in found if t.label == "GENE"], add, note_scopes.scope_of)
    given = therapy.treatments(text, found)
    for g in given:
        procedure = bool(g.attributes.pop("procedure", None))
        add(
            "procedure" if procedure else "treatment",
            g.start,
            g.end,
            code=g.code,
            display=g.display,
            negated=g.negated,
            attributes=g.attributes,
        )
    if "naive" in lowered(text) or "naïve" in lowered(text):
        _naive(text, add, note_scopes.scope_of)
    for g in therapy.medications(text, found):
        add(
            "medication",
            g.start,
            g.end,
            code=g.code,
            display=g.display,
            negated=g.negated,
            attributes=g.attributes,
        )
    for s, e, neg in signs.neuropathy_signs(text):  # "numbness of the fingertips since docetaxel"
        if note_scopes.scope_of(s) is None:
            add("comorbidity", s, e, code="peripheral_neuropathy", display=text[s:e], negated=neg)
    for s, e, display, drug in infections.treated_infections(text):  # "pyelonephritis 20/11: ceftriaxone"
        if note_scopes.scope_of(s) is None:
            add(
                "comorbidity",
                s,
                e,
                code="active_infection",
                display=display,
                attributes={"treated_with": drug},
            )
    if (lines := therapy.prior_lines(text, given, note_scopes.scope_of)) is not None:
        count, start, end, how = lines
        add(
            "prior_lines",
            start,
            end,
            value=count,
            display=text[start:end],
            attributes={"setting": "metastatic", "read": how},
        )
    for item in implied:  # TNM: M0 is "not metastatic", M1 "metastatic"
        add(
            "disease_status",
            item["start"],
            item["end"],
            code="metastatic",
            negated=item["negated"],
            display=item["display"],
        )
    _stage_from_metastatic(pending)
    kept = _built(text, _dedupe(pending), source, note_id)
    read_spans = [f.provenance.span for f in kept if f.provenance.span and f.kind not in ("age", "sex")]
    for s, e in unread.unread_sentences(text, read_spans, note_scopes):  # type: ignore[arg-type]
        kept.append(
            fact("note_unread", source, note_id, span=(s, e), note_id=note_id, display=text[s:e][:160])
        )
    p.facts = allergies.with_agents(kept, text)
    add_performance_conversions(p)
    p.facts.append(
        fact("note", source, note_id, code=note_id, value=text, display=f"note {note_id}", note_id=note_id,
             when=dates.as_of(text))
    )  # fmt: skip
    return finish_profile(p)


def _stage_from_metastatic(pending: list[Pending]) -> None:
    """A note that says the cancer is metastatic (a distant site, "metastatic", M1) and gives no stage
    group: stage IV (AJCC: any M1 is stage IV), marked `inferred`."""
    if any(kind == "stage" for kind, *_ in pending):
        return
    mets = [
        (a, b, f)
        for kind, a, b, f in pending
        if kind == "disease_status" and (f.get("code") or "") == "metastatic" and not f.get("negated")
    ]
    if mets:
        a, b, f = mets[0]
        pending.append(("stage", a, b, {"code": "IV", "value": "IV", "display": "Stage IV (metastatic)",
                                        "attributes": {"inferred": "metastatic"}}))  # fmt: skip


def _other_cancers(text: str, primary: Target, found: list[Target]) -> list[Target]:
    """Cancers of the patient's own history besides the primary: not negated, not a relative's or a
    plan's, in another sentence than the primary's first mention, and no subtype or parent of it (the
    primary named again: "NSCLC ... lung adeno")."""
    sents = sentences(text)
    first = containing(sents, primary.start)
    lineage = {primary.code, *oncotree_ancestors(primary.code)}
    out: list[Target] = []
    for t in found:
        if t.label != "CANCER" or t.negated or t.scope is not None or t is primary:
            continue
        if (
            containing(sents, t.start) == first
            or t.code in lineage
            or primary.code in oncotree_ancestors(t.code)
        ):
            continue
        if _tissue(t.code) == _tissue(primary.code) and not _SPECIFIC.search(t.text):
            continue  # "oesophageal cancer" before "oesophageal SCC": the same disease named by its organ
        if any(o.code == t.code for o in out):
            continue
        out.append(t)
    return out


# histology words written right before a cancer the vocabularies name by its organ: "small cell neuroendocrine
# carcinoma of the cervix" (the vocabulary mention is "carcinoma of the cervix")
_HISTOLOGY_BEFORE = re.compile(
    r"(?<![\w-])((?:(?:small|large|squamous|clear|giant|spindle|signet[\s-]ring|neuroendocrine|adeno\w*|serous|"
    r"mucinous|papillary|endometrioid|urothelial|transitional|undifferentiated|poorly|moderately|well|"
    r"differentiated|high[\s-]grade|low[\s-]grade|cell)[\s-]+){1,5})$",
    re.I,
)


def _with_histology(text: str, t: Target) -> str:
    if not re.match(r"(?:carcinoma|cancer|tumou?r|neoplasm)\b", t.text, re.I):
        return t.text
    m = _HISTOLOGY_BEFORE.search(text, max(0, t.start - 60), t.start)
    if m is None or not _HISTOLOGY_WORDS.search(m.group(1)):
        return t.text
    return " ".join(m.group(1).split()) + " " + t.text


# "3 lung mets", "7 bilateral lung mets", "a single R frontal met", "two liver metastases": a number of
# lesions written right before a metastasis (not "grade 2", "C3", "L4", a date)
_COUNT_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "single": 1, "solitary": 1, "isolated": 1,
}  # fmt: skip
_COUNT_BEFORE = compile_i(
    r"(?:^|[\s(,;:+])(?<!grade\s)(?<!stage\s)(?<!cycle\s)(?<!level\s)(?:a\s+|an\s+)?"
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|single|solitary|isolated)\s+"
    r"(?:(?:small|smaller|large|larger|new|bilateral|bilat|tiny|subcentimetric|subcentimeter|r|l|right|left|"
    r"frontal|parietal|occipital|temporal|cerebellar|hepatic|pulmonary|osseous|lytic|sclerotic|"
    r"intraparenchymal|enhancing|liver|lung|brain|bone|adrenal|cerebral)\s+){0,3}$"
)


# "... + 3 smaller mets", "and two more tiny lesions": no site word of its own, the same site's lesions
_COUNT_MORE = compile_i(
    r"\s*(?:\+|and|plus|,)\s*(?P<n>\d|one|two|three|four|five|six|seven|eight|nine)\s+"
    r"(?:(?:more|other|additional|small|smaller|tiny|punctate|subcentimetric|subcentimeter|millimetric|new)\s+){0,3}"
    r"(?:mets?|metastas[ie]s|lesions?|foci)\b(?!\s+(?:in|to|of|at|within)\b)"  # not "3 mets in the liver"
)


def _built(text: str, unique: list[Pending], source: str, note_id: str) -> list[Fact]:
    """The facts of the de-duplicated pending items, each with the dates the note gives it (`dated`). Only the
    kinds `dated` dates are passed to it, and only in a note with a digit (it returns the others unchanged);
    whether a treatment is alone in its sentence is asked for treatments only (no other kind reads it)."""
    treated = [a for kind, a, _b, f in unique if kind == "treatment" and not f.get("negated")]
    digits = any(map(str.isdigit, text))
    starts = [
        a for kind, a, _b, f in unique if kind in DATED_KINDS and not f.get("negated")
    ]  # list items' events
    out: list[Fact] = []
    for kind, a, b, f in unique:
        if digits and kind in DATED_KINDS and not f.get("negated"):
            alone = kind == "treatment" and _alone(text, a, treated)
            f = dated(text, kind, a, b, f, alone, [o for o in starts if o != a])
        out.append(fact_from(kind, source, note_id, (a, b), note_id, f))
    return out


# "she is treatment-naive", "chemo-naive" (French "naïve de tout traitement" rewritten so): no systemic therapy
# (or no chemotherapy) received, a negated treatment as "no prior systemic therapy" gives; not "not ... naive"
_NAIVE = compile_i(
    r"\b(?:(?P<chemo>chemo(?:therapy)?)|treatment|therapy|systemic[\s-]+therapy)[\s-]*na[iï]ve\b"
)
_NOT_BEFORE = compile_i(r"\b(?:not|no\s+longer|non)[\s-]+(?:\w+\s+)?$")


def _naive(text: str, add: Any, scope_of: Any) -> None:
    for m in _NAIVE.finditer(text):
        if scope_of(m.start()) is not None or _NOT_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue  # a trial's population ("for treatment-naive patients"), or "not treatment-naive"
        code = "chemotherapy" if m.group("chemo") else "systemic therapy"
        add(
            "treatment",
            m.start(),
            m.end(),
            code=code,
            display=m.group(0),
            negated=True,
            attributes={"class": code},
        )


def _alone(text: str, start: int, treated: list[int]) -> bool:
    """Whether the treatment at `start` is the only one named in its sentence (a regimen's drugs, one
    mention, count once): a date written in the next sentence is then its own."""
    if len(treated) < 2:
        return True
    sent = containing(sentences(text), start)
    return sent is None or all(a == start or not sent[0] <= a < sent[1] for a in treated)


def _count_before(text: str, start: int) -> int | None:
    m = _COUNT_BEFORE.search(text, max(0, start - 60), start)
    if m is None:
        return None
    raw = m.group("n").lower()
    n = _COUNT_WORDS.get(raw) or (int(raw) if raw.isdigit() else None)
    return n if n and n <= 30 else None


_IN_SITU_AFTER = re.compile(r"\s+(?:in\s+situ|\(in\s+situ\))", re.I)


def _own_words(text: str, t: Target) -> str:
    """A cancer's words with the histology before it and an "in situ" right after it ("cervical carcinoma in
    situ": an exception of many "other malignancy" criteria)."""
    words = _with_histology(text, t)
    return words + " in situ" if _IN_SITU_AFTER.match(text, t.end) else words


def _cancers(found: list[Target]) -> list[Target]:
    return [t for t in found if t.label == "CANCER" and not t.negated and t.scope is None]


_HISTOLOGY_WORDS = compile_i(
    r"\b(?:squamous|scc|sqcc|adeno\w*|small[\s-]cell|sclc|nsclc|ductal|lobular|idc|ilc|urothelial|transitional|"
    r"neuroendocrine|clear[\s-]cell|serous|mucinous|papillary|follicular|melanoma|sarcoma|gist|glioblastoma)\b"
)


_SPECIFIC = compile_i(_HISTOLOGY_WORDS.pattern[:-3] + r"|dcis|lcis|in\s+situ)\b")


def _tissue(code: str) -> str:
    lineage = [code, *oncotree_ancestors(code)]
    return lineage[-2] if len(lineage) > 1 and lineage[-1] == "TISSUE" else lineage[-1]


def _refined(primary: Target | None, found: list[Target]) -> Target | None:
    """ "Oesophageal cancer: ... biopsy: mid-oesophageal SCC": a diagnosis named by its organ first and
    by its histology later is the later one (same tissue, more specific words)."""
    if primary is None or _HISTOLOGY_WORDS.search(primary.text):
        return primary
    tissue = _tissue(primary.code)
    for t in found:
        if (
            t.start > primary.start
            and t.label == "CANCER"
            and not t.negated
            and t.scope is None
            and t.code != primary.code
            and _tissue(t.code) == tissue
            and _HISTOLOGY_WORDS.search(t.text)
        ):
            return t
    return primary


def _fact_of(
    text: str,
    t: Target,
    add: Any,
    advanced: bool,
    tissue: str | None,
    found: list[Target] = (),  # type: ignore[assignment]
) -> None:
    """The fact of one mention outside any not-history scope (cancers, genes, treatments: elsewhere)."""
    cancer_words, diabetes_types, needs_context = _res()
    s, e, neg = t.start, t.end, t.negated
    if t.label == "STATUS":
        if t.code in needs_context:
            clause = containing(clauses(text), s) or containing(sentences(text), s) or (s, e)
            near = " ".join(text[clause[0] : s].split()[-2:] + ["|"] + text[e : clause[1]].split()[:4])
            named = cancer_words.search(near) or any(
                c.label == "CANCER"
                and clause[0] <= c.start < clause[1]
                and (abs(c.end - s) <= 20 or 0 <= c.start - e <= 20)
                for c in found
            )  # "AML relapse"
            if not named:
                return  # "recurrent UTIs", "recurrent laryngeal nerve": the status of something else
        if re.search(r"\bnon[- ]?$", text[max(0, s - 4) : s], re.I):
            neg = True  # "non-metastatic", "non-measurable"
        if t.code == "metastatic" and _NODES_AFTER.match(text, e):
            return  # "metastatic axillary lymph nodes": nodal disease, not a distant metastasis
        add("disease_status", s, e, code=t.code, display=t.text, negated=neg)
    elif t.label in ("METASTASIS", "SITE", "LESION", "LEPTO"):
        site = "leptomeninges" if t.label == "LEPTO" else t.code
        if t.label == "LESION" and (
            not advanced or (tissue and note_vocab()["site_tissue"].get(site) == tissue)
        ):
            return
        attrs: dict[str, Any] | None = {"status": sites.brain_status(text, s, e)} if site == "brain" else None
        if not neg and t.label != "LEPTO" and (count := _count_before(text, s)) is not None:
            # "2 brain mets + 3 smaller mets": more lesions of the same site written right after
            if text[e : e + 3].lstrip()[:1] in ("+", "a", "p", ",") and (more := _COUNT_MORE.match(text, e)):
                count += _COUNT_WORDS.get(more.group("n").lower()) or int(more.group("n"))
            attrs = {**(attrs or {}), "count": count}
        add("metastasis", s, e, code=site, display=t.text, negated=neg, attributes=attrs)
        if not neg and site != "lymph_node":
            add("disease_status", s, e, code="metastatic", display=t.text)
    elif t.label == "COMORBIDITY":
        for code in t.code.split("+"):
            if code in SUPPRESSED:
                continue
            value = None
            if code == "diabetes":
                if t.text.lower().startswith("diabetic") and _COMPLICATION.match(text[e : e + 20]):
                    continue  # "no diabetic complications" says nothing of diabetes itself
                around = text[max(0, s - 12) : e + 10]
                value = next(
                    (name for name, pattern in diabetes_types.items() if pattern.search(around)), None
                )
            status = None if neg else condition_status(text, s, e)
            if code == "diabetes" and status is None and not neg:
                status = glycaemic_control(text, s)
            add(
                "comorbidity",
                s,
                e,
                code=code,
                value=value,
                display=t.text,
                negated=neg,
                attributes={
                    "historical": t.historical or None,
                    "status": status,
                    "controlled": {"controlled": True, "uncontrolled": False}.get(status or ""),
                },
            )
    elif t.label in ("SMOKING", "SMOKING_NEVER", "SMOKING_FORMER"):
        neg = neg or t.label == "SMOKING_NEVER"
        sentence = text[slice(*(containing(sentences(text), s) or (s, e)))]
        former = t.label == "SMOKING_FORMER" or t.historical or _FORMER.search(sentence)
        value = None if neg else "former" if former else "current"
        add("smoking", s, e, code="tobacco", value=value, display=sentence.strip()[:80], negated=neg)
    elif t.label == "PREGNANCY":
        if scopes.time_anchor(text, s):
            return  # "after an uncomplicated pregnancy", "prior to her pregnancy": a time, not a status
        if _PREGNANCY_TEST.search(t.text) and not neg and not _POSITIVE_AFTER.match(text[e : e + 20]):
            return  # a pregnancy test without its result
        add("pregnancy", s, e, value="pregnant", display=t.text, negated=neg)
    elif t.label == "BREASTFEEDING" and not _NOT_BREASTFEEDING.match(text[e : e + 12]):
        add("breastfeeding", s, e, value="breastfeeding", display=t.text, negated=neg)


# what a note says of a condition's course, right before it or in its clause after it (the evaluator
# reads `status` / `controlled` against "uncontrolled / active / symptomatic ..." criteria)
_STATUS_WORDS = (
    ("uncontrolled", r"uncontrolled|poorly[\s-]+controlled|not\s+(?:well[\s-]+)?controlled|refractory"),
    ("controlled", r"well[\s-]+controlled|controlled|stable\s+on|on\s+treatment"),
    ("symptomatic", r"symptomatic|dyspno\w+|short(?:ness)?\s+of\s+breath"),
    ("asymptomatic", r"asymptomatic"),
    (
        "resolved",
        r"resolved|resolution|healed|cured|in\s+remission|remitted|svr\d*|sustained\s+virolog\w*\s+response",
    ),
    ("stable", r"stable"),
    # an infection with a measurable viral load, or never treated, is active ("HCV RNA 2.1 x10^5 IU/mL")
    (
        "active",
        r"active|ongoing|current|flare|progressing|untreated|never\s+treated|viraemi\w*|viremi\w*|detectable|"
        r"(?:rna|dna|viral\s+load|vl)\s*[:=]?\s*(?:of\s+)?\d[\d.,]*(?:\s*(?:x|×)\s*10\^?\d+|e\d+)?\s*(?:iu|copies|log)",
    ),
)
_STATUS_RES = [(name, compile_i(rf"\b(?:{words})\b")) for name, words in _STATUS_WORDS]


def condition_status(text: str, start: int, end: int) -> str | None:
    """ "Active skin aGVHD", "bipolar I disorder, stable on lithium", "pneumonitis ..., resolved",
    "pleural effusion ~400 mL, dyspnoeic on exertion": the first status word near the condition."""
    clause = containing(clauses(text), start) or (start, end)
    before = text[max(clause[0], start - 25) : start]
    after = text[end : min(clause[1], end + 80)]
    for part in (before, after):
        for name, rx in _STATUS_RES:
            if rx.search(part):
                return "symptomatic" if name == "active" and "asymptomatic" in part.lower() else name
    return None


_HBA1C = fast_i(
    r"\b(?:hba1c|hb\s*a1c|a1c|glyc(?:at|os)ylated\s+ha?emoglobin)\s*(?:of|was|is|=|:)?\s*(\d{1,3}(?:[.,]\d)?)\s*(%|mmol/mol)"
)


def glycaemic_control(text: str, start: int) -> str | None:
    """Diabetes control from the HbA1c of its sentence: >= 9 % (75 mmol/mol) is poorly controlled (the
    NCQA/HEDIS "poor control" cut-off), <= 7 % (53 mmol/mol) controlled (the ADA target), between: unsaid."""
    sent = containing(sentences(text), start) or (start, start)
    m = _HBA1C.search(text, sent[0], sent[1])
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    high, low = (75.0, 53.0) if m.group(2).lower() == "mmol/mol" else (9.0, 7.0)
    return "uncontrolled" if value >= high else "controlled" if value <= low else None


def _dedupe(pending: list[Pending]) -> list[Pending]:
    """One fact per (kind, code, negation[, value]); the first mention keeps its span (for a treatment,
    the first that says the drug is still taken), another fills a value or attributes it did not have."""
    out: dict[tuple[Any, ...], Pending] = {}
    for item in pending:
        kind, _, _, f = item
        attrs = f.get("attributes") or {}
        value_key = str(f.get("value")).lower() if kind in VALUE_KEYED else None
        scope = attrs.get("scope") if kind == "note_mention" else None
        key = (kind, (f.get("code") or "").lower(), bool(f.get("negated")), value_key, scope)
        first = out.get(key)
        if first is None:
            out[key] = item
            continue
        first_fields = first[3]
        if (
            kind == "treatment"
            and attrs.get("current") is True
            and (first_fields.get("attributes") or {}).get("current") is not True
        ):
            # "abemaciclib with letrozole 12/2023-02/2024, stopped ...; letrozole since 12/2023": the mention
            # that says the drug is still taken is the one whose dates count
            first, item = item, first
            first_fields, attrs = first[3], item[3].get("attributes") or {}
        merged = {
            **{k: v for k, v in attrs.items() if v is not None},
            **{k: v for k, v in (first_fields.get("attributes") or {}).items() if v is not None},
        }
        value = first_fields.get("value") if first_fields.get("value") is not None else item[3].get("value")
        out[key] = (first[0], first[1], first[2], {**first_fields, "value": value, "attributes": merged})
    return list(out.values())
