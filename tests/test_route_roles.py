"""THE route x role test: every route of the live app (OpenAPI schema + HTML pages), as every role,
probing another centre's patient and centre ids (issue 8). See tests/route_matrix.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncofed.domain import Role
from oncofed.store.db import Database
from oncofed.web.patient_fence import in_own_space
from tests.route_matrix import (
    GATED,
    OPEN_FINDINGS,
    OWN,
    PATIENT,
    PUBLIC,
    ROLES,
    SAFE,
    STAFF,
    Outcome,
    World,
    make_world,
    run_matrix,
)


@pytest.fixture(scope="module")
def world(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(demo_db, tmp_path_factory.mktemp("route-matrix"))


@pytest.fixture(scope="module")
def outcomes(world: World) -> list[Outcome]:
    return list(run_matrix(world))


def test_every_route_is_classified(outcomes: list[Outcome]) -> None:
    unclassified = sorted({f"{o.route.method} {o.route.path}" for o in outcomes if o.route.cls is None})
    assert not unclassified, (
        "routes without a privacy class: add their prefix to PREFIX_CLASSES in tests/route_matrix.py "
        f"(patient-level, public, staff aggregates, ...): {unclassified}"
    )
    paths = {o.route.path for o in outcomes}
    assert {"/api/patients/{patient_id}", "/patients/{patient_id}", "/api/audit", "/feasibility"} <= paths
    assert any(not o.route.in_schema for o in outcomes) and any(o.route.in_schema for o in outcomes)


def test_no_route_leaks_patient_ids_to_a_role_that_may_not_see_them(outcomes: list[Outcome]) -> None:
    leaks = [
        f"{o.route.method} {o.route.path} as {o.role} ({o.probe}): {o.leaked}"
        for o in outcomes
        if o.leaked and (o.route.method, o.route.path) not in OPEN_FINDINGS
    ]
    assert not leaks, leaks


def test_no_route_fails_with_a_server_error(outcomes: list[Outcome]) -> None:
    errors = [f"{o.route.method} {o.route.path} as {o.role}: {o.status}" for o in outcomes if o.status >= 500]
    assert not errors, errors


def test_other_centre_patient_ids_are_not_found_through_every_route(outcomes: list[Outcome]) -> None:
    wrong = [
        f"{o.route.method} {o.route.path} as {o.role}: {o.status}"
        for o in outcomes
        if o.probe == "other centre"
        and "{patient_id}" in o.route.path
        and ROLES[o.role].role in (Role.CLINICIAN, Role.RESEARCH_STAFF)
        and o.status not in (404, 405, 422)
    ]
    assert not wrong, f"another centre's patient must be 'not found' (never 403, never 200): {wrong}"
    other_centre = [
        f"{o.route.method} {o.route.path} as {o.role}: {o.status}"
        for o in outcomes
        if o.route.cls == PATIENT
        and o.probe == "other centre"
        and "{centre_id}" in o.route.path
        and o.route.method in SAFE
        and 200 <= o.status < 300
    ]
    assert not other_centre, f"another centre's patient lists must not be served: {other_centre}"


def test_roles_without_patient_scope_never_get_patient_data(outcomes: list[Outcome]) -> None:
    served = [
        f"{o.route.method} {o.route.path} as {o.role}: {o.status}"
        for o in outcomes
        if o.route.cls == PATIENT
        and "{patient_id}" in o.route.path
        and ROLES[o.role].role not in (Role.CLINICIAN, Role.RESEARCH_STAFF)
        and 200 <= o.status < 300
    ]
    assert not served, served


def test_own_centre_patients_are_served_and_every_read_is_audited(outcomes: list[Outcome]) -> None:
    own = [o for o in outcomes if o.probe == "own centre" and "{patient_id}" in o.route.path]
    clinician_reads = [o for o in own if o.role == "clinician"]
    assert clinician_reads and all(o.status == 200 for o in clinician_reads), [
        (o.route.path, o.status) for o in clinician_reads
    ]
    not_audited = [f"{o.route.method} {o.route.path} as {o.role}" for o in outcomes if o.audited is False]
    assert not not_audited, f"patient-level reads that wrote no audit record: {not_audited}"


def test_research_staff_never_see_an_objecting_patient(outcomes: list[Outcome], world: World) -> None:
    # the leak test above already forbids the objector's id in every research-staff response;
    # here the direct read of that record must be "not found"
    from tests.route_matrix import client_for

    client = client_for(world.db, ROLES["research_staff"])
    assert client.get(f"/api/patients/{world.objector}").status_code == 404
    assert client_for(world.db, ROLES["clinician"]).get(f"/api/patients/{world.objector}").status_code == 200


def test_public_pages_are_open_and_gated_areas_are_gated(outcomes: list[Outcome]) -> None:
    problems = []
    for o in outcomes:
        actor_role = ROLES[o.role].role
        if o.route.cls == PUBLIC and o.route.method in SAFE and o.label == "denied" and o.role != "patient":
            problems.append(f"public page refused: {o.route.path} as {o.role}")
        gate = GATED.get(o.route.cls or "")
        if gate is not None and actor_role not in gate and o.label == "ok":
            problems.append(f"{o.route.method} {o.route.path} served to {o.role}")
        if gate is not None and actor_role in gate and o.route.method in SAFE and o.label == "denied":
            problems.append(f"{o.route.method} {o.route.path} refused to {o.role}")
        if o.route.cls == STAFF and o.role == "public" and o.label == "ok":
            problems.append(f"staff figures served to the public: {o.route.path}")
    assert not problems, problems


def test_the_patient_is_served_in_their_own_space_only(outcomes: list[Outcome], world: World) -> None:
    """The patient column: default deny outside /me, /api/me, /login and /logout, with either probe
    (another centre's ids, their own record's id); their own space opens; no other patient's id shown."""
    mine = [o for o in outcomes if o.role == "patient"]
    served = [
        f"{o.route.method} {o.route.path} ({o.probe}): {o.status}"
        for o in mine
        if 200 <= o.status < 300 and not in_own_space(o.route.path)
    ]
    assert not served, f"served to a patient outside their own space: {served}"
    own_pages = [o for o in mine if o.route.cls == OWN and o.route.method in SAFE]
    assert own_pages and any(o.label == "ok" for o in own_pages)
    assert any(o.probe == "own centre" for o in mine), "staff routes never tried with the patient's own id"
    assert all(world.own_patient not in o.leaked for o in mine)


def test_outcome_table_is_documented(outcomes: list[Outcome]) -> None:
    """docs/SECURITY.md carries the table written by benchmarks/bench_trust.py; it must name every class."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    for cls in {o.route.cls for o in outcomes}:
        assert str(cls) in text


def test_objecting_patient_is_absent_from_every_research_export(
    outcomes: list[Outcome], world: World
) -> None:
    """CSV exports (`?format=csv`) of every patient-level list, as research staff of the objector's centre."""
    from tests.route_matrix import client_for, request

    client = client_for(world.db, ROLES["research_staff"])
    tried = 0
    for route in sorted(
        {o.route for o in outcomes if o.route.cls == PATIENT and o.route.method in SAFE}, key=str
    ):
        params = world.params(route.path, own=True)
        response = request(client, route, params, query={"format": "csv"})
        tried += response.status_code == 200
        assert world.objector not in response.text, f"{route.path} (csv) shows the objecting patient"
    assert tried >= 3
