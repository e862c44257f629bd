"""What the workday features add to existing pages (issue 18), computed for their templates:
the correction form on a patient's page, the referral form and the "not open at any network
centre" explanations on the match page. Kept apart so those pages' own modules stay small."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncofed.domain import Actor, Role, TrialStatus
from oncofed.services.patients.corrections import EDITABLE_KINDS
from oncofed.services.trials.setup import explain_no_open_trial, registry_overview
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, TrialSiteRow


def patient_workday(
    actor: Actor, facts: list[dict[str, Any]], corrections: list[dict[str, Any]], correct: str | None
) -> dict[str, Any]:
    """The correction form (prefilled with fact `correct` when given) and the corrections made (read
    with the record, in the same audited access: services/patients/view.py)."""
    can_correct = actor.role in (Role.CLINICIAN, Role.SYSTEM)
    prefill: dict[str, Any] = {"index": "", "kind": "biomarker"}
    if (
        correct is not None
        and correct.isdigit()
        and int(correct) < len(facts)
        and facts[int(correct)]["kind"] != "note"
    ):
        f = facts[int(correct)]
        prefill = {
            "index": int(correct), "kind": f["kind"], "code": f.get("code") or "",
            "value": "" if f.get("value") is None else f["value"], "unit": f.get("unit") or "",
            "negated": bool(f.get("negated")), "when": f.get("when") or "",
        }  # fmt: skip
    return {
        "can_correct": can_correct,
        "kinds": EDITABLE_KINDS,
        "prefill": prefill,
        "corrections": corrections,
    }


def match_workday(db: Database, data: dict[str, Any], session: Session | None = None) -> dict[str, Any]:
    """Per matched trial: its recruiting network sites (for referrals); and why nothing is open (read
    in `session` when the caller holds one: the match page's unit of work)."""
    trial_ids = [m["trial_id"] for m in data["matches"]]
    sites: dict[str, list[dict[str, Any]]] = {tid: [] for tid in trial_ids}
    with db.session_or(session) as s:
        rows = s.execute(
            select(TrialSiteRow.trial_id, TrialSiteRow.centre_id, CentreRow.name, TrialSiteRow.contact)
            .join(CentreRow, CentreRow.id == TrialSiteRow.centre_id)
            .where(TrialSiteRow.trial_id.in_(trial_ids), TrialSiteRow.status == TrialStatus.RECRUITING.value)
            .order_by(CentreRow.name)
        )
        for tid, cid, name, contact in rows:
            sites[tid].append({"centre_id": cid, "name": name, "contact": contact})
        centre = s.get(CentreRow, data["patient"]["centre_id"])
        why_key: str = ""
        why: dict[str, Any] = {}
        if not data["open_trials"]:
            why_key, why = explain_no_open_trial(registry_overview(db, s))
    return {
        "sites": sites,
        "treating_centre": centre.name if centre is not None else "",
        "why_key": why_key,
        "why": why,
    }
