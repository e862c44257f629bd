"""Pre-screening pages and API: candidate lists per (trial, centre), the screening workflow,
the screening log with CONSORT-style counts, and new-candidate notifications."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor
from oncofed.errors import InputError, NotFound
from oncofed.presenters.prescreen import PRESCREEN_COLUMNS, candidate_json, refresh_json
from oncofed.services.prescreen.lists import PrescreenEngine, prescreen_index, prescreen_list
from oncofed.services.prescreen.notify import mark_read, mark_read_for, notifications_for, subscribe
from oncofed.services.prescreen.paging import (
    SHOW_TO_TAB,
    SORTS,
    TABS,
    ListQuery,
    index_counts,
    list_page,
    words_text,
)
from oncofed.services.prescreen.screening import (
    LOG_COLUMNS,
    ScreeningConflict,
    StatusChange,
    allowed_next,
    change_status,
    reasons_for,
    screening_log,
    workflow,
)
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import MAX_ID, MAX_PAGE, get_actor, get_db
from oncofed.web.templating import render

router = APIRouter()
FORMAT = Query("json", pattern="^(json|csv)$")
SHOW = ("all", "new", "eligible", "possible", "not_eligible")


class StatusRequest(BaseModel):
    """One status for one or many candidates, each with the version the user saw (0 = never screened)."""

    status: str
    candidates: list[dict[str, Any]] = Field(description='[{"patient_id": "...", "version": 0}, ...]')
    reason: str = ""
    note: str = ""


class SubscriptionRequest(BaseModel):
    centre_id: str
    email: str
    trial_id: str = ""


def _engine(request: Request) -> PrescreenEngine | None:
    """The matching engine to use: the default one, unless the app was given another (tests, plug-ins)."""
    engine: PrescreenEngine | None = getattr(request.app.state, "prescreen_engine", None)
    return engine


def _list_payload(
    request: Request, db: Database, trial_id: str, centre_id: str, actor: Actor, **kw: Any
) -> tuple[Any, dict[str, Any]]:
    result = prescreen_list(db, trial_id, centre_id, actor, engine=_engine(request), **kw)
    rows = [candidate_json(c, i) for i, c in enumerate(result.candidates, start=1)]
    return result, {
        "trial_id": trial_id,
        "trial_title": result.trial.title,
        "centre_id": centre_id,
        "centre": result.centre_name,
        "last_visit_at": result.last_visit_at.isoformat(timespec="seconds") if result.last_visit_at else None,
        "computed_at": result.computed_at.isoformat(timespec="seconds") if result.computed_at else None,
        "stale": result.stale,
        "counts": result.counts,
        "refresh": refresh_json(result.refresh),
        "candidates": rows,
    }


def _refresh(request: Request, db: Database, actor: Actor, trial_id: str, centre_id: str) -> dict[str, Any]:
    """POST only: re-evaluate what changed, remember this visit (the "new" flags move on), and mark
    the list's notifications read. A GET never does any of this (no state change on a safe method)."""
    _, done = _list_payload(request, db, trial_id, centre_id, actor, refresh=True, mark_visit=True)
    mark_read_for(db, actor, trial_id, centre_id)
    # the answer is the list's first page (all tabs' counts, every candidate of tab "all" on a page of 50),
    # in the shape of GET /api/prescreen/{trial}/{centre}, plus what the refresh did
    payload = list_page(db, trial_id, centre_id, actor, ListQuery(tab="all"), engine=_engine(request))
    payload["refresh"] = done["refresh"]
    return payload


def _error_json(exc: Exception, status: int) -> JSONResponse:
    body: dict[str, Any] = {"detail": getattr(exc, "message", str(exc))}
    if getattr(exc, "fix", None):
        body["fix"] = exc.fix  # type: ignore[attr-defined]
    return JSONResponse(body, status_code=status)


# --- API -----------------------------------------------------------------------------------


@router.get("/api/prescreen", tags=["prescreen"], summary="Trials you can pre-screen at your centres")
def api_index(db: Database = Depends(get_db), actor: Actor = Depends(get_actor), format: str = FORMAT) -> Any:
    rows = _index_rows(db, actor)
    if format == "csv":
        return csv_response(rows, INDEX_COLUMNS, "prescreen.csv")
    return {"count": len(rows), "lists": rows}


