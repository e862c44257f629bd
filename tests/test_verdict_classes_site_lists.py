"""A list of metastatic sites keeps every item (verdicts32, criteria/metastatic_sites.py), on wordings
written for it: "liver, lung or bone metastases" read only the site next to the head noun. Every site of the
list is an atom; "or" / "and/or" make them alternatives, "and" a conjunction; a list with a site the
vocabulary does not know is not completed by guessing; a condition's alternatives hold when one does."""

from __future__ import annotations

import pytest

from oncofed.domain import Atom, Fact
from tests.verdict_cases import SRC, parse, profile, read_line
from tests.verdict_cases_fr import read_french

SITE_KINDS = ("metastasis", "brain_metastases", "leptomeningeal_disease")


def sites(exclusion: str) -> list[Atom]:
    return [a for c in parse("Breast cancer", exclusion) for a in c.atoms if a.kind in SITE_KINDS]


def names(atoms: list[Atom]) -> set[str]:
    return {str(a.code) if a.kind == "metastasis" else a.kind for a in atoms}


def mets(*codes: str) -> list[Fact]:
    return [Fact("metastasis", c, provenance=SRC) for c in codes]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Lung, liver or bone metastases", {"lung", "liver", "bone"}),
        ("Known hepatic, pulmonary, or osseous metastases", {"liver", "lung", "bone"}),
        ("Patients with metastases to the lungs, liver and/or bones", {"lung", "liver", "bone"}),
        ("Metastatic disease involving bone or lung (see below)", set()),  # no list before a head: unchanged
        ("Presence of liver/lung metastases", {"liver", "lung"}),
        ("Any bone or nodal metastases", {"bone", "lymph_node"}),
        ("Skeletal or lymph node metastases at diagnosis", {"bone", "lymph_node"}),
        ("Brain or leptomeningeal metastases", {"brain_metastases", "leptomeningeal_disease"}),
        ("CNS, liver or peritoneal metastases", {"brain_metastases", "liver", "peritoneum"}),
    ],
)
def test_every_alternative_site_is_read_in_one_group(line: str, expected: set[str]) -> None:
    atoms = sites(line)
    assert expected <= names(atoms), (line, names(atoms))
    if expected:
        groups = {
            a.attributes.get("group") for a in atoms if (a.code or a.kind) in expected or a.kind in expected
        }
        assert len(groups) == 1 and None not in groups, (line, atoms)


@pytest.mark.parametrize(
    "line",
    [
        "Liver, lung or bone metastases",
        "Metastases to the bone, lung and/or liver",
        "Osseous, pulmonary or hepatic metastases",
        "Lung or bone metastases (any number)",
        "Patients with hepatic or pulmonary metastases are excluded",
    ],
)
def test_a_middle_or_first_site_excludes(line: str) -> None:
    """A patient with lung metastases only: on the old code only the last site was read."""
    assert read_line("Exclusion", line, profile(*mets("lung"), name="lung")) == "excluded", line
    assert read_line("Exclusion", line, profile(*mets("lymph_node"), name="node")) != "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        "Métastases hépatiques, pulmonaires ou osseuses",
        "Métastases pulmonaires ou osseuses connues",
        "Présence de métastases osseuses, pulmonaires ou hépatiques",
    ],
)
def test_a_french_list_keeps_its_connective(line: str) -> None:
    """ "ou" stays alternatives (the rewrite said "and": a patient with lung metastases only was not excluded)."""
    assert read_french("Exclusion", line, profile(*mets("lung"), name="lung-fr")) == "excluded", line
    assert read_french("Exclusion", line, profile(*mets("lymph_node"), name="node-fr")) != "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        "Known liver, lung and bone metastases",
        "Metastases to the liver and lungs",
        "Pulmonary and osseous metastases",
    ],
)
def test_and_is_a_conjunction(line: str) -> None:
    atoms = [a for a in sites(line) if a.kind == "metastasis"]
    assert len(atoms) >= 2 and all(a.attributes.get("group") is None for a in atoms), (line, atoms)
    assert read_line("Exclusion", line, profile(*mets("lung"), name="lung-only")) != "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        # (adrenal, soft tissue, pleura and skin are sites since verdicts34: sites the vocabulary still lacks)
        "Pericardial, liver or bone metastases",
        "Bone or mediastinal metastases",
        "Metastases to the liver or spleen",
        "Prior radiotherapy and bone metastases",
    ],
)
def test_an_unknown_item_is_not_completed(line: str) -> None:
    """A list with a site the vocabulary does not know adds no site (the line is read as before)."""
    assert len([a for a in sites(line) if a.kind == "metastasis"]) <= 1, line


def test_no_list_negated_stays_none_of_them() -> None:
    atoms = sites("No liver or lung metastases")
    assert names(atoms) == {"liver", "lung"} and all(a.negated for a in atoms)
    assert all(a.attributes.get("group") is None for a in atoms)  # "no A or B" is "no A and no B"


@pytest.mark.parametrize(
    "line",
    [
        "For patients with liver, lung or bone metastases: AST <= 5 x ULN",
        "AST <= 5 x ULN in subjects with bone, lung or liver metastases",
    ],
)
def test_a_condition_s_alternatives_hold_when_one_does(line: str) -> None:
    """The limit is for patients with any of the sites: one with lung metastases only is held to it."""
    high = Fact("lab", "ast", value=240, unit="U/L", provenance=SRC, attributes={"uln": 40})  # 6 x ULN
    assert read_line("Inclusion", line, profile(*mets("lung"), high, name="ast-lung")) == "excluded", line
    assert read_line("Inclusion", line, profile(*mets("lymph_node"), high, name="ast-node")) != "excluded", (
        line
    )
