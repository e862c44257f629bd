"""Research pages (issue 20): /research (overview), /research/inclusion and /research/publications
(public aggregates), /research/portfolio and a trial's page (the sponsor's staff), and
/research/affiliations (the review queue). Forms post here and redirect back with a message."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select

from oncofed.domain import Actor
from oncofed.errors import N_, InputError, NotFound, OncofedError
from oncofed.presenters.boards import labels as board_labels
from oncofed.presenters.i18n import translator
from oncofed.presenters.research import activation_svg, copublication_svg, inclusion_funnel_svg
from oncofed.research.activation import MILESTONES
from oncofed.services.network.centres import list_centres
from oncofed.services.research import bibliometrics as biblio
from oncofed.services.research.inclusion import inclusion_results, network_rows
from oncofed.services.research.milestones import set_milestone
from oncofed.services.research.portfolio import portfolio, trial_portfolio
from oncofed.services.research.publications import review_affiliation
from oncofed.services.research.screen_failures import screen_failures
from oncofed.services.research.sponsor import set_sponsored, sponsored_ids
from oncofed.store.db import Database
from oncofed.web.deps import MAX_ID, get_db, get_lang
from oncofed.web.errors import error_page
from oncofed.web.routes.research import (
    CENTRE,
    PAGE,
    TRIAL,
    YEAR,
    centre_names,
    inclusion_payload,
    parse_day,
    portfolio_reader,
    portfolio_writer,
    research_office,
)
from oncofed.web.templating import render

router = APIRouter()


def _fictional(db: Database) -> bool:
    from oncofed.store.models_research import PublicationRow

    with db.session() as s:
        return (
            s.scalar(select(PublicationRow.id).where(PublicationRow.fictional.is_(True)).limit(1)) is not None
        )


def _back(url: str, msg: str = "") -> RedirectResponse:
    sep = "&" if "?" in url else "?"
    return RedirectResponse(url + ((sep + "msg=" + quote(msg)) if msg else ""), status_code=303)


def _refused(request: Request, exc: OncofedError, back: str) -> Response:
    """The refusal in the reader's language, with a link back to the page the action was on."""
    code = getattr(exc, "status", None) or (404 if isinstance(exc, NotFound) else 422)
    return error_page(request, code, exc.message, exc.fix, None, error=exc, back=back)


@router.get("/research", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request, db: Database = Depends(get_db)) -> Response:
    _, results = inclusion_results(db)
    return render(
        request,
        "research_index.html",
        sponsored=len(sponsored_ids(db)),
        per_year=biblio.papers_per_year(db),
        inclusion=network_rows(results),
        counts=biblio.affiliation_counts(db),
        fictional=_fictional(db),
    )


@router.get("/research/inclusion", response_class=HTMLResponse, include_in_schema=False)
def inclusion_page(request: Request, year: int | None = YEAR, db: Database = Depends(get_db)) -> Response:
    payload = inclusion_payload(db, year)
    result = payload["_result"]
    funnel = inclusion_funnel_svg(result, payload["_names"], get_lang(request)) if result is not None else ""
    return render(request, "research_inclusion.html", data=payload, funnel=Markup(funnel))


@router.get("/research/publications", response_class=HTMLResponse, include_in_schema=False)
def publications_page(
    request: Request,
    year: int | None = YEAR,
    centre: str | None = CENTRE,
    page: int = PAGE,
    db: Database = Depends(get_db),
) -> Response:
    names = centre_names(db)
    if centre and centre not in names:
        raise NotFound(
            N_("no centre %(centre)s"), fix=N_("see the centres at /api/centres"), code="centre.unknown",
            params={"centre": repr(centre)},
        )  # fmt: skip
    network = biblio.copublication(db, names, year=year)
    years = biblio.years_with_papers(db)
    shown = year if year is not None else (years[-1] if years else None)  # the detail of one year
    every_year = biblio.centre_year_table(db, names, centre_id=centre)
    pivot: dict[str, dict[str, Any]] = {}
    for r in every_year:
        pivot.setdefault(r["centre_id"], {"centre": r["centre"], "years": {}})["years"][r["year"]] = r[
            "papers"
        ]
    return render(
        request,
        "research_publications.html",
        year=year,
        shown_year=shown,
        centre=centre,
        names=names,
        years=years,
        pivot=pivot,
        rows=[r for r in every_year if r["year"] == shown],
        journals=biblio.journals(db, centre_id=centre, year=year, limit=15),
        network_svg=Markup(copublication_svg(network, list_centres(db), get_lang(request))),
        edges=network["edges"][:15],
        papers=biblio.papers(db, centre_id=centre, year=year, page=page, size=25),
        fictional=_fictional(db),
    )


