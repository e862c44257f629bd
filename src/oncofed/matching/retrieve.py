"""Candidate retrieval over open trials: BM25 (bm25s) over title, conditions, interventions and
criteria text, plus hard filters (RECRUITING only, age, sex, cancer type by OncoTree subtree).

Criteria are parsed once, when the index is built, so a query only scores and filters arrays.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import bm25s
import numpy as np
import Stemmer

from oncofed.domain import Criterion, PatientProfile, Section, Trial
from oncofed.matching.criteria_source import registry_criteria
from oncofed.matching.evaluate import Plan, compile_plan
from oncofed.matching.vocab import oncotree_lineage

SEX_CODE = {"FEMALE": 1, "MALE": 2}
_STEMMER = Stemmer.Stemmer("english")


@dataclass(frozen=True)
class IndexedTrial:
    trial: Trial
    criteria: tuple[Criterion, ...]
    cancer_codes: tuple[str, ...]
    plans: tuple[Plan, ...] = ()
    inclusion: tuple[bool, ...] = ()


def trial_text(trial: Trial) -> str:
    """The text BM25 sees for a trial: title, conditions, interventions, keywords, criteria."""
    parts = [trial.title, trial.official_title, " ".join(trial.conditions), " ".join(trial.interventions)]
    parts += [" ".join(trial.keywords), trial.brief_summary, trial.eligibility_text]
    return "\n".join(p for p in parts if p)


def trial_cancer_codes(trial: Trial, criteria: Sequence[Criterion]) -> tuple[str, ...]:
    """OncoTree codes a trial is restricted to: inclusion criteria made only of cancer_type atoms."""
    codes: list[str] = []
    for c in criteria:
        if c.section is not Section.INCLUSION or not c.atoms:
            continue
        if all(a.kind == "cancer_type" and not a.negated for a in c.atoms):
            for a in c.atoms:
                raw = a.value if a.value is not None else a.code
                for code in raw if isinstance(raw, (list, tuple, set)) else [raw]:
                    if code and str(code).upper() not in codes:
                        codes.append(str(code).upper())
    return tuple(codes)


def tokenize(texts: list[str]) -> bm25s.tokenization.Tokenized:
    return bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, show_progress=False)


def profile_query(profile: PatientProfile, extra_text: str = "") -> str:
    """A keyword query for a patient: diagnosis, stage, disease status, biomarkers, metastases."""
    words: list[str] = []
    for f in profile.facts:
        if f.negated:
            continue
        if f.kind in ("primary_cancer", "disease_status", "metastasis"):
            words += [f.display or "", f.code or ""]
        elif f.kind == "biomarker":
            words += [f.code or "", str(f.value or "")]
        elif f.kind == "stage":
            words.append(f"stage {f.value or f.code}")
    if profile.primary_cancer:
        words.append(profile.primary_cancer)
    words.append(extra_text)
    return re.sub(r"\s+", " ", " ".join(w for w in words if w)).strip()


class TrialIndex:
    """Open trials with their pre-parsed criteria, a BM25 index and hard-filter arrays."""

    def __init__(
        self,
        trials: Iterable[Trial],
        criteria_of: Callable[[Trial], list[Criterion]] = registry_criteria,
    ) -> None:
        enabled = gc.isenabled()
        gc.disable()  # a bulk build allocates millions of small objects: no cyclic GC passes meanwhile
        try:
            self._build(trials, criteria_of)
        finally:
            if enabled:
                gc.enable()

    def _build(self, trials: Iterable[Trial], criteria_of: Callable[[Trial], list[Criterion]]) -> None:
        entries: list[IndexedTrial] = []
        compiled: dict[int, Plan] = {}  # criteria shared between trials compile once
        for t in trials:
            if not t.status.is_recruiting:  # NOT_YET_RECRUITING and the rest never enter the index
                continue
            criteria = tuple(criteria_of(t))
            plans = tuple(
                compiled.get(id(c)) or compiled.setdefault(id(c), compile_plan(c)) for c in criteria
            )
            inclusion = tuple(p.inclusion for p in plans)
            entries.append(IndexedTrial(t, criteria, trial_cancer_codes(t, criteria), plans, inclusion))
        self.entries = entries
        n = len(entries)
        self.min_age = np.array([e.trial.min_age_years or np.nan for e in entries], dtype=float)
        self.max_age = np.array([e.trial.max_age_years or np.nan for e in entries], dtype=float)
        self.sex = np.array([SEX_CODE.get((e.trial.sex or "").upper(), 0) for e in entries], dtype=np.int8)
        self.unrestricted = np.array([not e.cancer_codes for e in entries], dtype=bool)
        self._by_code: dict[str, list[int]] = {}
        self._by_ancestor: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            for code in e.cancer_codes:
                self._by_code.setdefault(code, []).append(i)
                for ancestor in oncotree_lineage(code)[1:]:
                    self._by_ancestor.setdefault(ancestor, []).append(i)
        self.bm25: bm25s.BM25 | None = None
        self.vocab: dict[str, int] = {}
        if n:
            tokens = tokenize([trial_text(e.trial) for e in entries])
            self.vocab = dict(tokens.vocab)
            self.bm25 = bm25s.BM25()
            self.bm25.index(tokens, show_progress=False)

    def __len__(self) -> int:
        return len(self.entries)

    def relevance(self, query: str) -> np.ndarray:
        """BM25 score of every open trial for `query` (zeros when the query has no known word)."""
        scores = np.zeros(len(self.entries), dtype=np.float32)
        if self.bm25 is None or not query.strip():
            return scores
        words = tokenize([query]).vocab
        known = [w for w in words if w in self.vocab]
        if not known:
            return scores
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)

    def hard_filter(self, profile: PatientProfile, day: date) -> np.ndarray:
        """Trials the patient is not ruled out of by age, sex or cancer type (unknown data passes)."""
        mask = np.ones(len(self.entries), dtype=bool)
        age = profile.age_on(day)
        if age is not None:
            mask &= ~(self.min_age > age)  # NaN comparisons are False: no limit passes
            mask &= ~(self.max_age < age)
        sex = SEX_CODE.get((profile.sex or "").upper(), 0)
        if sex:
            mask &= (self.sex == 0) | (self.sex == sex)
        code = (profile.primary_cancer or "").upper()
        if not code:
            first = next((f for f in profile.facts if f.kind == "primary_cancer" and f.code), None)
            code = (first.code or "").upper() if first else ""
        if code:
            allowed = self.unrestricted.copy()
            for c in oncotree_lineage(code):
                allowed[self._by_code.get(c, [])] = True
            allowed[self._by_ancestor.get(code, [])] = True  # trial restricted to a subtype: unknown
            mask &= allowed
        return mask

    def candidates(
        self, profile: PatientProfile, day: date, limit: int, extra_text: str = ""
    ) -> list[tuple[int, float]]:
        """Up to `limit` (index, BM25 score) pairs passing the hard filters, best first."""
        scores = self.relevance(profile_query(profile, extra_text))
        idx = np.flatnonzero(self.hard_filter(profile, day))
        if len(idx) > limit:
            top = np.argpartition(-scores[idx], limit - 1)[:limit]
            idx = idx[top]
        order = idx[np.lexsort((idx, -scores[idx]))]
        return [(int(i), float(scores[i])) for i in order]
