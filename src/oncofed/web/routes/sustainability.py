"""Public sustainability pages (issue 21): each centre's carbon footprint by scope and BEGES post,
per stay and per bed, trends, the comparison across centres, the factor table with its sources,
the BEGES-style export and patient travel (aggregates only, small cells suppressed)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.errors import N_, NotFound
from oncofed.presenters.carbon import (
    BEGES_COLUMNS,
    FOOTPRINT_COLUMNS,
    LINE_COLUMNS,
    TRAVEL_COLUMNS,
    beges_rows,
    centre_year_json,
    comparison_json,
    lines_json,
    post_names,
    scope_bars_svg,
)
from oncofed.services.network.centres import centre_names
from oncofed.services.sustainability.activity import years
from oncofed.services.sustainability.factors import factor_set, factor_sets
from oncofed.services.sustainability.footprint import FootprintReport, footprint_report
from oncofed.services.sustainability.travel import stored_travel
from oncofed.store.db import Database
from oncofed.synthetic.carbon import DEMO_SOURCE
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db
from oncofed.web.templating import render

router = APIRouter()
FORMAT = Query("json", pattern="^(json|csv)$")
YEAR = Query(None, ge=1990, le=2100)
FACTORS = Query(None, max_length=100, description="Emission factor table version (default: the newest).")
FACTOR_COLUMNS = [
    "category",
    "item",
    "name_en",
    "name_fr",
    "unit",
    "kgco2e_per_unit",
    "scope",
    "beges_post",
    "uncertainty_pct",
    "source",
]


def ascii_filename(name: str) -> str:
    """A download name safe in a Content-Disposition header (a version name may be any text)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def _synthetic(db: Database) -> bool:
    from sqlalchemy import select

    from oncofed.store.models_carbon import CarbonActivityRow

    with db.session() as s:
        return (
            s.scalar(
                select(CarbonActivityRow.id).where(CarbonActivityRow.source_file == DEMO_SOURCE).limit(1)
            )
            is not None
        )


def _network(
    db: Database, year: int | None, version: str | None
) -> tuple[FootprintReport, int | None, dict[str, Any]]:
    report = footprint_report(db, year=year, version=version)
    known = years(db)
    if year is None and known:
        year = known[-1]
        report = footprint_report(db, year=year, version=version)
    data = (
        comparison_json(report.for_year(year), centre_names(db, short=True))
        if year
        else {"centres": [], "network": {}}
    )
    return report, year, {"year": year, "years": known, "factor_table": report.factors.version, **data}


def _centre(
    db: Database, centre_id: str, version: str | None
) -> tuple[FootprintReport, list[dict[str, Any]]]:
    names = centre_names(db, short=True)
    if centre_id not in names:
        raise NotFound(
            N_("no centre %(centre)s"), fix=N_("see the centres at /api/centres"), code="centre.unknown",
            params={"centre": repr(centre_id)},
        )  # fmt: skip
    report = footprint_report(db, centre_id=centre_id, version=version)
    return report, [centre_year_json(cy, names) for cy in report.for_centre(centre_id)]


@router.get(
    "/api/sustainability",
    tags=["sustainability"],
    summary="Footprint of every centre for a year (comparison)",
)
def api_network(
    year: int | None = YEAR,
    factors: str | None = FACTORS,
    format: str = FORMAT,
    db: Database = Depends(get_db),
) -> Any:
    _, y, data = _network(db, year, factors)
    if format == "csv":
        return csv_response(data["centres"], FOOTPRINT_COLUMNS, f"carbon-{y}.csv")
    return data


@router.get(
    "/api/sustainability/centres/{centre_id}",
    tags=["sustainability"],
    summary="One centre: footprint per year (trend) and its lines",
)
def api_centre(
    centre_id: str,
    factors: str | None = FACTORS,
    format: str = FORMAT,
    table: str = Query("years", pattern="^(years|lines)$"),
    db: Database = Depends(get_db),
) -> Any:
    report, rows = _centre(db, centre_id, factors)
    lines = [ln for cy in report.for_centre(centre_id) for ln in lines_json(cy)]
    if format == "csv":
        if table == "lines":
            return csv_response(lines, LINE_COLUMNS, f"carbon-{centre_id}-lines.csv")
        return csv_response(rows, FOOTPRINT_COLUMNS, f"carbon-{centre_id}.csv")
    return {"centre_id": centre_id, "factor_table": report.factors.version, "years": rows, "lines": lines}


