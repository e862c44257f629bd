"""Two structures of a note that are not the patient's history, whatever their punctuation (verdicts35, found by
`benchmarks.audit_note_variants2`): a section heading closed by a spaced dash ("Plan - start pembrolizumab") opens
its scope like "Plan:", and a copy line ("cc: Mrs Roe, 81, ECOG 3") speaks of its addressees, not of the patient.
Every wording was written for this test; the near-misses stay the patient's."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract

HEAD = "Thoracic clinic 02/11/2026. 63 y/o M, lung adenocarcinoma stage IV. ECOG 1. Creatinine 80 umol/L.\n"


def _given(text: str) -> set[str]:
    return {f.code or "" for f in extract(text, "n", "note").facts if f.kind == "treatment" and not f.negated}


def _value(text: str, kind: str) -> set[object]:
    return {f.value for f in extract(text, "n", "note").facts if f.kind == kind}


@pytest.mark.parametrize(
    "line",
    [
        "Plan - start pembrolizumab next week.",
        "Plan -- pembrolizumab 200 mg q3w from C1D1.",
        "PLAN \u2013 pembrolizumab once the bloods are back.",
        "Recommendation \u2014 pembrolizumab monotherapy.",
        "MDT decision - pembrolizumab (PD-L1 80%).",
        "Treatment options - pembrolizumab or a trial.",
    ],
)
def test_a_heading_closed_by_a_spaced_dash_is_a_heading(line: str) -> None:
    assert "pembrolizumab" not in _given(HEAD + line)


@pytest.mark.parametrize(
    "line",
    [
        "Allergies - carboplatin (anaphylaxis 2021).",
        "Allergy \u2013 carboplatin, hives.",
        "Drug allergies -- carboplatin.",
    ],
)
def test_an_allergy_heading_with_a_dash_names_no_treatment(line: str) -> None:
    assert "carboplatin" not in _given(HEAD + line)


@pytest.mark.parametrize(
    "line",
    [
        "Plan-free interval after pembrolizumab 2024-2025.",  # no spaced dash: no heading
        "Pembrolizumab - 35 cycles 2023-2025, stopped for toxicity.",  # a drug, not a heading word
        "Prior therapy - pembrolizumab 2024-2025.",  # a history heading
        "Seen with the plan team. Tx hx - pembrolizumab x12.",
    ],
)
def test_near_misses_of_a_dash_heading_stay_history(line: str) -> None:
    assert "pembrolizumab" in _given(HEAD + line)


@pytest.mark.parametrize(
    "line",
    [
        "cc: Mrs Jane Roe, 81, ECOG 3, creatinine 300 umol/L.",
        "CC: Dr Paul Henry (GP), his other patient on ECOG 3 - creatinine 300 umol/L",
        "Copy to: Mr Alan Roe (brother, 70), ECOG 3 after his stroke; creatinine 300 umol/L.",
        "c.c. Prof. Duval; the GP (ECOG 3 at his own last visit, creatinine 300 umol/L)",
        "Copies to the GP and to Mme DURAND Anne (ECOG 3), creatinine 300 umol/L",
    ],
)
def test_a_copy_line_says_nothing_of_the_patient(line: str) -> None:
    text = HEAD + line
    assert _value(text, "ecog") == {1}
    assert {round(float(str(v)), 2) for v in _value(text, "lab")} <= {0.9}  # 80 umol/L, the patient's


@pytest.mark.parametrize(
    "line",
    [
        "CC: dyspnoea for 3 weeks, ECOG 3.",  # a US chief complaint: the patient's
        "Copy number gain of MET; ECOG 3.",
        "Discussed in clinic. ECOG 3 today, cc to follow.",
    ],
)
def test_near_misses_of_a_copy_line_are_the_patient(line: str) -> None:
    assert 3 in _value(HEAD + line, "ecog")


@pytest.mark.parametrize(
    "line",
    [
        "cc: Mrs Jane Roe, 81 y/o, for her own follow-up; she asked for her results.",
        "Copy to Mme ROE Jeanne (wife, 79 years old), who drives her husband to clinic.",
        "CC: Dr Ada Lim, 45, she will see him at home.",
    ],
)
def test_a_copy_line_gives_neither_age_nor_sex(line: str) -> None:
    p = extract(
        "Clinic 01/11/2026. Mr Karl Roe, metastatic prostate cancer. He is on enzalutamide.\n" + line,
        "n",
        "note",
    )
    assert p.sex == "MALE"
    assert p.age_years is None


def test_a_copy_line_ends_with_its_sentence() -> None:
    text = "Clinic 01/11/2026.\ncc: Mrs J. Brown (GP). Next: ECOG 2 today, his PSA rises on enzalutamide."
    assert _value(text, "ecog") == {2}
    assert extract(text, "n", "note").sex == "MALE"


@pytest.mark.parametrize(
    "line",
    [
        "Allergy: codeine. Non-smoker. PMH: hypertension; pembrolizumab 2023-2024.",
        "Plan: restart letrozole. Prior therapy: pembrolizumab x12, stopped 2024.",
        "Allergies - sulfa (rash). Tx hx: pembrolizumab 2022-2023 then PD.",
        "Recommendation: best supportive care! Oncological history: pembrolizumab 2021.",
        "Family history: mother with breast cancer. Treatment history: pembrolizumab 2023.",
    ],
)
def test_a_heading_on_the_line_ends_at_the_next_heading(line: str) -> None:
    assert "pembrolizumab" in _given(HEAD + line)


@pytest.mark.parametrize(
    "line",
    [
        "Plan: start pembrolizumab. Then review at 14:00 with the scan.",  # a time, no heading
        "Plan: start pembrolizumab. Review 3 weeks: pembrolizumab C2.",  # no capitalised label before the colon
        "Allergies: penicillin; pembrolizumab: rash 2024.",  # a drug, no sentence end before it
    ],
)
def test_near_misses_of_the_next_heading_keep_the_scope(line: str) -> None:
    assert "pembrolizumab" not in _given(HEAD + line)
