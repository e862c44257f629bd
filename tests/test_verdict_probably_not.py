""" "Probably not eligible — to check" apart from "possible" (outcomes.HELD, `Resolution.probably_not`),
and cohorts chosen by every reading, held-back ones included (choosing which cohort's lines apply
excludes no one). Tables are given explicitly (`trust.using`): these tests hold whatever the shipped
table trusts; each path (per patient, vectorised, fast ranking path) is compared by `same_everywhere`."""

from __future__ import annotations

from datetime import date

import numpy as np

from oncofed.domain import Atom, Criterion, Outcome, PatientProfile, Section, TrialVerdict
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial
from oncofed.matching.outcomes import (
    HELD,
    NOT_APPLICABLE,
    UNDECIDED,
    UNSURE,
    VIOLATED,
    cohort_plan,
    compile_plan,
    resolve,
)
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from tests.verdict_cases import DAY, same_everywhere

NOTHING: tuple[str, ...] = ()  # a table trusting no kind of reading
ORGAN = ("inclusion:cancer_organ",)


def patient(name: str, cancer: str, **kw: object) -> PatientProfile:
    base: dict[str, object] = {
        "id": name,
        "centre_id": "c",
        "birth_date": date(1962, 5, 1),
        "primary_cancer": cancer,
    }
    base.update(kw)
    return PatientProfile(**base)  # type: ignore[arg-type]


def line(
    index: int, text: str, *atoms: Atom, cohort: str | None = None, section: Section = Section.INCLUSION
) -> Criterion:
    return Criterion(section, index, text, atoms=atoms, cohort=cohort)


def basket() -> list[Criterion]:
    """Two cohorts named by organ; the lung cohort has two lines of its own a record rarely settles."""
    return [
        line(1, "Non-small cell lung cancer", Atom("cancer_type", "in", ["NSCLC"]), cohort="Cohort A: lung"),
        line(2, "ECOG 0-1", Atom("ecog", "<=", 1), cohort="Cohort A: lung"),
        line(
            3,
            "Creatinine clearance >= 50 mL/min",
            Atom("lab", ">=", 50.0, code="crcl", unit="mL/min"),
            cohort="Cohort A: lung",
        ),  # fmt: skip
        line(4, "Breast cancer", Atom("cancer_type", "in", ["BRCA"]), cohort="Cohort B: breast"),
    ]


def test_a_held_back_violation_makes_probably_not_apart_from_possible() -> None:
    criteria = [line(1, "ECOG 0-1", Atom("ecog", "<=", 1)), line(2, "Age >= 18", Atom("age", ">=", 18.0))]
    poor, unknown = patient("poor", "BRCA", ecog=3), patient("unknown", "BRCA")
    with trust.using(NOTHING):
        a = assess_trial(criteria, poor, DAY)
        b = assess_trial(criteria, unknown, DAY)
        batch = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles([poor, unknown], DAY))
    assert a.verdict is TrialVerdict.UNKNOWN and a.probably_not and a.outcomes[0].held_back
    assert b.verdict is TrialVerdict.UNKNOWN and not b.probably_not  # an unknown is not a reading against
    assert batch.probably_not.tolist() == [True, False]
    assert batch.possible.tolist() == [False, True] and batch.not_excluded.tolist() == [True, True]
    with trust.using(None):  # strict: the same reading excludes; nothing is held back
        assert assess_trial(criteria, poor, DAY).verdict is TrialVerdict.EXCLUDED
        assert not assess_trial(criteria, poor, DAY).probably_not
    same_everywhere(criteria, [poor, unknown, patient("fit", "BRCA", ecog=0)])


def test_the_cohort_is_chosen_by_a_reading_that_may_not_exclude() -> None:
    """A lung cancer patient with no ECOG nor clearance recorded: the breast cohort's organ line is read
    as not met; trusting no reading, it still rules that cohort out (before: the cohort with fewer
    unknowns, the breast one, was chosen and the lung cohort's lines were hidden as not applicable)."""
    criteria = basket()
    lung = patient("lung", "LUAD")
    with trust.using(NOTHING):
        a = assess_trial(criteria, lung, DAY)
    assert a.cohort == "Cohort A: lung" and a.verdict is TrialVerdict.UNKNOWN and not a.probably_not
    shown = {o.criterion.index: o.outcome for o in a.outcomes}
    assert shown[2] is Outcome.UNKNOWN and shown[3] is Outcome.UNKNOWN and shown[4] is Outcome.NOT_APPLICABLE
    assert not any(o.held_back for o in a.outcomes)  # another cohort's line: nothing held against the patient
    same_everywhere(
        criteria,
        [lung, patient("breast", "BRCA"), patient("pancreas", "PAAD"), patient("fit", "LUAD", ecog=0)],
    )


