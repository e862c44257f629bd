"""Main navigation: entries appear only when their page exists in the app (areas land independently)."""

from __future__ import annotations

from fastapi import Request

from oncofed.domain import Actor

# (path, i18n key, roles that see it; empty = everyone). Order is the display order.
NAV_ENTRIES: list[tuple[str, str, frozenset[str]]] = [
    ("/trials", "nav_trials", frozenset()),
    ("/patients", "nav_patients", frozenset({"clinician", "research_staff", "admin"})),
    ("/prescreen", "nav_prescreen", frozenset({"research_staff", "clinician", "admin"})),
    ("/recruitment", "nav_recruitment", frozenset({"trial_manager", "research_staff", "admin"})),
    ("/feasibility", "nav_feasibility", frozenset({"trial_manager", "admin"})),
    ("/quality", "nav_quality", frozenset()),
    ("/audit", "nav_audit", frozenset({"dpo", "admin"})),
]


def nav_items(request: Request, actor: Actor | None) -> list[dict[str, str]]:
    paths = {getattr(r, "path", None) for r in request.app.routes}
    role = actor.role.value if actor else "public"
    return [
        {"href": path, "label": key}
        for path, key, roles in NAV_ENTRIES
        if path in paths and (not roles or role in roles)
    ]
