"""The screening workflow: transitions, reasons, optimistic locking, bulk actions, log and counts."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from oncofed.errors import InputError, NotFound
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.prescreen.screening import ScreeningConflict, StatusChange, change_status, screening_log
from oncofed.store.db import Database
from oncofed.store.models_prescreen import EnrolmentRow
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse


def _ready(db: Database) -> tuple[str, str]:
    a, b = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    return a, b


def test_status_changes_record_who_when_and_note(db: Database) -> None:
    a, _ = _ready(db)
    [state] = change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-1", 0)], "pending", note="ask Dr X")
    assert (state.status, state.version, state.updated_by, state.note) == (
        "pending",
        1,
        "nurse-a",
        "ask Dr X",
    )
    [state] = change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-1", 1)], "eligible")
    assert (state.status, state.version) == ("eligible", 2)


def test_nonsense_transitions_are_refused_with_the_allowed_next_steps(db: Database) -> None:
    a, _ = _ready(db)
    me = nurse(a)
    v = 0
    for status in ("eligible", "contacted", "enrolled"):
        [st] = change_status(db, me, TRIAL_ID, [StatusChange("A-1", v)], status)
        v = st.version
    with pytest.raises(InputError, match="cannot change status from 'enrolled' to 'new'") as err:
        change_status(db, me, TRIAL_ID, [StatusChange("A-1", v)], "new")
    assert "final" in str(err.value)
    with pytest.raises(InputError, match="from 'new' to 'enrolled'") as err:
        change_status(db, me, TRIAL_ID, [StatusChange("A-2", 0)], "enrolled")
    assert "you can go to: pending" in str(err.value)
    with pytest.raises(InputError, match="unknown status"):
        change_status(db, me, TRIAL_ID, [StatusChange("A-2", 0)], "maybe")
    with db.session() as s:
        enrolments = list(s.scalars(select(EnrolmentRow).where(EnrolmentRow.trial_id == TRIAL_ID)))
    assert [(e.patient_id, e.site_key, e.source) for e in enrolments] == [("A-1", a, "screening")]


def test_not_eligible_and_declined_need_a_known_reason(db: Database) -> None:
    a, _ = _ready(db)
    with pytest.raises(InputError, match="a reason is required for 'not_eligible'"):
        change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-2", 0)], "not_eligible")
    with pytest.raises(InputError, match="unknown reason 'bored'"):
        change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-2", 0)], "not_eligible", reason="bored")
    [st] = change_status(
        db, nurse(a), TRIAL_ID, [StatusChange("A-2", 0)], "not_eligible", reason="lab_values"
    )
    assert st.reason == "lab_values"


def test_two_staff_editing_the_same_candidate_get_a_clear_conflict(db: Database) -> None:
    a, _ = _ready(db)
    alice, bob = nurse(a, "alice"), nurse(a, "bob")
    change_status(db, alice, TRIAL_ID, [StatusChange("A-1", 0)], "flagged")
    with pytest.raises(ScreeningConflict, match="changed by someone else") as err:
        change_status(db, bob, TRIAL_ID, [StatusChange("A-1", 0)], "pending")  # bob loaded version 0
    assert "alice set it to 'flagged'" in str(err.value) and "reload" in str(err.value)


def test_bulk_actions_are_all_or_nothing_and_list_every_problem(db: Database) -> None:
    a, _ = _ready(db)
    me = nurse(a)
    change_status(db, me, TRIAL_ID, [StatusChange("A-4", 0)], "eligible")
    with pytest.raises(ScreeningConflict, match="2 of 3 candidates refused, nothing changed") as err:
        change_status(db, me, TRIAL_ID, [StatusChange(p, 0) for p in ("A-1", "A-4", "B-1")], "pending")
    assert "A-4" in str(err.value) and "B-1" in str(err.value)
    assert screening_log(db, me, TRIAL_ID, a)["counts"]["eligible"] == 1  # A-1 unchanged
    done = change_status(db, me, TRIAL_ID, [StatusChange(p, 0) for p in ("A-1", "A-2")], "pending")
    assert [s.status for s in done] == ["pending", "pending"]


def test_another_centres_candidate_cannot_be_changed(db: Database) -> None:
    a, b = _ready(db)
    with pytest.raises(NotFound):
        change_status(db, nurse(b), TRIAL_ID, [StatusChange("A-1", 0)], "pending")


def test_screening_log_has_consort_counts_and_reasons(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = _ready(db)
    me = nurse(a)

    def go(pid: str, *steps: str, reason: str = "") -> None:
        v = 0
        for st in steps:
            [s] = change_status(db, me, TRIAL_ID, [StatusChange(pid, v)], st, reason=reason)
            v = s.version

    go("A-1", "eligible", "contacted", "enrolled")
    go("A-2", "eligible", "contacted", "declined", reason="travel_burden")
    go("A-4", "not_eligible", reason="performance_status")
    log = screening_log(db, me, TRIAL_ID, a)
    c = log["counts"]
    assert (
        c["screened"],
        c["candidates"],
        c["eligible"],
        c["approached"],
        c["consented"],
        c["enrolled"],
    ) == (
        5,
        3,
        2,
        2,
        1,
        1,
    )
    assert log["reasons_not_included"]["not_eligible: performance_status"] == 1
    assert log["reasons_not_included"]["not eligible by pre-screening (criteria)"] == 2
    assert log["reasons_not_included"]["declined: travel_burden"] == 1
    assert len(log["events"]) == 7
    client = client_as(db, me)
    resp = client.get(f"/api/prescreen/{TRIAL_ID}/{a}/log?format=csv")
    rows = list(csv.DictReader(io.StringIO(resp.text)))
    assert {r["measure"]: r["value"] for r in rows if r["record"] == "count"}["enrolled"] == "1"
    assert [r["to_status"] for r in rows if r["record"] == "event"][:3] == [
        "eligible",
        "contacted",
        "enrolled",
    ]


def test_api_status_answers_409_on_conflict_and_422_on_bad_transition(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = _ready(db)
    client = client_as(db, nurse(a))
    url = f"/api/prescreen/{TRIAL_ID}/{a}/status"
    ok = client.post(url, json={"status": "pending", "candidates": [{"patient_id": "A-1", "version": 0}]})
    assert ok.status_code == 200 and ok.json()["updated"][0]["version"] == 1
    stale = client.post(url, json={"status": "flagged", "candidates": [{"patient_id": "A-1", "version": 0}]})
    assert stale.status_code == 409 and "reload" in stale.json()["fix"]
    bad = client.post(url, json={"status": "enrolled", "candidates": [{"patient_id": "A-1", "version": 1}]})
    assert bad.status_code == 422 and "pending" in bad.json()["detail"]
