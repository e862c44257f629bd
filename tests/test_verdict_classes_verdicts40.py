"""verdicts40: classes of verdicts-blind13's readable folds, each tested on wordings written for it, with near-misses.

1. An exclusion written as an absence ("No unstable angina pectoris", "Not pregnant or nursing", "No patients with
   ... (e.g., unstable angina, myocardial infarction ...)") keeps the condition out; read as written, the absence
   excluded every patient whose record says "no angina", every man (criteria/exclusion_absence.py).
2. The PDQ template's therapy sub-headings written without their colon ("Chemotherapy", "Endocrine therapy",
   "Surgery", each followed by its lines) and cross-references ("See Chemotherapy") state nothing; they were read
   "prior X required" (criteria/sub_headings.py `no_statement_lines`).
3. "ECOG performance status =< 1" is "<= 1": the NCI's "=<" lost its "=" and was read "< 1" (criteria/extract.py).
4. A surgery named by the organ it removes ("resection of the stomach or small bowel", "gastric bypass surgery") is
   a surgery of that organ: a mastectomy is not it (criteria/organ_targets.py, matching/therapy_site.py).
5. The template's verbless permission ("Stable brain metastases allowed", "Alopecia or neuropathy allowed") is no
   requirement (criteria/conditions.py `_BARE_PERMIT`).
6. Notes: "Allergies: none known" / "NKDA" / "nil reported" is no allergy (notes/negated_after.py); "Proposition:"
   heads a plan, as "Proposal:" does (vocab/notes_scopes.yaml).
"""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Fact, PatientProfile
from oncofed.ingest.patients.notes import extract
from tests.verdict_cases import SRC, parse, profile, read_line, same_everywhere


def note(text: str) -> PatientProfile:
    return extract(text, "n40", "test")


# --- 1. an exclusion written as an absence ----------------------------------------------------------------------

FREE = note(
    "Mrs Lys, 61, metastatic breast cancer, ECOG 1. No angina, stroke, TIA or heart attack. No known allergies."
)
RECENT_MI = profile(
    Fact("comorbidity", "myocardial_infarction", when=date(2026, 10, 1), provenance=SRC), name="mi"
)
MAN = PatientProfile(id="man", centre_id="c", birth_date=date(1960, 1, 1), sex="MALE", primary_cancer="PRAD")

ABSENCES = [
    "No patients with clinically significant uncontrolled medical conditions (e.g., unstable angina, myocardial "
    "infarction, transient ischemic attack [TIA], or cerebral vascular accident [CVA]) within past 3 months",
    "No myocardial infarction or stroke within the past 6 months",
    "No history of myocardial infarction (MI), stroke or transient ischemic attacks in the last 6 months",
    "No history of cerebrovascular accident within six months of study entry.",
]


@pytest.mark.parametrize("line", ABSENCES)
def test_an_exclusion_written_as_an_absence_keeps_the_condition_out(line: str) -> None:
    assert read_line("Exclusion", line, FREE) == "eligible", line
    if "infarction" in line or "MI" in line:
        assert read_line("Exclusion", line, RECENT_MI) == "excluded", line
    same_everywhere(parse("Breast cancer", line), [FREE, RECENT_MI])


def test_not_pregnant_among_the_exclusions_keeps_pregnancy_out() -> None:
    pregnant = profile(Fact("pregnancy", None, provenance=SRC), name="pregnant")
    assert read_line("Exclusion", "Not pregnant or nursing", MAN) == "eligible"
    assert read_line("Exclusion", "Not pregnant or nursing", pregnant) == "excluded"


@pytest.mark.parametrize(
    ("line", "negated"),
    [  # near-misses: an absence that may exclude (disease, documentation), a population of a therapy line
        ("No measurable disease (including bone only, pleural effusions, etc.)", True),
        ("No distant metastasis", True),
        ("No concurrent combination antiretroviral therapy for HIV-positive patients", True),
        ("Unstable angina pectoris", False),
    ],
)
def test_near_misses_other_absences_keep_their_reading(line: str, negated: bool) -> None:
    (c,) = parse_eligibility(f"Exclusion criteria:\n- {line}").criteria
    statement = [a for a in c.atoms if a.kind != "non_evaluable"]
    assert statement and all(a.negated is negated for a in statement), (line, statement)


# --- 2. PDQ therapy sub-headings -----------------------------------------------------------------------------

