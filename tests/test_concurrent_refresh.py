"""Two people refreshing the same list at once (two research nurses, two browser tabs, an import
running while a nurse pre-screens): both get an answer, neither a unique-key error, and what is stored
equals one refresh's result. The two writers are made to overlap on purpose: each pauses after its
reads until the other has read too (or a few seconds have passed, which is what happens when the
second one is rightly waiting for the first). SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from oncofed.domain import Actor
from oncofed.services.matching import match_index as match_index_module
from oncofed.services.matching.match_index import MatchIndex, refresh_match_index
from oncofed.services.prescreen import refresh as prescreen_module  # where refresh_prescreen calls assess
from oncofed.services.prescreen.access import research_actor
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.db import Database
from oncofed.store.models_matchindex import PatientMatchFeaturesRow
from oncofed.store.models_prescreen import PrescreenResultRow, PrescreenRunRow
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse

PAUSE = 3.0  # seconds a writer waits for the other at the rendezvous


def _rendezvous(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, *, before: bool = False) -> None:
    """Make `owner.name` wait for the other thread (at most PAUSE s) before or after running."""
    barrier = threading.Barrier(2)
    original = getattr(owner, name)

    def wait() -> None:
        # a broken barrier: the other thread is not there, it is waiting for us, as it should
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=PAUSE)

    def paused(*args: Any, **kwargs: Any) -> Any:
        if before:
            wait()
        result = original(*args, **kwargs)
        if not before:
            wait()
        return result

    monkeypatch.setattr(owner, name, paused)


def _both(work: Callable[[], object]) -> list[object]:
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, f"a concurrent writer failed: {errors[0]!r}"
    assert len(results) == 2
    return results


def _stored(db: Database, centre: str) -> list[tuple[Any, ...]]:
    with db.session() as s:
        rows = s.execute(
            select(PrescreenResultRow.patient_id, PrescreenResultRow.eligibility, PrescreenResultRow.verdicts)
            .where(PrescreenResultRow.trial_id == TRIAL_ID, PrescreenResultRow.centre_id == centre)
            .order_by(PrescreenResultRow.patient_id)
        ).all()
    return [tuple(r) for r in rows]


def test_two_refreshes_of_one_list_at_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    a, _ = build_network(db)
    refresh_match_index(db, Actor.system("test"))
    # both evaluate before either writes: without serialising, both insert the same result rows
    _rendezvous(monkeypatch, prescreen_module, "assess")
    reports = _both(lambda: refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE, force=True))
    together = _stored(db, a)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PrescreenRunRow)) == 1
    monkeypatch.undo()
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE, force=True)
    assert together == _stored(db, a) and len(together) > 0
    assert [r.patients for r in reports] == [len(together)] * 2  # type: ignore[attr-defined]


def test_two_first_refreshes_of_one_list_at_once(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    a, _ = build_network(db)
    refresh_match_index(db, Actor.system("test"))
    _rendezvous(monkeypatch, prescreen_module, "assess")
    _both(lambda: refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE))  # no run row yet
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PrescreenRunRow)) == 1
    assert len(_stored(db, a)) > 0


def test_two_rebuilds_of_the_same_stale_index_rows_at_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = build_network(db)  # nothing indexed yet: every row is stale for both readers
    _rendezvous(monkeypatch, match_index_module.MatchIndex, "rebuild", before=True)

    def read() -> int:
        with db.session() as s:
            return len(MatchIndex(s, research_actor(nurse(a))).read(centre_id=a))

    counts = _both(read)
    assert counts[0] == counts[1] > 0
    with db.session() as s:
        stored = s.scalar(select(func.count()).select_from(PatientMatchFeaturesRow))
        assert stored == counts[0]
        assert MatchIndex(s, research_actor(nurse(a))).stale_ids(a) == []  # every row stored is fresh
