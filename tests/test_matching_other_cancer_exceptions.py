"""An "other malignancy" exclusion's carve-outs ("except basal cell carcinoma or carcinoma in situ") are
matched as whole words of the recorded cancer's name: the letters "cin" of "carcinoma" made every carcinoma
an exception when "in situ" is one (a past thyroid carcinoma did not exclude). Wordings written here."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.ingest.patients.notes import extract
from oncofed.matching.atoms import prior_malignancy
from oncofed.matching.facts import PatientView

DAY = date(2026, 12, 1)
LINE = "Exclusion criteria:\n- Another malignancy, except basal cell carcinoma of the skin or carcinoma in situ of the cervix"


def _other_cancer(history: str) -> bool | None:
    atom = parse_eligibility(LINE).criteria[0].atoms[0]
    view = PatientView.of(extract(f"Left breast invasive ductal carcinoma, stage IIA.\n{history}", "n", "n"))
    return prior_malignancy(atom, view, DAY).holds


@pytest.mark.parametrize(
    "history",
    [
        "Antecedents: papillary thyroid carcinoma 2022 (thyroidectomy).",
        "PMH: renal cell carcinoma 2021, nephrectomy.",
        "Past history: colon adenocarcinoma 2020 (right hemicolectomy).",
        "ATCD: hepatocellular carcinoma 2023, radiofrequency ablation.",
        "History: high-grade serous ovarian carcinoma 2019 (debulking surgery).",
        "Antecedents: urothelial carcinoma of the bladder 2022 (TURBT).",
    ],
)
def test_a_carcinoma_outside_the_carve_outs_is_another_malignancy(history: str) -> None:
    assert _other_cancer(history) is True


@pytest.mark.parametrize(
    "history",
    [
        "Antecedents: basal cell carcinoma of the nose 2021, excised.",
        "PMH: cervical carcinoma in situ 2018 (conisation).",
    ],
)
def test_the_carve_outs_stay_exceptions(history: str) -> None:
    assert _other_cancer(history) is False
