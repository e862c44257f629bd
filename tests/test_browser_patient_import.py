"""The patient import page in French, in headless Chromium at 1280 and 390 px: a clinician uploads a
flat CSV with a rejected record and warnings, reads each with its fix in French, keeps the valid
records, and downloads the report as CSV (stored, said in French); an upload too large is stopped with
the limit in French."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from tests.browser_helpers import shot

PHONE = {"width": 390, "height": 844}
LOT = (
    "patient_id,kind,code,value,unit,date\n"
    "A1,sex,,F,,\n"
    "A1,primary_cancer,LUAD,,,2024-03\n"
    "A1,lab,hemoglobin,12,furlongs,\n"
    ",sex,,M,,\n"
    "B2,sex,,M,,\n"
)


@pytest.mark.browser
def test_a_clinician_imports_patients_and_reads_every_issue_in_french(
    page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncofed.domain import Actor, Role
    from oncofed.services.network.centres import load_centres
    from oncofed.store.db import Database
    from oncofed.web import uploads
    from oncofed.web.routes import patient_import
    from tests.conftest import serve_as

    db = Database(f"sqlite:///{tmp_path}/import.sqlite3")
    db.upgrade()
    load_centres(db)
    lot = tmp_path / "lot-decembre.csv"
    lot.write_text(LOT, encoding="utf-8")
    with serve_as(db, Actor("claire", Role.CLINICIAN, frozenset({"curie"}), "care")) as server:
        page.goto(server.url("/patients?lang=fr"))
        page.click("#import-patients")
        assert page.locator("h1").inner_text() == "Importer des patients"
        page.set_input_files("input[name=files]", str(lot))
        page.click("form.trial-import button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#import-rejections tbody tr").count() == 1
        assert "Rien n'a été importé de lot-decembre.csv" in page.locator("#import-result").inner_text()
        page.set_input_files("input[name=files]", str(lot))
        page.check("input[name=partial]")
        page.click("form.trial-import button[type=submit]")
        page.wait_for_load_state()
        summary = page.locator("#import-summary").inner_text()
        assert summary.startswith("2 importé(s)") and "2 avertissements" in summary, summary
        warnings = page.locator("#import-warnings").inner_text()
        assert "n'a pas de jour" in warnings and "Corrigez la ligne" in warnings
        with page.expect_download() as download:
            page.click("#issues-csv")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert "import.date_no_day" in text and "avertissement" in text
        shot(page, "patient-import-fr.png")
        page.set_viewport_size(PHONE)
        scroll = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert scroll <= 1  # the tables scroll in their own box
        shot(page, "patient-import-fr-phone.png")
        small = dataclasses.replace(patient_import.UPLOAD, file_bytes=50)
        monkeypatch.setitem(uploads.LIMITS, "/patients/import", small)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(server.url("/patients/import"))
        page.set_input_files("input[name=files]", str(lot))
        page.click("form.trial-import button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Envoi trop volumineux"
        said = page.locator("main").inner_text()
        assert "Le fichier lot-decembre.csv dépasse la taille permise pour un fichier envoyé (" in said, said
        shot(page, "patient-import-too-large-fr.png")
    db.dispose()
