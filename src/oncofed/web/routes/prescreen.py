"""Pre-screening pages and API: candidate lists per (trial, centre), the screening workflow,
the screening log with CONSORT-style counts, and new-candidate notifications."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor
from oncofed.errors import InputError, NotFound, OncofedError
from oncofed.presenters.prescreen import (
    INDEX_COLUMNS,
    LOG_CSV_COLUMNS,
    NOTIFICATION_COLUMNS,
    PRESCREEN_COLUMNS,
    candidate_csv_rows,
    log_csv_rows,
    refresh_json,
)
from oncofed.services.prescreen.lists import PrescreenEngine, prescreen_list
from oncofed.services.prescreen.notify import mark_read, mark_read_for, notifications_for, subscribe
from oncofed.services.prescreen.paging import (
    SHOW_TO_TAB,
    SORTS,
    TABS,
    ListQuery,
    index_with_counts,
    list_page,
)
from oncofed.services.prescreen.screening import (
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
from oncofed.web.deps import MAX_PAGE, Caller, Db, RowId
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


def _refresh(request: Request, db: Database, actor: Actor, trial_id: str, centre_id: str) -> dict[str, Any]:
    """POST only: re-evaluate what changed, remember this visit (the "new" flags move on), and mark
    the list's notifications read. A GET never does any of this (no state change on a safe method)."""
    done = prescreen_list(
        db, trial_id, centre_id, actor, engine=_engine(request), refresh=True, mark_visit=True
    )
    mark_read_for(db, actor, trial_id, centre_id)
    # the answer is the list's first page (all tabs' counts, every candidate of tab "all" on a page of 50),
    # in the shape of GET /api/prescreen/{trial}/{centre}, plus what the refresh did
    payload = list_page(db, trial_id, centre_id, actor, ListQuery(tab="all"), engine=_engine(request))
    payload["refresh"] = refresh_json(done.refresh)
    return payload


def _error_json(exc: Exception, status: int) -> JSONResponse:
    body: dict[str, Any] = {"detail": getattr(exc, "message", str(exc))}
    if getattr(exc, "fix", None):
        body["fix"] = exc.fix  # type: ignore[attr-defined]
    return JSONResponse(body, status_code=status)


# --- API -----------------------------------------------------------------------------------


@router.get("/api/prescreen", tags=["prescreen"], summary="Trials you can pre-screen at your centres")
def api_index(db: Db, actor: Caller, format: str = FORMAT) -> Any:
    rows = index_with_counts(db, actor)
    if format == "csv":
        return csv_response(rows, INDEX_COLUMNS, "prescreen.csv")
    return {"count": len(rows), "lists": rows}


@router.get("/api/prescreen/notifications", tags=["prescreen"], summary="New-candidate notifications for you")
def api_notifications(
    db: Db,
    actor: Caller,
    unread: bool = False,
    format: str = FORMAT,
) -> Any:
    rows = notifications_for(db, actor, unread_only=unread)
    if format == "csv":
        return csv_response(rows, NOTIFICATION_COLUMNS, "notifications.csv")
    return {"count": len(rows), "notifications": rows}


@router.post("/api/prescreen/notifications/{notification_id}/read", tags=["prescreen"])
def api_mark_read(
    notification_id: RowId,
    db: Db,
    actor: Caller,
) -> Any:
    mark_read(db, actor, notification_id)
    return {"id": notification_id, "read": True}


@router.post(
    "/api/prescreen/subscriptions", tags=["prescreen"], summary="E-mail me new candidates at a centre"
)
def api_subscribe(body: SubscriptionRequest, db: Db, actor: Caller) -> Any:
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
    db: Db,
    actor: Caller,
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
        rows = candidate_csv_rows(payload["candidates"])
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
    db: Db,
    actor: Caller,
) -> Any:
    return _refresh(request, db, actor, trial_id, centre_id)


