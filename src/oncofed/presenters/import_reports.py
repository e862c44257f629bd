"""A stored import report (services/imports/reports.py) in the reader's language: its CSV rows.

Each item with a code is said with the catalogue's words (the message ids and parameters it was
stored with); an item without a code keeps the importer's English."""

from __future__ import annotations

from typing import Any

from oncofed.errors import InputError
from oncofed.presenters.errors import said
from oncofed.presenters.i18n import translator
from oncofed.presenters.places import place
from oncofed.services.imports.reports import PATIENTS, KeptReport

TRIAL_COLUMNS = ["file", "record", "field", "code", "message", "fix"]
PATIENT_COLUMNS = ["severity", "file", "record", "resource", "field", "code", "message", "fix"]


def item_words(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """The item's place as stored, with `message` and `fix` in `lang` and `severity` in words."""
    out = dict(item)
    if item.get("code") and item.get("template"):
        template = item["template"]
        error = InputError(
            tuple(template) if isinstance(template, list) else template,
            fix=item.get("fix_template"),
            code=item["code"],
            params=item.get("params") or {},
        )
        words = said(error, lang)
        out["message"], out["fix"] = words["message"], words["fix"]
    tr = translator(lang)
    for key in ("record", "resource", "field"):  # "row 5", "(file)" in the reader's words
        if key in out:
            out[key] = place(tr, out[key])
    if item.get("severity") == "error":
        out["severity"] = tr.pgettext("import issue", "error")
    else:
        out["severity"] = tr.pgettext("import issue", "warning")
    return out


def report_rows(report: KeptReport, lang: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The CSV rows and columns of a stored report."""
    columns = PATIENT_COLUMNS if report.kind == PATIENTS else TRIAL_COLUMNS
    rows = [{k: item_words(i, lang).get(k) or "" for k in columns} for i in report.items]
    return rows, columns


__all__ = ["PATIENT_COLUMNS", "TRIAL_COLUMNS", "item_words", "report_rows"]
