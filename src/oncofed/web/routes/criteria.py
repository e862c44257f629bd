"""Parsed eligibility criteria: a trial's criteria page, its JSON twin, and the parse endpoint."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from oncofed.criteria import parse_eligibility
from oncofed.criteria.serialize import criterion_json
from oncofed.domain.criteria import Criterion
from oncofed.services.trials.criteria import criteria_of_text
from oncofed.store.db import Database
from oncofed.store.models import TrialRow
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db
from oncofed.web.templating import render

router = APIRouter()
MAX_PARSE_CHARS = 1_000_000
COLUMNS = ["index", "section", "parent_index", "text", "atoms"]


def highlighted(c: Criterion) -> Markup:
    """The criterion text with each atom span wrapped in <mark> (HTML-escaped, non-overlapping)."""
    spans = sorted({a.span for a in c.atoms if a.span and a.span[1] > a.span[0]})
    out, cursor = [], 0
    for s, e in spans:
        if s < cursor:
            continue
        kinds = " ".join(sorted({a.kind for a in c.atoms if a.span == (s, e)}))
        out.append(escape(c.text[cursor:s]))
        out.append(Markup('<mark class="atom" title="{}">{}</mark>').format(kinds, c.text[s:e]))
        cursor = e
    out.append(escape(c.text[cursor:]))
    return Markup("").join(out)


def _trial_criteria(db: Database, trial_id: str) -> tuple[TrialRow, list[Criterion]]:
    with db.session() as session:
        row = session.get(TrialRow, trial_id)
        if row is None:
            raise HTTPException(404, f"no trial {trial_id}")
        session.expunge(row)
    criteria = criteria_of_text(row.eligibility_text or "", db)
    return row, criteria


@router.post("/api/criteria/parse", tags=["criteria"], summary="Parse eligibility text into typed atoms")
def api_parse(
    payload: dict[str, Any] = Body(..., examples=[{"text": "Inclusion Criteria:\n* ECOG 0-1"}]),
) -> Any:
    text = payload.get("text")
    if not isinstance(text, str):
        raise HTTPException(422, "body must be a JSON object with a 'text' string")
    if len(text) > MAX_PARSE_CHARS:
        raise HTTPException(413, f"text longer than {MAX_PARSE_CHARS:,} characters: send one trial at a time")
    result = parse_eligibility(text)
    return {
        "parser_version": result.parser_version,
        "count": len(result.criteria),
        "warnings": result.warnings,
        "criteria": [criterion_json(c) for c in result.criteria],
    }


@router.get("/api/trials/{trial_id}/criteria", tags=["criteria"], summary="Parsed criteria of a stored trial")
def api_trial_criteria(
    trial_id: str, db: Database = Depends(get_db), format: str = Query("json", pattern="^(json|csv)$")
) -> Any:
    _, criteria = _trial_criteria(db, trial_id)
    items = [criterion_json(c) for c in criteria]
    if format == "csv":
        rows = [
            {
                **{k: c[k] for k in COLUMNS[:-1]},
                "atoms": "; ".join(f"{a['kind']}:{a['code'] or ''}" for a in c["atoms"]),
            }
            for c in items
        ]
        return csv_response(rows, COLUMNS, f"{trial_id}-criteria.csv")
    return {"trial_id": trial_id, "count": len(items), "criteria": items}


@router.get("/trials/{trial_id}/criteria", response_class=HTMLResponse, include_in_schema=False)
def trial_criteria_page(request: Request, trial_id: str, db: Database = Depends(get_db)) -> HTMLResponse:
    row, criteria = _trial_criteria(db, trial_id)
    return render(request, "criteria.html", trial=row, criteria=criteria, highlighted=highlighted)
