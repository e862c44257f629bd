"""Second pass of general guards against wrong exclusions of eligible patients: age ranges in words,
conditions of applicability read as requirements, "stable dose" requirements, a date of progression
taken as a treatment's last dose. Each class on small cases written for the class (not copied from
any verdict set), also run through the vectorised evaluator."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncofed.criteria.extract import age_atoms
from oncofed.domain import Outcome, TrialVerdict
from tests.test_verdict_classes_fourth import assess, note, outcome, parse, same_in_batch
from tests.verdict_cases import strict_reading  # noqa: F401  (fixture: the reading, before the decision policy)

pytestmark = pytest.mark.usefixtures("strict_reading")

# --- 1. age ranges in words --------------------------------------------------------------------

_LOWER = {  # wording of a lower bound -> operator
    "greater than or equal to {n} years": ">=",
    "≥ {n} years": ">=",
    ">= {n}": ">=",
    "at least {n} years": ">=",
    "{n} years or older": ">=",
    "not younger than {n} years": ">=",
    "older than {n} years": ">",
    "greater than {n} years": ">",
}
_UPPER = {
    "less than or equal to {n} years": "<=",
    "≤ {n} years": "<=",
    "<= {n} years": "<=",
    "no more than {n} years": "<=",
    "at most {n} years": "<=",
    "not older than {n} years": "<=",
    "{n} years or younger": "<=",
    "younger than {n} years": "<",
    "less than {n} years": "<",
}
_RANGES = (
    "Age between {a} and {b} years",
    "Aged {a} to {b} years",
    "Aged {a}-{b}",
    "Patients aged {a}–{b} years old",
    "Age from {a} to {b} years (inclusive)",
    "Age {a} through {b} years",
)


def _bounds(text: str) -> list[tuple[str, float]]:
    return sorted((a.operator, float(a.value)) for a in age_atoms(text))  # type: ignore[arg-type]


@given(
    a=st.integers(min_value=1, max_value=60),
    gap=st.integers(min_value=1, max_value=50),
    lower=st.sampled_from(sorted(_LOWER)),
    upper=st.sampled_from(sorted(_UPPER)),
    joint=st.sampled_from([" and ", ", and ", " and age ", " but "]),
)
def test_two_sided_ranges_in_words_give_both_bounds(
    a: int, gap: int, lower: str, upper: str, joint: str
) -> None:
    b = a + gap
    text = f"Age {lower.format(n=a)}{joint}{upper.format(n=b)}."
    assert _bounds(text) == sorted([(_LOWER[lower], a), (_UPPER[upper], b)]), text


@given(
    a=st.integers(min_value=1, max_value=60),
    gap=st.integers(min_value=1, max_value=50),
    wording=st.sampled_from(_RANGES),
)
def test_ranges_between_two_numbers_give_both_bounds(a: int, gap: int, wording: str) -> None:
    text = wording.format(a=a, b=a + gap)
    assert _bounds(text) == [("<=", a + gap), (">=", a)], text


@given(n=st.integers(min_value=1, max_value=110), bound=st.sampled_from(sorted({**_LOWER, **_UPPER})))
def test_one_sided_bounds_in_words(n: int, bound: str) -> None:
    text = f"Age {bound.format(n=n)}"
    assert _bounds(text) == [({**_LOWER, **_UPPER}[bound], n)], text


def test_after_the_age_keyword_the_unit_may_go_unsaid_but_not_elsewhere() -> None:
    assert _bounds("Age 18 or older") == [(">=", 18.0)]
    assert _bounds("Patients aged 65 or over") == [(">=", 65.0)]
    assert _bounds("Patients aged 18 to 75 years: male or female") == [("<=", 75.0), (">=", 18.0)]
    assert _bounds("Body surface area of at least 1.5 m2 for patients aged 16-17") == [
        ("<=", 17.0),
        (">=", 16.0),
    ]
    assert _bounds("Platelets 100 or more, 5 years of follow-up") == []


def test_a_patient_inside_a_range_in_words_is_not_excluded_and_one_outside_is() -> None:
    c = parse(
        "- Histologically confirmed acute lymphoblastic leukaemia\n"
        "- Age greater than or equal to 16 years and less than or equal to 65 years."
    )
    inside = note("Woman aged 41. Acute lymphoblastic leukaemia, Ph-negative, diagnosed last month.")
    outside = note("Man aged 72. Acute lymphoblastic leukaemia, Ph-negative, diagnosed last month.")
    assert outcome(c, inside, "Age greater") is Outcome.SATISFIED
    assert outcome(c, outside, "Age greater") is Outcome.VIOLATED
    assert assess(c, outside).verdict is TrialVerdict.EXCLUDED
    same_in_batch(c, [inside, outside])


# --- 2. conditions of applicability are not requirements --------------------------------------


def _ages(c: list, words: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    crit = next(x for x in c if words in x.text)
    said = [(a.operator, a.value) for a in crit.atoms if a.kind == "age"]
    applies = [(a.operator, a.value) for a in crit.condition if a.kind == "age"]
    return said, applies


def test_an_age_saying_whom_a_line_applies_to_is_its_condition_in_every_wording() -> None:
    lines = {
        "Participant, or a legal representative (if the participant is under 16 years of age), signs consent": "legal",
        "Written consent of both parents (if the patient is < 18 years old)": "parents",
        "Body weight of at least 40 kg (if aged 12 to 17 years)": "Body weight",
        "For patients aged 75 years or older, a geriatric assessment score of at least 14": "geriatric",
        "Adolescents aged 12-17 years weigh at least 40 kg at screening": "Adolescents",
        "Patients aged 16-17 years need a body surface area of at least 1.5 m2": "surface",
        "Patients aged 60 years or older must have an ejection fraction of at least 50 %": "ejection",
        "For participants aged 80 or older, a geriatric assessment is required": "assessment is",
    }
    c = parse("\n".join(f"- {line}" for line in lines))
    for line, words in lines.items():
        said, applies = _ages(c, words)
        assert said == [] and applies, line


def test_an_age_requirement_with_a_subject_is_still_a_requirement() -> None:
    c = parse(
        "- Patients aged 18 years or older with histologically confirmed gastric adenocarcinoma\n"
        "- Age >= 18 years when signing the informed consent"
    )
    assert _ages(c, "gastric")[0] == [(">=", 18.0)]
    assert _ages(c, "signing")[0] == [(">=", 18.0)]


def test_a_patient_outside_the_applicability_is_not_applicable_and_one_inside_is_undecided() -> None:
    c = parse(
        "- Newly diagnosed Hodgkin lymphoma\n"
        "- Subjects aged 13-17 years weigh at least 45 kg\n"
        "- The subject or their guardian (if the subject is under 18 years of age) is able to give consent"
    )
    adult = note(
        "Man aged 38. Classical Hodgkin lymphoma, nodular sclerosis, stage IIA, diagnosed 3 weeks ago."
    )
    teen = note("Girl aged 15. Classical Hodgkin lymphoma, stage IIIB, diagnosed 2 weeks ago.")
    assert outcome(c, adult, "weigh") is Outcome.NOT_APPLICABLE
    assert outcome(c, adult, "guardian") is Outcome.NOT_APPLICABLE
    assert outcome(c, teen, "weigh") is Outcome.UNKNOWN
    assert assess(c, adult).verdict is not TrialVerdict.EXCLUDED
    assert assess(c, teen).verdict is not TrialVerdict.EXCLUDED
    same_in_batch(c, [adult, teen])


def test_a_conditional_threshold_on_age_still_decides_under_its_condition() -> None:
    # the age is a condition of the looser limit, the plain limit still holds for everyone else
    c = parse("- Solid tumour\n- For patients aged 70 years or older, creatinine clearance >= 50 mL/min")
    crit = next(x for x in c if "creatinine" in x.text)
    assert [a.kind for a in crit.atoms] == ["lab"] and [a.kind for a in crit.condition] == ["age"]
    old = note("Woman aged 78. Metastatic solid tumour. Creatinine clearance 32 mL/min.")
    young = note("Woman aged 50. Metastatic solid tumour. Creatinine clearance 32 mL/min.")
    assert outcome(c, old, "creatinine") is Outcome.VIOLATED
    assert outcome(c, young, "creatinine") is Outcome.NOT_APPLICABLE
    same_in_batch(c, [old, young])


# --- 3. "stable dose" requirements apply to patients taking the drug ---------------------------


def test_a_stable_dose_requirement_never_requires_taking_the_drug() -> None:
    c = parse(
        "- Glioblastoma\n"
        "- Participants must be on a stable dose of corticosteroids for at least 7 days before the baseline MRI\n"
        "- Stable or decreasing doses of dexamethasone for 10 days prior to randomisation",
    )
    for words in ("stable dose of corticosteroids", "decreasing doses"):
        crit = next(x for x in c if words in x.text)
        assert [a.kind for a in crit.condition] == ["prior_therapy"]
        assert all(a.kind != "prior_therapy" for a in crit.atoms)
    none = note("Man aged 56. IDH-wildtype glioblastoma, resected last month. No corticosteroids.")
    taking = note("Woman aged 61. Glioblastoma, biopsy only. Dexamethasone 4 mg daily since last week.")
    assert outcome(c, none, "stable dose of corticosteroids") is Outcome.NOT_APPLICABLE
    assert outcome(c, none, "decreasing doses") is not Outcome.VIOLATED  # a class denied, not the drug named
    assert outcome(c, taking, "stable dose of corticosteroids") is Outcome.UNKNOWN
    assert assess(c, none).verdict is not TrialVerdict.EXCLUDED
    same_in_batch(c, [none, taking])


def test_a_drug_named_without_a_stable_dose_is_still_required() -> None:
    c = parse("- Glioblastoma\n- Prior treatment with temozolomide, stable disease on imaging")
    crit = next(x for x in c if "temozolomide" in x.text)
    assert any(a.kind == "prior_therapy" for a in crit.atoms) and not crit.condition


# --- 4. a treatment's stated range end is its last dose, not a later scan's date ----------------


def test_a_stated_range_end_wins_over_a_later_assessment_date() -> None:
    c = parse(
        "- Metastatic pancreatic adenocarcinoma",
        "- Cytotoxic chemotherapy within 21 days prior to the first dose of study drug",
    )
    text = (
        "Consultation 30/06/2025. Man aged 59. Metastatic pancreatic adenocarcinoma. Second line: "
        "nal-IRI + 5-FU 02/2025 to 05/06/2025 (progression on CT 24/06/2025). ECOG 1."
    )
    p = note(text)
    ends = {f.attributes.get("end") for f in p.facts if f.kind == "treatment"}
    assert ends == {"2025-06-05"}
    assert outcome(c, p, "Cytotoxic") is Outcome.SATISFIED  # 25 days before the visit
    # the same course without its range end: the progression date still bounds it (it may have run to it)
    q = note(
        "Consultation 30/06/2025. Man aged 59. Metastatic pancreatic adenocarcinoma. Second line: "
        "nal-IRI + 5-FU since 02/2025 (progression on CT 24/06/2025). ECOG 1."
    )
    assert {f.attributes.get("end") for f in q.facts if f.kind == "treatment"} == {"2025-06-24"}
    assert outcome(c, q, "Cytotoxic") is not Outcome.SATISFIED
    same_in_batch(c, [p, q])


def test_restaging_and_progression_dates_after_a_year_range_are_not_its_end() -> None:
    for assessed in ("restaging 03/2022 showed progression", "PD 03/2022", "relapse on MRI 03/2022"):
        p = note(f"Visit 10/10/2025. Glioblastoma. Temozolomide 2019-2021, {assessed}.")
        ends = {f.attributes.get("end") for f in p.facts if f.kind == "treatment"}
        assert ends == {"2021-12-31"}, assessed