@router.post(
    "/api/prescreen/{trial_id}/{centre_id}/status", tags=["prescreen"], summary="Change screening status"
)
def api_status(
    trial_id: str,
    centre_id: str,
    body: StatusRequest,
    db: Db,
    actor: Caller,
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
    db: Db,
    actor: Caller,
    format: str = FORMAT,
) -> Any:
    log = screening_log(db, actor, trial_id, centre_id)
    if format == "csv":
        return csv_response(log_csv_rows(log), LOG_CSV_COLUMNS, f"screening-log-{trial_id}-{centre_id}.csv")
    return log


# --- pages ---------------------------------------------------------------------------------


@router.get("/prescreen", response_class=HTMLResponse, include_in_schema=False)
def index_page(request: Request, db: Db, actor: Caller) -> Response:
    lists = index_with_counts(db, actor)
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
        return _list_url(
            trial_id, centre_id, {**params, "page": None if params["page"] == 1 else params["page"]}
        )

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


def _list_url(trial_id: str, centre_id: str, params: dict[str, Any]) -> str:
    """The list page of (trial, centre) with the parameters that are set."""
    kept = {k: v for k, v in params.items() if v not in ("", None)}
    return f"/prescreen/{quote(trial_id)}/{quote(centre_id)}" + ("?" + urlencode(kept) if kept else "")


def _refused(
    request: Request,
    db: Database,
    actor: Actor,
    trial_id: str,
    centre_id: str,
    query: ListQuery,
    exc: OncofedError,
) -> Response:
    """The list page again, with what was refused and how to fix it (409 a conflict, 422 bad input,
    404 not found)."""
    code = 409 if isinstance(exc, ScreeningConflict) else 422 if isinstance(exc, InputError) else 404
    return _render_list(
        request, db, actor, trial_id, centre_id, query, error=exc.message, fix=exc.fix or "", status_code=code
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
    db: Db,
    actor: Caller,
    show: str = Query("", max_length=20),
    tab: str = Query("", max_length=20),
    sort: str = Query("rank", max_length=20),
    status: str = Query("", max_length=20),
    q: str = Query("", max_length=100),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(50, ge=1, le=500),
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
    db: Db,
    actor: Caller,
    show: str = Form("all", max_length=20),
    tab: str = Form("", max_length=20),
) -> Response:
    _refresh(request, db, actor, trial_id, centre_id)
    chosen = {"tab": tab} if tab in TABS else {"show": show if show in SHOW else "all"}
    return RedirectResponse(_list_url(trial_id, centre_id, {**chosen, "refreshed": "1"}), status_code=303)


@router.post("/prescreen/{trial_id}/{centre_id}/subscribe", include_in_schema=False)
def subscribe_form(
    request: Request,
    trial_id: str,
    centre_id: str,
    db: Db,
    actor: Caller,
    email: str = Form(...),
) -> Response:
    try:
        subscribe(db, actor, centre_id, email, trial_id)
    except InputError as exc:
        return _refused(request, db, actor, trial_id, centre_id, ListQuery(), exc)
    url = f"/prescreen/{trial_id}/{centre_id}?msg=" + quote(f"new candidates will be e-mailed to {email}")
    return RedirectResponse(url, status_code=303)


@router.post("/prescreen/{trial_id}/{centre_id}/status", response_class=HTMLResponse, include_in_schema=False)
def status_form(
    request: Request,
    trial_id: str,
    centre_id: str,
    db: Db,
    actor: Caller,
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
        return _refused(request, db, actor, trial_id, centre_id, query, exc)
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
    return RedirectResponse(_list_url(trial_id, centre_id, kept), status_code=303)


@router.get("/prescreen/{trial_id}/{centre_id}/log", response_class=HTMLResponse, include_in_schema=False)
def log_page(
    request: Request,
    trial_id: str,
    centre_id: str,
    db: Db,
    actor: Caller,
) -> Response:
    log = screening_log(db, actor, trial_id, centre_id)
    return render(request, "prescreen_log.html", log=log, actor=actor)
