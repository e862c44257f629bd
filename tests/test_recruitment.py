"""Recruitment against targets: the projection model, sites behind, trials without targets, API."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import numpy as np
from sqlalchemy import insert

from oncofed.domain import Actor, Role
from oncofed.presenters.recruitment import summary_json
from oncofed.services.recruitment.projections import network_recruitment, project, trial_recruitment
from oncofed.store.db import Database
from oncofed.store.models_prescreen import EnrolmentRow
from oncofed.store.repositories import TrialRepository
from oncofed.synthetic.recruitment import seed_enrolment_history
from tests.prescreen_fixtures import TRIAL_ID, build_network, centres

AS_OF = date(2026, 6, 30)
MANAGER = Actor("tm", Role.TRIAL_MANAGER, frozenset())


def _enrol(db: Database, site: str, days: list[int]) -> None:
    with db.session() as s:
        s.execute(
            insert(EnrolmentRow),
            [
                {
                    "trial_id": TRIAL_ID,
                    "site_key": site,
                    "centre_id": site,
                    "enrolled_on": AS_OF - timedelta(days=d),
                    "source": "test",
                }
                for d in days
            ],
        )


def test_projection_matches_a_simulation_of_the_stated_model() -> None:
    """The closed form (beta-prime) against Monte Carlo of Gamma posterior + Poisson waiting time."""
    n, exposure, remaining = 30, 180.0, 40
    proj = project(remaining, (0.5 + n, exposure), AS_OF)
    rng = np.random.default_rng(1)
    rate = rng.gamma(0.5 + n, 1 / exposure, size=200_000)
    wait = rng.gamma(remaining, 1 / rate)
    lo, med, hi = np.quantile(wait, [0.05, 0.5, 0.95])
    assert proj.median and proj.low and proj.high
    assert abs((proj.median - AS_OF).days - med) <= 0.02 * med + 1
    assert abs((proj.low - AS_OF).days - lo) <= 0.03 * lo + 1
    assert abs((proj.high - AS_OF).days - hi) <= 0.03 * hi + 1
    assert project(0, (1, 1), AS_OF).note == "target reached"
    assert project(5, None, AS_OF).median is None


def test_sites_behind_target_are_flagged(db: Database) -> None:
    a, b = build_network(db, target=40)
    _enrol(db, a, list(range(5, 500, 9)))  # ~55 enrolments: on track
    _enrol(db, b, [400, 300])  # 2 enrolments: far behind
    r = trial_recruitment(db, TRIAL_ID, AS_OF)
    sites = {s.site_key: s for s in r.sites}
    assert not sites[a].behind and sites[b].behind
    p_reach = sites[b].p_reach_target
    assert p_reach is not None and p_reach < 0.05
    assert r.enrolled == len(range(5, 500, 9)) + 2 and r.target == 100
    assert r.projection.median and r.projection.low and r.projection.high
    assert r.projection.low <= r.projection.median <= r.projection.high


def test_a_trial_without_targets_is_explained_not_projected(db: Database) -> None:
    build_network(db, target=None, enrolment=None)
    a, _ = centres()
    _enrol(db, a, [10, 20, 30])
    r = trial_recruitment(db, TRIAL_ID, AS_OF)
    assert r.target is None and r.projection.median is None
    assert any("no enrolment target" in w for w in r.warnings)
    assert r.projection.rate_per_month is not None  # the rate is still shown


def test_overall_target_falls_back_to_the_sum_of_site_targets(db: Database) -> None:
    build_network(db, target=25, enrolment=None)
    r = trial_recruitment(db, TRIAL_ID, AS_OF)
    assert (r.target, r.target_source) == (50, "sum of site targets")
    assert r.projection.note.startswith("no enrolment history")


def test_seeded_demo_history_gives_real_projections(sqlite_db: Database) -> None:
    from oncofed.services.network.centres import load_centres, network_centres
    from oncofed.synthetic.trials import build_demo_trials

    load_centres(sqlite_db)
    trials = build_demo_trials(network_centres(), seed=7)
    with sqlite_db.session() as s:
        repo = TrialRepository(s)
        for t in trials:
            repo.upsert(t)
        written = seed_enrolment_history(s, trials, until=date(2026, 11, 1), seed=42)
    assert written > 1000
    rows = [summary_json(r) for r in network_recruitment(sqlite_db, date(2026, 11, 1))]
    recruiting = [r for r in rows if r["status"] == "RECRUITING" and r["enrolled"]]
    assert len(recruiting) > 20
    assert sum(1 for r in recruiting if r["projected_completion"]) >= len(recruiting) - 2
    assert any(r["sites_behind"] for r in recruiting) and any(not r["sites_behind"] for r in recruiting)
    assert all("patient" not in key for r in rows for key in r)  # aggregates only


def test_recruitment_api_pages_and_csv(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(db)
    _enrol(db, a, [3, 40, 90])
    public = client_as(db, Actor.public())
    assert public.get(f"/api/recruitment/{TRIAL_ID}").status_code == 404
    client = client_as(db, MANAGER)
    data = client.get(f"/api/recruitment/{TRIAL_ID}").json()
    assert data["enrolled"] == 3 and data["model"].startswith("Poisson accrual")
    sites = list(csv.DictReader(io.StringIO(client.get(f"/api/recruitment/{TRIAL_ID}?format=csv").text)))
    assert {s["centre_id"] for s in sites} == {a, b}
    cum = client.get(f"/api/recruitment/{TRIAL_ID}?format=csv&table=cumulative").text.splitlines()
    assert cum[0] == "date,enrolled" and cum[-1].endswith(",3")
    monthly = list(
        csv.DictReader(io.StringIO(client.get(f"/api/recruitment/{TRIAL_ID}?format=csv&table=monthly").text))
    )
    assert sum(int(m["enrolled"]) for m in monthly) == 3 and monthly[-1]["cumulative"] == "3"
    assert data["site_progress"][0]["monthly"] or data["site_progress"][1]["monthly"]
    svg = client.get(f"/api/recruitment/{TRIAL_ID}/chart.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and 'class="enrolled"' in svg.text
    page = client.get(f"/recruitment/{TRIAL_ID}", headers={"accept": "text/html"})
    assert page.status_code == 200 and "<svg" in page.text and "Poisson" in page.text
    assert page.text.count('class="spark"') == 2  # one time series per site
    net = client.get("/api/recruitment?format=csv").text.splitlines()
    assert net[0].startswith("trial_id,title,status,enrolled,target") and any(
        TRIAL_ID in line for line in net
    )
    assert client.get("/api/recruitment?as_of=yesterday").status_code == 422
