"""Public quality pages: index, indicator (funnel, bands, exclusions), charter matrix, EPiHC
self-assessment (form for the centre's quality managers) and the printable per-centre report."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from oncofed.domain import Actor
from oncofed.errors import N_, NotFound
from oncofed.presenters.quality import centre_names, chart_labels, result_json
from oncofed.presenters.quality_report import centre_report as centre_report_content
from oncofed.quality.svg import funnel_svg, trend_svg
from oncofed.services.quality.charter import (
    Forbidden,
    assessments,
    centre_evidence,
    charter,
    charter_matrix,
    epihc,
    may_edit,
    save_assessment,
)
from oncofed.services.quality.indicators import compute_over_store
from oncofed.store.db import Database
from oncofed.web.deps import get_actor, get_db, get_lang
from oncofed.web.templating import render

router = APIRouter()


@router.get("/quality", response_class=HTMLResponse, include_in_schema=False)
def quality_index(request: Request, db: Database = Depends(get_db)) -> HTMLResponse:
    run = compute_over_store(db)
    names = centre_names(db)
    rows = []
    for r in run.results:
        data = result_json(r, names)
        counts = {
            b: sum(1 for c in data["centres"] if c["band"] == b)
            for b in ("within", "above", "below", "small_sample")
        }
        rows.append({"r": r, "data": data, "counts": counts})
    return render(request, "quality_index.html", run=run, rows=rows, names=names)


@router.get("/quality/indicators/{indicator_id}", response_class=HTMLResponse, include_in_schema=False)
def indicator_page(
    request: Request,
    indicator_id: str,
    db: Database = Depends(get_db),
    trend: str = Query("month", pattern="^(month|quarter)$"),
    adjust: str = Query("auto", pattern="^(auto|none|multiplicative|additive)$"),
    centre: str | None = None,
) -> HTMLResponse:
    lang = get_lang(request)
    run = compute_over_store(db, trend=trend, adjustment=adjust)
    result = run.result(indicator_id)
    names = centre_names(db)
    labels = chart_labels(result, lang)
    return render(
        request,
        "quality_indicator.html",
        run=run,
        result=result,
        ind=result.indicator,
        data=result_json(result, names),
        funnel=funnel_svg(result, names, labels) if result.indicator.compared else "",
        trend_chart=trend_svg(result, centre, names, labels),
        names=names,
        trend=trend,
        adjust=adjust,
        centre=centre,
        exclusion_labels={
            e.id: e.label.get(lang, e.label.get("en", e.id)) for e in result.indicator.exclusions
        },
    )


@router.get("/quality/charter", response_class=HTMLResponse, include_in_schema=False)
def charter_page(request: Request, db: Database = Depends(get_db)) -> HTMLResponse:
    names = centre_names(db)
    matrix = charter_matrix(compute_over_store(db), sorted(names, key=lambda c: names[c]))
    return render(request, "quality_charter.html", matrix=matrix, names=names, charter=charter())


@router.get("/quality/charter/{centre_id}", response_class=HTMLResponse, include_in_schema=False)
def charter_centre_page(request: Request, centre_id: str, db: Database = Depends(get_db)) -> HTMLResponse:
    names = centre_names(db)
    if centre_id not in names:
        raise NotFound(
            N_("no centre %(centre)s"), fix=N_("see the centres at /quality/charter"), code="centre.unknown",
            params={"centre": repr(centre_id)},
        )  # fmt: skip
    evidence = centre_evidence(compute_over_store(db), centre_id)
    return render(request, "quality_charter_centre.html", centre_id=centre_id, names=names, evidence=evidence)


@router.get("/quality/epihc", response_class=HTMLResponse, include_in_schema=False)
def epihc_index(request: Request, db: Database = Depends(get_db)) -> HTMLResponse:
    names = centre_names(db)
    summary = []
    for cid in sorted(names, key=lambda c: names[c]):
        rows = assessments(db, cid)
        scored = [a.score for a in rows if a.score]
        summary.append({"centre_id": cid, "assessed": len(scored), "total": len(rows)})
    return render(request, "quality_epihc_index.html", summary=summary, names=names, spec=epihc())


@router.get("/quality/epihc/{centre_id}", response_class=HTMLResponse, include_in_schema=False)
def epihc_page(
    request: Request, centre_id: str, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> HTMLResponse:
    rows = assessments(db, centre_id)
    return render(
        request,
        "quality_epihc.html",
        centre_id=centre_id,
        names=centre_names(db),
        rows=rows,
        spec=epihc(),
        editable=may_edit(actor, centre_id),
        saved=request.query_params.get("saved"),
        actor=actor,
    )


@router.post("/quality/epihc/{centre_id}/{principle_id}", include_in_schema=False)
def epihc_post(
    centre_id: str,
    principle_id: str,
    score: str = Form("", max_length=10),
    evidence: str = Form("", max_length=5000),
    action_plan: str = Form("", max_length=5000),
    review_date: str = Form("", max_length=32),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    """The form fields are parsed once by FastAPI (the app-wide CSRF check has read the same form:
    reading the raw body again here was the "Stream consumed" error that broke every save)."""
    try:
        save_assessment(db, actor, centre_id, principle_id, score, evidence, action_plan, review_date or None)
    except Forbidden as exc:
        raise HTTPException(status_code=403, detail=str(exc)) from exc
    return RedirectResponse(
        f"/quality/epihc/{quote(centre_id)}?saved={quote(principle_id)}#{quote(principle_id)}",
        status_code=303,
    )


@router.get("/quality/centres/{centre_id}/report", response_class=HTMLResponse, include_in_schema=False)
def centre_report(request: Request, centre_id: str, db: Database = Depends(get_db)) -> HTMLResponse:
    return render(request, "quality_report.html", **centre_report_content(db, centre_id))
