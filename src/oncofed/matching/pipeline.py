"""Patient -> trials: retrieve open candidates, evaluate every criterion, rank, locate the nearest
recruiting site. `match_patient(index, profile)` is the whole pipeline; build the `TrialIndex` once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from oncofed.domain import Match, PatientProfile, Trial, nearest_recruiting_site
from oncofed.matching.atoms import AtomResult
from oncofed.matching.evaluate import evaluate_criterion, quick_verdict
from oncofed.matching.facts import PatientView
from oncofed.matching.rank import RELEVANCE_WEIGHT, CheckItem, eligibility_score_codes, what_to_check
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
    parser_available: bool = True


def match_patient(
    index: TrialIndex,
    profile: PatientProfile,
    *,
    day: date | None = None,
    limit: int = DEFAULT_LIMIT,
    candidates: int = DEFAULT_CANDIDATES,
    extra_text: str = "",
) -> MatchReport:
    """The `limit` best open trials for `profile`, each with its full criterion table.

    A profile with almost no data still gets trials, ranked with `unknown` verdicts.
    """
    on = day or date.today()
    view = PatientView.of(profile)
    pool = index.candidates(profile, on, max(limit, candidates), extra_text)
    top_relevance = max((score for _, score in pool), default=0.0) or 1.0
    cache: dict[int, AtomResult] = {}
    # phase 1: verdict codes of every candidate's criteria (no evidence objects), score, rank
    scored: list[tuple[int, float, int, float]] = []
    for i, relevance in pool:
        entry = index.entries[i]
        codes = [quick_verdict(plan, view, on, cache) for plan in entry.plans]
        score = eligibility_score_codes(entry.inclusion, codes) + RELEVANCE_WEIGHT * relevance / top_relevance
        scored.append((0 if 0 in codes else 1, score, i, relevance))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    # phase 2: full criterion tables with evidence, for the trials returned only
    results: list[RankedTrial] = []
    for rank, (_, score, i, relevance) in enumerate(scored[:limit], start=1):
        entry = index.entries[i]
        verdicts = [evaluate_criterion(c, view, on, cache) for c in entry.criteria]
        match = Match(entry.trial.id, profile.id, verdicts, relevance=relevance, score=score)
        if profile.home is not None:
            nearest = nearest_recruiting_site(entry.trial, profile.home)
            if nearest is not None:
                match.nearest_site, match.distance_km = nearest
        results.append(RankedTrial(entry.trial, match, rank))
    checks = what_to_check([(r.trial.id, r.match.verdicts) for r in results])
    return MatchReport(
        patient=profile,
        day=on,
        results=results,
        checks=checks,
        open_trials=len(index),
        candidates=len(pool),
    )
