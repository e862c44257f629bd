"""Tumour boards with the ranker's dense layer on (issue 19, freeze speed): a case put on a meeting's
agenda has its text encoded then and stored with the patient, so the freeze reads the agenda's vectors
back instead of encoding them all at once; a record changed since is encoded again at the freeze.
SQLite only: the vectors' storage is tested on both databases in tests/test_ranking_speed.py."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete

from oncofed.domain import Actor
from oncofed.matching.ranking import dense
from oncofed.matching.retrieve import patient_text
from oncofed.services.boards.cards import freeze_meeting
from oncofed.services.boards.cases import add_case, case_detail
from oncofed.services.matching import match as match_service
from oncofed.store.db import Database
from oncofed.store.models_boards import MeetingRow
from oncofed.store.models_ranking import PatientTextVectorsRow
from oncofed.store.repositories import PatientRepository
from tests.boards_fixtures import CLIN, HOME, board_with_meeting, build_network, patients_with_candidates

pytestmark = pytest.mark.skipif(
    not dense.dense_available(), reason="the packaged MiniLM model is not installed"
)


def test_the_agenda_is_encoded_when_cases_are_added_and_read_back_at_the_freeze(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONCOFED_RERANK", "minilm")
    db = sqlite_db
    build_network(db, patients=200)
    board, meeting = board_with_meeting(db)
    pids = patients_with_candidates(db, HOME, 2)
    with db.session() as s:
        s.execute(delete(PatientTextVectorsRow))
        day = s.get(MeetingRow, meeting).scheduled_for.date()
    dense.QUERIES.clear()
    cases = [add_case(db, CLIN, board, pid, "new_case", meeting_id=meeting) for pid in pids]
    with db.session() as s:
        for pid in pids:
            row = s.get(PatientTextVectorsRow, pid)
            profile = PatientRepository(s, Actor.system("test")).get(pid)
            # the text the case is matched by on the meeting day (the age on that day included)
            assert row is not None and row.text_hash == dense.query_key(row.model, patient_text(profile, day))
    # nothing stored for the second patient any more (as when the record changed since: another text)
    with db.session() as s:
        s.execute(delete(PatientTextVectorsRow).where(PatientTextVectorsRow.patient_id == pids[1]))

    counts: list[dict[str, int]] = []
    real = match_service.prepare_patient_texts

    def spy(*args: Any, **kwargs: Any) -> dict[str, int]:
        counts.append(real(*args, **kwargs))
        return counts[-1]

    monkeypatch.setattr(match_service, "prepare_patient_texts", spy)
    dense.QUERIES.clear()  # frozen by another worker than the one that added the cases
    dense.SENTENCES.clear()
    report = freeze_meeting(db, CLIN, meeting, scan=False)
    assert counts == [{"memory": 0, "store": 1, "encoded": 1}]
    assert report.cases == 2 and all(case_detail(db, CLIN, c)["candidates"] for c in cases)
