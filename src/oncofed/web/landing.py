"""Each role's landing page (issue 18): what a person of that role opens the platform for.

clinician: my centres' patients (search, recently updated) and new matches (patients who became
candidates for a trial in the last 14 days), my referrals, the patients' correction requests waiting; research staff: pre-screening queues with
counts; trial manager: recruitment and the trials still to open at a centre; quality manager:
indicators; DPO: the audit log's latest entries; public: the network map (the home page as before).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.services.patients.search import SearchablePatients, original_id
from oncofed.services.prescreen.access import PrescreenPatients, research_actor, utcnow
from oncofed.services.prescreen.engine import CANDIDATE
from oncofed.store.db import Database
from oncofed.store.models import PatientRow, TrialRow
from oncofed.store.models_prescreen import PrescreenResultRow

NEW_MATCH_DAYS = 14


def _recent_patients(db: Database, actor: Actor, limit: int = 8) -> list[dict[str, Any]]:
    with db.session() as s:
        repo = SearchablePatients(s, actor)
        rows = list(
            s.scalars(
                repo.scoped(select(PatientRow))
                .order_by(PatientRow.updated_at.desc(), PatientRow.id)
                .limit(limit)
            )
        )
        repo.audit_rows("patient.list", rows)
        return [
            {"id": r.id, "original_id": original_id(r.id, r.centre_id), "display_name": r.display_name,
             "primary_cancer": r.primary_cancer, "stage": r.stage, "updated_at": r.updated_at.isoformat(timespec="seconds")}
            for r in rows
        ]  # fmt: skip


def _new_matches(db: Database, actor: Actor, limit: int = 12) -> list[dict[str, Any]]:
    """Patients of the caller's centres who became candidates for a trial recently (as pre-screening
    last computed them; objectors never appear: this is research use)."""
    ractor = research_actor(actor)
    since = utcnow() - timedelta(days=NEW_MATCH_DAYS)
    out: list[dict[str, Any]] = []
    with db.session() as s:
        repo = PrescreenPatients(s, ractor)
        for centre_id in sorted(actor.centre_ids - {"*"}):
            visible = repo.living_ids(centre_id)
            stmt = (
                select(PrescreenResultRow.patient_id, PrescreenResultRow.trial_id, PrescreenResultRow.eligibility,
                       PrescreenResultRow.became_candidate_at, TrialRow.title)
                .join(TrialRow, TrialRow.id == PrescreenResultRow.trial_id)
                .where(PrescreenResultRow.centre_id == centre_id, PrescreenResultRow.patient_id.in_(visible),
                       PrescreenResultRow.eligibility.in_(CANDIDATE), PrescreenResultRow.became_candidate_at >= since)
                .order_by(PrescreenResultRow.became_candidate_at.desc(), PrescreenResultRow.patient_id)
                .limit(limit)
            )  # fmt: skip
            for pid, tid, elig, at, title in s.execute(stmt):
                out.append({"patient_id": pid, "trial_id": tid, "title": title, "eligibility": elig,
                            "since": at.isoformat(timespec="seconds") if at else None, "centre_id": centre_id})  # fmt: skip
        from types import SimpleNamespace

        repo.audit(
            "landing.new_matches",
            [SimpleNamespace(id=m["patient_id"], centre_id=m["centre_id"]) for m in out],
        )
    return out[:limit]


def landing_context(db: Database, actor: Actor) -> dict[str, Any]:
    """The landing page's content for `actor` (the JSON twin is /api/me/home)."""
    role = actor.role
    out: dict[str, Any] = {"role": role.value, "user": actor.user_id}
    if role is Role.CLINICIAN:
        from oncofed.services.prescreen.referrals import referrals_by

        out["patients"] = _recent_patients(db, actor)
        out["new_matches"] = _new_matches(db, actor)
        out["referrals"] = referrals_by(db, actor, limit=8)
        from oncofed.services.patient_space.corrections import work_list

        waiting = work_list(db, actor)  # patients saying a fact of their record is wrong (their space)
        out["corrections_waiting"] = len(waiting)
        out["correction_requests"] = waiting[:8]
    elif role is Role.RESEARCH_STAFF:
        from oncofed.services.prescreen.notify import notifications_for
        from oncofed.services.prescreen.paging import index_with_counts

        out["queues"] = index_with_counts(db, actor)[:15]
        out["notifications"] = notifications_for(db, actor, unread_only=True)[:10]
        from oncofed.services.patient_space.trials import staff_requests

        out["contact_requests"] = staff_requests(db, actor)[:10]  # patients asking, from their own space
    elif role is Role.TRIAL_MANAGER:
        from oncofed.presenters.recruitment import summary_json
        from oncofed.services.recruitment.projections import network_recruitment
        from oncofed.services.trials.setup import registry_overview, trials_to_set_up

        rows = [summary_json(t) for t in network_recruitment(db)]
        rows.sort(
            key=lambda r: (-(r["sites_behind"] or 0), r["percent"] if r["percent"] is not None else 1e9)
        )
        out["recruitment"] = rows[:12]
        out["to_set_up"] = trials_to_set_up(db, limit=10)
        out["registry"] = registry_overview(db)
    elif role is Role.QUALITY_MANAGER:
        from oncofed.quality.indicators import load_indicators

        out["indicators"] = [{"id": i.id, "title": i.title} for i in load_indicators()]
    elif role in (Role.DPO, Role.ADMIN):
        from oncofed.store import audit

        keep = ("seq", "at", "user_id", "role", "action", "centre_ids", "n_records")  # no patient ids here
        out["audit"] = [{k: e.get(k) for k in keep} for e in audit.search(db.engine, limit=10)]
        out["security"] = [
            {k: e.get(k) for k in keep} for e in audit.search(db.engine, security=True, limit=5)
        ]
    return out
