"""The record, the access log, the objection and the download of a patient's own space.

Every function takes the patient's actor (role `patient`, bound to one record): the record is read
through `PatientRepository`, whose scope for this role is that one record (store/repositories.py), so
the read is audited like any other and shown back to the patient in their access log.

Who accessed the record: each audit entry naming the patient, said by its date, the reader's ROLE and
CENTRE, the purpose and what was done; a member of staff's username is not shown (docs/PATIENTS.md:
staff are identified to the patient by role and centre, as the DOMAIN's "need to know" asks; the
data-protection officer, who keeps the log, names the person on a written request)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor, PatientProfile, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, PatientRow
from oncofed.store.models_patient_space import ContactRequestRow, ObjectionChangeRow
from oncofed.store.repositories import PatientRepository

# the staff who handle a patient's contact requests (care and research of the patient's centre)
STAFF_ROLES = frozenset({Role.CLINICIAN, Role.RESEARCH_STAFF, Role.SYSTEM})
PATIENT_SOURCE = "patient space"  # an objection the patient filed themselves (ObjectionChangeRow.source)
ACCESS_COLUMNS = ["at", "who", "role", "centres", "purpose", "action", "refused", "records"]


def own_id(actor: Actor) -> str:
    """The record a patient actor is bound to (NotFound for anyone else: these are the patient's pages)."""
    if actor.role is not Role.PATIENT or not actor.patient_id:
        raise NotFound(
            N_("no patient space for this account"),
            fix=N_("a patient's own space opens with a patient account"),
            code="me.not_patient",
        )
    return actor.patient_id


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def centre_names(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {str(i): str(n) for i, n in s.execute(select(CentreRow.id, CentreRow.name))}


def my_record(db: Database, actor: Actor) -> PatientProfile:
    """The patient's record, facts with their provenance (one audited read)."""
    pid = own_id(actor)
    with db.session() as s:
        return PatientRepository(s, actor).get(pid)


def access_log(db: Database, actor: Actor, *, record_read: bool = True) -> list[dict[str, Any]]:
    """Every audit entry naming the patient, newest first, as the patient sees it (module docstring).
    Reading it is itself recorded (`patient.own_access`), so it shows the next time."""
    pid = own_id(actor)
    names = centre_names(db)
    rows = audit.search(db.engine, patient=pid, limit=None)
    out = []
    for r in rows:
        yours = r["user_id"] == actor.user_id and r["role"] == Role.PATIENT.value
        centres = [c for c in str(r["actor_centres"] or "").split() if c]
        out.append(
            {
                "at": str(r["at"])[:19].replace("T", " "),
                "who": "you" if yours else ("operator" if r["role"] == Role.SYSTEM.value else "staff"),
                "role": r["role"],
                "centres": ["*" if c == "*" else names.get(c, c) for c in centres],
                "purpose": r["purpose"],
                "action": r["action"],
                "refused": str(r["action"]).startswith(audit.SECURITY_PREFIX),
                "records": int(r["n_records"] or 0),
            }
        )
    if record_read:
        with db.session() as s:
            centre = s.scalar(select(PatientRow.centre_id).where(PatientRow.id == pid)) or ""
            audit.record_read(s, audit.event_for(actor, "patient.own_access", patients=[(pid, centre)]))
    return out


def objection_state(db: Database, actor: Actor) -> dict[str, Any]:
    """Whether the patient objects now, and every change with who made it (newest first)."""
    pid = own_id(actor)
    with db.session() as s:
        row = s.get(PatientRow, pid)
        if row is None:
            raise NotFound(N_("no patient space for this account"), code="me.not_patient")
        history = [
            {"at": c.at.isoformat(timespec="seconds"), "objecting": c.objecting, "source": c.source,
             "by": "you" if c.by_user == actor.user_id else "staff"}
            for c in s.scalars(
                select(ObjectionChangeRow).where(ObjectionChangeRow.patient_id == pid).order_by(ObjectionChangeRow.id.desc())
            )
        ]  # fmt: skip
        return {"objecting": bool(row.research_objection), "history": history}


def set_objection(db: Database, actor: Actor, objecting: bool) -> dict[str, Any]:
    """File (or withdraw) the patient's objection to research use. It is the record's own flag, the one
    every research read filters on at read time (pre-screening lists, research staff's searches, board
    lists for research, feasibility counts), so it holds everywhere from the next request on; the
    change is kept with its source and written to the audit log."""
    pid = own_id(actor)
    with db.session() as s:
        row = s.get(PatientRow, pid)
        if row is None:
            raise NotFound(N_("no patient space for this account"), code="me.not_patient")
        if bool(row.research_objection) == objecting:
            raise InputError(
                N_("nothing to change: you already object to research use")
                if objecting
                else N_("nothing to change: you do not object to research use"),
                field="objecting",
                fix=N_("the page shows your current choice"),
                code="me.objection_unchanged",
            )
        row.research_objection = objecting
        s.add(ObjectionChangeRow(patient_id=pid, centre_id=row.centre_id, objecting=objecting, at=_now(),
                                 by_user=actor.user_id, source=PATIENT_SOURCE))  # fmt: skip
        detail = coded("patient.objecting" if objecting else "patient.withdrawn")
        audit.record_read(
            s, audit.event_for(actor, "patient.objection", patients=[(pid, row.centre_id)], detail=detail)
        )
    return objection_state(db, actor)


def export(db: Database, actor: Actor) -> dict[str, Any]:
    """Everything the network holds about the patient and what was done with it (one audited download):
    the record with each fact's provenance, the access log, the objection and its history, the requests
    to be contacted. The trials the matching proposes are computed, not held: /me/trials shows them."""
    from oncofed.store.mapping import fact_to_json

    pid = own_id(actor)
    with db.session() as s:
        profile = PatientRepository(s, actor).get(pid)
        requests = [
            {"id": r.id, "trial_id": r.trial_id, "asked_at": r.asked_at.isoformat(timespec="seconds"),
             "message": r.message, "handled": r.handled_at is not None}
            for r in s.scalars(select(ContactRequestRow).where(ContactRequestRow.patient_id == pid).order_by(ContactRequestRow.id))
        ]  # fmt: skip
        audit.record_read(s, audit.event_for(actor, "patient.export", patients=[(pid, profile.centre_id)]))
    return {
        "exported_at": _now().isoformat(timespec="seconds"),
        "patient_id": profile.id,
        "centre_id": profile.centre_id,
        "facts": [fact_to_json(f) for f in profile.facts],
        "profile": profile,
        "access": access_log(db, actor, record_read=False),
        "objection": objection_state(db, actor),
        "contact_requests": requests,
    }


def staff_holds(s: Any, actor: Actor, roles: frozenset[Role], patient_id: str) -> bool:
    """Whether `actor` has one of `roles` and their centres hold `patient_id` (the repository's own scope:
    what a request about this patient may be handled by)."""
    return actor.role in roles and bool(PatientRepository(s, actor).existing_ids([patient_id]))
