"""Feasibility for trial managers: page, JSON (GET ?trial= or POST criteria) and CSV. Every question
spends privacy budget (a repeat of today's question excepted): refused with 429 once spent or locked
out. The page counts only on POST; its GET shows the form and the budget left."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from oncofed.criteria.feasibility_spec import parse_spec
from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError
from oncofed.ingest.feasibility_spec import parse_text
from oncofed.services.feasibility import budget, disclosure
from oncofed.services.feasibility.counts import (
    CSV_COLUMNS,
    BudgetExceeded,
    FeasibilityResult,
    Question,
    run_feasibility,
    trial_question,
)
from oncofed.store.db import Database
from oncofed.store.repositories import TrialRepository
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db
from oncofed.web.templating import render

router = APIRouter()
ROLES = (Role.TRIAL_MANAGER, Role.ADMIN)
EXAMPLE = """name: Advanced breast cancer, fit, HER2 not positive
inclusion:
  - age: ">= 18"
  - cancer_type: [BRCA]
  - stage: [III, IV]
  - ecog: "<= 1"
exclusion:
  - biomarker: {gene: HER2, value: positive}
"""


class FeasibilityRequest(BaseModel):
    trial_id: str | None = Field(
        None, max_length=64, description="A trial id: its registry fields and parsed criteria."
    )
    criteria: dict[str, Any] | None = Field(
        None,
        description="A criteria document (name, inclusion, exclusion), see criteria/feasibility_spec.py.",
    )


def _run(db: Database, actor: Actor, question: Question) -> FeasibilityResult:
    try:
        return run_feasibility(db, actor, question)
    except BudgetExceeded as exc:
        raise HTTPException(429, str(exc)) from exc


@router.get(
    "/api/feasibility", tags=["feasibility"], summary="Counts per centre for a trial (trial managers)"
)
def api_feasibility_trial(
    trial: str = Query(..., max_length=64),
    format: str = Query("json", pattern="^(json|csv)$"),
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*ROLES)),
) -> Any:
    result = _run(db, actor, trial_question(db, trial))
    if format == "csv":
        return csv_response(result.csv_rows(), CSV_COLUMNS, f"feasibility-{trial}.csv")
    return result.as_json()


@router.post(
    "/api/feasibility", tags=["feasibility"], summary="Counts per centre for a trial or a criteria document"
)
def api_feasibility(
    request_body: FeasibilityRequest = Body(...),
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*ROLES)),
) -> dict[str, Any]:
    if (request_body.trial_id is None) == (request_body.criteria is None):
        raise InputError(
            N_("give either trial_id or criteria"), field="body", fix=N_("for example %(example)s"),
            code="feasibility.no_question", params={"example": '{"trial_id": "DEMO-0001"}'},
        )  # fmt: skip
    if request_body.trial_id:
        question = trial_question(db, request_body.trial_id)
    else:
        question = Question(*parse_spec(request_body.criteria, "request body"))
    return _run(db, actor, question).as_json()


def _page(
    request: Request, db: Database, actor: Actor, trial: str | None, spec: str | None, *, run: bool
) -> HTMLResponse:
    """The form, and with `run` (a POST: a question spends privacy budget) the answer."""
    with db.session() as s:
        trials = [(t.id, t.title) for t in TrialRepository(s).list()]
    result, error, status = None, None, 200
    try:
        if run and spec and spec.strip():
            result = run_feasibility(db, actor, Question(*parse_text(spec, "criteria")))
        elif run and trial:
            result = run_feasibility(db, actor, trial_question(db, trial))
    except BudgetExceeded as exc:
        error, status = str(exc), 429
    except InputError as exc:
        error, status = str(exc), 422
    policy = disclosure.policy()
    left = result.budget_state if result is not None else None
    if left is None and not actor.is_internal_job:
        left = budget.state(db, actor.user_id, policy)
    return render(
        request,
        "feasibility.html",
        status_code=status,
        actor=actor,
        trials=trials,
        trial=trial or "",
        spec=spec or EXAMPLE,
        result=result.as_json() if result else None,
        error=error,
        policy=policy.as_json(),
        budget=left.as_json() if left is not None else None,
    )


@router.get("/feasibility", response_class=HTMLResponse, include_in_schema=False)
def feasibility_page(
    request: Request,
    trial: str | None = Query(None, max_length=64),
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*ROLES)),
) -> Response:
    """The form (a trial in `?trial=` is preselected, not counted: a GET spends no budget)."""
    return _page(request, db, actor, trial, None, run=False)


@router.post("/feasibility", response_class=HTMLResponse, include_in_schema=False)
async def feasibility_form(
    request: Request,
    trial: str = Form("", max_length=64),
    spec: str = Form("", max_length=20_000),
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*ROLES)),
) -> Response:
    return await run_in_threadpool(_page, request, db, actor, trial or None, spec or None, run=True)
