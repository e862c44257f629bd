"""JSON shapes of pre-screening (the recruitment chart is in `presenters/recruitment.py`)."""

from __future__ import annotations

from typing import Any

from oncofed.services.prescreen.lists import Candidate, RefreshReport

PRESCREEN_COLUMNS = [
    "rank",
    "patient_id",
    "eligibility",
    "score",
    "status",
    "is_new",
    "to_check",
    "blocking",
    "reason",
    "note",
    "updated_by",
]


def candidate_json(c: Candidate, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "patient_id": c.patient_id,
        "display_name": c.display_name,
        "eligibility": c.eligibility,
        "score": c.score,
        "is_new": c.is_new,
        "to_check": c.to_check,
        "blocking": c.blocking,
        "status": c.status,
        "version": c.version,
        "reason": c.reason,
        "note": c.note,
        "updated_by": c.updated_by,
        "updated_at": c.updated_at.isoformat(timespec="seconds") if c.updated_at else None,
    }


def refresh_json(r: RefreshReport | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "patients": r.patients,
        "evaluated": r.evaluated,
        "removed": r.removed,
        "new_candidates": r.new_candidates,
        "full": r.full,
        "milliseconds": round(r.seconds * 1000, 1),
    }
