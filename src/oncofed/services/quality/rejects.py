"""Rejected event rows as shown to people (docs/SECURITY.md, F1): counts per reason and per centre
for everyone, the file and row number for those who fix the file, never a patient id or a date."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from oncofed.domain import Actor, Role
from oncofed.quality.events import EVENT_TYPES, REJECT_REASONS
from oncofed.store.db import Database
from oncofed.store.models import CentreRow
from oncofed.store.models_quality import QualityRejectRow

EXAMPLES = 5

# Rejected rows are shown without patient-level data (docs/SECURITY.md, F1): no patient id, no event
# date, and a detail re-worded from the reason and event type only (the stored detail quotes both).
SAFE_DETAIL = {
    "invalid_value": "unknown event type, unreadable date or value",
    "unknown_patient": "the patient id is not in the store",
    "unknown_centre": "the centre is not a centre of the network",
    "duplicate": "same patient, event, date, detail and value as an earlier row",
    "survey_out_of_range": "survey score outside 0-100",
    "negative_delay": "dated before the patient's diagnosis",
    "dates_out_of_order": "dated before the patient's diagnosis or after their death",
}
REJECT_COLUMNS = ["source", "row", "reason", "detail", "centre_id", "event"]


def safe_detail(reason: str, event: str | None) -> str:
    text = SAFE_DETAIL.get(reason, reason)
    return f"{event}: {text}" if event and reason != "invalid_value" else text


def may_locate_rejects(actor: Actor, centre_id: str | None) -> bool:
    """Who may see where a rejected row is (source file and row number, never the patient): the
    network's quality managers and administrators, and a centre's own staff for its own rows."""
    if actor.role in (Role.QUALITY_MANAGER, Role.ADMIN, Role.SYSTEM):
        return True
    if actor.role in (Role.CLINICIAN, Role.RESEARCH_STAFF):
        return centre_id is not None and centre_id in actor.centre_ids
    return False


UNREADABLE = "(not readable)"


def _centres(session: Any) -> set[str]:
    return set(session.scalars(select(CentreRow.id)).all())


def _centre(value: str | None, centres: set[str]) -> str:
    # the columns of a rejected row are as the file gave them: shown only when they are vocabulary
    # (a network centre, an event type), since a shifted column could hold an id or a date
    return value if value in centres else UNREADABLE


def _safe_row(r: QualityRejectRow, locate: bool, centres: set[str]) -> dict[str, Any]:
    event = r.event if r.event in EVENT_TYPES else None
    row: dict[str, Any] = {
        "reason": r.reason,
        "detail": safe_detail(r.reason, event),
        "centre_id": _centre(r.centre_id, centres),
        "event": event or UNREADABLE,
    }
    if locate:
        row = {"source": r.source, "row": r.row_number, **row}
    return row


def reject_summary(db: Database, examples: int = EXAMPLES, actor: Actor | None = None) -> dict[str, Any]:
    """Counts per reason and per centre, and a few examples of each reason without patient-level
    data (source file and row number only for `actor`s who may locate the row; none without one)."""
    with db.session() as s:
        centres = _centres(s)
        counts = dict(
            s.execute(select(QualityRejectRow.reason, func.count()).group_by(QualityRejectRow.reason)).all()
        )
        per_centre: dict[tuple[str, str], int] = {}
        for c, reason, n in s.execute(
            select(QualityRejectRow.centre_id, QualityRejectRow.reason, func.count()).group_by(
                QualityRejectRow.centre_id, QualityRejectRow.reason
            )
        ).all():
            key = (_centre(c, centres), str(reason))
            per_centre[key] = per_centre.get(key, 0) + int(n)
        out: dict[str, Any] = {
            "total": int(sum(counts.values())),
            "reasons": [],
            "by_centre": [
                {"centre_id": c, "reason": reason, "count": n}
                for (c, reason), n in sorted(per_centre.items())
            ],
        }
        for reason in REJECT_REASONS:
            if not counts.get(reason):
                continue
            rows = s.scalars(
                select(QualityRejectRow)
                .where(QualityRejectRow.reason == reason)
                .order_by(QualityRejectRow.id)
                .limit(examples)
            ).all()
            out["reasons"].append(
                {
                    "reason": reason,
                    "count": int(counts[reason]),
                    "examples": [
                        _safe_row(r, actor is not None and may_locate_rejects(actor, r.centre_id), centres)
                        for r in rows
                    ],
                }
            )
    return out


def list_rejects(db: Database, actor: Actor, limit: int = 10000) -> list[dict[str, Any]]:
    """The rejected rows `actor` may locate (file, row number, reason, centre, event type): enough for
    the centre to fix its file, with no patient id or date (see `may_locate_rejects`)."""
    stmt = select(QualityRejectRow).order_by(QualityRejectRow.id).limit(limit)
    if actor.role in (Role.CLINICIAN, Role.RESEARCH_STAFF):
        stmt = stmt.where(QualityRejectRow.centre_id.in_(sorted(actor.centre_ids)))
    elif not may_locate_rejects(actor, None):
        return []
    with db.session() as s:
        centres = _centres(s)
        return [_safe_row(r, True, centres) for r in s.scalars(stmt).all()]
