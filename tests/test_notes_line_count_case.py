"""A list of treatment lines counts the same whatever the case of its "and" (verdicts35; `benchmarks.audit_note_variants
--rewrite connectives` showed two dev notes losing a line under "AND"). Wordings written here; the near-misses are a
combination given as one line ("carboplatin AND paclitaxel") and "and/or", which must not count as more lines."""

from __future__ import annotations

import pytest

from oncofed.ingest.patients.notes import extract

HEAD = "Clinic 01/11/2026. 60 y/o F, metastatic breast cancer.\n"


def _lines(line: str) -> list[object]:
    return [f.value for f in extract(HEAD + line, "n", "note").facts if f.kind == "prior_lines"]


@pytest.mark.parametrize(
    "line",
    [
        "1L doxorubicin -> PD 2022; then gemcitabine/docetaxel, ifosfamide {conj} dacarbazine -> PD 02/2024.",
        "1L letrozole + palbociclib -> PD; then capecitabine, paclitaxel, eribulin {conj} vinorelbine -> PD.",
        "1L FOLFOX -> PD; then FOLFIRI, regorafenib {conj} trifluridine/tipiracil, all PD.",
        "First line anastrozole -> PD; then fulvestrant, capecitabine {conj} eribulin (each PD).",
        "1L nivolumab -> PD; afterwards sunitinib, axitinib, everolimus {conj} cabozantinib -> PD.",
    ],
)
@pytest.mark.parametrize("word", ["AND", "And"])
def test_the_case_of_and_does_not_change_the_count(line: str, word: str) -> None:
    assert _lines(line.format(conj=word)) == _lines(line.format(conj="and")) != []


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("1L carboplatin AND paclitaxel -> PD; then docetaxel.", 2),
        ("1L carboplatin and paclitaxel -> PD; then docetaxel.", 2),
        (
            "1L FOLFOX -> PD; then FOLFIRI -> PD; then regorafenib AND/OR trifluridine/tipiracil considered.",
            3,
        ),
    ],
)
def test_a_combination_is_one_line(line: str, count: int) -> None:
    assert _lines(line) == [count]
