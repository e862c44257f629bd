"""The trials of a patient's own space: those their care team proposed (a clinician's referral, a
pre-screening list that kept them), those the network's matching finds for their record (open trials,
eligible or to check, never the ones read as excluded), and the patient's requests to be contacted
about one, which the research staff of the patient's centre see in their work list."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor, TrialStatus
from oncofed.domain.matching import Outcome, TrialVerdict
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.patient_space.forwarding import forwarded_here, recruiting_site
from oncofed.services.patient_space.space import STAFF_ROLES, _now, centre_names, own_id, staff_holds
from oncofed.services.prescreen.access import utcnow
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.models import PatientRow, TrialRow, TrialSiteRow
from oncofed.store.models_patient_space import ContactRequestRow
from oncofed.store.models_prescreen import NotificationRow, ScreeningCandidateRow
from oncofed.store.models_workday import TrialReferralRow
from oncofed.store.repositories import PatientRepository

# pre-screening statuses set by research staff that mean "this trial was kept for you"
PROPOSED_STATUSES = ("flagged", "eligible", "contacted", "enrolled")
MAX_MESSAGE = 1000
REQUEST_COLUMNS = ["id", "asked_at", "patient_id", "trial_id", "title", "message", "site_centre_id", "site_facility",
                   "site_contact", "forwarded_to", "forwarded_by", "handled_by", "handled_at"]  # fmt: skip


def proposals(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """What the care team proposed: referrals (newest first), then pre-screening statuses."""
    pid = own_id(actor)
    names = centre_names(db)
    with db.session() as s:
        titles = dict(s.execute(select(TrialRow.id, TrialRow.title)).all())
        out: list[dict[str, Any]] = [
            {"trial_id": r.trial_id, "title": titles.get(r.trial_id, r.trial_id), "how": "referral",
             "centre": names.get(r.site_centre_id, r.site_centre_id), "at": r.at.date().isoformat(), "note": r.note}
            for r in s.scalars(select(TrialReferralRow).where(TrialReferralRow.patient_id == pid).order_by(TrialReferralRow.id.desc()))
        ]  # fmt: skip
        seen = {o["trial_id"] for o in out}
        for c in s.scalars(
            select(ScreeningCandidateRow).where(
                ScreeningCandidateRow.patient_id == pid, ScreeningCandidateRow.status.in_(PROPOSED_STATUSES)
            )
        ):
            if c.trial_id not in seen:
                out.append({"trial_id": c.trial_id, "title": titles.get(c.trial_id, c.trial_id), "how": c.status,
                            "centre": names.get(c.centre_id, c.centre_id), "at": c.updated_at.date().isoformat(),
                            "note": ""})  # fmt: skip
    return out


def matched(db: Database, actor: Actor, limit: int = 5, day: date | None = None) -> list[dict[str, Any]]:
    """Open trials the matching finds for the record (one audited read of it): eligible, or with
    conditions the record cannot settle; a trial read as excluded or 'probably not' is left out."""
    from oncofed.services.matching.match import match_stored_patient

    pid = own_id(actor)
    names = centre_names(db)
    report = match_stored_patient(db, actor, pid, day=day, limit=max(limit * 4, 20))
    out = []
    for r in report.results:
        m = r.match
        if m.verdict not in (TrialVerdict.ELIGIBLE, TrialVerdict.UNKNOWN) or m.probably_not:
            continue
        counts = m.counts
        site = m.nearest_site
        to_check = [co for co in m.outcomes if co.outcome is Outcome.UNKNOWN]
        out.append(
            {
                "trial_id": r.trial.id,
                "title": r.trial.title,
                "verdict": m.verdict.value,
                "met": counts[Outcome.SATISFIED],
                "to_check": counts[Outcome.UNKNOWN],
                "conditions": counts[Outcome.SATISFIED] + counts[Outcome.UNKNOWN] + counts[Outcome.VIOLATED],
                "checks": [c for co in to_check[:3] for c in co.checks[:1]],
                "site": site.facility if site else "",
                "site_centre": names.get(site.centre_id or "", "") if site else "",
                "city": site.city if site else "",
                "distance_km": round(m.distance_km) if m.distance_km is not None else None,
            }
        )
        if len(out) >= limit:
            break
    return out


def _recruits(s: Any, trial_id: str) -> bool:
    return bool(
        s.scalar(
            select(TrialSiteRow.trial_id).where(
                TrialSiteRow.trial_id == trial_id, TrialSiteRow.status == TrialStatus.RECRUITING.value
            )
        )
    )


def ask_contact(db: Database, actor: Actor, trial_id: str, message: str = "") -> dict[str, Any]:
    """The patient asks to be contacted about `trial_id`: kept for the research staff of the patient's
    centre (their work list, an in-app notification naming the trial, never the patient), audited."""
    pid = own_id(actor)
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise InputError(
            N_("the message is longer than %(limit)s characters"), field="message", fix=N_("shorten it"),
            code="me.message_too_long", params={"limit": MAX_MESSAGE},
        )  # fmt: skip
    with db.session() as s:
        patient = s.get(PatientRow, pid)
        trial = s.get(TrialRow, trial_id)
        if patient is None or trial is None or not _recruits(s, trial_id):
            raise NotFound(
                N_("no recruiting trial %(trial)s"), fix=N_("choose a trial listed on your trials page"),
                code="me.unknown_trial", params={"trial": trial_id},
            )  # fmt: skip
        if patient.research_objection:
            raise InputError(
                N_(
                    "you object to the research use of your data, so the research team cannot see your record"
                ),
                field="objection",
                fix=N_(
                    "talk about this trial with your doctor at your next visit, or withdraw your objection first"
                ),
                code="me.contact_objecting",
            )
        pending = s.scalar(
            select(ContactRequestRow.id).where(
                ContactRequestRow.patient_id == pid, ContactRequestRow.trial_id == trial_id,
                ContactRequestRow.handled_at.is_(None),
            )
        )  # fmt: skip
        if pending is not None:
            raise InputError(
                N_("you already asked to be contacted about this trial"), field="trial",
                fix=N_("the research team will contact you; your request is on your trials page"),
                code="me.contact_pending",
            )  # fmt: skip
        site_centre, facility, contact = recruiting_site(s, trial_id, patient.centre_id)
        row = ContactRequestRow(patient_id=pid, centre_id=patient.centre_id, trial_id=trial_id, message=message,
                                asked_at=_now(), handled_by="", site_centre_id=site_centre, site_facility=facility,
                                site_contact=contact)  # fmt: skip
        s.add(row)
        s.flush()
        request_id = row.id
        s.add(
            NotificationRow(
                centre_id=patient.centre_id, trial_id=trial_id, kind="contact_request", count=1,
                message=f"a patient asks to be contacted about trial {trial_id}: see /prescreen/requests",
                created_at=utcnow(), read_by=[], emailed_to=[], extra={"request": request_id},
            )
        )  # fmt: skip
        detail = coded("patient.contact", trial=trial_id)
        audit.record_read(
            s,
            audit.event_for(
                actor, "patient.contact_request", patients=[(pid, patient.centre_id)], detail=detail
            ),
        )
    return {"id": request_id, "trial_id": trial_id, "message": message, "handled": False}


def my_requests(db: Database, actor: Actor) -> list[dict[str, Any]]:
    pid = own_id(actor)
    with db.session() as s:
        return [
            {"id": r.id, "trial_id": r.trial_id, "asked_at": r.asked_at.isoformat(timespec="minutes"),
             "message": r.message, "handled": r.handled_at is not None,
             "elsewhere": bool(r.site_centre_id) and r.site_centre_id != r.centre_id,
             "site_facility": r.site_facility, "forwarded": r.forwarded_at is not None}
            for r in s.scalars(select(ContactRequestRow).where(ContactRequestRow.patient_id == pid).order_by(ContactRequestRow.id.desc()))
        ]  # fmt: skip


def staff_requests(db: Database, actor: Actor, *, include_handled: bool = False) -> list[dict[str, Any]]:
    """The requests of the caller's centres' patients, read through the actor-scoped repository (other
    centres never; research staff never see a patient who objects since): one audited list read."""
    if actor.role not in STAFF_ROLES:
        return []
    with db.session() as s:
        stmt = select(ContactRequestRow).order_by(ContactRequestRow.id.desc())
        if not include_handled:
            stmt = stmt.where(ContactRequestRow.handled_at.is_(None))
        rows = list(s.scalars(stmt))
        repo = PatientRepository(s, actor)
        visible = repo.existing_ids(r.patient_id for r in rows)
        shown = [r for r in rows if r.patient_id in visible]
        mine = {r.id for r in shown}
        shown += [
            r
            for r in forwarded_here(s, actor)
            if r.id not in mine and (include_handled or r.handled_at is None)
        ]
        titles = dict(s.execute(select(TrialRow.id, TrialRow.title)).all())
        if shown and audit.audited(actor):
            pairs = list(dict.fromkeys((r.patient_id, r.centre_id) for r in shown))
            audit.record_read(s, audit.event_for(actor, "patient.list", patients=pairs))
        return [
            {"id": r.id, "patient_id": r.patient_id, "centre_id": r.centre_id, "trial_id": r.trial_id,
             "title": titles.get(r.trial_id, r.trial_id), "message": r.message,
             "asked_at": r.asked_at.isoformat(timespec="minutes"), "handled_by": r.handled_by,
             "site_centre_id": r.site_centre_id, "site_facility": r.site_facility, "site_contact": r.site_contact,
             "forwarded_to": r.forwarded_to, "forwarded_by": r.forwarded_by,
             "forwarded_here": r.id not in mine, "elsewhere": bool(r.site_centre_id) and r.site_centre_id != r.centre_id,
             "handled_at": r.handled_at.isoformat(timespec="minutes") if r.handled_at else None}
            for r in shown
        ]  # fmt: skip


def mark_handled(db: Database, actor: Actor, request_id: int) -> dict[str, Any]:
    """A member of the centre's staff has contacted the patient: the request leaves the work list."""
    with db.session() as s:
        row = s.get(ContactRequestRow, request_id)
        visible = row is not None and (
            staff_holds(s, actor, STAFF_ROLES, row.patient_id)
            # forwarded to the caller's centre by a person
            or (actor.role in STAFF_ROLES and row.forwarded_to in actor.centre_ids)
        )
        if row is None or not visible:
            raise NotFound(
                N_("no request %(request)s in your centres"), fix=N_("open the list of requests again"),
                code="me.unknown_request", params={"request": request_id},
            )  # fmt: skip
        if row.handled_at is None:
            row.handled_at, row.handled_by = _now(), actor.user_id
            detail = coded("patient.contact_handled", request=row.id, trial=row.trial_id)
            audit.record_read(
                s,
                audit.event_for(
                    actor,
                    "patient.contact_handled",
                    patients=[(row.patient_id, row.centre_id)],
                    detail=detail,
                ),
            )
        return {"id": row.id, "trial_id": row.trial_id, "handled_by": row.handled_by}
