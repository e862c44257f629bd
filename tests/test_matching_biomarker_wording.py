"""A biomarker result is said as recorded (matching/biomarkers.py): a negated fact ("no EGFR mutation
found") is never said as its alteration alone ("EGFR mutation"), and a criterion's alternatives are said
as words ("exon 19 deletion or L858R"), never as a Python list; in English and on French pages."""

from __future__ import annotations

from datetime import date

from oncofed.domain import Atom, Criterion, Fact, PatientProfile, Section
from oncofed.matching.evaluate import evaluate_atom, evaluate_criteria
from oncofed.matching.facts import PatientView
from oncofed.presenters.engine_text import say, unsaid

DAY = date(2026, 11, 1)


def view(*facts: Fact) -> PatientView:
    return PatientView.of(PatientProfile(id="p1", centre_id="c1", facts=list(facts)))


NO_EGFR_MUTATION = Fact("biomarker", "EGFR", "mutation", negated=True, attributes={"kind": "mutation"})


def test_a_negative_result_is_said_as_not_found_not_as_the_alteration() -> None:
    wanted = Atom("biomarker", "present", "mutation", code="EGFR", attributes={"alteration": "mutation"})
    r = evaluate_atom(wanted, view(NO_EGFR_MUTATION), DAY)
    assert r.holds is False  # what is decided is unchanged: the patient has no EGFR mutation
    assert r.explanation == "no EGFR mutation found (criterion: mutation)"
    assert say("fr", r.explanation) == "absence de mutation EGFR (critère\u00a0: mutation)"
    assert say("en", r.explanation) == r.explanation


def test_a_negative_result_reads_right_in_a_criterion_sentence_in_both_languages() -> None:
    excluded = Atom("biomarker", "present", None, code="HER2", attributes={"alteration": "amplification"})
    amplification = Fact(
        "biomarker", "HER2", "amplification", negated=True, attributes={"kind": "amplification"}
    )
    [co] = evaluate_criteria(
        [Criterion(Section.EXCLUSION, 1, "HER2 amplification", atoms=(excluded,))],
        PatientProfile(id="p1", centre_id="c1", facts=[amplification]),
        DAY,
    )
    assert co.sentence == "No HER2 amplification found."
    assert say("fr", co.sentence) == "Absence d'amplification HER2."
    assert not unsaid("fr", co.sentence)


def test_a_result_recorded_as_negative_is_said_as_written() -> None:
    wanted = Atom("biomarker", "present", "negative", code="ER")
    r = evaluate_atom(wanted, view(Fact("biomarker", "ER", "negative", negated=True)), DAY)
    assert r.explanation == "ER negative (criterion: negative)"


def test_the_alternatives_to_test_are_said_as_words_not_as_a_list() -> None:
    atom = Atom("biomarker", "in", ["exon 19 deletion", "L858R"], code="EGFR")
    r = evaluate_atom(atom, view(), DAY)
    assert r.holds is None
    assert r.check == "biomarker test: EGFR (exon 19 deletion or L858R)"
    assert "[" not in r.explanation
    assert say("fr", r.check) == "test de biomarqueur\u00a0: EGFR (délétion de l'exon 19 ou L858R)"
    assert not unsaid("fr", r.check)
