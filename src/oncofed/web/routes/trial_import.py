"""Trial import from the browser and the API: /trials/import (a form) and POST /api/trials/import.

The uploaded files go through the same importer as `oncofed import trials` (one transaction per file,
all or nothing unless "keep the valid records" is ticked), named by their own file names. Every
rejected record is listed with its file, record, field, reason and fix in the reader's language
(`presenters/imports.py`); the rejections are a CSV at /trials/import/{token}.csv for one hour (the
last reports of this process, kept in memory for the person who imported: nothing else is stored)."""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response

from oncofed.domain import Actor, Role
from oncofed.errors import N_, NN_, InputError, OncofedError
from oncofed.ingest.trials.common import MAX_DOCUMENT_BYTES
from oncofed.presenters.i18n import translator
from oncofed.presenters.imports import REJECTION_COLUMNS, import_json, rejection_rows
from oncofed.services.trials.importing import ImportReport, import_trials
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db, get_lang
from oncofed.web.errors import error_json, error_page
from oncofed.web.templating import render

router = APIRouter()
importer = require_roles(Role.TRIAL_MANAGER, Role.ADMIN)
MAX_FILES = 50
KEPT_SECONDS = 3600
_KEPT: OrderedDict[str, tuple[float, str, ImportReport]] = OrderedDict()
_LOCK = threading.Lock()


def _save(sent: list[UploadFile | str], folder: Path) -> list[Path]:
    """The uploads under their own names (a name given twice gets a number), each size-capped. A form
    sent with no file chosen has an empty text part instead."""
    uploads = [u for u in sent if not isinstance(u, str)]
    if not uploads or all(not (u.filename or "").strip() for u in uploads):
        raise InputError(
            N_("no file chosen"), code="import.no_file", fix=N_("choose one or more trial files")
        )
    if len(uploads) > MAX_FILES:
        raise InputError(
            N_("%(files)s files at once is more than %(limit)s"),
            code="import.too_many_files",
            params={"files": len(uploads), "limit": MAX_FILES},
            fix=N_("import them in several goes, or from the command line: oncofed import trials DIR"),
        )
    paths: list[Path] = []
    for i, upload in enumerate(uploads):
        name = Path(upload.filename or f"file-{i + 1}").name.strip() or f"file-{i + 1}"
        path = folder / name
        if path.exists():
            path = folder / f"{path.stem}-{i + 1}{path.suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise InputError(
                N_("%(size)s MB is more than an upload may hold (%(limit)s MB)"),
                file=name,
                code="import.upload_too_large",
                params={"size": round(path.stat().st_size / 1e6), "limit": round(MAX_DOCUMENT_BYTES / 1e6)},
                fix=N_("import it from the command line: oncofed import trials FILE"),
            )
        paths.append(path)
    return paths


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
        return _named(import_trials(db, _save(uploads, folder), strict=not partial), folder)


def _keep(actor: Actor, report: ImportReport) -> str:
    token = secrets.token_urlsafe(16)
    now = time.monotonic()
    with _LOCK:
        for key in [k for k, (at, _, _) in _KEPT.items() if now - at > KEPT_SECONDS]:
            del _KEPT[key]
        _KEPT[token] = (now, actor.user_id, report)
        while len(_KEPT) > 32:
            _KEPT.popitem(last=False)
    return token


def _rejected_error(report: ImportReport) -> InputError:
    n = report.total("rejected")
    return InputError(
        NN_("%(num)s record was rejected", "%(num)s records were rejected"),
        code="import.rejected",
        params={"num": n},
        fix=N_("correct each record as its line says and import the file again (or keep the valid records)"),
    )


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
        token=_keep(actor, report) if report.total("rejected") else "",
        partial=partial,
    )


@router.get("/trials/import/{token}.csv", include_in_schema=False)
def import_rejections_csv(
    token: str, actor: Actor = Depends(importer), lang: str = Depends(get_lang)
) -> Response:
    with _LOCK:
        kept = _KEPT.get(token)
    if kept is None or kept[1] != actor.user_id or time.monotonic() - kept[0] > KEPT_SECONDS:
        from fastapi import HTTPException

        raise HTTPException(
            404, translator(lang).gettext("This report is no longer kept: import the file again.")
        )
    return csv_response(rejection_rows(kept[2], lang), REJECTION_COLUMNS, "trial-import-rejections.csv")


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
    record, field, code, params, message, fix); `csv` is the rejections' CSV for an hour."""
    try:
        report = run_upload(db, files, partial)
    except OncofedError as exc:
        return error_json(request, exc, 422)
    body = import_json(report, lang)
    if not report.total("rejected"):
        return body
    error = error_json(request, _rejected_error(report), 422)
    import json

    head = json.loads(bytes(error.body))
    return JSONResponse(head | body | {"csv": f"/trials/import/{_keep(actor, report)}.csv"}, status_code=422)
