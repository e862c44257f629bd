"""Every route of the live app tried as every role: the engine of tests/test_route_roles.py and of
benchmarks/bench_trust.py (which writes the outcome table into docs/SECURITY.md).

Routes come from the live OpenAPI schema (`/api/openapi.json`) plus the app's HTML routes (not in
the schema). Each route is classified by its path prefix in `PREFIX_CLASSES`; a route no prefix
covers is reported as unclassified and fails the test, so a new route cannot skip the check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.models import PatientRow, TrialSiteRow
from oncofed.store.models_trust import AuditRow
from oncofed.web.app import create_app
from tests.conftest import copy_sqlite

PATIENT = "patient-level"  # patients, their matches, pre-screening lists, notes: centre-scoped roles only
PUBLIC = "public"  # trials, quality, centres: readable by everyone
STAFF = "staff aggregates"  # recruitment figures: any logged-in role, never patient rows
AUDIT = "audit (DPO)"
FEASIBILITY = "feasibility (trial managers)"
SESSION = "session"  # log in / log out / who am I
HR = "federation HR"  # pay grid, staff records, costing: federation and centre HR only (issue 21)
OWN = "patient's own space"  # /me, /api/me/...: the patient role only (tests/test_patient_isolation.py)
ACCOUNTS = "accounts (administrator)"  # /admin/accounts: every account, the administrator only

# (prefix, class): first match wins; "/x" covers "/x" and "/x/...". Add new areas here.
PREFIX_CLASSES: list[tuple[str, str]] = [
    ("/me", OWN),
    ("/api/me", OWN),  # "/api/me" itself (who am I) is a session route: EXACT_CLASSES
    ("/api/boards/screen-failures", STAFF),  # tumour boards: counts per trial and reason, no patient
    ("/boards/screen-failures", STAFF),
    ("/api/boards", PATIENT),
    ("/boards", PATIENT),
    ("/api/patients", PATIENT),
    ("/patients", PATIENT),
    ("/api/prescreen", PATIENT),
    ("/prescreen", PATIENT),
    ("/api/matches", PATIENT),
    ("/matches", PATIENT),
    ("/api/screening", PATIENT),
    ("/screening", PATIENT),
    ("/api/notes", PATIENT),
    ("/notes", PATIENT),
    ("/api/audit", AUDIT),
    ("/audit", AUDIT),
    ("/api/account", STAFF),  # one's own password: any signed-in staff role (a patient: /me/password)
    ("/account", STAFF),
    ("/api/admin/accounts", ACCOUNTS),
    ("/admin/accounts", ACCOUNTS),
    ("/api/operations", AUDIT),  # installation checks: administrator and DPO (issue 22)
    ("/operations", AUDIT),
    ("/api/trial-setup", FEASIBILITY),  # opening trials at centres: trial managers (issue 18)
    ("/trial-setup", FEASIBILITY),
    ("/api/feasibility", FEASIBILITY),
    ("/feasibility", FEASIBILITY),
    ("/api/recruitment", STAFF),
    ("/recruitment", STAFF),
    ("/api/trials/import", FEASIBILITY),  # importing trial files: trial managers and administrators
    ("/trials/import", FEASIBILITY),
    ("/api/trials", PUBLIC),
    ("/trials", PUBLIC),
    ("/api/criteria", PUBLIC),
    ("/api/quality", PUBLIC),
    ("/quality", PUBLIC),
    ("/api/centres", PUBLIC),
    ("/centres", PUBLIC),
    ("/api/health", PUBLIC),
    ("/api/openapi.json", PUBLIC),
    ("/docs", PUBLIC),
    ("/login", SESSION),
    ("/logout", SESSION),
    ("/api/federation", HR),
    ("/federation", HR),
    ("/api/research/portfolio", STAFF),  # the sponsor's trials: sites, milestones, counts (issue 20)
    ("/research/portfolio", STAFF),
    ("/api/research/affiliations", STAFF),  # the affiliation review queue (bibliographic, no patient)
    ("/research/affiliations", STAFF),
    ("/api/research", PUBLIC),  # inclusion rate per centre, publications: public aggregates
    ("/research", PUBLIC),
    ("/api/sustainability", PUBLIC),
    ("/sustainability", PUBLIC),
]
EXACT_CLASSES = {"/": PUBLIC, "/favicon.ico": PUBLIC, "/api/me": SESSION, "/api/me/home": SESSION}
# Who may use a gated class (others are refused: 401/403, or a redirect to /login for pages).
GATED = {
    AUDIT: {Role.DPO, Role.ADMIN},
    FEASIBILITY: {Role.TRIAL_MANAGER, Role.ADMIN},
    HR: {Role.FEDERATION_HR, Role.CENTRE_HR},
    OWN: {Role.PATIENT},
    ACCOUNTS: {Role.ADMIN},
}
SAFE = {"GET", "HEAD"}
# Known exposures found by this matrix, owned by another area and reported there (docs/SECURITY.md,
# "Open findings"). Listed so the suite stays usable while they are fixed; any exposure not listed
# fails the test. Remove an entry once fixed (benchmarks/bench_trust.py reports whether each is still open).
OPEN_FINDINGS: dict[tuple[str, str], str] = {}  # F1 (quality rejects) fixed: enforced again

HOME, OTHER = "curie", "gustave-roussy"
ROLES: dict[str, Actor] = {
    "public": Actor.public(),
    "clinician": Actor("claire", Role.CLINICIAN, frozenset({HOME}), "care"),
    "research_staff": Actor("rose", Role.RESEARCH_STAFF, frozenset({HOME}), "research"),
    "trial_manager": Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility"),
    "quality_manager": Actor("quinn", Role.QUALITY_MANAGER, purpose="quality"),
    "dpo": Actor("dora", Role.DPO, purpose="audit"),
    "admin": Actor("ada", Role.ADMIN, purpose="administration"),
    "federation_hr": Actor("fiona", Role.FEDERATION_HR, purpose="human resources"),
    "centre_hr": Actor("henri", Role.CENTRE_HR, frozenset({HOME}), "human resources"),
    # bound to one home-centre record by `actor_for` (the world's `own_patient`); default deny elsewhere
    "patient": Actor("pat-home", Role.PATIENT, frozenset({HOME}), "own access"),
}
PATIENT_ID = re.compile(r"[a-z][a-z0-9-]*-\d{6}")


def classify(path: str) -> str | None:
    if path in EXACT_CLASSES:
        return EXACT_CLASSES[path]
    for prefix, cls in PREFIX_CLASSES:
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "."):
            return cls
    return None


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    in_schema: bool

    @property
    def cls(self) -> str | None:
        return classify(self.path)


def live_routes(client: TestClient) -> list[Route]:
    """The OpenAPI schema's operations plus the app's routes left out of the schema (HTML pages)."""
    schema = client.get("/api/openapi.json").json()
    out = {
        Route(method.upper(), path, True)
        for path, ops in schema["paths"].items()
        for method in ops
        if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE")
    }
    for rc in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = rc.original_route
        if isinstance(route, APIRoute):
            for m in route.methods:
                if m in ("GET", "POST", "PUT", "PATCH", "DELETE") and Route(m, str(rc.path), True) not in out:
                    out.add(Route(m, str(rc.path), False))
    return sorted(out, key=lambda r: (r.path, r.method))


@dataclass
class World:
    """A copy of the demo network with known probes: ids of the home centre and of another one."""

    db: Database
    ids_by_centre: dict[str, set[str]]
    objector: str  # a home-centre patient who objects to research use
    own_patient: str
    other_patient: str
    trial_at_both: str
    all_ids: set[str] = field(default_factory=set)

    def params(self, path: str, *, own: bool) -> dict[str, str]:
        values = {
            "patient_id": self.own_patient if own else self.other_patient,
            "centre_id": HOME if own else OTHER,
            "trial_id": self.trial_at_both,
        }
        return {name: values.get(name, "x") for name in re.findall(r"{(\w+)}", path)}

    def audit_rows(self) -> int:
        with self.db.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(AuditRow)) or 0)


def make_world(demo_db: Database, folder: Path) -> World:
    target = folder / "matrix.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    with db.session() as s:
        rows = s.execute(select(PatientRow.id, PatientRow.centre_id).order_by(PatientRow.id)).all()
        ids: dict[str, set[str]] = {}
        for pid, cid in rows:
            ids.setdefault(cid, set()).add(pid)
        home, other = sorted(ids[HOME]), sorted(ids[OTHER])
        objector = home[1]
        s.execute(update(PatientRow).where(PatientRow.id == objector).values(research_objection=True))
        s.execute(update(PatientRow).where(PatientRow.id == home[0]).values(research_objection=False))
        at_home = set(s.scalars(select(TrialSiteRow.trial_id).where(TrialSiteRow.centre_id == HOME)))
        at_other = set(s.scalars(select(TrialSiteRow.trial_id).where(TrialSiteRow.centre_id == OTHER)))
    both = sorted(at_home & at_other) or sorted(at_home)
    return World(db, ids, objector, home[0], other[0], both[0], {pid for pid, _ in rows})


def actor_for(world: World, role: str) -> Actor:
    """The actor of `role` in `world`: the patient is bound to the world's `own_patient`."""
    actor = ROLES[role]
    return replace(actor, patient_id=world.own_patient) if actor.role is Role.PATIENT else actor


