"""The network's centres: home page (map + table), centre page, and their JSON/CSV twins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor, Role
from oncofed.presenters.centres import (
    CENTRE_COLUMNS,
    CENTRE_TRIAL_COLUMNS,
    centre_summary_json,
    centre_trial_rows,
)
from oncofed.presenters.common import centre_json
from oncofed.services.network.centres import centre_summary, list_centres
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_actor, get_db
from oncofed.web.mapview import france_map
from oncofed.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)) -> HTMLResponse:
    if actor.role not in (Role.PUBLIC, Role.SYSTEM):  # each role lands on its own page (issue 18)
        from oncofed.web.landing import landing_context

        return render(request, "landing.html", home=landing_context(db, actor), actor=actor)
    centres = list_centres(db)
    return render(request, "home.html", centres=centres, map=france_map(centres))


@router.get("/api/centres", tags=["centres"], summary="The network's centres (JSON, or CSV with format=csv)")
def api_centres(db: Database = Depends(get_db), format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    centres = [centre_json(c) for c in list_centres(db)]
    if format == "csv":
        return csv_response(centres, CENTRE_COLUMNS, "centres.csv")
    return {"count": len(centres), "centres": centres}


@router.get("/api/centres/{centre_id}", tags=["centres"], summary="One centre with the trials it runs")
def api_centre(
    centre_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Any:
    payload = centre_summary_json(centre_summary(db, centre_id, actor))
    if format == "csv":
        return csv_response(centre_trial_rows(payload), CENTRE_TRIAL_COLUMNS, f"{centre_id}-trials.csv")
    return payload


@router.get("/centres/{centre_id}", response_class=HTMLResponse, include_in_schema=False)
def centre_page(
    request: Request, centre_id: str, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> Response:
    summary = centre_summary(db, centre_id, actor)
    centre, payload = summary.centre, centre_summary_json(summary)
    return render(
        request, "centre.html", centre=centre, payload=payload, map=france_map([centre], highlight=centre.id)
    )
