"""A patient's own space, the pages (docs/PATIENTS.md): `/me` and its record, access log, trials,
objection, download and password. Every route needs the patient role (`require_roles`), and the
patient fence (web/patient_fence.py) keeps the patient role out of every other route; no route here
takes a patient id: the record is always the account's own."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from oncofed.domain import Actor, Role
from oncofed.errors import OncofedError
from oncofed.presenters import patient_space as said
from oncofed.presenters.errors import said as error_said
from oncofed.presenters.patients import grouped, notes_of, profile_json
from oncofed.services.accounts.patients import set_own_password
from oncofed.services.patient_space import space, trials
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db, get_lang
from oncofed.web.templating import render

router = APIRouter()
Patient = Depends(require_roles(Role.PATIENT))


@router.get("/me", response_class=HTMLResponse, include_in_schema=False)
def me_page(request: Request, actor: Actor = Patient, db: Database = Depends(get_db)) -> HTMLResponse:
    profile = space.my_record(db, actor)
    return render(
        request, "me.html", actor=actor, p=profile_json(profile), centre=space.centre_names(db).get(profile.centre_id, ""),
        objection=space.objection_state(db, actor), proposals=trials.proposals(db, actor), requests=trials.my_requests(db, actor),
    )  # fmt: skip


@router.get("/me/record", response_class=HTMLResponse, include_in_schema=False)
def record_page(
    request: Request, actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> HTMLResponse:
    return record_view(request, actor, db, lang)


def record_view(
    request: Request, actor: Actor, db: Database, lang: str, status: int = 200, error: Any = None
) -> HTMLResponse:
    """/me/record: the facts, each with "this is wrong", and the patient's correction requests."""
    from oncofed.services.patient_space import corrections

    p = profile_json(space.my_record(db, actor))
    facts: list[dict[str, Any]] = p["facts"]  # type: ignore[assignment]
    return render(
        request, "me_record.html", status_code=status, actor=actor, p=p, groups=grouped(facts, lang),
        notes=notes_of(facts), corrections=corrections.mine(db, actor), error=error,
        asked=request.query_params.get("asked", ""),
    )  # fmt: skip


@router.get("/me/record.csv", include_in_schema=False)
def record_csv(
    actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> Response:
    p = profile_json(space.my_record(db, actor))
    return csv_response(said.record_rows(p["facts"], lang), said.RECORD_COLUMNS, "my-record.csv")  # type: ignore[arg-type]


@router.get("/me/access", response_class=HTMLResponse, include_in_schema=False)
def access_page(
    request: Request, actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> HTMLResponse:
    rows = said.access_rows(space.access_log(db, actor), lang)
    return render(request, "me_access.html", actor=actor, rows=rows)


@router.get("/me/access.csv", include_in_schema=False)
def access_csv(
    actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> Response:
    rows = said.access_rows(space.access_log(db, actor), lang)
    return csv_response(rows, said.ACCESS_COLUMNS, "who-accessed-my-record.csv")


@router.get("/me/trials", response_class=HTMLResponse, include_in_schema=False)
def trials_page(
    request: Request, actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> HTMLResponse:
    return _trials_page(request, actor, db, lang)


def _trials_page(
    request: Request,
    actor: Actor,
    db: Database,
    lang: str,
    status: int = 200,
    error: Any = None,
    **extra: Any,
) -> HTMLResponse:
    return render(
        request, "me_trials.html", status_code=status, actor=actor, error=error,
        proposals=said.proposal_rows(trials.proposals(db, actor), lang),
        matched=said.matched_rows(trials.matched(db, actor), lang),
        requests=trials.my_requests(db, actor), objecting=space.objection_state(db, actor)["objecting"], **extra,
    )  # fmt: skip


@router.post("/me/trials/{trial_id}/contact", include_in_schema=False)
def ask_contact(
    request: Request,
    trial_id: str,
    message: str = Form("", max_length=2000),
    actor: Actor = Patient,
    db: Database = Depends(get_db),
    lang: str = Depends(get_lang),
) -> Response:
    try:
        trials.ask_contact(db, actor, trial_id, message)
    except OncofedError as exc:
        return _trials_page(request, actor, db, lang, 422, error_said(exc, lang))
    return RedirectResponse(f"/me/trials?asked={trial_id}#requests", status_code=303)


@router.get("/me/objection", response_class=HTMLResponse, include_in_schema=False)
def objection_page(request: Request, actor: Actor = Patient, db: Database = Depends(get_db)) -> HTMLResponse:
    return render(request, "me_objection.html", actor=actor, state=space.objection_state(db, actor))


@router.post("/me/objection", include_in_schema=False)
def objection_change(
    request: Request,
    objecting: str = Form(..., pattern="^(yes|no)$"),
    actor: Actor = Patient,
    db: Database = Depends(get_db),
    lang: str = Depends(get_lang),
) -> Response:
    try:
        space.set_objection(db, actor, objecting == "yes")
    except OncofedError as exc:
        state = space.objection_state(db, actor)
        return render(
            request, "me_objection.html", 422, actor=actor, state=state, error=error_said(exc, lang)
        )
    return RedirectResponse("/me/objection?changed=1", status_code=303)


@router.get("/me/export", response_class=HTMLResponse, include_in_schema=False)
def export_page(request: Request, actor: Actor = Patient) -> HTMLResponse:
    return render(request, "me_export.html", actor=actor)


@router.get("/me/export.json", include_in_schema=False)
def export_json(actor: Actor = Patient, db: Database = Depends(get_db)) -> Response:
    body = json.dumps(said.export_json(space.export(db, actor)), ensure_ascii=False, indent=2, default=str)
    return Response(
        body, media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-oncofed-data.json"'},
    )  # fmt: skip


@router.get("/me/export.csv", include_in_schema=False)
def export_csv(
    actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> Response:
    rows = said.export_rows(space.export(db, actor), lang)
    return csv_response(rows, said.EXPORT_COLUMNS, "my-oncofed-data.csv")


@router.get("/me/password", response_class=HTMLResponse, include_in_schema=False)
def password_page(request: Request, actor: Actor = Patient) -> HTMLResponse:
    return render(request, "me_password.html", actor=actor)


@router.post("/me/password", include_in_schema=False)
def password_change(
    request: Request,
    current: str = Form(..., max_length=1000),
    password: str = Form(..., max_length=1000),
    again: str = Form(..., max_length=1000),
    actor: Actor = Patient,
    db: Database = Depends(get_db),
    lang: str = Depends(get_lang),
) -> Response:
    from oncofed.errors import N_, InputError

    try:
        if password != again:
            raise InputError(
                N_("the two new passwords differ"), field="again", fix=N_("type the same password twice"),
                code="account.passwords_differ",
            )  # fmt: skip
        set_own_password(db, actor.user_id, current, password, actor=actor)
    except OncofedError as exc:
        return render(request, "me_password.html", 422, actor=actor, error=error_said(exc, lang))
    # every session of the account ended with the change: sign in again with the new password
    response = RedirectResponse("/login?next=/me&changed=1", status_code=303)
    response.delete_cookie("oncofed_session", path="/")
    return response
