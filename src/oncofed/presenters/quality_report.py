"""A centre's printable quality report: every indicator with the centre's figure beside the network's, the
charter evidence and the EPiHC self-assessment. The web page and `oncofed quality report` render it."""

from __future__ import annotations

from typing import Any

from oncofed.errors import NotFound
from oncofed.presenters.documents import render_document
from oncofed.presenters.i18n import translator
from oncofed.presenters.quality import centre_names, result_json
from oncofed.services.quality.charter import assessments, centre_evidence
from oncofed.services.quality.indicators import compute_over_store
from oncofed.store.db import Database


def centre_report(db: Database, centre_id: str, *, fix: str = "see /quality") -> dict[str, Any]:
    """The report's content for `centre_id` (NotFound for an unknown centre)."""
    names = centre_names(db)
    if centre_id not in names:
        raise NotFound(f"no centre {centre_id!r}", fix=fix)
    run = compute_over_store(db)
    items = []
    for r in run.results:
        data = result_json(r, names)
        fig = next((c for c in data["centres"] if c["centre_id"] == centre_id), None)
        items.append({"r": r, "data": data, "fig": fig})
    return {
        "centre_id": centre_id,
        "names": names,
        "run": run,
        "items": items,
        "evidence": centre_evidence(run, centre_id),
        "epihc_rows": assessments(db, centre_id),
    }


def centre_report_document(db: Database, centre_id: str, lang: str, *, fix: str = "see /quality") -> str:
    """The report as a standalone HTML document (styles inlined): prints well, opens offline."""
    content = centre_report(db, centre_id, fix=fix)
    report = translator(lang).gettext("Quality report")
    title = f"{report} · {content['names'][centre_id]}"
    return render_document("quality_report_body.html", lang, title, **content)
