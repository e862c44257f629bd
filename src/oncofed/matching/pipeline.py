"""Patient -> trials: retrieve open candidates, assess every criterion, rank, locate the nearest
recruiting site. `match_patient(index, profile)` is the whole pipeline; build the `TrialIndex` once."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from oncofed.domain import Match, PatientProfile, Trial, nearest_recruiting_site
from oncofed.matching.assess import assess_trial, ranking_assess
from oncofed.matching.atoms import AtomResult
from oncofed.matching.facts import PatientView
from oncofed.matching.outcomes import CohortPlan, cohort_plan
from oncofed.matching.rank import CheckItem, trial_score, what_to_check
from oncofed.matching.ranking.ranker import WEIGHTS, Weights
from oncofed.matching.retrieve import TrialIndex

DEFAULT_LIMIT = 20
DEFAULT_CANDIDATES = 200


@dataclass
class RankedTrial:
    trial: Trial
    match: Match
    rank: int = 0


@dataclass
class MatchReport:
    patient: PatientProfile
    day: date
    results: list[RankedTrial] = field(default_factory=list)
    checks: list[CheckItem] = field(default_factory=list)
    open_trials: int = 0
    candidates: int = 0
    parser_available: bool = False


_COHORTS: weakref.WeakKeyDictionary[TrialIndex, list[CohortPlan | None]] = weakref.WeakKeyDictionary()


def cohorts_of(index: TrialIndex, i: int) -> CohortPlan:
    """The cohort plan of the index's trial `i`, built once per index."""
    plans = _COHORTS.get(index)
    if plans is None:
        plans = _COHORTS[index] = [None] * len(index.entries)
    hit = plans[i]
    if hit is None:
        hit = plans[i] = cohort_plan(index.entries[i].plans)
    return hit


class Scored(NamedTuple):
    """A candidate trial ranked by `rank_candidates`."""

    position: int  # in the index
    score: float  # the ranker's score (relevance + eligibility), higher is better
    relevance: float  # BM25 of the patient text (what the pages show as relevance)
    # trial verdict code of what the score counts (`assess.ranking_assess`; the one shown: `assess_trial`)
    verdict: int


def rank_candidates(
    index: TrialIndex,
    profile: PatientProfile,
    day: date,
    *,
    candidates: int = DEFAULT_CANDIDATES,
    extra_text: str = "",
    pool: Sequence[str] | None = None,
    weights: Weights = WEIGHTS,
    cache: dict[int, AtomResult] | None = None,
) -> list[Scored]:
    """The one ranker (`matching/ranking/ranker.py`): hard filters and first stage, relevance
    signals, criterion outcomes, `trial_score`; best first. `oncofed match` and `oncofed eval rank`
    both rank with this function, so they give the same order for the same patient and trials."""
    view = PatientView.of(profile)
    memo: dict[int, AtomResult] = {} if cache is None else cache
    first = index.candidates(profile, day, candidates, extra_text, pool)
    positions = [i for i, _ in first]
    relevance = index.relevance(positions, profile, day, extra_text, weights)
    scored: list[Scored] = []
    for n, (i, bm25) in enumerate(first):
        entry = index.entries[i]
        codes, verdict = ranking_assess(entry.plans, cohorts_of(index, i), view, day, memo)
        score = trial_score(
            codes.tolist(),
            entry.inclusion,
            verdict,
            float(relevance[n]),
            decisive=entry.decisive,
            weights=weights,
        )
        scored.append(Scored(i, score, bm25, verdict))
    scored.sort(key=lambda s: (-s.score, s.position))
    return scored


def match_patient(
    index: TrialIndex,
    profile: PatientProfile,
    *,
    day: date | None = None,
    limit: int = DEFAULT_LIMIT,
    candidates: int = DEFAULT_CANDIDATES,
    extra_text: str = "",
    focus: str = "",
) -> MatchReport:
    """The `limit` best open trials for `profile`, each with its full criterion table (and the open
    trial `focus` after them when it is not among them).

    A profile with almost no data still gets trials, ranked with `unknown` outcomes.
    """
    on = day or date.today()
    view = PatientView.of(profile)
    cache: dict[int, AtomResult] = {}
    # phase 1: the one ranker over the candidates (outcome codes without evidence objects)
    scored = rank_candidates(
        index, profile, on, candidates=max(limit, candidates), extra_text=extra_text, cache=cache
    )
    # phase 2: full criterion tables with evidence, for the trials returned only
    results: list[RankedTrial] = []
    shown = scored[:limit]
    if focus and not any(index.entries[x[0]].trial.id == focus for x in shown):
        # a trial asked for by name (pre-screening's "probably not" row): shown after the others
        shown += [x for x in scored[limit:] if index.entries[x[0]].trial.id == focus][:1] or [
            Scored(i, 0.0, 0.0, -1) for i, e in enumerate(index.entries) if e.trial.id == focus
        ][:1]
    for rank, (i, score, relevance, _) in enumerate(shown, start=1):
        entry = index.entries[i]
        a = assess_trial(entry.criteria, view, on, cache, entry.plans)
        match = Match(
            entry.trial.id, profile.id, a.outcomes, a.verdict, a.cohort, relevance=relevance, score=score,
            reason=a.reason, probably_not=a.probably_not,
        )  # fmt: skip
        if profile.home is not None:
            nearest = nearest_recruiting_site(entry.trial, profile.home)
            if nearest is not None:
                match.nearest_site, match.distance_km = nearest
        results.append(RankedTrial(entry.trial, match, rank))
    checks = what_to_check([(r.trial.id, r.match.verdict, r.match.outcomes) for r in results])
    return MatchReport(
        patient=profile,
        day=on,
        results=results,
        checks=checks,
        open_trials=len(index),
        candidates=len(scored),
        parser_available=True,
    )
