"""How atoms of one criterion relate (oncofed.criteria.logic): regressions found by the matcher."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.criteria import parse_criterion
from oncofed.domain import Section


def _atoms(text: str):  # type: ignore[no-untyped-def]
    return parse_criterion(text).atoms


def test_consent_as_time_anchor_is_not_a_requirement() -> None:
    atoms = _atoms("Age >= 18 years at the time of signing informed consent")
    assert [a.kind for a in atoms] == ["age"]
    assert atoms[0].operator == ">=" and atoms[0].value == 18
    # alone, consent stays non-evaluable (never guessed)
    only = _atoms("Signed written informed consent")
    assert [(a.kind, a.code) for a in only] == [("non_evaluable", "consent")]
    # a commitment is a real requirement and stays beside the evaluable atom
    both = _atoms("Women of childbearing potential must agree to use effective contraception")
    assert any(a.kind == "non_evaluable" and a.code == "willingness" for a in both)


def test_incidental_investigator_judgement_dropped_when_evaluable() -> None:
    atoms = _atoms("Active infection requiring systemic therapy in the opinion of the investigator")
    assert atoms and all(a.kind != "non_evaluable" for a in atoms)


@pytest.mark.parametrize(
    ("text", "setting"),
    [
        ("No prior chemotherapy for metastatic disease", ["metastatic"]),
        ("No prior systemic therapy in the metastatic setting", ["metastatic"]),
        ("No prior chemotherapy for recurrent or metastatic disease", ["metastatic", "recurrent"]),
        ("No prior adjuvant chemotherapy", ["adjuvant"]),
    ],
)
def test_setting_of_a_therapy_is_an_attribute(text: str, setting: list[str]) -> None:
    atoms = _atoms(text)
    assert not [a for a in atoms if a.kind == "disease_setting"], atoms
    chemo = [a for a in atoms if a.kind == "prior_therapy"]
    assert chemo and chemo[0].negated
    assert sorted(chemo[0].attributes["setting"]) == sorted(setting)


def test_patient_setting_kept_beside_a_therapy() -> None:
    atoms = _atoms("Metastatic breast cancer with no prior chemotherapy")
    setting = [a for a in atoms if a.kind == "disease_setting"]
    assert [a.code for a in setting] == ["metastatic"] and not setting[0].negated


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Locally advanced or metastatic disease", {"locally_advanced", "metastatic"}),
        ("Unresectable or metastatic melanoma", {"unresectable", "metastatic"}),
        (
            "Locally advanced, unresectable, or metastatic NSCLC",
            {"locally_advanced", "unresectable", "metastatic"},
        ),
        ("Adjuvant or neoadjuvant setting", {"adjuvant", "neoadjuvant"}),
    ],
)
def test_alternatives_share_an_or_group(text: str, codes: set[str]) -> None:
    setting = [a for a in _atoms(text) if a.kind == "disease_setting"]
    assert {a.code for a in setting} == codes
    groups = {a.attributes.get("group") for a in setting}
    assert len(groups) == 1 and None not in groups


def test_or_groups_across_kinds_and_not_under_negation() -> None:
    ps = _atoms("ECOG 0-1 or Karnofsky >= 70")
    assert {a.kind for a in ps} == {"ecog", "karnofsky"}
    assert len({a.attributes.get("group") for a in ps}) == 1 and ps[0].attributes.get("group")
    inf = [a for a in _atoms("Known HIV or hepatitis B infection") if a.code in ("hiv", "hepatitis_b")]
    assert len(inf) == 2 and inf[0].attributes.get("group") == inf[1].attributes.get("group") is not None
    # "no HIV or hepatitis B" = no HIV AND no hepatitis B: negated atoms stay ANDed
    neg = _atoms("No history of HIV or hepatitis B")
    assert all(a.negated and "group" not in a.attributes for a in neg)
    # "and" is a conjunction
    both = _atoms("Locally advanced and unresectable disease")
    assert all("group" not in a.attributes for a in both)


def test_matcher_verdicts_of_the_fixed_criteria() -> None:
    from oncofed.domain.patient import Fact, PatientProfile
    from oncofed.matching.evaluate import evaluate_criteria

    facts = [
        Fact(kind="disease_status", code="metastatic"),
        Fact(
            kind="treatment", code="paclitaxel", attributes={"class": "chemotherapy", "setting": "adjuvant"}
        ),
    ]
    profile = PatientProfile(id="p1", centre_id="c1", sex="FEMALE", birth_date=date(1960, 1, 1), facts=facts)
    texts = [
        "Age >= 18 years at the time of signing informed consent",
        "Locally advanced or metastatic disease",
    ]
    crits = [parse_criterion(t, Section.INCLUSION, i) for i, t in enumerate(texts)]
    verdicts = evaluate_criteria(crits, profile, date(2026, 1, 1))
    assert [v.outcome.value for v in verdicts] == ["satisfied", "satisfied"]


def test_compound_modifiers_and_head_nouns_join_the_alternatives() -> None:
    la = [
        a
        for a in _atoms("Locally advanced unresectable or metastatic disease")
        if a.kind == "disease_setting"
    ]
    assert {a.code for a in la} == {"locally_advanced", "unresectable", "metastatic"}
    assert len({a.attributes.get("group") for a in la}) == 1 and la[0].attributes.get("group")
    text = (
        "Known active hepatitis B or hepatitis C infection, or known HIV infection with detectable viral load"
    )
    inf = _atoms(text)
    assert {a.code for a in inf} == {"hepatitis_b", "hepatitis_c", "hiv"}  # no extra "infection" atom
    assert len({a.attributes.get("group") for a in inf}) == 1 and inf[0].attributes.get("group")


def test_setting_goes_to_the_therapy_it_qualifies_only() -> None:
    atoms = _atoms("Prior PARP inhibitor maintenance with progression during treatment")
    parp = [a for a in atoms if a.kind == "prior_therapy"]
    assert parp[0].attributes["setting"] == ["maintenance"]
    assert all(a.code != "maintenance" for a in atoms if a.kind == "disease_setting")
    two = _atoms(
        "No prior chemotherapy for metastatic disease; prior adjuvant therapy completed > 6 months ago"
    )
    chemo = [a for a in two if a.kind == "prior_therapy"][0]
    assert chemo.attributes["setting"] == ["metastatic"]
    assert not [a for a in two if a.kind == "disease_setting"]


def test_slash_receptor_profile_is_not_alternatives() -> None:
    atoms = _atoms("HR+/HER2- advanced breast cancer")
    her2 = [a for a in atoms if a.kind == "biomarker" and a.code == "HER2"]
    hr = [a for a in atoms if a.kind == "biomarker" and a.code in ("ER", "PR")]
    assert her2 and hr and her2[0].attributes.get("group") != hr[0].attributes.get("group")
    both = _atoms("Pregnant/lactating women")
    assert len({a.attributes.get("group") for a in both}) == 1 and both[0].attributes.get("group")
