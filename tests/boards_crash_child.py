"""The process tests/test_boards_crash.py kills: it runs one tumour-board write (freeze an agenda, record
a decision, or put a proposed trial on the pre-screening list) and sends itself SIGKILL right after the
database has executed the `nth` statement starting with `marker` (e.g. "UPDATE board_cases"), that
is in the middle of the write's transaction, before it commits.

Usage: python -m tests.boards_crash_child URL MARKER NTH freeze MEETING_ID
       python -m tests.boards_crash_child URL MARKER NTH decide CASE_ID CHOICES_JSON [USER]
       python -m tests.boards_crash_child URL MARKER NTH screening CASE_ID TRIAL_ID [USER]
USER: the clinician writing, `clin-curie` (the default) or `clin-gr` (tests/boards_fixtures.py).
Exits 0 (and prints "finished") when the marker never came: the caller then knows no kill happened."""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SPECIALTIES = ["medical_oncology", "surgery", "pathology"]


def kill_after(marker: str, nth: int) -> None:
    seen = 0

    def after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        nonlocal seen
        if statement.lstrip().upper().startswith(marker.upper()):
            seen += 1
            if seen == nth:
                os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "after_cursor_execute", after)


def main(argv: list[str]) -> None:
    from oncofed.services.boards.cards import freeze_meeting
    from oncofed.services.boards.decisions import TrialChoice, enter_screening, record_decision
    from oncofed.store.db import Database
    from tests.boards_fixtures import CLIN, CLIN_OTHER

    url, marker, nth, action, *rest = argv
    actor = {a.user_id: a for a in (CLIN, CLIN_OTHER)}[rest[2] if len(rest) > 2 else CLIN.user_id]
    db = Database(url)
    kill_after(marker, int(nth))
    if action == "freeze":
        freeze_meeting(db, actor, int(rest[0]), scan=False)
    elif action == "decide":
        choices = [TrialChoice(**c) for c in json.loads(rest[1])]
        proposed = any(c.proposed for c in choices)
        record_decision(
            db,
            actor,
            int(rest[0]),
            proposal="Systemic therapy within the trial." if proposed else "Standard systemic therapy.",
            settings=["systemic", "trial"] if proposed else ["systemic"],
            specialties=SPECIALTIES,
            trials=choices,
        )
    elif action == "screening":
        enter_screening(db, actor, int(rest[0]), rest[1])
    else:
        raise SystemExit(f"unknown action {action!r}")
    print("finished")


if __name__ == "__main__":
    main(sys.argv[1:])
