"""An inclusion's cancer type is two questions for the decision policy (matching/trust.py): is the
patient's cancer in an organ the line names at all (`cancer_organ`: a trial of another disease), and,
within that organ, is it the subtype / histology / setting the line names (`cancer_type`). Decided per
patient from the trial's codes and the patient's cancer (vocab.another_organ), on every evaluation path
(per patient, fast ranking, numpy columns), counted and trusted apart; the strict engine is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from oncofed.domain import Atom, Criterion, Outcome, PatientProfile, Section, TrialVerdict
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.vocab import another_organ, oncotree_tissue
from oncofed.presenters.engine_text import say, unsaid
from tests.verdict_cases import DAY, same_everywhere


@pytest.fixture(autouse=True)
def _unsplit() -> Iterator[None]:
    """The kinds read unsplit here, whatever split the shipped table uses (tests/test_verdict_policy_split.py
    tests the split kinds)."""
    with trust.splitting(""):
        yield


ORGAN = ("inclusion:cancer_organ",)
SUBTYPE = ("inclusion:cancer_type",)
LOBULAR = Atom("cancer_type", "in", ["ILC"])  # invasive lobular breast carcinoma


def patient(cancer: str | None, **kw: object) -> PatientProfile:
    base: dict[str, object] = {"id": "p", "centre_id": "c", "birth_date": date(1960, 1, 1)}
    base.update(kw, primary_cancer=cancer)
    return PatientProfile(**base)  # type: ignore[arg-type]


def inc(*atoms: Atom, index: int = 1) -> Criterion:
    return Criterion(Section.INCLUSION, index, "inclusion line", atoms=atoms)


def one(c: Criterion, p: PatientProfile) -> tuple[Outcome, bool, tuple[str, ...], str]:
    o = evaluate_criteria([c], p, DAY)[0]
    return o.outcome, o.held_back, o.reading, o.sentence


def test_the_organ_of_a_code_and_another_organ() -> None:
    assert oncotree_tissue("LUAD") == oncotree_tissue("lung") == "LUNG"
    assert oncotree_tissue("TISSUE") is None and oncotree_tissue("NOT_A_CODE") is None
    assert another_organ("IDC", ("NSCLC", "SCLC"))  # a breast cancer against a lung line
    assert another_organ("IDC", ("DLBCLNOS",)) and another_organ("AML", ("BRCA",))  # solid vs blood
    assert another_organ("UCEC", ("OVT",))  # uterus and ovary are two organs of the tree
    assert not another_organ("IDC", ("ILC",)) and not another_organ("LUSC", ("LUAD", "BRCA"))
    assert not another_organ(None, ("BRCA",)) and not another_organ("BRCA", ())
    assert not another_organ("IDC", ("NOT_A_CODE",))  # a code outside the tree says nothing


def test_within_the_organ_the_subtype_is_a_reading_of_its_own() -> None:
    line = inc(LOBULAR)
    ductal, lung, lymphoma = patient("IDC"), patient("LUAD"), patient("DLBCLNOS")
    with trust.using(ORGAN):
        outcome, held, reading, text = one(line, ductal)
        assert (outcome, held, reading) == (Outcome.UNKNOWN, True, SUBTYPE)
        assert "in an organ the line names" in text and "is to check" in text
        assert one(line, lung)[:3] == (Outcome.VIOLATED, False, ORGAN)
        assert one(line, lung)[3].startswith("Another organ than the line's cancer: Primary cancer Lung")
        assert one(line, lymphoma)[:3] == (Outcome.VIOLATED, False, ORGAN)
        assert assess_trial([line], ductal, DAY).verdict is TrialVerdict.UNKNOWN
        assert assess_trial([line], lung, DAY).verdict is TrialVerdict.EXCLUDED
    with trust.using(SUBTYPE):  # the other question trusted alone: the other way round
        assert one(line, ductal)[:2] == (Outcome.VIOLATED, False)
        assert one(line, lung)[:2] == (Outcome.UNKNOWN, True)
    with trust.strict():  # the strict engine reads both as violated, each with its kind
        assert one(line, ductal)[:3] == (Outcome.VIOLATED, False, SUBTYPE)
        assert one(line, lung)[:3] == (Outcome.VIOLATED, False, ORGAN)
    profiles = [ductal, lung, lymphoma, patient("ILC"), patient("BRCA"), patient(None)]
    for table in (ORGAN, SUBTYPE, (*ORGAN, *SUBTYPE), ()):
        with trust.using(table):
            same_everywhere([line, inc(Atom("ecog", "<=", 1), index=2)], profiles)


def test_a_basket_of_organs_and_subtypes_is_held_back_for_a_patient_of_one_of_its_organs() -> None:
    """ "Diffuse gastric cancer, or lobular breast cancer": for a mixed ductal / lobular breast cancer the
    gastric alternative is another organ, the lobular one the subtype to check: not excluded; a lung
    cancer is in none of the line's organs: excluded."""
    stomach = Atom("cancer_type", "in", ["STAD"], attributes={"group": "cancer"})
    lobular = Atom("cancer_type", "in", ["ILC"], attributes={"group": "cancer"})
    line = inc(stomach, lobular)
    mixed, lung = patient("MDLC"), patient("LUSC")
    with trust.using(ORGAN):
        outcome, held, reading, _ = one(line, mixed)
        assert (outcome, held) == (Outcome.UNKNOWN, True)
        assert set(reading) == {"inclusion:cancer_organ", "inclusion:cancer_type"}
        assert one(line, lung)[:3] == (Outcome.VIOLATED, False, ORGAN)
        same_everywhere([line], [mixed, lung, patient("STAD"), patient("IDC")])


