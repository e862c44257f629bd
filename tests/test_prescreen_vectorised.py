"""Pre-screening's vectorised path (trial -> patients) gives exactly the per-patient evaluator's
verdicts on the demo patients for the demo trials' own criteria (registry fields + parsed text)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.domain import PatientProfile, Trial
from oncofed.matching.assess import assess_trial
from oncofed.matching.outcomes import OUTCOME_CODE
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.network.centres import network_centres
from oncofed.services.trials.criteria import trial_criteria
from oncofed.store.mapping import patient_to_domain
from oncofed.store.models import PatientRow
from oncofed.synthetic.patients import generate_patients
from oncofed.synthetic.trials import build_demo_trials

DAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def profiles() -> list[PatientProfile]:
    return [patient_to_domain(PatientRow(**r)) for r in generate_patients(network_centres(), 300, seed=5)]


@pytest.fixture(scope="module")
def trials() -> list[Trial]:
    return build_demo_trials(network_centres(), seed=7)


def _per_patient(trial: Trial, patients: list[PatientProfile]) -> np.ndarray:
    criteria = trial_criteria(trial)
    rows = [[OUTCOME_CODE[o.outcome] for o in assess_trial(criteria, p, DAY).outcomes] for p in patients]
    return np.array(rows, dtype=np.int8).reshape(len(patients), len(criteria)).T


def test_every_demo_trial_same_verdicts_as_per_patient(
    trials: list[Trial], profiles: list[PatientProfile]
) -> None:
    batch = PatientBatch.from_profiles(profiles, DAY)  # one batch for all trials: caches are shared
    for trial in trials:
        fast = evaluate_trial_over_patients(trial_criteria(trial), batch).verdicts
        slow = _per_patient(trial, profiles)
        mismatch = np.argwhere(fast != slow)
        assert not len(mismatch), f"{trial.id}: criterion/patient pairs differ: {mismatch[:5].tolist()}"


def _with_extra_labs(p: PatientProfile, data: st.DataObject) -> PatientProfile:
    """Some patients get a second, differently dated value of some of their labs (latest wins)."""
    extra = []
    for f in p.facts:
        if f.kind == "lab" and f.when is not None and data.draw(st.booleans()):
            shift = timedelta(days=data.draw(st.integers(-400, 400)))
            value = data.draw(st.sampled_from([0.0, 1.0, 50.0, 100.0, 200.0, 5000.0]))
            extra.append(dataclasses.replace(f, when=f.when + shift, value=value))
    return dataclasses.replace(p, facts=[*p.facts, *extra]) if extra else p


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_subset_and_order_of_patients_same_verdicts(
    data: st.DataObject, trials: list[Trial], profiles: list[PatientProfile]
) -> None:
    """Batch caches (distinct values, patient keys, lab tables) never leak between patients."""
    trial = data.draw(st.sampled_from(trials))
    idx = data.draw(st.lists(st.integers(0, len(profiles) - 1), min_size=1, max_size=40))
    chosen = [_with_extra_labs(profiles[i], data) for i in idx]
    fast = evaluate_trial_over_patients(trial_criteria(trial), PatientBatch.from_profiles(chosen, DAY))
    assert np.array_equal(fast.verdicts, _per_patient(trial, chosen))
