"""The trial registry: search page `/trials`, trial page `/trials/{id}`, and their JSON/CSV twins."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.errors import N_
from oncofed.presenters.trials import search_json, trial_detail_json
from oncofed.services.network.centres import list_centres
from oncofed.services.network.names import resolve_centre_id
from oncofed.services.trials.search import TrialQuery, get_trial, search_trials
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import MAX_PAGE, get_db
from oncofed.web.mapview import MapPoint, distance_circle, france_map, in_frame, project
from oncofed.web.templating import render

router = APIRouter()

CSV_COLUMNS = ["id", "title", "status", "phases", "conditions", "sponsor", "score", "distance_km", "nearest_site",
               "network_centres", "min_age_years", "max_age_years", "sex", "source"]  # fmt: skip
STATUSES = ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING", "SUSPENDED",
            "TERMINATED", "COMPLETED", "WITHDRAWN", "UNKNOWN"]  # fmt: skip
PHASES = ["EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA"]


def _blank_none(value: str | None) -> float | None:
    """HTML forms send empty strings for empty number fields."""
    if value is None or not str(value).strip():
        return None
    try:
        return float(value)
    except ValueError:
        from oncofed.errors import InputError

        raise InputError(
            N_("%(value)s is not a number"), fix=N_("type a number, e.g. 50"), code="input.not_number",
            params={"value": repr(value)},
        ) from None  # fmt: skip


def trial_query(
    q: str = Query("", description="Full text over title, conditions, interventions, eligibility"),
    status: list[str] = Query([], description="Overall status (repeatable), e.g. RECRUITING"),
    phase: list[str] = Query([], description="Phase (repeatable), e.g. PHASE2"),
    condition: str = Query("", description="Condition contains this text"),
    centre: str = Query("", max_length=200, description="Run at this network centre: id, name or city"),
    sex: str = Query("", description="FEMALE or MALE: trials admitting this sex"),
    age: str | None = Query(None, description="Trials admitting this age (years)"),
    city: str = Query("", description="Place for distances: a city"),
    lat: str | None = Query(None, description="Place for distances: latitude"),
    lon: str | None = Query(None, description="Place for distances: longitude"),
    within_km: str | None = Query(None, description="Only trials with a RECRUITING site within this many km"),
    sort: str = Query("", pattern="^(|relevance|distance|id)$", description="relevance, distance or id"),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(20, ge=1, le=500),
    db: Database = Depends(get_db),
) -> TrialQuery:
    centre = resolve_centre_id(db, centre.strip(), field="centre") or ""  # unknown: 422 naming it
    return TrialQuery(
        q=q, status=[s for s in status if s], phase=[p for p in phase if p], condition=condition, centre=centre,
        sex=sex, age=_blank_none(age), city=city, lat=_blank_none(lat), lon=_blank_none(lon),
        within_km=_blank_none(within_km), sort=sort, page=page, per_page=per_page,
    )  # fmt: skip


@router.get("/api/trials", tags=["trials"], summary="Search trials (JSON, or CSV with format=csv)")
def api_trials(
    query: TrialQuery = Depends(trial_query),
    db: Database = Depends(get_db),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Any:
    data = search_json(search_trials(db, query))
    if format == "csv":
        rows = [{**r, "nearest_site": (r["nearest_site"] or {}).get("facility", "")} for r in data["results"]]
        return csv_response(rows, CSV_COLUMNS, "trials.csv")
    return data


@router.get("/trials", response_class=HTMLResponse, include_in_schema=False)
def trials_page(
    request: Request, query: TrialQuery = Depends(trial_query), db: Database = Depends(get_db)
) -> Response:
    data = search_json(search_trials(db, query))
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "lang")]

    def page_url(n: int) -> str:
        return "/trials?" + urlencode([*params, ("page", str(n))])

    api_query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "lang"])
    return render(
        request, "trials.html", data=data, query=query, centres=list_centres(db), statuses=STATUSES,
        phases=PHASES, page_url=page_url, api_query=api_query, pages=max(1, math.ceil(data["total"] / query.per_page)),
    )  # fmt: skip


@router.get("/api/trials/{trial_id}", tags=["trials"], summary="One trial: eligibility split, sites")
def api_trial(
    trial_id: str, db: Database = Depends(get_db), format: str = Query("json", pattern="^(json|csv)$")
) -> Any:
    data = trial_detail_json(get_trial(db, trial_id))
    if format == "csv":
        cols = ["facility", "centre_id", "status", "city", "postcode", "country", "latitude", "longitude"]
        return csv_response(data["sites"], cols, f"{trial_id}-sites.csv")
    return data


@router.get("/trials/{trial_id}", response_class=HTMLResponse, include_in_schema=False)
def trial_page(request: Request, trial_id: str, db: Database = Depends(get_db)) -> Response:
    trial = get_trial(db, trial_id)
    data = trial_detail_json(trial)
    centres = list_centres(db)
    in_network = {s.centre_id for s in trial.sites if s.centre_id}
    extra = []
    for i, s in enumerate(trial.sites):
        if s.centre_id or s.latitude is None or s.longitude is None:
            continue
        if not in_frame(s.longitude, s.latitude):
            continue  # the map shows metropolitan France only
        x, y = project(s.longitude, s.latitude)
        extra.append(MapPoint(id=f"site-{i}", label=f"{s.facility} ({s.city})", x=x, y=y, kind="external"))
    circles = [
        distance_circle(c.longitude, c.latitude, km, f"{c.display_name}: {km} km")
        for c in centres
        if c.id in in_network
        for km in (50, 100, 200)
    ]
    view = france_map(centres, extra=extra, circles=circles)
    for p in view.points:
        if p.id in in_network:
            p.highlight = True
    recruiting_here = [s.centre_id for s in trial.sites if s.centre_id and s.status.is_recruiting]
    return render(request, "trial.html", trial=trial, data=data, map=view, in_network=sorted(in_network),
                  open_in_network=recruiting_here)  # fmt: skip
