"""The federation's HR pages (issue 21): pay grid, headcount, grid minimum, negotiation costing.
Federation HR and centre HR only; staff records are read through `StaffRepository` (centre HR:
its own centre, another centre is "not found"); every page has its JSON twin and CSV export."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, NotFound, OncofedError
from oncofed.presenters.workforce import (
    COMPARE_COLUMNS,
    COMPLIANCE_COLUMNS,
    COSTING_COLUMNS,
    FLAGGED_COLUMNS,
    GRID_LEVEL_COLUMNS,
    HEADCOUNT_COLUMNS,
    compare_json,
    costing_json,
    proposal_json,
    with_names,
)
from oncofed.services.network.centres import centre_names
from oncofed.services.workforce.costing import (
    cost,
    proposal_from_text,
    save_proposal,
    saved_proposal,
    saved_proposals,
)
from oncofed.services.workforce.grids import current_grid, grid_on
from oncofed.services.workforce.staff import compliance, headcount, imports
from oncofed.store.db import Database
from oncofed.store.models import CentreRow
from oncofed.store.workforce_repository import StaffRepository
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db
from oncofed.web.templating import render

router = APIRouter()
HR = require_roles(Role.FEDERATION_HR, Role.CENTRE_HR)
FORMAT = Query("json", pattern="^(json|csv)$")


def _day(value: str) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            N_("%(value)s is not a date"), field="on", fix=N_("write YYYY-MM-DD"), code="input.not_date",
            params={"value": repr(value)},
        ) from exc  # fmt: skip


def _rate(value: str) -> float | None:
    if not value.strip():
        return None
    try:
        rate = float(value.replace(",", "."))
    except ValueError as exc:
        raise InputError(
            N_("%(value)s is not a number"), field="employer_rate", fix=N_("give a share such as 0.45"),
            code="input.not_number", params={"value": repr(value)},
        ) from exc  # fmt: skip
    return rate


def _centre_scope(db: Database, actor: Actor, centre_id: str) -> None:
    """NotFound for a centre that does not exist or is outside the actor's scope (same answer)."""
    with db.session() as s:
        StaffRepository(s, actor).check_centre(centre_id)
        if s.get(CentreRow, centre_id) is None:
            raise NotFound(
                N_("no staff records of centre %(centre)s in your scope"),
                fix=N_("choose one of your own centres"),
                code="federation.centre_scope",
                params={"centre": repr(centre_id)},
            )


def _centre_of(actor: Actor) -> str | None:
    """Centre HR costs and counts its own centre (one centre per account in practice)."""
    return (
        sorted(actor.centre_ids)[0] if actor.role is Role.CENTRE_HR and len(actor.centre_ids) == 1 else None
    )


# --- JSON API --------------------------------------------------------------------------------


@router.get(
    "/api/federation",
    tags=["federation"],
    summary="HR overview: grid, headcount and grid-minimum counts per centre",
)
def api_overview(db: Database = Depends(get_db), actor: Actor = Depends(HR)) -> dict[str, Any]:
    return _overview(db, actor)


def _overview(db: Database, actor: Actor) -> dict[str, Any]:
    rev = current_grid(db)
    names = centre_names(db, short=True)
    today = date.today()
    counts = compliance(db, actor, centre_id=_centre_of(actor))
    return {
        "grid": {
            "revision": rev.id,
            "name": rev.grid.name,
            "fictional": rev.grid.fictional,
            "point_value_today": rev.grid.point_value_on(today),
            "versions": [d.isoformat() for d in rev.grid.change_dates()],
        },
        "centres": with_names(counts["centres"], names),
        "imports": imports(db, actor),
    }


@router.get(
    "/api/federation/grid", tags=["federation"], summary="The pay grid in force on a date (levels as CSV)"
)
def api_grid(
    on: str = "", format: str = FORMAT, db: Database = Depends(get_db), actor: Actor = Depends(HR)
) -> Any:
    rev = current_grid(db)
    view = grid_on(rev.grid, _day(on))
    if format == "csv":
        return csv_response(view["levels"], GRID_LEVEL_COLUMNS, f"grid-{view['day']}.csv")
    return {"revision": rev.id, "name": rev.grid.name, "fictional": rev.grid.fictional, **view}


