"""Quality over HTTP: public pages and JSON/CSV/SVG twins, EPiHC editing rights, and headless
Chromium on the indicator page, funnel, charter matrix and EPiHC pages (screenshots saved)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from oncofed.domain import Actor
from oncofed.domain.actor import Role
from oncofed.store.db import Database
from tests.browser_helpers import shot
from tests.conftest import serve_as

QM = Actor(user_id="qm-curie", role=Role.QUALITY_MANAGER, centre_ids=frozenset({"curie"}))


def test_public_pages_and_their_twins(demo_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(demo_db)
    html = {"accept": "text/html"}
    for path in (
        "/quality",
        "/quality/indicators/mdt_before_treatment",
        "/quality/charter",
        "/quality/epihc",
        "/quality/epihc/curie",
        "/quality/centres/curie/report",
        "/quality/charter/curie",
        "/quality/indicators/delay_to_treatment_median?trend=quarter",
    ):
        assert client.get(path, headers=html).status_code == 200, path
    data = client.get("/api/quality/indicators/trial_inclusion").json()
    assert data["period"]["from"] < data["period"]["to"]
    published = [c for c in data["centres"] if c["published"]]
    hidden = [c for c in data["centres"] if not c["published"]]
    assert all(c["value"] is None and c["band"] == "small_sample" and c["n"] < 30 for c in hidden)
    assert all(c["n"] >= 30 for c in published)
    assert "rank" not in str(data).lower()
    csv = client.get("/api/quality/indicators/trial_inclusion?format=csv").text
    assert csv.splitlines()[0].startswith("indicator_id,centre_id,centre,n,k,value")
    svg = client.get("/api/quality/indicators/trial_inclusion/funnel.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "limit-998" in svg.text
    assert client.get("/api/quality/indicators/trial_inclusion/trend?format=csv").status_code == 200
    rejects = client.get("/api/quality/rejects").json()  # public: counts only (docs/SECURITY.md, F1)
    assert rejects["total"] > 0 and set(rejects["by_reason"]) >= {"duplicate", "unknown_patient"}
    assert rejects["rows"] == []
    page = client.get("/quality/indicators/trial_inclusion", headers=html).text
    assert 'data-reason="survey_out_of_range"' in page  # the exclusion report is on the indicator page
    assert client.get("/api/quality/indicators/nope").status_code == 404


def test_epihc_is_editable_only_by_the_centre_quality_manager(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    from oncofed.services.network.centres import load_centres

    load_centres(sqlite_db)
    public = client_as(sqlite_db)
    assert public.put("/api/quality/epihc/curie/environment", json={"score": 3}).status_code == 403
    qm = client_as(sqlite_db, QM)
    r = qm.put(
        "/api/quality/epihc/curie/environment",
        json={
            "score": 3,
            "evidence": "ISO 14001 audit",
            "action_plan": "solar roof",
            "review_date": "2026-06-30",
        },
    )
    assert r.status_code == 200 and r.json()["score"] == 3 and r.json()["updated_by"] == "qm-curie"
    assert qm.put("/api/quality/epihc/icm/environment", json={"score": 3}).status_code == 403
    assert qm.put("/api/quality/epihc/curie/environment", json={"score": 7}).status_code == 422
    form = qm.post(
        "/quality/epihc/curie/staff",
        data={"score": "2", "evidence": "survey", "review_date": "2026-01-01"},
        follow_redirects=False,
    )
    assert form.status_code == 303
    rows = {p["principle_id"]: p for p in public.get("/api/quality/epihc/curie").json()["principles"]}
    first_saved = rows["environment"]["updated_at"]
    time.sleep(1.1)
    qm.put("/api/quality/epihc/curie/environment", json={"score": 4, "evidence": "ISO 14001 audit"})
    assert public.get("/api/quality/epihc/curie").json()["principles"][4]["updated_at"] > first_saved
    assert rows["staff"]["score"] == 2 and rows["environment"]["evidence"] == "ISO 14001 audit"
    assert len(rows) == 10


@pytest.fixture(scope="module")
def quality_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo network big enough for a readable funnel, served as Curie's quality manager."""

    from oncofed.synthetic.demo import build_demo

    db = Database(f"sqlite:///{tmp_path_factory.mktemp('qdemo') / 'q.sqlite3'}")
    build_demo(db, patients=1500, seed=42)
    with serve_as(db, QM) as server:
        yield server.base_url


def test_quality_pages_in_headless_chromium(quality_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(quality_server + "/quality")
    from oncofed.quality.boards import load_board_indicators  # the demo has tumour-board records (issue 19)
    from oncofed.quality.indicators import load_indicators

    assert page.locator("#indicators tbody tr").count() == len(load_indicators()) + len(
        load_board_indicators()
    )
    shot(page, "quality-index.png")

    page.goto(quality_server + "/quality/indicators/mdt_before_treatment")
    dots = page.locator("svg.funnel circle.centre")
    assert dots.count() >= 10
    assert page.locator("svg.funnel polyline.limit-95").count() == 2
    assert page.locator("svg.funnel polyline.limit-998").count() == 2
    bands = {
        page.locator("#bands tbody tr").nth(i).get_attribute("data-band")
        for i in range(page.locator("#bands tbody tr").count())
    }
    assert "within" in bands and bands <= {"within", "above", "below", "small_sample"}
    assert page.locator("#rejects tr[data-reason]").count() >= 3
    shot(page, "quality-indicator-funnel.png")
    page.select_option("select[name=adjust]", "none")
    page.locator("#funnel button").click()
    page.wait_for_url("**adjust=none**")
    assert page.locator("svg.funnel circle.centre").count() == dots.count()

    page.goto(quality_server + "/quality/charter")
    assert page.locator("#charter-matrix tbody tr").count() == 19
    assert page.locator("#charter-matrix thead th").count() == 7
    shot(page, "quality-charter-matrix.png")

    page.goto(quality_server + "/quality/epihc/curie")
    form = page.locator("tr#environment form")
    form.locator("select[name=score]").select_option("4")
    form.locator("textarea[name=evidence]").fill("Energy audit 2026 (Chromium test)")
    form.locator("input[name=review_date]").fill("2027-01-31")
    form.locator("button").click()
    page.wait_for_url("**saved=environment**")
    assert (
        page.locator("tr#environment textarea[name=evidence]").input_value()
        == "Energy audit 2026 (Chromium test)"
    )
    shot(page, "quality-epihc.png")

    page.goto(quality_server + "/quality/centres/curie/report")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden()
    shot(page, "quality-report-print.png")
