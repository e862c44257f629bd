"""verdicts38: a chain of three or more cancer names sharing one noun reads every conjunct ("prostate or lung or
breast cancer" lost the prostate: the words before the last two were taken for words they share). Found by
`benchmarks.audit_templates --rewrite or-chain`; wordings written for these tests."""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility


def _cancers(line: str, section: str = "Inclusion") -> set[str]:
    parsed = parse_eligibility(f"{section} Criteria:\n- {line}\n")
    return {a.code or "" for c in parsed.criteria for a in c.atoms if a.kind == "cancer_type"}


CHAINS = [
    ("Diagnosis of prostate or lung or breast cancer", "Inclusion", {"PRAD", "LUNG", "BRCA"}),
    ("History of breast and/or prostate and/or colorectal cancer", "Inclusion", {"BRCA", "PRAD", "COADREAD"}),
    ("Prior prostate or lung or breast cancer", "Exclusion", {"PRAD", "LUNG", "BRCA"}),
    ("Women with ovarian or endometrial or cervical cancer", "Inclusion", {"OVT", "UCEC", "CESC"}),
    (
        "Overdue for breast or cervical or colorectal cancer screening",
        "Inclusion",
        {"BRCA", "CESC", "COADREAD"},
    ),
]


@pytest.mark.parametrize(("line", "section", "expected"), CHAINS)
def test_every_conjunct_of_a_chain_is_read(line: str, section: str, expected: set[str]) -> None:
    assert expected <= _cancers(line, section)


NEAR_MISSES = [
    ("Diagnosis of breast or lung cancer", {"BRCA", "LUNG"}),  # two conjuncts: as before
    ("Locally advanced or metastatic or recurrent breast cancer", {"BRCA"}),  # settings, not cancers
    ("Stage II or III or IV breast cancer", {"BRCA"}),
    ("No prior or concurrent or recurrent cancer", set()),
]


@pytest.mark.parametrize(("line", "expected"), NEAR_MISSES)
def test_qualifiers_in_a_chain_are_no_cancers(line: str, expected: set[str]) -> None:
    assert _cancers(line) == expected