@router.get(
    "/api/sustainability/centres/{centre_id}/beges",
    tags=["sustainability"],
    summary="BEGES-style export of one centre and year",
)
def api_beges(
    centre_id: str,
    year: int | None = YEAR,
    factors: str | None = FACTORS,
    format: str = Query("csv", pattern="^(json|csv)$"),
    db: Database = Depends(get_db),
) -> Any:
    report, rows = _centre(db, centre_id, factors)
    if not rows:
        raise NotFound(
            N_("no activity data for %(centre)s"), fix=N_("import it with `oncofed carbon import FILE`"),
            code="carbon.no_activity", params={"centre": centre_id},
        )  # fmt: skip
    y = year or rows[-1]["year"]
    cy = report.results.get((centre_id, y))
    if cy is None:
        raise NotFound(
            N_("no activity data for %(centre)s in %(year)s"),
            fix=N_("years with data: %(years)s"),
            code="carbon.no_activity_year",
            params={"centre": centre_id, "year": y, "years": [str(r["year"]) for r in rows]},
        )
    out = beges_rows(cy, centre_names(db, short=True), report.factors.version)
    if format == "csv":
        return csv_response(out, BEGES_COLUMNS, f"beges-{centre_id}-{y}.csv")
    return {"centre_id": centre_id, "year": y, "complete": cy.complete, "problems": cy.problems, "posts": out}


@router.get(
    "/api/sustainability/factors",
    tags=["sustainability"],
    summary="Emission factor tables and the factors of one, with sources",
)
def api_factors(factors: str | None = FACTORS, format: str = FORMAT, db: Database = Depends(get_db)) -> Any:
    fs = factor_set(db, factors)
    rows = [f.__dict__ for f in fs.factors.values()]
    if format == "csv":
        return csv_response(rows, FACTOR_COLUMNS, ascii_filename(f"factors-{fs.version}.csv"))
    return {"version": fs.version, "name": fs.name, "tables": factor_sets(db), "factors": rows}


@router.get(
    "/api/sustainability/travel",
    tags=["sustainability"],
    summary="Patient travel per treating centre (aggregates)",
)
def api_travel(format: str = FORMAT, db: Database = Depends(get_db)) -> Any:
    computed, rows = _travel(db)
    if format == "csv":
        return csv_response(rows, TRAVEL_COLUMNS, "patient-travel.csv")
    return {"computed_at": computed, "centres": rows}


def _travel(db: Database) -> tuple[str | None, list[dict[str, Any]]]:
    computed, figures = stored_travel(db)
    names = centre_names(db, short=True)
    rows = [{"centre_id": c, "centre": names.get(c, c), **f} for c, f in figures.items()]
    return (computed.isoformat(timespec="minutes") if computed else None), sorted(
        rows, key=lambda r: r["centre"]
    )


@router.get("/sustainability", response_class=HTMLResponse, include_in_schema=False)
def network_page(
    request: Request, year: int | None = YEAR, factors: str | None = FACTORS, db: Database = Depends(get_db)
) -> Response:
    _, y, data = _network(db, year, factors)
    chart = scope_bars_svg(data["centres"], "t_per_bed", "tCO2e / bed")
    return render(
        request,
        "sustainability_index.html",
        data=data,
        chart=chart,
        synthetic=_synthetic(db),
        factors=factors or "",
    )


@router.get("/sustainability/centres/{centre_id}", response_class=HTMLResponse, include_in_schema=False)
def centre_page(
    request: Request, centre_id: str, factors: str | None = FACTORS, db: Database = Depends(get_db)
) -> Response:
    report, rows = _centre(db, centre_id, factors)
    latest = report.for_centre(centre_id)[-1] if rows else None
    lang = getattr(request.state, "lang", "en")
    return render(
        request,
        "sustainability_centre.html",
        centre_id=centre_id,
        centre=centre_names(db, short=True)[centre_id],
        rows=rows,
        lines=lines_json(latest) if latest else [],
        latest=rows[-1] if rows else None,
        posts=post_names(lang),
        factor_table=report.factors.version,
        synthetic=_synthetic(db),
        chart=scope_bars_svg([{**r, "centre": str(r["year"])} for r in rows], "total_t", "tCO2e"),
    )


@router.get("/sustainability/factors", response_class=HTMLResponse, include_in_schema=False)
def factors_page(request: Request, factors: str | None = FACTORS, db: Database = Depends(get_db)) -> Response:
    fs = factor_set(db, factors)
    return render(
        request,
        "sustainability_factors.html",
        fs=fs,
        tables=factor_sets(db),
        posts=post_names(getattr(request.state, "lang", "en")),
    )


@router.get("/sustainability/travel", response_class=HTMLResponse, include_in_schema=False)
def travel_page(request: Request, db: Database = Depends(get_db)) -> Response:
    computed, rows = _travel(db)
    return render(request, "sustainability_travel.html", computed=computed, rows=rows)
