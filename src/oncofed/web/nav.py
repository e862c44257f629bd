"""Main navigation: entries appear only when their page exists in the app (areas land independently)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import iter_route_contexts

from oncofed.domain import Actor

# (path, i18n key, roles that see it; empty = everyone). Order is the display order.
NAV_ENTRIES: list[tuple[str, str, frozenset[str]]] = [
    ("/trials", "nav_trials", frozenset()),
    ("/patients", "nav_patients", frozenset({"clinician", "research_staff", "admin"})),
    ("/prescreen", "nav_prescreen", frozenset({"research_staff", "clinician", "admin"})),
    ("/boards", "nav_boards", frozenset({"clinician", "research_staff", "admin"})),
    ("/boards/screen-failures", "nav_board_failures", frozenset({"trial_manager"})),
    ("/recruitment", "nav_recruitment", frozenset({"trial_manager", "research_staff", "admin"})),
    ("/feasibility", "nav_feasibility", frozenset({"trial_manager", "admin"})),
    ("/quality", "nav_quality", frozenset()),
    ("/audit", "nav_audit", frozenset({"dpo", "admin"})),
    ("/operations", "nav_operations", frozenset({"dpo", "admin"})),
    ("/federation", "nav_federation", frozenset({"federation_hr", "centre_hr"})),
    ("/sustainability", "nav_sustainability", frozenset()),
    ("/research", "nav_research", frozenset()),
]


def app_paths(app: Any) -> set[str]:
    """Every route path of `app`, including routes of included routers (FastAPI >= 0.16x keeps those
    inside `_IncludedRouter` entries of `app.routes`, so `r.path` alone misses them)."""
    return {str(rc.path) for rc in iter_route_contexts(app.routes) if rc.path}


def nav_items(request: Request, actor: Actor | None) -> list[dict[str, str]]:
    paths = app_paths(request.app)
    role = actor.role.value if actor else "public"
    return [
        {"href": path, "label": key}
        for path, key, roles in NAV_ENTRIES
        if path in paths and (not roles or role in roles)
    ]