PDQ = """Inclusion Criteria:

DISEASE CHARACTERISTICS:
- Recurrent ovarian cancer
PRIOR CONCURRENT THERAPY:
- Biologic therapy
- Not specified
- Chemotherapy
- Recovered from prior chemotherapy
- Endocrine therapy
- See Chemotherapy
- Radiotherapy
- At least 3 weeks since prior radiotherapy
- Surgery
- Not specified
"""


def test_pdq_therapy_sub_headings_state_nothing() -> None:
    read = {c.text.strip("- ").strip(): c.atoms for c in parse_eligibility(PDQ).criteria}
    for heading in ("Chemotherapy", "Endocrine therapy", "See Chemotherapy", "Radiotherapy", "Surgery"):
        assert read[heading] == (), (heading, read[heading])
    assert read["At least 3 weeks since prior radiotherapy"], "the lines under a heading are still read"
    naive = note(
        "Ms Ray, 58, recurrent ovarian cancer. No steroids, no hormone therapy. Carboplatin in 2024."
    )
    criteria = parse_eligibility(PDQ).criteria
    same_everywhere(criteria, [naive])


def test_near_miss_a_list_of_therapies_keeps_its_readings() -> None:
    text = (
        "Inclusion Criteria:\n- No other concurrent antineoplastic therapy, including any of the following:\n"
        "- Radiotherapy\n- Chemotherapy\n- Immunotherapy\n"
    )
    read = {c.text.strip("- ").strip(): c.atoms for c in parse_eligibility(text).criteria}
    assert read["Radiotherapy"] and read["Chemotherapy"]


# --- 3. "=<" after a performance scale ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "limit"),
    [
        ("Eastern Cooperative Oncology Group (ECOG) performance status =< 1 (Karnofsky >= 70%)", 1),
        ("ECOG performance status of =< 2", 2),
        ("Patients must have an ECOG performance status =< 2", 2),
        ("ECOG performance status < 2", 1),  # near-miss: a strict bound stays strict
        ("ECOG PS <= 1", 1),
    ],
)
def test_an_nci_at_most_is_not_strict(line: str, limit: int) -> None:
    (c,) = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    (ecog,) = [a for a in c.atoms if a.kind == "ecog"]
    assert (ecog.operator, ecog.value) == ("<=", limit), line


# --- 4. a surgery named by its organ -------------------------------------------------------------------------------


def operated(code: str, name: str) -> PatientProfile:
    return profile(Fact("treatment", code, provenance=SRC, attributes={"class": "surgery"}), name=name)


MASTECTOMY, GASTRECTOMY, COLECTOMY = (
    operated("mastectomy", "m"),
    operated("gastrectomy", "g"),
    operated("colectomy", "c"),
)
SURGERY = operated("surgery", "s")
ORGAN_LINES = [
    "Major resection of the stomach or small bowel.",
    "Prior gastric bypass surgery",
    "Previous small bowel resection",
]


@pytest.mark.parametrize("line", ORGAN_LINES)
def test_a_surgery_named_by_its_organ_is_not_any_surgery(line: str) -> None:
    assert read_line("Exclusion", line, MASTECTOMY) == "eligible", line
    assert read_line("Exclusion", line, SURGERY) == "unknown", line
    same_everywhere(parse("Breast cancer", line), [MASTECTOMY, GASTRECTOMY, SURGERY])


def test_a_surgery_of_the_organ_named_is_it() -> None:
    assert read_line("Exclusion", "Major resection of the stomach or small bowel.", GASTRECTOMY) == "excluded"
    line = (
        "No history of gastrointestinal disease causing malabsorption or obstruction such as but not limited to "
        "Crohn's disease, gastric bypass surgery, strictures, bowel obstruction, or extensive small bowel resection"
    )
    assert read_line("Inclusion", line, COLECTOMY) != "excluded"


def test_near_miss_a_surgery_without_its_organ_is_any_surgery() -> None:
    assert (
        read_line("Exclusion", "Prior surgery within 4 weeks or resection of the stomach", MASTECTOMY)
        != "eligible"
    )
    assert read_line("Exclusion", "Prior surgery", MASTECTOMY) == "excluded"


# --- 5. the verbless permission ------------------------------------------------------------------------------------

NO_BRAIN = profile(Fact("brain_metastases", None, negated=True, provenance=SRC), name="no-brain")
CHEMO_NOW = profile(
    Fact("treatment", "paclitaxel", provenance=SRC, attributes={"class": "taxane", "status": "current"}),
    name="now",
)


