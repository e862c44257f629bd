"""Patient import from the browser and the API: /patients/import (a form) and POST /api/patients/import.

The uploaded files go through the same importer as `oncofed import patients` (FHIR / mCODE Bundles,
MatchMiner records, the flat CSV layout, notes; all or nothing per file unless "keep the valid
records" is ticked), as the person who imports, for one of their centres
(services/patients/uploads.py: clinicians and research staff; audited). Every rejected record and
every warning (a record kept with something dropped or assumed) is listed with its file, record,
field, reason and fix in the reader's language; their CSV is stored (services/imports/reports.py) at
/patients/import/{token}.csv. Uploads are checked as they stream (web/uploads.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor
from oncofed.errors import OncofedError
from oncofed.ingest.patients.files import DEFAULT_MAX_MB, JSON_SUFFIXES, NOTE_SUFFIXES
from oncofed.presenters.import_reports import report_rows
from oncofed.presenters.patient_imports import import_result
from oncofed.services.imports.reports import PATIENTS, kept_report
from oncofed.services.network.centres import stored_centres
from oncofed.services.patients.records import ImportReport
from oncofed.services.patients.uploads import IMPORTING_ROLES, import_uploaded
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db, get_lang
from oncofed.web.errors import error_json, error_page
from oncofed.web.templating import render
from oncofed.web.uploads import LIMITS, UploadLimits, rejected_json, save_uploads

router = APIRouter()
importer = require_roles(*IMPORTING_ROLES)
MAX_FILES = 200
UPLOAD = UploadLimits(
    file_bytes=int(DEFAULT_MAX_MB * 1e6),
    total_bytes=int(2 * DEFAULT_MAX_MB * 1e6),
    suffixes=frozenset(JSON_SUFFIXES | NOTE_SUFFIXES | {".csv"}),
    command="oncofed import patients FILE --centre CENTRE",
    roles=IMPORTING_ROLES,
)
LIMITS.update({"/patients/import": UPLOAD, "/api/patients/import": UPLOAD})


def run_upload(
    db: Database, actor: Actor, uploads: list[UploadFile | str], centre: str, partial: bool
) -> tuple[ImportReport, str, str]:
    with tempfile.TemporaryDirectory(prefix="oncofed-patients-") as tmp:
        paths = save_uploads(uploads, Path(tmp), UPLOAD, MAX_FILES)
        return import_uploaded(db, actor, paths, centre, partial)


def _centres(db: Database, actor: Actor) -> list[dict[str, str]]:
    names = {c.id: c.name for c in stored_centres(db)}
    return [{"id": c, "name": names.get(c, c)} for c in sorted(actor.centre_ids) if c != "*"]


def _page(request: Request, db: Database, actor: Actor, **values: Any) -> HTMLResponse:
    values = {"result": None, "token": "", "partial": False, "centre": "", "status_code": 200} | values
    return render(request, "patient_import.html", actor=actor, centres=_centres(db, actor), **values)


@router.get("/patients/import", response_class=HTMLResponse, include_in_schema=False)
def import_page(
    request: Request, db: Database = Depends(get_db), actor: Actor = Depends(importer)
) -> HTMLResponse:
    return _page(request, db, actor)


@router.post("/patients/import", response_class=HTMLResponse, include_in_schema=False)
def import_form(
    request: Request,
    files: list[UploadFile | str] = File(default_factory=list),
    centre: str = Form(""),
    partial: bool = Form(False),
    db: Database = Depends(get_db),
    actor: Actor = Depends(importer),
    lang: str = Depends(get_lang),
) -> HTMLResponse:
    try:
        report, centre_id, token = run_upload(db, actor, files, centre.strip(), partial)
    except OncofedError as exc:
        return error_page(request, 422, "", None, None, error=exc, back="/patients/import")
    return _page(
        request, db, actor, result=import_result(report, lang), token=token, partial=partial, centre=centre_id,
        status_code=422 if report.rejected else 200,
    )  # fmt: skip


@router.get("/patients/import/{token}.csv", include_in_schema=False)
def import_issues_csv(
    token: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(importer),
    lang: str = Depends(get_lang),
) -> Response:
    rows, columns = report_rows(kept_report(db, actor, PATIENTS, token), lang)
    return csv_response(rows, columns, "patient-import-issues.csv")


@router.post("/api/patients/import", tags=["patients"])
def api_import(
    request: Request,
    files: list[UploadFile | str] = File(
        ..., description="Patient files (every format `oncofed import patients` reads)."
    ),
    centre: str = Form("", description="One of your centres (needed when you have several)."),
    partial: bool = Form(False, description="Keep the valid records of a file that has rejected ones."),
    db: Database = Depends(get_db),
    actor: Actor = Depends(importer),
    lang: str = Depends(get_lang),
) -> Any:
    """Import patient files for one of your centres. 200 with the counts and every warning; 422 when a
    record was rejected, with `code`, `params`, `detail` and `fix` in the request's language, every
    rejected record (`rejected_records`) and warning (`warning_records`: file, record, resource, field,
    code, params, reason, fix); `csv` is their CSV (kept a week)."""
    try:
        report, centre_id, token = run_upload(db, actor, files, centre.strip(), partial)
    except OncofedError as exc:
        return error_json(request, exc, 422)
    body = import_result(report, lang) | {"centre": centre_id}
    if token:
        body["csv"] = f"/patients/import/{token}.csv"
    if not report.rejected:
        return body
    return rejected_json(request, report.rejected, body)
