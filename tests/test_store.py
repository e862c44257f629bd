"""Store tests: every test runs on SQLite and on PostgreSQL (see the `db` fixture)."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import (
    Actor,
    Fact,
    GeoPoint,
    PatientProfile,
    Phase,
    Provenance,
    Role,
    Trial,
    TrialSite,
    TrialStatus,
)
from oncofed.errors import NotFound
from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from oncofed.store.repositories import CentreRepository, PatientRepository, TrialRepository


def _patient(pid: str, centre: str, objection: bool = False) -> PatientProfile:
    return PatientProfile(
        id=pid,
        centre_id=centre,
        sex="FEMALE",
        birth_date=date(1970, 1, 2),
        primary_cancer="BRCA",
        ecog=1,
        home=GeoPoint(48.85, 2.35),
        research_objection=objection,
        facts=[
            Fact(
                kind="biomarker",
                code="HER2",
                value="3+",
                provenance=Provenance("fhir", "Observation/123"),
                when=date(2026, 1, 5),
            ),
            Fact(
                kind="metastasis",
                code="brain",
                negated=True,
                provenance=Provenance("note", "n1", span=(10, 42)),
            ),
        ],
    )


@pytest.fixture
def populated(db: Database) -> Database:
    load_centres(db)
    with db.session() as s:
        repo = PatientRepository(s, Actor.system())
        repo.upsert(_patient("curie-1", "curie"))
        repo.upsert(_patient("curie-2", "curie", objection=True))
        repo.upsert(_patient("igr-1", "gustave-roussy"))
    return db


def test_schema_is_at_the_newest_revision(db: Database) -> None:
    assert db.is_up_to_date()
    assert db.current_revisions()


def test_centres_round_trip(db: Database) -> None:
    assert load_centres(db) >= 18
    with db.session() as s:
        centres = CentreRepository(s).list()
        curie = CentreRepository(s).get("curie")
    assert {c.id for c in centres} >= {"curie", "gustave-roussy", "leon-berard"}
    assert curie.city == "Paris" and 48 < curie.latitude < 49
    with db.session() as s, pytest.raises(NotFound):
        CentreRepository(s).get("nowhere")


def test_trial_round_trip_keeps_sites_and_statuses(db: Database) -> None:
    load_centres(db)
    trial = Trial(
        id="NCT00000001",
        title="A trial",
        status=TrialStatus.RECRUITING,
        phases=(Phase.PHASE2,),
        conditions=("Breast Cancer",),
        min_age_years=18,
        start_date=date(2025, 1, 1),
        sites=[
            TrialSite(
                facility="Institut Curie",
                status=TrialStatus.RECRUITING,
                centre_id="curie",
                latitude=48.8,
                longitude=2.3,
            ),
            TrialSite(facility="CHU de Brest", status=TrialStatus.NOT_YET_RECRUITING, city="Brest"),
        ],
    )
    with db.session() as s:
        TrialRepository(s).upsert(trial, content_hash="h1")
    with db.session() as s:
        got = TrialRepository(s).get("NCT00000001")
        assert TrialRepository(s).content_hash("NCT00000001") == "h1"
        assert [t.id for t in TrialRepository(s).for_centre("curie")] == ["NCT00000001"]
    assert got.phases == (Phase.PHASE2,)
    assert [s.facility for s in got.sites] == ["Institut Curie", "CHU de Brest"]
    assert got.sites[1].status is TrialStatus.NOT_YET_RECRUITING
    assert got.sites[0].is_network_centre and not got.sites[1].is_network_centre
    assert got.start_date == date(2025, 1, 1)


def test_patient_facts_keep_provenance(populated: Database) -> None:
    with populated.session() as s:
        p = PatientRepository(s, Actor("u", Role.CLINICIAN, frozenset({"curie"}))).get("curie-1")
    her2 = p.first("biomarker", "HER2")
    assert her2 is not None and her2.value == "3+" and her2.provenance.record == "Observation/123"
    brain = p.first("metastasis", "brain")
    assert brain is not None and brain.negated and brain.provenance.span == (10, 42)


def test_clinician_of_another_centre_gets_not_found(populated: Database) -> None:
    other = Actor("u", Role.CLINICIAN, frozenset({"gustave-roussy"}))
    with populated.session() as s:
        repo = PatientRepository(s, other)
        with pytest.raises(NotFound):
            repo.get("curie-1")
        assert [p.id for p in repo.list()] == ["igr-1"]
        assert repo.count(centre_id="curie") == 0


def test_research_staff_never_see_objecting_patients(populated: Database) -> None:
    clinician = Actor("c", Role.CLINICIAN, frozenset({"curie"}))
    research = Actor("r", Role.RESEARCH_STAFF, frozenset({"curie"}))
    with populated.session() as s:
        assert {p.id for p in PatientRepository(s, clinician).list()} == {"curie-1", "curie-2"}
        assert {p.id for p in PatientRepository(s, research).list()} == {"curie-1"}
        with pytest.raises(NotFound):
            PatientRepository(s, research).get("curie-2")


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.TRIAL_MANAGER, Role.QUALITY_MANAGER, Role.DPO])
def test_roles_without_patient_access_see_no_patient(populated: Database, role: Role) -> None:
    actor = Actor("x", role, frozenset({"*"}))
    with populated.session() as s:
        repo = PatientRepository(s, actor)
        assert repo.list() == []
        with pytest.raises(NotFound):
            repo.get("curie-1")


def test_writing_a_patient_into_another_centre_is_refused(populated: Database) -> None:
    clinician = Actor("c", Role.CLINICIAN, frozenset({"curie"}))
    with populated.session() as s, pytest.raises(NotFound):
        PatientRepository(s, clinician).upsert(_patient("igr-2", "gustave-roussy"))


def test_failed_unit_of_work_changes_nothing(populated: Database) -> None:
    with pytest.raises(RuntimeError), populated.session() as s:
        PatientRepository(s, Actor.system()).upsert(_patient("curie-9", "curie"))
        raise RuntimeError("boom")
    with populated.session() as s:
        assert PatientRepository(s, Actor.system()).count() == 3
