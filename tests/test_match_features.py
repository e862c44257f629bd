"""Stored match features (matching/features.py) give exactly the verdicts of a batch built from
full profiles, and of the per-patient evaluator, and load only representative records."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.domain import Atom, Criterion, Fact, PatientProfile, Section, Trial
from oncofed.matching import trust
from oncofed.matching.features import FEATURE_VERSION, FeatureBatch, LazyViews, features_of
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
    return [patient_to_domain(PatientRow(**r)) for r in generate_patients(network_centres(), 400, seed=9)]


@pytest.fixture(scope="module")
def trials() -> list[Trial]:
    return build_demo_trials(network_centres(), seed=7)


def _feature_batch(patients: list[PatientProfile], day: date = DAY) -> FeatureBatch:
    feats = [features_of(p) for p in patients]
    return FeatureBatch.from_features(
        [p.id for p in patients], feats, lambda idx: [patients[i] for i in idx], day
    )


def test_every_demo_trial_same_verdicts_and_few_records_loaded(
    trials: list[Trial], profiles: list[PatientProfile]
) -> None:
    full = PatientBatch.from_profiles(profiles, DAY)
    stored = _feature_batch(profiles)
    for trial in trials:
        criteria = trial_criteria(trial)
        want = evaluate_trial_over_patients(criteria, full).verdicts
        got = evaluate_trial_over_patients(criteria, stored).verdicts
        mismatch = np.argwhere(want != got)
        assert not len(mismatch), f"{trial.id}: criterion/patient pairs differ: {mismatch[:5].tolist()}"
    assert isinstance(stored.views, LazyViews)
    # representatives only: far fewer records read than patients evaluated
    assert 0 < stored.views.loaded < len(profiles)


def _vary(p: PatientProfile, data: st.DataObject) -> PatientProfile:
    """Second, differently dated labs; treatments without class or dates; a negated biomarker."""
    extra: list[Fact] = []
    for f in p.facts:
        if f.kind == "lab" and f.when is not None and data.draw(st.booleans()):
            shift = timedelta(days=data.draw(st.integers(-400, 400)))
            value = data.draw(st.sampled_from([0.0, 1.0, 50.0, 100.0, 200.0, 5000.0]))
            uln = data.draw(st.sampled_from([None, 0, 1.0, "40 U/L"]))
            attrs = {**f.attributes, "uln": uln} if uln is not None else dict(f.attributes)
            extra.append(dataclasses.replace(f, when=f.when + shift, value=value, attributes=attrs))
        if f.kind == "treatment" and data.draw(st.booleans()):
            attrs = {k: v for k, v in f.attributes.items() if k not in ("class", "end")}
            extra.append(
                dataclasses.replace(f, when=None, attributes=attrs, negated=data.draw(st.booleans()))
            )
        if f.kind == "biomarker" and data.draw(st.booleans()):
            extra.append(dataclasses.replace(f, code=(f.code or "").lower(), negated=True))
    birth = p.birth_date if data.draw(st.booleans()) else None
    return dataclasses.replace(p, facts=[*p.facts, *extra], birth_date=birth)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_subset_order_and_day_same_verdicts(
    data: st.DataObject, trials: list[Trial], profiles: list[PatientProfile]
) -> None:
    trial = data.draw(st.sampled_from(trials))
    idx = data.draw(st.lists(st.integers(0, len(profiles) - 1), min_size=1, max_size=40))
    chosen = [_vary(profiles[i], data) for i in idx]
    day = DAY + timedelta(days=data.draw(st.integers(-800, 800)))
    criteria = trial_criteria(trial)
    want = evaluate_trial_over_patients(criteria, PatientBatch.from_profiles(chosen, day)).verdicts
    got = evaluate_trial_over_patients(criteria, _feature_batch(chosen, day)).verdicts
    assert np.array_equal(want, got)


def test_atoms_outside_the_stored_layout_fall_back_to_full_records(profiles: list[PatientProfile]) -> None:
    """A prior-lines atom with a non-numeric value goes the per-record way: same answer, all loaded."""
    odd = Criterion(Section.INCLUSION, 0, "lines", atoms=(Atom("prior_lines", ">=", "several"),))
    chosen = profiles[:50]
    stored = _feature_batch(chosen)
    want = evaluate_trial_over_patients([odd], PatientBatch.from_profiles(chosen, DAY)).verdicts
    assert np.array_equal(evaluate_trial_over_patients([odd], stored).verdicts, want)
    assert isinstance(stored.views, LazyViews) and stored.views.loaded == len(chosen)


def test_version_is_stable_text() -> None:
    assert len(FEATURE_VERSION) == 16 and FEATURE_VERSION.isalnum()


def test_labs_outside_the_vocabulary_go_through_the_flat_list(profiles: list[PatientProfile]) -> None:
    """An analyte not in labs.tsv (kept in the JSON list, not the float64 block) is read the same way."""
    with trust.strict():  # strict: the atoms decide both ways (0 = violated)
        chosen = []
        for k, p in enumerate(profiles[:30]):
            extra = [
                Fact(
                    "lab", "ldh", value=150.0 + 40 * (k % 5), when=date(2026, 10, 1), attributes={"uln": 250}
                )
            ]
            if k % 3 == 0:
                extra.append(
                    Fact("lab", "ldh", value=900.0, when=date(2026, 10, 20))
                )  # latest wins, default ULN
            chosen.append(dataclasses.replace(p, facts=[*p.facts, *extra]))
        odd = Criterion(
            Section.INCLUSION,
            0,
            "LDH <= 1.5 x ULN and ANC >= 1.5",
            atoms=(Atom("lab", "<=", 1.5, unit="x ULN", code="ldh"), Atom("lab", ">=", 1.5, code="anc")),
        )
        stored = _feature_batch(chosen)
        assert any(features_of(p).labs for p in chosen)
        want = evaluate_trial_over_patients([odd], PatientBatch.from_profiles(chosen, DAY)).verdicts
        assert np.array_equal(evaluate_trial_over_patients([odd], stored).verdicts, want)
        assert set(np.unique(want)) >= {0, 2}  # the atoms decide both ways on these patients
