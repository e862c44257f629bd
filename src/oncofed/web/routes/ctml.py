"""A patient's CTML matches (MatchMiner semantics) against the registry's CTML trials: the page
`/patients/{id}/ctml` and its JSON/CSV twin. The patient is read through the actor-scoped
repository: outside the caller's centres it is "not found" (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor
from oncofed.presenters.ctml import CSV_COLUMNS, csv_rows, report_json
from oncofed.services.matching.ctml import patient_ctml_report
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_actor, get_db
from oncofed.web.templating import render

router = APIRouter()


def _data(db: Database, actor: Actor, patient_id: str, closed: bool, as_of: date | None) -> dict[str, Any]:
    return report_json(patient_ctml_report(db, actor, patient_id, include_closed=closed, as_of=as_of))


@router.get(
    "/api/patients/{patient_id}/ctml",
    tags=["matching"],
    summary="A patient's CTML (MatchMiner) matches: trial, step/arm/dose level, matched criteria, open or closed",
)
def api_patient_ctml(
    patient_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    closed: bool = Query(False, description="Also matches in closed trials and suspended arms / dose levels"),
    as_of: date | None = Query(None, description="Ages computed on this day (default today)"),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Any:
    data = _data(db, actor, patient_id, closed, as_of)
    if format == "csv":
        return csv_response(csv_rows(data), CSV_COLUMNS, f"{patient_id}-ctml.csv")
    return data


@router.get("/patients/{patient_id}/ctml", response_class=HTMLResponse, include_in_schema=False)
def patient_ctml_page(
    request: Request,
    patient_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    closed: bool = Query(False),
    as_of: date | None = Query(None),
) -> Response:
    data = _data(db, actor, patient_id, closed, as_of)
    return render(request, "ctml.html", data=data, closed=closed)
