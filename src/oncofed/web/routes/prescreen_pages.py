"""Pre-screening pages: the lists the caller works on, a list (tabs, sorting, bulk status changes),
the screening log; forms post here and redirect back (the JSON twins are in `prescreen.py`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from oncofed.domain import Actor
from oncofed.errors import InputError, NotFound, OncofedError
from oncofed.presenters.errors import said, sentence
from oncofed.presenters.i18n import translator
from oncofed.presenters.prescreen import log_said, with_odds_said
from oncofed.services.prescreen.notify import notifications_for, subscribe
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
from oncofed.web.deps import MAX_PAGE, Caller, Db, get_lang
from oncofed.web.routes.prescreen import SHOW, engine_of, refresh_list
from oncofed.web.templating import render

router = APIRouter()


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
    payload = list_page(db, trial_id, centre_id, actor, query, engine=engine_of(request))
    with_odds_said(payload, translator(getattr(request.state, "lang", "en")))

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
    words = said(exc, getattr(request.state, "lang", "en"))  # in the nurse's language
    return _render_list(
        request,
        db,
        actor,
        trial_id,
        centre_id,
        query,
        error=sentence(words["message"]) if words["code"] else words["message"],
        fix=(sentence(words["fix"]) if words["code"] else words["fix"]) or "",
        status_code=code,
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
    refresh_list(request, db, actor, trial_id, centre_id)
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
    said_here = translator(getattr(request.state, "lang", "en")).gettext(
        "New candidates will be e-mailed to %(email)s.", email=email.strip()
    )
    url = f"/prescreen/{trial_id}/{centre_id}?msg=" + quote(said_here)
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
    patient: str = Query("", max_length=64),
) -> Response:
    log = log_said(screening_log(db, actor, trial_id, centre_id), get_lang(request), patient.strip())
    return render(request, "prescreen_log.html", log=log, actor=actor)
