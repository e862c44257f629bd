"""The decision policy on the match page (headless Chromium): a criterion the engine read as not met, of a
kind of reading not proven reliable (matching/trust.py), is among "to check", marked "probably not met —
check" with the engine's evidence, in English and French; `?strict=1` shows the strict verdicts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository
from tests.conftest import SCREENSHOTS, LiveServer, serve_as

pytestmark = pytest.mark.browser

HELD = {"probably not met — check", "probably applies — check"}
HELD_FR = {"probablement non rempli — à vérifier", "probablement présent — à vérifier"}


@pytest.fixture(scope="module")
def server(demo_db: Database) -> Iterator[tuple[list[str], LiveServer]]:
    with demo_db.session() as s:
        patients = PatientRepository(s, Actor.system()).list(limit=None)
    centre = patients[0].centre_id
    ids = [p.id for p in patients if p.centre_id == centre]
    with serve_as(demo_db, Actor("dr-policy", Role.CLINICIAN, frozenset({centre}))) as live:
        yield ids, live


def _held_case(page: Any, live: LiveServer, ids: list[str]) -> tuple[str, str, dict[str, Any]]:
    """The first patient of the centre with a held-back criterion in its JSON matches."""
    for pid in ids[:40]:
        data = page.request.get(live.url(f"/api/patients/{pid}/matches")).json()
        for m in data["matches"]:
            for c in m["criteria"]:
                if c["held_back"]:
                    return pid, m["trial_id"], c
    raise AssertionError("no held-back criterion among the demo patients' matches")


def test_a_held_back_reading_is_shown_probably_not_met_with_its_evidence(
    server: tuple[list[str], LiveServer], page: Any
) -> None:
    ids, live = server
    page.set_default_timeout(60_000)
    pid, trial_id, c = _held_case(page, live, ids)
    assert c["outcome"] == "unknown" and c["label"] in HELD and c["reading"]
    assert c["evidence"].startswith(("Read as not met: ", "Read as applying: "))
    page.goto(live.url(f"/patients/{pid}/matches"))
    match = page.locator(f"details.match[data-trial-id='{trial_id}']")
    if match.get_attribute("open") is None:
        match.locator("summary").click()
    row = match.locator("table.criteria tbody tr[data-held='1']").first
    # the trial's summary line counts its held-back readings beside ✓ ✗ ?, as its JSON does
    held = page.request.get(live.url(f"/api/patients/{pid}/matches")).json()
    n_held = next(m["held_back"] for m in held["matches"] if m["trial_id"] == trial_id)
    assert n_held >= 1
    assert match.locator("summary .outcome-held").inner_text() == f"{n_held} probably ✗"
    assert row.get_attribute("data-outcome") == "unknown"
    assert row.locator(".outcome").inner_text() in HELD
    evidence = row.locator("td.evidence").inner_text()
    # why it is held back: its kind excludes no one alone (with how often it was right, when measured)
    assert "on its own: check it." in evidence and "This kind of reading" in evidence
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "matches-held-back.png"))
    # the CSV keeps the outcome and says it in words
    csv = page.request.get(live.url(f"/api/patients/{pid}/matches?format=csv&table=criteria")).text()
    assert csv.splitlines()[0].split(",")[:8] == [
        "rank", "trial_id", "section", "index", "cohort", "outcome", "label", "criterion",
    ]  # fmt: skip
    assert any(w in csv for w in HELD)
    # French
    page.goto(live.url(f"/patients/{pid}/matches?lang=fr"))
    match = page.locator(f"details.match[data-trial-id='{trial_id}']")
    if match.get_attribute("open") is None:
        match.locator("summary").click()
    row = match.locator("table.criteria tbody tr[data-held='1']").first
    assert match.locator("summary .outcome-held").inner_text().startswith(f"{n_held} ✗ probable")
    assert row.locator(".outcome").inner_text() in HELD_FR
    said = row.locator("td.evidence").inner_text()
    assert (
        "Ce type de lecture" in said and "à lui seul\u00a0: à vérifier." in said and "This kind" not in said
    )
    # the strict verdicts, one click away: nothing held back, the reading excludes
    page.goto(live.url(f"/patients/{pid}/matches?lang=en"))
    assert "strict" not in (page.locator("#export-criteria").get_attribute("href") or "")
    page.locator("#policy-link").click()
    page.wait_for_url("**strict=1**")
    assert page.locator("table.criteria tbody tr[data-held='1']").count() == 0
    # its exports say what it shows: the JSON and every CSV link carry the strict switch
    for link in ("#export-json", "#export-trials", "#export-criteria", "#export-checks"):
        assert "strict=1" in (page.locator(link).get_attribute("href") or ""), link
    strict = page.request.get(live.url(page.locator("#export-json").get_attribute("href") or "")).json()
    assert strict["strict"] is True
    same = next(m for m in strict["matches"] if m["trial_id"] == trial_id)
    line = next(x for x in same["criteria"] if x["index"] == c["index"] and x["section"] == c["section"])
    assert line["outcome"] in ("violated", "not_applicable") and not line["held_back"]
