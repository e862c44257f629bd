"""The trial score (ONE function: the match pipeline, pre-screening and `oncofed eval verdicts` call
it) and the "what to check next" list.

Score: the ranker's relevance of the trial for this patient (0 where there is none, as in
pre-screening) plus what the criterion outcomes add, TrialGPT-style but without a language model
(`matching/ranking/ranker.py`): an excluded trial goes below every trial that is not and has a
comparable relevance (`EXCLUDED_BELOW`), unknowns cost less than a violation, satisfied decisive inclusions (cancer type,
biomarker, line of therapy) pull up. Higher = a better match; the weights are chosen by
cross-validation (docs/BENCHMARKS.md, "ranking"; the order of excluded trials, "ranking-order").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from oncofed.domain import CriterionOutcome, Outcome, PatientProfile, TrialVerdict
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
    score = relevance + eligibility_adjustment(e, weights)
    return score - EXCLUDED_BELOW if e.excluded and not e.not_evaluated else score


# An excluded trial (a criterion violated in every cohort) goes below every trial that is not and whose
# relevance is comparable: with the ranker's own penalty (`WEIGHTS.violated`) it loses 2 units of the
# relevance scale, about one standard deviation of the candidates' relevance (a sum of z-scores: 1.8 to
# 2.1 on the judged sets of docs/BENCHMARKS.md "ranking-order"). A far more relevant excluded trial may
# still rank above a barely relevant one; the excluded ones stay listed with the criterion that excludes
# them. A hard tier (100) was measured too: it costs more nDCG where the verdicts are wrong (same section).
EXCLUDED_BELOW = 1.5


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


_REPRODUCTIVE = re.compile(r"pregnan|breast-?\s?feeding|childbearing|contracep|menopaus|hcg", re.IGNORECASE)
REPRODUCTIVE_AGE = 55  # above it a woman is almost always postmenopausal (median menopause: 51 years)


def for_patient(items: Sequence[CheckItem], profile: PatientProfile, day: date) -> list[CheckItem]:
    """The checks ordered by how decisive they are for THIS patient: a pregnancy test or a breastfeeding
    status weighs a tenth for a man or a woman aged 55 or more (it will hardly decide anything for
    them; the verdicts keep it as a check), most decisive first."""
    age = profile.age_on(day)
    unlikely = (profile.sex or "").upper() == "MALE" or (age is not None and age >= REPRODUCTIVE_AGE)
    out = []
    for item in items:
        weight = item.weight * (0.1 if unlikely and _REPRODUCTIVE.search(item.check) else 1.0)
        out.append(CheckItem(item.check, weight, list(item.trial_ids), item.criteria))
    return sorted(out, key=lambda i: (-i.weight, -len(i.trial_ids), i.check))
