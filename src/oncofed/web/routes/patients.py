"""Centre staff's patients: `/patients` (the caller's centres, paginated, CSV) and `/patients/{id}`
(the profile grouped by kind, each fact with its provenance), with their JSON twins under /api.

Every read goes through `PatientRepository(session, actor)`: a patient of another centre is
"not found" (404), never "forbidden".
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from oncofed.domain import Actor, Role
from oncofed.presenters.patients import FACT_COLUMNS, grouped, notes_of, profile_json
from oncofed.services.network.names import resolve_centre_id
from oncofed.services.patients.search import SEARCH_COLUMNS, PatientQuery, resolve_patient_id, search_patients
from oncofed.services.patients.view import patient_view
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import MAX_PAGE, get_actor, get_db
from oncofed.web.templating import render
from oncofed.web.workday import patient_workday

router = APIRouter()


def _list(
    db: Database, actor: Actor, page: int, size: int, query: PatientQuery | None = None
) -> dict[str, Any]:
    """One page of the caller's patients, searched (services/patients/search.py) when a filter is given."""
    from dataclasses import replace

    return search_patients(db, actor, replace(query or PatientQuery(), page=page, size=size))


def patient_query(
    q: str = Query("", max_length=200, description="Id (store or original) or name"),
    cancer: str = Query("", max_length=100, description="OncoTree code or name (subtypes included)"),
    stage: str = Query("", max_length=10, description="Stage group, e.g. IV (IVA, IVB too)"),
    gene: str = Query("", max_length=40, description="Gene or marker, e.g. EGFR, HER2"),
    variant: str = Query("", max_length=80, description="Variant or status, e.g. L858R, amplification"),
    centre: str = Query("", max_length=200, description="One of your centres: id, name or city"),
    db: Database = Depends(get_db),
) -> PatientQuery:
    centre = resolve_centre_id(db, centre.strip(), field="centre") or ""  # unknown: 422 naming it
    return PatientQuery(q=q, cancer=cancer, stage=stage, gene=gene, variant=variant, centre=centre)


@router.get(
    "/api/patients",
    tags=["patients"],
    summary="Patients of the caller's centres (paginated; CSV with format=csv)",
)
def api_patients(
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(50, ge=1, le=500),
    format: str = Query("json", pattern="^(json|csv)$"),
    query: PatientQuery = Depends(patient_query),
) -> Any:
    data = _list(db, actor, page, size, query)
    if format == "csv":
        rows = [{**p, "biomarkers": "; ".join(p["biomarkers"])} for p in data["patients"]]
        return csv_response(rows, SEARCH_COLUMNS, "patients.csv")
    return data


@router.get(
    "/api/patients/{patient_id}",
    tags=["patients"],
    summary="One patient's profile: every fact with its provenance",
)
def api_patient(
    patient_id: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Any:
    patient_id = resolve_patient_id(db, actor, patient_id)  # the source record's id works too
    with db.session() as s:
        profile = PatientRepository(s, actor).get(patient_id)
    data = profile_json(profile)
    if format == "csv":
        rows = [{**f, "span": "-".join(map(str, f.get("span") or []))} for f in data["facts"]]  # type: ignore[attr-defined]
        return csv_response(rows, FACT_COLUMNS, f"{patient_id}-facts.csv")
    return data


@router.get("/patients", response_class=HTMLResponse, include_in_schema=False)
def patients_page(
    request: Request,
    db: Database = Depends(get_db),
    actor: Actor = Depends(get_actor),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    size: int = Query(50, ge=1, le=500),
    query: PatientQuery = Depends(patient_query),
) -> Response:
    from urllib.parse import urlencode

    from oncofed.errors import InputError
    from oncofed.presenters.errors import said, sentence

    error = None
    try:
        data = _list(db, actor, page, size, query)
    except InputError as exc:
        error, data = said(exc, request.state.lang), {"total": 0, "page": 1, "size": size, "patients": []}
        error["message"], error["fix"] = sentence(error["message"]), sentence(error["fix"])
    pages = max(1, -(-data["total"] // size))
    params = {k: v for k, v in vars(query).items() if v and k not in ("page", "size")}

    def page_url(n: int) -> str:
        return "/patients?" + urlencode({**params, "page": n, "size": size})

    return render(
        request, "patients.html", data=data, pages=pages, actor=actor, query=query, page_url=page_url,
        api_query=urlencode({**params, "page": page, "size": size}), error=error,
        status_code=422 if error else 200,
    )  # fmt: skip


def own_account_of(db: Database, actor: Actor, patient_id: str) -> dict[str, Any] | None:
    """For the patient's clinician: whether the patient has their own account (None for other roles)."""
    from oncofed.services.accounts.patients import account_of

    return account_of(db, patient_id) if actor.role is Role.CLINICIAN else None


@router.get("/patients/{patient_id}", response_class=HTMLResponse, include_in_schema=False)
def patient_page(
    request: Request, patient_id: str, db: Database = Depends(get_db), actor: Actor = Depends(get_actor)
) -> Response:
    resolved = resolve_patient_id(db, actor, patient_id)
    if resolved != patient_id:  # the source record's id: the patient's page under its store id
        return RedirectResponse(f"/patients/{resolved}", status_code=303)
    view = patient_view(db, actor, patient_id)  # one audited read: the record and its corrections
    data = profile_json(view.profile)
    facts: list[dict[str, Any]] = data["facts"]  # type: ignore[assignment]
    from oncofed.services.boards.cases import patient_boards  # the patient's tumour boards (issue 19)

    boards = patient_boards(db, actor, patient_id, lang=request.state.lang, already_read=True)
    return render(
        request,
        "patient.html",
        p=data,
        groups=grouped(facts, request.state.lang),
        notes=notes_of(facts),
        boards=boards,
        actor=actor,
        workday=patient_workday(actor, facts, view.corrections, request.query_params.get("correct")),
        own_account=own_account_of(db, actor, patient_id),  # the patient's own space (docs/PATIENTS.md)
    )
