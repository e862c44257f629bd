"""Serologies written as results (session 11, branch verdicts25): a negative result written before the virus
("negative HIV serology", "negative serologies for HIV, hepatitis B and C") or after a parenthesis of them
("viral serologies (HIV, HBV, HCV) negative") says the patient is known negative; a resolved hepatitis (core
antibody positive, surface antigen negative; RNA undetectable) is no active infection; a positive surface
antigen is one, in English and in French. Wordings written for these tests; each failed on main."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Outcome
from oncofed.ingest.patients.notes.french import extract
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria

DAY = date(2026, 11, 20)
LINES = {
    "hiv": "Known HIV infection.",
    "hbv": "Active hepatitis B infection.",
    "hcv": "Active hepatitis C infection.",
}


def _excluded(text: str, virus: str) -> Outcome:
    criteria = parse_eligibility(f"Exclusion criteria:\n- {LINES[virus]}").criteria
    with trust.strict():
        outcomes = {o.outcome for o in evaluate_criteria(criteria, extract(text, "n1", "note"), DAY)}
    return Outcome.VIOLATED if Outcome.VIOLATED in outcomes else outcomes.pop()


@pytest.mark.parametrize(
    ("text", "viruses"),
    [
        ("Gastric cancer, stage IV. Negative HIV serology in 09/2026.", ("hiv",)),
        (
            "DLBCL before R-CHOP. Negative serologies for HIV, hepatitis B and hepatitis C.",
            ("hiv", "hbv", "hcv"),
        ),
        ("Hodgkin lymphoma. Serologies (HIV, HBV, HCV): negative.", ("hiv", "hbv", "hcv")),
        ("Metastatic NSCLC. Pre-treatment work-up: negative HBsAg and anti-HCV.", ("hbv", "hcv")),
        ("Lymphome folliculaire. Sérologies négatives (VIH, VHB, VHC).", ("hiv", "hbv", "hcv")),
    ],
)
def test_a_negative_result_before_or_around_the_virus_is_known_negative(
    text: str, viruses: tuple[str, ...]
) -> None:
    for virus in viruses:
        assert _excluded(text, virus) == Outcome.SATISFIED, virus


@pytest.mark.parametrize(
    ("text", "virus"),
    [
        ("Mantle cell lymphoma. Anti-HBc positive, HBsAg negative, on entecavir prophylaxis.", "hbv"),
        ("Myeloma. Past hepatitis B: HBsAg negative, anti-HBc positive.", "hbv"),
        ("Lymphoma. History of hepatitis B, now HBsAg negative with positive anti-HBc.", "hbv"),
        ("Hépatite B ancienne guérie : Ag HBs négatif, Ac anti-HBc positif.", "hbv"),
        ("Cancer du rectum. Hépatite C traitée, ARN VHC indétectable en 2024.", "hcv"),
        ("Breast cancer. Core antibody positive with negative HBsAg.", "hbv"),
        (
            "Liver metastases of colon cancer. HCV antibody positive, HCV RNA undetectable after sofosbuvir.",
            "hcv",
        ),
        ("Lymphome B diffus. Ag HBs négatif, anticorps anti-HBc positif.", "hbv"),
        ("Cancer du col. Sérologie VHC positive, ARN du VHC indétectable.", "hcv"),
    ],
)
def test_a_resolved_hepatitis_is_no_active_infection(text: str, virus: str) -> None:
    assert _excluded(text, virus) == Outcome.SATISFIED


@pytest.mark.parametrize(
    ("text", "virus"),
    [
        ("Hepatocellular carcinoma. Hepatitis B surface antigen positive.", "hbv"),
        ("Carcinome hépatocellulaire. Ag HBs positif.", "hbv"),
        ("Carcinome hépatocellulaire. ARN du VHC positif.", "hcv"),
        ("Anal cancer. HIV positive, on antiretroviral therapy.", "hiv"),
    ],
)
def test_a_positive_marker_of_current_infection_is_an_infection(text: str, virus: str) -> None:
    assert _excluded(text, virus) == Outcome.VIOLATED


def test_a_resolved_hepatitis_is_said_so_in_english_and_french() -> None:
    from oncofed.presenters.engine_text import say

    criteria = parse_eligibility(f"Exclusion criteria:\n- {LINES['hbv']}").criteria
    profile = extract("Myeloma. Past hepatitis B: HBsAg negative, anti-HBc positive.", "n1", "note")
    with trust.strict():
        (outcome,) = evaluate_criteria(criteria, profile, DAY)
    assert "not active (HBsAg negative)" in outcome.sentence
    assert "inactive (HBsAg négatif)" in say("fr", outcome.sentence)
