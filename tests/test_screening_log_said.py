"""What a research nurse tries next on the screening log: each status change said in her language (the
statuses and the reason by their labels, the time as French writes it, never "pending → declined" codes),
one patient's history by following the patient's id (`?patient=` on the page, the JSON and the CSV), the
reasons for non-inclusion as a list with their words in the JSON."""

from __future__ import annotations

import csv
import html
import io

import pytest

from oncofed.presenters.i18n import translator
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.prescreen.screening import StatusChange, change_status
from oncofed.store.db import Database
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse
from tests.test_browser_prescreen import prescreen_server  # noqa: F401  (fixture: a served network)


@pytest.fixture
def logged(db: Database) -> tuple[Database, str]:
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-1", 0)], "pending")
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-1", 1)], "contacted")
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-1", 2)], "declined", reason="travel_burden")
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-2", 0)], "pending")
    return db, a


def test_the_log_says_each_change_in_the_nurses_words(logged: tuple[Database, str], client_as) -> None:  # type: ignore[no-untyped-def]
    db, a = logged
    fr = translator("fr")
    client = client_as(db, nurse(a, "rose"))
    log = client.get(f"/api/prescreen/{TRIAL_ID}/{a}/log", params={"lang": "fr"}).json()
    declined = next(e for e in log["events"] if e["to_status"] == "declined")
    assert declined["change_said"] == f"{fr.label('st', 'contacted')} → {fr.label('st', 'declined')}"
    assert declined["reason_said"] == fr.label("wd_reason", "travel_burden") != "travel_burden"
    assert declined["at_said"] and "T" not in declined["at_said"]
    assert any(
        r["key"].startswith("declined: ") and r["said"].startswith(fr.label("st", "declined"))
        for r in log["reasons"]
    )
    page = html.unescape(
        client.get(
            f"/prescreen/{TRIAL_ID}/{a}/log", params={"lang": "fr"}, headers={"accept": "text/html"}
        ).text
    )
    assert declined["change_said"] in page and "contacted → declined" not in page
    assert 'href="?patient=A-1"' in page


def test_one_patients_history_on_the_page_the_json_and_the_csv(
    logged: tuple[Database, str], client_as
) -> None:  # type: ignore[no-untyped-def]
    db, a = logged
    client = client_as(db, nurse(a, "rose"))
    url = f"/api/prescreen/{TRIAL_ID}/{a}/log"
    whole = client.get(url).json()
    one = client.get(url, params={"patient": "A-1"}).json()
    assert {e["patient_id"] for e in whole["events"]} == {"A-1", "A-2"}
    assert [e["to_status"] for e in one["events"]] == ["pending", "contacted", "declined"]
    assert one["events_total"] == len(whole["events"]) == 4 and one["patient"] == "A-1"
    table = list(
        csv.DictReader(io.StringIO(client.get(url, params={"patient": "A-1", "format": "csv"}).text))
    )
    events = [r for r in table if r["record"] == "event"]
    assert [r["patient_id"] for r in events] == ["A-1"] * 3 and events[2]["said"] == "contacted → declined"
    page = client.get(
        f"/prescreen/{TRIAL_ID}/{a}/log", params={"patient": "A-1"}, headers={"accept": "text/html"}
    ).text
    assert 'id="log-filter"' in page and "A-2" not in page.split('id="events"', 1)[1]
    assert "patient=A-1" in page.split('id="export-log"', 1)[1].split(">", 1)[0]


def test_the_lists_csv_keeps_the_nurses_filter(logged: tuple[Database, str], client_as) -> None:  # type: ignore[no-untyped-def]
    """A nurse who filtered the list (a status, a patient's id) and exports it gets those rows, every page of
    them (the link carried the tab only: the whole tab came out)."""
    db, a = logged
    client = client_as(db, nurse(a, "rose"))
    page = client.get(
        f"/prescreen/{TRIAL_ID}/{a}",
        params={"tab": "all", "status": "pending", "q": "A-2"},
        headers={"accept": "text/html"},
    ).text
    link = html.unescape(page.split('id="export-list" href="', 1)[1].split('"', 1)[0])
    assert "format=csv" in link and "status=pending" in link and "q=A-2" in link and "tab=all" in link
    rows = list(csv.DictReader(io.StringIO(client.get(link).text)))
    assert [r["patient_id"] for r in rows] == ["A-2"]


@pytest.mark.browser
def test_the_nurse_follows_a_patient_through_the_french_log_in_chromium(  # type: ignore[no-untyped-def]
    page,
    prescreen_server,  # noqa: F811
) -> None:
    from pathlib import Path

    from tests.browser_helpers import log_in, shot
    from tests.test_browser_prescreen import PASSWORD

    live, db, centre = prescreen_server
    refresh_prescreen(db, TRIAL_ID, centre, nurse(centre), engine=FAKE_ENGINE)
    change_status(db, nurse(centre), TRIAL_ID, [StatusChange("A-1", 0), StatusChange("A-2", 0)], "pending")
    change_status(db, nurse(centre), TRIAL_ID, [StatusChange("A-1", 1)], "not_eligible", reason="lab_values")
    log_in(page, live, "nurse", PASSWORD, lang="fr")
    page.goto(live.url(f"/prescreen/{TRIAL_ID}/{centre}/log?lang=fr"))
    fr = translator("fr")
    events = page.locator("table#events tbody")
    assert f"{fr.label('st', 'pending')} → {fr.label('st', 'not_eligible')}" in events.inner_text()
    assert (
        fr.label("wd_reason", "lab_values") in events.inner_text() and "lab_values" not in events.inner_text()
    )
    events.locator("a", has_text="A-1").first.click()
    page.wait_for_load_state()
    assert "patient=A-1" in page.url and page.locator("table#events tbody tr").count() == 2
    shot(page, "screening-log-patient-fr.png", full_page=False)
    with page.expect_download() as info:
        page.click("#export-log")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert {r["patient_id"] for r in rows if r["record"] == "event"} == {"A-1"}
