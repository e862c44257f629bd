"""Recruitment pages and API: the network view (aggregates only) and one trial's progress per site."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.presenters.recruitment import (
    NETWORK_COLUMNS,
    SITE_COLUMNS,
    monthly_rows,
    recruitment_json,
    recruitment_svg,
    site_sparkline,
    summary_json,
)
from oncofed.services.recruitment.projections import MODEL, network_recruitment, trial_recruitment
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_actor, get_db, get_lang
from oncofed.web.templating import render

router = APIRouter()
FORMAT = Query("json", pattern="^(json|csv)$")


def _staff_only(actor: Actor) -> None:
    """Recruitment figures are internal to the network's staff (aggregates, no patient rows)."""
    if actor.role is Role.PUBLIC:
        raise NotFound(
            N_("recruitment figures are for the network's staff"), fix=N_("sign in at /login"),
            code="recruitment.staff_only",
        )  # fmt: skip


def _as_of(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            N_("%(value)s is not a date"), field="as_of", fix=N_("write YYYY-MM-DD"), code="input.not_date",
            params={"value": repr(value)},
        ) from exc  # fmt: skip


@router.get(
    "/api/recruitment", tags=["recruitment"], summary="Network view: enrolment per trial (aggregates)"
)
def api_network(
    db: Database = Depends(get_db), actor: Actor = Depends(get_actor), format: str = FORMAT, as_of: str = ""
) -> Any:
    _staff_only(actor)
    rows = [summary_json(t) for t in network_recruitment(db, _as_of(as_of))]
    if format == "csv":
        return csv_response(rows, NETWORK_COLUMNS, "recruitment.csv")
    return {"model": MODEL, "count": len(rows), "trials": rows}


@router.get(
    "/api/recruitment/{trial_id}", tags=["recruitment"], summary="One trial: sites, targets, projection"
)
def api_trial(
    trial_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    format: str = FORMAT,
    as_of: str = "",
    table: str = Query("sites", pattern="^(sites|cumulative|monthly)$"),
) -> Any:
    _staff_only(actor)
    r = trial_recruitment(db, trial_id, _as_of(as_of))
    payload = recruitment_json(r)
    if format == "csv":
        if table == "monthly":
            cols = ["site", "centre_id", "month", "enrolled", "cumulative"]
            return csv_response(monthly_rows(r), cols, f"recruitment-{trial_id}-monthly.csv")
        if table == "cumulative":
            return csv_response(
                payload["cumulative"], ["date", "enrolled"], f"recruitment-{trial_id}-cumulative.csv"
            )
        return csv_response(payload["site_progress"], SITE_COLUMNS, f"recruitment-{trial_id}-sites.csv")
    return payload


@router.get(
    "/api/recruitment/{trial_id}/chart.svg", tags=["recruitment"], summary="The recruitment chart (SVG)"
)
def api_chart(
    request: Request,
    trial_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    as_of: str = "",
) -> Response:
    _staff_only(actor)
    svg = recruitment_svg(trial_recruitment(db, trial_id, _as_of(as_of)), lang=get_lang(request))
    return Response(str(svg), media_type="image/svg+xml")


@router.get("/recruitment", response_class=HTMLResponse, include_in_schema=False)
def network_page(
    request: Request, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> Response:
    _staff_only(actor)
    rows = [summary_json(t) for t in network_recruitment(db)]
    return render(request, "recruitment_index.html", rows=rows, model=MODEL, actor=actor)


@router.get("/recruitment/{trial_id}", response_class=HTMLResponse, include_in_schema=False)
def trial_page(
    request: Request,
    trial_id: str,
    as_of: str = "",
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    _staff_only(actor)
    r = trial_recruitment(db, trial_id, _as_of(as_of))
    return render(
        request,
        "recruitment_trial.html",
        r=r,
        payload=recruitment_json(r),
        chart=recruitment_svg(r, lang=get_lang(request)),
        sparks={s.site_key: site_sparkline(s, r) for s in r.sites},
        actor=actor,
    )
