"""A line that takes "solid tumours" besides the cancers it names (a basket: "gastric cancer, lobular
breast cancer or a CDH1-mutated solid tumour", "any solid tumour or lymphoma") is not read as "the
patient's cancer must be one of the named ones": a solid tumour of another kind is unknown (whether the
line's solid tumours take it, often by a marker no atom reads), a blood cancer still fails it. Strict
engine, every evaluation path; wordings written for these tests."""

from __future__ import annotations

from datetime import date

from oncofed.criteria.parser import parse_criterion
from oncofed.domain import Outcome, PatientProfile, Section
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from tests.verdict_cases import DAY, same_everywhere

BASKET = "Diffuse gastric cancer, or lobular breast cancer, or any solid tumour of the basket part"
SOLID_OR_BLOOD = "Participants with a solid tumour or a lymphoma"


def patient(cancer: str) -> PatientProfile:
    return PatientProfile(id=cancer, centre_id="c", birth_date=date(1970, 1, 1), primary_cancer=cancer)


def outcome(text: str, cancer: str) -> Outcome:
    with trust.strict():
        return evaluate_criteria([parse_criterion(text, Section.INCLUSION)], patient(cancer), DAY)[0].outcome


def test_a_solid_tumour_of_another_kind_is_unknown_in_a_basket_line() -> None:
    assert outcome(BASKET, "IDC") is Outcome.UNKNOWN  # ductal breast cancer: maybe one of its solid tumours
    assert outcome(BASKET, "COAD") is Outcome.UNKNOWN
    assert outcome(BASKET, "ILC") is Outcome.SATISFIED
    assert outcome(BASKET, "DLBCLNOS") is Outcome.VIOLATED  # a lymphoma is no solid tumour
    assert outcome(SOLID_OR_BLOOD, "LUAD") is Outcome.UNKNOWN
    assert outcome(SOLID_OR_BLOOD, "FL") is Outcome.SATISFIED
    assert outcome(SOLID_OR_BLOOD, "AML") is Outcome.VIOLATED


def test_solid_tumours_named_as_the_category_of_a_list_are_not_an_alternative() -> None:
    """ "Solid tumours: colorectal or pancreatic cancer" asks for one of the listed cancers."""
    listed = "Solid tumours: colorectal cancer, pancreatic cancer"
    assert outcome(listed, "LUAD") is Outcome.VIOLATED
    # a history of another solid tumour is no alternative of the primary cancer either
    assert outcome("Breast cancer; no other solid tumour within 3 years", "LUAD") is Outcome.VIOLATED


def test_every_path_agrees() -> None:
    criteria = [
        parse_criterion(BASKET, Section.INCLUSION),
        parse_criterion(SOLID_OR_BLOOD, Section.INCLUSION, 2),
    ]
    profiles = [patient(c) for c in ("IDC", "ILC", "COAD", "DLBCLNOS", "AML", "FL", "LUAD")]
    with trust.strict():
        same_everywhere(criteria, profiles)
    same_everywhere(criteria, profiles)
