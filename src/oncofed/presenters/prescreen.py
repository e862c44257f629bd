"""JSON shapes of pre-screening (the recruitment chart is in `presenters/recruitment.py`)."""

from __future__ import annotations

from typing import Any

from oncofed.services.prescreen.lists import Candidate, PrescreenList
from oncofed.services.prescreen.paging import words_text
from oncofed.services.prescreen.refresh import RefreshReport
from oncofed.services.prescreen.screening import LOG_COLUMNS

PRESCREEN_COLUMNS = [
    "rank",
    "patient_id",
    "eligibility",
    "score",
    "status",
    "is_new",
    "read_not_met",
    "to_check",
    "blocking",
    "reason",
    "note",
    "updated_by",
]


INDEX_COLUMNS = ["trial_id", "title", "centre_id", "centre", "last_computed_at", "candidates", "eligible",
                 "to_screen", "flagged", "unlikely", "blocked"]  # fmt: skip
NOTIFICATION_COLUMNS = ["id", "created_at", "trial_id", "centre_id", "count", "message", "read", "emailed"]
LOG_CSV_COLUMNS = ["record", "measure", "value", *LOG_COLUMNS]


def candidate_json(c: Candidate, rank: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "patient_id": c.patient_id,
        "display_name": c.display_name,
        "eligibility": c.eligibility,
        "score": c.score,
        "is_new": c.is_new,
        "read_not_met": c.read_not_met,
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


def list_json(result: PrescreenList) -> dict[str, Any]:
    """A computed list (`prescreen_list`): the trial, the centre, the counts, what the refresh did and
    every candidate ranked (the CLI's JSON)."""
    return {
        "trial_id": result.trial.id,
        "trial_title": result.trial.title,
        "centre_id": result.centre_id,
        "centre": result.centre_name,
        "last_visit_at": result.last_visit_at.isoformat(timespec="seconds") if result.last_visit_at else None,
        "computed_at": result.computed_at.isoformat(timespec="seconds") if result.computed_at else None,
        "stale": result.stale,
        "counts": result.counts,
        "refresh": refresh_json(result.refresh),
        "candidates": [candidate_json(c, i) for i, c in enumerate(result.candidates, start=1)],
    }


def candidate_csv_rows(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A list page's candidates with their criteria in words, one CSV cell each."""
    return [
        {
            **c,
            "read_not_met": words_text(c.get("read_not_met", [])),
            "to_check": words_text(c["to_check"]),
            "blocking": words_text(c["blocking"]),
        }
        for c in candidates
    ]


def log_csv_rows(log: dict[str, Any]) -> list[dict[str, Any]]:
    """The screening log in one file: the CONSORT-style counts, the reasons for non-inclusion, then
    every event."""
    rows: list[dict[str, Any]] = [
        {"record": "count", "measure": k, "value": v} for k, v in log["counts"].items()
    ]
    rows += [
        {"record": "not_included", "measure": k, "value": v} for k, v in log["reasons_not_included"].items()
    ]
    rows += [{"record": "event", **e} for e in log["events"]]
    return rows
