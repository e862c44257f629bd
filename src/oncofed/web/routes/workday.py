"""A working day (issue 18): a clinician corrects a fact and refers a patient to a trial; a trial
manager opens an imported trial at network centres; each role lands on its own page; the map of
the network moves to /centres. JSON twins under /api, CSV where there is a table."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from oncofed.domain import Actor, PatientProfile, Role
from oncofed.errors import N_, InputError
from oncofed.presenters.errors import said
from oncofed.presenters.matching import report_to_dict
from oncofed.presenters.referrals import options_json
from oncofed.services.matching.match import match_profile
from oncofed.services.network.centres import list_centres
from oncofed.services.network.referral_site import patient_referral_options
from oncofed.services.patients.corrections import (
    CORRECTION_COLUMNS,
    FactInput,
    apply_correction,
    correct_fact,
    corrections_of,
)
from oncofed.services.patients.search import resolve_patient_id
from oncofed.services.prescreen.referrals import refer_patient
from oncofed.services.trials.search import get_trial
from oncofed.services.trials.setup import (
    LOCAL_STATUSES,
    SETUP_COLUMNS,
    SiteSetup,
    list_setups,
    open_trial,
    registry_overview,
    trials_to_set_up,
)
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_actor, get_db, get_lang
from oncofed.web.landing import landing_context
from oncofed.web.mapview import france_map
from oncofed.web.templating import render

router = APIRouter()
FORMAT = Query("json", pattern="^(json|csv)$")
managers = require_roles(Role.TRIAL_MANAGER, Role.ADMIN)


class FactRequest(BaseModel):
    kind: str = Field(max_length=40)
    code: str = Field("", max_length=100)
    value: str = Field("", max_length=200)
    unit: str = Field("", max_length=40)
    negated: bool = False
    when: str = Field("", max_length=10)
    reason: str = Field(max_length=2000)
    index: int | None = Field(None, ge=0, le=100_000, description="fact number to replace; none = add")


class ReferralRequest(BaseModel):
    trial_id: str = Field(max_length=64)
    centre_id: str = Field(
        "",
        max_length=64,
        description="the recruiting site; empty: the patient's own centre when it recruits, else the nearest",
    )
    note: str = Field("", max_length=2000)


class SetupRequest(BaseModel):
    centre: str = Field(max_length=200, description="centre id or name, e.g. 'Gustave Roussy'")
    local_status: str = Field("RECRUITING", max_length=32)
    principal_investigator: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=300)
    contact_phone: str = Field("", max_length=50)
    target: int | None = Field(None, ge=1, le=100_000)
    opening_date: date | None = None


def _engine(request: Request) -> Any:
    return getattr(request.app.state, "prescreen_engine", None)


def _match_summary(db: Database, profile: PatientProfile) -> list[dict[str, Any]]:
    """The corrected record re-matched, from the correction's own read (one access, one audit entry)."""
    data = report_to_dict(match_profile(db, profile, limit=10))
    return [
        {"trial_id": m["trial_id"], "verdict": m["verdict"], "counts": m["counts"]} for m in data["matches"]
    ]


# --- a clinician: corrections and referrals --------------------------------------------------


