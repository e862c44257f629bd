"""Quality JSON/CSV/SVG API: indicators with funnel data, trends, rejected rows, charter, EPiHC."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from oncofed.domain import Actor
from oncofed.presenters.charter import (
    CHARTER_COLUMNS,
    EPIHC_COLUMNS,
    assessment_csv_rows,
    assessment_json,
    charter_rows,
)
from oncofed.presenters.quality import (
    CENTRE_COLUMNS,
    TREND_COLUMNS,
    centre_names,
    centre_rows,
    chart_labels,
    result_json,
)
from oncofed.quality.svg import funnel_svg, trend_svg
from oncofed.services.quality.charter import Forbidden, assessments, charter_matrix, save_assessment
from oncofed.services.quality.indicators import (
    REJECT_COLUMNS,
    compute_over_store,
    list_rejects,
    reject_summary,
)
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_actor, get_db, get_lang

router = APIRouter()
FMT = Query("json", pattern="^(json|csv)$")
TREND = Query("month", pattern="^(month|quarter)$")
ADJ = Query("auto", pattern="^(auto|none|multiplicative|additive)$")


def run_for(db: Database, trend: str = "month", adjustment: str = "auto") -> Any:
    return compute_over_store(db, trend=trend, adjustment=adjustment)


@router.get("/api/quality/indicators", tags=["quality"], summary="Every indicator with each centre's band")
def api_indicators(
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    format: str = FMT,
    trend: str = TREND,
    adjust: str = ADJ,
) -> Any:
    run = run_for(db, trend, adjust)
    names = centre_names(db)
    if format == "csv":
        rows = [row for r in run.results for row in centre_rows(r, names)]
        return csv_response(rows, CENTRE_COLUMNS, "quality-indicators.csv")
    return {
        "period": {"from": run.period_from, "to": run.period_to},
        "events": run.events,
        "rejected": reject_summary(db, actor=actor),  # counts, no patient-level data (F1)
        "indicators": [result_json(r, names) for r in run.results],
    }


@router.get("/api/quality/indicators/{indicator_id}", tags=["quality"], summary="One indicator (funnel data)")
def api_indicator(
    indicator_id: str,
    db: Database = Depends(get_db),
    format: str = FMT,
    trend: str = TREND,
    adjust: str = ADJ,
) -> Any:
    result = run_for(db, trend, adjust).result(indicator_id)
    names = centre_names(db)
    if format == "csv":
        return csv_response(centre_rows(result, names), CENTRE_COLUMNS, f"{indicator_id}.csv")
    return result_json(result, names)


@router.get(
    "/api/quality/indicators/{indicator_id}/trend", tags=["quality"], summary="Values by month/quarter"
)
def api_trend(
    indicator_id: str, db: Database = Depends(get_db), format: str = FMT, trend: str = TREND
) -> Any:
    result = run_for(db, trend).result(indicator_id)
    rows = [
        {"indicator_id": indicator_id, **t, "value": t["value"] if t["published"] else None}
        for t in result.trend
    ]
    if format == "csv":
        return csv_response(rows, TREND_COLUMNS, f"{indicator_id}-trend.csv")
    return {"indicator_id": indicator_id, "trend_unit": trend, "rows": rows}


@router.get(
    "/api/quality/indicators/{indicator_id}/funnel.svg", tags=["quality"], summary="Funnel plot (SVG)"
)
def api_funnel_svg(
    indicator_id: str, request: Request, db: Database = Depends(get_db), adjust: str = ADJ
) -> Response:
    result = run_for(db, "month", adjust).result(indicator_id)
    svg = funnel_svg(result, centre_names(db), chart_labels(result, get_lang(request)))
    return Response(svg, media_type="image/svg+xml")


@router.get("/api/quality/indicators/{indicator_id}/trend.svg", tags=["quality"], summary="Trend chart (SVG)")
def api_trend_svg(
    indicator_id: str,
    request: Request,
    db: Database = Depends(get_db),
    trend: str = TREND,
    centre: str | None = None,
) -> Response:
    result = run_for(db, trend).result(indicator_id)
    svg = trend_svg(result, centre, centre_names(db), chart_labels(result, get_lang(request)))
    return Response(svg, media_type="image/svg+xml")


@router.get(
    "/api/quality/rejects",
    tags=["quality"],
    summary="Rejected event rows: counts per reason and centre; file and row number for those who fix them",
)
def api_rejects(db: Database = Depends(get_db), actor: Actor = Depends(get_actor), format: str = FMT) -> Any:
    """Never a patient id or an event date (docs/SECURITY.md, F1). Everyone gets the counts per
    reason and per centre; quality managers and administrators (every centre) and a centre's own
    clinicians and research staff (their centre) also get each row's file and row number."""
    rows = list_rejects(db, actor)
    if format == "csv":
        return csv_response(rows, REJECT_COLUMNS, "quality-rejected-rows.csv")
    summary = reject_summary(db, actor=actor)
    return {
        "total": summary["total"],
        "by_reason": {r["reason"]: r["count"] for r in summary["reasons"]},
        "by_centre": summary["by_centre"],
        "count": len(rows),
        "rows": rows,
    }


@router.get("/api/quality/charter", tags=["quality"], summary="Charter: centre x commitment evidence")
def api_charter(db: Database = Depends(get_db), format: str = FMT) -> Any:
    names = centre_names(db)
    matrix = charter_matrix(run_for(db), sorted(names))
    if format == "csv":
        return csv_response(charter_rows(matrix), CHARTER_COLUMNS, "charter.csv")
    return {"example_wording": True, "matrix": matrix}


@router.get("/api/quality/epihc/{centre_id}", tags=["quality"], summary="A centre's EPiHC self-assessment")
def api_epihc(centre_id: str, db: Database = Depends(get_db), format: str = FMT) -> Any:
    rows = [assessment_json(a) for a in assessments(db, centre_id)]
    if format == "csv":
        return csv_response(assessment_csv_rows(rows), EPIHC_COLUMNS, f"epihc-{centre_id}.csv")
    return {"centre_id": centre_id, "example_wording": True, "principles": rows}


@router.put("/api/quality/epihc/{centre_id}/{principle_id}", tags=["quality"], summary="Save one principle")
def api_epihc_put(
    centre_id: str,
    principle_id: str,
    body: dict[str, Any] = Body(...),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Any:
    try:
        a = save_assessment(
            db,
            actor,
            centre_id,
            principle_id,
            body.get("score"),  # type: ignore[arg-type]
            str(body.get("evidence") or ""),
            str(body.get("action_plan") or ""),
            body.get("review_date") or None,
        )
    except Forbidden as exc:
        raise HTTPException(status_code=403, detail=str(exc)) from exc
    return assessment_json(a)
