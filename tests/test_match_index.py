"""The match index (services/match_index.py): built once per record version, never used stale,
and pre-screening through it gives the per-patient evaluator's verdicts, on both databases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from oncofed.domain import Actor
from oncofed.domain.matching import Verdict
from oncofed.matching.criteria_source import trial_criteria
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.features import features_of
from oncofed.services.match_index import MatchIndex, refresh_match_index
from oncofed.services.prescreen import prescreen_list, refresh_prescreen, research_actor
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_matchindex import PatientMatchFeaturesRow
from oncofed.store.models_prescreen import PrescreenResultRow
from oncofed.store.repositories import PatientRepository, TrialRepository
from tests.prescreen_fixtures import TRIAL_ID, build_network, nurse, update_patient

LIVING = 8  # build_network: 9 patients, one deceased


def test_built_once_then_only_changed_records(db: Database) -> None:
    a, _ = build_network(db)
    system = Actor.system("test")
    assert refresh_match_index(db, system) == LIVING
    assert refresh_match_index(db, system) == 0
    update_patient(db, "A-3", ecog=1)
    assert refresh_match_index(db, system) == 1
    update_patient(db, "A-3", display_name="renamed")  # not read by the evaluator: same hash
    assert refresh_match_index(db, system) == 0


def test_other_code_version_or_unhashed_record_is_recomputed(db: Database) -> None:
    a, _ = build_network(db)
    refresh_match_index(db, Actor.system("test"))
    with db.session() as s:
        s.execute(
            update(PatientMatchFeaturesRow)
            .where(PatientMatchFeaturesRow.patient_id == "A-1")
            .values(version="old")
        )
        s.execute(update(PatientRow).where(PatientRow.id == "A-2").values(record_hash=None))
    with db.session() as s:
        data = MatchIndex(s, research_actor(nurse(a))).read(centre_id=a)
        assert data.rebuilt == 2
        assert "A-OBJ" not in data.ids and "A-DEAD" not in data.ids  # research use: objectors hidden
        assert s.scalar(select(PatientRow.record_hash).where(PatientRow.id == "A-2"))
        profile = PatientRepository(s, Actor.system()).get("A-1")
        stored = s.get(PatientMatchFeaturesRow, "A-1")
        assert stored is not None and stored.version != "old"
        assert stored.keys == features_of(profile).keys and stored.labs == features_of(profile).labs
    with db.session() as s:
        assert MatchIndex(s, research_actor(nurse(a))).read(centre_id=a).rebuilt == 0


def test_prescreen_through_the_index_equals_the_per_patient_evaluator(db: Database) -> None:
    """The real engine (criteria parser + vectorised evaluator over stored features), end to end."""
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a))
    update_patient(db, "A-2", ecog=2)  # incremental pass: features recomputed for this record only
    refresh_prescreen(db, TRIAL_ID, a, nurse(a))
    code = {Verdict.NOT_MET: "0", Verdict.UNKNOWN: "1", Verdict.MET: "2"}
    with db.session() as s:
        trial = TrialRepository(s).get(TRIAL_ID)
        criteria = trial_criteria(trial)
        repo = PatientRepository(s, Actor.system())
        stored = {r.patient_id: r for r in s.scalars(select(PrescreenResultRow))}
        assert set(stored) == {"A-1", "A-2", "A-3", "A-4", "A-5"}
        for pid, row in stored.items():
            want = "".join(
                code[cv.verdict] for cv in evaluate_criteria(criteria, repo.get(pid), date.today())
            )
            assert row.verdicts == want, pid
    listed = {c.patient_id: c for c in prescreen_list(db, TRIAL_ID, a, nurse(a), refresh=False).candidates}
    assert listed["A-2"].eligibility == "not_eligible" and any("ECOG" in b for b in listed["A-2"].blocking)
