"""The audit log for the data-protection officer: search, CSV export, chain verification."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor, Role
from oncofed.presenters.audit_words import CSV_COLUMNS, entry, sentence_html
from oncofed.presenters.i18n import translator
from oncofed.presenters.labels import LABELS
from oncofed.presenters.rejects import part_said
from oncofed.services.network.names import resolve_centre_id
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db, get_lang
from oncofed.web.templating import render

router = APIRouter()
AUDIT_ROLES = (Role.DPO, Role.ADMIN)
PAGE_LIMIT, CSV_LIMIT = 500, 100_000
DATE = r"^(\d{4}-\d{2}-\d{2}([T ][0-9:.]+Z?)?)?$"  # empty: no filter (the page form sends every field)


def _filters(
    user: str | None = Query(None, max_length=100),
    patient: str | None = Query(None, max_length=64),
    centre: str | None = Query(None, max_length=200, description="A centre: id, name or city"),
    action: str | None = Query(None, max_length=64),
    since: str | None = Query(None, pattern=DATE),
    until: str | None = Query(None, pattern=DATE),
    security: str | None = Query(None, pattern="^(|1|true|on)$", description="Security events only"),
    db: Database = Depends(get_db),
) -> dict[str, str]:
    centre = resolve_centre_id(db, (centre or "").strip(), field="centre")  # unknown: 422 naming it
    values = {
        "user": user,
        "patient": patient,
        "centre": centre,
        "action": action,
        "since": since,
        "until": until,
        "security": "1" if security else None,
    }
    return {k: v.strip() for k, v in values.items() if v and v.strip()}


def _search(db: Database, filters: dict[str, str], limit: int) -> list[dict[str, Any]]:
    """`security=1`: refused attempts (another centre's patient or list) and feasibility lockouts only."""
    args = {k: v for k, v in filters.items() if k != "security"}
    return audit.search(db.engine, limit=limit, security="security" in filters, **args)


@router.get(
    "/api/audit",
    tags=["audit"],
    summary="Search the audit log (data-protection officer; CSV with format=csv)",
)
def api_audit(
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*AUDIT_ROLES)),
    filters: dict[str, str] = Depends(_filters),
    limit: int | None = Query(None, ge=1, le=CSV_LIMIT, description="Default: 500 (JSON), 100 000 (CSV)"),
    format: str = Query("json", pattern="^(json|csv)$"),
    lang: str = Depends(get_lang),
) -> Any:
    """Each entry's `detail` in the request's language (`?lang=` or Accept-Language), with its
    `detail_code`, `detail_params` and `request` as stored; the CSV has the same words and, unless
    `limit` says otherwise, every matching entry (the page shows the newest 500)."""
    limit = limit or (CSV_LIMIT if format == "csv" else PAGE_LIMIT)
    rows = [entry(r, lang) for r in _search(db, filters, limit)]
    if format == "csv":
        return csv_response(rows, CSV_COLUMNS, "audit.csv")
    return {"count": len(rows), "filters": filters, "entries": rows}


@router.get("/api/audit/verify", tags=["audit"], summary="Recompute the audit log's hash chain")
def api_audit_verify(
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*AUDIT_ROLES)),
    lang: str = Depends(get_lang),
) -> dict[str, Any]:
    """`problems`: each row that breaks the chain, said in the request's language."""
    report = audit.verify_chain(db.engine)
    return {"ok": report.ok, "rows": report.rows, "problems": [part_said(p, lang) for p in report.said]}


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request,
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*AUDIT_ROLES)),
    filters: dict[str, str] = Depends(_filters),
    lang: str = Depends(get_lang),
) -> Response:
    rows = [
        {**entry(r, lang), "detail_html": sentence_html(r, lang)} for r in _search(db, filters, PAGE_LIMIT)
    ]
    report = audit.verify_chain(db.engine)
    query = urlencode(filters)
    tr = translator(lang)
    problems = tr.pgettext("list separator", "; ").join(part_said(p, lang) for p in report.said)
    actions = sorted(
        ((code, tr.label("audit_action", code)) for code in LABELS["audit_action"]), key=lambda a: a[1]
    )
    return render(
        request, "audit.html", actor=actor, rows=rows, filters=filters, report=report, query=query,
        shown=PAGE_LIMIT, actions=actions, problems=problems,
    )  # fmt: skip


@router.get(
    "/api/audit/objections",
    tags=["audit"],
    summary="Objections to research use per centre, and research reads of objecting patients (CSV with format=csv)",
)
def api_objections(
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*AUDIT_ROLES)),
    format: str = Query("json", pattern="^(json|csv)$"),
    reads: bool = Query(
        False, description="CSV: the research reads of objecting patients instead of the centres"
    ),
    changes: bool = Query(False, description="CSV: the objections filed or withdrawn, with their source"),
) -> Any:
    """Per centre: patients, objecting patients and their share (%), and how many audit entries read an
    objecting patient for research (expected: 0; `reads` names each one's audit entry)."""
    from oncofed.services.operations.objections import CHANGE_COLUMNS, COLUMNS, READ_COLUMNS, objection_report

    data = objection_report(db)
    if format == "csv":
        if changes:
            return csv_response(data["changes"], CHANGE_COLUMNS, "objections-changes.csv")
        if reads:
            return csv_response(data["reads"], READ_COLUMNS, "objections-research-reads.csv")
        return csv_response(data["centres"], COLUMNS, "objections.csv")
    return data


@router.get("/audit/objections", response_class=HTMLResponse, include_in_schema=False)
def objections_page(
    request: Request,
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*AUDIT_ROLES)),
) -> Response:
    from oncofed.services.operations.objections import objection_report

    return render(request, "audit_objections.html", actor=actor, data=objection_report(db))
