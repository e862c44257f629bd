"""Screen failures for trial managers: why boards did not propose each trial (counts per trial,
centre, reason and criterion; never a patient)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select

from oncofed.services.boards.vocabulary import label
from oncofed.store.db import Database
from oncofed.store.models import TrialRow
from oncofed.store.models_boards import BoardRow, CaseRow, TrialDecisionRow

SCREEN_FAILURE_COLUMNS = [
    "trial_id",
    "title",
    "board_centre_id",
    "reason",
    "reason_label",
    "criterion",
    "cases",
]


def screen_failures(db: Database, *, trial_id: str | None = None, lang: str = "en") -> dict[str, Any]:
    """Why boards did not propose each trial: counts per (trial, centre, reason, criterion), never a
    patient; and per trial how often it was a candidate and how often proposed."""
    with db.session() as s:
        stmt = (
            select(
                TrialDecisionRow.trial_id,
                BoardRow.centre_id,
                TrialDecisionRow.proposed,
                TrialDecisionRow.reason,
                TrialDecisionRow.criterion,
            )
            .join(CaseRow, CaseRow.id == TrialDecisionRow.case_id)
            .join(BoardRow, BoardRow.id == CaseRow.board_id)
        )
        if trial_id:
            stmt = stmt.where(TrialDecisionRow.trial_id == trial_id)
        rows = s.execute(stmt).all()
        titles = dict(
            s.execute(select(TrialRow.id, TrialRow.title).where(TrialRow.id.in_({r[0] for r in rows}))).all()
        )
    failures: Counter[tuple[str, str, str, str]] = Counter()
    totals: dict[str, Counter[str]] = {}
    for tid, centre, proposed, reason, criterion in rows:
        totals.setdefault(tid, Counter())["proposed" if proposed else "not_proposed"] += 1
        if not proposed:
            failures[(tid, centre, reason, criterion if reason == "not_eligible" else "")] += 1
    out = [
        {
            "trial_id": t,
            "title": titles.get(t, ""),
            "board_centre_id": c,
            "reason": r,
            "reason_label": label("not_proposed_reasons", r, lang),
            "criterion": k,
            "cases": n,
        }
        for (t, c, r, k), n in sorted(failures.items(), key=lambda x: (x[0][0], -x[1], x[0][1:]))
    ]
    trials = [
        {
            "trial_id": t,
            "title": titles.get(t, ""),
            "candidate": sum(c.values()),
            "proposed": c["proposed"],
            "not_proposed": c["not_proposed"],
        }
        for t, c in sorted(totals.items())
    ]
    return {"trials": trials, "failures": out}
