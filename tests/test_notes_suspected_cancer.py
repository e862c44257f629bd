"""A suspected cancer the biopsy replaced is no diagnosis (fourteenth pass): "Suspected X; biopsy showed Y"
makes Y the primary, and X is no other malignancy of the patient's history; wordings written for the class,
English and French (notes/suspected.py). Fails on the reader before it (X was the primary)."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes.french import extract


def _read(text: str) -> tuple[str | None, list[object]]:
    p = extract(text, "n1", "note")
    others = [
        f.attributes.get("cancer")
        for f in p.facts
        if f.kind == "comorbidity" and f.code == "prior_malignancy"
    ]
    return p.primary_cancer, others


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Suspected lung cancer; CT-guided biopsy showed a diffuse large B-cell lymphoma.", "DLBCLNOS"),
        ("Referred for suspected pancreatic cancer. EUS biopsy revealed a cholangiocarcinoma.", "CHOL"),
        ("Presumed ovarian cancer on imaging. Final diagnosis: colorectal adenocarcinoma.", "COADREAD"),
        ("Query breast cancer on the mammogram. Biopsy: metastatic melanoma.", "MEL"),
        (
            "Concern for renal cancer. Pathology from the nephrectomy demonstrated a urothelial carcinoma.",
            "UC",
        ),
        (
            "Suspicion de cancer du poumon ; la biopsie a montré un lymphome B diffus à grandes cellules.",
            "DLBCLNOS",
        ),
        ("Suspicion de cancer du pancréas. La biopsie retrouve un cholangiocarcinome.", "CHOL"),
        ("Probable cancer de l'ovaire. La biopsie met en évidence un adénocarcinome colorectal.", "COADREAD"),
    ],
)
def test_the_biopsy_s_cancer_is_the_diagnosis(text: str, code: str) -> None:
    primary, others = _read(text)
    assert primary is not None and (primary == code or code in _lineage(primary))
    assert others == []


def _lineage(code: str) -> list[str]:
    from oncofed.criteria.vocab import oncotree_ancestors

    return [code, *oncotree_ancestors(code)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Suspected lung cancer, biopsy pending.", "LUNG"),  # nothing confirmed: the suspicion is all
        (
            "Lung adenocarcinoma. Biopsy of a skin lesion showed a basal cell carcinoma.",
            "LUAD",
        ),  # no suspicion
    ],
)
def test_without_a_suspicion_replaced_the_reading_stays(text: str, code: str) -> None:
    assert _read(text)[0] == code
