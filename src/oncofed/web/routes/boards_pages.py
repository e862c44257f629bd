"""Tumour-board pages (issue 19): boards, a board, a meeting's agenda, a case card with its decision
form, the printable record (HTML and PDF), screen failures. Forms post here and redirect back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from oncofed.errors import N_, InputError, NotFound, OncofedError
from oncofed.presenters.board_trail import trail_rows
from oncofed.presenters.boards import card_lists, labels, record_context, record_pdf, record_title
from oncofed.presenters.documents import render_document
from oncofed.presenters.errors import said, sentence
from oncofed.presenters.i18n import Translator, translator
from oncofed.services.boards.boards import board_detail, create_meeting, list_boards, meeting_detail
from oncofed.services.boards.cards import freeze_meeting
from oncofed.services.boards.cases import add_case, case_detail, schedule_case
from oncofed.services.boards.decisions import TrialChoice, record_decision
from oncofed.services.boards.reopen import scan_events
from oncofed.services.boards.screen_failures import screen_failures
from oncofed.services.boards.signing import sign_record
from oncofed.web.deps import MAX_ID, Db, Lang, RowId
from oncofed.web.errors import error_page
from oncofed.web.routes.boards import BoardUser, TrialManager
from oncofed.web.templating import render

router = APIRouter()


def _text(request: Request) -> Translator:
    """The caller's language (messages shown on the page a form returns to)."""
    return translator(getattr(request.state, "lang", "en"))


def _refused(request: Request, exc: OncofedError, back: str) -> Response:
    """The refusal in the reader's language, with a link back to the page the action was on."""
    code = getattr(exc, "status", None) or (404 if isinstance(exc, NotFound) else 422)
    return error_page(request, code, exc.message, exc.fix, None, error=exc, back=back)


def _back(url: str, msg: str = "") -> RedirectResponse:
    return RedirectResponse(url + (("?msg=" + quote(msg)) if msg else ""), status_code=303)


def _posted(
    request: Request, back: str, action: Callable[[], Any], to: Callable[[Any], str], msg: str = ""
) -> Response:
    """A form's action: the page `to(result)` (with `msg`) when it succeeds, else the refusal
    naming the page to go back to."""
    try:
        result = action()
    except OncofedError as exc:
        return _refused(request, exc, back)
    return _back(to(result), msg)


def _page(request: Request, template: str, actor: Any, **context: Any) -> Response:
    """A board page with the message a form left (`?msg=`)."""
    return render(request, template, actor=actor, message=request.query_params.get("msg", ""), **context)


def _record_html(db: Db, actor: Any, case_id: int, lang: str) -> str:
    case = case_detail(db, actor, case_id, lang=lang)
    return render_document(
        "board_record_body.html", lang, record_title(case, lang), **record_context(case, lang)
    )


@router.get("/boards", response_class=HTMLResponse, include_in_schema=False)
def boards_page(
    request: Request,
    db: Db,
    actor: BoardUser,
    lang: Lang,
    centre: str | None = Query(None, max_length=64),
) -> Response:
    return _page(
        request, "boards_index.html", actor, boards=list_boards(db, actor, centre_id=centre, lang=lang)
    )


@router.post("/boards/scan", include_in_schema=False)
def scan_form(request: Request, db: Db, actor: BoardUser) -> Response:
    events = scan_events(db, actor)
    return _back(
        "/boards",
        _text(request).ngettext(
            "%(num)s case re-opened by an event in the record.",
            "%(num)s cases re-opened by an event in the record.",
            len(events),
        ),
    )


@router.get("/boards/screen-failures", response_class=HTMLResponse, include_in_schema=False)
def screen_failures_page(
    request: Request,
    db: Db,
    actor: TrialManager,
    lang: Lang,
    trial: str | None = Query(None, max_length=64),
) -> Response:
    data = screen_failures(db, trial_id=trial, lang=lang)
    return render(request, "boards_screen_failures.html", data=data, trial=trial or "", actor=actor)


@router.get("/boards/meetings/{meeting_id}", response_class=HTMLResponse, include_in_schema=False)
def meeting_page(request: Request, meeting_id: RowId, db: Db, actor: BoardUser, lang: Lang) -> Response:
    return _page(request, "board_meeting.html", actor, data=meeting_detail(db, actor, meeting_id, lang=lang))


@router.post("/boards/meetings/{meeting_id}/freeze", include_in_schema=False)
def freeze_form(request: Request, meeting_id: RowId, db: Db, actor: BoardUser) -> Response:
    back = f"/boards/meetings/{meeting_id}"
    try:
        r = freeze_meeting(db, actor, meeting_id)
    except OncofedError as exc:
        return _refused(request, exc, back)
    tr = _text(request)
    msg = " ".join(  # three counts, each with its own plural form
        (
            tr.ngettext(
                "Agenda frozen: %(num)s case re-matched in %(seconds)s s;",
                "Agenda frozen: %(num)s cases re-matched in %(seconds)s s;",
                r.cases,
                seconds=tr.number(r.seconds, 1),
            ),
            tr.ngettext("%(num)s candidate trial,", "%(num)s candidate trials,", r.candidates),
            tr.ngettext(
                "%(num)s new since the last discussion.",
                "%(num)s new since the last discussion.",
                r.new_trials,
            ),
        )
    )
    return _back(back, msg)


@router.get("/boards/cases/{case_id}", response_class=HTMLResponse, include_in_schema=False)
def case_page(request: Request, case_id: RowId, db: Db, actor: BoardUser, lang: Lang) -> Response:
    case = case_detail(db, actor, case_id, lang=lang)
    case["events"] = trail_rows(case["events"], lang)
    return _page(request, "board_case.html", actor, case=case, lab=labels(lang), card_lists=card_lists)


