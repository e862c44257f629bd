"""The screening log of a trial at a centre: every status change (who, when, from, to, reason, note)
and the CONSORT-style flow of counts, for the people who may read that centre's patients (one audit
record naming every patient shown). The workflow itself is `screening.py`'s."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor
from oncofed.errors import N_, NotFound
from oncofed.services.prescreen.access import PrescreenPatients, refuse_centre, research_actor
from oncofed.store import audit_words
from oncofed.store.db import Database
from oncofed.store.models_prescreen import PrescreenResultRow, ScreeningCandidateRow, ScreeningEventRow

LOG_COLUMNS = [
    "at",
    "trial_id",
    "centre_id",
    "patient_id",
    "from_status",
    "to_status",
    "reason",
    "note",
    "user_id",
]


def screening_log(db: Database, actor: Actor, trial_id: str, centre_id: str) -> dict[str, Any]:
    """Every status change at a centre for a trial, plus the CONSORT-style flow of counts."""
    ractor = research_actor(actor)
    if not ractor.may_read_patients_of(centre_id):
        with db.session() as s:
            refuse_centre(s, actor, centre_id, audit_words.what("screening_log", trial=trial_id))
        raise NotFound(
            N_("no centre %(centre)s in your scope"),
            fix=N_("export only your own centres' logs"),
            code="prescreen.log_out_of_scope",
            params={"centre": centre_id},
        )
    with db.session() as s:
        repo = PrescreenPatients(s, ractor)
        visible = repo.living_ids(centre_id)
        events = list(
            s.scalars(
                select(ScreeningEventRow)
                .where(
                    ScreeningEventRow.trial_id == trial_id,
                    ScreeningEventRow.centre_id == centre_id,
                    ScreeningEventRow.patient_id.in_(visible),
                )
                .order_by(ScreeningEventRow.at, ScreeningEventRow.id)
            )
        )
        results = list(
            s.execute(
                select(PrescreenResultRow.patient_id, PrescreenResultRow.eligibility).where(
                    PrescreenResultRow.trial_id == trial_id,
                    PrescreenResultRow.centre_id == centre_id,
                    PrescreenResultRow.patient_id.in_(visible),
                )
            )
        )
        current = {
            c.patient_id: c
            for c in s.scalars(
                select(ScreeningCandidateRow).where(
                    ScreeningCandidateRow.trial_id == trial_id,
                    ScreeningCandidateRow.centre_id == centre_id,
                    ScreeningCandidateRow.patient_id.in_(visible),
                )
            )
        }
        # the log shows patient ids and free-text notes: one audit record naming every patient in it
        shown = dict.fromkeys(e.patient_id for e in events)
        repo.audit("prescreen.log", [SimpleNamespace(id=pid, centre_id=centre_id) for pid in shown])
    reached: dict[str, set[str]] = {}
    for e in events:
        reached.setdefault(e.patient_id, set()).add(e.to_status)
    from oncofed.services.prescreen.screening import workflow

    consort = workflow()["consort"]
    counts: dict[str, int] = {
        "screened": len(results),
        "candidates": sum(1 for _, el in results if el in ("eligible", "possible")),
    }
    for box, statuses in consort.items():
        counts[box] = sum(1 for st in reached.values() if st & set(statuses))
    not_included: Counter[str] = Counter()
    for cand in current.values():
        if cand.status in ("not_eligible", "declined", "deferred"):
            not_included[f"{cand.status}: {cand.reason or 'no reason given'}"] += 1
    not_included["not eligible by pre-screening (criteria)"] = sum(
        1 for _, el in results if el == "not_eligible"
    )
    rows = [
        {
            "at": e.at.isoformat(timespec="seconds"),
            "trial_id": e.trial_id,
            "centre_id": e.centre_id,
            "patient_id": e.patient_id,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
            "note": e.note,
            "user_id": e.user_id,
        }
        for e in events
    ]
    return {
        "trial_id": trial_id,
        "centre_id": centre_id,
        "counts": counts,
        "reasons_not_included": dict(sorted(not_included.items())),
        "events": rows,
    }
