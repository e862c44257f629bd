"""Crash safety of the tumour boards (issues 19 and 22), on SQLite and PostgreSQL: a process freezing
an agenda, recording a board decision or putting a proposed trial on the pre-screening list is killed
(SIGKILL) right after the database executed one of its writes, before the commit
(tests/boards_crash_child.py). After each kill: the whole freeze or decision or nothing of it, the
audit chain verifies, SQLite's integrity check passes, and the interrupted step can be done again
without anything written twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from oncofed.domain.actor import Actor as _SetupActor
from oncofed.services.boards.cards import freeze_meeting
from oncofed.services.boards.cases import add_case, case_detail, schedule_case
from oncofed.services.boards.decisions import resume_screenings
from oncofed.services.boards.signing import sign_record
from oncofed.store.audit import verify_chain
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseEventRow, CaseRow, MeetingRow, TrialDecisionRow
from oncofed.store.models_prescreen import NotificationRow, ScreeningCandidateRow, ScreeningEventRow
from tests.boards_fixtures import (
    CLIN,
    CLIN_OTHER,
    HOME,
    OTHER,
    board_with_meeting,
    build_network,
    patients_with_candidates,
)
from tests.server_process import ROOT

SETUP = _SetupActor.system("test setup")  # accounts made by the fixtures (not audited)

pytestmark = pytest.mark.timeout(900)


def killed_at(db: Database, marker: str, nth: int, *action: str) -> None:
    """Run the board write in a child process that kills itself after the `nth` `marker` statement."""
    db.dispose()
    cmd = [sys.executable, "-m", "tests.boards_crash_child", db.url, marker, str(nth), *action]
    done = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=600)
    assert done.returncode == -signal.SIGKILL, (
        f"{action[0]} was not killed at {marker!r} #{nth} (exit {done.returncode}): "
        f"{done.stdout[-300:]} {done.stderr[-2000:]}"
    )
    db.dispose()


def store_is_sound(db: Database) -> None:
    chain = verify_chain(db.engine)
    assert chain.ok, chain.problems
    if db.backend == "sqlite":
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def events_of(db: Database, case_id: int) -> list[str]:
    with db.session() as s:
        return list(
            s.scalars(
                select(CaseEventRow.action).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.id)
            )
        )


def agenda(db: Database, n: int = 3) -> tuple[int, list[int], list[str]]:
    build_network(db, patients=200)
    board, meeting = board_with_meeting(db)
    patients = patients_with_candidates(db, HOME, n)
    cases = [add_case(db, CLIN, board, pid, "new_case", meeting_id=meeting) for pid in patients]
    return meeting, cases, patients


# the freeze writes every card, one trail entry per case, then the meeting (one transaction)
FREEZE_KILLS = [("UPDATE board_cases", 1), ("INSERT INTO board_case_events", 1), ("UPDATE board_meetings", 1)]


def test_a_freeze_killed_mid_write_leaves_the_agenda_as_it_was_and_can_be_frozen_again(db: Database) -> None:
    meeting, cases, _ = agenda(db)
    for marker, nth in FREEZE_KILLS:
        killed_at(db, marker, nth, "freeze", str(meeting))
        with db.session() as s:
            m = s.get(MeetingRow, meeting)
            assert m.status == "planned" and m.frozen_at is None, (marker, m.status)
            rows = list(s.scalars(select(CaseRow).where(CaseRow.meeting_id == meeting)))
            assert len(rows) == len(cases)
            for c in rows:  # not one card half-frozen
                assert (c.status, c.frozen_at, c.n_candidates) == ("scheduled", None, 0), (marker, c.id)
                assert not c.candidates and c.meeting_day is None
        assert all(events_of(db, c) == ["put on agenda"] for c in cases), marker
        store_is_sound(db)

    report = freeze_meeting(db, CLIN, meeting, scan=False)
    assert report.cases == len(cases) and report.candidates >= len(cases)
    for c in cases:
        card = case_detail(db, CLIN, c)
        assert card["status"] == "frozen" and card["candidates"]
        assert events_of(db, c) == ["put on agenda", "frozen"]
    store_is_sound(db)


def decision_rows(db: Database, case_id: int) -> dict[str, TrialDecisionRow]:
    with db.session() as s:
        rows = list(s.scalars(select(TrialDecisionRow).where(TrialDecisionRow.case_id == case_id)))
        s.expunge_all()
    return {r.trial_id: r for r in rows}


def listing(db: Database, trial: str, patient: str) -> tuple[str | None, int]:
    """The patient's status on the trial's pre-screening list and how many status changes it had."""
    with db.session() as s:
        cand = s.get(ScreeningCandidateRow, (trial, patient))
        n = s.scalar(
            select(func.count())
            .select_from(ScreeningEventRow)
            .where(ScreeningEventRow.trial_id == trial, ScreeningEventRow.patient_id == patient)
        )
    return (cand.status if cand else None), int(n or 0)


# the decision: its trial decisions replaced, then written with the case and its trail entry
DECISION_KILLS = [
    ("DELETE FROM board_trial_decisions", 1),
    ("INSERT INTO board_trial_decisions", 1),
    ("INSERT INTO board_case_events", 1),
]


def test_a_decision_killed_mid_write_is_whole_or_absent_and_its_pre_screening_entry_resumes_once(
    db: Database,
) -> None:
    meeting, cases, patients = agenda(db, 1)
    freeze_meeting(db, CLIN, meeting, scan=False)
    case_id, patient = cases[0], patients[0]
    cands = case_detail(db, CLIN, case_id)["candidates"]
    trial = cands[0]["trial_id"]
    choices = [{"trial_id": trial, "proposed": True}] + [
        {"trial_id": c["trial_id"], "proposed": False, "reason": "patient_choice"} for c in cands[1:]
    ]

    # killed inside the decision's transaction: nothing of it
    for marker, nth in DECISION_KILLS:
        killed_at(db, marker, nth, "decide", str(case_id), json.dumps(choices))
        with db.session() as s:
            case = s.get(CaseRow, case_id)
            assert (case.status, case.proposal, case.decided_by, case.n_proposed) == ("frozen", "", "", 0), (
                marker
            )
        assert decision_rows(db, case_id) == {}, marker
        assert events_of(db, case_id) == ["put on agenda", "frozen"], marker
        assert listing(db, trial, patient) == (None, 0), marker
        store_is_sound(db)

    # killed after the decision committed, while putting the patient on the pre-screening list:
    # the whole decision is kept, its pre-screening entry marked pending, the list untouched
    killed_at(db, "INSERT INTO screening_events", 1, "decide", str(case_id), json.dumps(choices))
    with db.session() as s:
        case = s.get(CaseRow, case_id)
        assert (case.status, case.n_proposed, case.n_specialties) == ("decided", 1, 3)
    rows = decision_rows(db, case_id)
    assert set(rows) == {c["trial_id"] for c in cands}
    assert rows[trial].proposed and rows[trial].screening == "pending"
    assert all(not r.proposed and r.reason == "patient_choice" for t, r in rows.items() if t != trial)
    assert events_of(db, case_id) == ["put on agenda", "frozen", "decided"]
    assert listing(db, trial, patient)[1] == 0
    store_is_sound(db)

    # the retry is killed once the patient is listed, before the decision row says so
    killed_at(db, "UPDATE board_trial_decisions", 1, "screening", str(case_id), trial)
    assert listing(db, trial, patient) == ("flagged", 1)
    assert decision_rows(db, case_id)[trial].screening == "pending"
    store_is_sound(db)

    # resumed (as signing the record does first): listed once, the outcome recorded once
    assert resume_screenings(db, CLIN, case_id)[trial]["status"] == "listed"
    assert listing(db, trial, patient) == ("flagged", 1)
    assert decision_rows(db, case_id)[trial].screening == "listed"
    assert resume_screenings(db, CLIN, case_id) == {}  # nothing left pending
    sign_record(db, CLIN, case_id)
    assert events_of(db, case_id) == ["put on agenda", "frozen", "decided", "pre-screening", "signed"]
    store_is_sound(db)


def test_signing_completes_a_pre_screening_entry_left_pending(db: Database) -> None:
    """The record a coordinator signs shows where each proposed trial's pre-screening entry stands."""
    meeting, cases, patients = agenda(db, 1)
    freeze_meeting(db, CLIN, meeting, scan=False)
    case_id = cases[0]
    cands = case_detail(db, CLIN, case_id)["candidates"]
    trial = cands[0]["trial_id"]
    choices = [{"trial_id": trial, "proposed": True}] + [
        {"trial_id": c["trial_id"], "proposed": False, "reason": "patient_choice"} for c in cands[1:]
    ]
    killed_at(db, "INSERT INTO screening_events", 1, "decide", str(case_id), json.dumps(choices))
    assert decision_rows(db, case_id)[trial].screening == "pending"
    sign_record(db, CLIN, case_id)
    signed = case_detail(db, CLIN, case_id)
    decided = next(c for c in signed["candidates"] if c["trial_id"] == trial)
    assert signed["status"] == "signed" and decided["decision"]["screening"] == "listed"
    assert listing(db, trial, patients[0]) == ("flagged", 1)
    store_is_sound(db)


