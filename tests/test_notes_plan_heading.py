"""A "Plan:" heading after the end of a sentence on its line opens the plan scope, like one starting
a line: the drugs after it are planned, not received (a wrong exclusion by "prior aromatase
inhibitor" otherwise hides the trial the plan is for)."""

from __future__ import annotations

from datetime import date

from oncofed.criteria import parse_eligibility
from oncofed.domain import Outcome
from oncofed.ingest.patients.notes import extract
from oncofed.matching.assess import assess_trial


def _treatments(text: str) -> set[str]:
    return {f.code or "" for f in extract(text, "n", "note").facts if f.kind == "treatment" and not f.negated}


def test_plan_heading_after_a_sentence_is_a_plan() -> None:
    mid_line = (
        "71 y/o F, ER+ HER2- breast ca, cT2N0. Fit for systemic therapy. Plan: ribociclib + anastrozole."
    )
    assert _treatments(mid_line) == set()
    on_next_line = "71 y/o F, ER+ HER2- breast ca, cT2N0.\nPlan: ribociclib + anastrozole."
    assert _treatments(on_next_line) == set()
    # history before the heading and on the next lines stays history
    history = "Exemestane 2019-2021. Assessment and plan: restart exemestane.\nTamoxifen 2015-2019."
    assert _treatments(history) == {"exemestane", "tamoxifen"}
    # a colon that is not a heading changes nothing
    assert _treatments("Prior therapy: anastrozole 2020-2022.") == {"anastrozole"}


def test_planned_drug_does_not_violate_a_prior_therapy_exclusion() -> None:
    criteria = parse_eligibility(
        "Inclusion Criteria:\n\n- Breast cancer\n\nExclusion Criteria:\n\n- Prior treatment with an aromatase inhibitor\n"
    ).criteria
    p = extract("66 y/o F, ER+ breast ca, stage IIB. No distant mets. Plan: letrozole.", "n", "note")
    a = assess_trial(criteria, p, date(2026, 12, 1))
    out = next(o.outcome for o in a.outcomes if "aromatase" in o.criterion.text)
    assert out is not Outcome.VIOLATED
