"""The vectorised evaluator gives exactly the scalar evaluator's verdicts, over many patients."""

from __future__ import annotations

import contextlib
from datetime import date

import numpy as np
import pytest

from oncofed.domain import Actor, Atom, Criterion, PatientProfile, Role, Section
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial
from oncofed.matching.outcomes import OUTCOME_CODE, VERDICTS
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.network.centres import network_centres
from oncofed.store.db import Database
from oncofed.store.mapping import patient_to_domain
from oncofed.store.models import PatientRow
from oncofed.store.repositories import PatientRepository
from oncofed.synthetic.patients import generate_patients

DAY = date(2026, 11, 1)


def scalar(criteria: list[Criterion], p: PatientProfile) -> tuple[list[int], int]:
    """The per-patient evaluator's outcome codes (cohorts resolved) and trial verdict code."""
    a = assess_trial(criteria, p, DAY)
    return [OUTCOME_CODE[o.outcome] for o in a.outcomes], VERDICTS.index(a.verdict)


@pytest.fixture(scope="module")
def profiles() -> list[PatientProfile]:
    rows = generate_patients(network_centres(), 400, seed=11)
    return [patient_to_domain(PatientRow(**r)) for r in rows]


def c(section: Section, *atoms: Atom) -> Criterion:
    return Criterion(section, 0, " ".join(a.kind for a in atoms), atoms=atoms)


INC, EXC = Section.INCLUSION, Section.EXCLUSION
G = {"group": "g"}
CRITERIA = [
    c(INC, Atom("age", ">=", 18.0)),
    c(INC, Atom("age", "<=", 70.0)),
    c(INC, Atom("sex", "==", "FEMALE")),
    c(INC, Atom("cancer_type", "in", ["NSCLC"])),
    c(INC, Atom("cancer_type", "in", ["LUNG", "BREAST"])),
    c(INC, Atom("stage", "in", ["IV"])),
    c(INC, Atom("stage", "in", ["III", "IV"])),
    c(INC, Atom("ecog", "<=", 1)),
    c(INC, Atom("ecog", "in", [0, 1, 2])),
    c(INC, Atom("karnofsky", ">=", 70)),
    c(INC, Atom("lab", ">=", 1.5, unit="10^9/L", code="anc")),
    c(INC, Atom("lab", ">=", 100, code="platelets")),
    c(INC, Atom("lab", "<=", 1.5, unit="x ULN", code="bilirubin")),
    c(INC, Atom("lab", "<=", 2.5, unit="x ULN", code="ast")),
    c(INC, Atom("lab", ">=", 50, code="creatinine_clearance", window_days=14)),
    c(INC, Atom("lab", ">=", 50, code="lvef")),
    c(INC, Atom("lab", ">=", 90, unit="g/L", code="hemoglobin")),
    c(INC, Atom("prior_lines", "<=", 1)),
    c(EXC, Atom("prior_lines", ">=", 3)),
    c(EXC, Atom("prior_therapy", "present", code="pembrolizumab")),
    c(
        EXC,
        Atom("prior_therapy", "present", code="platinum", attributes={"class": "platinum"}, window_days=180),
    ),
    c(
        INC,
        Atom("biomarker", "present", "L858R", code="EGFR", attributes=G),
        Atom("biomarker", "present", "exon 19 deletion", code="EGFR", attributes=G),
    ),
    c(INC, Atom("biomarker", "==", "positive", code="HER2")),
    c(INC, Atom("biomarker", ">=", 50, code="PD-L1", attributes={"scale": "tps"})),
    c(EXC, Atom("brain_metastases", "present", attributes={"status": "active"})),
    c(EXC, Atom("infection", "present", code="hepatitis_b")),
    c(EXC, Atom("comorbidity", "present", code="autoimmune_disease")),
    c(EXC, Atom("pregnancy", "present")),
    c(INC, Atom("disease_setting", "present", code="metastatic")),
    c(INC, Atom("non_evaluable", "present", code="consent")),
    c(INC, Atom("ecog", "<=", 1, negated=True)),
    c(EXC, Atom("cancer_type", "in", ["BRCA"], negated=True), Atom("age", ">=", 75.0)),
    c(INC, Atom("measurable_disease", "present")),
    c(EXC, Atom("leptomeningeal_disease", "present")),
    c(INC, Atom("treatment_naive", "present")),
    c(INC, Atom("disease_setting", "present", code="first_line")),
    c(EXC, Atom("prior_malignancy", "present", window_days=3 * 365)),
    c(INC, Atom("metastasis", "present", code="liver")),
    c(INC, Atom("life_expectancy", ">=", 12)),
    c(INC, Atom("astrology", "present")),
    c(EXC, Atom("biomarker", "present", code="BRAF", negated=True)),
    c(INC, Atom("biomarker", "==", "low", code="ERBB2")),
    c(EXC, Atom("prior_therapy", "present", code="anti-PD-1/PD-L1", attributes={"class": "anti-PD-1/PD-L1"})),
    c(INC, Atom("age", ">=", 18.0, hypothetical=True)),
    c(EXC, Atom("age", "<", 65.0, negated=True)),
    c(EXC, Atom("lab", "<", 1.0, code="anc", negated=True)),
    c(INC, Atom("lab", "<=", 3, unit="x ULN", code="alt")),
    c(EXC, Atom("prior_therapy", "absent", code="taxane", attributes={"class": "taxane"}, window_days=365)),
    Criterion(INC, 9, "unparsed"),
    # conditions: "ALT <= 3 x ULN, or <= 5 x ULN if liver metastases"; "women: not pregnant"
    c(
        INC,
        Atom("lab", "<=", 3, unit="x ULN", code="alt", attributes={"group": "alt"}),
        Atom(
            "lab",
            "<=",
            5,
            unit="x ULN",
            code="alt",
            attributes={"group": "alt"},
            condition=(Atom("metastasis", "present", code="liver"),),
        ),
    ),
    c(INC, Atom("ecog", "<=", 1, condition=(Atom("age", ">=", 70.0),))),
    Criterion(
        INC,
        10,
        "women: not pregnant",
        atoms=(Atom("pregnancy", "present", negated=True),),
        condition=(Atom("sex", "==", "FEMALE"),),
    ),
    Criterion(
        EXC,
        11,
        "if brain metastases: untreated",
        atoms=(Atom("brain_metastases", "present", attributes={"status": "untreated"}),),
        condition=(Atom("brain_metastases", "present"),),
    ),
]
# a trial with cohorts: common criteria, a lung cohort and a breast cohort
COHORTS = [
    c(INC, Atom("age", ">=", 18.0)),
    Criterion(INC, 1, "NSCLC", atoms=(Atom("cancer_type", "in", ["NSCLC"]),), cohort="A: lung"),
    Criterion(INC, 2, "ECOG 0-1", atoms=(Atom("ecog", "<=", 1),), cohort="A: lung"),
    Criterion(INC, 3, "breast", atoms=(Atom("cancer_type", "in", ["BRCA"]),), cohort="B: breast"),
    Criterion(EXC, 4, "HIV", atoms=(Atom("infection", "present", code="hiv"),), cohort="B: breast"),
]