@router.get("/research/portfolio", response_class=HTMLResponse, include_in_schema=False)
def portfolio_page(
    request: Request, db: Database = Depends(get_db), actor: Actor = Depends(portfolio_reader)
) -> Response:
    data = portfolio(db)
    chart = activation_svg(data["steps"], get_lang(request), data["slowest_step"])
    return render(
        request,
        "research_portfolio.html",
        data=data,
        chart=Markup(chart),
        actor=actor,
        message=request.query_params.get("msg", ""),
    )


@router.post("/research/portfolio/sponsor", include_in_schema=False)
def sponsor_form(
    request: Request,
    trial_id: str = Form(..., max_length=64),
    action: str = Form("flag", pattern="^(flag|unflag)$"),
    db: Database = Depends(get_db),
    actor: Actor = Depends(portfolio_writer),
) -> Response:
    try:
        set_sponsored(db, actor, trial_id.strip(), action == "flag")
    except OncofedError as exc:
        return _refused(request, exc, "/research/portfolio")
    return _back("/research/portfolio", translator(get_lang(request)).gettext("Saved."))


@router.get("/research/portfolio/{trial_id}", response_class=HTMLResponse, include_in_schema=False)
def trial_page(
    request: Request,
    trial_id: str = TRIAL,
    db: Database = Depends(get_db),
    actor: Actor = Depends(portfolio_reader),
) -> Response:
    data = trial_portfolio(db, trial_id)
    return render(
        request,
        "research_trial.html",
        data=data,
        chart=Markup(activation_svg(data["steps"], get_lang(request), data["slowest_step"])),
        failures=screen_failures(db, trial_id),
        board_reasons=board_labels(get_lang(request))["not_proposed_reasons"],
        papers=biblio.trial_papers(db, trial_id),
        milestones=MILESTONES,
        actor=actor,
        message=request.query_params.get("msg", ""),
    )


@router.post("/research/portfolio/{trial_id}/milestones", include_in_schema=False)
def milestone_form(
    request: Request,
    trial_id: str = TRIAL,
    site: str = Form(..., max_length=300),
    milestone: str = Form(..., max_length=32),
    on: str = Form("", max_length=10),
    clear: str = Form(""),
    db: Database = Depends(get_db),
    actor: Actor = Depends(portfolio_writer),
) -> Response:
    back = f"/research/portfolio/{quote(trial_id)}"
    try:
        day = None if clear else parse_day(on, milestone)
        if day is None and not clear:
            raise InputError(
                N_("no date given"), field=milestone, fix=N_("pick the date the milestone was reached"),
                code="research.milestone_no_date",
            )  # fmt: skip
        set_milestone(db, actor, trial_id, site, milestone, day)
    except OncofedError as exc:
        return _refused(request, exc, back)
    return _back(back, translator(get_lang(request)).gettext("Saved."))


@router.get("/research/affiliations", response_class=HTMLResponse, include_in_schema=False)
def affiliations_page(
    request: Request,
    status: str = "review",
    page: int = PAGE,
    db: Database = Depends(get_db),
    actor: Actor = Depends(research_office),
) -> Response:
    if status not in ("review", "matched", "external", "reviewed"):
        raise InputError(
            N_("unknown status %(status)s"), field="status", fix=N_("choose review, matched, external or reviewed"),
            code="research.affiliation_status", params={"status": repr(status)},
        )  # fmt: skip
    data: dict[str, Any] = biblio.affiliations(db, status=status, page=page)
    return render(
        request,
        "research_affiliations.html",
        data=data,
        counts=biblio.affiliation_counts(db),
        names=centre_names(db),
        actor=actor,
        message=request.query_params.get("msg", ""),
    )


@router.post("/research/affiliations/{affiliation_id}", include_in_schema=False)
def review_form(
    request: Request,
    affiliation_id: int = Path(..., ge=1, le=MAX_ID),
    centre_ids: list[str] = Form(default=[]),
    external: str = Form(""),
    db: Database = Depends(get_db),
    actor: Actor = Depends(research_office),
) -> Response:
    centres = [c for c in centre_ids if c]
    back = "/research/affiliations"
    try:
        if not centres and external != "1":
            raise InputError(
                N_("no decision"),
                field="centre_ids",
                fix=N_("tick the centres it names, or 'not a network centre'"),
                code="research.affiliation_no_decision",
            )
        review_affiliation(db, actor, affiliation_id, [] if external == "1" else centres)
    except OncofedError as exc:
        return _refused(request, exc, back)
    return _back(back, translator(get_lang(request)).gettext("Saved."))
