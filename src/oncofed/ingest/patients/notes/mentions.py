"""Mentions in a note (cancers, drugs, drug classes, regimens, genes, conditions, sites...) with context.

Vocabularies: the criteria engine's (`oncofed.criteria.vocab`: OncoTree, drugs, drug classes, genes;
`vocab/conditions.tsv`) plus the note-only wording of `vocab/notes_patient.yaml`,
`vocab/notes_regimens.tsv` and `vocab/notes_drugs_extra.tsv`. Context: medspaCy ConText
(`oncofed.criteria.context`, the engine's rules) run clause by clause, the note-only cue lists, and
the scopes of `scopes.py` (trial, plan, allergy).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from oncofed.criteria import context
from oncofed.criteria import vocab as shared_vocab
from oncofed.criteria.fast_regex import compile_fast
from oncofed.criteria.frozen import made
from oncofed.criteria.vocab_pass import PhraseIndexes, mention_indexes
from oncofed.ingest.patients.common import note_vocab
from oncofed.ingest.patients.notes import scopes
from oncofed.ingest.patients.notes.negated_after import denied_after
from oncofed.ingest.patients.notes.organ_first import organ_first
from oncofed.ingest.patients.notes.subsite import subsite_cancers
from oncofed.ingest.patients.notes.text import any_between, clauses, containing, last_before, sentences
from oncofed.ingest.patients.notes.triggers import rule_keys_within, trigger_starts
from oncofed.resources import load_tsv

INFECTIONS = {"hiv", "hepatitis_b", "hepatitis_c", "hepatitis", "tuberculosis", "covid_19"}
BACKWARD_NEGATION = {"COMORBIDITY", "PREGNANCY", "BREASTFEEDING"}
THERAPY = {"DRUG", "CLASS", "REGIMEN", "MED", "MEDCLASS"}
_RECEIVED = re.compile(r"\b(?:respon\w*|tolerat\w*|benefit\w*|progress\w*\s+on)\b", re.I)


@dataclass(unsafe_hash=True)
class Target:
    """A mention with its context. `scope`: trial, plan, allergy, family or hypothetical when the
    mention is not about the patient's own history (None otherwise)."""

    # not `frozen=True`: a frozen dataclass's `__init__` is written by `dataclasses` in Python (one
    # `object.__setattr__` a field), which mypyc keeps; this one is compiled (`oncofed.compiled`) to set the
    # fields directly, ~30x cheaper. Never changed after `__init__` (as if frozen; `unsafe_hash`: the same
    # hash and equality as a frozen dataclass). See `oncofed.criteria.frozen`.
    label: str
    code: str
    start: int
    end: int
    text: str
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    family: bool = False
    scope: str | None = None

    def __init__(
        self, label: str, code: str, start: int, end: int, text: str, negated: bool = False,
        historical: bool = False, hypothetical: bool = False, family: bool = False, scope: str | None = None,
    ) -> None:  # fmt: skip
        self.label = label
        self.code = code
        self.start = start
        self.end = end
        self.text = text
        self.negated = negated
        self.historical = historical
        self.hypothetical = hypothetical
        self.family = family
        self.scope = scope


def _entries(mapping: dict[str, list[str]], label: str, out: dict[str, str]) -> None:
    for code, phrases in (mapping or {}).items():
        for phrase in phrases:
            out.setdefault(phrase.lower(), f"{label}:{code}")


