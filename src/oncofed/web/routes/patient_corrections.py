"""A patient's correction requests (RGPD art. 16; services/patient_space/corrections.py): the patient
asks from /me/record ("this is wrong", with a reason) or `POST /api/me/corrections`; the clinicians of
the patient's centre answer from their work list `/patients/corrections` (CSV, JSON twin
`/api/patients/corrections`). Another centre's requests are never listed (actor-scoped repository)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor, Role
from oncofed.errors import OncofedError
from oncofed.presenters.errors import said as error_said
from oncofed.services.patient_space import corrections
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import RowId, get_db, get_lang
from oncofed.web.templating import render

router = APIRouter()
Patient = Depends(require_roles(Role.PATIENT))
Clinician = Depends(require_roles(Role.CLINICIAN))


class CorrectionIn(BaseModel):
    fact_index: int = Field(ge=0)
    reason: str = Field(max_length=corrections.MAX_TEXT)


class AnswerIn(BaseModel):
    answer: str = Field(max_length=corrections.MAX_TEXT)


@router.post("/me/record/facts/{fact_index}/correction", include_in_schema=False)
def ask_page(
    request: Request,
    fact_index: int,
    reason: str = Form("", max_length=corrections.MAX_TEXT),
    actor: Actor = Patient,
    db: Database = Depends(get_db),
    lang: str = Depends(get_lang),
) -> Response:
    try:
        asked = corrections.ask(db, actor, fact_index, reason)
    except OncofedError as exc:
        from oncofed.web.routes.me import record_view

        return record_view(request, actor, db, lang, status=422, error=error_said(exc, lang))
    return RedirectResponse(f"/me/record?asked={asked['id']}#corrections", status_code=303)


@router.get("/api/me/corrections", tags=["patient space"], summary="My correction requests and their answers")
def mine_api(actor: Actor = Patient, db: Database = Depends(get_db)) -> dict[str, Any]:
    return {"corrections": corrections.mine(db, actor)}


@router.post(
    "/api/me/corrections", tags=["patient space"], summary="Ask for a fact of my record to be corrected"
)
def ask_api(body: CorrectionIn, actor: Actor = Patient, db: Database = Depends(get_db)) -> dict[str, Any]:
    return corrections.ask(db, actor, body.fact_index, body.reason)


@router.get("/patients/corrections", response_class=HTMLResponse, include_in_schema=False)
def work_page(
    request: Request,
    format: str = Query("html", pattern="^(html|csv)$"),
    handled: bool = False,
    actor: Actor = Clinician,
    db: Database = Depends(get_db),
) -> Response:
    rows = corrections.work_list(db, actor, include_handled=handled)
    if format == "csv":
        return csv_response(rows, corrections.COLUMNS, "correction-requests.csv")
    return render(request, "patient_corrections.html", actor=actor, rows=rows, handled=handled)


@router.post("/patients/corrections/{request_id}/answer", include_in_schema=False)
def answer_page(
    request: Request,
    request_id: RowId,
    answer: str = Form("", max_length=corrections.MAX_TEXT),
    actor: Actor = Clinician,
    db: Database = Depends(get_db),
    lang: str = Depends(get_lang),
) -> Response:
    try:
        corrections.answer(db, actor, request_id, answer)
    except OncofedError as exc:
        rows = corrections.work_list(db, actor)
        error = error_said(exc, lang)
        return render(request, "patient_corrections.html", status_code=422, actor=actor, rows=rows, handled=False, error=error)  # fmt: skip
    return RedirectResponse("/patients/corrections", status_code=303)


@router.get(
    "/api/patients/corrections", tags=["patients"], summary="Patients' correction requests of my centres"
)
def work_api(
    handled: bool = False,
    format: str = Query("json", pattern="^(json|csv)$"),
    actor: Actor = Clinician,
    db: Database = Depends(get_db),
) -> Any:
    rows = corrections.work_list(db, actor, include_handled=handled)
    if format == "csv":
        return csv_response(rows, corrections.COLUMNS, "correction-requests.csv")
    return {"corrections": rows}


@router.post(
    "/api/patients/corrections/{request_id}/answer", tags=["patients"], summary="Answer a correction request"
)
def answer_api(
    request_id: RowId, body: AnswerIn, actor: Actor = Clinician, db: Database = Depends(get_db)
) -> dict[str, Any]:
    return corrections.answer(db, actor, request_id, body.answer)
