"""Pre-screening API: candidate lists per (trial, centre), the screening workflow, the screening log
with CONSORT-style counts, and new-candidate notifications (the pages are in `prescreen_pages.py`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from oncofed.domain import Actor
from oncofed.errors import N_, InputError
from oncofed.presenters.i18n import translator
from oncofed.presenters.prescreen import (
    INDEX_COLUMNS,
    LOG_CSV_COLUMNS,
    NOTIFICATION_COLUMNS,
    PRESCREEN_COLUMNS,
    candidate_csv_rows,
    log_csv_rows,
    log_said,
    refresh_json,
    with_odds_said,
)
from oncofed.services.prescreen.lists import PrescreenEngine, prescreen_list
from oncofed.services.prescreen.notify import mark_read, mark_read_for, notifications_for, subscribe
from oncofed.services.prescreen.paging import (
    SHOW_TO_TAB,
    ListQuery,
    index_with_counts,
    list_page,
)
from oncofed.services.prescreen.screening import (
    ScreeningConflict,
    StatusChange,
    change_status,
    screening_log,
)
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import MAX_PAGE, Caller, Db, RowId, get_lang
from oncofed.web.errors import error_json
from oncofed.web.plain_json import plain_json

router = APIRouter()
FORMAT = Query("json", pattern="^(json|csv)$")
SHOW = ("all", "new", "eligible", "possible", "unlikely", "not_eligible")


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


def engine_of(request: Request) -> PrescreenEngine | None:
    """The matching engine to use: the default one, unless the app was given another (tests, plug-ins)."""
    engine: PrescreenEngine | None = getattr(request.app.state, "prescreen_engine", None)
    return engine


def refresh_list(
    request: Request, db: Database, actor: Actor, trial_id: str, centre_id: str
) -> dict[str, Any]:
    """POST only: re-evaluate what changed, remember this visit (the "new" flags move on), and mark
    the list's notifications read. A GET never does any of this (no state change on a safe method)."""
    done = prescreen_list(
        db, trial_id, centre_id, actor, engine=engine_of(request), refresh=True, mark_visit=True
    )
    mark_read_for(db, actor, trial_id, centre_id)
    # the answer is the list's first page (all tabs' counts, every candidate of tab "all" on a page of 50),
    # in the shape of GET /api/prescreen/{trial}/{centre}, plus what the refresh did
    payload = list_page(db, trial_id, centre_id, actor, ListQuery(tab="all"), engine=engine_of(request))
    with_odds_said(payload, translator(get_lang(request)))
    payload["refresh"] = refresh_json(done.refresh)
    return payload


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
        "up to date). tab: candidates (eligible or possibly eligible), eligible, possible, unlikely (probably "
        "not eligible: a criterion read as not met that may not exclude on its own, to check; ordered by the "
        "measured chance that the held-back readings are wrong, per row held_back and wrong_chance), new, "
        "blocked (a trusted reading excludes), all"
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
        "all",
        pattern="^(all|new|eligible|possible|unlikely|not_eligible)$",
        description="(older name of tab)",
    ),
    tab: str = Query("", pattern="^(|candidates|eligible|possible|unlikely|new|blocked|all)$"),
    sort: str = Query("rank", pattern="^(rank|score|patient|status|updated)$"),
    status: str = Query("", max_length=20, description="screening status: new, pending, flagged, ..."),
    q: str = Query("", max_length=100, description="patient id or name contains"),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(50, ge=1, le=500),
) -> Any:
    query = ListQuery(tab or SHOW_TO_TAB[show], sort, status, q, page, size)
    payload = list_page(
        db, trial_id, centre_id, actor, query, engine=engine_of(request), everything=format == "csv"
    )
    if format == "csv":
        rows = candidate_csv_rows(payload["candidates"])
        return csv_response(rows, PRESCREEN_COLUMNS, f"prescreen-{trial_id}-{centre_id}.csv")
    return plain_json(with_odds_said(payload, translator(get_lang(request))))


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
    return refresh_list(request, db, actor, trial_id, centre_id)


@router.post(
    "/api/prescreen/{trial_id}/{centre_id}/status", tags=["prescreen"], summary="Change screening status"
)
def api_status(
    request: Request,
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
            N_("each candidate needs patient_id and version"),
            field="candidates",
            fix=N_("send them as %(example)s"),
            code="prescreen.candidates_shape",
            params={"example": '[{"patient_id": "...", "version": 0}]'},
        ) from exc
    try:
        states = change_status(
            db, actor, trial_id, changes, body.status, reason=body.reason, note=body.note, centre_id=centre_id
        )
    except ScreeningConflict as exc:
        return error_json(request, exc, 409)
    return {"updated": [s.__dict__ for s in states]}


@router.get(
    "/api/prescreen/{trial_id}/{centre_id}/log", tags=["prescreen"], summary="Screening log + CONSORT counts"
)
def api_log(
    request: Request,
    trial_id: str,
    centre_id: str,
    db: Db,
    actor: Caller,
    format: str = FORMAT,
    patient: str = Query("", max_length=64, description="One patient's events only"),
) -> Any:
    """The log with its words in the request's language (`change_said`, `reason_said`, `reasons`); CSV too."""
    log = log_said(screening_log(db, actor, trial_id, centre_id), get_lang(request), patient.strip())
    if format == "csv":
        rows = log_csv_rows(log, get_lang(request))
        return csv_response(rows, LOG_CSV_COLUMNS, f"screening-log-{trial_id}-{centre_id}.csv")
    return log
