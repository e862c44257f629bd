"""Shapes of the patient charter and the EPiHC self-assessment: the charter matrix as CSV rows and a
principle's assessment as JSON / CSV (the API, the pages and the printable report read the same)."""

from __future__ import annotations

from typing import Any

from oncofed.services.quality.charter import Assessment

CHARTER_COLUMNS = ["centre_id", "commitment", "items", "within", "above", "below", "better", "worse"]
EPIHC_COLUMNS = [
    "principle_id",
    "title",
    "score",
    "evidence",
    "action_plan",
    "review_date",
    "updated_by",
    "updated_at",
]


def charter_rows(matrix: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One CSV row per centre and commitment, with its counts."""
    return [
        {"centre_id": row["centre_id"], "commitment": c["id"], **c["summary"]}
        for row in matrix
        for c in row["commitments"]
    ]


def assessment_json(a: Assessment) -> dict[str, Any]:
    return {
        "principle_id": a.principle_id,
        "title": a.title,
        "score": a.score,
        "evidence": a.evidence,
        "action_plan": a.action_plan,
        "review_date": a.review_date.isoformat() if a.review_date else None,
        "updated_by": a.updated_by,
        "updated_at": a.updated_at,
    }


def assessment_csv_rows(rows: list[dict[str, Any]], lang: str = "en") -> list[dict[str, Any]]:
    """The JSON rows with the title in one language (the CSV has one text per cell)."""
    return [{**r, "title": r["title"].get(lang, "")} for r in rows]
