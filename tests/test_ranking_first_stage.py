"""The ranker's cold path made cheaper without changing what it returns (issue 16 speed): the first
stage's reciprocal rank fusion without sorting every trial (the same candidates in the same order),
and the patient text encoded on another thread while the first stage and the criterion outcomes run
(the same ranking, the vectors stored with the patient after the match)."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.domain import Trial, TrialStatus
from oncofed.matching.pipeline import rank_candidates
from oncofed.matching.ranking import dense
from oncofed.matching.ranking.ranker import rrf, rrf_top
from oncofed.matching.retrieve import TrialIndex, patient_text
from oncofed.synthetic.patients import generate_patients

DAY = date(2026, 11, 1)
WORDS = [
    "breast",
    "lung",
    "melanoma",
    "her2",
    "egfr",
    "braf",
    "metastatic",
    "stage",
    "trastuzumab",
    "pembrolizumab",
    "ecog",
    "brain",
]


def _plain(a: np.ndarray, b: np.ndarray, limit: int) -> list[int]:
    """The first stage as it was: both arrays ranked in full, fused, the best `limit` by position."""
    fused = rrf(a, b)
    return [int(i) for i in np.lexsort((np.arange(a.size), -fused))[:limit]]


@given(
    st.integers(min_value=0, max_value=5000),
    st.sampled_from([1, 7, 20, 200]),
    st.sampled_from(["correlated", "ties", "sparse", "independent"]),
    st.integers(min_value=0, max_value=2**31),
)
@settings(max_examples=120, deadline=None)
def test_rrf_top_gives_the_candidates_of_the_full_fusion_in_the_same_order(
    n: int, limit: int, shape: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    a = rng.random(n).astype(np.float32)
    if shape == "correlated":  # the patient text and its keyword query: mostly the same words
        b = (a + rng.normal(0, 0.02, n)).astype(np.float32)
    elif shape == "ties":
        a = rng.integers(0, 4, n).astype(np.float32)
        b = rng.integers(0, 3, n).astype(np.float32)
    elif shape == "sparse":  # most trials share no word with the query: long runs of equal zeros
        a = np.where(rng.random(n) < 0.8, 0, a).astype(np.float32)
        b = np.where(rng.random(n) < 0.9, 0, a * 2).astype(np.float32)
    else:
        b = rng.random(n).astype(np.float32)
    top, fused = rrf_top(a, b, limit)
    assert [int(i) for i in top] == _plain(a, b, limit)
    assert np.array_equal(fused, rrf(a, b)[top])


def test_rrf_top_takes_the_fast_path_on_correlated_runs_and_is_still_exact() -> None:
    rng = np.random.default_rng(3)
    a = rng.random(40_000).astype(np.float32)
    b = (a + rng.normal(0, 0.01, a.size)).astype(np.float32)
    calls: list[int] = []
    real = rrf

    def spy(*arrays: np.ndarray, k: int = 60) -> np.ndarray:
        calls.append(arrays[0].size)
        return real(*arrays, k=k)

    import oncofed.matching.ranking.ranker as ranker

    ranker.rrf = spy  # type: ignore[assignment]
    try:
        top, _ = rrf_top(a, b, 200)
    finally:
        ranker.rrf = real  # type: ignore[assignment]
    assert calls == []  # no full ranking of the 40,000
    assert [int(i) for i in top] == _plain(a, b, 200)


def _index(n: int = 60) -> TrialIndex:
    rng = np.random.default_rng(9)
    trials = [
        Trial(
            id=f"T{i:03d}",
            title=" ".join(rng.choice(WORDS, size=6)),
            status=TrialStatus.RECRUITING,
            conditions=(str(rng.choice(["Breast Cancer", "Melanoma", "Lung Cancer"])),),
            brief_summary=". ".join(" ".join(rng.choice(WORDS, size=8)).capitalize() for _ in range(3)) + ".",
        )
        for i in range(n)
    ]
    return TrialIndex(trials, criteria_of=lambda t: [], dense=True)


def test_the_text_encoded_on_another_thread_gives_the_same_ranking_as_encoded_inline() -> None:
    from oncofed.services.network.centres import network_centres
    from oncofed.store.mapping import patient_to_domain
    from oncofed.store.models import PatientRow

    index = _index()
    profiles = [patient_to_domain(PatientRow(**r)) for r in generate_patients(network_centres(), 4, seed=11)]
    for profile in profiles:
        dense.QUERIES.clear()
        text = patient_text(profile, DAY)
        ahead = index.encode_ahead(text)
        assert ahead is not None and ahead.result() is not None
        assert index.encode_ahead(text) is None  # in memory now: nothing to start
        dense.QUERIES.clear()
        cold = rank_candidates(index, profile, DAY)  # encoded on the worker thread
        layer = index.dense_index()
        assert layer is not None and layer.cached(text) is not None
        inline = index.relevance([s.position for s in cold], profile, DAY, vectors=layer.query(text))
        warm = rank_candidates(index, profile, DAY)  # the vectors in memory: no thread
        assert cold == warm
        assert len(inline) == len(cold)
    lexical = TrialIndex([e.trial for e in index.entries], criteria_of=lambda t: [], dense=False)
    assert lexical.encode_ahead("any text") is None


def test_a_stored_patient_matched_cold_has_its_vectors_stored_after_the_match(
    sqlite_db,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from sqlalchemy import delete

    from oncofed.domain import Actor
    from oncofed.services.matching.match import match_stored_patient, trial_index
    from oncofed.store.models_ranking import PatientTextVectorsRow
    from oncofed.store.repositories import PatientRepository
    from tests.boards_fixtures import CLIN, HOME, build_network, patients_with_candidates

    monkeypatch.setenv("ONCOFED_RERANK", "minilm")
    db = sqlite_db
    build_network(db, patients=40)
    pid = patients_with_candidates(db, HOME, 1)[0]
    with db.session() as s:
        s.execute(delete(PatientTextVectorsRow))
    dense.QUERIES.clear()
    index = trial_index(db)
    calls: list[str] = []
    real = index.encode_ahead

    def spy(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text)

    monkeypatch.setattr(index, "encode_ahead", spy)
    cold = match_stored_patient(db, CLIN, pid, day=DAY)
    with db.session() as s:
        profile = PatientRepository(s, Actor.system("test")).get(pid)
        row = s.get(PatientTextVectorsRow, pid)
        text = patient_text(profile, DAY)
        assert row is not None and row.text_hash == dense.query_key(row.model, text)
    assert calls == [text]  # encoded by the match itself, on its worker thread
    dense.QUERIES.clear()  # another process: read back from the store, nothing encoded
    again = match_stored_patient(db, CLIN, pid, day=DAY)
    assert [r.trial.id for r in again.results] == [r.trial.id for r in cold.results]
    layer = index.dense_index()
    assert layer is not None and layer.cached(text) is not None
