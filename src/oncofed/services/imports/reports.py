"""Import reports kept in the database for their CSV link (trials and patients).

An import page or API answer links to `/<kind>/import/<token>.csv`. The report behind it is stored
(table `import_reports`), not kept in one process's memory: a restart or another worker still serves
it. Each item is stored language-neutral: its place (file, record, resource, field), its severity, its
code with the English message ids and parameters (or its English words when it has no code), so the
CSV is said in the language of whoever downloads it (presenters/import_reports.py).

Who may download: the person who imported; for a patient import, also the staff of the centre it
was imported for who may read that centre's patients (a report names patients' records). Anyone else
gets "not found" and a security event in the audit log; a download is audited. Reports are kept for
`KEPT_DAYS` days (older ones are removed when a new one is stored)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete

from oncofed.domain import Actor
from oncofed.errors import N_, InputError, NotFound
from oncofed.ingest.patients.common import Issue
from oncofed.ingest.trials import Rejection
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.models_imports import ImportReportRow

KEPT_DAYS = 7
TRIALS, PATIENTS = "trials", "patients"


@dataclass(frozen=True)
class KeptReport:
    token: str
    kind: str
    centre_id: str
    created_at: datetime
    items: list[dict[str, Any]]


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as JSON keeps them (a date as its ISO text)."""
    plain: dict[str, Any] = json.loads(json.dumps(params, default=str))
    return plain


def _coded(error: InputError | None) -> dict[str, Any]:
    if error is None or not error.code or error.template is None:
        return {"code": "", "template": None, "fix_template": None, "params": {}}
    template = list(error.template) if isinstance(error.template, tuple) else error.template
    return {
        "code": error.code,
        "template": template,
        "fix_template": error.fix_template,
        "params": _plain(error.params),
    }


def rejection_item(r: Rejection) -> dict[str, Any]:
    """A trial import's rejected record as stored."""
    error = r.error.as_input_error(r.file, r.record) if r.error is not None else None
    english = {
        "message": error.reason if error is not None else r.reason,
        "fix": error.fix if error else None,
    }
    place = {"severity": "error", "file": r.file, "record": r.record, "resource": "", "field": r.field}
    return place | english | _coded(error)


def issue_item(i: Issue) -> dict[str, Any]:
    """A patient import's issue (rejection or warning) as stored."""
    place = {
        "severity": i.severity,
        "file": i.file,
        "record": i.record,
        "resource": i.resource,
        "field": i.field,
    }
    coded: dict[str, Any] = {"code": "", "template": None, "fix_template": None, "params": {}}
    if i.code:
        coded = {
            "code": i.code,
            "template": i.template,
            "fix_template": i.fix_template or None,
            "params": _plain(i.params),
        }
    return place | {"message": i.reason, "fix": i.fix} | coded


def keep_report(
    db: Database, actor: Actor, kind: str, items: list[dict[str, Any]], centre_id: str = ""
) -> str:
    """Store an import's items; the token of its CSV link."""
    token = secrets.token_urlsafe(24)
    now = datetime.now(UTC).replace(tzinfo=None)
    with db.session() as s:
        s.execute(delete(ImportReportRow).where(ImportReportRow.created_at < now - timedelta(days=KEPT_DAYS)))
        s.add(
            ImportReportRow(
                id=token, kind=kind, user_id=actor.user_id, centre_id=centre_id, created_at=now,
                n_items=len(items), items=items,
            )
        )  # fmt: skip
    return token


def may_download(actor: Actor, row: ImportReportRow) -> bool:
    if row.user_id == actor.user_id:
        return True
    if row.kind == PATIENTS:
        return bool(row.centre_id) and actor.may_read_patients_of(row.centre_id)
    return False  # a trial import's report: the trial manager who imported


def kept_report(db: Database, actor: Actor, kind: str, token: str) -> KeptReport:
    """A stored report the caller may read (NotFound otherwise, as for a report that is gone: a
    refusal is a security event in the audit log; a download is audited)."""
    with db.session() as s:
        row = s.get(ImportReportRow, token[:64])
        if row is None or row.kind != kind:
            raise NotFound(
                N_("this import report is no longer kept (reports are kept %(days)s days)"),
                code="import.report_gone",
                params={"days": KEPT_DAYS},
                fix=N_("import the files again to see their report"),
            )
        if not may_download(actor, row):
            audit.record_security(
                s,
                actor,
                "import_report",
                centres=[row.centre_id] if row.centre_id else [],
                detail=coded("refused.import_report", kind=kind, user=row.user_id),
            )
            raise NotFound(
                N_("this import report is no longer kept (reports are kept %(days)s days)"),
                code="import.report_gone",
                params={"days": KEPT_DAYS},
                fix=N_("import the files again to see their report"),
            )
        if audit.audited(actor):
            detail = coded("import.report", kind=kind, user=row.user_id, items=row.n_items)
            audit.record_read(s, audit.event_for(actor, "import.report", detail=detail))
        return KeptReport(row.id, row.kind, row.centre_id, row.created_at, list(row.items))


__all__ = ["KeptReport", "issue_item", "keep_report", "kept_report", "rejection_item"]