@functools.cache
def _note_index() -> shared_vocab.PhraseIndex:
    """Note-only targets; conditions of the criteria engine's `vocab/conditions.tsv` included (with
    plural forms), note wording of `vocab/notes_patient.yaml` first."""
    nv = note_vocab()
    entries: dict[str, str] = {}
    _entries(nv["cancer_phrases"], "CANCER", entries)
    _entries(nv["metastasis_phrases"], "METASTASIS", entries)
    _entries(nv["lesion_phrases"], "LESION", entries)
    _entries({"leptomeninges": nv["leptomeningeal"]}, "LEPTO", entries)
    _entries(nv["comorbidities"], "COMORBIDITY", entries)
    _entries({"diabetes": nv["diabetes_abbreviations"]}, "COMORBIDITY", entries)
    _entries(nv["disease_status"], "STATUS", entries)
    _entries({"tobacco": nv["smoking"]}, "SMOKING", entries)
    _entries({"tobacco": nv["smoking_never"]}, "SMOKING_NEVER", entries)
    _entries({"tobacco": nv["smoking_former"]}, "SMOKING_FORMER", entries)
    _entries({"pregnant": nv["pregnancy"]}, "PREGNANCY", entries)
    _entries({"breastfeeding": nv["breastfeeding"]}, "BREASTFEEDING", entries)
    _entries(nv["therapy_phrases"], "CLASS", entries)
    _entries(nv["gene_phrases"], "GENE", entries)
    for row in load_tsv("vocab/conditions.tsv"):
        label = "METASTASIS" if row["kind"] == "metastasis" else "COMORBIDITY"
        for phrase in (p.strip() for p in row["phrases"].split("|")):
            if phrase:
                entries.setdefault(phrase, f"{label}:{row['code']}")
                if label == "COMORBIDITY" and not phrase.endswith("s"):
                    entries.setdefault(phrase + "s", f"{label}:{row['code']}")
    for row in load_tsv("vocab/notes_regimens.tsv"):
        entries.setdefault(row["phrase"], f"REGIMEN:{row['phrase']}")
    for row in load_tsv("vocab/notes_drugs_extra.tsv"):
        for phrase in [row["drug"], *row["synonyms"].split("|")]:
            if phrase.strip():
                entries.setdefault(phrase.strip().lower(), f"DRUG:{row['drug']}")
    return shared_vocab.PhraseIndex(entries, lowercase_acronyms=True)


@functools.cache
def _vocabularies() -> PhraseIndexes:
    """Every phrase index a note's mentions are read from (`_raw_mentions`), scanned in one pass."""
    return PhraseIndexes([_note_index(), *mention_indexes()])


@functools.lru_cache(maxsize=16)
def cancer_mentions(text: str) -> list[shared_vocab.Mention]:
    """The criteria engine's cancer mentions of a note (asked twice per note: cached)."""
    _vocabularies().prefetch(text)  # the note's first scan: every vocabulary of `_raw_mentions` at once
    return shared_vocab.find_cancer_types(text, composed=False)


_HISTOLOGY_OF = re.compile(
    r"\b((?:squamous\s+cell\s+|small\s+cell\s+|invasive\s+|ductal\s+)?(?:adeno)?carcinoma|cancer)\s+of\s+(?:the\s+)?"
    r"((?:[A-Za-z-]+\s+){0,2}[A-Za-z-]+)",
    re.I,
)
_SCC = re.compile(r"\b((?:[A-Za-z]+\s+)?[A-Za-z]+)\s+(SCC|SqCC)\b")
_SCC_OF = re.compile(r"\b(?:SCC|SqCC)\s+(?:of\s+(?:the\s+)?)?((?:[A-Za-z-]+\s+){0,2}[A-Za-z-]+)")


def _composed_cancers(text: str) -> list[tuple[int, int, str, str]]:
    """Cancers written around a qualifier the vocabularies do not list: "adenocarcinoma of the sigmoid
    colon" (tried as "... of the colon"), "oral cavity SCC" (as "oral cavity squamous cell carcinoma")."""
    from oncofed.ingest.patients.common import oncotree_lookup

    out: list[tuple[int, int, str, str]] = []
    low = text.lower()
    if "carcinoma of" in low or "cancer of" in low:
        for m in _HISTOLOGY_OF.finditer(text):
            words = m.group(2).split()
            for k in range(1, len(words)):  # k = 0 is the plain phrase, already a vocabulary mention if known
                shared, _ = oncotree_lookup(f"{m.group(1)} of the {' '.join(words[k:])}")
                if shared:
                    out.append((m.start(), m.end(), "CANCER", shared))
                    break
    if "scc" in low:
        for m in _SCC.finditer(text):
            for k in (0, 1):
                site = " ".join(m.group(1).split()[k:])
                shared, _ = oncotree_lookup(f"{site} squamous cell carcinoma") if site else (None, None)
                if shared:
                    out.append((m.start() + m.group(0).find(site), m.end(), "CANCER", shared))
                    break
        for m in _SCC_OF.finditer(text):  # "SCC of the cervix", "SCC cervix": the site after the abbreviation
            words = m.group(1).split()
            for k in range(1, len(words) + 1):
                site = " ".join(words[:k])
                shared, _ = oncotree_lookup(f"squamous cell carcinoma of the {site}")
                shared = shared or oncotree_lookup(f"{site} squamous cell carcinoma")[0]
                if shared:
                    out.append((m.start(), m.start(1) + len(site), "CANCER", shared))
                    break
    return out


_ECTOMY = re.compile(r"\b[a-z]{3,}ectom(?:y|ies)\b", re.I)  # glossectomy, hemicolectomy: a surgery


