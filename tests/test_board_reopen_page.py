"""The case page in French says a re-opening's findings and why a trial could not be listed in French
and the question reopen writes for a re-opened case (they showed the services' English: "Rediscuté :
progression: relapsed, new liver metastasis", "(no pre-screened candidate 'p' for trial NCT...)", "Re-discussion
after an event in the record: ..."); in English the service's exact words stay."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.services.boards.cards import freeze_meeting
from oncofed.services.boards.reopen import REOPEN_QUESTION
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseEventRow, CaseRow, TrialDecisionRow
from tests.boards_fixtures import planned_breast_meeting
from tests.conftest import copy_sqlite

CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({"curie"}), "care")
REASON = "progression: relapsed, new liver metastasis, LETROZOLE: progressive disease"
ERROR = "no pre-screened candidate 'p1' for trial NCT0"


@pytest.fixture(scope="module")
def reopened(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, int]]:
    target = tmp_path_factory.mktemp("board-reopen") / "web.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    with db.session() as s:
        decision = s.scalars(
            select(TrialDecisionRow)
            .join(CaseRow, CaseRow.id == TrialDecisionRow.case_id)
            .where(CaseRow.patient_centre_id == "curie", TrialDecisionRow.proposed.is_(True))
            .order_by(TrialDecisionRow.case_id)
        ).first()
        assert decision is not None
        decision.screening, decision.screening_detail = "not_listed", ERROR
        case = s.get(CaseRow, decision.case_id)
        case.reopen_reason = REASON
        case.question = REOPEN_QUESTION + REASON  # as services/boards/reopen.py writes it
        at = datetime(2026, 12, 1, 9, 0)
        s.add_all(  # as stored before the trail said parameters (an English sentence), and now (JSON)
            [
                CaseEventRow(
                    case_id=case.id,
                    at=at,
                    user_id="clin-curie",
                    action="re-opened",
                    detail=f"{REASON}; after case 1; new trials: none",
                ),
                CaseEventRow(
                    case_id=case.id,
                    at=at,
                    user_id="clin-curie",
                    action="pre-screening",
                    detail=json.dumps({"trial_id": decision.trial_id, "status": "not_listed", "note": ERROR}),
                ),
            ]
        )
        case_id = case.id
    yield db, case_id
    db.dispose()


def test_the_french_case_page_says_the_reopening_and_the_listing_error_in_french(
    reopened: tuple[Database, int], client_as
) -> None:  # type: ignore[no-untyped-def]
    db, case_id = reopened
    client = client_as(db, CLIN)
    html = client.get(f"/boards/cases/{case_id}?lang=fr", headers={"accept": "text/html"}).text
    said = "Progression\u00a0: en rechute, nouvelle métastase (foie), progression sous LETROZOLE"
    assert html.count(said) >= 2, re.findall(r"[^>]*LETROZOLE[^<]*", html)  # the card's line and the trail
    assert REASON not in html and "new liver metastasis" not in html
    assert "Rediscussion après un événement du dossier\u00a0: " + said in html
    assert "Re-discussion" not in html
    assert "introuvable dans le centre du patient" in html and ERROR.replace("'", "&#39;") not in html
    english = client.get(f"/boards/cases/{case_id}?lang=en", headers={"accept": "text/html"}).text
    assert "Progression: relapsed, new metastasis (liver), progressive disease on LETROZOLE" in english
    assert ERROR.replace("'", "&#39;") in english
    assert "Re-discussion after an event in the record: Progression: relapsed," in english


def test_the_french_agenda_counts_its_new_trials_in_agreement(
    reopened: tuple[Database, int], client_as
) -> None:  # type: ignore[no-untyped-def]
    """A frozen agenda said "8 4 nouveau" (a number then the singular word, whatever the count)."""
    db, _case_id = reopened
    meeting = planned_breast_meeting(db)
    freeze_meeting(db, CLIN, meeting)
    client = client_as(db, CLIN)
    for lang, one, many in (("fr", "nouveau", "nouveaux"), ("en", "new", "new")):
        html = client.get(f"/boards/meetings/{meeting}?lang={lang}", headers={"accept": "text/html"}).text
        counts = re.findall(r'<span class="new">(\d+) (\w+)</span>', html)
        assert counts, html[:2000]
        assert all(word == (one if int(n) == 1 else many) for n, word in counts), counts
