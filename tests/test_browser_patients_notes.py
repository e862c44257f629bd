"""The patient page for a note-imported patient in headless Chromium (issue 15): a trial drug and a
relative's cancer are shown as "not the patient's history", the sentences not understood are listed,
and each links to its span in the note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.services.patients.records import import_patients
from oncofed.store.db import Database
from tests.conftest import SCREENSHOTS, serve_as

pytestmark = pytest.mark.browser
NOTE = (
    "A 61-year-old woman with metastatic breast cancer, ER-positive, HER2-negative, metastatic to the liver. "
    "She received two lines of chemotherapy for metastatic disease, the last with capecitabine. "
    "Hb 10.4 g/dL, AST 1.5 x ULN. HIV negative. Her sister had ovarian cancer. "
    "Ki-67 was 40% on the liver biopsy. "
    "Her oncologist discussed a phase II trial of pembrolizumab."
)


@pytest.fixture
def note_server(sqlite_db: Database, tmp_path: Path) -> Iterator[str]:
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"_id": "note-7", "text": "' + NOTE + '"}\n')
    import_patients(sqlite_db, [notes], centre="curie")
    with serve_as(sqlite_db, Actor("dr-curie", Role.CLINICIAN, frozenset({"curie"}))) as server:
        yield server.base_url


def test_note_patient_page_separates_history_from_mentions_and_lists_what_was_not_read(
    note_server: str, page: Any
) -> None:
    page.goto(note_server + "/patients/curie-note-7")
    treatments = page.locator("section#kind-treatment").inner_text()
    assert "capecitabine" in treatments and "pembrolizumab" not in treatments
    assert "historical: yes" in treatments and "True" not in treatments  # a flag said, not Python's True
    mentions = page.locator("section#kind-note_mention")
    assert "Named in a note, not the patient's history" in mentions.locator("h2").inner_text()
    rows = mentions.locator("tr.fact").all_inner_texts()
    assert any("pembrolizumab" in r and "trial" in r for r in rows)
    assert any("ovarian cancer" in r and "family" in r for r in rows)
    assert "40%" in page.locator("section#kind-note_unread").inner_text()
    assert page.locator("section#kind-prior_lines tr.fact").inner_text().count("2") >= 1
    lab = page.locator("section#kind-lab").inner_text()
    assert "× ULN: 1.5" in lab  # the attribute said by its label (was the key x_uln)
    page.locator("section#kind-note_mention tr.fact", has_text="pembrolizumab").locator(
        "td.provenance a"
    ).click()
    assert page.locator("mark:target").inner_text() == "pembrolizumab"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "patient-note.png"), full_page=True)
    page.goto(note_server + "/patients/curie-note-7?lang=fr")
    assert "hors antécédents du patient" in page.locator("section#kind-note_mention h2").inner_text()
