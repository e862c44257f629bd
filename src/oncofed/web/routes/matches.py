"""A patient's matching trials: the page `/patients/{id}/matches` and its JSON/CSV twin.

Patient data is read through `PatientRepository(session, actor)`: a patient outside the caller's
centres is "not found" (404), never "forbidden".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from oncofed.domain import Actor
from oncofed.matching import trust
from oncofed.presenters.matching import (
    CHECK_COLUMNS,
    CRITERIA_COLUMNS,
    TRIAL_COLUMNS,
    check_rows,
    criteria_rows,
    report_to_dict,
    trial_rows,
)
from oncofed.presenters.referrals import attach_referral_sites
from oncofed.services.matching.match import match_stored_patient
from oncofed.services.network.referral_site import referral_options
from oncofed.store.db import Database
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_actor, get_db
from oncofed.web.plain_json import plain_json
from oncofed.web.templating import render

router = APIRouter()


STRICT_HELP = (
    "Strict verdicts: every criterion read as not met excludes (default: only kinds of reading proven "
    "reliable exclude; the others are shown 'probably not met — check')"
)


def _report(
    db: Database,
    s: Session,
    actor: Actor,
    patient_id: str,
    limit: int,
    day: date | None,
    lang: str = "en",
    strict: bool = False,
    keep: dict[str, Any] | None = None,
    focus: str = "",
) -> dict[str, Any]:
    with trust.strict(strict):  # the decision policy (matching/trust.py) for this request only
        report = match_stored_patient(db, actor, patient_id, day=day, limit=limit, session=s, focus=focus)
        data = report_to_dict(report, lang)
    data["strict"] = strict
    # where each trial could take this patient: the referral form's own answer (one source of truth,
    # services/network/referral_site.py), with its reason in the reader's language
    ids = [m["trial_id"] for m in data["matches"]]
    attach_referral_sites(data, referral_options(s, ids, report.patient.centre_id, report.patient.home), lang)
    if keep is not None:  # the page's referral forms: the patient's home (never in the JSON)
        keep["home"] = report.patient.home
    return data


@router.get(
    "/api/patients/{patient_id}/matches",
    tags=["matching"],
    summary=(
        "Open trials for a patient, ranked, with a verdict per trial (eligible / excluded / unknown / "
        "not evaluated) and each criterion's outcome (satisfied / violated / unknown / not applicable) "
        "with plain evidence and its source"
    ),
)
def api_patient_matches(
    request: Request,
    patient_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    limit: int = Query(20, ge=1, le=200, description="How many trials"),
    day: date | None = Query(None, description="Evaluate as of this day (default today)"),
    format: str = Query("json", pattern="^(json|csv)$"),
    table: str = Query("trials", pattern="^(trials|criteria|checks)$", description="Which table as CSV"),
    strict: bool = Query(False, description=STRICT_HELP),
) -> Any:
    with db.session() as s:  # one unit of work (see the page below)
        data = _report(db, s, actor, patient_id, limit, day, getattr(request.state, "lang", "en"), strict)
    if format == "csv":
        if table == "criteria":
            return csv_response(criteria_rows(data), CRITERIA_COLUMNS, f"{patient_id}-criteria.csv")
        if table == "checks":
            return csv_response(check_rows(data), CHECK_COLUMNS, f"{patient_id}-checks.csv")
        return csv_response(trial_rows(data), TRIAL_COLUMNS, f"{patient_id}-matches.csv")
    return plain_json(data)


@router.get("/patients/{patient_id}/matches", response_class=HTMLResponse, include_in_schema=False)
def patient_matches_page(
    request: Request,
    patient_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    limit: int = Query(20, ge=1, le=200),
    day: date | None = Query(None),
    strict: bool = Query(False),
    trial: str = Query(
        "", max_length=64, description="a trial to show (and open) even outside the best ones"
    ),
) -> Response:
    from oncofed.services.patients.search import resolve_patient_id
    from oncofed.web.workday import match_workday  # issue 18: referral forms, "not open" explanations

    # One unit of work for the whole request (tests/test_match_sessions.py counts them). The audit
    # entry of the patient read is appended apart, in its own short transaction holding the log's
    # lock, when this one ends, commit or rollback (store/audit.py): a read is logged even when a
    # later step fails. Rendering needs no database, so it runs after the session is closed.
    with db.session() as s:
        patient_id = resolve_patient_id(db, actor, patient_id, s)  # the source record's id works too
        lang = getattr(request.state, "lang", "en")
        kept: dict[str, Any] = {}
        data = _report(db, s, actor, patient_id, limit, day, lang, strict, kept, trial)
        wd = match_workday(db, data, s, kept.get("home"), lang)
    return render(request, "matches.html", data=data, patient_id=patient_id, actor=actor, wd=wd, focus=trial)
