"""Patient -> trials: retrieve open candidates, evaluate every criterion, rank, locate the nearest
recruiting site. `match_patient(index, profile)` is the whole pipeline; build the `TrialIndex` once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from oncofed.domain import Match, PatientProfile, Trial, nearest_recruiting_site
from oncofed.matching.atoms import AtomResult
from oncofed.matching.evaluate import evaluate_criterion
from oncofed.matching.facts import PatientView
from oncofed.matching.rank import CheckItem, combined_score, sort_key, what_to_check
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
    scored: list[tuple[tuple[int, float], int, Match]] = []
    for i, relevance in pool:
        entry = index.entries[i]
        verdicts = [evaluate_criterion(c, view, on, cache) for c in entry.criteria]
        score = combined_score(verdicts, relevance / top_relevance)
        match = Match(entry.trial.id, profile.id, verdicts, relevance=relevance, score=score)
        scored.append((sort_key(verdicts, score), i, match))
    scored.sort(key=lambda item: (-item[0][0], -item[0][1], item[1]))
    results: list[RankedTrial] = []
    for rank, (_, i, match) in enumerate(scored[:limit], start=1):
        trial = index.entries[i].trial
        if profile.home is not None:
            nearest = nearest_recruiting_site(trial, profile.home)
            if nearest is not None:
                match.nearest_site, match.distance_km = nearest
        results.append(RankedTrial(trial, match, rank))
    checks = what_to_check([(r.trial.id, r.match.verdicts) for r in results])
    from oncofed.matching.criteria_source import eligibility_parser

    return MatchReport(
        patient=profile,
        day=on,
        results=results,
        checks=checks,
        open_trials=len(index),
        candidates=len(pool),
        parser_available=eligibility_parser() is not None,
    )