def test_a_negated_or_historical_cancer_is_not_split() -> None:
    """Only a positive, current cancer type has the two questions; "no prior breast cancer" and "history
    of DCIS" keep their own kinds of reading."""
    history = Atom("cancer_type", "in", ["DCIS"], historical=True)
    assert trust.organ_codes(history) == () and trust.reading_kind(history, True) == "cancer_type_history"
    negated = Atom("cancer_type", "in", ["BRCA"], negated=True)
    assert trust.organ_codes(negated) == () and trust.reading_kind(negated, True) == "cancer_type"
    assert (
        trust.reading_kind(LOBULAR, True) == trust.ORGAN
        and trust.reading_kind(LOBULAR, False) == "cancer_type"
    )


def test_off_topic_pairs_count_for_the_organ_question_only() -> None:
    """benchmarks/verdicts_trust.py: a trial of another disease proves the organ reading right, never the
    subtype reading (the patient's cancer is not the trial's disease: nothing about its subtypes)."""
    from benchmarks.verdicts_trust import events

    def line(*kinds: str) -> dict[str, Any]:
        return {"query-id": "q", "corpus-id": "t", "criteria": [
            {"outcome": "violated", "reading": list(kinds), "text": "x", "section": "inclusion"}]}  # fmt: skip

    run = {"expected": {}, "grades": {("q", "t"): 0}}
    assert events({**run, "lines": [line("inclusion:cancer_organ")]}) == [
        ("inclusion:cancer_organ", "off_topic")
    ]
    assert events({**run, "lines": [line("inclusion:cancer_type")]}) == []
    assert events({**run, "lines": [line("inclusion:cancer_type", "inclusion:ecog")]}) == []


def test_the_two_sentences_are_said_in_french() -> None:
    with trust.using(ORGAN):
        held = one(inc(LOBULAR), patient("IDC"))[3]
        organ = one(inc(LOBULAR), patient("LUAD"))[3]
    for text in (held, organ):
        assert unsaid("fr", text) == [], text
    assert "le sous-type" in say("fr", held) and "\u00a0:" in say("fr", held)
    assert say("fr", organ).startswith(
        "Un autre organe que celui du cancer de la ligne\u00a0: cancer primitif"
    )
