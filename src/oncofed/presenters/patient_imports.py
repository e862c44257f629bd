"""A patient import's issues in the reader's language (`oncofed --lang fr import patients`, its CSV
and JSON): an issue with a code (ingest/patients/common.py `Issue`) is said with the catalogue's words,
any other keeps the importer's English."""

from __future__ import annotations

import json
from typing import Any

from oncofed.errors import InputError
from oncofed.ingest.patients.common import Issue
from oncofed.presenters.errors import said
from oncofed.presenters.i18n import translator
from oncofed.presenters.places import place
from oncofed.services.patients.records import ImportReport


def issue_words(issue: Issue, lang: str) -> dict[str, Any]:
    """The issue as `Issue.as_dict` gives it, with `reason` and `fix` in `lang` and its `params`."""
    tr = translator(lang)
    out: dict[str, Any] = issue.as_dict() | {"params": dict(issue.params)}
    for key in ("record", "resource", "field"):  # "row 5", "(file)" in the reader's words
        out[key] = place(tr, out.get(key))
    if issue.code:
        error = InputError(issue.template, fix=issue.fix_template, code=issue.code, params=issue.params)
        words = said(error, lang)
        out["reason"], out["fix"] = words["message"], words["fix"]
    return out


def issue_line(issue: Issue, lang: str) -> str:
    """`error: file:record:resource:field : reason — fix` in `lang`."""
    tr = translator(lang)
    words = issue_words(issue, lang)
    where = ":".join(str(words[k]) for k in ("file", "record", "resource", "field") if words[k])
    if issue.severity == "error":
        severity = tr.pgettext("import issue", "error")
    else:
        severity = tr.pgettext("import issue", "warning")
    return f"{severity}{tr.colon()}{where}{tr.colon()}{words['reason']} — {words['fix']}"


def import_result(report: ImportReport, lang: str) -> dict[str, Any]:
    """The report as the import page and `POST /api/patients/import` give it: the counts, a summary
    sentence, and every issue in `lang` (`rejected_records`: errors; `warning_records`: records kept
    with something dropped or assumed)."""
    tr = translator(lang)
    issues = [issue_words(i, lang) | {"line": issue_line(i, lang)} for i in report.issues]
    counts = {
        "imported": tr.number(report.imported),
        "updated": tr.number(report.updated),
        "rejected": tr.number(report.rejected),
    }
    warnings = tr.ngettext(
        "%(num)s warning", "%(num)s warnings", report.warnings, num=tr.number(report.warnings)
    )
    files = tr.ngettext("%(num)s file", "%(num)s files", report.files, num=tr.number(report.files))
    summary = tr.gettext(
        "%(imported)s imported, %(updated)s updated, %(rejected)s rejected, %(warnings)s (%(files)s)",
        warnings=warnings,
        files=files,
        **counts,
    )
    refused = [
        tr.gettext(
            'Nothing imported from %(file)s: a record was rejected. Correct it, or tick "Keep the valid records".',
            file=name,
        )
        for name in report.files_refused
    ]
    return report.as_dict() | {
        "summary": summary,
        "issues": issues,
        "rejected_records": [i for i in issues if i["severity"] == "error"],
        "warning_records": [i for i in issues if i["severity"] != "error"],
        "refused": refused,
    }


def report_json(report: ImportReport, lang: str) -> str:
    data = report.as_dict()
    data["issues"] = [issue_words(i, lang) for i in report.issues]
    return json.dumps(data, ensure_ascii=False, indent=2)


__all__ = ["import_result", "issue_line", "issue_words", "report_json"]
