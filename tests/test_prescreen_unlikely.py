"""Pre-screening's "probably not — to check" rows (eligibility `unlikely`, criterion code 4): a patient
with a criterion read as not met that the decision policy does not let exclude alone is neither a
plausible candidate (the default tab) nor blocked; the row lists what was read first and links to the
match page with the trial open. On both databases (the `db` fixture)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from oncofed.domain import PatientProfile, Trial
from oncofed.matching import trust
from oncofed.services.prescreen.engine import HELD, assess, criteria_texts, held_texts
from oncofed.services.prescreen.lists import PrescreenEngine, VerdictMatrix, prescreen_list
from oncofed.services.prescreen.paging import ListQuery, list_page
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.db import Database
from tests.prescreen_fixtures import CRITERIA, TRIAL_ID, build_network, fake_evaluate, nurse

LABELS = [["inc 1: ECOG 0-1", True], ["inc 2: consent", False], ["exc 3: brain metastases", True]]


def held_ecog(trial: Trial, patients: Sequence[PatientProfile]) -> VerdictMatrix:
    """The stand-in engine, its ECOG reading held back (as the policy does for an untrusted kind)."""
    m = fake_evaluate(trial, patients).verdicts.copy()
    m[0] = np.where(m[0] == 0, np.int8(HELD), m[0])
    return VerdictMatrix(CRITERIA, m)


HELD_ENGINE = PrescreenEngine(evaluate=held_ecog, fingerprint=lambda t: t.eligibility_text + " held")


def test_a_held_back_reading_is_probably_not_neither_candidate_nor_blocked() -> None:
    v = np.array([[2, 4, 0, 4], [1, 1, 1, 1], [2, 2, 2, 0]], dtype=np.int8)
    a = assess(VerdictMatrix(CRITERIA, v))
    assert a.eligibility == ["eligible", "unlikely", "not_eligible", "not_eligible"]
    assert a.verdicts[1] == "412" and a.n_unknown[1] == 1 and a.n_not_met[1] == 0
    # the stored string: held criteria first in what to check; strings stored before code 4 read as before
    assert criteria_texts("412", LABELS, "unlikely") == (["inc 1: ECOG 0-1", "inc 2: consent"], [])
    assert held_texts("412", LABELS) == ["inc 1: ECOG 0-1"]
    assert criteria_texts("212", LABELS, "eligible") == (["inc 2: consent"], [])
    assert criteria_texts("012", LABELS, "not_eligible") == ([], ["inc 1: ECOG 0-1"])


def test_tabs_counts_and_rows_of_the_probably_not_view(db: Database) -> None:
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=HELD_ENGINE)
    page = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely"), engine=HELD_ENGINE)
    counts = page["counts"]
    # A-3 (ECOG 3, held back) is probably not; A-5 (brain metastases, a trusted reading here) is blocked
    assert (counts["unlikely"], counts["blocked"], counts["candidates"]) == (1, 1, 3)
    assert counts["all"] == counts["candidates"] + counts["unlikely"] + counts["blocked"]
    assert [r["patient_id"] for r in page["candidates"]] == ["A-3"]
    assert page["candidates"][0]["read_not_met"] == [{"section": "inclusion", "text": CRITERIA[0].text}]
    default = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(), engine=HELD_ENGINE)
    assert "A-3" not in {r["patient_id"] for r in default["candidates"]}
    every = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="all"), engine=HELD_ENGINE)["candidates"]
    order = [r["eligibility"] for r in every]  # sorted after the possible ones, before the blocked
    assert order == sorted(order, key=["eligible", "possible", "unlikely", "not_eligible"].index)
    listed = prescreen_list(db, TRIAL_ID, a, nurse(a), refresh=False, engine=HELD_ENGINE)
    assert listed.counts["unlikely"] == 1
    assert next(c for c in listed.candidates if c.patient_id == "A-3").read_not_met == [
        f"inc 1: {CRITERIA[0].text}"
    ]


def test_the_real_engine_trusting_nothing_lists_probably_not_apart(db: Database) -> None:
    """The stored verdicts of the real engine: trusting no kind of reading, the patients read as not
    meeting a line are "probably not", none is blocked and the plausible candidates stay fewer than the
    patients; strict, the same patients are blocked."""
    a, _ = build_network(db)
    with trust.using(()):
        refresh_prescreen(db, TRIAL_ID, a, nurse(a))
        page = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="unlikely"))
    rows = {r["patient_id"]: r for r in page["candidates"]}
    assert page["counts"]["blocked"] == 0 and page["trusted_kinds"] == []
    assert rows and page["counts"]["candidates"] < page["counts"]["all"]
    assert all(
        r["read_not_met"] and r["read_not_met"] == r["to_check"][: len(r["read_not_met"])]
        for r in rows.values()
    )
    with trust.using(None):
        refresh_prescreen(db, TRIAL_ID, a, nurse(a))
        strict = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="blocked"))
    # the same readings: strict, exactly these patients are blocked (by the criteria read as not met)
    assert {r["patient_id"] for r in strict["candidates"]} == set(rows) and strict["counts"]["unlikely"] == 0
    for r in strict["candidates"]:
        assert r["blocking"] == rows[r["patient_id"]]["read_not_met"]


def test_page_csv_and_api_of_the_probably_not_tab(db: Database, client_as: Any) -> None:
    a, _ = build_network(db)
    client = client_as(db, nurse(a))
    client.app.state.prescreen_engine = HELD_ENGINE
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=HELD_ENGINE)
    html = client.get(f"/prescreen/{TRIAL_ID}/{a}?tab=unlikely", headers={"accept": "text/html"}).text
    assert 'id="tab-unlikely"' in html and "(1)" in html.split('id="tab-unlikely"')[1].split("</a>")[0]
    assert f'href="/patients/A-3/matches?trial={TRIAL_ID}#trial-{TRIAL_ID}"' in html
    assert 'class="read-not-met"' in html and CRITERIA[0].text in html
    assert ('id="no-trusted-kind"' in html) == (not trust.shipped())
    fr = client.get(f"/prescreen/{TRIAL_ID}/{a}?tab=unlikely&lang=fr", headers={"accept": "text/html"}).text
    assert "Probablement pas" in fr
    csv = client.get(f"/api/prescreen/{TRIAL_ID}/{a}?tab=unlikely&format=csv").text.splitlines()
    assert (
        "read_not_met" in csv[0].split(",") and "A-3" in csv[1] and f"inclusion: {CRITERIA[0].text}" in csv[1]
    )
    index = client.get("/prescreen", headers={"accept": "text/html"}).text  # the lists, each count apart
    assert f'href="/prescreen/{TRIAL_ID}/{a}?tab=unlikely">1</a>' in index
    assert (
        next(r for r in client.get("/api/prescreen").json()["lists"] if r["centre_id"] == a)["unlikely"] == 1
    )
    api = client.get(f"/api/prescreen/{TRIAL_ID}/{a}?tab=unlikely").json()
    assert api["counts"]["unlikely"] == 1 and api["candidates"][0]["eligibility"] == "unlikely"
