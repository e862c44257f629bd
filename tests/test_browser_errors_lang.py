"""A clinician's refused action in French, in headless Chromium at 1280 and 390 px: planning a board
meeting in the past is refused in French (the service's code said with the catalogue's words, not its
English), and the error page leads back to the board's page the form was on; on a phone, a case's trail
reads one event at a time (its four narrow columns broke names and dates in the middle)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow, CaseRow
from tests.browser_helpers import shot
from tests.conftest import copy_sqlite, serve_as

pytestmark = pytest.mark.browser

CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({"curie"}), "care")


@pytest.fixture(scope="module")
def curie(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, int]]:
    target = tmp_path_factory.mktemp("errors-browser") / "boards.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    with db.session() as s:
        board = s.scalar(select(BoardRow.id).where(BoardRow.centre_id == "curie").order_by(BoardRow.id))
        case = s.scalar(
            select(CaseRow.id)
            .where(CaseRow.patient_centre_id == "curie", CaseRow.status == "signed")
            .order_by(CaseRow.id)
        )
    with serve_as(db, CLIN) as server:
        yield server.base_url, int(board), int(case)
    db.dispose()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_meeting_in_the_past_is_refused_in_french_with_a_way_back(curie, page: Any, width: int) -> None:  # type: ignore[no-untyped-def]
    base, board, _ = curie
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{base}/boards/{board}?lang=fr")
    page.fill('#new-meeting input[name="scheduled_for"]', "2001-01-01T10:00")
    page.click("#new-meeting button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#error-title").get_attribute("data-status") == "422"
    detail = page.locator("#error-detail").inner_text()
    assert detail == "La réunion du 1er janv. 2001 10:00 est dans le passé"
    assert "antidatés" in page.locator("#error-fix").inner_text()
    assert "in the past" not in page.content()
    sideways = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert sideways <= 1
    shot(page, f"error-refused-fr-{width}.png")
    page.click("#error-back")
    page.wait_for_load_state()
    assert page.url.endswith(f"/boards/{board}") and page.locator("#new-meeting").count() == 1


def test_a_case_trail_reads_one_event_at_a_time_on_a_phone(curie, page: Any) -> None:  # type: ignore[no-untyped-def]
    base, _, case = curie
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/boards/cases/{case}?lang=fr")
    who = page.locator("#trail tbody tr").first.locator("td").nth(1)
    # the user's name on one line (it was broken in the middle: "syst / em")
    height = who.evaluate("el => el.getBoundingClientRect().height")
    line = who.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 20")
    assert height <= line * 1.5, f"the trail's user name wraps ({height} px for a {line} px line)"
    assert page.locator("#trail thead").evaluate("el => getComputedStyle(el).display") == "none"
    page.locator("#trail").scroll_into_view_if_needed()
    shot(page, "board-case-trail-phone-fr.png")


def test_the_correction_form_lays_one_field_per_line_on_a_phone(curie, page: Any) -> None:  # type: ignore[no-untyped-def]
    base, _, _ = curie
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/patients/curie-000001?lang=fr#corrections")
    boxes = [
        page.locator(selector).bounding_box()
        for selector in ("#fact-code", "#fact-value", "#fact-unit", "#fact-when", "#fact-reason")
    ]
    tops = [b["y"] for b in boxes if b]
    assert len(tops) == 5 and tops == sorted(tops) and len(set(tops)) == 5, "one field per line"
    assert all(b and b["x"] + b["width"] <= 390 for b in boxes), "the fields fit the phone's width"
    page.locator("#corrections").scroll_into_view_if_needed()
    shot(page, "patient-correction-phone-fr.png", full_page=False)


def test_a_meeting_agenda_reads_one_case_at_a_time_on_a_phone(curie, page: Any) -> None:  # type: ignore[no-untyped-def]
    base, board, _ = curie
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/boards/{board}?lang=fr")
    meeting = page.locator("#meetings tbody a").first.get_attribute("href")
    assert meeting and meeting.startswith("/boards/meetings/")
    page.goto(f"{base}{meeting}?lang=fr")
    row = page.locator("#agenda tbody tr").first
    status = row.locator("td").nth(4)
    box = status.bounding_box()
    # the status and the candidate trials are on the phone's screen, each after its column's name
    assert box is not None and box["x"] + box["width"] <= 390
    before = status.evaluate("el => getComputedStyle(el, '::before').content")
    assert "Statut" in before
    shot(page, "board-agenda-phone-fr.png")


def test_a_patient_board_discussions_fit_a_phone(curie, page: Any) -> None:  # type: ignore[no-untyped-def]
    base, _, case = curie
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/boards/cases/{case}?lang=fr")
    patient = page.locator("h1").inner_text().split("·")[-1].strip()
    page.goto(f"{base}/patients/{patient}?lang=fr")
    status = page.locator("#patient-boards-table tbody tr").first.locator("td").nth(4)
    box = status.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, "the status is on the phone's screen"
    assert "Statut" in status.evaluate("el => getComputedStyle(el, '::before').content")
