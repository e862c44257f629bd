"""A clinician opens a patient's own space from the patient's page: `POST /patients/{patient_id}/account`
creates the account bound to that record (services/accounts/patients.py: own centre only, audited) and
shows its one-time password once, to hand to the patient; `POST /patients/{patient_id}/account/password`
gives a patient who forgot theirs a new one-time password the same way (sessions ended, audited). The CLI's twin is
`oncofed users add NAME --role patient --patient ID`; the API's, `POST /api/patients/{patient_id}/account`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError
from oncofed.services.accounts.patients import add_patient_account, reset_patient_password
from oncofed.store.db import Database
from oncofed.web.deps import get_actor, get_db
from oncofed.web.templating import render

router = APIRouter()


def _clinician_only(actor: Actor, *, reset: bool = False) -> None:
    """On the patient's page, the patient's clinician (an administrator uses /admin/accounts or the CLI)."""
    if actor.role is not Role.CLINICIAN:
        raise InputError(
            N_("your role (%(role)s) cannot reset a patient's password")
            if reset
            else N_("your role (%(role)s) cannot create patient accounts"),
            field="role",
            fix=N_("ask the patient's clinician or an administrator"),
            code="account.patient_resetter" if reset else "account.patient_creator",
            params={"role": actor.role.value},
        )


# the role is checked by the service (a clinician of the patient's centre; another centre's patient is
# not found), as the referral routes do, so another centre's id is never told apart by a 403
Clinician = Depends(get_actor)


class AccountIn(BaseModel):
    username: str = Field(..., max_length=100)


@router.post("/patients/{patient_id}/account", response_class=HTMLResponse, include_in_schema=False)
def create_page(
    request: Request,
    patient_id: str,
    username: str = Form(..., max_length=100),
    actor: Actor = Clinician,
    db: Database = Depends(get_db),
) -> HTMLResponse:
    _clinician_only(actor)
    user, secret = add_patient_account(db, actor, username, patient_id)
    return render(request, "patient_account_created.html", actor=actor, username=user.username, secret=secret,
                  patient_id=user.patient_id, reset=False)  # fmt: skip


@router.post("/api/patients/{patient_id}/account", status_code=201, tags=["patients"],
             summary="Open the patient's own space: an account bound to this record, its one-time password shown once")  # fmt: skip
def create_api(
    patient_id: str, body: AccountIn, actor: Actor = Clinician, db: Database = Depends(get_db)
) -> dict[str, Any]:
    _clinician_only(actor)
    user, secret = add_patient_account(db, actor, body.username, patient_id)
    return {"username": user.username, "patient_id": user.patient_id, "centre_ids": list(user.centre_ids),
            "one_time_password": secret}  # fmt: skip


@router.post("/patients/{patient_id}/account/password", response_class=HTMLResponse, include_in_schema=False)
def reset_page(
    request: Request, patient_id: str, actor: Actor = Clinician, db: Database = Depends(get_db)
) -> HTMLResponse:
    _clinician_only(actor, reset=True)
    username, secret = reset_patient_password(db, actor, patient_id)
    return render(request, "patient_account_created.html", actor=actor, username=username, secret=secret,
                  patient_id=patient_id, reset=True)  # fmt: skip


@router.post("/api/patients/{patient_id}/account/password", tags=["patients"],
             summary="A patient forgot their password: a new one-time password for their own account, shown once")  # fmt: skip
def reset_api(patient_id: str, actor: Actor = Clinician, db: Database = Depends(get_db)) -> dict[str, Any]:
    _clinician_only(actor, reset=True)
    username, secret = reset_patient_password(db, actor, patient_id)
    return {"username": username, "patient_id": patient_id, "one_time_password": secret}
