"""A clinician sees their centre's patients' correction requests on their landing page (as research
staff see contact requests): the count and the latest requests, French and English, the JSON twin
`/api/me/home`; another centre's clinician and research staff see none (both databases). In headless Chromium: from
the landing page to the work list, whose column is « Réponse » and whose button is « Répondre »."""

from __future__ import annotations

from oncofed.domain import Actor, Role
from oncofed.services.patient_space import corrections, space
from oncofed.store.db import Database
from tests.prescreen_fixtures import build_network, nurse


def clinician(centre: str, name: str = "dr-house") -> Actor:
    return Actor(name, Role.CLINICIAN, frozenset({centre}), "care")


def _ask(db: Database, centre: str, patient_id: str, reasons: list[str]) -> None:
    me = Actor(
        "p-" + patient_id.lower(), Role.PATIENT, frozenset({centre}), "own access", patient_id=patient_id
    )
    facts = space.my_record(db, me).facts
    index = next((i for i, f in enumerate(facts) if f.kind != "note"), 0)
    for reason in reasons:
        corrections.ask(db, me, index, reason)


def test_the_landing_page_counts_the_requests_waiting(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(db)
    doctor = client_as(db, clinician(a))
    assert doctor.get("/api/me/home").json()["corrections_waiting"] == 0
    assert (
        "Aucune demande en attente" in doctor.get("/?lang=fr").text.split('id="correction-requests-home"')[1]
    )

    _ask(db, a, "A-1", ["the date is wrong", "not my treatment"])
    _ask(db, a, "A-5", ["never had this"])
    _ask(db, b, "B-1", ["another centre's patient"])
    home = doctor.get("/api/me/home").json()
    assert home["corrections_waiting"] == 3
    assert {r["patient_id"] for r in home["correction_requests"]} == {"A-1", "A-5"}
    fr = doctor.get("/?lang=fr").text
    assert "3\u00a0demandes attendent votre réponse" in fr or "3 demandes attendent votre réponse" in fr
    assert 'href="/patients/corrections"' in fr and "Y répondre" in fr
    en = doctor.get("/?lang=en").text
    assert "3 requests waiting for your answer" in en and "Answer them" in en

    one = corrections.work_list(db, clinician(a))[0]
    corrections.answer(db, clinician(a), one["id"], "Checked: corrected.")
    assert "2 requests waiting for your answer" in doctor.get("/?lang=en").text
    assert doctor.get("/api/me/home").json()["corrections_waiting"] == 2

    other = client_as(db, clinician(b, "dr-b")).get("/api/me/home").json()
    assert other["corrections_waiting"] == 1 and [r["patient_id"] for r in other["correction_requests"]] == [
        "B-1"
    ]
    assert "correction_requests" not in client_as(db, nurse(a)).get("/api/me/home").json()


def test_answer_column_and_button_differ_in_french(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, _ = build_network(db)
    _ask(db, a, "A-1", ["the date is wrong"])
    fr = client_as(db, clinician(a)).get("/patients/corrections?lang=fr").text
    assert "<th>Réponse</th>" in fr and '<button type="submit">Répondre</button>' in fr
    assert "<th>Répondre</th>" not in fr
    en = client_as(db, clinician(a)).get("/patients/corrections?lang=en").text
    assert "<th>Answer</th>" in en and '<button type="submit">Answer</button>' in en


def test_from_the_landing_page_to_the_answer_in_chromium(sqlite_db: Database, page) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import serve_as

    a, _ = build_network(sqlite_db)
    _ask(sqlite_db, a, "A-1", ["La date de diagnostic est fausse"])
    with serve_as(sqlite_db, clinician(a)) as server:
        page.goto(server.url("/?lang=fr"))
        assert "1 demande attend votre réponse" in page.locator("#corrections-waiting").inner_text()
        page.screenshot(path="docs/screenshots/landing-clinician-corrections-fr.png", full_page=True)
        page.click("#corrections-link")
        assert page.locator("#correction-requests th").last.inner_text() == "Réponse"
        page.locator("#correction-requests textarea").first.fill("Vérifié avec le compte rendu : corrigé.")
        page.locator("#correction-requests button").first.click()
        page.goto(server.url("/?lang=en"))
        assert page.locator("#corrections-waiting").count() == 0
        assert "No request waiting." in page.locator("#correction-requests-home").inner_text()