def test_the_referring_centre_is_told_of_a_recourse_proposal_once_whatever_the_crash(db: Database) -> None:
    """An expert board proposing a trial for another centre's patient tells that centre (a
    notification); killed between the notification and the outcome it records, nothing is sent, and
    the resumed step sends it once."""
    build_network(db, patients=200)
    expert, meeting = board_with_meeting(db, OTHER, site="sarcoma", recourse=True, actor=CLIN_OTHER)
    mine = patients_with_candidates(db, HOME, 1)[0]
    case_id = add_case(db, CLIN, expert, mine, "recourse", "expert opinion?")
    schedule_case(db, CLIN_OTHER, case_id, meeting)
    freeze_meeting(db, CLIN_OTHER, meeting, scan=False)
    cands = case_detail(db, CLIN_OTHER, case_id)["candidates"]
    trial = cands[0]["trial_id"]
    choices = [{"trial_id": trial, "proposed": True}] + [
        {"trial_id": c["trial_id"], "proposed": False, "reason": "patient_choice"} for c in cands[1:]
    ]

    def told() -> int:
        with db.session() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(NotificationRow)
                    .where(NotificationRow.kind == "board_proposal", NotificationRow.trial_id == trial)
                )
                or 0
            )

    killed_at(
        db, "UPDATE board_trial_decisions", 1, "decide", str(case_id), json.dumps(choices), CLIN_OTHER.user_id
    )
    assert decision_rows(db, case_id)[trial].screening == "pending"
    assert told() == 0
    store_is_sound(db)
    assert resume_screenings(db, CLIN_OTHER, case_id)[trial]["status"] == "referring_centre_told"
    assert told() == 1 and resume_screenings(db, CLIN_OTHER, case_id) == {}
    with db.session() as s:
        note = s.scalars(select(NotificationRow).where(NotificationRow.trial_id == trial)).one()
        assert note.centre_id == HOME and mine not in note.message  # counts only, never the patient
    assert listing(db, trial, mine) == (None, 0)  # isolation: the expert board writes no list of Curie


