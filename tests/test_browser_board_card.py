"""The tumour-board case card as a board reads it, in headless Chromium: per proposed trial the verdict and
a tally (met, not met, probably not met, to check), what stands against the patient shown open with the
engine's evidence (a reading the decision policy holds back: "probably not met — check"), and the criteria
still to check folded in a <details> whose summary gives their count (was: every one listed, open); the
evidence stays one click away. At 390 px the card does not scroll sideways (the decision form's fieldset
and its criterion select were as wide as the longest criterion). Screenshot docs/screenshots/board-card-fr.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.presenters.i18n import translator
from oncofed.services.boards.cards import freeze_meeting
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseRow
from oncofed.store.repositories import PatientRepository
from tests.boards_fixtures import planned_breast_meeting
from tests.browser_helpers import shot
from tests.conftest import copy_sqlite, serve_as

pytestmark = pytest.mark.browser

CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({"curie"}), "care")


@pytest.fixture(scope="module")
def frozen_card(
    demo_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """A copy of the demo network whose planned breast meeting at Curie is frozen (cards re-matched now);
    yields the server's URL, a case whose card has a trial with a reading held back, and that trial."""
    target = tmp_path_factory.mktemp("board-card") / "boards.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    meeting = planned_breast_meeting(db)
    freeze_meeting(db, CLIN, meeting)
    with db.session() as s:
        found = [
            (case.id, c)
            for case in s.scalars(select(CaseRow).where(CaseRow.meeting_id == meeting).order_by(CaseRow.id))
            for c in case.candidates or []
            if any(x.get("held_back") for x in c["to_check"]) and c.get("met")
        ]
    assert found, "a candidate trial with a reading held back by the decision policy"
    with serve_as(db, CLIN) as server:
        yield server.base_url, *found[0]
    db.dispose()


@pytest.fixture(scope="module")
def treated_on_agenda(frozen_card: tuple[str, int, dict[str, Any]], demo_db: Database) -> str:
    """A Curie patient with a tumour-board case and a treatment whose class and setting are recorded."""
    with demo_db.session() as s:
        patients = list(s.scalars(select(CaseRow.patient_id).where(CaseRow.patient_centre_id == "curie")))
        repo = PatientRepository(s, Actor.system("test"))
        for pid in dict.fromkeys(p for p in patients if p):
            profile = repo.get(pid)
            if profile is not None and any(
                f.kind == "treatment" and f.attributes.get("setting") and f.attributes.get("class")
                for f in profile.facts
            ):
                return pid
    raise AssertionError("a Curie patient on a board with a treatment's class and setting recorded")


def test_a_board_reads_per_trial_what_is_against_the_patient_and_unfolds_what_to_check(
    frozen_card: tuple[str, int, dict[str, Any]], page: Any
) -> None:
    base, case_id, trial = frozen_card
    held = [x for x in trial["to_check"] if x["held_back"]]
    rest = [x for x in trial["to_check"] if not x["held_back"]]
    fr = translator("fr")
    page.goto(f"{base}/boards/cases/{case_id}?lang=fr")
    card = page.locator(f'article.trial-card[data-trial="{trial["trial_id"]}"]')
    tally = card.locator(".tally").inner_text()
    assert f"{len(trial['met'])} remplis ✓" in tally or f"{len(trial['met'])} rempli ✓" in tally
    assert re.search(rf"\b{len(held)} ✗ probables?\b", tally) and f"{len(rest)} à vérifier" in tally
    # what stands against the patient: open, with the engine's evidence in French
    first = card.locator("ul.not-met li", has_text=held[0]["criterion"])
    assert first.is_visible()
    label = fr.label("match_o", f"{held[0]['section']}_held")
    assert label in first.inner_text() and "Lu comme" in first.inner_text()
    # what to check: folded, its count in the summary, each criterion one click away with its evidence
    folded = card.locator("details.to-check")
    assert folded.get_attribute("open") is None
    summary = folded.locator("summary").inner_text()
    assert summary == fr.ngettext("%(num)s criterion to check", "%(num)s criteria to check", len(rest))
    items = folded.locator("li")
    assert items.count() == len(rest) and not items.first.is_visible()
    folded.locator("summary").click()
    assert items.first.is_visible()
    assert folded.locator("small.evidence").count() >= 1
    # what is met: folded too, counted
    met = card.locator("details.met")
    assert met.get_attribute("open") is None and met.locator("li").count() == len(trial["met"])
    # the decision form still offers every criterion against or to check
    options = card.locator(f'select[name="c_{trial["trial_id"]}"] option')
    assert options.count() == 1 + len(trial["against"]) + len(trial["to_check"])
    shot(page, "board-card-fr.png")
    # English: the same card in English words
    page.goto(f"{base}/boards/cases/{case_id}?lang=en")
    card = page.locator(f'article.trial-card[data-trial="{trial["trial_id"]}"]')
    assert card.locator("details.to-check summary").inner_text() == (
        f"{len(rest)} criteria to check" if len(rest) != 1 else "1 criterion to check"
    )


def test_the_case_card_fits_a_phone(frozen_card: tuple[str, int, dict[str, Any]], page: Any) -> None:
    base, case_id, _trial = frozen_card
    page.set_viewport_size({"width": 390, "height": 844})
    for lang in ("fr", "en"):
        page.goto(f"{base}/boards/cases/{case_id}?lang={lang}")
        sideways = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert sideways <= 1, f"the case card scrolls sideways by {sideways} px at 390 px ({lang})"


