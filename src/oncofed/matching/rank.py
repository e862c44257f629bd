"""The trial score (ONE function: the match pipeline, pre-screening and `oncofed eval verdicts` call
it) and the "what to check next" list.

Score: the ranker's relevance of the trial for this patient (0 where there is none, as in
pre-screening) plus what the criterion outcomes add, TrialGPT-style but without a language model
(`matching/ranking/ranker.py`): an excluded trial is pushed down, unknowns cost less than a
violation, satisfied decisive inclusions (cancer type, biomarker, line of therapy) pull up. Higher =
a better match; the weights are chosen by cross-validation (docs/BENCHMARKS.md, "ranking").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from oncofed.domain import CriterionOutcome, Outcome, TrialVerdict
from oncofed.matching.outcomes import EXCLUDED
from oncofed.matching.ranking.ranker import WEIGHTS, Weights, eligibility_adjustment, eligibility_of


def trial_score(
    codes: Sequence[int],
    inclusion: Sequence[bool],
    verdict: int,
    relevance: float = 0.0,
    *,
    decisive: Sequence[bool] | None = None,
    weights: Weights = WEIGHTS,
) -> float:
    """The trial's score for one patient: `relevance` (the ranker's combined relevance of this
    candidate, 0 when there is none) plus what its criterion outcomes add (`ranking.ranker`:
    excluded pushes down, unknowns cost less, decisive satisfied inclusions pull up). `codes` are
    the outcome codes (cohorts resolved), `inclusion` each criterion's section, `verdict` the trial
    verdict code, `decisive` which criteria are on cancer type, biomarker or line of therapy."""
    e = eligibility_of(codes, inclusion, decisive, excluded=verdict == EXCLUDED)
    return relevance + eligibility_adjustment(e, weights)


@dataclass
class CheckItem:
    """One piece of missing data, how much deciding it would matter, and the trials it affects."""

    check: str
    weight: float = 0.0
    trial_ids: list[str] = field(default_factory=list)
    criteria: int = 0


def what_to_check(
    ranked: Sequence[tuple[str, TrialVerdict, Sequence[CriterionOutcome]]], limit: int = 10
) -> list[CheckItem]:
    """The unknowns of the listed trials that would most change their verdicts, most decisive first.

    Excluded trials do not count (deciding an unknown cannot rescue them), nor criteria only the
    investigator can decide (consent, opinion: checked at the visit). A trial contributes
    1/(its number of open criteria) to each of its items, so the last open question of a trial
    weighs most; higher-ranked trials weigh a little more (1/sqrt(rank)). A criterion the parser
    could not read becomes "read: <criterion>".
    """
    items: dict[str, CheckItem] = {}
    for rank, (trial_id, verdict, outcomes) in enumerate(ranked, start=1):
        if verdict is TrialVerdict.EXCLUDED:
            continue
        unknowns = [o for o in outcomes if o.outcome is Outcome.UNKNOWN and not o.investigator]
        if not unknowns:
            continue
        share = 1.0 / len(unknowns) / rank**0.5
        for o in unknowns:
            for check in list(o.checks) or [f"read: {o.criterion.text.strip()[:160]}"]:
                item = items.setdefault(check, CheckItem(check))
                item.weight += share
                item.criteria += 1
                if trial_id not in item.trial_ids:
                    item.trial_ids.append(trial_id)
    return sorted(items.values(), key=lambda i: (-i.weight, -len(i.trial_ids), i.check))[:limit]
