"""Candidate retrieval and the relevance signals of the one ranker, over the one trial index.

`TrialIndex` holds the trials a patient can be matched to (open ones only, unless told otherwise),
their pre-parsed criteria and compiled plans, the hard-filter arrays (age, sex, cancer type by
OncoTree subtree) and the text index of `matching/ranking/index.py` (shared with search when the
service passes it), with the dense layer of `matching/ranking/dense.py` on top when enabled.

First stage: hard filters, then the best `limit` trials by reciprocal rank fusion of two BM25 runs,
the patient text (a note, or a stored record written as a case summary) and the generated keyword
query (diagnosis, stage, biomarkers, ...). Second stage (`relevance`): the ranker's relevance signals
on those candidates (BM25 of both, dense similarity, sentence-passage MaxSim, population mismatch)
combined by `ranking.ranker.combine`. Criteria are parsed before the index is built, so a query only
scores and filters arrays.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from oncofed.domain import Criterion, PatientProfile, Section, Trial
from oncofed.matching.criteria_source import registry_criteria
from oncofed.matching.evaluate import Plan, compile_plan
from oncofed.matching.ranking.demographics import Demographics, Population, mismatch, trial_population
from oncofed.matching.ranking.dense import QUERIES, DenseIndex, Progress
from oncofed.matching.ranking.index import TextIndex, trial_document
from oncofed.matching.ranking.query import keyword_query, profile_text
from oncofed.matching.ranking.ranker import DECISIVE_KINDS, WEIGHTS, Signals, Weights, combine, rrf_top
from oncofed.matching.vocab import oncotree_lineage

SEX_CODE = {"FEMALE": 1, "MALE": 2}


@dataclass(frozen=True)
class IndexedTrial:
    trial: Trial
    criteria: tuple[Criterion, ...]
    cancer_codes: tuple[str, ...]
    plans: tuple[Plan, ...] = ()
    inclusion: tuple[bool, ...] = ()
    decisive: tuple[bool, ...] = ()  # criteria on cancer type, biomarker or line of therapy
    population: Population = Population()


def trial_text(trial: Trial) -> str:
    """The text BM25 sees for a trial (the one index's document, `ranking.index.trial_document`)."""
    return trial_document(trial)


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


def profile_query(profile: PatientProfile, extra_text: str = "") -> str:
    """The generated keyword query of a patient, followed by `extra_text` (kept for callers)."""
    return " ".join(p for p in (keyword_query(profile), extra_text.strip()) if p)


def patient_text(profile: PatientProfile, day: date, extra_text: str = "") -> str:
    """The text a patient is ranked by: the note when there is one, else the record as a case summary
    (its age on `day` included, so the text, and its hash, change on a birthday)."""
    return extra_text.strip() or profile_text(profile, day)


def patient_demographics(profile: PatientProfile, day: date) -> Demographics:
    sex = {"FEMALE": "female", "MALE": "male"}.get((profile.sex or "").upper())
    return Demographics(profile.age_on(day), sex)


class TrialIndex:
    """Matchable trials with their pre-parsed criteria, hard-filter arrays and the text index.

    `text` / `text_positions`: a text index built elsewhere (the search index over every trial) and
    where each trial of this index sits in it; without them an index of these trials is built.
    `open_only`: only RECRUITING trials enter (the product); False for benchmark corpora.
    `dense`: add the dense layer (embeddings computed on first use, see `dense_index`).
    """

    def __init__(
        self,
        trials: Iterable[Trial],
        criteria_of: Callable[[Trial], list[Criterion]] = registry_criteria,
        *,
        text: TextIndex | None = None,
        text_positions: Callable[[Trial], int] | None = None,
        open_only: bool = True,
        dense: bool = False,
    ) -> None:
        enabled = gc.isenabled()
        gc.disable()  # a bulk build allocates millions of small objects: no cyclic GC passes meanwhile
        try:
            self._build(trials, criteria_of, open_only)
        finally:
            if enabled:
                gc.enable()
        if text is not None and text_positions is not None:
            self.text = text
            self.text_pos = np.array([text_positions(e.trial) for e in self.entries], dtype=np.int64)
        else:
            self.text = TextIndex.of_trials([e.trial for e in self.entries])
            self.text_pos = np.arange(len(self.entries), dtype=np.int64)
        self.use_dense = dense
        self._dense: DenseIndex | None = None
        self._dense_lock = threading.Lock()
        # BM25 of the last few query texts: the first stage and the ranker's signals score the same
        # two texts of a patient; at 100,000 trials a BM25 pass over the index is worth keeping
        self._bm25_memo: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bm25_lock = threading.Lock()

    def _build(
        self, trials: Iterable[Trial], criteria_of: Callable[[Trial], list[Criterion]], open_only: bool
    ) -> None:
        entries: list[IndexedTrial] = []
        compiled: dict[int, Plan] = {}  # criteria shared between trials compile once
        for t in trials:
            if open_only and not t.status.is_recruiting:  # NOT_YET_RECRUITING and the rest never enter
                continue
            criteria = tuple(criteria_of(t))
            plans = tuple(
                compiled.get(id(c)) or compiled.setdefault(id(c), compile_plan(c)) for c in criteria
            )
            inclusion = tuple(p.inclusion for p in plans)
            decisive = tuple(any(a.kind in DECISIVE_KINDS for a in c.atoms) for c in criteria)
            entries.append(
                IndexedTrial(
                    t, criteria, trial_cancer_codes(t, criteria), plans, inclusion, decisive,
                    trial_population(trial_document(t)),
                )
            )  # fmt: skip
        self.entries = entries
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
        self.position = {e.trial.id: i for i, e in enumerate(entries)}

    def __len__(self) -> int:
        return len(self.entries)

    # --- the dense layer ---------------------------------------------------------------------
    def dense_index(self, progress: Progress | None = None) -> DenseIndex | None:
        """The embeddings of every trial (computed once, on first use), or None when disabled."""
        if not self.use_dense:
            return None
        with self._dense_lock:
            if self._dense is None:
                self._dense = DenseIndex([e.trial for e in self.entries], progress=progress)
            return self._dense

    # --- first stage -------------------------------------------------------------------------
    def bm25(self, query: str) -> np.ndarray:
        """BM25 score of every trial of this index for `query`, from the one text index (the last
        8 texts kept; treat the array as read-only)."""
        if not len(self.entries):
            return np.zeros(0, dtype=np.float32)
        with self._bm25_lock:
            hit = self._bm25_memo.get(query)
            if hit is not None:
                self._bm25_memo.move_to_end(query)
                return hit
        scores = self.text.scores(query)[self.text_pos]
        scores.flags.writeable = False
        with self._bm25_lock:
            self._bm25_memo[query] = scores
            while len(self._bm25_memo) > 8:
                self._bm25_memo.popitem(last=False)
        return scores

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
        self,
        profile: PatientProfile,
        day: date,
        limit: int,
        extra_text: str = "",
        pool: Sequence[str] | None = None,
    ) -> list[tuple[int, float]]:
        """Up to `limit` (index, BM25 score of the patient text) pairs passing the hard filters
        (and in `pool`, trial ids, when given), best first by fusion of the two BM25 runs."""
        text = patient_text(profile, day, extra_text)
        scores = self.bm25(text)
        query = keyword_query(profile)
        keywords = self.bm25(query) if query else np.zeros_like(scores)
        mask = self.hard_filter(profile, day)
        if pool is not None:
            inside = np.zeros(len(self.entries), dtype=bool)
            inside[[self.position[p] for p in pool if p in self.position]] = True
            mask &= inside
        idx = np.flatnonzero(mask)
        top, _ = rrf_top(scores[idx], keywords[idx], limit)  # best first, equal fused scores by position
        return [(int(i), float(scores[i])) for i in idx[top]]

    # --- second stage ------------------------------------------------------------------------
    def signals(
        self, positions: Sequence[int], profile: PatientProfile, day: date, extra_text: str = ""
    ) -> Signals:
        """The ranker's relevance signals for the candidates at `positions` (eligibility apart)."""
        pos = np.asarray(positions, dtype=np.int64)
        text = patient_text(profile, day, extra_text)
        query = keyword_query(profile)
        bm25 = self.bm25(text)[pos] if pos.size else np.zeros(0, np.float32)
        keywords = self.bm25(query)[pos] if pos.size and query else np.zeros(pos.size, np.float32)
        who = patient_demographics(profile, day)
        demo = np.array([mismatch(who, self.entries[i].population) for i in pos], dtype=np.float32)
        signals = Signals(bm25=bm25, query=keywords, demographics=demo)
        dense = self.dense_index()
        if dense is not None and pos.size:
            whole, parts = dense.query(text)
            signals.dense, signals.passages = dense.features(whole, parts, pos)
        return signals

    def prepare_queries(self, texts: Sequence[str]) -> int:
        """Encode many patient texts in one batch ahead of their queries (a board's agenda); returns
        how many were encoded. A no-op without the dense layer."""
        dense = self.dense_index()
        if dense is None or not texts:
            return 0
        before = len(QUERIES)
        dense.queries(texts)
        return max(0, len(QUERIES) - before)

    def relevance(
        self,
        positions: Sequence[int],
        profile: PatientProfile,
        day: date,
        extra_text: str = "",
        weights: Weights = WEIGHTS,
    ) -> np.ndarray:
        """The ranker's relevance of each candidate (z-scored signals combined, no eligibility)."""
        return combine(self.signals(positions, profile, day, extra_text), weights)
