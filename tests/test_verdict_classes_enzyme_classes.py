"""Drug classes named by what the drugs do to an enzyme (verdicts30, criteria/enzyme_classes.py), on wordings
written for it: the enzyme written out ("cytochrome P450 (CYP) 3A", "CYP 3A4"), the action as a noun, an
adjective or a verb ("inhibitors of", "-inducing agents", "drugs that strongly inhibit"), and "enzyme
inducers" with no enzyme named; a drug of the class (the table's data) on the record excludes, a drug
outside the table leaves the line unknown, and an enzyme's substrates are no class of inhibitors."""

from __future__ import annotations

import pytest

from oncofed.domain import Fact, PatientProfile
from tests.verdict_cases import SRC, parse, profile, read_line, same_everywhere
from tests.verdict_cases_fr import read_french


def classes(line: str) -> set[str]:
    return {
        str(a.code)
        for c in parse("Breast cancer", line)
        for a in c.atoms
        if a.kind == "prior_therapy" and a.attributes.get("medication")
    }


def on(drug: str) -> PatientProfile:
    return profile(Fact("medication", drug, provenance=SRC, attributes={"current": True}), name=drug)


INHIBITORS = [
    "Current treatment with a potent cytochrome P450 (CYP) 3A4 inhibitor",
    "Use of CYP 3A inhibitors within 7 days of the first dose",
    "Concomitant inhibitors of cytochrome P-450 3A4",
    "Medications that strongly inhibit CYP3A (see appendix)",
    "Patients on moderate-to-strong CYP3A4-inhibiting drugs",
]
INDUCERS = [
    "Use of clinically relevant enzyme inducers",
    "Ongoing treatment with hepatic enzyme-inducing medications",
    "Strong inducers of CYP 3A4 within 14 days",
    "Drugs that induce cytochrome P450 3A",
    "CYP3A-inducing agents (e.g. St John's wort)",
]


@pytest.mark.parametrize("line", INHIBITORS)
def test_an_inhibitor_class_by_its_grammar(line: str) -> None:
    assert classes(line) == {"CYP3A4 inhibitor"}, line
    assert read_line("Exclusion", line, on("clarithromycin")) == "excluded", line
    assert read_line("Exclusion", line, on("zolpidemex")) == "unknown", line  # not in the table


@pytest.mark.parametrize("line", INDUCERS)
def test_an_inducer_class_by_its_grammar(line: str) -> None:
    assert "CYP3A4 inducer" in classes(line), line
    assert read_line("Exclusion", line, on("rifampicin")) == "excluded", line
    assert read_line("Exclusion", line, on("clarithromycin")) == "unknown", line


@pytest.mark.parametrize(
    "line",
    [
        "Strong CYP3A4 inhibitors or inducers",
        "Inducers or inhibitors of cytochrome P450 3A",
        "Drugs that inhibit or induce CYP3A",
    ],
)
def test_both_actions(line: str) -> None:
    assert classes(line) == {"CYP3A4 inhibitor/CYP3A4 inducer"}, line
    assert read_line("Exclusion", line, on("rifampicin")) == "excluded", line


@pytest.mark.parametrize(
    "line",
    [
        "Drugs metabolised by CYP3A4 with a narrow therapeutic index",  # substrates, no action named
        "Enzyme-inducing antiepileptic drugs",  # the table's own class, not the CYP3A inducers
    ],
)
def test_no_action_or_another_class(line: str) -> None:
    assert not classes(line) & {"CYP3A4 inducer", "CYP3A4 inhibitor"}, line


def test_the_paths_agree() -> None:
    criteria = parse("Breast cancer", INHIBITORS[0] + "\n\n" + INDUCERS[0])
    same_everywhere(criteria, [on("clarithromycin"), on("rifampicin"), on("zolpidemex")])


@pytest.mark.parametrize(
    "line",
    [
        "Rifampicin within 14 days before the first dose and during the study",
        "Use of rifampicin in the 2 weeks before randomisation and throughout the treatment period",
        "Rifampicin taken within 7 days prior to enrolment and during study treatment",
    ],
)
def test_and_during_the_study_is_a_time_not_a_second_condition(line: str) -> None:
    # criteria/coverage.py: "and during ..." is no "and <verb>" clause the line leaves unread
    assert read_line("Exclusion", line, on("rifampicin")) == "excluded", line


@pytest.mark.parametrize(
    ("line", "drug"),
    [
        ("Traitement par un inhibiteur puissant du CYP3A4", "clarithromycin"),
        ("Inducteurs enzymatiques puissants dans les 14 jours", "rifampicin"),
        ("Traitement en cours par des inducteurs du CYP3A4", "rifampicin"),
    ],
)
def test_french_wordings(line: str, drug: str) -> None:
    assert read_french("Exclusion", line, on(drug)) == "excluded", line
