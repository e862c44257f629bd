"""The vectorised evaluator gives exactly the scalar evaluator's verdicts, over many patients."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from oncofed.domain import Actor, Atom, Criterion, PatientProfile, Role, Section, Verdict
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.network.centres import network_centres
from oncofed.store.db import Database
from oncofed.store.mapping import patient_to_domain
from oncofed.store.models import PatientRow
from oncofed.store.repositories import PatientRepository
from oncofed.synthetic.patients import generate_patients

DAY = date(2026, 11, 1)
CODE = {Verdict.NOT_MET: 0, Verdict.UNKNOWN: 1, Verdict.MET: 2}


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
]


def test_vectorised_verdicts_equal_scalar_verdicts(profiles: list[PatientProfile]) -> None:
    batch = PatientBatch.from_profiles(profiles, DAY)
    result = evaluate_trial_over_patients(CRITERIA, batch)
    assert result.verdicts.shape == (len(CRITERIA), len(profiles))
    for j, p in enumerate(profiles):
        scalar = [CODE[v.verdict] for v in evaluate_criteria(CRITERIA, p, DAY)]
        assert result.verdicts[:, j].tolist() == scalar, p.id
    # every verdict occurs somewhere (the test is not vacuous)
    for k in (0, 1, 2):
        assert (result.verdicts == k).any()


def test_per_patient_summaries(profiles: list[PatientProfile]) -> None:
    batch = PatientBatch.from_profiles(profiles, DAY)
    crit = [
        c(INC, Atom("age", ">=", 18.0)),
        c(INC, Atom("ecog", "<=", 1)),
        c(EXC, Atom("infection", "present", code="hiv")),
    ]
    r = evaluate_trial_over_patients(crit, batch)
    assert (r.met + r.not_met + r.unknown == 3).all()
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


def test_fast_ranking_path_gives_the_full_evaluators_verdicts(profiles: list[PatientProfile]) -> None:
    from oncofed.matching.evaluate import compile_plan, quick_verdict
    from oncofed.matching.facts import PatientView

    plans = [compile_plan(c) for c in CRITERIA]
    for p in profiles[:150]:
        view = PatientView.of(p)
        cache: dict[int, object] = {}
        fast = [quick_verdict(plan, view, DAY, cache) for plan in plans]  # type: ignore[arg-type]
        assert fast == [CODE[v.verdict] for v in evaluate_criteria(CRITERIA, p, DAY)], p.id
