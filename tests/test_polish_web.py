"""QA polish (issues 17/18 follow-up), the web: a refused request is a page in the user's language for a
browser (JSON for the API), /favicon.ico exists, and the match page says once where distances are
measured from and gives long real trial titles the whole width (headless Chromium)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from oncofed.web.app import create_app
from tests.conftest import SCREENSHOTS, LiveServer, copy_sqlite, serve_as

HTML = {"Accept": "text/html,application/xhtml+xml"}
LONG_TITLE = (
    "A Randomized, Open-label, Multicenter Phase III Study of Trastuzumab Deruxtecan Versus Investigator's "
    "Choice Chemotherapy in HER2-low, Hormone Receptor Positive Metastatic Breast Cancer Patients Whose "
    "Disease Has Progressed on Endocrine Therapy in the Metastatic Setting"
)


@pytest.mark.parametrize(
    ("url", "lang", "words"),
    [
        ("/trials?page=0", "en", ["“page” must be at least 1.", "(You sent “0”.)", "Correct it in the form"]),
        (
            "/trials?page=0",
            "fr",
            ["«\u202fpage\u202f» doit valoir au moins 1.", "Vous avez envoyé «\u202f0\u202f»", "Corrigez-le"],
        ),
        ("/patients?page=99999999", "en", ["“page” must be at most", "(You sent “99999999”.)"]),
        (
            "/trials?page=abc",
            "fr",
            ["«\u202fpage\u202f» doit être un nombre entier.", "Vous avez envoyé «\u202fabc\u202f»"],
        ),
    ],
)
def test_a_refused_request_on_a_page_is_an_error_page_in_the_users_language(
    sqlite_db: Database, url: str, lang: str, words: list[str]
) -> None:
    with TestClient(create_app(sqlite_db)) as client:
        r = client.get(f"{url}&lang={lang}", headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}"' in r.text and 'id="error-detail"' in r.text
    for w in words:
        assert w.replace("'", "&#39;") in r.text
    assert "Input should be" not in r.text and "query.page" not in r.text  # no raw pydantic English


def test_the_api_keeps_its_json_validation_errors(sqlite_db: Database) -> None:
    with TestClient(create_app(sqlite_db)) as client:
        r = client.get("/api/trials?page=0", headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")
    assert r.json()["errors"][0]["loc"] == ["query", "page"]


def test_favicon_is_served(sqlite_db: Database) -> None:
    with TestClient(create_app(sqlite_db)) as client:
        r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/vnd.microsoft.icon"
    assert r.content[:4] == b"\x00\x00\x01\x00" and len(r.content) < 20_000  # an ICO, small


# --- the match page in Chromium -----------------------------------------------------------------


@pytest.fixture(scope="module")
def no_home_server(
    demo_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, LiveServer]]:
    """A copy of the demo network with one patient whose record has no address (imported FHIR records
    often have none), served to a clinician of that patient's centre."""

    source = str(demo_db.engine.url.database)
    path = tmp_path_factory.mktemp("nohome") / "demo.sqlite3"
    copy_sqlite(demo_db, path)
    if Path(source + ".trial-index").exists():  # the saved search index: no need to build it again
        shutil.copytree(source + ".trial-index", str(path) + ".trial-index")
    db = Database(f"sqlite:///{path}")
    with db.session() as s:
        repo = PatientRepository(s, Actor.system("test"))
        rich = [p for p in repo.list(limit=None) if p.stage == "IV" and p.primary_cancer in ("BRCA", "NSCLC")]
        patient = replace(rich[0], id=rich[0].id + "-nohome", home=None, home_city="")
        repo.upsert(patient)
    actor = Actor("dr-test", Role.CLINICIAN, frozenset({patient.centre_id}))
    with serve_as(db, actor) as server:
        yield patient.id, server
    db.dispose()


@pytest.mark.browser
def test_match_page_says_once_where_distances_come_from_and_gives_titles_the_width(
    no_home_server: tuple[str, LiveServer], page: Any
) -> None:
    pid, server = no_home_server
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(server.url(f"/patients/{pid}/matches?lang=fr"))
    # no address: distances are measured from the treating centre, said once, and nothing says
    # that they cannot be computed
    assert page.locator("#distance-origin").count() == 1
    assert "mesurées depuis le centre qui soigne le patient" in page.locator("#distance-origin").inner_text()
    assert page.locator("#no-home").count() == 0 and "ne peuvent pas être calculées" not in page.content()
    assert page.locator("details.match").count() > 0
    # a real title of 250 characters: on its own line across the card, not a word a line
    page.evaluate(
        "(t) => document.querySelectorAll('details.match summary .title strong').forEach(e => e.textContent = t)",
        LONG_TITLE,
    )
    summary = page.locator("details.match summary").first.bounding_box()
    title = page.locator("details.match summary .title").first.bounding_box()
    assert summary and title
    assert title["width"] > 0.75 * summary["width"]
    assert title["height"] < 8 * 22  # a few lines of text, not dozens
    site = page.locator("details.match summary .site").first.bounding_box()
    assert site and site["y"] > title["y"] + title["height"] - 1  # verdict, counts and site below
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "matches-long-title.png"), full_page=False)
