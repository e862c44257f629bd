"""Research API (issue 20): public aggregates (inclusion rate per centre and year, publications per
centre and year, journals, the co-publication network), staff details (the sponsor's portfolio, a
trial's sites and milestones, screen failures, the affiliation review queue). CSV with ?format=csv."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.presenters.inclusion import inclusion_payload, public
from oncofed.presenters.research import copublication_svg, inclusion_funnel_svg
from oncofed.services.network.centres import centre_names as network_centre_names
from oncofed.services.network.centres import list_centres
from oncofed.services.research import bibliometrics as biblio
from oncofed.services.research.inclusion import COLUMNS_OUT, inclusion_results, network_rows
from oncofed.services.research.milestones import set_milestone
from oncofed.services.research.portfolio import (
    MONTH_COLUMNS,
    PORTFOLIO_COLUMNS,
    SITE_COLUMNS,
    STEP_COLUMNS,
    portfolio,
    trial_portfolio,
)
from oncofed.services.research.publications import review_affiliation
from oncofed.services.research.screen_failures import COLUMNS as FAILURE_COLUMNS
from oncofed.services.research.screen_failures import screen_failures
from oncofed.services.research.sponsor import set_sponsored, sponsored_ids
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import MAX_ID, MAX_PAGE, get_db, get_lang

router = APIRouter()
FORMAT = Query("json", pattern="^(json|csv)$")
YEAR = Query(None, ge=1900, le=2200)
CENTRE = Query(None, max_length=64, pattern=r"^[a-z0-9-]+$")
PAGE = Query(1, ge=1, le=MAX_PAGE)
TRIAL = Path(..., max_length=64)
# who sees the sponsor's details (aggregates of its trials, no patient) and who changes them
portfolio_reader = require_roles(Role.TRIAL_MANAGER, Role.RESEARCH_STAFF, Role.ADMIN)
portfolio_writer = require_roles(Role.TRIAL_MANAGER, Role.ADMIN)
research_office = require_roles(Role.TRIAL_MANAGER, Role.QUALITY_MANAGER, Role.ADMIN)


def centre_names(db: Database) -> dict[str, str]:
    """Centres by short name (research tables and charts)."""
    return network_centre_names(db, short=True)


@router.get(
    "/api/research", tags=["research"], summary="Research overview: sponsored trials, papers, inclusion"
)
def api_overview(db: Database = Depends(get_db)) -> Any:
    years, results = inclusion_results(db)
    counts = biblio.affiliation_counts(db)
    return {
        "sponsored_trials": len(sponsored_ids(db)),
        "publication_years": biblio.years_with_papers(db),
        "papers_per_year": biblio.papers_per_year(db),
        "inclusion": network_rows(results),
        "affiliations": {k: counts[k] for k in ("matched", "review", "external", "total")},
    }


@router.get(
    "/api/research/inclusion", tags=["research"], summary="Trial inclusion rate per centre for a year"
)
def api_inclusion(year: int | None = YEAR, format: str = FORMAT, db: Database = Depends(get_db)) -> Any:
    payload = inclusion_payload(db, year)
    if format == "csv":
        return csv_response(payload["centres"], COLUMNS_OUT, f"inclusion-rate-{payload['year']}.csv")
    return public(payload)


@router.get(
    "/api/research/inclusion/funnel.svg", tags=["research"], summary="Inclusion-rate funnel plot (SVG)"
)
def api_inclusion_funnel(
    request: Request, year: int | None = YEAR, db: Database = Depends(get_db)
) -> Response:
    payload = inclusion_payload(db, year)
    if payload["_result"] is None:
        raise NotFound(
            N_("no new patients recorded"), fix=N_("import care-pathway events: %(command)s"),
            code="research.no_new_patients", params={"command": "oncofed quality import FILE"},
        )  # fmt: skip
    svg = inclusion_funnel_svg(payload["_result"], payload["_names"], get_lang(request))
    return Response(svg, media_type="image/svg+xml")


@router.get("/api/research/publications", tags=["research"], summary="Publications per centre and year")
def api_publications(
    year: int | None = YEAR,
    centre: str | None = CENTRE,
    table: str = Query("centres", pattern="^(centres|journals|papers|network)$"),
    page: int = PAGE,
    format: str = FORMAT,
    db: Database = Depends(get_db),
) -> Any:
    names = centre_names(db)
    if centre and centre not in names:
        raise NotFound(
            N_("no centre %(centre)s"), fix=N_("see the centres at /api/centres"), code="centre.unknown",
            params={"centre": repr(centre)},
        )  # fmt: skip
    if table == "journals":
        rows = biblio.journals(db, centre_id=centre, year=year)
        return (
            csv_response(rows, ["journal", "papers"], "journals.csv")
            if format == "csv"
            else {"journals": rows}
        )
    if table == "papers":
        data = biblio.papers(db, centre_id=centre, year=year, page=page)
        if format == "csv":
            return csv_response(biblio.paper_csv_rows(data["papers"]), biblio.PAPER_COLUMNS, "papers.csv")
        return data
    if table == "network":
        data = biblio.copublication(db, names, year=year)
        if format == "csv":
            return csv_response(
                data["edges"], ["a", "b", "centre_a", "centre_b", "papers"], "copublication.csv"
            )
        return data
    rows = biblio.centre_year_table(db, names, year=year, centre_id=centre)
    if format == "csv":
        return csv_response(rows, biblio.CENTRE_YEAR_COLUMNS, "publications-per-centre.csv")
    return {"year": year, "centre": centre, "years": biblio.years_with_papers(db), "centres": rows}


@router.get(
    "/api/research/publications/network.svg", tags=["research"], summary="Co-publication network (SVG)"
)
def api_network_svg(request: Request, year: int | None = YEAR, db: Database = Depends(get_db)) -> Response:
    names = centre_names(db)
    svg = copublication_svg(biblio.copublication(db, names, year=year), list_centres(db), get_lang(request))
    return Response(svg, media_type="image/svg+xml")


@router.get("/api/research/portfolio", tags=["research"], summary="The sponsor's portfolio (staff)")
def api_portfolio(
    table: str = Query("trials", pattern="^(trials|steps)$"),
    format: str = FORMAT,
    db: Database = Depends(get_db),
    actor: Actor = Depends(portfolio_reader),
) -> Any:
    data = portfolio(db)
    if format == "csv":
        if table == "steps":
            return csv_response(data["steps"], STEP_COLUMNS, "activation-steps.csv")
        return csv_response(data["trials"], PORTFOLIO_COLUMNS, "portfolio.csv")
    return data


@router.get(
    "/api/research/portfolio/{trial_id}",
    tags=["research"],
    summary="One trial: sites, milestones, inclusions, screen failures",
)
def api_trial(
    trial_id: str = TRIAL,
    table: str = Query("sites", pattern="^(sites|steps|months|screen_failures|papers)$"),
    format: str = FORMAT,
    db: Database = Depends(get_db),
    actor: Actor = Depends(portfolio_reader),
) -> Any:
    data = trial_portfolio(db, trial_id)
    failures = screen_failures(db, trial_id)
    papers = biblio.trial_papers(db, trial_id)
    if format == "csv":
        if table == "steps":
            return csv_response(data["steps"], STEP_COLUMNS, f"activation-{trial_id}.csv")
        if table == "months":
            return csv_response(data["months"], MONTH_COLUMNS, f"inclusions-{trial_id}.csv")
        if table == "screen_failures":
            return csv_response(failures["rows"], FAILURE_COLUMNS, f"screen-failures-{trial_id}.csv")
        if table == "papers":
            return csv_response(biblio.paper_csv_rows(papers), biblio.PAPER_COLUMNS, f"papers-{trial_id}.csv")
        return csv_response(data["sites"], SITE_COLUMNS, f"sites-{trial_id}.csv")
    return {**data, "screen_failures": failures, "papers": papers}


class SponsoredIn(BaseModel):
    sponsored: bool = True
    note: str = Field("", max_length=300)


@router.post(
    "/api/research/portfolio/{trial_id}/sponsored",
    tags=["research"],
    summary="Flag or unflag a sponsored trial",
)
def api_sponsored(
    body: SponsoredIn,
    trial_id: str = TRIAL,
    db: Database = Depends(get_db),
    actor: Actor = Depends(portfolio_writer),
) -> Any:
    changed = set_sponsored(db, actor, trial_id, body.sponsored, note=body.note)
    return {"trial_id": trial_id, "sponsored": body.sponsored, "changed": changed}


class MilestoneIn(BaseModel):
    site: str = Field(..., min_length=1, max_length=300)
    milestone: str = Field(..., max_length=32)
    date: str | None = Field(None, max_length=10, description="YYYY-MM-DD; null clears the milestone")


def parse_day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(
            N_("%(value)s is not a date"), field=field, fix=N_("write YYYY-MM-DD"), code="input.not_date",
            params={"value": repr(value)},
        ) from exc  # fmt: skip


@router.post(
    "/api/research/portfolio/{trial_id}/milestones",
    tags=["research"],
    summary="Enter or clear one site milestone",
)
def api_milestone(
    body: MilestoneIn,
    trial_id: str = TRIAL,
    db: Database = Depends(get_db),
    actor: Actor = Depends(portfolio_writer),
) -> Any:
    set_milestone(db, actor, trial_id, body.site, body.milestone, parse_day(body.date, body.milestone))
    return {"trial_id": trial_id, "site": body.site, "milestone": body.milestone, "date": body.date}


@router.get(
    "/api/research/affiliations", tags=["research"], summary="Affiliations by status (the review queue)"
)
def api_affiliations(
    status: str = Query("review", pattern="^(review|matched|external|reviewed)$"),
    page: int = PAGE,
    format: str = FORMAT,
    db: Database = Depends(get_db),
    actor: Actor = Depends(research_office),
) -> Any:
    data = biblio.affiliations(db, status=status, page=page)
    if format == "csv":
        return csv_response(data["affiliations"], biblio.REVIEW_COLUMNS, f"affiliations-{status}.csv")
    return {**data, "counts": biblio.affiliation_counts(db)}


class ReviewIn(BaseModel):
    centre_ids: list[str] = Field(
        default_factory=list, max_length=30, description="[] = not a network centre"
    )


@router.post(
    "/api/research/affiliations/{affiliation_id}", tags=["research"], summary="Decide an affiliation"
)
def api_review(
    body: ReviewIn,
    affiliation_id: int = Path(..., ge=1, le=MAX_ID),
    db: Database = Depends(get_db),
    actor: Actor = Depends(research_office),
) -> Any:
    return review_affiliation(db, actor, affiliation_id, body.centre_ids)