@router.post(
    "/api/patients/{patient_id}/facts",
    tags=["patients"],
    summary="Correct a fact (index) or add one; audited, provenance 'corrected by <you>', re-matched at once",
)
def api_correct(
    patient_id: str, body: FactRequest, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> Any:
    patient_id = resolve_patient_id(db, actor, patient_id)
    data = FactInput(body.kind, body.code, body.value, body.unit, body.negated, body.when)
    done = apply_correction(db, actor, patient_id, data, body.reason, index=body.index)
    return {"correction": done.json, "matches": _match_summary(db, done.profile)}


@router.get(
    "/api/patients/{patient_id}/corrections",
    tags=["patients"],
    summary="A patient's corrected facts (CSV too)",
)
def api_corrections(
    patient_id: str, db: Database = Depends(get_db), actor: Actor = Depends(get_actor), format: str = FORMAT
) -> Any:
    rows = corrections_of(db, actor, resolve_patient_id(db, actor, patient_id))
    if format == "csv":
        return csv_response(rows, CORRECTION_COLUMNS, f"{patient_id}-corrections.csv")
    return {"count": len(rows), "corrections": rows}


@router.post("/patients/{patient_id}/facts", include_in_schema=False)
def correct_form(
    patient_id: str,
    kind: str = Form(..., max_length=40),
    code: str = Form("", max_length=100),
    value: str = Form("", max_length=200),
    unit: str = Form("", max_length=40),
    negated: str = Form(""),
    when: str = Form("", max_length=10),
    reason: str = Form(..., max_length=2000),
    index: str = Form("", max_length=8),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    number = int(index) if index.isdigit() else None
    data = FactInput(kind, code, value, unit, negated in ("1", "on", "true"), when)
    done = correct_fact(db, actor, patient_id, data, reason, index=number)
    # re-matched at once: the match page evaluates the corrected record
    return RedirectResponse(f"/patients/{quote(patient_id)}/matches?corrected={done['id']}", status_code=303)


@router.post(
    "/api/patients/{patient_id}/referrals", tags=["patients"], summary="Refer the patient to a trial's site"
)
def api_refer(
    request: Request,
    patient_id: str,
    body: ReferralRequest,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Any:
    patient_id = resolve_patient_id(db, actor, patient_id)
    chosen: dict[str, Any] | None = None
    centre_id = body.centre_id
    if not centre_id:  # the site the form proposes, and why
        chosen = options_json(
            patient_referral_options(db, actor, patient_id, body.trial_id), get_lang(request)
        )
        centre_id = chosen["default"]["centre_id"]
    done = refer_patient(db, actor, patient_id, body.trial_id, centre_id, body.note, engine=_engine(request))
    return {**done, "site_chosen": chosen["default"]} if chosen else done


@router.get(
    "/api/patients/{patient_id}/referral-sites/{trial_id}",
    tags=["patients"],
    summary="A trial's recruiting network sites for this patient, and the one a referral proposes (and why)",
)
def api_referral_sites(
    request: Request,
    patient_id: str,
    trial_id: str = Path(..., max_length=64),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Any:
    patient_id = resolve_patient_id(db, actor, patient_id)
    return options_json(patient_referral_options(db, actor, patient_id, trial_id), get_lang(request))


@router.post("/patients/{patient_id}/refer", include_in_schema=False)
def refer_form(
    request: Request,
    patient_id: str,
    trial_id: str = Form(..., max_length=64),
    centre_id: str = Form(..., max_length=64),
    note: str = Form("", max_length=2000),
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
) -> Response:
    done = refer_patient(db, actor, patient_id, trial_id, centre_id, note, engine=_engine(request))
    query = urlencode({"referred": f"{done['trial_id']}:{done['site_centre_id']}"})
    return RedirectResponse(f"/patients/{quote(patient_id)}/matches?{query}", status_code=303)


# --- a trial manager: set-up at centres ------------------------------------------------------


@router.get(
    "/api/trial-setup", tags=["trial set-up"], summary="Every trial's set-up at network centres (CSV too)"
)
def api_setups(db: Database = Depends(get_db), actor: Actor = Depends(managers), format: str = FORMAT) -> Any:
    rows = list_setups(db)
    if format == "csv":
        return csv_response(rows, SETUP_COLUMNS, "trial-setup.csv")
    return {
        "count": len(rows),
        "setups": rows,
        "to_set_up": trials_to_set_up(db),
        "registry": registry_overview(db),
    }


@router.get(
    "/api/trial-setup/{trial_id}", tags=["trial set-up"], summary="One trial's set-up at network centres"
)
def api_trial_setup(
    trial_id: str, db: Database = Depends(get_db), actor: Actor = Depends(managers), format: str = FORMAT
) -> Any:
    trial = get_trial(db, trial_id)
    rows = list_setups(db, trial.id)
    if format == "csv":
        return csv_response(rows, SETUP_COLUMNS, f"{trial_id}-setup.csv")
    return {"trial_id": trial.id, "title": trial.title, "status": trial.status.value, "setups": rows}


@router.post(
    "/api/trial-setup/{trial_id}",
    tags=["trial set-up"],
    summary="Open (or update, close) a trial at a network centre: local status, PI, contact, target, opening date",
)
def api_open_trial(
    trial_id: str, body: SetupRequest, db: Database = Depends(get_db), actor: Actor = Depends(managers)
) -> Any:
    return open_trial(db, actor, trial_id, SiteSetup(**body.model_dump()))


@router.get("/trial-setup", response_class=HTMLResponse, include_in_schema=False)
def setup_index(
    request: Request, db: Database = Depends(get_db), actor: Actor = Depends(managers)
) -> Response:
    return render(
        request, "trial_setup_index.html", setups=list_setups(db), to_set_up=trials_to_set_up(db),
        registry=registry_overview(db), actor=actor,
    )  # fmt: skip


def _setup_page(
    request: Request,
    db: Database,
    actor: Actor,
    trial_id: str,
    *,
    error: InputError | None = None,
    form: Any = None,
) -> Response:
    trial = get_trial(db, trial_id)
    return render(
        request, "trial_setup.html", trial=trial, setups=list_setups(db, trial.id), centres=list_centres(db),
        statuses=[s.value for s in LOCAL_STATUSES], form=form or {}, actor=actor,
        error=said(error, getattr(request.state, "lang", "en")) if error else None,
        saved=request.query_params.get("saved", ""), status_code=422 if error else 200,
    )  # fmt: skip


@router.get("/trial-setup/{trial_id}", response_class=HTMLResponse, include_in_schema=False)
def setup_page(
    request: Request, trial_id: str, db: Database = Depends(get_db), actor: Actor = Depends(managers)
) -> Response:
    return _setup_page(request, db, actor, trial_id)


@router.post("/trial-setup/{trial_id}", include_in_schema=False)
def setup_form(
    request: Request,
    trial_id: str,
    centre: str = Form(..., max_length=200),
    local_status: str = Form("RECRUITING", max_length=32),
    principal_investigator: str = Form("", max_length=200),
    contact_name: str = Form("", max_length=200),
    contact_email: str = Form("", max_length=300),
    contact_phone: str = Form("", max_length=50),
    target: str = Form("", max_length=8),
    opening_date: str = Form("", max_length=10),
    db: Database = Depends(get_db),
    actor: Actor = Depends(managers),
) -> Response:
    form = {"centre": centre, "local_status": local_status, "principal_investigator": principal_investigator,
            "contact_name": contact_name, "contact_email": contact_email, "contact_phone": contact_phone,
            "target": target, "opening_date": opening_date}  # fmt: skip
    try:
        if target.strip() and not target.strip().isdigit():
            raise InputError(
                N_("%(value)s is not a number of patients"), field="target", fix=N_("type a number, e.g. 12"),
                code="input.not_count", params={"value": repr(target)},
            )  # fmt: skip
        try:
            opening = date.fromisoformat(opening_date) if opening_date.strip() else None
        except ValueError:
            raise InputError(
                N_("'%(text)s' is not a date"),
                field="opening_date",
                fix=N_("write YYYY-MM-DD"),
                code="setup.date",
                params={"text": opening_date},
            ) from None
        done = open_trial(
            db, actor, trial_id,
            SiteSetup(centre, local_status, principal_investigator, contact_name, contact_email, contact_phone,
                      int(target) if target.strip() else None, opening),
        )  # fmt: skip
    except InputError as exc:
        return _setup_page(request, db, actor, trial_id, error=exc, form=form)
    return RedirectResponse(
        f"/trial-setup/{quote(trial_id)}?saved={quote(done['centre_id'])}", status_code=303
    )


# --- landing pages and the map ------------------------------------------------------------------


@router.get("/centres", response_class=HTMLResponse, include_in_schema=False)
def centres_map(request: Request, db: Database = Depends(get_db)) -> Response:
    centres = list_centres(db)
    return render(request, "home.html", centres=centres, map=france_map(centres))


@router.get("/api/me/home", tags=["core"], summary="What your landing page shows (per role)")
def api_landing(db: Database = Depends(get_db), actor: Actor = Depends(get_actor)) -> Any:
    return landing_context(db, actor)
