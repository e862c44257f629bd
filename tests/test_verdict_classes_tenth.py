"""Tenth pass of verdict classes (session 8): wrong prior-therapy readings, found among the wrong events of
the readable folds (`benchmarks/verdicts_trust.py --wrong exclusion:prior_therapy inclusion:prior_therapy`),
fixed by class on small cases written for the class (not copied from any verdict set), also run through
the vectorised evaluator and the fast ranking path:

1. a therapy that dates another finding ("residual disease after neoadjuvant chemotherapy", "LVEF within
   6 weeks prior to initiation of neoadjuvant chemotherapy") is no reading of prior therapy;
2. a therapy the line allows ("may have been treated with adjuvant chemotherapy", "is allowed");
3. a therapy the line is conditional on ("if chemotherapy given first");
4. a therapy that defines childbearing potential ("sterilized surgically (hysterectomy ...)");
5. a therapy word naming a site or finding ("resection margin"), and a measurement is no count of therapies;
6. a kind of surgery ("cosmetic or reconstructive breast surgery") is not any operation;
7. a window read from another clause of the line dates something else, not the therapy;
8. notes: the drugs of a study the patient is referred for ("referred for the X + Y study") are not received,
   those of a study the patient took part in ("X on a basket study") are;
9. notes: "since <date>" is when an ongoing treatment began, not its end, and a later mention that a drug is
   still taken gives its dates ("X with Y 12/2023-02/2024, stopped ...; Y since 12/2023");
10. a course numbered as a line ("1L carboplatin") is for advanced disease, not the adjuvant setting;
11. a window counted back from the first dose (or randomisation, registration): a course that ended inside it
    before the note (written at screening) may end outside it by the first dose: unknown, not violated;
12. a conditional definition in parentheses ("(a tumour is PR positive if >= 1% of cells stain)") is no
    requirement of the opposite status."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria.therapy_context import why_not_required
from oncofed.domain import Atom, Criterion, Fact, Outcome, PatientProfile, Section
from oncofed.ingest.patients.notes import extract
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import (
    DAY,
    SRC,
    parse,
    same_everywhere,
    strict_reading,  # noqa: F401  (fixture: the reading, before the decision policy)
)

pytestmark = pytest.mark.usefixtures("strict_reading")


def patient(*facts: Fact, name: str = "p") -> PatientProfile:
    return PatientProfile(
        id=f"{name}-{len(facts)}",
        centre_id="c",
        birth_date=date(1970, 5, 1),
        sex="FEMALE",
        primary_cancer="BRCA",
        stage="III",
        facts=list(facts),
    )


def course(drug: str, klass: str, end: str | None = None, **attrs: object) -> Fact:
    a: dict[str, object] = {"class": klass, **attrs}
    if end:
        a["end"] = end
    return Fact("treatment", drug, provenance=SRC, attributes=a)


def line(criteria: list[Criterion], start: str) -> Criterion:
    return next(c for c in criteria if c.text.startswith(start))


def outcome(c: Criterion, p: PatientProfile) -> Outcome:
    return evaluate_criteria([c], p, DAY)[0].outcome


def therapy_kinds(c: Criterion) -> list[str]:
    return [str(a.code) for a in c.atoms if a.kind == "prior_therapy"]


NEOADJ_AC = patient(
    course("doxorubicin", "anthracycline", "2026-08-31", setting="neoadjuvant"),
    course("cyclophosphamide", "alkylating agent", "2026-08-31", setting="neoadjuvant"),
    name="neoadj",
)
LUMPECTOMY = patient(course("lumpectomy", "surgery", "2026-03-12"), name="lump")
NOTHING = patient(Fact("treatment", "chemotherapy", negated=True, provenance=SRC,
                       attributes={"class": "chemotherapy"}), name="none")  # fmt: skip


# --- 1. a time anchor --------------------------------------------------------------------------------


def test_a_therapy_that_dates_another_finding_is_no_prior_therapy_reading() -> None:
    criteria = parse(
        "LVEF >= 50% on echocardiogram within 6 weeks prior to initiation of neoadjuvant chemotherapy",
        "Less than 1 cm residual disease after neoadjuvant anthracycline-based chemotherapy\n\n"
        "Prior anthracycline-based chemotherapy",
    )
    lvef = line(criteria, "LVEF")
    residual = line(criteria, "Less than 1 cm")
    plain = line(criteria, "Prior anthracycline")
    assert therapy_kinds(lvef) == [] and therapy_kinds(residual) == []
    assert outcome(residual, NEOADJ_AC) is not Outcome.VIOLATED
    assert outcome(plain, NEOADJ_AC) is Outcome.VIOLATED  # the therapy itself, asked: still read
    # "after X" under the inclusions stays a required therapy ("progressed after platinum")
    required = line(
        parse("Disease progression after prior anthracycline chemotherapy"), "Disease progression"
    )
    assert "anthracycline" in therapy_kinds(required) or "chemotherapy" in therapy_kinds(required)
    same_everywhere(criteria, [NEOADJ_AC, LUMPECTOMY, NOTHING])


# --- 2-4. permission, condition, definition -------------------------------------------------------------


def test_a_therapy_the_line_allows_conditions_on_or_defines_with_is_not_required() -> None:
    criteria = parse(
        "Prior treatment: patients may have been treated with adjuvant chemotherapy.\n\n"
        "Radiotherapy 2-6 weeks after surgery, or after chemotherapy if chemotherapy given first\n\n"
        "Women are of childbearing potential unless surgically sterilized (hysterectomy or bilateral "
        "oophorectomy)\n\n"
        "Must have received prior adjuvant chemotherapy",
        "Prior adjuvant chemotherapy is allowed\n\nPrior chemotherapy is not allowed",
    )
    for start in (
        "Prior treatment:",
        "Radiotherapy 2-6",
        "Women are",
        "Prior adjuvant chemotherapy is allowed",
    ):
        c = line(criteria, start)
        assert "chemotherapy" not in therapy_kinds(c) and "hysterectomy" not in therapy_kinds(c), start
        for p in (NOTHING, NEOADJ_AC, LUMPECTOMY):
            assert outcome(c, p) is not Outcome.VIOLATED, (start, p.id)
    # a requirement and a prohibition keep their readings
    assert outcome(line(criteria, "Must have received"), NOTHING) is Outcome.VIOLATED
    assert outcome(line(criteria, "Prior chemotherapy is not allowed"), NEOADJ_AC) is Outcome.VIOLATED
    same_everywhere(criteria, [NOTHING, NEOADJ_AC, LUMPECTOMY])


def test_why_not_required_names_the_class() -> None:
    text = "Relapse within 12 months after adjuvant chemotherapy"
    c = line(parse("Age 18 or older", text), "Relapse")
    why = [a.attributes.get("why") for a in c.atoms if a.kind == "non_evaluable"]
    assert why == ["a therapy that dates another finding"] and therapy_kinds(c) == []
    start = text.index("chemotherapy")
    chemo = Atom(
        "prior_therapy", "present", code="chemotherapy", span=(start, len(text)), text="chemotherapy"
    )
    assert why_not_required(chemo, text, Section.EXCLUSION) == "a therapy that dates another finding"
    assert why_not_required(chemo, text, Section.INCLUSION) is None  # "relapse after X": X was given
    assert why_not_required(chemo, "Prior chemotherapy", Section.EXCLUSION) is None


def test_a_restriction_and_another_sentence_keep_the_therapy_a_requirement() -> None:
    """Review of the tenth pass: "Only patients previously treated with X are eligible" restricts (no
    permission); a contraception sentence after the therapy's own sentence does not make the therapy a
    definition of childbearing potential."""
    only = parse("Only patients previously treated with trastuzumab are eligible")
    assert [a.kind for c in only for a in c.atoms] == ["prior_therapy"]
    two = parse(
        "Breast cancer",
        "Prior chemotherapy within 4 weeks of registration. Women of childbearing potential not using contraception.",
    )
    therapies = [a for c in two for a in c.atoms if a.kind == "prior_therapy"]
    assert therapies and therapies[0].code == "chemotherapy"


# --- 5-6. a site or finding; a kind of surgery --------------------------------------------------------


def test_a_margin_is_no_operation_and_a_kind_of_surgery_is_not_any_surgery() -> None:
    criteria = parse(
        "x",
        "Carcinoma less than 2 mm from the inked resection margin\n\n"
        "History of cosmetic breast surgery\n\n"
        "Prior breast surgery",
    )
    margin = line(criteria, "Carcinoma")
    cosmetic = line(criteria, "History of cosmetic")
    assert therapy_kinds(margin) == [] and not any(a.attributes.get("at_most") for a in margin.atoms)
    assert outcome(margin, LUMPECTOMY) is not Outcome.VIOLATED
    assert outcome(cosmetic, LUMPECTOMY) is Outcome.UNKNOWN  # was the operation cosmetic? not recorded
    assert outcome(line(criteria, "Prior breast surgery"), LUMPECTOMY) is Outcome.VIOLATED
    # "no more than 2 prior lines" is still a count
    count = line(parse("No more than 2 prior chemotherapy regimens"), "No more than")
    assert any(a.attributes.get("at_most") == 2 for a in count.atoms)
    same_everywhere(criteria, [LUMPECTOMY, NOTHING])


# --- 7. a window of another clause --------------------------------------------------------------------


def test_a_window_in_another_clause_does_not_date_the_therapy() -> None:
    text = (
        "Must have received prior anthracycline-based chemotherapy; baseline imaging must be "
        "obtained within 4 weeks of registration"
    )
    c = line(parse(text), "Must have received")
    assert therapy_kinds(c) and all(a.window_days is None for a in c.atoms if a.kind == "prior_therapy")
    old = patient(course("doxorubicin", "anthracycline", "2025-01-31", setting="neoadjuvant"), name="old")
    assert outcome(c, old) is not Outcome.VIOLATED  # the course is 21 months old: no 4-week window
    same = line(parse("Prior anthracycline within 4 weeks of registration"), "Prior anthracycline")
    assert any(a.window_days == 28 for a in same.atoms if a.kind == "prior_therapy")
    same_everywhere([c, same], [old, NEOADJ_AC])


# --- 8-9. the notes reader ------------------------------------------------------------------------------


def _treatments(text: str) -> dict[str, Fact]:
    profile = extract(text, "n1", "note")
    return {str(f.code): f for f in profile.facts if f.kind == "treatment" and not f.negated}


def test_a_study_the_patient_is_referred_for_is_no_treatment_received() -> None:
    got = _treatments(
        "Clinic 02/03/2026. 58 F, metastatic breast cancer, referred for the sacituzumab + durvalumab study.\n"
        "1L capecitabine 05/2025-01/2026 -> PD."
    )
    assert "sacituzumab govitecan" not in got and "durvalumab" not in got and "sacituzumab" not in got
    assert "capecitabine" in got
    took_part = _treatments("Clinic 02/03/2026. 66 M, prostate cancer. Nivolumab x6 on a basket study 2023.")
    assert "nivolumab" in took_part


def test_the_study_as_a_time_frame_names_no_study() -> None:
    """'not pregnant and agreed to contraception during the study period' is no study named: the pregnancy
    statement before it stays a fact (the backward study scope made it a mention: notes gold recall 1.00 -> 0.77);
    the scope of a named study covers its noun phrase only, not the clause before it."""
    for text in (
        "She was not pregnant or breastfeeding and agreed to use effective contraception during the study period.",
        "She was not pregnant or breastfeeding and was willing to use contraception throughout the study.",
        "Not pregnant or lactating. No history of psychiatric illness that could interfere with study compliance.",
    ):
        facts = extract(text, "n1", "note:test").facts
        kinds = {(f.kind, f.negated) for f in facts}
        assert ("pregnancy", True) in kinds, text
        assert ("breastfeeding", True) in kinds or "lactating" in text, text
    got = _treatments(
        "Clinic 02/03/2026. 61 F, on letrozole and referred for the eribulin + pembrolizumab study."
    )
    assert "letrozole" in got and "eribulin" not in got and "pembrolizumab" not in got


def test_since_a_date_is_the_start_of_an_ongoing_treatment() -> None:
    got = _treatments(
        "Seen 10/10/2026. Tamoxifen 20 mg since 03/2024, no change. "
        "Adjuvant doxorubicin/cyclophosphamide completed 01/2024."
    )
    assert got["tamoxifen"].attributes.get("start") == "2024-03-01"
    assert "end" not in got["tamoxifen"].attributes
    assert got["doxorubicin"].attributes.get("end") == "2024-01-31"  # a course's end is still its end


# --- 10. a numbered line is for advanced disease ------------------------------------------------------


def test_a_course_numbered_as_a_line_is_not_adjuvant() -> None:
    c = line(parse("x", "Less than 6 months since prior adjuvant chemotherapy"), "Less than 6 months")
    first_line = patient(course("carboplatin", "platinum", "2026-09-15", line=1), name="1L")
    adjuvant = patient(course("carboplatin", "platinum", "2026-09-15", setting="adjuvant"), name="adj")
    unstated = patient(course("carboplatin", "platinum", "2026-09-15"), name="unstated")
    assert outcome(c, first_line) is not Outcome.VIOLATED
    assert outcome(c, adjuvant) is Outcome.VIOLATED
    assert outcome(c, unstated) is Outcome.UNKNOWN  # no setting and no line: either setting (verdicts24)
    same_everywhere([c], [first_line, adjuvant, unstated])


# --- 11. a window counted back from the first dose --------------------------------------------------


def test_a_window_before_the_first_dose_is_not_decided_by_a_course_that_ended_before_the_note() -> None:
    criteria = parse(
        "x",
        "Cytotoxic chemotherapy within 21 days of the first dose of study drug\n\n"
        "Cytotoxic chemotherapy within the past 21 days",
    )
    first_dose = line(criteria, "Cytotoxic chemotherapy within 21 days")
    past = line(criteria, "Cytotoxic chemotherapy within the past")
    assert any(a.attributes.get("to_start") for a in first_dose.atoms)
    assert not any(a.attributes.get("to_start") for a in past.atoms)
    recent = patient(
        course("capecitabine", "chemotherapy", "2026-10-20"), name="recent"
    )  # 12 days before DAY
    ongoing = patient(course("capecitabine", "chemotherapy", "2026-10-20", current=True), name="ongoing")
    old = patient(course("capecitabine", "chemotherapy", "2026-06-30"), name="old")
    assert outcome(first_dose, recent) is Outcome.UNKNOWN  # 12 days before the note; the first dose is later
    assert outcome(first_dose, ongoing) is Outcome.VIOLATED  # still taken: within any window
    assert outcome(first_dose, old) is Outcome.SATISFIED
    assert outcome(past, recent) is Outcome.VIOLATED  # counted back from today: decided
    same_everywhere(criteria, [recent, ongoing, old, NOTHING])


def test_a_later_mention_that_the_drug_is_still_taken_gives_its_dates() -> None:
    got = _treatments(
        "Seen 10/10/2026. Palbociclib with anastrozole 01/2025-04/2025, stopped for neutropenia. "
        "Anastrozole 1 mg since 01/2025, no change."
    )
    assert got["anastrozole"].attributes.get("current") is True
    assert "end" not in got["anastrozole"].attributes  # not April 2025: it is still taken
    assert got["palbociclib"].attributes.get("end") == "2025-04-30"


# --- 12. a conditional definition in parentheses ----------------------------------------------------------


def test_a_conditional_definition_in_parentheses_is_no_requirement() -> None:
    text = (
        "Progesterone receptor negative (a tumour is PR or HER2 positive if at least 1% of cells stain) "
        "and adequate marrow (defined as ANC >= 1.5 x 10^9/L)"
    )
    c = line(parse(text), "Progesterone receptor negative")
    markers = [(a.code, a.value) for a in c.atoms if a.kind == "biomarker"]
    assert markers == [("PR", "negative")], markers  # PR outside the parenthesis; HER2 only inside it
    assert any(a.kind == "lab" for a in c.atoms)  # a definition that is the requirement stays
    assert [a.attributes.get("why") for a in c.atoms if a.kind == "non_evaluable"] == [
        "a definition in parentheses"
    ]
    neg = PatientProfile(
        id="pr-neg",
        centre_id="c",
        birth_date=date(1970, 5, 1),
        sex="FEMALE",
        primary_cancer="BRCA",
        facts=[
            Fact("biomarker", "PR", value="negative", provenance=SRC, attributes={"alteration": "status"})
        ],
    )
    assert outcome(c, neg) is not Outcome.VIOLATED
    same_everywhere([c], [neg, NOTHING])
