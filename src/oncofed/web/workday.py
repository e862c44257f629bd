"""What the workday features add to existing pages (issue 18), computed for their templates:
the correction form on a patient's page, the referral form and the "not open at any network
centre" explanations on the match page. Kept apart so those pages' own modules stay small."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from oncofed.domain import Actor, GeoPoint, Role
from oncofed.presenters.referrals import site_reason
from oncofed.services.network.referral_site import referral_options
from oncofed.services.patients.corrections import EDITABLE_KINDS
from oncofed.services.trials.setup import explain_no_open_trial, registry_overview
from oncofed.store.db import Database
from oncofed.store.models import CentreRow


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


def match_workday(
    db: Database,
    data: dict[str, Any],
    session: Session | None = None,
    home: GeoPoint | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Per matched trial: its recruiting network sites (for referrals), the one the form proposes and
    why (the patient's own centre, else the nearest to `home`: services/network/referral_site.py);
    and why nothing is open (read in `session` when the caller holds one: the match page's unit of work)."""
    trial_ids = [m["trial_id"] for m in data["matches"]]
    with db.session_or(session) as s:
        options = referral_options(s, trial_ids, data["patient"]["centre_id"], home)
        centre = s.get(CentreRow, data["patient"]["centre_id"])
        why_key: str = ""
        why: dict[str, Any] = {}
        if not data["open_trials"]:
            why_key, why = explain_no_open_trial(registry_overview(db, s))
    sites = {tid: o["sites"] for tid, o in options.items()}
    defaults = {tid: o["default"]["centre_id"] for tid, o in options.items()}
    reasons = {tid: site_reason(o["default"], lang) for tid, o in options.items()}
    return {
        "sites": sites,
        "defaults": defaults,
        "reasons": reasons,
        "treating_centre": centre.name if centre is not None else "",
        "why_key": why_key,
        "why": why,
    }
