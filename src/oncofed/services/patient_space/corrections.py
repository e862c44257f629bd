"""A patient asks for a fact of their record to be corrected (RGPD art. 16, the right to
rectification; docs/PATIENTS.md): the request, with the patient's reason, goes to the work list of the
clinicians of the patient's centre; a clinician answers it (and corrects the fact through the record's
own correction, which keeps its reason), the answer is shown back to the patient. The patient never
changes the record themselves. Asking and answering are audit entries naming the patient."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.patient_space.space import _now, own_id, staff_holds
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.models_corrections import CorrectionRequestRow
from oncofed.store.repositories import PatientRepository

MAX_TEXT = 2000
HANDLER_ROLES = frozenset({Role.CLINICIAN, Role.SYSTEM})  # care corrects the record, not research
COLUMNS = [
    "id",
    "patient_id",
    "centre_id",
    "fact",
    "reason",
    "asked_at",
    "answer",
    "handled_by",
    "handled_at",
]


def _text(value: str, field: str, empty: str, fix: str) -> str:
    value = value.strip()
    if not value:
        raise InputError(empty, field=field, fix=fix, code=f"correction.{field}_empty")
    if len(value) > MAX_TEXT:
        raise InputError(
            N_("the text is longer than %(limit)s characters"), field=field, fix=N_("shorten it"),
            code="correction.too_long", params={"limit": MAX_TEXT},
        )  # fmt: skip
    return value


def fact_snapshot(f: Any) -> str:
    """What the patient saw of the fact, kept with the request (JSON, so each reader sees it in their own
    language: `presenters` say the kind and "absent"): kind, negated, wording, value, unit, date."""
    shown = {
        "kind": f.kind, "negated": bool(f.negated), "shown": f.display or f.code or "",
        "value": None if f.value is None else str(f.value), "unit": f.unit or "",
        "when": f.when.isoformat() if f.when else "",
    }  # fmt: skip
    return json.dumps(shown, ensure_ascii=False)


def snapshot_parts(text: str) -> dict[str, Any] | None:
    """The parts of a stored snapshot (None: a request stored as plain words before the snapshot was JSON)."""
    try:
        parts = json.loads(text)
    except ValueError:
        return None
    return parts if isinstance(parts, dict) else None


def snapshot_words(text: str) -> str:
    """The snapshot in plain words ("metastasis · absent: brain"), for the API, the CSV and the audit log."""
    p = snapshot_parts(text)
    if p is None:
        return text
    value = f"{p['value']}{' ' + p['unit'] if p.get('unit') else ''}" if p.get("value") is not None else ""
    shown = ("absent: " if p.get("negated") else "") + str(p.get("shown") or "")
    return " · ".join(x for x in (str(p.get("kind") or ""), shown, value, str(p.get("when") or "")) if x)


def ask(db: Database, actor: Actor, fact_index: int, reason: str) -> dict[str, Any]:
    pid = own_id(actor)
    reason = _text(
        reason, "reason", N_("say what is wrong"), N_("write what is wrong and, if you know, what is right")
    )
    with db.session() as s:
        profile = PatientRepository(s, actor).get(pid)  # the patient's own record, an audited read
        if not 0 <= fact_index < len(profile.facts) or profile.facts[fact_index].kind == "note":
            raise NotFound(
                N_("no fact %(fact)s in your record"), fix=N_("open your record again and choose a fact"),
                code="correction.unknown_fact", params={"fact": fact_index},
            )  # fmt: skip
        row = CorrectionRequestRow(
            patient_id=pid, centre_id=profile.centre_id, fact_index=fact_index,
            fact_text=fact_snapshot(profile.facts[fact_index]), reason=reason, asked_at=_now(), answer="",
            handled_by="",
        )  # fmt: skip
        s.add(row)
        s.flush()
        detail = coded("patient.correction", request=row.id, fact=snapshot_words(row.fact_text))
        event = audit.event_for(
            actor, "patient.correction_request", patients=[(pid, profile.centre_id)], detail=detail
        )
        audit.record_read(s, event)
        return _json(row)


def _json(r: CorrectionRequestRow) -> dict[str, Any]:
    return {
        "id": r.id, "patient_id": r.patient_id, "centre_id": r.centre_id, "fact_index": r.fact_index,
        "fact": snapshot_words(r.fact_text), "fact_parts": snapshot_parts(r.fact_text), "reason": r.reason, "asked_at": r.asked_at.isoformat(timespec="minutes"),
        "answer": r.answer, "handled_by": r.handled_by,
        "handled_at": r.handled_at.isoformat(timespec="minutes") if r.handled_at else None,
    }  # fmt: skip


def mine(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """The patient's own requests, newest first, with the answers."""
    pid = own_id(actor)
    with db.session() as s:
        stmt = select(CorrectionRequestRow).where(CorrectionRequestRow.patient_id == pid)
        return [_json(r) for r in s.scalars(stmt.order_by(CorrectionRequestRow.id.desc()))]


def work_list(db: Database, actor: Actor, *, include_handled: bool = False) -> list[dict[str, Any]]:
    """The requests of the caller's centres' patients (through the actor-scoped repository: other
    centres never), one audited list read. Only clinicians: research staff do not correct records."""
    if actor.role not in HANDLER_ROLES:
        return []
    with db.session() as s:
        stmt = select(CorrectionRequestRow).order_by(CorrectionRequestRow.id.desc())
        if not include_handled:
            stmt = stmt.where(CorrectionRequestRow.handled_at.is_(None))
        rows = list(s.scalars(stmt))
        visible = PatientRepository(s, actor).existing_ids(r.patient_id for r in rows)
        shown = [r for r in rows if r.patient_id in visible]
        if shown and audit.audited(actor):
            pairs = list(dict.fromkeys((r.patient_id, r.centre_id) for r in shown))
            audit.record_read(s, audit.event_for(actor, "patient.list", patients=pairs))
        return [_json(r) for r in shown]


def answer(db: Database, actor: Actor, request_id: int, text: str) -> dict[str, Any]:
    """A clinician of the patient's centre answers: the request leaves the work list, the answer is
    shown to the patient on /me/record."""
    text = _text(text, "answer", N_("the answer is empty"), N_("tell the patient what was done and why"))
    with db.session() as s:
        row = s.get(CorrectionRequestRow, request_id)
        if row is None or not staff_holds(s, actor, HANDLER_ROLES, row.patient_id):
            raise NotFound(
                N_("no correction request %(request)s in your centres"),
                fix=N_("open the list of correction requests again"),
                code="correction.unknown_request", params={"request": request_id},
            )  # fmt: skip
        if row.handled_at is not None:
            raise InputError(
                N_("request %(request)s was already answered by %(user)s"), field="request",
                fix=N_("read the answer in the list of handled requests"),
                code="correction.answered", params={"request": row.id, "user": row.handled_by},
            )  # fmt: skip
        row.answer, row.handled_at, row.handled_by = text, _now(), actor.user_id
        detail = coded("patient.correction_handled", request=row.id, fact=snapshot_words(row.fact_text))
        event = audit.event_for(
            actor, "patient.correction_handled", patients=[(row.patient_id, row.centre_id)], detail=detail
        )
        audit.record_read(s, event)
        return _json(row)
