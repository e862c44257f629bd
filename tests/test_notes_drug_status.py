"""What a note says about a drug (session 11, branch verdicts25): a drug named but not given (proposed,
referred for, consent for, declined, contraindicated, awaiting approval) is no treatment received; a drug
given for another indication than the cancer ("Crohn's disease treated with methotrexate") is no anticancer
therapy. Wordings written for these tests; each failed on main."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Outcome
from oncofed.ingest.patients.notes.french import extract
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria

DAY = date(2026, 11, 20)


def _received(text: str) -> set[str]:
    return {
        f.code or "" for f in extract(text, "n1", "note").facts if f.kind == "treatment" and not f.negated
    }


def _outcome(text: str, section: str, line: str) -> Outcome:
    criteria = parse_eligibility(f"{section} criteria:\n- {line}").criteria
    profile = extract(text, "n1", "note")
    with trust.strict():
        outcomes = {o.outcome for o in evaluate_criteria(criteria, profile, DAY)}
    return Outcome.VIOLATED if Outcome.VIOLATED in outcomes else outcomes.pop()


@pytest.mark.parametrize(
    ("text", "drug"),
    [
        ("Metastatic colorectal cancer, BRAF V600E. Referred for encorafenib with cetuximab.", "encorafenib"),
        (
            "Metastatic TNBC. Sacituzumab govitecan was declined by the patient in 10/2026.",
            "sacituzumab govitecan",
        ),
        ("Metastatic melanoma. Ipilimumab contraindicated given her ulcerative colitis.", "ipilimumab"),
        (
            "Metastatic NSCLC, EGFR exon 20 insertion. Consent signed for amivantamab on 02/11/2026.",
            "amivantamab",
        ),
        ("mCRPC after docetaxel. Tumour board proposed cabazitaxel.", "cabazitaxel"),
        ("Advanced HCC. Awaiting approval of atezolizumab and bevacizumab.", "atezolizumab"),
        ("Advanced HCC. Awaiting approval of atezolizumab and bevacizumab.", "bevacizumab"),
        ("Metastatic NSCLC. Referral for the tarlatamab phase I expansion, 14/10/2026.", "tarlatamab"),
        ("Cancer de l'ovaire en rechute. Olaparib contre-indiqué (insuffisance rénale).", "olaparib"),
        ("Metastatic gastric cancer. Nivolumab was discussed with the family as an option.", "nivolumab"),
        ("Metastatic RCC, IMDC intermediate. May benefit from cabozantinib.", "cabozantinib"),
        ("Cancer bronchique EGFR muté. Osimertinib envisagé en première ligne.", "osimertinib"),
        (
            "Cancer du sein métastatique. Refus du trastuzumab deruxtecan par la patiente.",
            "trastuzumab deruxtecan",
        ),
    ],
)
def test_a_drug_named_but_not_given_is_no_treatment(text: str, drug: str) -> None:
    assert drug not in _received(text)


@pytest.mark.parametrize(
    ("text", "given", "not_given"),
    [
        (
            "Metastatic NSCLC. Referred for the amivantamab trial after progression on osimertinib.",
            "osimertinib",
            "amivantamab",
        ),
        (
            "Metastatic HER2+ breast cancer. Received capecitabine, lapatinib contraindicated.",
            "capecitabine",
            "lapatinib",
        ),
    ],
)
def test_a_drug_given_beside_one_not_given_stays_given(text: str, given: str, not_given: str) -> None:
    received = _received(text)
    assert given in received and not_given not in received


INDICATIONS = [
    (
        "Metastatic breast cancer. Rheumatoid arthritis treated with methotrexate 20 mg weekly since 2019.",
        "methotrexate",
    ),
    ("Ovarian cancer, FIGO IIIC. Methotrexate for a tubal pregnancy in 2012.", "methotrexate"),
    ("Stage IV NSCLC. Granulomatosis with polyangiitis, maintained on rituximab.", "rituximab"),
    ("Metastatic prostate cancer. Tamoxifen 20 mg daily for gynecomastia.", "tamoxifen"),
    ("Metastatic breast cancer. Lupus nephritis treated with cyclophosphamide in 2015.", "cyclophosphamide"),
    ("Cancer du sein métastatique. Maladie de Crohn traitée par méthotrexate.", "methotrexate"),
    ("Metastatic colon cancer. Methotrexate prescribed by her dermatologist for psoriasis.", "methotrexate"),
]


@pytest.mark.parametrize(("text", "drug"), INDICATIONS)
def test_a_drug_given_for_another_indication_is_no_anticancer_therapy(text: str, drug: str) -> None:
    facts = [f for f in extract(text, "n1", "note").facts if f.kind == "treatment" and f.code == drug]
    assert facts and all(
        f.attributes.get("anticancer") is False and f.attributes.get("indication") for f in facts
    )
    assert _outcome(text, "Inclusion", "No prior systemic anticancer therapy.") != Outcome.VIOLATED
    assert _outcome(text, "Exclusion", "Prior chemotherapy for advanced disease.") != Outcome.VIOLATED
    # the drug itself was given all the same
    assert _outcome(text, "Exclusion", f"Prior treatment with {drug}.") == Outcome.VIOLATED


def test_a_steroid_for_copd_is_still_a_steroid() -> None:
    text = "Stage IV NSCLC. COPD on prednisolone 5 mg daily."
    assert _outcome(text, "Inclusion", "No prior systemic anticancer therapy.") != Outcome.VIOLATED
    assert _outcome(text, "Exclusion", "Current systemic corticosteroid therapy.") == Outcome.VIOLATED


def test_a_drug_for_an_immune_disease_is_immunosuppression() -> None:
    text = "Metastatic breast cancer. Rheumatoid arthritis treated with methotrexate 20 mg weekly since 2019."
    assert _outcome(text, "Exclusion", "Ongoing immunosuppressive therapy.") == Outcome.VIOLATED


@pytest.mark.parametrize(
    "text",
    [
        "Osteosarcoma of the femur treated with high-dose methotrexate in 2015.",
        "Breast cancer in a patient with lupus, treated with paclitaxel.",
        "Follicular lymphoma, rituximab maintenance since 2024.",
        "Rheumatoid arthritis. Metastatic breast cancer treated with capecitabine.",
    ],
)
def test_a_drug_for_the_cancer_stays_anticancer(text: str) -> None:
    facts = [f for f in extract(text, "n1", "note").facts if f.kind == "treatment"]
    assert facts and all(f.attributes.get("anticancer") is None for f in facts)


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic RCC, no systemic therapy so far. Psoriatic arthritis on methotrexate 15 mg/week since 2023.",
        "Stage IV NSCLC, untreated. Rheumatoid arthritis treated with rituximab in 2025.",
    ],
)
def test_a_line_in_general_words_may_mean_the_drug_for_another_indication(text: str) -> None:
    # "systemic treatment" for an autoimmune disease: the drug given for it may be the one the line names
    line = "Active autoimmune disease that has required systemic treatment in the past 2 years."
    assert _outcome(text, "Exclusion", line) == Outcome.UNKNOWN


def test_a_condition_since_a_year_is_ongoing() -> None:
    facts = extract("Breast cancer. Psoriatic arthritis on methotrexate since 2019.", "n1", "note").facts
    (arthritis,) = [f for f in facts if f.kind == "comorbidity"]
    assert arthritis.when is None
