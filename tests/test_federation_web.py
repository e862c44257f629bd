"""HR pages and public sustainability pages over the demo network (issue 21): JSON twins, CSV
exports, roles and centre isolation through the web layer."""

from __future__ import annotations

from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from tests.conftest import copy_sqlite

FED = Actor("fiona", Role.FEDERATION_HR, purpose="human resources")
CURIE_HR = Actor("henri", Role.CENTRE_HR, frozenset({"curie"}), "human resources")


@pytest.fixture
def as_fed(demo_db: Database, client_as: Any) -> Any:
    return client_as(demo_db, FED)


@pytest.fixture
def as_curie(demo_db: Database, client_as: Any) -> Any:
    return client_as(demo_db, CURIE_HR)


def test_demo_ships_a_fictional_grid_staff_proposals_and_hr_accounts(as_fed: Any, demo_db: Database) -> None:
    data = as_fed.get("/api/federation").json()
    assert data["grid"]["fictional"] and "[Fictional]" in data["grid"]["name"]
    assert len(data["centres"]) == 19 and all(c["staff"] >= 250 for c in data["centres"])
    proposals = as_fed.get("/api/federation/proposals").json()["proposals"]
    assert len(proposals) >= 2
    from oncofed.services.accounts.users import list_users

    roles = {u.username: (u.role, u.centre_ids) for u in list_users(demo_db)}
    assert roles["hr"] == (Role.FEDERATION_HR, ()) and roles["hr-curie"] == (Role.CENTRE_HR, ("curie",))


def test_centre_hr_sees_its_centre_and_the_federation_sees_counts(as_fed: Any, as_curie: Any) -> None:
    own = as_curie.get("/api/federation/centres/curie").json()
    assert own["centres"][0]["below_minimum"] == len(own["flagged"])
    assert all(f["centre_id"] == "curie" and f["gap_monthly"] > 0 for f in own["flagged"])
    assert as_curie.get("/api/federation/centres/gustave-roussy").status_code == 404
    assert (
        as_curie.get("/federation/centres/gustave-roussy", headers={"accept": "text/html"}).status_code == 404
    )
    assert {r["centre_id"] for r in as_curie.get("/api/federation/staff").json()["rows"]} == {"curie"}
    fed = as_fed.get("/api/federation/compliance").json()
    assert fed["flagged"] == [] and sum(c["below_minimum"] for c in fed["centres"]) > 0
    csv = as_curie.get("/api/federation/compliance?format=csv&table=flagged").text
    assert csv.startswith("centre_id,staff_id,") and "gustave-roussy" not in csv


@pytest.mark.parametrize(
    "role", [Role.CLINICIAN, Role.TRIAL_MANAGER, Role.DPO, Role.ADMIN, Role.QUALITY_MANAGER]
)
def test_other_roles_never_get_hr_data(demo_db: Database, client_as: Any, role: Role) -> None:
    client = client_as(
        demo_db, Actor("x", role, frozenset({"curie"}) if role is Role.CLINICIAN else frozenset())
    )
    for path in (
        "/api/federation",
        "/api/federation/staff",
        "/api/federation/centres/curie",
        "/api/federation/costing?proposal=1",
    ):
        assert client.get(path).status_code == 403, path
    assert client_as(demo_db, Actor.public()).get("/api/federation/staff").status_code == 401


