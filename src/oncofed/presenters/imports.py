"""A trial import's report in the reader's language (the import page, the API's JSON, `oncofed --lang`).

Each rejected record keeps its file, record and field as written in the file; its reason and fix are
said with the catalogue's words when the importer gave them a code (`ingest/errors.py`), else in the
importer's English. The report's own sentences ("nothing imported from this file ...") are gettext's."""

from __future__ import annotations

from typing import Any

from oncofed.ingest.trials import Rejection
from oncofed.presenters.errors import said
from oncofed.presenters.i18n import translator
from oncofed.presenters.places import place
from oncofed.services.trials.importing import FileReport, ImportReport

REJECTION_COLUMNS = ["file", "record", "field", "code", "message", "fix"]


def rejection_words(rejection: Rejection, lang: str) -> dict[str, Any]:
    """`{"file", "record", "field", "code", "params", "message", "fix"}` of one rejected record."""
    tr = translator(lang)
    out: dict[str, Any] = {
        "file": rejection.file,
        "record": place(tr, rejection.record),
        "field": place(tr, rejection.field),
    }
    if rejection.error is None:
        return out | {"code": None, "params": {}, "message": rejection.reason, "fix": None}
    words = said(rejection.error.as_input_error(rejection.file, rejection.record), lang)
    return out | {k: words[k] for k in ("code", "params", "message", "fix")}


def rejection_line(words: dict[str, Any], lang: str) -> str:
    """`file:record:field : reason — fix` (a French colon in French)."""
    where = ":".join(str(words[k]) for k in ("file", "record", "field") if words.get(k))
    text = f"{where}{translator(lang).colon()}{words['message']}"
    return f"{text} — {words['fix']}" if words.get("fix") else text


def _file_json(f: FileReport, lang: str) -> dict[str, Any]:
    tr = translator(lang)
    rejected = [rejection_words(r, lang) for r in f.rejected]
    return {
        "path": f.path,
        "format": f.format,
        "imported": f.imported,
        "updated": f.updated,
        "unchanged": f.unchanged,
        "rejected": [rejection_line(w, lang) for w in rejected],
        "rejected_records": rejected,
        "skipped": f.skipped,
        "skipped_records": f.skipped_records,
        "warnings": f.warnings,
        "rolled_back": f.rolled_back,
        "outcome": tr.gettext(
            "Nothing imported from this file: a record was rejected. Correct it, or import with --partial."
        )
        if f.rolled_back
        else "",
    }


def import_json(report: ImportReport, lang: str) -> dict[str, Any]:
    """The report as the API and `oncofed --lang LANG import trials --json` give it."""
    files = [_file_json(f, lang) for f in report.files]
    records = [w for f in files for w in f["rejected_records"]]
    return {
        "imported": report.total("imported"),
        "updated": report.total("updated"),
        "unchanged": report.total("unchanged"),
        "rejected": report.total("rejected"),
        "rejections": [rejection_line(w, lang) for w in records],
        "rejected_records": records,
        "criteria_parsed": report.parsed,
        "summary": summary(report, lang),
        "files": files,
    }


def summary(report: ImportReport, lang: str) -> str:
    tr = translator(lang)
    counts = {k: tr.number(report.total(k)) for k in ("imported", "updated", "unchanged", "rejected")}
    files = tr.ngettext("%(num)s file", "%(num)s files", len(report.files), num=tr.number(len(report.files)))
    return tr.gettext(
        "%(imported)s imported, %(updated)s updated, %(unchanged)s unchanged, %(rejected)s rejected (%(files)s)",
        files=files,
        **counts,
    )


def rejection_rows(report: ImportReport, lang: str) -> list[dict[str, Any]]:
    """One CSV row per rejected record (REJECTION_COLUMNS), in the reader's language."""
    return [{k: rejection_words(r, lang).get(k) or "" for k in REJECTION_COLUMNS} for r in report.rejections]


__all__ = [
    "REJECTION_COLUMNS",
    "import_json",
    "rejection_line",
    "rejection_rows",
    "rejection_words",
    "summary",
]
