"""A treatment named only as the subject of a study to discuss or consider is no treatment given (issue 23
review: "to discuss the epacadostat/pembrolizumab study" was read as pembrolizumab received)."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes.facts import extract


def _kinds(text: str, code: str) -> list[tuple[str, str | None]]:
    return [
        (f.kind, f.attributes.get("scope"))
        for f in extract(text, "n1", "note").facts
        if f.code == code and f.kind in ("treatment", "note_mention")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Metastatic NSCLC. To discuss the epacadostat/pembrolizumab study with the patient.",
        "Metastatic NSCLC. Will discuss the pembrolizumab study at tumour board.",
        "Metastatic NSCLC. We will consider the KEYNOTE study of pembrolizumab.",
        "Metastatic NSCLC, PD-L1 80%; to consider pembrolizumab.",
    ],
)
def test_a_study_to_discuss_or_consider_is_a_plan(text: str) -> None:
    assert _kinds(text, "pembrolizumab") == [("note_mention", "plan")]


def test_a_treatment_received_stays_received() -> None:
    text = "Metastatic NSCLC, received pembrolizumab x 4 cycles; will discuss next steps."
    assert ("treatment", None) in _kinds(text, "pembrolizumab")
    text = "Received pembrolizumab 2023. We will consider the KEYNOTE study of pembrolizumab."
    assert sorted(_kinds(text, "pembrolizumab"), key=str) == [("note_mention", "plan"), ("treatment", None)]