def test_vectorised_outcomes_equal_scalar_outcomes(profiles: list[PatientProfile]) -> None:
    batch = PatientBatch.from_profiles(profiles, DAY)
    # the shipped decision policy (it may trust no reading), a table trusting the organ question, and strict
    for table in ("shipped", ("inclusion:cancer_organ",), None):
        with contextlib.nullcontext() if table == "shipped" else trust.using(table):
            for criteria in (CRITERIA, COHORTS):
                result = evaluate_trial_over_patients(criteria, batch)
                assert result.verdicts.shape == (len(criteria), len(profiles))
                for j, p in enumerate(profiles):
                    codes, verdict = scalar(criteria, p)
                    assert result.verdicts[:, j].tolist() == codes, p.id
                    assert int(result.trial_verdict[j]) == verdict, p.id
    # every outcome occurs somewhere on the strict engine (the test is not vacuous), cohorts resolve both ways
    with trust.using(None):
        result = evaluate_trial_over_patients(CRITERIA, batch)
        for k in (0, 1, 2, 3):
            assert (result.verdicts == k).any()
        cohorts = evaluate_trial_over_patients(COHORTS, batch)
        assert set(cohorts.cohort.tolist()) >= {0, 1}


def test_per_patient_summaries(profiles: list[PatientProfile]) -> None:
    with trust.strict():  # the reading: ECOG 2 read as not met excludes (strict)
        batch = PatientBatch.from_profiles(profiles, DAY)
        crit = [
            c(INC, Atom("age", ">=", 18.0)),
            c(INC, Atom("ecog", "<=", 1)),
            c(EXC, Atom("infection", "present", code="hiv")),
        ]
        r = evaluate_trial_over_patients(crit, batch)
        assert (r.met + r.not_met + r.unknown == 3).all()  # no condition, no cohort: nothing not applicable
        ecog = np.array([p.ecog for p in profiles])
        assert not r.possible[ecog > 1].any()
        assert (r.score[ecog > 1] < 0).all()
        assert not r.eligible.any()  # nobody has an HIV status recorded negative: the exclusion stays unknown


def test_research_actors_never_see_objecting_patients(db: Database) -> None:
    from oncofed.synthetic.demo import build_demo

    build_demo(db, patients=120, seed=5)
    research = Actor("r1", Role.RESEARCH_STAFF, frozenset({"*"}), purpose="research")
    with db.session() as s:
        everyone = PatientRepository(s, Actor.system()).list(limit=None)
        visible = PatientRepository(s, research).list(limit=None)
    objecting = {p.id for p in everyone if p.research_objection}
    assert objecting, "the demo should contain objecting patients"
    batch = PatientBatch.from_profiles(visible, DAY)
    result = evaluate_trial_over_patients([c(INC, Atom("age", ">=", 18.0))], batch)
    assert not objecting & set(result.patient_ids)
    assert len(result.patient_ids) == len(everyone) - len(objecting)


def test_fast_ranking_path_gives_the_full_evaluators_outcomes(profiles: list[PatientProfile]) -> None:
    from oncofed.matching.assess import quick_assess
    from oncofed.matching.evaluate import compile_plan
    from oncofed.matching.facts import PatientView
    from oncofed.matching.outcomes import cohort_plan

    for criteria in (CRITERIA, COHORTS):
        plans = [compile_plan(c) for c in criteria]
        cplan = cohort_plan(plans)
        for p in profiles[:150]:
            cache: dict[int, object] = {}
            fast, verdict = quick_assess(plans, cplan, PatientView.of(p), DAY, cache)  # type: ignore[arg-type]
            assert (fast.tolist(), verdict) == scalar(criteria, p), p.id
