"""The match page with the dense layer ON (the rest of the suite runs with `ONCOFED_RERANK=off`): a
small registry of six open trials, the packaged MiniLM (int8 ONNX Runtime by default), headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor, Role, TrialStatus
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from tests.conftest import LiveServer, serve_as

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dense_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str, LiveServer]]:
    from oncofed.services.network.centres import load_centres, network_centres
    from oncofed.store.repositories import TrialRepository
    from oncofed.synthetic.patients import generate_patients
    from oncofed.synthetic.trials import build_demo_trials

    folder: Path = tmp_path_factory.mktemp("dense-page")
    db = Database(f"sqlite:///{folder / 'oncofed.sqlite3'}")
    db.upgrade()
    load_centres(db)
    with db.session() as s:
        for t in build_demo_trials(network_centres())[:6]:
            TrialRepository(s).upsert(replace(t, status=TrialStatus.RECRUITING))
        PatientRepository(s, Actor.system()).add_rows(list(generate_patients(network_centres(), 8, seed=9)))
        patient = next(p for p in PatientRepository(s, Actor.system()).list(limit=None) if p.home is not None)
    actor = Actor("dr-dense", Role.CLINICIAN, frozenset({patient.centre_id}))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ONCOFED_RERANK", "minilm")
        with serve_as(db, actor) as server:
            yield db, patient.id, server
    db.dispose()


def test_match_page_ranks_with_the_dense_reranker_and_stores_the_patient_vectors(
    dense_server: tuple[Database, str, LiveServer], page: Any
) -> None:
    from oncofed.matching.ranking.dense import query_key
    from oncofed.matching.retrieve import patient_text
    from oncofed.store.models_ranking import PatientTextVectorsRow

    db, pid, server = dense_server
    page.set_default_timeout(120_000)  # the first request embeds the six trials
    page.goto(server.url(f"/patients/{pid}/matches"))
    assert pid in page.locator("h1").inner_text()
    trials = page.locator("details.match")
    assert trials.count() > 0
    assert trials.first.locator("table.criteria").is_visible()
    shown = [trials.nth(k).get_attribute("data-trial-id") for k in range(trials.count())]
    # the JSON twin ranks the same way (its vectors now come from memory)
    api = page.request.get(server.url(f"/api/patients/{pid}/matches"))
    assert api.ok
    ranked = [m["trial_id"] for m in api.json()["matches"]]
    assert ranked == shown
    # the dense layer ran: the patient's text vectors are stored with the patient, under the text's hash
    with db.session() as s:
        row = s.get(PatientTextVectorsRow, pid)
        profile = PatientRepository(s, Actor.system()).get(pid)
    assert row is not None and row.rows >= 2
    assert row.text_hash == query_key(row.model, patient_text(profile, date.today()))