def _procedure(word: str) -> str:
    """ "Hysterectomies" -> "hysterectomy" (the procedure; its class is surgery)."""
    low = word.lower()
    return low[: -len("ies")] + "y" if low.endswith("ies") else low


_NAIVE_AFTER = re.compile(r"[\s-]*(?:treatment[\s-]+|therapy[\s-]+)?na[iï]ve\b", re.I)
# "nivolumab not added", "bevacizumab was not given (proteinuria)", "trastuzumab omitted", "palbociclib never
# started": a drug named then said not given (never "not tolerated": that one was given)
_NOT_GIVEN_AFTER = re.compile(
    r"\s*[,:]?\s*(?:(?:was|were|is|are|has|have|had)(?:\s+been)?\s+)?(?:(?:not|never)\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:added|given|started|received|administered|offered|pursued|introduced|initiated|prescribed|commenced)|"
    r"omitted|withheld|not\s+an\s+option)\b",
    re.I,
)
_AFTER_HYPHEN = compile_fast(r"(?<=[A-Za-z0-9])-([A-Za-z][A-Za-z0-9]{3,})")


def _hyphen_joined_drugs(text: str) -> list[tuple[int, int, str, str]]:
    """Drugs joined by a hyphen ("FOLFIRI-panitumumab", "carboplatin-pemetrexed"), which the shared index
    skips after a hyphen (so that "anti-HER2" is no HER2)."""
    out: list[tuple[int, int, str, str]] = []
    if "-" not in text:
        return out
    for m in _AFTER_HYPHEN.finditer(text):
        if text[max(0, m.start() - 4) : m.start()].lower().endswith(("anti", "non", "post", "pre")):
            continue
        if code := _drug_word(m.group(1).lower()):
            out.append((m.start(1), m.end(1), "DRUG", code))
    return out


@functools.lru_cache(maxsize=4096)
def _drug_word(word: str) -> str | None:
    """The INN of a single word that is a drug name, else None."""
    found = shared_vocab.find_drugs(word)
    return found[0].code if found and found[0].start == 0 and found[0].end == len(word) else None


@functools.cache
def regimens() -> dict[str, tuple[list[str], bool]]:
    """Regimen abbreviation -> (its drugs, whether it needs a therapy cue nearby)."""
    return {
        r["phrase"]: (r["drugs"].split("|"), r["needs_cue"] == "1")
        for r in load_tsv("vocab/notes_regimens.tsv")
    }


@functools.cache
def extra_drug_classes() -> dict[str, str]:
    return {r["drug"]: r["classes"].split("|")[0] for r in load_tsv("vocab/notes_drugs_extra.tsv")}


_THERAPY_CUE = re.compile(
    r"(?:cycles?|courses?|doses?)\s+of\s*$|(?:received|treated with|treatment with|therapy with|started on|on)\s*$|"
    r"^\s*(?:x\s*\d|\d+\s*cycles|therapy|regimen|chemotherapy|cycles?)",
    re.I,
)


def _regimen_ok(text: str, start: int, end: int, code: str) -> bool:
    drugs, needs_cue = regimens()[code]
    if not needs_cue:
        return True
    return bool(
        _THERAPY_CUE.search(text[max(0, start - 25) : start]) or _THERAPY_CUE.search(text[end : end + 20])
    )


