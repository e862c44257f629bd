"""The patient page in headless Chromium: facts grouped by kind, provenance on hover, note span link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.resources import resource_path
from oncofed.services.patients.records import import_patients
from oncofed.store.db import Database
from tests.conftest import SCREENSHOTS, serve_as

pytestmark = pytest.mark.browser
NOTE = (
    "A 58-year-old woman with metastatic lung adenocarcinoma, EGFR L858R, metastatic to the liver. "
    "No evidence of brain metastases. ECOG 1. Previously treated with carboplatin and pemetrexed. She denies smoking."
)


@pytest.fixture
def clinician_server(sqlite_db: Database, tmp_path: Path) -> Iterator[str]:
    import_patients(sqlite_db, [resource_path("templates/patients_template.csv")], centre="curie")
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"_id": "note-1", "text": "' + NOTE + '"}\n')
    import_patients(sqlite_db, [notes], centre="curie")
    with serve_as(sqlite_db, Actor("dr-curie", Role.CLINICIAN, frozenset({"curie"}))) as server:
        yield server.base_url


def test_patient_page_shows_provenance(clinician_server: str, page: Any) -> None:
    page.goto(clinician_server + "/patients")
    assert page.locator("table#patients tbody tr").count() == 3
    page.locator('a[href="/patients/curie-note-1"]').click()
    page.wait_for_url("**/patients/curie-note-1")
    assert page.locator("section#kind-metastasis tr.fact").count() == 2
    negated = page.locator("section#kind-metastasis tr.fact.negated")
    assert negated.count() == 1 and "brain" in negated.inner_text()
    title = negated.get_attribute("title")
    assert title is not None and title.startswith("note:notes.jsonl · note-1 · chars ")
    negated.locator("td.provenance a").click()
    target = page.locator("mark:target")
    assert target.inner_text() == "brain metastases"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "patient.png"), full_page=True)
    page.goto(clinician_server + "/patients/curie-P0001")
    lab = page.locator("section#kind-lab tr.fact").first
    assert "row " in (lab.get_attribute("title") or "")
