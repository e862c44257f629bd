"""The network's centres: home page (map + table), centre page, and their JSON/CSV twins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor, Centre, Role
from oncofed.presenters.common import centre_json, site_json, trial_summary_json
from oncofed.services.network.centres import centre_summary, list_centres
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_actor, get_db
from oncofed.web.mapview import france_map
from oncofed.web.templating import render

router = APIRouter()

CENTRE_COLUMNS = ["id", "name", "short_name", "city", "postcode", "region", "latitude", "longitude"]


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


def _centre_payload(db: Database, centre_id: str, actor: Actor) -> tuple[Centre, dict[str, Any]]:
    summary = centre_summary(db, centre_id, actor)
    trials = []
    for t in summary.trials:
        site = next((s for s in t.sites if s.centre_id == centre_id), None)
        trials.append({**trial_summary_json(t), "site": site_json(site) if site else None})
    return summary.centre, {
        "centre": centre_json(summary.centre),
        "patient_count": summary.patient_count,
        "trial_count": len(summary.trials),
        "recruiting_trial_count": len(summary.recruiting_trials),
        "trials": trials,
    }


@router.get("/api/centres/{centre_id}", tags=["centres"], summary="One centre with the trials it runs")
def api_centre(
    centre_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Any:
    _, payload = _centre_payload(db, centre_id, actor)
    if format == "csv":
        rows = [
            {
                "id": t["id"],
                "title": t["title"],
                "status": t["status"],
                "site_status": (t["site"] or {}).get("status"),
                "phases": t["phases"],
                "fictional": t["fictional"],
            }
            for t in payload["trials"]
        ]
        return csv_response(
            rows, ["id", "title", "status", "site_status", "phases", "fictional"], f"{centre_id}-trials.csv"
        )
    return payload


@router.get("/centres/{centre_id}", response_class=HTMLResponse, include_in_schema=False)
def centre_page(
    request: Request, centre_id: str, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> Response:
    centre, payload = _centre_payload(db, centre_id, actor)
    return render(
        request, "centre.html", centre=centre, payload=payload, map=france_map([centre], highlight=centre.id)
    )
