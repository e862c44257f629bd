"""Clinical notes (free text) -> facts with character spans, negation-aware.

Reuses the criteria engine: cancers (OncoTree), drugs (INN + classes) and genes/markers come from
`oncofed.criteria.vocab`, conditions and metastatic sites from its `vocab/conditions.tsv`, and
negation / history / hypothetical / family context from `oncofed.criteria.context` (medspaCy ConText,
default rules + the engine's rules), run sentence by sentence. Only what notes say and criteria do not
("no evidence of brain metastases", "denies smoking", "htn", "tobacco abuse") is in ONE data file,
`resources/vocab/notes_patient.yaml`. Numbers with a fixed shape (age, ECOG, Karnofsky, stage,
PD-L1 %, the variant after a gene) are read by the regular expressions below.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oncofed.criteria import context
from oncofed.criteria import vocab as shared_vocab
from oncofed.domain import PatientProfile
from oncofed.ingest.patients.common import (
    Collector,
    ParsedRecord,
    add_performance_conversions,
    drug_class,
    fact,
    finish_profile,
    note_vocab,
    oncotree_name,
    valid_ecog,
    valid_karnofsky,
)
from oncofed.resources import load_tsv

AGE_RE = re.compile(
    r"\b(\d{1,3})[- ](?:year|yr)s?[- ]old\b|\b(\d{1,3})\s*(?:yo|y/o|y\.o\.)\b|\baged?\s+(\d{1,3})\b|^\s*(\d{1,3})\s*(?:M|F|yo [MF])\b",
    re.I,
)
MONTHS_RE = re.compile(r"\b(\d{1,2})[- ]months?[- ]old\b", re.I)
SEX_WORDS = {
    "woman": "FEMALE", "female": "FEMALE", "lady": "FEMALE", "girl": "FEMALE", "mother": None, "she": "FEMALE",
    "man": "MALE", "male": "MALE", "gentleman": "MALE", "boy": "MALE", "he": "MALE",
}  # fmt: skip
SEX_RE = re.compile(r"\b(woman|female|lady|girl|man|male|gentleman|boy|she|he)\b", re.I)
SEX_LETTER_RE = re.compile(r"\b\d{1,3}\s*(?:yo|y/o|y\.o\.|year[- ]old)?\s*([MF])\b")  # "74M", "60 yo M"
ECOG_RE = re.compile(
    r"\bECOG(?:\s+performance\s+status)?(?:\s+(?:PS|score))?\s*(?:of|is|was|=|:)?\s*([0-5])\b", re.I
)
KPS_RE = re.compile(
    r"\b(?:Karnofsky|KPS)(?:\s+performance\s+(?:status|score))?\s*(?:of|is|was|=|:)?\s*(\d{2,3})\s*%?", re.I
)
STAGE_RE = re.compile(r"\bstage\s+(IV|III|II|I|[0-4])([ABC]?)\b", re.I)
VARIANT_RE = re.compile(
    r"^[\s:-]*(?:\(|,)?\s*(?:p\.)?([A-Z]\d{2,4}(?:[A-Z*]|fs|del)|exon\s*\d+\s*(?:deletion|insertion|del|ins|skipping|mutation)|"
    r"T790M|ITD|amplification|amplified|fusion|rearrangement|rearranged|mutation|mutated|mutant|positive|negative|wild[- ]?type|"
    r"(?:gene\s+)?(?:mutation|amplification))",
    re.I,
)
STATUS_RE = re.compile(
    r"^[\s:/-]*(?:receptor\s*)?(?:status\s*)?(?:is\s*|was\s*)?(\+|-|positive|negative|pos\b|neg\b|[0-3]\+|high|low|overexpress\w*|amplified|not amplified|"
    r"deficient|proficient|stable)|^[\s:]*(?:TPS|CPS|expression|score)?\s*(?:of\s*)?(?:>|≥|>=|<)?\s*(\d{1,3})\s*%",
    re.I,
)
MARKERS = {"ER", "PR", "HER2", "PD-L1", "MSI", "MMR", "TMB", "HRD"}
NEGATIVE_STATUS = {
    "-",
    "negative",
    "neg",
    "not amplified",
    "proficient",
    "stable",
    "wild-type",
    "wildtype",
    "wild type",
}


@dataclass(frozen=True)
class Target:
    """A mention in a note with its ConText (from `oncofed.criteria.context`)."""

    label_: str
    code: str
    start_char: int
    end_char: int
    text: str
    sent: str
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    family: bool = False


@functools.cache
def _note_index() -> shared_vocab.PhraseIndex:
    """Note-only targets (metastatic sites, disease status, conditions, smoking, pregnancy).

    Conditions come from the criteria engine's `vocab/conditions.tsv` first, then the note-only
    phrases of `vocab/notes_patient.yaml` (abbreviations common in notes: htn, copd, ckd, ...).
    """
    nv = note_vocab()
    entries: dict[str, str] = {}
    for row in load_tsv("vocab/conditions.tsv"):
        label = "METASTASIS" if row["kind"] == "metastasis" else "COMORBIDITY"
        for phrase in row["phrases"].split("|"):
            if phrase.strip():
                entries.setdefault(phrase.strip(), f"{label}:{row['code']}")
    for site, phrases in nv["metastasis_phrases"].items():
        word = site.replace("_", " ")
        generated = [
            f"metastatic to the {word}",
            f"metastases to the {word}",
            f"metastatic to {word}",
            f"{word} metastasis",
        ]
        for phrase in [*phrases, *generated]:
            entries.setdefault(phrase, f"METASTASIS:{site}")
    for phrase in nv["leptomeningeal"]:
        entries.setdefault(phrase, "METASTASIS:leptomeninges")
    for code, phrases in nv["disease_status"].items():
        for phrase in phrases:
            entries.setdefault(phrase, f"STATUS:{code}")
    for code, phrases in nv["comorbidities"].items():
        for phrase in phrases:
            entries.setdefault(phrase, f"COMORBIDITY:{code}")
    for phrase in nv["smoking"]:
        entries.setdefault(phrase, "SMOKING:tobacco")
    for phrase in nv["pregnancy"]:
        entries.setdefault(phrase, "PREGNANCY:pregnant")
    return shared_vocab.PhraseIndex(entries, lowercase_acronyms=True)


@functools.cache
def _note_cues() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    nv = note_vocab()

    def words(key: str) -> re.Pattern[str]:
        return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in nv[key]) + r")(?![\w-])")

    return words("negations"), words("family"), words("terminators")


SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+(?=\s|$)|\n|$)")


def targets(text: str) -> list[Target]:
    """Cancers, drugs and genes from the criteria engine's vocabularies, note-only targets from
    `_note_index`, each with negation / history / family context from `oncofed.criteria.context`."""
    found: list[tuple[int, int, str, str]] = []
    found += [(m.start, m.end, "CANCER", m.code) for m in shared_vocab.find_cancer_types(text)]
    found += [(m.start, m.end, "DRUG", m.code) for m in shared_vocab.find_drugs(text)]
    found += [(m.start, m.end, "GENE", m.code) for m in shared_vocab.find_genes(text)]
    for m in _note_index().find(text):
        label, code = m.code.split(":", 1)
        found.append((m.start, m.end, label, code))
    kept: list[tuple[int, int, str, str]] = []
    end_of_kept = -1
    for item in sorted(found, key=lambda t: (t[0], -(t[1] - t[0]))):  # longest mention wins an overlap
        if item[0] >= end_of_kept:
            kept.append(item)
            end_of_kept = item[1]
    sentences = [(m.start(), m.end()) for m in SENTENCE_RE.finditer(text) if m.group(0).strip()]
    by_sentence: dict[tuple[int, int], list[tuple[int, int, str, str]]] = {}
    for item in kept:
        sent = next(((a, b) for a, b in sentences if a <= item[0] < b), (0, len(text)))
        by_sentence.setdefault(sent, []).append(item)
    keys = list(by_sentence)
    contexts = context.modifiers_many(
        [(text[a:b], [(s - a, min(e, b) - a) for s, e, _, _ in by_sentence[(a, b)]]) for a, b in keys]
    )
    neg_re, family_re, stop_re = _note_cues()
    out = []
    for (a, b), ctxs in zip(keys, contexts, strict=True):
        for (s, e, label, code), c in zip(by_sentence[(a, b)], ctxs, strict=True):
            before = stop_re.split(text[a:s].lower())[-1]
            negated = c.negated or bool(neg_re.search(before))
            family = c.family or bool(family_re.search(before))
            out.append(
                Target(label, code, s, e, text[s:e], text[a:b], negated, c.historical, c.hypothetical, family)
            )
    return sorted(out, key=lambda t: t.start_char)


def extract(text: str, note_id: str, source: str) -> PatientProfile:
    """The facts of one note, each with its character span."""
    p = PatientProfile(id="", centre_id="")
    rec = note_id

    def add(kind: str, start: int, end: int, **fields: Any) -> None:
        p.facts.append(fact(kind, source, rec, span=(start, end), note_id=note_id, **fields))

    if months := MONTHS_RE.search(text[:200]):
        age_m = int(months.group(1))
        add(
            "age",
            months.start(),
            months.end(),
            value=round(age_m / 12, 2),
            unit="years",
            display=months.group(0),
        )
        p.age_years = round(age_m / 12, 2)
    elif m := AGE_RE.search(text):
        age = int(next(g for g in m.groups() if g))
        if 0 <= age <= 120:
            p.age_years = float(age)
            add("age", m.start(), m.end(), value=age, unit="years", display=f"{age} years")
    letter = SEX_LETTER_RE.search(text[:200])
    for m in [letter] if letter else SEX_RE.finditer(text[:400]):
        word = m.group(1).lower()
        sex = {"m": "MALE", "f": "FEMALE"}.get(word) or SEX_WORDS.get(word)
        if sex:
            p.sex = sex
            add("sex", m.start(), m.end(), code=sex, value=sex, display=m.group(0).strip())
            break
    for m in ECOG_RE.finditer(text):
        if (score := valid_ecog(m.group(1))) is not None:
            add("ecog", m.start(), m.end(), value=score, display=f"ECOG {score}")
    for m in KPS_RE.finditer(text):
        if (score := valid_karnofsky(m.group(1))) is not None:
            add("karnofsky", m.start(), m.end(), value=score, display=f"Karnofsky {score}")
    if m := STAGE_RE.search(text):
        roman = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}
        group = roman.get(m.group(1), m.group(1).upper()) + m.group(2).upper()
        add("stage", m.start(), m.end(), code=group, value=group, display=f"Stage {group}")
    seen: set[tuple[str, str | None, bool]] = set()
    primary_done = False
    for ent in targets(text):
        if ent.family or ent.hypothetical:
            continue
        code = ent.code
        neg = ent.negated
        hist = ent.historical
        s, e = ent.start_char, ent.end_char
        label = ent.label_
        key = (label, code, neg)
        if label == "CANCER":
            if not neg and not primary_done:
                primary_done = True
                add(
                    "primary_cancer",
                    s,
                    e,
                    code=code,
                    display=oncotree_name(code),
                    attributes={"text": ent.text},
                )
            continue
        if label == "GENE":
            _biomarker(text, ent, code, neg, add, seen)
            continue
        if key in seen:
            continue
        seen.add(key)
        if label == "METASTASIS":
            attrs = {"status": "any"} if code == "brain" else None
            add("metastasis", s, e, code=code, display=ent.text, negated=neg, attributes=attrs)
            if not neg and ("STATUS", "metastatic", False) not in seen:
                seen.add(("STATUS", "metastatic", False))
                add("disease_status", s, e, code="metastatic", display=ent.text)
        elif label == "LEPTOMENINGEAL":
            add("metastasis", s, e, code="leptomeninges", display=ent.text, negated=neg)
        elif label == "STATUS":
            add("disease_status", s, e, code=code, display=ent.text, negated=neg)
        elif label == "DRUG":
            add(
                "treatment",
                s,
                e,
                code=code,
                display=ent.text,
                negated=neg,
                attributes={"class": drug_class(code), "historical": hist or None},
            )
        elif label == "COMORBIDITY":
            add(
                "comorbidity",
                s,
                e,
                code=code,
                display=ent.text,
                negated=neg,
                attributes={"historical": hist or None},
            )
        elif label == "SMOKING":
            value = (
                "former"
                if hist or re.search(r"\b(former|quit|ex-?smoker|history of)\b", ent.sent, re.I)
                else "current"
            )
            add(
                "smoking",
                s,
                e,
                code="tobacco",
                value=None if neg else value,
                display=ent.sent.strip()[:80],
                negated=neg,
            )
        elif label == "PREGNANCY":
            add("pregnancy", s, e, value="pregnant", display=ent.text, negated=neg)
    add_performance_conversions(p)
    # the note itself, so the patient page can show each fact's span in its text
    p.facts.append(
        fact("note", source, rec, code=note_id, value=text, display=f"note {note_id}", note_id=note_id)
    )
    return finish_profile(p)


def _biomarker(text: str, ent: Any, code: str, neg: bool, add: Any, seen: set[Any]) -> None:
    """A gene or marker with the variant or status written right after it."""
    after = text[ent.end_char : min(len(text), ent.end_char + 40)]
    s, e = ent.start_char, ent.end_char
    if code not in MARKERS:
        m = VARIANT_RE.match(after)
        found = m.group(1) if m else None
        if found is None:
            before = text[max(0, ent.start_char - 25) : ent.start_char].lower()
            if not re.search(
                r"(mutation|mutated|mutant|variant|amplification|fusion|rearrangement|positive)\s*(in|of|for)?\s*$",
                before + " ",
            ):
                return
            found = "mutation"
        value: Any = found
        end = e + m.end(1) if m else e
        low = value.lower()
        kind = (
            "amplification"
            if low.startswith("amplif")
            else "fusion"
            if low in ("fusion", "rearrangement", "rearranged")
            else "mutation"
        )
        negative = low in NEGATIVE_STATUS or low.startswith("wild")
        if (
            low
            in (
                "mutation",
                "mutated",
                "mutant",
                "positive",
                "amplified",
                "amplification",
                "fusion",
                "rearranged",
                "rearrangement",
            )
            or negative
        ):
            value = kind
        gene = "HER2" if code == "ERBB2" else code
        key = ("GENE", gene, value, neg or negative)
        if key not in seen:
            seen.add(key)
            add(
                "biomarker",
                s,
                end,
                code=gene,
                value=value,
                display=text[s:end],
                negated=neg or negative,
                attributes={"kind": kind},
            )
        return
    m = STATUS_RE.match(after)
    if not m:
        return
    end = e + m.end()
    if m.group(2):
        value = int(m.group(2))
        kind = "tps" if code == "PD-L1" else "ihc"
        unit = "%"
    else:
        raw = m.group(1).lower()
        unit = None
        kind = {"MSI": "msi", "MMR": "mmr", "TMB": "tmb"}.get(code, "ihc")
        value = (
            "positive" if raw in ("+", "pos") or raw.startswith("overexpress") or raw == "amplified" else raw
        )
        value = "negative" if raw in ("-", "neg") else value
        if code == "MSI" and value in ("high", "positive"):
            value = "MSI-H"
        if code == "MMR" and value == "deficient":
            value = "dMMR"
    key = ("GENE", code, value, neg)
    if key not in seen:
        seen.add(key)
        add(
            "biomarker",
            s,
            end,
            code=code,
            value=value,
            unit=unit,
            display=text[s:end],
            negated=neg,
            attributes={"kind": kind},
        )


def read_notes(path: Path) -> Iterator[tuple[str, str]]:
    """(note id, text) from BEIR-style JSONL ({"_id", "text"}) or one note per .txt file."""
    if path.suffix.lower() == ".txt":
        yield path.stem, path.read_text(encoding="utf-8", errors="replace")
        return
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"line {n}", f"\x00invalid JSON: {exc.msg}"
                continue
            if not isinstance(obj, dict):
                yield f"line {n}", "\x00not a JSON object"
                continue
            yield str(obj.get("_id") or obj.get("id") or f"line {n}"), str(obj.get("text") or "")


def parse_file(path: Path) -> Iterator[ParsedRecord]:
    for note_id, text in read_notes(path):
        issues = Collector(path.name, note_id)
        if text.startswith("\x00") or not text.strip():
            issues.error(
                "note",
                "text",
                (text[1:].strip() if text.startswith("\x00") else "") or "empty note",
                "one JSON object per line with _id and text",
            )
            yield ParsedRecord(path.name, note_id, None, issues.issues, source="note")
            continue
        profile = extract(text, note_id, f"note:{path.name}")
        yield ParsedRecord(path.name, note_id, profile, issues.issues, source="note", local_id=note_id)
