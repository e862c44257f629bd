"""Main navigation: entries appear only when their page exists in the app (areas land independently)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.routing import iter_route_contexts

from oncofed.domain import Actor
from oncofed.presenters.i18n import N_

# (path, label (English, translated in base.html), roles that see it; empty = everyone). Order is the display order.
NAV_ENTRIES: list[tuple[str, str, frozenset[str]]] = [
    ("/trials", N_("Trials"), frozenset()),
    ("/patients", N_("Patients"), frozenset({"clinician", "research_staff", "admin"})),
    ("/prescreen", N_("Pre-screening"), frozenset({"research_staff", "clinician", "admin"})),
    ("/boards", N_("Tumour boards"), frozenset({"clinician", "research_staff", "admin"})),
    ("/boards/screen-failures", N_("Board screen failures"), frozenset({"trial_manager"})),
    ("/recruitment", N_("Recruitment"), frozenset({"trial_manager", "research_staff", "admin"})),
    ("/feasibility", N_("Feasibility"), frozenset({"trial_manager", "admin"})),
    ("/quality", N_("Quality"), frozenset()),
    ("/audit", N_("Audit"), frozenset({"dpo", "admin"})),
    ("/operations", N_("Operations"), frozenset({"dpo", "admin"})),
    ("/federation", N_("Pay grid & staff"), frozenset({"federation_hr", "centre_hr"})),
    ("/sustainability", N_("Carbon footprint"), frozenset()),
    ("/research", N_("Research"), frozenset()),
    ("/prescreen/requests", N_("Contact requests"), frozenset({"research_staff", "clinician"})),
    # patients' correction requests (RGPD art. 16): the clinicians who answer them (the count waiting is on
    # their landing page: a count in the menu was one more database session on every page, which
    # tests/test_match_sessions.py's budget of one unit of work a request refuses)
    ("/patients/corrections", N_("Correction requests"), frozenset({"clinician"})),
    ("/admin/accounts", N_("Accounts"), frozenset({"admin"})),
    # a patient's own space (docs/PATIENTS.md): the only entries a patient sees
    ("/me", N_("My space"), frozenset({"patient"})),
    ("/me/record", N_("My record"), frozenset({"patient"})),
    ("/me/access", N_("Who accessed it"), frozenset({"patient"})),
    ("/me/trials", N_("My trials"), frozenset({"patient"})),
    ("/me/objection", N_("Research use"), frozenset({"patient"})),
    ("/me/export", N_("Download"), frozenset({"patient"})),
]
OWN_SPACE_ROLES = frozenset({"patient"})  # roles that see their own entries only, never the public ones


def app_paths(app: Any) -> set[str]:
    """Every route path of `app`, including routes of included routers (FastAPI >= 0.16x keeps those
    inside `_IncludedRouter` entries of `app.routes`, so `r.path` alone misses them)."""
    return {str(rc.path) for rc in iter_route_contexts(app.routes) if rc.path}


def nav_items(request: Request, actor: Actor | None) -> list[dict[str, Any]]:
    paths = app_paths(request.app)
    role = actor.role.value if actor else "public"
    items: list[dict[str, Any]] = [
        {"href": path, "label": key}
        for path, key, roles in NAV_ENTRIES
        if path in paths and (role in roles or (not roles and role not in OWN_SPACE_ROLES))
    ]
    return items