@router.get(
    "/api/federation/staff", tags=["federation"], summary="Headcount and FTE per centre, family and level"
)
def api_staff(format: str = FORMAT, db: Database = Depends(get_db), actor: Actor = Depends(HR)) -> Any:
    rows = with_names(headcount(db, actor, _centre_of(actor)), centre_names(db, short=True))
    if format == "csv":
        return csv_response(rows, HEADCOUNT_COLUMNS, "headcount.csv")
    return {"rows": rows}


@router.get("/api/federation/compliance", tags=["federation"], summary="Staff paid under the grid minimum")
def api_compliance(
    format: str = FORMAT,
    table: str = Query("centres", pattern="^(centres|flagged)$"),
    db: Database = Depends(get_db),
    actor: Actor = Depends(HR),
) -> Any:
    data = compliance(db, actor, centre_id=_centre_of(actor))
    data["centres"] = with_names(data["centres"], centre_names(db, short=True))
    if format == "csv":
        if table == "flagged":
            return csv_response(data["flagged"], FLAGGED_COLUMNS, "below-grid-minimum.csv")
        return csv_response(data["centres"], COMPLIANCE_COLUMNS, "grid-minimum.csv")
    return data


@router.get(
    "/api/federation/centres/{centre_id}",
    tags=["federation"],
    summary="One centre: headcount and grid-minimum check",
)
def api_centre(
    centre_id: str, format: str = FORMAT, db: Database = Depends(get_db), actor: Actor = Depends(HR)
) -> Any:
    _centre_scope(db, actor, centre_id)
    data = compliance(db, actor, centre_id=centre_id)
    if format == "csv":
        return csv_response(data["flagged"], FLAGGED_COLUMNS, f"below-grid-minimum-{centre_id}.csv")
    return {"centre_id": centre_id, "headcount": headcount(db, actor, centre_id), **data}


@router.get("/api/federation/proposals", tags=["federation"], summary="Saved negotiation proposals")
def api_proposals(db: Database = Depends(get_db), actor: Actor = Depends(HR)) -> dict[str, Any]:
    return {"proposals": [{"id": pid, **proposal_json(p)} for pid, p in saved_proposals(db)]}


class ProposalBody(BaseModel):
    proposal: dict[str, Any] = Field(
        ..., description="A proposal document (name, effective, changes), see workforce/proposals.py."
    )
    employer_rate: float | None = Field(
        None, ge=0, le=2, description="Employer contributions as a share of gross pay."
    )
    save: bool = Field(False, description="Also save the proposal under its name (federation HR).")


def _costing(db: Database, actor: Actor, proposal: Any, rate: float | None) -> dict[str, Any]:
    return costing_json(cost(db, actor, proposal, rate, _centre_of(actor)), centre_names(db, short=True))


@router.get(
    "/api/federation/costing",
    tags=["federation"],
    summary="Annual cost of a saved proposal (or two, side by side)",
)
def api_costing(
    proposal: int = Query(..., ge=1, description="Saved proposal id."),
    compare_with: int | None = Query(None, ge=1, description="A second saved proposal, side by side."),
    employer_rate: float | None = Query(None, ge=0, le=2),
    format: str = FORMAT,
    db: Database = Depends(get_db),
    actor: Actor = Depends(HR),
) -> Any:
    a = _costing(db, actor, saved_proposal(db, proposal), employer_rate)
    if compare_with is not None:
        data = compare_json(a, _costing(db, actor, saved_proposal(db, compare_with), employer_rate))
        if format == "csv":
            return csv_response(data["centres"], COMPARE_COLUMNS, f"costing-{proposal}-vs-{compare_with}.csv")
        return data
    if format == "csv":
        return csv_response(a["lines"], COSTING_COLUMNS, f"costing-{proposal}.csv")
    return a


@router.post(
    "/api/federation/costing", tags=["federation"], summary="Annual cost of a proposal given in the request"
)
def api_costing_post(
    body: ProposalBody = Body(...), db: Database = Depends(get_db), actor: Actor = Depends(HR)
) -> dict[str, Any]:
    import json

    from oncofed.workforce.proposals import parse_proposal

    proposal = parse_proposal(body.proposal, "request body")
    if body.save:
        if actor.role is not Role.FEDERATION_HR:
            raise InputError(
                N_("only federation HR saves proposals"), field="save", fix=N_("cost it without saving"),
                code="federation.save_refused",
            )  # fmt: skip
        save_proposal(db, actor, json.dumps(body.proposal, default=str), "request body")
    return _costing(db, actor, proposal, body.employer_rate)


# --- pages -----------------------------------------------------------------------------------