@pytest.mark.parametrize(
    "line",
    [
        "Stable brain metastases allowed",
        "Alopecia or neuropathy allowed",
        "Inflammatory breast cancer allowed",
    ],
)
def test_a_verbless_permission_is_no_requirement(line: str) -> None:
    (c,) = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    assert all(a.kind == "permission" for a in c.atoms), (line, c.atoms)
    assert read_line("Inclusion", line, NO_BRAIN) == "eligible", line


@pytest.mark.parametrize(
    "line", ["No other concurrent chemotherapy allowed", "Concurrent chemotherapy not allowed"]
)
def test_near_miss_a_prohibition_ending_allowed_still_excludes(line: str) -> None:
    (c,) = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    assert any(a.kind == "prior_therapy" and a.negated for a in c.atoms), (line, c.atoms)


# --- 6. notes: no allergy, a proposition ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Creatinine 0.8 mg/dL. Allergies: none known.",
        "Allergies: NKDA.",
        "Allergy: nil reported.",
        "Allergies: none",
    ],
)
def test_no_known_allergy_is_no_allergy(text: str) -> None:
    allergies = [f for f in note(text).facts if f.code == "hypersensitivity"]
    assert allergies and all(f.negated for f in allergies), (text, allergies)


@pytest.mark.parametrize(
    ("text", "negated"),
    [("Allergies: penicillin (rash).", False), ("Diabetes: no known complications.", False)],
)
def test_near_misses_a_named_allergy_or_a_complication_denied(text: str, negated: bool) -> None:
    found = [f for f in note(text).facts if f.kind == "comorbidity"]
    assert found and all(f.negated is negated for f in found), (text, found)


def test_a_proposition_is_a_plan_not_a_treatment_received() -> None:
    text = (
        "Mrs Orne, 48, inflammatory breast cancer, untreated. "
        "Proposition: neoadjuvant chemotherapy with pembrolizumab within the trial, after the RCP."
    )
    p = note(text)
    assert not [f for f in p.facts if f.kind == "treatment"], p.facts
    line = "Has received prior therapy with an anti-PD-1, anti-PD-L1, or anti PD L2 agent"
    assert read_line("Exclusion", line, p) != "excluded"


# --- 7. "concurrent" over a list, a therapy that frames another -----------------------------------------------------

PAST_RT = profile(
    Fact(
        "treatment", "radiotherapy", provenance=SRC, attributes={"class": "radiotherapy", "end": "2024-06-01"}
    ),
    Fact("treatment", "carboplatin", provenance=SRC, attributes={"class": "platinum", "end": "2024-09-30"}),
    name="past",
)


@pytest.mark.parametrize(
    "line",
    [
        "No other concurrent anticancer therapy, including chemotherapy, radiotherapy, immunotherapy, or hormonal therapy",
        "No other concurrent anti-neoplastic therapy, including chemotherapy or radiotherapy",
        "No concurrent cytarabine, fluorouracil, liposomal daunorubicin, or capecitabine",
    ],
)
def test_concurrent_reaches_every_item_of_its_list(line: str) -> None:
    (c,) = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    therapies = [a for a in c.atoms if a.kind == "prior_therapy"]
    assert len(therapies) >= 2 and all(a.attributes.get("current") for a in therapies), (line, therapies)
    assert read_line("Inclusion", line, PAST_RT) != "excluded", line


def test_a_therapy_framing_another_is_no_statement() -> None:
    line = "No concurrent pre-medication with corticosteroids as part of the chemotherapy regimen"
    (c,) = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    assert [a.code for a in c.atoms if a.kind == "prior_therapy"] == ["corticosteroid"]
    assert (
        read_line("Inclusion", line, PAST_RT) != "excluded"
    )  # steroids unrecorded: unknown, never the carboplatin


def test_near_miss_a_prior_therapy_after_the_list_stays_ever() -> None:
    (c,) = parse_eligibility("Inclusion criteria:\n- No concurrent steroids; no prior radiotherapy").criteria
    (rt,) = [a for a in c.atoms if a.code == "radiotherapy"]
    assert not rt.attributes.get("current")
    assert read_line("Inclusion", "No concurrent steroids; no prior radiotherapy", PAST_RT) == "excluded"


def test_near_miss_a_limit_phrased_as_allowed_keeps_its_limit() -> None:
    line = "Up to 2 prior chemotherapy regimens for metastatic disease allowed"
    (c,) = parse_eligibility(f"Inclusion criteria:\n- {line}").criteria
    assert any(a.kind == "prior_lines" for a in c.atoms), c.atoms
