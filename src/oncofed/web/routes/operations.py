"""The installation's health for the administrator and the DPO (issue 22): schema, audit chain, last
backup, connection pool. Page `/operations`, JSON `/api/operations` (CSV with `format=csv`);
`oncofed backup` records the last backup that both show."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from oncofed.domain import Actor, Role
from oncofed.services.operations.status import operations_status
from oncofed.store.db import Database
from oncofed.web.auth import require_roles
from oncofed.web.csv_export import csv_response
from oncofed.web.deps import get_db
from oncofed.web.templating import render

router = APIRouter()
OPERATIONS_ROLES = (Role.ADMIN, Role.DPO)
CHECK_COLUMNS = ["check", "status", "value", "detail"]


@router.get(
    "/api/operations",
    tags=["operations"],
    summary="Installation checks: schema, audit chain, last backup, pool (administrator, DPO)",
)
def api_operations(
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*OPERATIONS_ROLES)),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Any:
    status = operations_status(db)
    if format == "csv":
        return csv_response(status["checks"], CHECK_COLUMNS, "operations.csv")
    return status


@router.get("/operations", response_class=HTMLResponse, include_in_schema=False)
def operations_page(
    request: Request,
    db: Database = Depends(get_db),
    actor: Actor = Depends(require_roles(*OPERATIONS_ROLES)),
) -> Response:
    return render(request, "operations.html", actor=actor, status=operations_status(db))