def _raw_mentions(
    text: str, extra: Sequence[tuple[int, int, str, str]] = ()
) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = list(extra)
    _vocabularies().prefetch(text)  # every index below answers from one pass over the note's tokens
    # "small cell carcinoma of the lung", "... of the left lower lobe": read by histology and organ part, first
    # (a tie with a vocabulary mention of the same words goes to the more specific code: `subsite`)
    vocab_cancers = cancer_mentions(text)
    found += subsite_cancers(text, [(m.start, m.end, m.code) for m in vocab_cancers])
    for m in _note_index().find(text):  # note wording first: it wins a tie with the shared vocabularies
        label, code = m.code.split(":", 1)
        if label == "REGIMEN" and not _regimen_ok(text, m.start, m.end, code):
            continue
        found.append((m.start, m.end, label, code))
    found += [(m.start, m.end, "CANCER", m.code) for m in vocab_cancers]
    found += _composed_cancers(text)
    # "kidney clear cell carcinoma": an organ's noun before the histology, where no cancer above was read
    found += organ_first(text, [(f[0], f[1]) for f in found if f[2] == "CANCER"])
    found += [(m.start, m.end, "DRUG", m.code) for m in shared_vocab.find_drugs(text)]
    found += [(m.start, m.end, "DRUG", m.code) for m in shared_vocab.find_drug_codes(text)]
    found += _hyphen_joined_drugs(text)
    if "ectom" in text.lower():
        # the procedure itself ("hysterectomy"), a surgery (therapy.py gives it the class)
        found += [(m.start(), m.end(), "CLASS", _procedure(m.group(0))) for m in _ECTOMY.finditer(text)]
    found += [(m.start, m.end, "CLASS", m.code) for m in shared_vocab.find_drug_classes(text)]
    found += [(m.start, m.end, "MED", m.code) for m in shared_vocab.find_medications(text)]
    found += [(m.start, m.end, "MEDCLASS", m.code) for m in shared_vocab.find_medication_classes(text)]
    genes = [f for f in found if f[2] == "GENE"] + [
        (m.start, m.end, "GENE", m.code) for m in shared_vocab.find_genes(text)
    ]
    # genes are resolved apart: "HER2-positive breast cancer" is a cancer and a HER2 status
    kept = sorted(_longest([f for f in found if f[2] != "GENE"]) + _longest(genes))
    out: list[tuple[int, int, str, str]] = []
    for item in kept:
        prev = out[-1] if out else None
        if (
            prev
            and text[prev[1] : item[0]].strip() == "("
            and text[item[1] : item[1] + 1] == ")"
            and prev[2] == item[2]
        ):
            continue  # "EGFR tyrosine kinase inhibitor (TKI)": the abbreviation restates the mention
        gap = text[prev[1] : item[0]] if prev else ""
        if (
            prev
            and item[2:] == ("COMORBIDITY", "active_infection")
            and prev[2] == "COMORBIDITY"
            and prev[3] in INFECTIONS | {"hepatitis_b+hepatitis_c"}
            and len(gap) <= 2
        ):
            continue  # "hepatitis C infections" is hepatitis C, not another infection
        out.append(item)
    return out


