"""A patient's own space, the JSON twins of `/me` (docs/PATIENTS.md): `/api/me/record`, `/access`,
`/trials`, `/trials/{trial_id}/contact`, `/objection`, `/export`, `/password`. Patient role only; no
route takes a patient id, and a body naming one is ignored (the record is always the account's own)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError
from oncofed.presenters import patient_space as said
from oncofed.presenters.patients import profile_json
from oncofed.services.accounts.patients import set_own_password
from oncofed.services.patient_space import space, trials
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db, get_lang

router = APIRouter(prefix="/api/me", tags=["patient space"])
Patient = Depends(require_roles(Role.PATIENT))
CsvFormat = Query("json", pattern="^(json|csv)$", description="json (default) or csv")


class ContactIn(BaseModel):
    message: str = Field("", max_length=2000)


class ObjectionIn(BaseModel):
    objecting: bool


class PasswordIn(BaseModel):
    current: str = Field(..., max_length=1000)
    password: str = Field(..., max_length=1000)


@router.get("/record", summary="My record: every fact with where it came from")
def record(actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang),
           format: str = CsvFormat) -> Any:  # fmt: skip
    p = profile_json(space.my_record(db, actor))
    if format == "csv":
        return csv_response(said.record_rows(p["facts"], lang), said.RECORD_COLUMNS, "my-record.csv")  # type: ignore[arg-type]
    return {**p, "facts_said": said.record_rows(p["facts"], lang)}  # type: ignore[arg-type]


@router.get("/access", summary="Who accessed my record: date, role, centre, purpose, what was done")
def access(actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang),
           format: str = CsvFormat) -> Any:  # fmt: skip
    raw = space.access_log(db, actor)
    rows = said.access_rows(raw, lang)
    if format == "csv":
        return csv_response(rows, said.ACCESS_COLUMNS, "who-accessed-my-record.csv")
    return {"entries": [{**r, "said": s} for r, s in zip(raw, rows, strict=True)]}


@router.get("/trials", summary="Trials proposed to me and open trials matching my record, in plain words")
def my_trials(
    actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang)
) -> dict[str, Any]:
    return {
        "proposed": said.proposal_rows(trials.proposals(db, actor), lang),
        "matching": said.matched_rows(trials.matched(db, actor), lang),
        "requests": trials.my_requests(db, actor),
    }


@router.post("/trials/{trial_id}/contact", status_code=201, summary="Ask to be contacted about a trial")
def contact(trial_id: str, body: ContactIn | None = None, actor: Actor = Patient,
            db: Database = Depends(get_db)) -> dict[str, Any]:  # fmt: skip
    return trials.ask_contact(db, actor, trial_id, body.message if body else "")


@router.get("/objection", summary="My objection to research use, and every change of it")
def objection(actor: Actor = Patient, db: Database = Depends(get_db)) -> dict[str, Any]:
    return space.objection_state(db, actor)


@router.post("/objection", summary="Object to (or withdraw my objection to) research use of my data")
def objection_change(
    body: ObjectionIn, actor: Actor = Patient, db: Database = Depends(get_db)
) -> dict[str, Any]:
    return space.set_objection(db, actor, body.objecting)


@router.get("/export", summary="Everything the network holds about me (JSON, or CSV with ?format=csv)")
def export(actor: Actor = Patient, db: Database = Depends(get_db), lang: str = Depends(get_lang),
           format: str = CsvFormat) -> Any:  # fmt: skip
    data = space.export(db, actor)
    if format == "csv":
        return csv_response(said.export_rows(data, lang), said.EXPORT_COLUMNS, "my-oncofed-data.csv")
    return said.export_json(data)


@router.post("/password", status_code=204, summary="Replace my password (first sign-in: the one-time one)")
def password(body: PasswordIn, actor: Actor = Patient, db: Database = Depends(get_db)) -> Response:
    if not body.password:
        raise InputError(N_("the new password is empty"), field="password", fix=N_("type a password"),
                         code="account.password_empty")  # fmt: skip
    set_own_password(db, actor.user_id, body.current, body.password, actor=actor)
    return Response(status_code=204)
