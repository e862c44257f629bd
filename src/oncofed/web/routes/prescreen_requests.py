"""Patients asking to be contacted about a trial (from their own space, /me/trials): the work list of
the research staff and clinicians of the patient's centre, its CSV and JSON twin, and "handled".
Read through the actor-scoped repository: another centre's requests are never listed, and research
staff never see a patient who objects to research use."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from oncofed.domain import Actor, Role
from oncofed.services.patient_space import forwarding, trials
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import RowId, get_db
from oncofed.web.templating import render

router = APIRouter()
Staff = Depends(require_roles(Role.RESEARCH_STAFF, Role.CLINICIAN))
COLUMNS = trials.REQUEST_COLUMNS


@router.get("/prescreen/requests", response_class=HTMLResponse, include_in_schema=False)
def requests_page(
    request: Request,
    format: str = Query("html", pattern="^(html|csv)$"),
    handled: bool = False,
    actor: Actor = Staff,
    db: Database = Depends(get_db),
) -> Response:
    rows = trials.staff_requests(db, actor, include_handled=handled)
    if format == "csv":
        return csv_response(rows, COLUMNS, "contact-requests.csv")
    return render(request, "prescreen_requests.html", actor=actor, rows=rows, handled=handled)


@router.post("/prescreen/requests/{request_id}/handled", include_in_schema=False)
def handled_page(request_id: RowId, actor: Actor = Staff, db: Database = Depends(get_db)) -> Response:
    trials.mark_handled(db, actor, request_id)
    return RedirectResponse("/prescreen/requests", status_code=303)


@router.get(
    "/api/prescreen/requests", tags=["prescreen"], summary="Patients asking to be contacted about a trial"
)
def requests_api(
    handled: bool = False, actor: Actor = Staff, db: Database = Depends(get_db)
) -> dict[str, Any]:
    return {"requests": trials.staff_requests(db, actor, include_handled=handled)}


@router.post(
    "/api/prescreen/requests/{request_id}/handled", tags=["prescreen"], summary="Mark a request handled"
)
def handled_api(request_id: RowId, actor: Actor = Staff, db: Database = Depends(get_db)) -> dict[str, Any]:
    return trials.mark_handled(db, actor, request_id)


@router.post("/prescreen/requests/{request_id}/forward", include_in_schema=False)
def forward_page(request_id: RowId, actor: Actor = Staff, db: Database = Depends(get_db)) -> Response:
    """Forward the request to the network centre that recruits (a person's decision, audited)."""
    forwarding.forward(db, actor, request_id)
    return RedirectResponse("/prescreen/requests", status_code=303)


@router.post(
    "/api/prescreen/requests/{request_id}/forward",
    tags=["prescreen"],
    summary="Forward a contact request to the network centre that recruits",
)
def forward_api(request_id: RowId, actor: Actor = Staff, db: Database = Depends(get_db)) -> dict[str, Any]:
    return forwarding.forward(db, actor, request_id)