def _longest(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    kept: list[tuple[int, int, str, str]] = []
    end_of_kept = -1
    for item in sorted(found, key=lambda t: (t[0], -(t[1] - t[0]))):  # longest mention wins an overlap
        if item[0] >= end_of_kept:
            kept.append(item)
            end_of_kept = item[1]
    return kept


def _applies(
    text: str,
    c: context.Context,
    category: str,
    span: tuple[int, int, int],
    stops: list[tuple[int, int]],
    qualifiers: list[tuple[int, int]],
) -> bool:
    """Whether a ConText modifier of `category` applies to the mention at `span` = (sentence start,
    start, end), with the note's own limits on ConText's sentence-wide scopes: a trigger before the
    mention stops at a terminator or a reason ("not a candidate for X due to lupus": lupus is
    history); a trigger after it ("..., now resolved") reaches four words back at most; a negation
    of a qualifier ("without complications") negates nothing else."""
    a, s, e = span
    for cat, ts, te in c.triggers:
        start, end = a + ts, a + te
        if cat != category or any(q0 <= start < q1 for q0, q1 in qualifiers):
            continue
        if start < s:
            if not any_between(stops, end, s):
                return True
        elif len(text[e:start].split()) <= 4 and not any_between(stops, e, start):
            return True
    return False


# infections a serology result is written for (a code "a+b" is read as its codes)
INFECTIONS_READ = INFECTIONS | {"hepatitis_b+hepatitis_c"}


def _result_limit(text: str, end: int, clause_end: int, sentence_end: int) -> int:
    """Where a result written after a finding may be: its clause, or past the parenthesis that closes its clause
    ("serologies (HIV, HBV, HCV) negative")."""
    if clause_end < sentence_end and ")" in text[end : clause_end + 1] and "(" not in text[end:clause_end]:
        return sentence_end
    return clause_end


def targets(text: str, extra: Sequence[tuple[int, int, str, str]] = ()) -> list[Target]:
    """Every mention of `text` with negation, history, family, hypothetical context and scope;
    `extra`: (start, end, label, code) mentions found by other readers (metastatic sites)."""
    mentions = _raw_mentions(text, extra)
    if not mentions:
        return []
    clause_spans = clauses(text)
    sentence_spans = sentences(text)
    note_scopes = scopes.note_scopes(text)
    by_sentence: dict[tuple[int, int], list[tuple[int, int, str, str]]] = {}
    for item in mentions:
        sentence = containing(sentence_spans, item[0]) or (0, len(text))
        by_sentence.setdefault(sentence, []).append(item)
    keys = list(by_sentence)

    def needs_context(item: tuple[int, int, str, str]) -> bool:
        scope = note_scopes.scope_of(item[0])  # a trial or plan mention is no history, negated or not
        return scope is None or (scope == "allergy" and item[2] not in THERAPY)

    # ConText reads whole sentences (as many spaCy Docs as before issue 15); its modifiers are then
    # limited to the mention's clause by `_applies`, with the clause starts as stops
    asked = {key: [i for i in by_sentence[key] if needs_context(i)] for key in keys}
    # the trigger words looked for once in the note, not once a sentence (`context.trigger_starts`, its
    # candidate positions found by Hyperscan: `triggers.trigger_starts`)
    starts = trigger_starts(text)
    answers = context.modifiers_many(
        [(text[a:b], [(s - a, min(e, b) - a) for s, e, _, _ in asked[(a, b)]]) for a, b in keys],
        None
        if starts is None
        else [bisect.bisect_left(starts, a) < bisect.bisect_left(starts, b) for a, b in keys],
        # the rules worth trying in each sentence, from one Hyperscan pass over the note
        rule_keys_within(text, keys),
    )
    cues = scopes.cues(text)
    stops = sorted(cues["stop"] + cues["reason"])
    sentence_starts = {a for a, _ in sentence_spans}
    clause_stops = sorted(stops + [(c, c) for c, _ in clause_spans if c not in sentence_starts])
    out = []
    for (a, b), answer in zip(keys, answers, strict=True):
        by_item = dict(zip(asked[(a, b)], answer, strict=True))
        ends = [(containing(clause_spans, item[0]) or (a, b))[1] for item in by_sentence[(a, b)]]
        # "brain metastases ruled out", "arrhythmia hx: none", "liver and bone metastases not seen"
        after = denied_after(text, [(item[0], item[1]) for item in by_sentence[(a, b)]], ends)
        for (s, e, label, code), clause_end, denied in zip(by_sentence[(a, b)], ends, after, strict=True):
            c = by_item.get((s, e, label, code), context.NO_CONTEXT)
            span = (a, s, e)
            since = last_before(clause_stops, a, s)  # the clause from its last terminator (but, ;, due to) on
            # `_applies` reads ConText's triggers: most mentions have none (then none applies)
            negated = bool(c.triggers) and _applies(
                text, c, "NEGATED_EXISTENCE", span, clause_stops, cues["qualifier"]
            )
            negated = negated or any_between(cues["negation"], since, s)
            if negated and label in THERAPY and _RECEIVED.search(text, since, s):
                negated = False  # "had not responded to taxanes": the taxanes were given
            negated = negated or denied
            if not negated and label in BACKWARD_NEGATION:
                negated = scopes.negative_after(text, e, _result_limit(text, e, clause_end, b))
            if not negated and code in INFECTIONS_READ:  # "negative serologies for HIV and HBV"
                negated = scopes.negative_before(text, s, a)
            if not negated and label in THERAPY and _NAIVE_AFTER.match(text, e, clause_end):
                negated = True  # "anti-PD-1 naive", "platinum-naive"
            if not negated and label in THERAPY and _NOT_GIVEN_AFTER.match(text, e, clause_end):
                negated = True  # "nivolumab not added", "trastuzumab omitted"
            if negated and (
                scopes.time_anchor(text, s) or (label == "STATUS" and scopes.setting_anchor(text, s))
            ):
                negated = (
                    False  # "no UTI prior to her pregnancy"; "no chemotherapy for her metastatic disease"
                )
            # a relative stays the subject across clauses ("her husband has cancer and he receives ...")
            family = bool(c.triggers) and _applies(text, c, "FAMILY", span, stops, [])
            family = family or any_between(cues["family"], last_before(stops, a, s), s)
            hypothetical = bool(c.triggers) and _applies(text, c, "HYPOTHETICAL", span, clause_stops, [])
            scope = note_scopes.scope_of(s)
            if scope == "allergy" and label not in THERAPY:
                scope = None  # "no hypersensitivity to X, no history of HIV": HIV is the patient's
            if scope is None and family:
                scope = "family"
            elif scope is None and hypothetical:
                scope = "hypothetical"
            out.append(
                made(Target, {"label": label, "code": code, "start": s, "end": e, "text": text[s:e],
                              "negated": negated, "historical": c.historical, "hypothetical": hypothetical,
                              "family": family, "scope": scope})
            )  # fmt: skip
    return sorted(out, key=lambda t: t.start)