def client_for(db: Database, actor: Actor) -> TestClient:
    app = create_app(db)
    app.state.actor_resolver = lambda request: actor
    return TestClient(app, follow_redirects=False, raise_server_exceptions=False)


@dataclass
class Outcome:
    route: Route
    role: str
    status: int
    leaked: list[str]
    audited: bool | None = None  # for patient-level reads that succeeded: did they write an audit row?
    probe: str = "other centre"

    @property
    def label(self) -> str:
        if self.status in (401, 403) or (self.status == 303 and self.route.method in SAFE):
            return "denied"
        if self.status == 404:
            return "not found"
        if self.status == 422 or self.status == 400:
            return "invalid"
        if self.status == 405:
            return "n/a"
        if 200 <= self.status < 400:
            return "ok"
        return f"error {self.status}"


def forbidden_ids(world: World, role: str, cls: str | None) -> set[str]:
    actor = ROLES[role]
    if cls == AUDIT and actor.role in GATED[AUDIT]:
        return set()  # the DPO's job is to see who read which record
    if actor.role is Role.PATIENT:
        return world.all_ids - {world.own_patient}  # their own record only
    if actor.role in (Role.CLINICIAN, Role.RESEARCH_STAFF):
        allowed = set(world.ids_by_centre.get(HOME, set()))
        if actor.role is Role.RESEARCH_STAFF:
            allowed.discard(world.objector)
        return world.all_ids - allowed
    return world.all_ids


