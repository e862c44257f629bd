"""What a board's proposal leaves for the research nurse is said in her language: the note on the patient's
pre-screening entry ("Proposed by the tumour board ... (case N)") and the notification on the pre-screening
index (it was counted as "1 nouveau candidat": a proposal is not a new candidate of the list's refresh), with
a link to the case for the patient's own centre. A note a person typed stays as typed."""

from __future__ import annotations

import html
from datetime import datetime

from oncofed.presenters.board_trail import screening_note_said
from oncofed.services.prescreen.notify import notifications_for
from oncofed.store.db import Database
from oncofed.store.models_prescreen import NotificationRow
from tests.prescreen_fixtures import TRIAL_ID, build_network, nurse

NOTE = "Proposed by the tumour board RCP sein · Curie on 2026-11-20 (case 12)"


def test_a_board_proposal_note_is_said_in_the_reader_language() -> None:
    assert screening_note_said(NOTE, "fr") == "Proposé par la RCP sein · Curie le 20 nov. 2026 (dossier 12)"
    assert (
        screening_note_said(NOTE, "en")
        == "Proposed by the tumour board RCP sein · Curie on 20 Nov 2026 (case 12)"
    )
    assert screening_note_said("rappeler la patiente lundi", "fr") == "rappeler la patiente lundi"


def test_a_board_proposal_notification_is_said_as_such_in_french(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    with db.session() as s:
        # one stored before its board and case were kept apart (only the English message), one after
        s.add(
            NotificationRow(
                centre_id=a, trial_id=TRIAL_ID, kind="board_proposal", count=1, created_at=datetime(2026, 12, 1),
                message="The tumour board RCP sein · A proposed trial TEST-0001 for one of your patients (case 7): "
                "put them on the pre-screening list from the case page",
                read_by=[], emailed_to=[], extra={"case_id": 7},
            )
        )  # fmt: skip
        s.add(
            NotificationRow(
                centre_id=a, trial_id=TRIAL_ID, kind="board_proposal", count=1, created_at=datetime(2026, 12, 2),
                message="...", read_by=[], emailed_to=[],
                extra={"case_id": 9, "board": "RCP sarcome · B", "referring": False},
            )
        )  # fmt: skip
    listed = {n["case_id"]: n for n in notifications_for(db, nurse(a))}
    assert listed[7]["referring"] and listed[7]["board"] == "RCP sein · A"
    assert not listed[9]["referring"] and listed[9]["board"] == "RCP sarcome · B"
    page = client_as(db, nurse(a)).get("/prescreen", headers={"accept": "text/html", "accept-language": "fr"})
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "La RCP sein · A a proposé l'essai TEST-0001 pour un de vos patients (dossier 7)" in text
    assert 'href="/boards/cases/7"' in text
    assert (
        "La RCP sarcome · B a proposé l'essai TEST-0001 pour un patient d'un autre centre (dossier 9)" in text
    )
    assert "nouveau candidat" not in text