def _choices(form: Any, case: dict[str, Any]) -> list[TrialChoice]:
    out = []
    for c in case["candidates"]:
        tid = c["trial_id"]
        answer = str(form.get(f"p_{tid}", ""))
        if answer not in ("yes", "no"):
            continue  # the service names the trials left without a decision
        out.append(
            TrialChoice(
                tid,
                answer == "yes",
                str(form.get(f"r_{tid}", "")),
                str(form.get(f"c_{tid}", "")),
                str(form.get(f"n_{tid}", "")),
            )
        )
    return out


@router.post("/boards/cases/{case_id}/decision", include_in_schema=False)
async def decision_form(request: Request, case_id: RowId, db: Db, actor: BoardUser, lang: Lang) -> Response:
    form = await request.form()
    back = f"/boards/cases/{case_id}"
    case: dict[str, Any] | None = None
    try:
        case = await run_in_threadpool(case_detail, db, actor, case_id, lang=lang)
        version = str(form.get("version", ""))
        await run_in_threadpool(
            lambda: record_decision(
                db,
                actor,
                case_id,
                proposal=str(form.get("proposal", "")),
                settings=[str(x) for x in form.getlist("settings")],
                specialties=[str(x) for x in form.getlist("specialties")],
                trials=_choices(form, case),
                version=int(version) if version.isdigit() and len(version) < 12 else None,
            )
        )
    except OncofedError as exc:
        if case is None or isinstance(exc, NotFound) or not case.get("can_decide"):
            return _refused(request, exc, back)
        # the case page again, with what was refused above the form and what the clinician entered kept
        # (a proposal written in full was lost when the refusal was a page of its own)
        words = said(exc, lang)
        case["events"] = trail_rows(case["events"], lang)
        posted = {k: str(v) for k, v in form.items() if k != "csrf_token"}
        posted["settings"], posted["specialties"] = form.getlist("settings"), form.getlist("specialties")  # type: ignore[assignment]
        return render(
            request, "board_case.html", status_code=getattr(exc, "status", None) or 422, actor=actor,
            case=case, lab=labels(lang), card_lists=card_lists, message="", posted=posted,
            refusal={"message": sentence(words["message"]), "fix": sentence(words["fix"])},
        )  # fmt: skip
    return _back(back, translator(lang).gettext("Saved."))


@router.post("/boards/cases/{case_id}/sign", include_in_schema=False)
def sign_form(request: Request, case_id: RowId, db: Db, actor: BoardUser) -> Response:
    back = f"/boards/cases/{case_id}"
    return _posted(request, back, lambda: sign_record(db, actor, case_id), lambda _: back)


@router.post("/boards/cases/{case_id}/schedule", include_in_schema=False)
def schedule_form(
    request: Request,
    case_id: RowId,
    db: Db,
    actor: BoardUser,
    meeting_id: int = Form(..., ge=1, le=MAX_ID),
) -> Response:
    return _posted(
        request,
        f"/boards/cases/{case_id}",
        lambda: schedule_case(db, actor, case_id, meeting_id),
        lambda _: f"/boards/meetings/{meeting_id}",
    )


@router.get("/boards/cases/{case_id}/record", response_class=HTMLResponse, include_in_schema=False)
def record_page(case_id: RowId, db: Db, actor: BoardUser, lang: Lang) -> Response:
    return HTMLResponse(_record_html(db, actor, case_id, lang))


@router.get("/boards/cases/{case_id}/record.pdf", include_in_schema=False)
def record_pdf_page(case_id: RowId, db: Db, actor: BoardUser, lang: Lang) -> Response:
    return Response(
        record_pdf(_record_html(db, actor, case_id, lang)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="rcp-case-{case_id}.pdf"'},
    )


@router.get("/boards/{board_id}", response_class=HTMLResponse, include_in_schema=False)
def board_page(request: Request, board_id: RowId, db: Db, actor: BoardUser, lang: Lang) -> Response:
    data = board_detail(db, actor, board_id, lang=lang)
    return _page(request, "board.html", actor, data=data, lab=labels(lang))


def _when(text: str) -> datetime:
    """The date and time typed in the form (the service checks it is to come)."""
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            N_("%(value)s is not a date and time"), field="scheduled_for", fix=N_("write YYYY-MM-DDTHH:MM"),
            code="input.not_datetime", params={"value": repr(text)},
        ) from exc  # fmt: skip


@router.post("/boards/{board_id}/meetings", include_in_schema=False)
def meeting_form(
    request: Request,
    board_id: RowId,
    db: Db,
    actor: BoardUser,
    scheduled_for: str = Form(..., max_length=40),
) -> Response:
    return _posted(
        request,
        f"/boards/{board_id}",
        lambda: create_meeting(db, actor, board_id, _when(scheduled_for)),
        lambda mid: f"/boards/meetings/{mid}",
    )


@router.post("/boards/{board_id}/cases", include_in_schema=False)
def case_form(
    request: Request,
    board_id: RowId,
    db: Db,
    actor: BoardUser,
    patient_id: str = Form(..., max_length=64),
    kind: str = Form(..., max_length=16),
    question: str = Form("", max_length=4000),
    meeting_id: str = Form("", max_length=20),
) -> Response:
    mid = int(meeting_id) if meeting_id.isdigit() and len(meeting_id) < 18 else None
    return _posted(
        request,
        f"/boards/{board_id}",
        lambda: add_case(db, actor, board_id, patient_id.strip(), kind, question, meeting_id=mid),
        lambda cid: f"/boards/cases/{cid}",
    )
