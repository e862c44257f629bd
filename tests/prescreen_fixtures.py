"""A small network for pre-screening tests: two centres, one trial, hand-made patients, and a
stand-in matching engine with fixed, readable rules (the real engine is tested by its owners and
once here, in test_prescreen.py). The stand-in returns the real engine's output layout."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np

from oncofed.domain import (
    Actor,
    Atom,
    Criterion,
    Fact,
    PatientProfile,
    Role,
    Section,
    Trial,
    TrialSite,
    TrialStatus,
)
from oncofed.services.network.centres import load_centres, network_centres
from oncofed.services.prescreen.lists import MET, NOT_MET, UNKNOWN, PrescreenEngine, VerdictMatrix
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository, TrialRepository

TRIAL_ID = "TEST-0001"
CRITERIA = (
    Criterion(Section.INCLUSION, 1, "ECOG performance status 0 or 1", atoms=(Atom("ecog", "<=", 1),)),
    Criterion(
        Section.INCLUSION,
        2,
        "Signed informed consent",
        atoms=(Atom("non_evaluable", "present", code="consent"),),
    ),
    Criterion(Section.EXCLUSION, 3, "Active brain metastases", atoms=(Atom("brain_metastases", "present"),)),
)


def fake_evaluate(trial: Trial, patients: Sequence[PatientProfile]) -> VerdictMatrix:
    m = np.empty((len(CRITERIA), len(patients)), dtype=np.int8)
    for j, p in enumerate(patients):
        m[0, j] = UNKNOWN if p.ecog is None else (MET if p.ecog <= 1 else NOT_MET)
        m[1, j] = UNKNOWN
        brain = [f for f in p.facts if f.kind == "metastasis" and f.code == "brain"]
        m[2, j] = (MET if brain[0].negated else NOT_MET) if brain else (UNKNOWN if p.stage == "IV" else MET)
    return VerdictMatrix(CRITERIA, m)


FAKE_ENGINE = PrescreenEngine(evaluate=fake_evaluate, fingerprint=lambda t: t.eligibility_text)


def centres() -> tuple[str, str]:
    cs = network_centres()
    return cs[0].id, cs[1].id


def nurse(centre: str, user: str = "nurse-a") -> Actor:
    return Actor(user, Role.RESEARCH_STAFF, frozenset({centre}))


def patient(pid: str, centre: str, ecog: int | None, **kw: object) -> PatientProfile:
    facts = list(kw.pop("facts", []))  # type: ignore[call-overload]
    return PatientProfile(
        id=pid,
        centre_id=centre,
        sex="FEMALE",
        birth_date=date(1960, 5, 1),
        primary_cancer="BRCA",
        stage=str(kw.pop("stage", "IV")),
        ecog=ecog,
        display_name=f"Test patient {pid}",
        facts=facts,
        **kw,  # type: ignore[arg-type]
    )


def build_network(db: Database, *, target: int | None = 40, enrolment: int | None = 100) -> tuple[str, str]:
    """Centres, one recruiting trial with sites at centres A and B, and patients at both."""
    db.upgrade()
    load_centres(db)
    a, b = centres()
    cs = {c.id: c for c in network_centres()}
    trial = Trial(
        id=TRIAL_ID,
        title="[Fictional] test trial",
        status=TrialStatus.RECRUITING,
        eligibility_text="Inclusion: ECOG 0-1; consent. Exclusion: active brain metastases.",
        enrolment=enrolment,
        start_date=date(2025, 1, 1),
        completion_date=date(2027, 12, 31),
        sites=[
            TrialSite(cs[c].name, TrialStatus.RECRUITING, c, cs[c].city, "France", target_enrolment=target)
            for c in (a, b)
        ],
        fictional=True,
    )
    brain = Fact("metastasis", "brain", negated=False)
    no_brain = Fact("metastasis", "brain", negated=True)
    with db.session() as s:
        TrialRepository(s).upsert(trial)
        PatientRepository(s, Actor.system()).add_many(
            [
                patient("A-1", a, 0, facts=[no_brain]),  # eligible (consent to check)
                patient("A-2", a, 1),  # possible: brain metastases unknown
                patient("A-3", a, 3),  # not eligible: ECOG
                patient("A-4", a, None, stage="II"),  # possible: ECOG unknown
                patient("A-5", a, 0, facts=[brain]),  # not eligible: brain metastases
                patient("A-OBJ", a, 0, research_objection=True),  # objects: never shown
                patient("A-DEAD", a, 0, deceased=True),  # deceased: never shown
                patient("B-1", b, 0, facts=[no_brain]),
                patient("B-2", b, 1),
            ]
        )
    return a, b


def update_patient(db: Database, pid: str, **changes: object) -> None:
    with db.session() as s:
        repo = PatientRepository(s, Actor.system())
        profile = repo.get(pid)
        repo.upsert(replace(profile, **changes))  # type: ignore[arg-type]
