"""The match index (services/matching/match_index.py): built once per record version, never used stale,
and pre-screening through it gives the per-patient evaluator's verdicts, on both databases."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlalchemy import select, update

from oncofed.domain import Actor, Atom, Criterion, Fact, Section
from oncofed.matching import trust
from oncofed.matching.assess import assess_trial
from oncofed.matching.features import FeatureBatch, features_of
from oncofed.matching.outcomes import OUTCOME_CODE
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.matching.match_index import MatchIndex, refresh_match_index
from oncofed.services.prescreen.access import research_actor
from oncofed.services.prescreen.lists import prescreen_list
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.trials.criteria import trial_criteria
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_matchindex import PatientMatchFeaturesRow
from oncofed.store.models_prescreen import PrescreenResultRow
from oncofed.store.repositories import PatientRepository, TrialRepository
from tests.prescreen_fixtures import TRIAL_ID, build_network, nurse, update_patient

LIVING = 8  # build_network: 9 patients, one deceased
DAY = date(2026, 11, 1)


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
    with trust.strict():  # strict: ECOG 2 read as not met makes A-2 not eligible
        a, _ = build_network(db)
        refresh_prescreen(db, TRIAL_ID, a, nurse(a))
        update_patient(db, "A-2", ecog=2)  # incremental pass: features recomputed for this record only
        refresh_prescreen(db, TRIAL_ID, a, nurse(a))
        with db.session() as s:
            trial = TrialRepository(s).get(TRIAL_ID)
            criteria = trial_criteria(trial)
            repo = PatientRepository(s, Actor.system())
            stored = {r.patient_id: r for r in s.scalars(select(PrescreenResultRow))}
            assert set(stored) == {"A-1", "A-2", "A-3", "A-4", "A-5"}
            for pid, row in stored.items():
                want = "".join(
                    str(OUTCOME_CODE[o.outcome])
                    for o in assess_trial(criteria, repo.get(pid), date.today()).outcomes
                )
                assert row.verdicts == want, pid
        listed = {
            c.patient_id: c for c in prescreen_list(db, TRIAL_ID, a, nurse(a), refresh=False).candidates
        }
        assert listed["A-2"].eligibility == "not_eligible" and any(
            "ECOG" in b for b in listed["A-2"].blocking
        )


def test_stored_lab_block_round_trips_on_both_databases(db: Database) -> None:
    """The float64 lab block (LargeBinary) read back from the store gives the evaluator's lab verdicts."""
    with trust.strict():  # strict: ANC 0.9 read as not met (0)
        a, _ = build_network(db)
        update_patient(
            db,
            "A-1",
            facts=[
                Fact("lab", "anc", value=2.0, when=date(2026, 10, 1)),
                Fact("lab", "bilirubin", value=1.0),
            ],
        )
        update_patient(db, "A-2", facts=[Fact("lab", "anc", value=0.9, when=date(2026, 10, 1))])
        atoms = (Atom("lab", ">=", 1.5, code="anc"), Atom("lab", "<=", 1.5, unit="x ULN", code="bilirubin"))
        criteria = [Criterion(Section.INCLUSION, k, a.code or "", atoms=(a,)) for k, a in enumerate(atoms)]
        with db.session() as s:
            index = MatchIndex(s, research_actor(nurse(a)))
            data = index.read(centre_id=a)
            batch = FeatureBatch.from_columns(
                data.ids, data.columns, lambda idx: index.profiles([data.ids[i] for i in idx]), DAY
            )
            profiles = index.profiles(data.ids)
        got = evaluate_trial_over_patients(criteria, batch).verdicts
        want = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles(profiles, DAY)).verdicts
        assert np.array_equal(got, want)
        by_id = dict(zip(data.ids, got.T.tolist(), strict=True))
        assert (
            by_id["A-1"] == [2, 2] and by_id["A-2"][0] == 0
        )  # ANC 2.0 met, 0.9 not; bilirubin 1.0 <= 1.5 x 1.2 (default ULN)