@router.get("/federation", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request, db: Database = Depends(get_db), actor: Actor = Depends(HR)) -> Response:
    return render(request, "federation_index.html", actor=actor, data=_overview(db, actor))


@router.get("/federation/grid", response_class=HTMLResponse, include_in_schema=False)
def grid_page(
    request: Request, on: str = "", db: Database = Depends(get_db), actor: Actor = Depends(HR)
) -> Response:
    rev = current_grid(db)
    return render(request, "federation_grid.html", actor=actor, rev=rev, view=grid_on(rev.grid, _day(on)))


@router.get("/federation/staff", response_class=HTMLResponse, include_in_schema=False)
def staff_page(request: Request, db: Database = Depends(get_db), actor: Actor = Depends(HR)) -> Response:
    rows = with_names(headcount(db, actor, _centre_of(actor)), centre_names(db, short=True))
    return render(request, "federation_staff.html", actor=actor, rows=rows, imports=imports(db, actor))


@router.get("/federation/compliance", response_class=HTMLResponse, include_in_schema=False)
def compliance_page(request: Request, db: Database = Depends(get_db), actor: Actor = Depends(HR)) -> Response:
    data = compliance(db, actor, centre_id=_centre_of(actor))
    data["centres"] = with_names(data["centres"], centre_names(db, short=True))
    return render(request, "federation_compliance.html", actor=actor, data=data, centre=None)


@router.get("/federation/centres/{centre_id}", response_class=HTMLResponse, include_in_schema=False)
def centre_page(
    request: Request, centre_id: str, db: Database = Depends(get_db), actor: Actor = Depends(HR)
) -> Response:
    _centre_scope(db, actor, centre_id)
    data = compliance(db, actor, centre_id=centre_id)
    data["centres"] = with_names(data["centres"], centre_names(db, short=True))
    return render(
        request,
        "federation_compliance.html",
        actor=actor,
        data=data,
        centre=centre_id,
        rows=with_names(headcount(db, actor, centre_id), centre_names(db, short=True)),
    )


def _costing_page(
    request: Request,
    db: Database,
    actor: Actor,
    a: int | None,
    b: int | None,
    rate: str,
    text: str,
    printable: bool,
) -> Response:
    error, result, compared = None, None, None
    try:
        employer_rate = _rate(rate)
        if text.strip():
            proposal = proposal_from_text(text, "proposal")
            if actor.role is Role.FEDERATION_HR:
                proposal = save_proposal(db, actor, text, "proposal")
            result = _costing(db, actor, proposal, employer_rate)
        elif a:
            result = _costing(db, actor, saved_proposal(db, a), employer_rate)
            if b:
                compared = compare_json(result, _costing(db, actor, saved_proposal(db, b), employer_rate))
    except (InputError, NotFound) as exc:
        error = str(exc)
    except OncofedError as exc:  # pragma: no cover - any other error a person can act on
        error = str(exc)
    return render(
        request,
        "federation_costing_print.html" if printable else "federation_costing.html",
        actor=actor,
        proposals=saved_proposals(db),
        a=a,
        b=b,
        rate=rate,
        text=text,
        result=result,
        compared=compared,
        error=error,
    )


@router.get("/federation/costing", response_class=HTMLResponse, include_in_schema=False)
def costing_page(
    request: Request,
    a: int | None = Query(None, ge=1),
    b: int | None = Query(None, ge=1),
    employer_rate: str = Query("", max_length=12),
    db: Database = Depends(get_db),
    actor: Actor = Depends(HR),
) -> Response:
    return _costing_page(request, db, actor, a, b, employer_rate, "", False)


@router.get("/federation/costing/print", response_class=HTMLResponse, include_in_schema=False)
def costing_print(
    request: Request,
    a: int = Query(..., ge=1),
    b: int | None = Query(None, ge=1),
    employer_rate: str = Query("", max_length=12),
    db: Database = Depends(get_db),
    actor: Actor = Depends(HR),
) -> Response:
    return _costing_page(request, db, actor, a, b, employer_rate, "", True)


@router.post("/federation/costing", response_class=HTMLResponse, include_in_schema=False)
async def costing_form(
    request: Request,
    proposal_text: str = Form("", max_length=20_000),
    employer_rate: str = Form("", max_length=12),
    db: Database = Depends(get_db),
    actor: Actor = Depends(HR),
) -> Response:
    return await run_in_threadpool(
        _costing_page, request, db, actor, None, None, employer_rate, proposal_text, False
    )
