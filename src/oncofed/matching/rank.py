"""Ranking that combines eligibility and relevance, and the "what to check next" list.

Eligibility follows TrialGPT's aggregate (Jin et al., Nature Communications 2024): the share of
criteria met, minus 1 if any inclusion is not met and minus 1 if any exclusion applies. Relevance
(BM25, normalised to 0..1 over the candidates) adds at most RELEVANCE_WEIGHT. Trials with a blocking
verdict always sort after trials without one, whatever their relevance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from oncofed.domain import CriterionVerdict, Section, Verdict
from oncofed.matching.evaluate import checks_of

RELEVANCE_WEIGHT = 0.5


def eligibility_score(verdicts: Sequence[CriterionVerdict]) -> float:
    if not verdicts:
        return 0.0
    met = sum(1 for v in verdicts if v.verdict is Verdict.MET)
    score = met / len(verdicts)
    if any(v.verdict is Verdict.NOT_MET and v.criterion.section is Section.INCLUSION for v in verdicts):
        score -= 1.0
    if any(v.verdict is Verdict.NOT_MET and v.criterion.section is Section.EXCLUSION for v in verdicts):
        score -= 1.0
    return score


def eligibility_score_codes(inclusion: Sequence[bool], codes: Sequence[int]) -> float:
    """`eligibility_score` on verdict codes (0 not met, 1 unknown, 2 met) and section flags."""
    if not codes:
        return 0.0
    score = sum(1 for c in codes if c == 2) / len(codes)
    if any(c == 0 and inc for inc, c in zip(inclusion, codes, strict=True)):
        score -= 1.0
    if any(c == 0 and not inc for inc, c in zip(inclusion, codes, strict=True)):
        score -= 1.0
    return score


def combined_score(verdicts: Sequence[CriterionVerdict], relevance_norm: float) -> float:
    return eligibility_score(verdicts) + RELEVANCE_WEIGHT * relevance_norm


def sort_key(verdicts: Sequence[CriterionVerdict], score: float) -> tuple[int, float]:
    """Higher is better: (no blocking verdict, combined score)."""
    blocked = any(v.verdict is Verdict.NOT_MET for v in verdicts)
    return (0 if blocked else 1, score)


@dataclass
class CheckItem:
    """One piece of missing data, how much deciding it would matter, and the trials it affects."""

    check: str
    weight: float = 0.0
    trial_ids: list[str] = field(default_factory=list)
    criteria: int = 0


def what_to_check(
    ranked: Sequence[tuple[str, Sequence[CriterionVerdict]]], limit: int = 10
) -> list[CheckItem]:
    """Unknowns that would most change eligibility across the ranked trials.

    Only trials not already blocked count (deciding an unknown cannot rescue a blocked trial); a
    trial contributes 1/(its number of unknown criteria), so an item that is the last open question
    of a trial weighs most; higher-ranked trials weigh a little more (1/sqrt(rank)).
    """
    items: dict[str, CheckItem] = {}
    for rank, (trial_id, verdicts) in enumerate(ranked, start=1):
        if any(v.verdict is Verdict.NOT_MET for v in verdicts):
            continue
        unknowns = [v for v in verdicts if v.verdict is Verdict.UNKNOWN]
        if not unknowns:
            continue
        share = 1.0 / len(unknowns) / rank**0.5
        for v in unknowns:
            for check in checks_of(v) or [v.criterion.text]:
                item = items.setdefault(check, CheckItem(check))
                item.weight += share
                item.criteria += 1
                if trial_id not in item.trial_ids:
                    item.trial_ids.append(trial_id)
    return sorted(items.values(), key=lambda i: (-i.weight, -len(i.trial_ids), i.check))[:limit]