@router.get("/api/prescreen/notifications", tags=["prescreen"], summary="New-candidate notifications for you")
def api_notifications(
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    unread: bool = False,
    format: str = FORMAT,
) -> Any:
    rows = notifications_for(db, actor, unread_only=unread)
    if format == "csv":
        cols = ["id", "created_at", "trial_id", "centre_id", "count", "message", "read", "emailed"]
        return csv_response(rows, cols, "notifications.csv")
    return {"count": len(rows), "notifications": rows}


@router.post("/api/prescreen/notifications/{notification_id}/read", tags=["prescreen"])
def api_mark_read(
    notification_id: int = Path(..., ge=1, le=MAX_ID),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Any:
    mark_read(db, actor, notification_id)
    return {"id": notification_id, "read": True}


@router.post(
    "/api/prescreen/subscriptions", tags=["prescreen"], summary="E-mail me new candidates at a centre"
)
def api_subscribe(
    body: SubscriptionRequest, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> Any:
    sid = subscribe(db, actor, body.centre_id, body.email, body.trial_id)
    return {"id": sid, "centre_id": body.centre_id, "trial_id": body.trial_id, "email": body.email}


@router.get(
    "/api/prescreen/{trial_id}/{centre_id}",
    tags=["prescreen"],
    summary=(
        "Ranked candidates as last computed, one page at a time (read only; POST .../refresh to bring them "
        "up to date). tab: candidates (eligible or possibly eligible), eligible, possible, new, blocked, all"
    ),
)
def api_list(
    request: Request,
    trial_id: str,
    centre_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    format: str = FORMAT,
    show: str = Query(
        "all", pattern="^(all|new|eligible|possible|not_eligible)$", description="(older name of tab)"
    ),
    tab: str = Query("", pattern="^(|candidates|eligible|possible|new|blocked|all)$"),
    sort: str = Query("rank", pattern="^(rank|score|patient|status|updated)$"),
    status: str = Query("", max_length=20, description="screening status: new, pending, flagged, ..."),
    q: str = Query("", max_length=100, description="patient id or name contains"),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(50, ge=1, le=500),
) -> Any:
    query = ListQuery(tab or SHOW_TO_TAB[show], sort, status, q, page, size)
    payload = list_page(
        db, trial_id, centre_id, actor, query, engine=_engine(request), everything=format == "csv"
    )
    if format == "csv":
        rows = [
            {**c, "to_check": words_text(c["to_check"]), "blocking": words_text(c["blocking"])}
            for c in payload["candidates"]
        ]
        return csv_response(rows, PRESCREEN_COLUMNS, f"prescreen-{trial_id}-{centre_id}.csv")
    return payload


@router.post(
    "/api/prescreen/{trial_id}/{centre_id}/refresh",
    tags=["prescreen"],
    summary="Re-evaluate changed records, mark this visit and the list's notifications read",
)
def api_refresh(
    request: Request,
    trial_id: str,
    centre_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Any:
    return _refresh(request, db, actor, trial_id, centre_id)


@router.post(
    "/api/prescreen/{trial_id}/{centre_id}/status", tags=["prescreen"], summary="Change screening status"
)
def api_status(
    trial_id: str,
    centre_id: str,
    body: StatusRequest,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Any:
    try:
        changes = [StatusChange(str(c["patient_id"]), int(c.get("version", 0))) for c in body.candidates]
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            "each candidate needs patient_id and version",
            field="candidates",
            fix='[{"patient_id": "...", "version": 0}]',
        ) from exc
    try:
        states = change_status(
            db, actor, trial_id, changes, body.status, reason=body.reason, note=body.note, centre_id=centre_id
        )
    except ScreeningConflict as exc:
        return _error_json(exc, 409)
    return {"updated": [s.__dict__ for s in states]}


@router.get(
    "/api/prescreen/{trial_id}/{centre_id}/log", tags=["prescreen"], summary="Screening log + CONSORT counts"
)
def api_log(
    trial_id: str,
    centre_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    format: str = FORMAT,
) -> Any:
    log = screening_log(db, actor, trial_id, centre_id)
    if format == "csv":
        return csv_response(
            _log_csv_rows(log),
            ["record", "measure", "value", *LOG_COLUMNS],
            f"screening-log-{trial_id}-{centre_id}.csv",
        )
    return log


def _log_csv_rows(log: dict[str, Any]) -> list[dict[str, Any]]:
    """One file: the CONSORT-style counts, the reasons for non-inclusion, then every event."""
    rows: list[dict[str, Any]] = [
        {"record": "count", "measure": k, "value": v} for k, v in log["counts"].items()
    ]
    rows += [
        {"record": "not_included", "measure": k, "value": v} for k, v in log["reasons_not_included"].items()
    ]
    rows += [{"record": "event", **e} for e in log["events"]]
    return rows


# --- pages ---------------------------------------------------------------------------------


@router.get("/prescreen", response_class=HTMLResponse, include_in_schema=False)
def index_page(
    request: Request, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> Response:
    lists = _index_rows(db, actor)
    notes = notifications_for(db, actor, unread_only=True)
    return render(request, "prescreen_index.html", lists=lists, notifications=notes, actor=actor)


def _render_list(
    request: Request,
    db: Database,
    actor: Actor,
    trial_id: str,
    centre_id: str,
    query: ListQuery,
    *,
    error: str = "",
    fix: str = "",
    status_code: int = 200,
) -> Response:
    payload = list_page(db, trial_id, centre_id, actor, query, engine=_engine(request))

    def url(**changes: Any) -> str:
        params = {"tab": query.tab, "sort": query.sort, "status": query.status, "q": query.q, "size": query.size,
                  "page": payload["page"]}  # fmt: skip
        params.update(changes)
        kept = {k: v for k, v in params.items() if v not in ("", None) and not (k == "page" and v == 1)}
        return f"/prescreen/{quote(trial_id)}/{quote(centre_id)}?" + urlencode(kept)

    return render(
        request,
        "prescreen_list.html",
        status_code=status_code,
        payload=payload,
        rows=payload["candidates"],
        show=query.tab,
        query=query,
        url=url,
        tabs=TABS,
        sorts=SORTS,
        statuses=workflow()["statuses"],
        next_of={s: allowed_next(s) for s in workflow()["statuses"]},
        reasons={k: reasons_for(k) for k in workflow()["reason_required"]},
        message=request.query_params.get("msg", ""),
        error=error,
        fix=fix,
        actor=actor,
    )


def _list_query(show: str, tab: str, sort: str, status: str, q: str, page: int, size: int) -> ListQuery:
    """The page's query: `tab` (default: the plausible candidates), or the older `show` names."""
    chosen = tab if tab in TABS else SHOW_TO_TAB.get(show, "candidates") if show else "candidates"
    return ListQuery(chosen, sort if sort in SORTS else "rank", status[:20], q[:100], page, size)


@router.get("/prescreen/{trial_id}/{centre_id}", response_class=HTMLResponse, include_in_schema=False)
def list_page_html(
    request: Request,
    trial_id: str,
    centre_id: str,
    show: str = Query("", max_length=20),
    tab: str = Query("", max_length=20),
    sort: str = Query("rank", max_length=20),
    status: str = Query("", max_length=20),
    q: str = Query("", max_length=100),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(50, ge=1, le=500),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    """One page of the list as last computed; the page's refresh form (sent by prescreen.js when the
    results are stale) brings it up to date with a POST."""
    return _render_list(
        request, db, actor, trial_id, centre_id, _list_query(show, tab, sort, status, q, page, size)
    )


@router.post("/prescreen/{trial_id}/{centre_id}/refresh", include_in_schema=False)
def refresh_form(
    request: Request,
    trial_id: str,
    centre_id: str,
    show: str = Form("all", max_length=20),
    tab: str = Form("", max_length=20),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    _refresh(request, db, actor, trial_id, centre_id)
    if tab in TABS:
        query = urlencode({"tab": tab, "refreshed": "1"})
    else:
        query = urlencode({"show": show if show in SHOW else "all", "refreshed": "1"})
    return RedirectResponse(f"/prescreen/{quote(trial_id)}/{quote(centre_id)}?{query}", status_code=303)


@router.post("/prescreen/{trial_id}/{centre_id}/subscribe", include_in_schema=False)
def subscribe_form(
    request: Request,
    trial_id: str,
    centre_id: str,
    email: str = Form(...),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    try:
        subscribe(db, actor, centre_id, email, trial_id)
    except InputError as exc:
        return _render_list(
            request,
            db,
            actor,
            trial_id,
            centre_id,
            ListQuery(),
            error=exc.message,
            fix=exc.fix or "",
            status_code=422,
        )
    url = f"/prescreen/{trial_id}/{centre_id}?msg=" + quote(f"new candidates will be e-mailed to {email}")
    return RedirectResponse(url, status_code=303)


@router.post("/prescreen/{trial_id}/{centre_id}/status", response_class=HTMLResponse, include_in_schema=False)
def status_form(
    request: Request,
    trial_id: str,
    centre_id: str,
    pick: list[str] = Form(default=[]),
    status: str = Form(...),
    reason: str = Form(""),
    note: str = Form(""),
    show: str = Form(""),
    tab: str = Form("", max_length=20),
    sort: str = Form("rank", max_length=20),
    filter_status: str = Form("", max_length=20),
    q: str = Form("", max_length=100),
    page: int = Form(1, ge=1, le=MAX_PAGE),
    size: int = Form(50, ge=1, le=500),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    query = _list_query(show, tab, sort, filter_status, q, page, size)
    changes = []
    for item in pick:
        pid, _, version = item.rpartition(":")
        changes.append(StatusChange(pid, int(version) if version.isdigit() and len(version) < 10 else -1))
    try:
        states = change_status(
            db, actor, trial_id, changes, status, reason=reason, note=note, centre_id=centre_id
        )
    except (ScreeningConflict, InputError, NotFound) as exc:
        code = 409 if isinstance(exc, ScreeningConflict) else 422 if isinstance(exc, InputError) else 404
        return _render_list(
            request,
            db,
            actor,
            trial_id,
            centre_id,
            query,
            error=exc.message,
            fix=exc.fix or "",
            status_code=code,
        )
    from oncofed.presenters.i18n import translator

    lang = getattr(request.state, "lang", "en")
    msg = translator(lang).ngettext(
        "%(num)s candidate set to %(status)s",
        "%(num)s candidates set to %(status)s",
        len(states),
        status=translator(lang).label("st", status),
    )
    kept = {"tab": query.tab, "sort": query.sort, "status": query.status, "q": query.q, "page": query.page,
            "size": query.size, "msg": msg}  # fmt: skip
    params = urlencode({k: v for k, v in kept.items() if v not in ("", None)})
    return RedirectResponse(f"/prescreen/{quote(trial_id)}/{quote(centre_id)}?{params}", status_code=303)


@router.get("/prescreen/{trial_id}/{centre_id}/log", response_class=HTMLResponse, include_in_schema=False)
def log_page(
    request: Request,
    trial_id: str,
    centre_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    log = screening_log(db, actor, trial_id, centre_id)
    return render(request, "prescreen_log.html", log=log, actor=actor)


INDEX_COLUMNS = ["trial_id", "title", "centre_id", "centre", "last_computed_at", "candidates", "eligible",
                 "to_screen", "flagged", "blocked"]  # fmt: skip


def _index_rows(db: Database, actor: Actor) -> list[dict[str, Any]]:
    """The lists the caller can work on, each with its counts (as last computed)."""
    rows = prescreen_index(db, actor)
    counts = index_counts(db, actor, [(r["trial_id"], r["centre_id"]) for r in rows])
    empty = {"candidates": 0, "eligible": 0, "blocked": 0, "to_screen": 0, "flagged": 0}
    out = [{**r, **counts.get((r["trial_id"], r["centre_id"]), empty)} for r in rows]
    out.sort(key=lambda r: (-r["to_screen"], -r["candidates"], r["title"]))
    return out
