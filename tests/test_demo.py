"""The demo network: built by the project itself, reproducible, reused when unchanged."""

from __future__ import annotations

from oncofed.domain import Actor, Role
from oncofed.services.network.centres import network_centres
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository, TrialRepository
from oncofed.synthetic.demo import build_demo


def test_demo_builds_then_is_reused(db: Database) -> None:
    first = build_demo(db, patients=400, seed=3)
    assert not first.reused and first.patients == 400 and first.centres == len(network_centres())
    assert 55 <= first.trials <= 70
    again = build_demo(db, patients=400, seed=3)
    assert again.reused
    with db.session() as s:
        counts = PatientRepository(s, Actor.system()).counts_by_centre()
        trials = TrialRepository(s).list()
    assert sum(counts.values()) == 400
    assert len(counts) >= 15  # spread over the network
    assert all(t.fictional and t.title.startswith("[Fictional]") for t in trials)
    assert all(
        "Inclusion Criteria" in t.eligibility_text and "Exclusion Criteria" in t.eligibility_text
        for t in trials
    )
    recruiting = [t for t in trials if t.status.is_recruiting]
    assert len(recruiting) >= 30
    assert all(any(site.centre_id for site in t.sites) for t in trials)


def test_demo_patients_are_realistic_and_seeded(sqlite_db: Database) -> None:
    build_demo(sqlite_db, patients=300, seed=11)
    with sqlite_db.session() as s:
        patients = PatientRepository(s, Actor.system()).list(limit=None)
    assert len(patients) == 300
    prostate = [p for p in patients if p.primary_cancer == "PRAD"]
    assert prostate and all(p.sex == "MALE" for p in prostate)
    assert all(18 <= (p.age_years or 0) <= 96 for p in patients)
    assert any(p.research_objection for p in patients)
    assert all(p.first("primary_cancer") is not None for p in patients)
    assert all(f.provenance.source == "synthetic" for p in patients for f in p.facts)
    # a different patient count rebuilds; the same seed gives the same first patient
    build_demo(sqlite_db, patients=300, seed=11, force=True)
    with sqlite_db.session() as s:
        again = PatientRepository(s, Actor("c", Role.CLINICIAN, frozenset({patients[0].centre_id}))).get(
            patients[0].id
        )
    assert again.primary_cancer == patients[0].primary_cancer and again.birth_date == patients[0].birth_date
