"""Attacks of a signed-in patient on everyone else's data: the engine of tests/test_patient_isolation.py
and of benchmarks/bench_trust_attacks.py (`--patients`, the figure docs/SECURITY.md states).

The patient (role `patient`, bound to one record of the home centre) tries:
1. every route of the live app (OpenAPI operations and HTML pages), with another centre's patient,
   centre and trial ids in the path;
2. the same with another patient of their OWN centre (the neighbour a centre-scoped role would reach);
3. every route of their own space with the neighbour's id slipped into the query string and the body
   (`patient_id`, `id`, `patient`), the way a tampered form or script would;
4. the record API of every patient of the network, one id after the other (enumeration).
Counted: requests, refusals, own-space answers, server errors, responses showing any other patient's
id, and other patients' records changed (objection flag, contact requests)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.models import PatientRow
from oncofed.store.models_patient_space import ContactRequestRow
from oncofed.web.patient_fence import in_own_space
from tests.route_matrix import HOME, PATIENT_ID, Route, World, client_for, live_routes, request


@dataclass
class AttackReport:
    requests: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    leaks: list[str] = field(default_factory=list)  # "METHOD path (attack): ids"
    errors: list[str] = field(default_factory=list)
    served_outside: list[str] = field(default_factory=list)  # a 2xx outside the own space
    others_changed: int = 0
    routes: int = 0
    own_space_routes: int = 0


def patient_actor(world: World) -> Actor:
    return Actor("pat-home", Role.PATIENT, frozenset({HOME}), "own access", patient_id=world.own_patient)


def neighbour(world: World) -> str:
    """Another patient of the patient's own centre (not the objector: both are probed anyway)."""
    return next(p for p in sorted(world.ids_by_centre[HOME]) if p not in (world.own_patient, world.objector))


def _others_state(db: Database, own: str) -> tuple[int, int]:
    with db.session() as s:
        objecting = s.scalar(
            select(func.count())
            .select_from(PatientRow)
            .where(PatientRow.research_objection, PatientRow.id != own)
        )
        asked = s.scalar(
            select(func.count()).select_from(ContactRequestRow).where(ContactRequestRow.patient_id != own)
        )
    return int(objecting or 0), int(asked or 0)


def _label(status: int) -> str:
    if status in (401, 403) or status == 303:
        return "refused"
    return {404: "not found", 405: "n/a", 400: "invalid", 422: "invalid"}.get(
        status, "ok" if status < 300 else str(status)
    )


def run(world: World, *, enumerate_all: bool = True) -> AttackReport:
    actor = patient_actor(world)
    client: TestClient = client_for(world.db, actor)
    own, other_home = world.own_patient, neighbour(world)
    forbidden = world.all_ids - {own}
    before = _others_state(world.db, own)
    report = AttackReport()
    routes = live_routes(client_for(world.db, Actor.public()))
    report.routes = len(routes)

    def probe(route: Route, params: dict[str, str], attack: str, query: dict[str, str] | None = None,
              body: dict[str, str] | None = None) -> None:  # fmt: skip
        path = route.path.format(**params)
        if body is not None and route.method not in ("GET", "HEAD"):
            response = (
                client.request(route.method, path, json=body, params=query)
                if route.in_schema
                else client.request(route.method, path, data=body, params=query)
            )
        else:
            response = request(client, route, params, query)
        report.requests += 1
        report.outcomes[_label(response.status_code)] += 1
        # an id the attacker sent, echoed back ("no page at /patients/X"), tells nothing new (as route_matrix)
        sent = {*params.values(), *(query or {}).values(), *(body or {}).values()}
        shown = {m for m in PATIENT_ID.findall(response.text) if m in forbidden and m not in sent}
        if shown:
            report.leaks.append(f"{route.method} {route.path} ({attack}): {sorted(shown)[:3]}")
        if response.status_code >= 500:
            report.errors.append(f"{route.method} {route.path} ({attack}): {response.status_code}")
        if 200 <= response.status_code < 300 and not in_own_space(route.path):
            report.served_outside.append(f"{route.method} {route.path} ({attack}): {response.status_code}")

    for route in routes:
        own_space = in_own_space(route.path)
        report.own_space_routes += own_space
        probe(route, world.params(route.path, own=False), "other centre's ids")
        home = {**world.params(route.path, own=True), "patient_id": other_home}
        probe(route, home, "own centre's other patient")
        if own_space:
            slipped = {"patient_id": other_home, "id": other_home, "patient": other_home}
            probe(route, home, "ids slipped into query and body", query=slipped,
                  body={**slipped, "objecting": "yes", "message": "x"})  # fmt: skip
    if enumerate_all:
        for pid in sorted(forbidden):
            probe(Route("GET", "/api/patients/{patient_id}", True), {"patient_id": pid}, "enumeration")
    after = _others_state(world.db, own)
    report.others_changed = sum(abs(a - b) for a, b in zip(after, before, strict=True))
    return report
