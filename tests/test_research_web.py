"""Research API, pages and CLI (issue 20): public aggregates, staff details by role, JSON twins and
CSV exports, forms and JSON writes refused with the field and the fix, `oncofed research ...`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from tests.prescreen_fixtures import TRIAL_ID, build_network

SAMPLES = Path(__file__).parent / "research_samples"
MANAGER = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")
NURSE = Actor("rose", Role.RESEARCH_STAFF, frozenset({"curie"}), "research")
QUALITY = Actor("quinn", Role.QUALITY_MANAGER, purpose="quality")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_public_research_pages_and_their_json_twins(demo_db: Database, client_as, lang: str) -> None:  # type: ignore[no-untyped-def]
    client = client_as(demo_db)
    for path in ("/research", "/research/inclusion", "/research/publications"):
        page = client.get(f"{path}?lang={lang}")
        assert page.status_code == 200, path
    pubs = client.get(f"/research/publications?lang={lang}").text
    assert ("Réseau de copublication" if lang == "fr" else "Co-publication network") in pubs
    assert 'class="chart copublication"' in pubs and "[Fictional]" in pubs
    overview = client.get("/api/research").json()
    assert overview["sponsored_trials"] > 10 and overview["papers_per_year"][0]["network_papers"] > 50
    table = client.get("/api/research/publications").json()["centres"]
    assert {r["centre_id"] for r in table} >= {"curie", "gustave-roussy"}
    assert all(0 <= (r["international_share"] or 0) <= 1 for r in table)
    net = client.get("/api/research/publications?table=network").json()
    assert net["edges"] and all(e["papers"] >= 1 for e in net["edges"])
    svg = client.get("/api/research/publications/network.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.count('class="edge"') == len(
        net["edges"]
    )
    funnel = client.get("/api/research/inclusion/funnel.svg")
    assert 'class="target"' in funnel.text and "OECI" in funnel.text


def test_every_research_table_exports_csv(demo_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    public = client_as(demo_db)
    staff = client_as(demo_db, MANAGER)
    trial = staff.get("/api/research/portfolio").json()["trials"][0]["trial_id"]
    for client, url, column in [
        (public, "/api/research/inclusion?format=csv", "meets_oeci"),
        (public, "/api/research/publications?format=csv", "international_share"),
        (public, "/api/research/publications?table=journals&format=csv", "journal"),
        (public, "/api/research/publications?table=papers&format=csv", "pmid"),
        (public, "/api/research/publications?table=network&format=csv", "centre_a"),
        (staff, "/api/research/portfolio?format=csv", "slowest_step"),
        (staff, "/api/research/portfolio?table=steps&format=csv", "median"),
        (staff, f"/api/research/portfolio/{trial}?format=csv", "activation_days"),
        (staff, f"/api/research/portfolio/{trial}?table=months&format=csv", "expected"),
        (staff, f"/api/research/portfolio/{trial}?table=screen_failures&format=csv", "sole"),
        (staff, f"/api/research/portfolio/{trial}?table=papers&format=csv", "trials"),
        (staff, "/api/research/affiliations?format=csv", "reason"),
    ]:
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), url
        header = next(csv.reader(io.StringIO(r.text)))
        assert column in header, (url, header)


def test_staff_details_are_for_their_roles(demo_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    public = client_as(demo_db)
    assert public.get("/api/research/portfolio").status_code == 401
    assert public.get("/research/portfolio", follow_redirects=False).status_code == 303
    assert public.get("/api/research/affiliations").status_code == 401
    nurse = client_as(demo_db, NURSE)
    assert nurse.get("/api/research/portfolio").status_code == 200
    assert nurse.get("/api/research/affiliations").status_code == 403
    assert nurse.post(f"/api/research/portfolio/{TRIAL_ID}/sponsored", json={}).status_code == 403
    quality = client_as(demo_db, QUALITY)
    queue = quality.get("/api/research/affiliations").json()
    assert queue["counts"]["review"] >= 1 and queue["affiliations"][0]["reason"]
    assert quality.get("/api/research/portfolio").status_code == 403
    data = (
        client_as(demo_db, MANAGER)
        .get(
            f"/api/research/portfolio/{client_as(demo_db, MANAGER).get('/api/research/portfolio').json()['trials'][0]['trial_id']}"
        )
        .json()
    )
    assert data["sponsored"]["source"] == "demo" and data["steps"] and "screen_failures" in data


def test_writes_through_the_api_and_the_forms(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(sqlite_db)
    api = client_as(sqlite_db, MANAGER)
    ok = api.post(
        f"/api/research/portfolio/{TRIAL_ID}/milestones",
        json={"site": a, "milestone": "selection", "date": "2025-02-01"},
    )
    assert ok.status_code == 200
    bad = api.post(
        f"/api/research/portfolio/{TRIAL_ID}/milestones",
        json={"site": a, "milestone": "opening", "date": "2025-01-01"},
    )
    assert bad.status_code == 422 and "before selection" in bad.text.lower() and "opening" in bad.text.lower()
    wrong_site = api.post(
        f"/api/research/portfolio/{TRIAL_ID}/milestones",
        json={"site": "Mars", "milestone": "opening", "date": "2025-03-01"},
    )
    assert wrong_site.status_code == 422 and "not a site of" in wrong_site.text
    assert api.get("/api/research/portfolio").json()["trials"][0]["trial_id"] == TRIAL_ID
    assert (
        api.post(f"/api/research/portfolio/{TRIAL_ID}/sponsored", json={"sponsored": False}).json()["changed"]
        is True
    )
    page = api.post(
        "/research/portfolio/sponsor", data={"trial_id": TRIAL_ID, "action": "flag"}, follow_redirects=False
    )
    assert page.status_code == 303 and "msg=" in page.headers["location"]
    form = api.post(
        f"/research/portfolio/{TRIAL_ID}/milestones",
        data={"site": a, "milestone": "opening", "on": "2024-01-01"},
    )
    assert form.status_code == 422 and "before selection" in form.text.lower()
    from oncofed.services.research.publications import import_publications

    import_publications(sqlite_db, [SAMPLES / "pubmed_efetch.xml"])
    queue = api.get("/api/research/affiliations").json()["affiliations"]
    refused = api.post(f"/api/research/affiliations/{queue[0]['id']}", json={"centre_ids": ["atlantis"]})
    assert refused.status_code == 422 and "atlantis" in refused.text
    done = api.post(
        f"/research/affiliations/{queue[0]['id']}",
        data={"centre_ids": ["leon-berard"]},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert api.get("/api/research/affiliations").json()["total"] == 0
    assert api.get("/api/research/affiliations?status=reviewed").json()["affiliations"][0]["centre_ids"] == [
        "leon-berard"
    ]


def test_research_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    from oncofed.cli import app
    from oncofed.commands.common import open_database

    db = open_database()
    a, b = build_network(db)
    runner = CliRunner()
    out = runner.invoke(
        app, ["research", "import", str(SAMPLES / "pubmed_efetch.xml"), str(SAMPLES / "openalex_works.json")]
    )
    assert (
        out.exit_code == 1 and "refused: 1" in out.stdout and "to review: " in out.stdout
    )  # a refused record: non-zero exit, named
    milestones = tmp_path / "m.csv"
    milestones.write_text(f"trial_id,site,selection,opening\n{TRIAL_ID},{a},2025-01-02,2025-03-01\n")
    out = runner.invoke(app, ["research", "import", str(milestones), "--json"])
    assert out.exit_code == 0 and json.loads(out.stdout)[0]["trials_flagged"] == [TRIAL_ID]
    report = json.loads(runner.invoke(app, ["research", "report", "portfolio", "--json"]).stdout)
    assert report["trials"][0]["median_activation_days"] == 58
    rows = list(
        csv.DictReader(
            io.StringIO(runner.invoke(app, ["research", "report", "publications", "--csv"]).stdout)
        )
    )
    assert {r["centre_id"] for r in rows} >= {"curie", "bergonie"}
    queue = list(
        csv.DictReader(
            io.StringIO(runner.invoke(app, ["research", "report", "affiliations", "--csv"]).stdout)
        )
    )
    out = runner.invoke(app, ["research", "review", queue[0]["id"], "--centre", "leon-berard"])
    assert out.exit_code == 0 and "1 paper re-attributed" in out.stdout
    out = runner.invoke(
        app, ["research", "report", "trial", "--trial", TRIAL_ID, "--table", "steps", "--csv"]
    )
    assert out.exit_code == 0 and "activation" in out.stdout
    bad = runner.invoke(app, ["research", "report", "gossip"])
    assert bad.exit_code != 0
