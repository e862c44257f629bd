"""What a MatchMiner user sees: a patient's CTML genomic matches in headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.services.matching.ctml import patient_ctml_report
from oncofed.services.patients.records import import_patients
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from tests.conftest import SCREENSHOTS, LiveServer, serve_as, shared_data

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]
CENTRE = "gustave-roussy"


@pytest.fixture(scope="module")
def ctml_server(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, LiveServer]]:
    """The MatchMiner trials and seed patients imported, served to a clinician of their centre."""

    mm = shared_data("matchminer")
    path = tmp_path_factory.mktemp("ctml") / "ctml.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    import_trials(db, [str(mm / "ctml-trials")])
    import_patients(db, [mm / "seed" / "clinical.ejson", mm / "seed" / "genomic.ejson"], centre=CENTRE)
    actor = Actor("dr-ctml", Role.CLINICIAN, frozenset({CENTRE}))
    # the patient with the most matched arms makes the richest page
    with db.session() as s:
        ids = [p.id for p in PatientRepository(s, actor).list(limit=40)]
    pid = max(
        ids,
        key=lambda p: sum(len(t.arms) for t in patient_ctml_report(db, actor, p, include_closed=True).trials),
    )
    with serve_as(db, actor) as server:
        yield pid, server
    db.dispose()


def test_ctml_page_lists_trials_arms_and_matched_criteria(
    ctml_server: tuple[str, LiveServer], page: Any
) -> None:
    pid, server = ctml_server
    page.set_default_timeout(60_000)
    page.goto(server.url(f"/patients/{pid}/ctml?closed=true"))
    assert pid in page.locator("h1").inner_text()
    trials = page.locator("article.ctml-trial")
    assert trials.count() > 0
    rows = page.locator("tr.arm")
    assert rows.count() >= trials.count()
    # every matched level names what matched, with the patient's value for clinical criteria
    first = rows.first
    assert first.locator("ul.criteria li").count() > 0
    assert page.locator("tr.arm.closed").count() > 0  # closed arms are shown, marked, when asked
    page.screenshot(path=str(SCREENSHOTS / "ctml-matches.png"), full_page=True)
    # open arms only: the toggle hides the closed ones
    page.click("#ctml-toggle")
    page.wait_for_load_state()
    assert page.locator("tr.arm.closed").count() == 0
    # French
    page.goto(server.url(f"/patients/{pid}/ctml?lang=fr"))
    assert "Appariements génomiques CTML" in page.locator("h1").inner_text()
    # the CSV export is offered
    assert page.locator("a[href*='format=csv']").count() == 1
