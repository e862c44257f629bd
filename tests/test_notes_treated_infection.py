"""An infection a note names by the illness and the antibiotic given for it (verdicts31): "Pyelonephritis
20/11/2026: ceftriaxone", "pneumonia treated with amoxicillin", read as an infection dated by its clause, which
"infection requiring systemic antibiotic therapy within 14 days" reads as applying. Wordings written here; each
test fails on the reader before this change."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Outcome
from oncofed.ingest.patients.notes import extract
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial

DAY = date(2026, 12, 1)

TREATED = [
    "Pyelonephritis 20/11/2026: ceftriaxone then oral cefixime, still on it.",
    "Pneumonia on 22/11/2026 treated with amoxicillin-clavulanate for 7 days.",
    "Cellulitis of the left leg (25/11/2026), oral flucloxacillin started by the GP.",
    "Acute cholangitis on 19/11/2026 requiring piperacillin-tazobactam, stent replaced.",
    "Urosepsis 21/11/2026 - IV meropenem then ciprofloxacin.",
]


HEADER = "Oncology clinic, 28/11/2026.\nOvarian carcinoma. "  # the note's own date is not an event's


def _infections(text: str) -> list:  # type: ignore[type-arg]
    return [
        f
        for f in extract(HEADER + text, "n", "note").facts
        if f.kind == "comorbidity" and f.code == "active_infection" and not f.negated
    ]


@pytest.mark.parametrize("text", TREATED)
def test_an_illness_treated_with_an_antibiotic_is_a_dated_infection(text: str) -> None:
    found = _infections(text)
    assert found and found[0].attributes.get("treated_with")
    assert found[0].when is not None and found[0].when >= date(2026, 11, 17)


@pytest.mark.parametrize(
    "text",
    [
        "Conjunctivitis, chloramphenicol eye drops.",  # topical
        "No pneumonia. Cotrimoxazole prophylaxis during chemotherapy.",  # prophylaxis, and negated
        "Radiation pneumonitis 2025 treated with prednisolone.",  # not an infection, not an antibiotic
        "Breast cancer: doxorubicin then paclitaxel; mucositis grade 2.",  # an antitumour antibiotic class
        "Mastitis in 2019, treated with amoxicillin; now HER2-positive breast cancer on trastuzumab.",
    ],
)
def test_no_infection_from_a_topical_prophylactic_or_other_drug(text: str) -> None:
    found = _infections(text)
    if "Mastitis" in text:  # an old infection is one, dated long before any look-back window
        assert found and found[0].when is not None and found[0].when.year == 2019
    else:
        assert not found


LINE = "Exclusion Criteria:\n\n- Infection requiring systemic antibiotic therapy within 14 days prior to first dose\n"


@pytest.mark.parametrize("text", TREATED)
def test_a_recent_treated_infection_applies(text: str) -> None:
    criteria = parse_eligibility(LINE).criteria
    with trust.strict():  # the reading itself is tested
        out = assess_trial(criteria, extract(HEADER + text, "n", "note"), DAY).outcomes
    assert out[0].outcome is Outcome.VIOLATED


def test_an_old_treated_infection_does_not_apply() -> None:
    criteria = parse_eligibility(LINE).criteria
    note = HEADER + "Pneumonia on 02/09/2026 treated with amoxicillin."
    with trust.strict():
        out = assess_trial(criteria, extract(note, "n", "note"), DAY).outcomes
    assert out[0].outcome is not Outcome.VIOLATED