def test_every_cohort_ruled_out_by_an_untrusted_reading_is_probably_not_with_the_cohort_lines_named() -> None:
    criteria = basket()
    pancreas = patient("pancreas", "PAAD", ecog=0)
    with trust.using(NOTHING):
        a = assess_trial(criteria, pancreas, DAY)
    assert a.verdict is TrialVerdict.UNKNOWN and a.probably_not and a.cohort is None
    held = [o.criterion.index for o in a.outcomes if o.held_back]
    assert held == [1, 4]  # both cohorts' organ lines shown, read as not met, to check
    with trust.using(ORGAN):  # the organ reading trusted: the same patient is excluded, lines shown
        b = assess_trial(criteria, pancreas, DAY)
    assert b.verdict is TrialVerdict.EXCLUDED and not b.probably_not
    assert [o.criterion.index for o in b.outcomes if o.outcome is Outcome.VIOLATED] == [1, 4]


def test_resolve_keeps_held_codes_apart_and_shows_them_as_unknown() -> None:
    plans = [compile_plan(c) for c in basket()]
    cplan = cohort_plan(plans)
    # patient 0: lung (breast line held); patient 1: every cohort's own line held; patient 2: strict codes
    codes = np.array([[2, HELD, VIOLATED], [1, 2, 2], [1, 2, 2], [HELD, HELD, VIOLATED]], dtype=np.int8)
    ruled = np.array([[False, True, True], [True, True, True]])  # the cancer reading, per cohort
    res = resolve(codes, cplan, ruled)
    assert res.cohort.tolist() == [0, -1, -1]
    assert res.verdict.tolist()[:2] == [UNSURE, UNSURE] and res.probably_not.tolist() == [False, True, False]
    assert HELD not in res.codes and res.codes[3, 0] == NOT_APPLICABLE and res.codes[0, 1] == UNDECIDED
    assert res.held is not None and res.held[:, 1].tolist() == [True, False, False, True]
    # without the cancer reading, the cohort with fewer unknowns wins (held ones count as unknowns there)
    assert resolve(codes, cplan).cohort.tolist()[0] == 1


def test_a_held_back_line_of_another_of_the_trials_cancers_is_not_held_against_the_patient() -> None:
    """A trial of several cancers whose lymphoma line is common to its cohorts: for an ovarian cancer
    patient the strict engine excludes, looks again, and finds the line is another cancer's (not
    applicable). Trusting nothing, the same line read as not met and held back made the patient
    "probably not" instead of possible (found on a readable fold: the default tab held fewer eligible
    patients than the strict engine keeps)."""
    criteria = [
        line(
            1,
            "High-grade serous ovarian cancer",
            Atom("cancer_type", "in", ["HGSOC"]),
            cohort="Cohort A: ovary",
        ),
        line(
            2, "Triple-negative breast cancer", Atom("cancer_type", "in", ["BRCA"]), cohort="Cohort B: breast"
        ),
        line(3, "Follicular lymphoma, recurrent or refractory", Atom("cancer_type", "in", ["FL"])),
        line(4, "ECOG 0-1", Atom("ecog", "<=", 1)),
    ]
    ovary = patient("ovary", "HGSOC", ecog=1)
    with trust.using(None):
        strict = assess_trial(criteria, ovary, DAY)
    with trust.using(NOTHING):
        a = assess_trial(criteria, ovary, DAY)
    assert strict.verdict is not TrialVerdict.EXCLUDED
    assert (
        not a.probably_not and a.verdict is strict.verdict and a.cohort == strict.cohort == "Cohort A: ovary"
    )
    shown = {o.criterion.index: o.outcome for o in a.outcomes}
    assert shown[3] is Outcome.NOT_APPLICABLE and not any(o.held_back for o in a.outcomes)
    same_everywhere(criteria, [ovary, patient("breast", "BRCA", ecog=0), patient("fl", "FL", ecog=0)])
