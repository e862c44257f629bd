"""Pre-screening: ranking, incremental recomputation, new-since-last-visit, isolation, notifications."""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta

import pytest

from oncofed.domain import Actor, Role
from oncofed.errors import NotFound
from oncofed.matching import trust
from oncofed.services.prescreen import lists as prescreen
from oncofed.services.prescreen.lists import prescreen_list
from oncofed.services.prescreen.notify import notifications_for, subscribe
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.db import Database
from oncofed.store.repositories import TrialRepository
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse, update_patient


def _by_id(result):  # type: ignore[no-untyped-def]
    return {c.patient_id: c for c in result.candidates}


def test_candidates_are_ranked_with_unknowns_and_blocking_criteria(db: Database) -> None:
    a, _ = build_network(db)
    result = prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    got = _by_id(result)
    assert set(got) == {"A-1", "A-2", "A-3", "A-4", "A-5"}  # no objector, no deceased, no centre B
    assert [c.patient_id for c in result.candidates][:1] == ["A-1"]
    assert got["A-1"].eligibility == "eligible"
    assert any("consent" in x for x in got["A-1"].to_check)  # non-evaluable: listed, not downgrading
    assert got["A-2"].eligibility == "possible" and any("brain" in x for x in got["A-2"].to_check)
    assert got["A-4"].eligibility == "possible" and any("ECOG" in x for x in got["A-4"].to_check)
    assert got["A-3"].eligibility == "not_eligible" and any("ECOG" in x for x in got["A-3"].blocking)
    assert got["A-5"].eligibility == "not_eligible" and any("brain" in x for x in got["A-5"].blocking)
    order = [c.eligibility for c in result.candidates]
    assert order == sorted(order, key=["eligible", "possible", "not_eligible"].index)
    assert result.counts == {"eligible": 1, "possible": 2, "unlikely": 0, "not_eligible": 2, "new": 3}


def test_only_changed_pairs_are_re_evaluated(db: Database) -> None:
    a, _ = build_network(db)
    first = refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert first.full and first.evaluated == 5
    again = refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert not again.full and again.evaluated == 0
    update_patient(db, "A-3", ecog=1)
    after = refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert (after.full, after.evaluated, after.new_candidates) == (False, 1, 1)
    assert (
        _by_id(prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE))["A-3"].eligibility == "possible"
    )


def test_a_change_of_the_trial_criteria_re_evaluates_every_pair(db: Database) -> None:
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    with db.session() as s:
        repo = TrialRepository(s)
        trial = repo.get(TRIAL_ID)
        repo.upsert(dataclasses.replace(trial, eligibility_text=trial.eligibility_text + " Amended."))
    report = refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert report.full and report.evaluated == 5


def test_a_new_decision_policy_re_evaluates_every_pair(db: Database) -> None:
    """Stored codes follow the trust table in force: a new table (or strict) re-evaluates the trial at
    once instead of keeping the old codes until the next day's refresh (they did, until 2026-12-06)."""
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE).evaluated == 0
    with trust.using(None):  # strict: every reading excludes
        report = refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert report.full and report.evaluated == 5
    with trust.using(["inclusion:cancer_type", "inclusion:ecog"]):
        assert refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE).evaluated == 5


def test_new_candidates_are_flagged_per_user_since_their_last_visit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = build_network(db)
    first = prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert {c.patient_id for c in first.candidates if c.is_new} == {"A-1", "A-2", "A-4"}
    same_session = prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert {c.patient_id for c in same_session.candidates if c.is_new} == {"A-1", "A-2", "A-4"}
    monkeypatch.setattr(prescreen, "VISIT_SESSION", timedelta(0))  # the user comes back later
    second = prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert not any(c.is_new for c in second.candidates)
    update_patient(db, "A-3", ecog=0)  # becomes a candidate
    third = prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    assert [c.patient_id for c in third.candidates if c.is_new] == ["A-3"]
    colleague = prescreen_list(db, TRIAL_ID, a, nurse(a, "nurse-b"), engine=FAKE_ENGINE)
    assert {c.patient_id for c in colleague.candidates if c.is_new} == {"A-1", "A-2", "A-3", "A-4"}


def test_a_patient_who_objects_after_computation_disappears(db: Database) -> None:
    a, _ = build_network(db)
    prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    update_patient(db, "A-1", research_objection=True)
    assert "A-1" not in _by_id(prescreen_list(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE, refresh=False))
    # a clinician pre-screening (research use) does not see objectors either
    clinician = Actor("dr", Role.CLINICIAN, frozenset({a}))
    assert "A-1" not in _by_id(prescreen_list(db, TRIAL_ID, a, clinician, engine=FAKE_ENGINE))


def test_a_nurse_never_sees_another_centres_candidates(db: Database) -> None:
    a, b = build_network(db)
    with pytest.raises(NotFound):
        prescreen_list(db, TRIAL_ID, b, nurse(a), engine=FAKE_ENGINE)
    with pytest.raises(NotFound):
        prescreen_list(db, TRIAL_ID, a, Actor.public(), engine=FAKE_ENGINE)
    manager = Actor("tm", Role.TRIAL_MANAGER, frozenset({"*"}))
    with pytest.raises(NotFound):  # trial managers see aggregates only
        prescreen_list(db, TRIAL_ID, a, manager, engine=FAKE_ENGINE)