def request(
    client: TestClient, route: Route, params: dict[str, str], query: dict[str, str] | None = None
) -> Any:
    path = route.path.format(**params)
    headers = {"accept": "text/html" if not route.in_schema else "application/json"}
    if route.method in SAFE:
        return client.request(route.method, path, headers=headers, params=query)
    if route.in_schema:
        return client.request(route.method, path, headers=headers, json={})
    return client.request(route.method, path, headers=headers, data={})


def run_matrix(world: World) -> Iterator[Outcome]:
    """Every route as every role, probing another centre's ids; and, for centre-scoped roles on
    patient-level reads, the home centre's ids too (positive control + audit coverage). The patient
    gets that second probe with their own record's id: staff routes refuse them even their own record."""
    clients = {name: client_for(world.db, actor_for(world, name)) for name in ROLES}
    routes = live_routes(clients["public"])
    for route in routes:
        for name, client in clients.items():
            params = world.params(route.path, own=False)
            response = request(client, route, params)
            # an id the caller sent is echoed in "no patient X in your centres": that tells nothing new
            found = set(PATIENT_ID.findall(response.text)) & forbidden_ids(world, name, route.cls) - set(
                params.values()
            )
            yield Outcome(route, name, response.status_code, sorted(found)[:5])
            if (
                route.cls == PATIENT
                and route.method in SAFE
                and ROLES[name].role in (Role.CLINICIAN, Role.RESEARCH_STAFF, Role.PATIENT)
            ):
                before = world.audit_rows()
                response = request(client, route, world.params(route.path, own=True))
                found = set(PATIENT_ID.findall(response.text)) & forbidden_ids(world, name, route.cls)
                touches_patient = "{patient_id}" in route.path or bool(set(PATIENT_ID.findall(response.text)))
                audited = (
                    world.audit_rows() > before if (response.status_code == 200 and touches_patient) else None
                )
                yield Outcome(
                    route, name, response.status_code, sorted(found)[:5], audited, probe="own centre"
                )


def outcome_table(outcomes: list[Outcome]) -> list[tuple[str, str, str, dict[str, str]]]:
    """(class, method, path, {role: cell}); a cell is the other-centre probe's outcome, followed by
    the own-centre probe's ("not found / ok") for centre-scoped roles on patient-level reads."""
    table: dict[tuple[str, str, str], dict[str, str]] = {}
    for o in outcomes:
        row = table.setdefault((o.route.cls or "?", o.route.method, o.route.path), {})
        row[o.role] = o.label if o.probe == "other centre" else f"{row.get(o.role, '')} / {o.label}"
    order = {
        cls: i
        for i, cls in enumerate([PATIENT, OWN, AUDIT, ACCOUNTS, FEASIBILITY, HR, STAFF, PUBLIC, SESSION])
    }
    return sorted(
        ((c, m, p, r) for (c, m, p), r in table.items()), key=lambda x: (order.get(x[0], 99), x[2], x[1])
    )


def markdown_table(outcomes: list[Outcome]) -> str:
    roles = list(ROLES)
    lines = [
        "| class | route | " + " | ".join(r.replace("_", " ") for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for cls, method, path, row in outcome_table(outcomes):
        flag = " (F1)" if (method, path) in OPEN_FINDINGS else ""
        lines.append(
            f"| {cls} | `{method} {path}`{flag} | " + " | ".join(row.get(r, "") for r in roles) + " |"
        )
    return "\n".join(lines)