def test_sigkill_of_the_server_while_decisions_are_recorded_loses_no_acknowledged_decision(
    db: Database,
) -> None:
    """The server recording a board's decisions one after the other (as the coordinator clicks through
    the agenda) is killed after a fixed number of answered decisions, the next one in flight: every
    answered decision is there whole, every other case is either untouched or decided whole, and the
    restarted server records the rest."""
    from oncofed.domain import Role
    from oncofed.services.accounts.users import add_user, issue_token
    from tests.server_process import ServerProcess

    meeting, cases, _ = agenda(db, 5)
    freeze_meeting(db, CLIN, meeting, scan=False)
    add_user(db, "clin-curie", Role.CLINICIAN, "crash-test-password", centre_ids=[HOME], actor=SETUP)
    token = issue_token(db, "clin-curie", name="crash test", actor=SETUP)
    bodies: dict[int, dict[str, object]] = {}
    for c in cases:
        cands = case_detail(db, CLIN, c)["candidates"]
        bodies[c] = {
            "proposal": "Systemic therapy within the trial.",
            "settings": ["systemic", "trial"],
            "specialties": ["medical_oncology", "surgery", "pathology"],
            "trials": [{"trial_id": cands[0]["trial_id"], "proposed": True}]
            + [{"trial_id": x["trial_id"], "proposed": False, "reason": "patient_choice"} for x in cands[1:]],
        }
    acked: list[int] = []
    errors: list[str] = []
    db.dispose()
    server = ServerProcess(db.url).start()

    def decide_all() -> None:
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            for c in cases:
                try:
                    r = client.post(f"{server.base_url}/api/boards/cases/{c}/decision", json=bodies[c])
                except httpx.TransportError:
                    return  # the server died: this decision may or may not have been written
                if r.status_code != 200:
                    errors.append(f"{r.status_code} {r.text[:300]}")
                    return
                acked.append(c)

    writer = threading.Thread(target=decide_all, daemon=True)
    try:
        writer.start()
        deadline = time.monotonic() + 300
        while len(acked) < 3:
            assert time.monotonic() < deadline and writer.is_alive(), ("no progress", errors)
            time.sleep(0.005)
        server.kill(signal.SIGKILL)  # the fourth decision in flight
    finally:
        server.kill()
    writer.join(timeout=60)
    assert not errors and len(acked) >= 3, (acked, errors)  # 4 or 5: the next ones were answered first

    db.dispose()
    for c in cases:
        with db.session() as s:
            status = s.get(CaseRow, c).status
        rows = decision_rows(db, c)
        decided_events = events_of(db, c).count("decided")
        if status == "frozen":  # untouched
            assert c not in acked and rows == {} and decided_events == 0, c
        else:  # whole: every candidate decided, one trail entry
            assert status == "decided" and decided_events == 1, (c, status)
            assert set(rows) == {t["trial_id"] for t in bodies[c]["trials"]}  # type: ignore[attr-defined]
            if c in acked:  # answered after its pre-screening entry was made
                assert all(r.screening != "pending" for r in rows.values() if r.proposed), c
    store_is_sound(db)

    with ServerProcess(db.url) as again:  # the restarted server records the rest (or resumes them)
        for c in cases:
            with db.session() as s:
                status = s.get(CaseRow, c).status
            if status == "frozen":
                r = httpx.post(
                    f"{again.base_url}/api/boards/cases/{c}/decision",
                    headers={"Authorization": f"Bearer {token}"},
                    json=bodies[c],
                    timeout=60,
                )
                assert r.status_code == 200, r.text
            else:
                resume_screenings(db, CLIN, c)
    for c in cases:
        rows = decision_rows(db, c)
        assert all(r.screening == "listed" for r in rows.values() if r.proposed), c
    store_is_sound(db)