def test_api_isolation_with_client_as(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(db)
    client = client_as(db, nurse(a))
    client.app.state.prescreen_engine = FAKE_ENGINE
    assert client.get(f"/api/prescreen/{TRIAL_ID}/{a}").json()["stale"] is True  # a GET computes nothing
    ok = client.post(f"/api/prescreen/{TRIAL_ID}/{a}/refresh")
    assert ok.status_code == 200
    assert {c["patient_id"] for c in ok.json()["candidates"]} == {"A-1", "A-2", "A-3", "A-4", "A-5"}
    assert client.get(f"/api/prescreen/{TRIAL_ID}/{a}").json()["candidates"] == ok.json()["candidates"]
    other = client.get(f"/api/prescreen/{TRIAL_ID}/{b}")
    assert other.status_code == 404 and "B-1" not in other.text
    csv = client.get(f"/api/prescreen/{TRIAL_ID}/{a}?format=csv&show=new")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("rank,patient_id,eligibility")
    page = client.get(f"/prescreen/{TRIAL_ID}/{b}", headers={"accept": "text/html"})
    assert page.status_code == 404 and "B-2" not in page.text
    index = client.get("/api/prescreen").json()
    assert {row["centre_id"] for row in index["lists"]} == {a}


def test_new_candidates_notify_in_app_and_by_email(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Sink

    received: list[str] = []
    lock = threading.Lock()

    class Capture(Sink):  # type: ignore[misc]
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            with lock:
                received.append(envelope.content.decode())
            return "250 OK"

    from tests.conftest import free_port

    port = free_port()
    controller = aiosmtpd.Controller(Capture(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("ONCOFED_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("ONCOFED_SMTP_PORT", str(port))
        a, b = build_network(db)
        subscribe(db, nurse(a), a, "nurse@centre.example", TRIAL_ID)
        refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    finally:
        controller.stop()
    notes = notifications_for(db, nurse(a))
    assert [(n["count"], n["trial_id"], n["emailed"]) for n in notes] == [(3, TRIAL_ID, True)]
    assert notifications_for(db, nurse(b)) == []
    assert len(received) == 1 and "3 new candidates for trial" in received[0]
    assert "A-1" not in received[0]  # counts and a link only, never patient identifiers


def test_e_mail_failure_keeps_the_in_app_notification(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import free_port

    monkeypatch.setenv("ONCOFED_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ONCOFED_SMTP_PORT", str(free_port()))  # nothing listens there
    a, _ = build_network(db)
    subscribe(db, nurse(a), a, "nurse@centre.example")
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    notes = notifications_for(db, nurse(a))
    assert len(notes) == 1 and notes[0]["emailed"] is False


def test_the_real_matching_engine_drives_pre_screening(sqlite_db: Database) -> None:
    """One pass through the matching engine (issue 6) itself, not the stand-in."""
    pytest.importorskip("oncofed.matching.vectorised")
    a, _ = build_network(sqlite_db)
    result = prescreen_list(sqlite_db, TRIAL_ID, a, nurse(a))
    assert {c.patient_id for c in result.candidates} == {"A-1", "A-2", "A-3", "A-4", "A-5"}
    assert all(
        c.eligibility in ("eligible", "possible", "unlikely", "not_eligible") for c in result.candidates
    )
    assert result.refresh is not None and result.refresh.evaluated == 5


def test_opening_the_list_reads_its_notifications_and_staff_can_subscribe(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    client = client_as(db, nurse(a))
    client.app.state.prescreen_engine = FAKE_ENGINE
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)  # computes: 3 new candidates
    unread = client.get("/api/prescreen/notifications?unread=true").json()
    assert unread["count"] == 1 and unread["notifications"][0]["count"] == 3
    index = client.get("/prescreen", headers={"accept": "text/html"})
    assert f"/prescreen/{TRIAL_ID}/{a}?show=new" in index.text
    client.get(f"/prescreen/{TRIAL_ID}/{a}", headers={"accept": "text/html"})  # a GET changes nothing
    assert client.get("/api/prescreen/notifications?unread=true").json()["count"] == 1
    done = client.post(f"/prescreen/{TRIAL_ID}/{a}/refresh", data={"show": "new"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("?show=new&refreshed=1")
    assert client.get("/api/prescreen/notifications?unread=true").json()["count"] == 0
    ok = client.post(
        f"/prescreen/{TRIAL_ID}/{a}/subscribe", data={"email": "nurse@centre.example"}, follow_redirects=False
    )
    assert ok.status_code == 303 and "e-mailed" in ok.headers["location"]
    bad = client.post(f"/prescreen/{TRIAL_ID}/{a}/subscribe", data={"email": "not-an-address"})
    assert bad.status_code == 422 and "is not an e-mail address" in bad.text
