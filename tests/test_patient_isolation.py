"""Isolation of the patient role (docs/SECURITY.md, docs/PATIENTS.md): over every route of the live
app, a patient reaches their own space and nothing else, never sees another patient's id, and cannot
change another patient's record, whatever id they put in a path, a query or a body (tests/patient_attacks.py,
the engine the attack benchmark runs too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from oncofed.domain import Role
from oncofed.store.db import Database
from oncofed.web.patient_fence import in_own_space
from tests.patient_attacks import AttackReport, patient_actor, run
from tests.route_matrix import World, client_for, live_routes, make_world


@pytest.fixture(scope="module")
def world(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(demo_db, tmp_path_factory.mktemp("patient-isolation"))


@pytest.fixture(scope="module")
def attacks(world: World) -> AttackReport:
    return run(world, enumerate_all=False)


def test_no_response_shows_another_patients_id(attacks: AttackReport) -> None:
    assert attacks.requests > 3 * attacks.routes // 2
    assert not attacks.leaks, attacks.leaks


def test_nothing_outside_the_own_space_is_served(attacks: AttackReport) -> None:
    assert not attacks.served_outside, attacks.served_outside
    assert not attacks.errors, attacks.errors


def test_no_other_record_changes(attacks: AttackReport) -> None:
    assert attacks.others_changed == 0


def test_every_route_outside_the_own_space_refuses_the_patient_by_default(world: World) -> None:
    """Default deny: the fence, not each route, refuses (403) every route but the own space and
    signing in/out; the home page sends a browser to /me."""
    client = client_for(world.db, patient_actor(world))
    routes = live_routes(client_for(world.db, patient_actor(world).__class__.public()))
    outside = [r for r in routes if not in_own_space(r.path)]
    assert len(outside) > 100
    wrong = []
    for r in outside:
        path = r.path.format(**world.params(r.path, own=True))
        status = client.request(r.method, path, follow_redirects=False).status_code
        expected = {303} if r.path == "/" and r.method == "GET" else {403}
        if status not in expected:
            wrong.append(f"{r.method} {r.path}: {status}")
    assert not wrong, wrong


def test_the_own_space_answers_the_patient_with_their_own_record(world: World) -> None:
    client = client_for(world.db, patient_actor(world))
    record = client.get("/api/me/record").json()
    assert record["id"] == world.own_patient
    assert client.get("/api/me/export").json()["patient_id"] == world.own_patient
    page = client.get(
        "/me/record?patient_id=" + next(iter(world.ids_by_centre["curie"] - {world.own_patient}))
    )
    assert page.status_code == 200 and world.own_patient in page.text


def test_staff_roles_never_reach_the_own_space(world: World) -> None:
    from tests.route_matrix import ROLES

    staff = {name: actor for name, actor in ROLES.items() if actor.role is not Role.PATIENT}
    assert len(staff) == len(ROLES) - 1  # the matrix's patient column is the one patient
    for name, actor in staff.items():
        client = client_for(world.db, actor)
        for path in ("/api/me/record", "/api/me/access", "/api/me/export"):
            assert client.get(path).status_code in (401, 403), (name, path)


def test_every_page_of_the_own_space_is_in_french(world: World) -> None:
    from tests.i18n_pages import findings, untranslated_msgids, visible_texts

    client = client_for(world.db, patient_actor(world))
    msgids = untranslated_msgids("fr")
    problems = []
    for path in (
        "/me",
        "/me/record",
        "/me/access",
        "/me/trials",
        "/me/objection",
        "/me/export",
        "/me/password",
    ):
        response = client.get(path, params={"lang": "fr"}, headers={"accept": "text/html"})
        assert response.status_code == 200, path
        problems += [
            f"{f} on {path}" for text in visible_texts(response.text) for f in findings(text, msgids)
        ]
    assert not problems, problems


def test_the_attack_figure_is_documented() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    assert "patient-role attacks" in text.lower()
