"""What the headless-Chromium tests do alike: sign in through the login form, save a screenshot to
docs/screenshots/, serve one recruiting trial and one note patient to a clinician (the `page`, `new_page` and
`live_server` fixtures are in tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from oncofed.domain import Actor, Role
from oncofed.services.accounts.users import DEMO_PASSWORD
from oncofed.services.patients.records import import_patients
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from tests.conftest import SCREENSHOTS, LiveServer, serve_as


def log_in(
    page: Any, server: LiveServer, username: str, password: str = DEMO_PASSWORD, lang: str = ""
) -> None:
    """Sign in through the login form (in `lang` when given) and wait for the page it leads to."""
    page.goto(server.url("/login" + (f"?lang={lang}" if lang else "")))
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    page.click('#login-form button[type="submit"]')
    page.wait_for_load_state()


def shot(page: Any, name: str, full_page: bool = True) -> None:
    """A screenshot of the page as docs/screenshots/<name>."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def recruiting_study(nct_id: str, title: str, eligibility: str) -> dict[str, Any]:
    """A ClinicalTrials.gov study recruiting at Institut Curie (Paris), for an adult of either sex."""
    return {
        "protocolSection": {
            "identificationModule": {"nctId": nct_id, "briefTitle": title},
            "statusModule": {"overallStatus": "RECRUITING"},
            "conditionsModule": {"conditions": ["Non-small Cell Lung Cancer"]},
            "eligibilityModule": {"eligibilityCriteria": eligibility, "sex": "ALL", "minimumAge": "18 Years"},
            "contactsLocationsModule": {
                "locations": [
                    {
                        "facility": "Institut Curie",
                        "city": "Paris",
                        "country": "France",
                        "status": "RECRUITING",
                        "geoPoint": {"lat": 48.8449, "lon": 2.3400},
                    }
                ]
            },
        }
    }


@contextmanager
def serve_trial_and_note(
    db: Database, folder: Path, study: dict[str, Any], note_id: str, note: str
) -> Iterator[str]:
    """`study` imported, a patient of Curie imported from one note (`curie-<note_id>`), and the app
    served to a Curie clinician: yields its base URL."""
    path = folder / "study.json"
    path.write_text(json.dumps(study, ensure_ascii=False), encoding="utf-8")
    import_trials(db, [path])
    notes = folder / "notes.jsonl"
    notes.write_text(json.dumps({"_id": note_id, "text": note}, ensure_ascii=False) + "\n", encoding="utf-8")
    import_patients(db, [notes], centre="curie")
    with serve_as(db, Actor("dr-curie", Role.CLINICIAN, frozenset({"curie"}))) as server:
        yield server.base_url
