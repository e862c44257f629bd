"""A head noun qualified by its purpose (verdicts30, criteria/therapy_purpose.py), on wordings written for
it: in "a vaccine for cancer immunotherapy", "cells given as immunotherapy", "surgery for placement of a
chemotherapy port", the therapy after "for / as" is what the received thing was for, not a therapy the
patient received: a checkpoint inhibitor does not violate it. The head noun stays when it is read
(radiotherapy, surgery); a drug or antibody head keeps its purpose as its class; a therapy named for itself
elsewhere in the line is kept."""

from __future__ import annotations

import pytest

from oncofed.domain import Atom, Fact
from tests.verdict_cases import SRC, parse, profile, read_line


def therapies(exclusion: str) -> set[str]:
    atoms: list[Atom] = [a for c in parse("Breast cancer", exclusion) for a in c.atoms]
    return {str(a.code) for a in atoms if a.kind == "prior_therapy"}


@pytest.mark.parametrize(
    "line",
    [
        "Prior receipt of a peptide vaccine for cancer immunotherapy",
        "Previous dendritic cell vaccine used as immunotherapy for breast cancer",
        "Any vaccination given for the purpose of cancer immunotherapy",
        "Prior oncolytic virus administered as tumour immunotherapy",
        "Prior CAR-T cell therapy products used for immunotherapy",
    ],
)
def test_a_purpose_is_not_the_therapy_received(line: str) -> None:
    assert "immune checkpoint inhibitor" not in therapies(line), line
    pembrolizumab = profile(
        Fact("treatment", "pembrolizumab", provenance=SRC, attributes={"class": "anti-PD-1"}), name="pembro"
    )
    assert read_line("Exclusion", line, pembrolizumab) != "excluded", line


@pytest.mark.parametrize(
    ("line", "kept", "dropped"),
    [
        ("Prior surgery for placement of a chemotherapy port within 7 days", "surgery", "chemotherapy"),
        ("Radiotherapy given as immunotherapy priming", "radiotherapy", "immune checkpoint inhibitor"),
    ],
)
def test_the_head_noun_stays_when_read(line: str, kept: str, dropped: str) -> None:
    found = therapies(line)
    assert kept in found and dropped not in found, (line, found)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        (
            "Prior treatment with an antibody intended for immune checkpoint blockade",
            "immune checkpoint inhibitor",
        ),
        ("Prior radiotherapy for bone pain, or any prior immunotherapy", "immune checkpoint inhibitor"),
        ("Prior chemotherapy for metastatic disease", "chemotherapy"),
        ("Prior immunotherapy", "immune checkpoint inhibitor"),
    ],
)
def test_a_therapy_named_for_itself_stays(line: str, kept: str) -> None:
    assert kept in therapies(line), line


def test_a_french_purpose() -> None:
    from oncofed.criteria import parse_eligibility

    criteria = parse_eligibility(
        "Critères d'exclusion :\n- Vaccin peptidique utilisé comme immunothérapie"
    ).criteria
    assert not [a for c in criteria for a in c.atoms if a.code == "immune checkpoint inhibitor"]
