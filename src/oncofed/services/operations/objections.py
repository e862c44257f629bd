"""Objections to research use, for the data-protection officer: per centre, how many patients object, and
whether the audit log shows any read of an objecting patient made for research (by research staff, or
with the research or feasibility purpose), which the repository's objection filter should make impossible.

Counts per centre, never a patient list; a read that breaks the objection names its audit entry (its `seq`)
and the patient id, as the audit log itself shows them to the DPO. The objection itself is a record's
`research_objection` (patient import, correction, or the patient's own space: each change made there is
kept with its source, `changes`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, select

from oncofed.store.db import Database
from oncofed.store.models import CentreRow, PatientRow
from oncofed.store.models_patient_space import ObjectionChangeRow
from oncofed.store.models_trust import AuditRow

RESEARCH_ROLES = ("research_staff",)
RESEARCH_PURPOSES = ("research", "feasibility")
COLUMNS = ["centre_id", "centre", "patients", "objecting", "objecting_percent", "research_reads"]
READ_COLUMNS = ["seq", "at", "user_id", "role", "purpose", "action", "patient_id", "centre_id"]
CHANGE_COLUMNS = ["at", "patient_id", "centre_id", "objecting", "source", "by_user"]


def objection_report(db: Database) -> dict[str, Any]:
    """`centres`: one row per centre (patients, objecting, share in %, research reads of objecting
    patients); `network`: the same summed; `reads`: each audit entry that read an objecting patient for
    research (expected: none). Who may ask is the caller's (web: DPO and administrator; the CLI's operator)."""
    with db.session() as s:
        names: dict[str, str] = {
            str(i): str(short or name)
            for i, short, name in s.execute(select(CentreRow.id, CentreRow.short_name, CentreRow.name))
        }
        counts = s.execute(
            select(
                PatientRow.centre_id,
                func.count(),
                func.sum(case((PatientRow.research_objection, 1), else_=0)),
            ).group_by(PatientRow.centre_id)
        ).all()
        objecting = dict(
            s.execute(select(PatientRow.id, PatientRow.centre_id).where(PatientRow.research_objection)).all()
        )
        audit_rows = s.execute(
            select(AuditRow.seq, AuditRow.at, AuditRow.user_id, AuditRow.role, AuditRow.purpose, AuditRow.action,
                   AuditRow.patient_ids)
            .where((AuditRow.role.in_(RESEARCH_ROLES)) | (AuditRow.purpose.in_(RESEARCH_PURPOSES)))
            .where(AuditRow.patient_ids != "")
            .order_by(AuditRow.seq)
        ).all()  # fmt: skip
        changes = [
            {"at": c.at.isoformat(timespec="seconds"), "patient_id": c.patient_id, "centre_id": c.centre_id,
             "objecting": c.objecting, "source": c.source, "by_user": c.by_user}
            for c in s.scalars(select(ObjectionChangeRow).order_by(ObjectionChangeRow.id.desc()).limit(500))
        ]  # fmt: skip
    reads: list[dict[str, Any]] = []
    per_centre: dict[str, int] = defaultdict(int)
    for seq, at, user_id, role, purpose, action, ids in audit_rows:
        for pid in str(ids).split():
            if pid in objecting:
                centre = objecting[pid]
                per_centre[centre] += 1
                reads.append({"seq": seq, "at": at, "user_id": user_id, "role": role, "purpose": purpose,
                              "action": action, "patient_id": pid, "centre_id": centre})  # fmt: skip
    centres = []
    for centre_id, patients, objectors in sorted(counts, key=lambda r: names.get(str(r[0]), str(r[0]))):
        objectors = int(objectors or 0)
        centres.append({
            "centre_id": centre_id, "centre": names.get(centre_id, centre_id), "patients": int(patients),
            "objecting": objectors, "objecting_percent": round(100 * objectors / patients, 1) if patients else None,
            "research_reads": per_centre.get(centre_id, 0),
        })  # fmt: skip
    patients = sum(c["patients"] for c in centres)
    objectors = sum(c["objecting"] for c in centres)
    network = {
        "patients": patients,
        "objecting": objectors,
        "objecting_percent": round(100 * objectors / patients, 1) if patients else None,
        "research_reads": len(reads),
    }
    # `changes`: the latest objections filed or withdrawn with their source ("patient space": by the
    # patient themselves, from /me/objection), newest first
    return {"centres": centres, "network": network, "reads": reads, "changes": changes}
