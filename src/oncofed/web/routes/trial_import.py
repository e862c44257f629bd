"""Trial import from the browser and the API: /trials/import (a form) and POST /api/trials/import.

The uploaded files go through the same importer as `oncofed import trials` (one transaction per file,
all or nothing unless "keep the valid records" is ticked), named by their own file names. Every
rejected record is listed with its file, record, field, reason and fix in the reader's language
(`presenters/imports.py`); the rejections are a CSV at /trials/import/{token}.csv, stored in the
database (services/imports/reports.py: any worker serves it, after a restart too; the importer and
administrators may download it). Uploads are checked as they stream (web/uploads.py)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor, Role
from oncofed.errors import OncofedError
from oncofed.ingest.trials.common import MAX_DOCUMENT_BYTES
from oncofed.presenters.import_reports import report_rows
from oncofed.presenters.imports import import_json
from oncofed.services.imports.reports import TRIALS, keep_report, kept_report, rejection_item
from oncofed.services.trials.importing import ImportReport, import_trials
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db, get_lang
from oncofed.web.errors import error_json, error_page
from oncofed.web.templating import render
from oncofed.web.uploads import LIMITS, UploadLimits, rejected_json, save_uploads

router = APIRouter()
IMPORTERS = frozenset({Role.TRIAL_MANAGER, Role.ADMIN})
importer = require_roles(*IMPORTERS)
MAX_FILES = 50
UPLOAD = UploadLimits(
    file_bytes=MAX_DOCUMENT_BYTES,
    total_bytes=2 * MAX_DOCUMENT_BYTES,
    suffixes=frozenset({".json", ".ndjson", ".jsonl", ".xml", ".csv", ".tsv", ".txt", ".yaml", ".yml"}),
    command="oncofed import trials FILE",
    roles=IMPORTERS,
)
LIMITS.update({"/trials/import": UPLOAD, "/api/trials/import": UPLOAD})


def _named(report: ImportReport, folder: Path) -> ImportReport:
    """The report with the uploads' own names in place of the temporary folder's paths."""
    prefix = f"{folder}/"
    for f in report.files:
        f.path = f.path.removeprefix(prefix)
        f.rejected = [replace(r, file=r.file.removeprefix(prefix)) for r in f.rejected]
        f.skipped_records = [s.replace(prefix, "") for s in f.skipped_records]
    return report


def run_upload(db: Database, uploads: list[UploadFile | str], partial: bool) -> ImportReport:
    with tempfile.TemporaryDirectory(prefix="oncofed-import-") as tmp:
        folder = Path(tmp)
        return _named(
            import_trials(db, save_uploads(uploads, folder, UPLOAD, MAX_FILES), strict=not partial), folder
        )


def _keep(db: Database, actor: Actor, report: ImportReport) -> str:
    return keep_report(db, actor, TRIALS, [rejection_item(r) for r in report.rejections])


@router.get("/trials/import", response_class=HTMLResponse, include_in_schema=False)
def import_page(request: Request, actor: Actor = Depends(importer)) -> HTMLResponse:
    return render(request, "trial_import.html", actor=actor, result=None, token="", partial=False)


@router.post("/trials/import", response_class=HTMLResponse, include_in_schema=False)
def import_form(
    request: Request,
    files: list[UploadFile | str] = File(default_factory=list),
    partial: bool = Form(False),
    db: Database = Depends(get_db),
    actor: Actor = Depends(importer),
    lang: str = Depends(get_lang),
) -> HTMLResponse:
    try:
        report = run_upload(db, files, partial)
    except OncofedError as exc:
        return error_page(request, 422, "", None, None, error=exc, back="/trials/import")
    result = import_json(report, lang)
    return render(
        request,
        "trial_import.html",
        status_code=422 if report.total("rejected") else 200,
        actor=actor,
        result=result,
        token=_keep(db, actor, report) if report.total("rejected") else "",
        partial=partial,
    )


@router.get("/trials/import/{token}.csv", include_in_schema=False)
def import_rejections_csv(
    token: str,
    db: Database = Depends(get_db),
    actor: Actor = Depends(importer),
    lang: str = Depends(get_lang),
) -> Response:
    rows, columns = report_rows(kept_report(db, actor, TRIALS, token), lang)
    return csv_response(rows, columns, "trial-import-rejections.csv")


@router.post("/api/trials/import", tags=["trials"])
def api_import(
    request: Request,
    files: list[UploadFile | str] = File(
        ..., description="Trial files (every format `oncofed import trials` reads)."
    ),
    partial: bool = Form(False, description="Keep the valid records of a file that has rejected ones."),
    db: Database = Depends(get_db),
    actor: Actor = Depends(importer),
    lang: str = Depends(get_lang),
) -> Any:
    """Import trial files. 200 with the counts; 422 when a record was rejected, with `code`, `params`,
    `detail` and `fix` in the request's language and every rejected record (`rejected_records`: file,
    record, field, code, params, message, fix); `csv` is the rejections' CSV (kept a week, for the importer)."""
    try:
        report = run_upload(db, files, partial)
    except OncofedError as exc:
        return error_json(request, exc, 422)
    body = import_json(report, lang)
    if not report.total("rejected"):
        return body
    return rejected_json(
        request, report.total("rejected"), body | {"csv": f"/trials/import/{_keep(db, actor, report)}.csv"}
    )
