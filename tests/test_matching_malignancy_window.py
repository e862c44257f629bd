"""An "other malignancy" line's window, however the line says it: "within the past 5 years" and also from
the other side ("unless disease-free for at least 5 years", "in complete remission for > 3 years",
"treated with curative intent more than 5 years ago", "diagnosed less than 2 years before"). Read without
its window, such a line excluded a patient whose other cancer was cured long ago (an eligible patient of a
held-out set, once verdicts27 read past cancers as prior malignancies). Wordings written here."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.ingest.patients.notes import extract
from oncofed.matching.atoms import prior_malignancy
from oncofed.matching.facts import PatientView

DAY = date(2026, 12, 1)
LINES = {
    "Another invasive malignancy unless disease-free for at least 5 years": 5,
    "History of a second cancer, unless in complete remission for > 3 years": 3,
    "Previous cancer of another site, except when treated with curative intent more than 5 years ago": 5,
    "Any other malignant tumour diagnosed less than 2 years before registration": 2,
    "Prior malignancy, except patients free of disease for 4 years or more": 4,
    "Other malignancy during the last 3 years": 3,
    "History of other malignancy with no evidence of disease for at least 6 years is not an exclusion": 6,
}


def _atom(line: str):  # type: ignore[no-untyped-def]
    return next(a for a in parse_eligibility(f"Exclusion criteria:\n- {line}").criteria[0].atoms
                if a.kind == "prior_malignancy")  # fmt: skip


@pytest.mark.parametrize("line", [k for k in LINES if "not an exclusion" not in k])
def test_the_window_is_read_whichever_side_the_line_says_it_from(line: str) -> None:
    assert _atom(line).window_days == LINES[line] * 365


def _holds(line: str, history: str) -> bool | None:
    note = f"Right breast invasive ductal carcinoma diagnosed 03/2026, stage IIA.\n{history}"
    return prior_malignancy(_atom(line), PatientView.of(extract(note, "n", "n")), DAY).holds


@pytest.mark.parametrize("line", [k for k in LINES if "not an exclusion" not in k])
@pytest.mark.parametrize(
    "history",
    [
        "Antecedents: papillary thyroid carcinoma 2011 (thyroidectomy), in remission.",
        "PMH: colon adenocarcinoma 2009, right hemicolectomy, no recurrence.",
        "Past history: Hodgkin lymphoma in 2004 (ABVD x6), cured.",
    ],
)
def test_a_cancer_cured_long_ago_does_not_exclude(line: str, history: str) -> None:
    assert _holds(line, history) is False


@pytest.mark.parametrize("line", [k for k in LINES if "not an exclusion" not in k])
def test_a_recent_other_cancer_still_excludes(line: str) -> None:
    assert _holds(line, "Antecedents: renal cell carcinoma 11/2025 (partial nephrectomy).") is True
