"""Tumour boards (issue 19) on SQLite and PostgreSQL: a meeting end to end (agenda, freeze with the
match pipeline, decision, pre-screening entry, signed record), bad input refused with nothing half
saved, recourse and isolation, events that re-open a case, and the indicators' SQL by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa
import pytest
from sqlalchemy import func, select

from oncofed.domain import Actor, Fact, Provenance
from oncofed.errors import InputError, NotFound
from oncofed.services.boards.access import utcnow
from oncofed.services.boards.boards import create_meeting, meeting_detail
from oncofed.services.boards.cards import freeze_meeting
from oncofed.services.boards.cases import add_case, case_detail, patient_boards
from oncofed.services.boards.decisions import TrialChoice, record_decision
from oncofed.services.boards.reopen import detect_events, scan_events
from oncofed.services.boards.screen_failures import screen_failures
from oncofed.services.boards.signing import sign_record
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseRow, TrialDecisionRow
from oncofed.store.models_prescreen import ScreeningCandidateRow, ScreeningEventRow
from oncofed.store.models_trust import AuditRow
from oncofed.store.repositories import PatientRepository
from tests.boards_fixtures import (
    CLIN,
    CLIN_OTHER,
    CLIN_THIRD,
    HOME,
    NURSE,
    OTHER,
    board_with_meeting,
    build_network,
    patients_with_candidates,
)

SPECIALTIES = ["medical_oncology", "surgery", "pathology"]


def signed_day(db: Database, case_id: int) -> date:
    with db.session() as s:
        return s.get(CaseRow, case_id).meeting_day


def _decide_all(case: dict, *, propose_first: bool = True) -> list[TrialChoice]:
    out = []
    for k, c in enumerate(case["candidates"]):
        if k == 0 and propose_first:
            out.append(TrialChoice(c["trial_id"], True))
        else:
            out.append(TrialChoice(c["trial_id"], False, "patient_choice"))
    return out


def test_a_meeting_end_to_end_puts_the_proposed_trial_on_the_pre_screening_list(db: Database) -> None:
    build_network(db)
    board, meeting = board_with_meeting(db)
    patients = patients_with_candidates(db, HOME, 2)
    cases = [
        add_case(db, CLIN, board, pid, "new_case", "first treatment?", meeting_id=meeting) for pid in patients
    ]
    assert [c["status"] for c in meeting_detail(db, CLIN, meeting)["cases"]] == ["scheduled", "scheduled"]

    report = freeze_meeting(db, CLIN, meeting)
    assert report.cases == 2 and report.candidates >= 2
    card = case_detail(db, CLIN, cases[0])
    assert card["status"] == "frozen" and card["candidates"], card
    assert all(c["verdict"] != "excluded" for c in card["candidates"])
    assert any(f["provenance"].startswith("synthetic") for f in card["summary"])  # facts with their source
    with pytest.raises(InputError, match="already frozen"):
        freeze_meeting(db, CLIN, meeting)

    proposed = card["candidates"][0]["trial_id"]
    out = record_decision(
        db,
        CLIN,
        cases[0],
        proposal="Systemic therapy within the trial.",
        settings=["systemic", "trial"],
        specialties=SPECIALTIES,
        trials=_decide_all(card),
    )
    assert out["screening"][proposed]["status"] == "listed", out
    with db.session() as s:
        cand = s.get(ScreeningCandidateRow, (proposed, patients[0]))
        assert cand is not None and cand.status == "flagged" and f"case {cases[0]}" in cand.note
        assert (
            s.scalar(
                select(func.count())
                .select_from(ScreeningEventRow)
                .where(ScreeningEventRow.patient_id == patients[0])
            )
            == 1
        )

    digest = sign_record(db, CLIN, cases[0])
    signed = case_detail(db, CLIN, cases[0])
    assert signed["status"] == "signed" and signed["record_sha256"] == digest and len(digest) == 64
    assert [e["action"] for e in signed["events"]] == [
        "put on agenda",
        "frozen",
        "decided",
        "pre-screening",
        "signed",
    ]
    with pytest.raises(InputError, match="signed"):
        record_decision(
            db, CLIN, cases[0], proposal="x", settings=["systemic"], specialties=SPECIALTIES, trials=[]
        )
    boards = patient_boards(db, CLIN, patients[0])
    assert boards[0]["proposed_trials"] == [proposed] and boards[0]["status"] == "signed"
    from oncofed.services.boards.indicators import board_records

    records = board_records(db)  # what the quality module reads, on both databases
    assert records["clean_board_cases"].to_pylist() == [
        {
            "case_id": cases[0],
            "centre_id": HOME,
            "patient_id": patients[0],
            "kind": "new_case",
            "meeting_day": signed_day(db, cases[0]),
            "n_specialties": 3,
            "n_candidates": len(card["candidates"]),
            "n_proposed": 1,
            "signed": True,
        }
    ]
    assert records["clean_board_proposals"].to_pylist() == [{"case_id": cases[0], "trial_id": proposed}]
    failures = screen_failures(db)
    assert all("patient" not in k for row in failures["failures"] for k in row)
    assert next(t for t in failures["trials"] if t["trial_id"] == proposed)["proposed"] == 1


def test_bad_input_is_refused_with_a_clear_message_and_nothing_half_saved(db: Database) -> None:
    build_network(db)
    board, meeting = board_with_meeting(db)
    with pytest.raises(InputError, match="in the past") as exc:
        create_meeting(db, CLIN, board, utcnow() - timedelta(hours=1))
    assert exc.value.field == "scheduled_for"
    other_patient = patients_with_candidates(db, OTHER, 1)[0]
    with pytest.raises(NotFound):  # another centre's patient: not even readable
        add_case(db, CLIN, board, other_patient, "new_case", meeting_id=meeting)
    gr_board, _ = board_with_meeting(db, OTHER, actor=CLIN_OTHER)
    mine = patients_with_candidates(db, HOME, 1)[0]
    with pytest.raises(InputError, match="recourse") as exc:  # a board of another centre, no recourse
        add_case(db, CLIN, gr_board, mine, "new_case")
    assert exc.value.field == "kind"
    with pytest.raises(InputError, match="does not take recourse"):
        add_case(db, CLIN, gr_board, mine, "recourse")
    case_id = add_case(db, CLIN, board, mine, "new_case", meeting_id=meeting)
    with pytest.raises(InputError, match="not frozen"):
        record_decision(
            db, CLIN, case_id, proposal="x", settings=["systemic"], specialties=SPECIALTIES, trials=[]
        )
    freeze_meeting(db, CLIN, meeting)
    card = case_detail(db, CLIN, case_id)
    choices = _decide_all(card, propose_first=False)
    refusals = {
        "specialties": dict(specialties=[]),
        "settings": dict(settings=[]),
        "trials": dict(trials=choices[1:]) if len(choices) > 1 else dict(trials=[]),
        f"trials.{choices[0].trial_id}.criterion": dict(
            trials=[TrialChoice(choices[0].trial_id, False, "not_eligible"), *choices[1:]]
        ),
        f"trials.{choices[0].trial_id}.reason": dict(
            trials=[TrialChoice(choices[0].trial_id, False, ""), *choices[1:]]
        ),
    }
    for field, override in refusals.items():
        kwargs = (
            dict(proposal="Surgery.", settings=["surgery"], specialties=SPECIALTIES, trials=choices)
            | override
        )
        with pytest.raises(InputError) as exc:
            record_decision(db, CLIN, case_id, **kwargs)
        assert exc.value.field == field, (field, exc.value.message)
    with pytest.raises(InputError, match="'trial' is ticked"):
        record_decision(
            db, CLIN, case_id, proposal="x", settings=["trial"], specialties=SPECIALTIES, trials=choices
        )
    with db.session() as s:  # nothing was written by any refused decision
        row = s.get(CaseRow, case_id)
        assert row.status == "frozen" and not row.proposal and not row.specialties
        assert s.scalar(select(func.count()).select_from(TrialDecisionRow)) == 0


def test_a_recourse_case_is_seen_by_the_expert_board_without_the_patients_identity(db: Database) -> None:
    build_network(db)
    expert, meeting = board_with_meeting(db, OTHER, site="sarcoma", recourse=True, actor=CLIN_OTHER)
    mine = patients_with_candidates(db, HOME, 1)[0]
    case_id = add_case(db, CLIN, expert, mine, "recourse", "expert opinion?")
    seen = case_detail(db, CLIN_OTHER, case_id)
    assert seen["patient_id"] is None and seen["summary"] and seen["status"] == "flagged"
    assert mine not in str(seen)
    assert case_detail(db, CLIN, case_id)["patient_id"] == mine  # the referring centre sees its patient
    with pytest.raises(NotFound):
        case_detail(db, CLIN_THIRD, case_id)
    from oncofed.services.boards.cases import schedule_case

    schedule_case(db, CLIN_OTHER, case_id, meeting)
    freeze_meeting(db, CLIN_OTHER, meeting)  # matched from the card the referring centre sent
    card = case_detail(db, CLIN_OTHER, case_id)
    assert card["status"] == "frozen" and card["candidates"]
    out = record_decision(
        db,
        CLIN_OTHER,
        case_id,
        proposal="Trial at the referring centre.",
        settings=["trial"],
        specialties=SPECIALTIES,
        trials=_decide_all(card),
    )
    first = card["candidates"][0]["trial_id"]
    assert out["screening"][first]["status"] == "referring_centre_told"  # isolation: no list write
    with db.session() as s:
        events = list(s.scalars(select(AuditRow.action).where(AuditRow.user_id == "clin-lb")))
    assert "security.refused" in events


def test_research_staff_never_see_a_case_of_a_patient_who_objects(db: Database) -> None:
    build_network(db)
    board, meeting = board_with_meeting(db)
    pid = patients_with_candidates(db, HOME, 1)[0]
    case_id = add_case(db, CLIN, board, pid, "new_case", meeting_id=meeting)
    assert case_detail(db, NURSE, case_id)["patient_id"] == pid
    with db.session() as s:
        profile = PatientRepository(s, Actor.system("test")).get(pid)
        profile.research_objection = True
        PatientRepository(s, Actor.system("test")).upsert(profile)
    with pytest.raises(NotFound):
        case_detail(db, NURSE, case_id)
    assert meeting_detail(db, NURSE, meeting)["cases"] == []
    assert case_detail(db, CLIN, case_id)["patient_id"] == pid  # care is not research


def test_a_new_biomarker_result_reopens_the_case_for_the_next_meeting(db: Database) -> None:
    build_network(db)
    board, meeting = board_with_meeting(db)
    pid = patients_with_candidates(db, HOME, 1)[0]
    case_id = add_case(db, CLIN, board, pid, "new_case", meeting_id=meeting)
    freeze_meeting(db, CLIN, meeting)
    card = case_detail(db, CLIN, case_id)
    record_decision(
        db,
        CLIN,
        case_id,
        proposal="Surgery.",
        settings=["surgery"],
        specialties=SPECIALTIES,
        trials=_decide_all(card, propose_first=False),
    )
    assert scan_events(db, CLIN) == []  # nothing changed in the record
    nxt = create_meeting(db, CLIN, board, utcnow() + timedelta(days=10))
    with db.session() as s:
        repo = PatientRepository(s, Actor.system("test"))
        profile = repo.get(pid)
        profile.facts.append(
            Fact(
                "biomarker",
                code="NTRK1",
                value="fusion",
                provenance=Provenance("lab-import", "report 7"),
                attributes={"kind": "fusion"},
            )
        )
        repo.upsert(profile)
    events = scan_events(db, CLIN)
    assert len(events) == 1 and events[0].kind == "new_biomarker" and "NTRK1" in events[0].reason
    assert events[0].meeting_id == nxt and events[0].previous_case_id == case_id
    reopened = case_detail(db, CLIN, events[0].case_id)
    assert reopened["status"] == "scheduled" and reopened["kind"] == "new_biomarker"
    assert scan_events(db, CLIN) == []  # an open case is not re-opened twice
    freeze_meeting(db, CLIN, nxt)
    assert case_detail(db, CLIN, events[0].case_id)["previous_case_id"] == case_id


def test_events_are_told_apart_progression_first() -> None:
    def fact(kind: str, code: str, value: object = None, **attrs: object) -> Fact:
        return Fact(kind, code=code, value=value, attributes=dict(attrs))

    from oncofed.domain import PatientProfile
    from oncofed.services.boards.cards import snapshot_of

    base = PatientProfile(
        "p", "curie", facts=[fact("treatment", "letrozole", line=1), fact("biomarker", "ER", "positive")]
    )
    before = snapshot_of(base, "t")
    same = PatientProfile("p", "curie", facts=list(base.facts))
    assert detect_events(before, same) is None
    line = PatientProfile("p", "curie", facts=[*base.facts, fact("treatment", "palbociclib", line=2)])
    assert detect_events(before, line)[0] == "new_line"
    prog = PatientProfile("p", "curie", facts=[*line.facts, fact("metastasis", "liver")])
    assert detect_events(before, prog)[0] == "progression"
    marker = PatientProfile("p", "curie", facts=[*base.facts, fact("biomarker", "ESR1", "Y537S")])
    assert detect_events(before, marker) == ("new_biomarker", "new biomarker result: ESR1 Y537S")


def test_board_indicators_count_the_records_by_hand() -> None:
    """Two centres, hand-made records: every board indicator's numerator and denominator."""
    from oncofed.quality import engine
    from oncofed.quality.boards import load_board_indicators
    from oncofed.services.quality.indicators import compute_over_table

    day = date(2025, 6, 2)
    cases = [  # case_id, centre, patient, kind, meeting day, specialties, candidates, proposed, signed
        (1, "a", "p1", "new_case", day, 3, 2, 1, True),
        (2, "a", "p2", "new_case", day, 2, 1, 0, True),
        (3, "a", "p3", "progression", day, 4, 0, 0, False),
        (4, "b", "p4", "new_case", day, 3, 1, 1, True),
    ]
    con = engine.connect()
    con.register(
        "clean_board_cases",
        pa.table(
            {
                k: [c[i] for c in cases]
                for i, k in enumerate(
                    [
                        "case_id",
                        "centre_id",
                        "patient_id",
                        "kind",
                        "meeting_day",
                        "n_specialties",
                        "n_candidates",
                        "n_proposed",
                        "signed",
                    ]
                )
            }
        ),
    )
    con.register("clean_board_proposals", pa.table({"case_id": [1, 4], "trial_id": ["T1", "T2"]}))
    con.register(
        "clean_board_enrolments",
        pa.table(
            {
                "patient_id": ["p1", "p4"],
                "trial_id": ["T1", "T9"],
                "enrolled_on": [day + timedelta(days=20), day],
            }
        ),
    )
    events = pa.table(
        {
            "patient_id": ["p1", "p1", "p2", "p2"],
            "centre_id": ["a"] * 4,
            "event": ["diagnosis", "first_treatment", "diagnosis", "first_treatment"],
            "event_date": [
                day - timedelta(days=10),
                day + timedelta(days=5),
                day - timedelta(days=10),
                day - timedelta(days=1),
            ],
            "detail": ["", "surgery", "", "surgery"],
            "value": pa.array([None] * 4, pa.float64()),
        }
    )
    run = compute_over_table(
        events, source="x", indicators=load_board_indicators(), con=con, period_to="2025-06"
    )
    net = {r.indicator.id: r for r in run.results}

    def counts(ind: str, centre: str) -> tuple[int, int]:
        rows = engine.aggregate(con, net[ind].indicator, "2024-07", "2025-06")
        row = next(
            r for r in rows if r["centre_id"] == centre and r["g_period"] == 1 and r["excluded_by"] == ""
        )
        return int(row["n"]), int(row["k"] or 0)

    assert counts("rcp_three_specialties", "a") == (2, 1)  # case 3 unsigned: excluded
    assert counts("rcp_candidate_trial", "a") == (3, 2)
    assert counts("rcp_trial_proposed", "b") == (1, 1)
    assert counts("rcp_inclusions_new_patients", "a") == (2, 1)  # p1 enrolled in T1, 20 days later
    assert counts("rcp_inclusions_new_patients", "b") == (1, 0)  # p4 enrolled in another trial
    assert counts("rcp_before_treatment", "a") == (2, 1)  # p2 treated the day before the board
    med = engine.aggregate(con, net["rcp_days_to_inclusion"].indicator, "2024-07", "2025-06")
    assert (
        next(r for r in med if r["centre_id"] == "a" and r["g_period"] == 1 and r["excluded_by"] == "")["med"]
        == 20
    )
