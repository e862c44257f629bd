"""Trial search over HTTP: full text, filters, recruiting-within-distance, sort, pagination, CSV, pages."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from oncofed.services.network.centres import load_centres
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from tests.trial_samples import location, study, write_page

LYON, PARIS = (45.764, 4.8357), (48.8566, 2.3522)


@pytest.fixture(autouse=True)
def _index_under_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL search indexes are saved under ONCOFED_VAR_DIR: keep the tests' out of var/."""
    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path / "var"))


@pytest.fixture
def registry(db: Database, tmp_path: Path) -> Database:
    load_centres(db)
    studies = [
        # A: recruiting in Lyon (Léon Bérard), closed in Paris
        study(nct="NCT09000001", title="Trastuzumab deruxtecan in HER2-positive breast cancer",
              locations=[location("Institut Curie", "Paris", status="COMPLETED"), location("Centre Leon Berard", "Lyon")]),
        # B: recruiting only in Paris
        study(nct="NCT09000002", title="Osimertinib in EGFR-mutant lung cancer", conditions=("Lung Cancer",),
              phases=("PHASE3",), locations=[location("Institut Curie", "Paris")]),
        # C: not yet recruiting, in Lyon: never counted as recruiting
        study(nct="NCT09000003", title="Pembrolizumab in melanoma", status="NOT_YET_RECRUITING", conditions=("Melanoma",),
              locations=[location("Centre Leon Berard", "Lyon", status="NOT_YET_RECRUITING")]),
        # D: recruiting trial whose only Lyon site has no status of its own: must not be hidden
        study(nct="NCT09000004", title="Olaparib in BRCA ovarian cancer", conditions=("Ovarian Cancer",), sex="FEMALE",
              locations=[location("Hopital Edouard Herriot", "Lyon", status="")]),
        # E: paediatric, far away (geo point given), recruiting
        study(nct="NCT09000005", title="Dinutuximab in neuroblastoma", conditions=("Neuroblastoma",), min_age="6 Months",
              locations=[location("Mayo Clinic", "Rochester", country="United States", geo=True, lat=44.02, lon=-92.47)]),
    ]  # fmt: skip
    for s in studies[4:]:
        s["protocolSection"]["eligibilityModule"]["maximumAge"] = "17 Years"
    import_trials(db, [write_page(tmp_path / "registry.json", studies)])
    return db


def ids(data: dict) -> list[str]:  # type: ignore[type-arg]
    return [r["id"] for r in data["results"]]