def test_the_french_case_card_and_boards_list_say_kinds_numbers_and_dates_in_french(
    frozen_card: tuple[str, int, dict[str, Any]], page: Any
) -> None:
    """The card's patient summary said a fact's kind as its code ("primary_cancer : ..."), numbers with a
    decimal point and dates raw ("2026-10-21"); the boards list gave the next meeting as "2026-12-13T14:00"."""
    base, case_id, _trial = frozen_card
    page.goto(f"{base}/boards/cases/{case_id}?lang=fr")
    summary = page.locator("#summary").inner_text()
    iso = re.compile(r"\d{4}-\d{2}-\d{2}")
    assert "primary_cancer" not in summary and "Cancer primitif" in summary
    assert not iso.search(summary), summary
    assert "FEMALE" not in summary and "MALE" not in summary
    assert re.search(r"Âge \d+ ans?\b", summary), summary  # was "Âge 44"
    lab = page.locator('#summary tr[data-kind="lab"]').first.inner_text()
    assert not re.search(r"\d\.\d", lab), lab  # "4,19", not "4.19"
    when = page.locator("#trail tr td:first-child").all_inner_texts()
    assert when and not any(iso.search(w) for w in when), when
    # the trail's details: were the services' English sentences ("8 candidate trials, 4 new, matched for ...")
    details = page.locator("#trail tr td:nth-child(4)").all_inner_texts()
    assert any(
        re.search(r"\d+ essais? candidats?, \d+ nouveaux?\u202f; apparié pour la réunion du", d)
        for d in details
    )
    assert not any(re.search(r"\b(candidate|matched|meeting|new|specialties)\b", d) for d in details), details
    assert not any(iso.search(d) for d in details), details
    actions = page.locator("#trail tr td:nth-child(3)").all_inner_texts()
    assert not {"put on agenda", "frozen"} & set(actions) and "ré-apparié (ordre du jour figé)" in actions, (
        actions
    )
    page.goto(f"{base}/boards?lang=fr")
    table = page.locator("#boards").inner_text()
    assert "T14:00" not in table and not iso.search(table)
    assert re.search(r"\d{1,2} [a-zéû]+\.? \d{4} \d{2}:\d{2}", table), "a next meeting said in French"


def test_the_french_patient_page_says_a_treatments_class_setting_and_board_dates_in_french(
    frozen_card: tuple[str, int, dict[str, Any]], treated_on_agenda: str, page: Any
) -> None:
    """A treatment's attributes said "classe : aromatase inhibitor; situation : metastatic" and the patient's
    tumour boards gave the meeting day as "2026-12-13" on the French patient page."""
    base = frozen_card[0]
    page.goto(f"{base}/patients/{treated_on_agenda}?lang=fr")
    treatments = page.locator('tr[data-kind="treatment"]').all_inner_texts()
    assert treatments and not any(
        re.search(r"\b(metastatic|adjuvant setting|inhibitor|neoadjuvant)\b", t) for t in treatments
    ), treatments
    assert any("situation\u00a0: " in t for t in treatments)
    assert any("\u202f; " in t for t in treatments)  # the French list separator, not "; "
    boards = page.locator("#patient-boards tbody tr td:first-child").all_inner_texts()
    assert boards and not any(re.search(r"\d{4}-\d{2}-\d{2}", b) for b in boards), boards


def test_the_match_page_shows_a_held_back_reading_first_and_in_red(
    frozen_card: tuple[str, int, dict[str, Any]], page: Any
) -> None:
    """The same patient's match page: the trial's reading held back by the decision policy is its first row
    after the violated ones ("probably not met — check", was among the unknowns) and red like its count."""
    base, case_id, trial = frozen_card
    patient = page.request.get(f"{base}/api/boards/cases/{case_id}").json()["patient_id"]
    page.goto(f"{base}/patients/{patient}/matches?lang=fr")
    table = page.locator(f'details.match[data-trial-id="{trial["trial_id"]}"] table.criteria')
    outcomes = table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.held ? 'held' : r.dataset.outcome)"
    )
    assert "held" in outcomes, outcomes
    first_other = min(i for i, o in enumerate(outcomes) if o not in ("violated", "held"))
    assert (
        all(o in ("violated", "held") for o in outcomes[:first_other])
        and "held" not in outcomes[first_other:]
    )
    colour = table.locator("tr[data-held] .outcome").first.evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(201, 42, 42)"


def test_the_french_rcp_record_says_dates_kinds_and_the_readings_held_back(
    frozen_card: tuple[str, int, dict[str, Any]], page: Any
) -> None:
    """The printable RCP record (page and PDF) gave its meeting, summary and matching times raw
    ("2026-12-13T14:00"), facts by their codes ("primary_cancer: ...", "FEMALE") and no sign of a reading
    the decision policy held back among the criteria to check."""
    base, case_id, trial = frozen_card
    page.goto(f"{base}/boards/cases/{case_id}/record?lang=fr")
    record = page.locator("#board-record").inner_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", record), record[:600]
    assert "primary_cancer" not in record and "FEMALE" not in record and "Cancer primitif" in record
    held = next(x for x in trial["to_check"] if x["held_back"])
    row = (
        page.locator("table.trials tr", has_text=trial["trial_id"]).locator("div.not-met").first.inner_text()
    )
    assert held["criterion"] in row and translator("fr").label("match_o", f"{held['section']}_held") in row
