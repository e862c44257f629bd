"""A contact request about a trial that recruits at another network centre (docs/PATIENTS.md): it stays at
the patient's own centre, names the recruiting centre and its contact, and reaches that centre only when a
person of the patient's centre forwards it (audited). Both databases; the page in Chromium FR/EN."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from oncofed.domain import Actor, Role
from oncofed.errors import InputError, NotFound
from oncofed.services.network.centres import network_centres
from oncofed.services.patient_space import forwarding, trials
from oncofed.store import audit
from oncofed.store.db import Database
from oncofed.store.models import TrialSiteRow
from tests.prescreen_fixtures import TRIAL_ID, build_network, nurse

ME = "A-1"


def _recruits_only_at(db: Database, centre: str, contact: str = "") -> None:
    with db.session() as s:
        s.execute(update(TrialSiteRow).where(TrialSiteRow.trial_id == TRIAL_ID, TrialSiteRow.centre_id != centre)
                  .values(status="completed"))  # fmt: skip
        s.execute(update(TrialSiteRow).where(TrialSiteRow.centre_id == centre).values(contact=contact))


def test_elsewhere_the_request_waits_at_home_until_a_person_forwards_it(db: Database) -> None:
    a, b = build_network(db)
    third = next(c.id for c in network_centres() if c.id not in (a, b))
    _recruits_only_at(db, b, "essais@example.org, 01 23 45 67 89")
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id=ME)
    made = trials.ask_contact(db, me, TRIAL_ID, "mornings")
    (home,) = trials.staff_requests(db, nurse(a))
    assert home["id"] == made["id"] and home["site_centre_id"] == b and home["elsewhere"]
    assert home["site_contact"] == "essais@example.org, 01 23 45 67 89" and home["forwarded_to"] == ""
    for other in (
        nurse(b, "nurse-b"),
        nurse(third, "nurse-c"),
        Actor("dr-b", Role.CLINICIAN, frozenset({b})),
    ):
        assert trials.staff_requests(db, other, include_handled=True) == []  # never before forwarding
        with pytest.raises(NotFound):
            trials.mark_handled(db, other, made["id"])
    with pytest.raises(NotFound):  # only the patient's centre forwards
        forwarding.forward(db, nurse(b, "nurse-b"), made["id"])
    assert trials.my_requests(db, me)[0]["elsewhere"] and not trials.my_requests(db, me)[0]["forwarded"]
    sent = forwarding.forward(db, nurse(a), made["id"])
    assert sent["forwarded_to"] == b
    with pytest.raises(InputError):
        forwarding.forward(db, nurse(a), made["id"])  # once
    (there,) = trials.staff_requests(db, nurse(b, "nurse-b"))
    assert there["forwarded_here"] and there["forwarded_by"] == "nurse-a"
    assert trials.staff_requests(db, nurse(third, "nurse-c")) == []  # only the recruiting centre
    assert trials.my_requests(db, me)[0]["forwarded"]  # the patient is told where it went
    trials.mark_handled(db, nurse(b, "nurse-b"), made["id"])
    (entry,) = audit.search(db.engine, action="patient.contact_forwarded")
    assert entry["user_id"] == "nurse-a" and entry["patient_ids"] == ME
    assert entry["detail_params"]["centre"] == b


def test_at_home_there_is_nothing_to_forward(sqlite_db: Database) -> None:
    a, _ = build_network(sqlite_db)
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id=ME)
    made = trials.ask_contact(sqlite_db, me, TRIAL_ID)  # recruits at the patient's own centre too
    assert trials.staff_requests(sqlite_db, nurse(a))[0]["site_centre_id"] == a
    with pytest.raises(InputError):
        forwarding.forward(sqlite_db, nurse(a), made["id"])


def test_the_work_list_page_forwards_fr_en(sqlite_db: Database, page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import serve_as

    a, b = build_network(sqlite_db)
    _recruits_only_at(sqlite_db, b, "essais@example.org")
    me = Actor("alice", Role.PATIENT, frozenset({a}), "own access", patient_id=ME)
    trials.ask_contact(sqlite_db, me, TRIAL_ID)
    with serve_as(sqlite_db, nurse(a)) as server:
        page.goto(server.url("/prescreen/requests?lang=fr"))
        assert "essais@example.org" in page.locator("#contact-requests").inner_text()
        page.locator("button.forward").click()
        assert f"Transmise à {b}" in page.locator("#contact-requests").inner_text()
        page.screenshot(path="docs/screenshots/contact-request-forwarded-fr.png", full_page=True)
        page.goto(server.url("/prescreen/requests?lang=en"))
        assert f"Forwarded to {b} by nurse-a" in page.locator("#contact-requests").inner_text()