def test_search_api_filters_distance_and_sort(registry: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    c = client_as(registry)
    r = c.get("/api/trials", params={"q": "HER2 breast trastuzumab"}).json()
    assert ids(r)[0] == "NCT09000001" and r["sort"] == "relevance" and r["results"][0]["score"] > 0
    near_lyon = c.get("/api/trials", params={"city": "Lyon", "within_km": 20}).json()
    assert ids(near_lyon) == ["NCT09000001", "NCT09000004"]  # C is not recruiting; A's Paris site is closed
    assert near_lyon["results"][0]["nearest_site"]["centre_id"] == "leon-berard"
    assert near_lyon["results"][0]["distance_km"] < 20
    near_paris = c.get("/api/trials", params={"lat": PARIS[0], "lon": PARIS[1], "within_km": 30}).json()
    assert ids(near_paris) == ["NCT09000002"]
    by_distance = c.get(
        "/api/trials", params={"city": "Paris", "sort": "distance", "status": "RECRUITING"}
    ).json()
    assert ids(by_distance)[0] == "NCT09000002" and ids(by_distance)[-1] == "NCT09000005"
    assert [r["distance_km"] for r in by_distance["results"]] == sorted(
        r["distance_km"] for r in by_distance["results"]
    )
    assert ids(c.get("/api/trials", params={"condition": "lung", "phase": "PHASE3"}).json()) == [
        "NCT09000002"
    ]
    assert ids(c.get("/api/trials", params={"centre": "leon-berard"}).json()) == [
        "NCT09000001",
        "NCT09000003",
    ]
    assert "NCT09000004" not in ids(c.get("/api/trials", params={"sex": "MALE"}).json())
    child = ids(c.get("/api/trials", params={"age": 5}).json())
    assert child == ["NCT09000005"]
    assert ids(c.get("/api/trials", params={"status": "NOT_YET_RECRUITING"}).json()) == ["NCT09000003"]
    p1 = c.get("/api/trials", params={"per_page": 2, "page": 1}).json()
    p3 = c.get("/api/trials", params={"per_page": 2, "page": 3}).json()
    assert p1["total"] == 5 and p1["pages"] == 3 and len(p1["results"]) == 2 and ids(p3) == ["NCT09000005"]
    csv = c.get("/api/trials", params={"city": "Lyon", "within_km": 20, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.count("\n") == 3
    bad = c.get("/api/trials", params={"within_km": 10})
    assert bad.status_code == 422 and "place" in bad.json()["detail"]
    assert c.get("/api/trials", params={"city": "Atlantis"}).status_code == 422


def test_trial_page_and_api_split_eligibility_and_show_sites(registry: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    c = client_as(registry)
    data = c.get("/api/trials/NCT09000001").json()
    assert data["eligibility"]["inclusion"] == ["Age 18 or older", "ECOG 0-1"]
    assert data["eligibility"]["exclusion"] == ["Pregnancy"]
    assert {s["centre_id"] for s in data["sites"]} == {"curie", "leon-berard"}
    page = c.get("/trials/NCT09000001")
    assert page.status_code == 200 and 'id="inclusion"' in page.text and "Pregnancy" in page.text
    assert 'data-id="leon-berard"' in page.text and "point centre highlight" in page.text
    search = c.get(
        "/trials", params={"q": "lung", "status": "", "age": "", "lat": "", "lon": "", "within_km": ""}
    )
    assert search.status_code == 200 and "NCT09000002" in search.text
    assert c.get("/api/trials/NCT00000000").status_code == 404


def test_search_page_over_real_http(live_server) -> None:  # type: ignore[no-untyped-def]
    r = httpx.get(  # generous client timeout: the first query builds the index on a busy shared machine
        live_server.url("/api/trials"),
        params={"city": "Lyon", "within_km": 100, "status": "RECRUITING"},
        timeout=120,
    )
    assert r.status_code == 200
    data = r.json()
    assert data["total"] > 0 and all(x["distance_km"] <= 100 for x in data["results"])
    html = httpx.get(live_server.url("/trials"), params={"city": "Lyon", "within_km": 100}, timeout=120)
    assert html.status_code == 200 and 'id="trial-results"' in html.text


@pytest.mark.browser
def test_search_and_trial_page_in_chromium(live_server, page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SCREENSHOTS

    page.goto(live_server.url("/trials"))
    page.fill("input[name=within_km]", "100")
    page.fill("input[name=city]", "Lyon")
    page.click("button[type=submit]")
    page.wait_for_selector("#trial-results")
    assert "city=Lyon" in page.url
    distances = page.locator("#trial-results td.distance").all_inner_texts()
    assert distances and all(float(d.split(" km")[0]) <= 100 for d in distances)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "trials-search.png"), full_page=True)
    page.locator("#trial-results tbody tr a").first.click()
    page.wait_for_selector("#eligibility")
    assert page.locator("#inclusion li").count() >= 1
    assert page.locator("svg.france .point.highlight").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "trial-page.png"), full_page=True)


def test_saved_index_is_reused_by_a_new_process_and_replaced_after_an_import(
    registry: Database, tmp_path: Path
) -> None:
    from oncofed.services.trials import index as trial_index
    from oncofed.services.trials.search import TrialQuery, search_trials

    query = TrialQuery(q="cancer", city="Lyon", within_km=500, sort="distance")
    before = search_trials(registry, query)
    folder = trial_index.index_dir(registry)
    assert folder is not None and len(list(folder.iterdir())) == 1
    saved = next(folder.iterdir())
    trial_index._cache.clear()  # as a new process finds it: it must load the saved copy, not rebuild
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(trial_index.TrialIndex, "__init__", lambda self, db: pytest.fail("index rebuilt"))
        again = search_trials(registry, query)
    assert [(h.trial.id, h.distance_km, h.score) for h in again.hits] == [
        (h.trial.id, h.distance_km, h.score) for h in before.hits
    ]
    assert again.total == before.total == 3
    import_trials(registry, [write_page(tmp_path / "more.json", [study(nct="NCT09000009", title="Breast cancer",
                  locations=[location("Centre Leon Berard", "Lyon")])])])  # fmt: skip
    assert search_trials(registry, query).total == 4
    assert [p.name for p in folder.iterdir()] != [saved.name] and len(list(folder.iterdir())) == 1


def test_cli_import_saves_the_index_and_search_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from oncofed.cli import app
    from oncofed.services.trials import index as trial_index

    db_file = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db_file}")
    page = write_page(tmp_path / "p.json", [study(locations=[location("Centre Leon Berard", "Lyon")])])
    runner = CliRunner()
    out = runner.invoke(app, ["import", "trials", str(page)])
    assert out.exit_code == 0, out.output
    assert len(list(Path(f"{db_file}.trial-index").iterdir())) == 1  # built and saved by the import
    trial_index._cache.clear()
    monkeypatch.setattr(trial_index.TrialIndex, "__init__", lambda self, db: pytest.fail("index rebuilt"))
    found = runner.invoke(app, ["trials", "search", "--city", "Lyon", "--within", "30", "--json"])
    assert found.exit_code == 0, found.output
    assert [r["id"] for r in json.loads(found.stdout)["results"]] == ["NCT09000001"]


def test_saved_indexes_of_server_databases_are_bounded(tmp_path: Path) -> None:
    import os

    from oncofed.services.trials.index import _prune

    for i in range(7):
        (tmp_path / f"db{i}").mkdir()
        os.utime(tmp_path / f"db{i}", (1_000_000 + i, 1_000_000 + i))
    _prune(tmp_path, keep=4)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db3", "db4", "db5", "db6"]