def test_costing_json_csv_compare_and_printable_page(as_fed: Any, as_curie: Any) -> None:
    one = as_fed.get("/api/federation/costing?proposal=1").json()
    assert one["network"]["total"] == pytest.approx(
        one["network"]["gross_delta"] * (1 + one["employer_rate"]), rel=1e-6
    )
    assert one["network"]["percent"] == pytest.approx(1.0, abs=0.05)  # +1% on the point: about 1% of grid pay
    assert len(one["centres"]) == 19 and {f["family"] for f in one["families"]} == {
        "ADM",
        "AID",
        "MGT",
        "NUR",
        "RES",
        "TEC",
    }
    rate = as_fed.get("/api/federation/costing?proposal=1&employer_rate=0.5").json()
    assert rate["network"]["employer_delta"] == pytest.approx(0.5 * rate["network"]["gross_delta"], abs=1.0)
    both = as_fed.get("/api/federation/costing?proposal=1&compare_with=2").json()
    assert both["network"]["difference"] == pytest.approx(
        both["network"]["b_total"] - both["network"]["a_total"], abs=0.02
    )
    csv = as_fed.get("/api/federation/costing?proposal=1&format=csv").text.splitlines()
    assert csv[0].startswith("centre_id,centre,family,family_en,family_fr,staff") and len(csv) == 1 + 19 * 6
    own = as_curie.get("/api/federation/costing?proposal=1").json()
    assert [c["centre_id"] for c in own["centres"]] == ["curie"]
    page = as_fed.get("/federation/costing/print?a=1&b=2", headers={"accept": "text/html"})
    assert page.status_code == 200 and "federation-print.css" in page.text and "costing-families" in page.text


def test_a_proposal_posted_with_an_error_names_it(as_fed: Any) -> None:
    body = {
        "proposal": {
            "name": "x",
            "effective": "2026-01-01",
            "changes": [{"kind": "point_value", "percent": "lots"}],
        }
    }
    response = as_fed.post("/api/federation/costing", json=body)
    assert (
        response.status_code == 422
        and "changes[0]" in response.json()["detail"]
        and "percent" in response.json()["detail"]
    )
    ok = as_fed.post(
        "/api/federation/costing",
        json={
            "proposal": {
                "name": "+2%",
                "effective": "2026-01-01",
                "changes": [{"kind": "point_value", "percent": 2}],
            }
        },
    )
    assert ok.status_code == 200 and ok.json()["network"]["percent"] == pytest.approx(2.0, abs=0.1)


def test_public_sustainability_json_csv_beges_and_travel(demo_db: Database, client_as: Any) -> None:
    client = client_as(demo_db, Actor.public())
    data = client.get("/api/sustainability").json()
    assert len(data["centres"]) == 19 and len(data["years"]) == 3 and data["year"] == data["years"][-1]
    assert all(c["complete"] and c["t_per_bed"] > 0 for c in data["centres"])
    curie = client.get("/api/sustainability/centres/curie").json()
    assert [y["year"] for y in curie["years"]] == data["years"]
    beges = client.get(f"/api/sustainability/centres/curie/beges?year={data['year']}").text.splitlines()
    assert beges[0].startswith("centre_id,centre,year,beges_category") and len(beges) == 23
    travel = client.get("/api/sustainability/travel").json()
    assert (
        travel["computed_at"]
        and {c["centre_id"] for c in travel["centres"]}
        and not any("curie-0" in str(v) for c in travel["centres"] for v in c.values())
    )
    assert client.get("/api/sustainability/factors?format=csv").text.count("AR6") >= 3
    assert client.get("/api/sustainability?year=1999").json()["centres"] == []


@pytest.mark.parametrize("actor", [FED, CURIE_HR], ids=["federation_hr", "centre_hr"])
def test_generated_requests_to_hr_and_carbon_routes_never_fail(
    demo_db: Database, tmp_path: Any, actor: Actor
) -> None:
    """schemathesis over /api/federation and /api/sustainability as the HR roles (the suite-wide
    schemathesis test runs as roles that are refused here)."""

    import schemathesis

    from oncofed.web.app import create_app
    from tests.fuzzing import server_errors

    copy_sqlite(demo_db, tmp_path / "api.sqlite3")
    app = create_app(Database(f"sqlite:///{tmp_path / 'api.sqlite3'}"))
    app.state.actor_resolver = lambda request: actor
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    tried, failures = server_errors(schema, 6, prefixes=("/api/federation", "/api/sustainability"))
    assert tried >= 12 and not failures, failures[:5]
