"""The French UI walk's leftovers in headless Chromium: the network map's labels drawn apart (Curie and Gustave
Roussy were drawn over each other), patient ids on the audit page and the operations page's status kept on one
line, and the menu on a phone folded behind one button (it took three lines) without sideways scrolling."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.browser_helpers import log_in
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# how many line boxes an element's text takes (1: not wrapped)
LINES = "e => { const r = document.createRange(); r.selectNodeContents(e); return new Set(Array.from(r.getClientRects(), c => Math.round(c.top))).size; }"


def _sideways(page: Any) -> int:
    return int(
        page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_the_network_maps_labels_do_not_overlap(live_server: LiveServer, page: Any) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url("/?lang=fr"))
    boxes = page.locator("svg.france .point text").evaluate_all(
        "ts => ts.map(t => { const b = t.getBBox(); return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height]; })"
    )
    assert len(boxes) == 19 and "Gustave Roussy" in [b[0] for b in boxes]
    clashes = [
        (a[0], b[0])
        for a, b in itertools.combinations(boxes, 2)
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]
    assert clashes == [], f"labels drawn over each other: {clashes}"
    page.locator("figure.map").screenshot(path="/tmp/polish-map-fr.png")


def test_the_audit_page_keeps_each_patient_id_whole(live_server: LiveServer, new_page: Any) -> None:
    clinician = new_page()
    log_in(clinician, live_server, "clin-curie")
    clinician.goto(live_server.url("/api/patients?size=8"))  # reads of several patients, to find in the log
    dpo = new_page()
    dpo.set_viewport_size(DESKTOP)
    log_in(dpo, live_server, "dpo", lang="fr")
    dpo.goto(live_server.url("/audit?lang=fr&user=clin-curie"))
    ids = dpo.locator("#audit .id")
    assert ids.count() >= 6 and "-" in ids.first.inner_text()
    assert ids.evaluate_all(f"es => es.map({LINES})") == [1] * ids.count()
    dpo.set_viewport_size(PHONE)
    assert ids.evaluate_all(f"es => es.map({LINES})") == [1] * ids.count()
    dpo.set_viewport_size(DESKTOP)
    # the date and time of each read on one line ('6 déc. 2026' wrapped at 1280 px): the time is in a
    # smaller font, so its line box starts a little lower on the same line; a wrap moves it a line down
    when = dpo.locator("#audit td.when")
    spread = "e => { const r = document.createRange(); r.selectNodeContents(e); const t = Array.from(r.getClientRects(), c => c.top); return Math.max(...t) - Math.min(...t); }"
    assert when.count() >= 1 and max(when.evaluate_all(f"es => es.map({spread})")) < 8
    dpo.screenshot(path="/tmp/polish-audit-fr.png", full_page=True)


def test_the_operations_status_stays_on_one_line(live_server: LiveServer, page: Any) -> None:
    log_in(page, live_server, "admin", lang="fr")
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(live_server.url("/operations?lang=fr"))
        status = page.locator("#ops-checks td.ops-status")
        assert status.count() >= 3
        assert status.evaluate_all(f"es => es.map({LINES})") == [1] * status.count()
        assert _sideways(page) <= 1
        page.screenshot(path=f"/tmp/polish-operations-{size['width']}.png", full_page=True)


def test_the_phone_menu_folds_behind_one_button(live_server: LiveServer, page: Any) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "arc-curie", lang="fr")
    page.goto(live_server.url("/?lang=fr"))
    menu, button = page.locator("header nav"), page.locator("#menu-button")
    assert button.is_visible() and button.inner_text().startswith("Menu")
    assert not menu.is_visible()
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 100  # brand, button and who: at most two lines
    page.screenshot(path="/tmp/polish-menu-closed-390.png")
    button.click()
    assert menu.is_visible() and _sideways(page) <= 1
    page.screenshot(path="/tmp/polish-menu-open-390.png")
    page.locator("header nav a[href='/patients']").click()
    page.wait_for_url("**/patients*")
    assert page.locator("h1").is_visible() and _sideways(page) <= 1
    # the keyboard opens it too: the checkbox is focusable and toggled by the space bar
    page.focus("#menu-toggle")
    page.keyboard.press("Space")
    assert page.locator("header nav").is_visible()
    # on a desktop the menu shows as before and the button does not
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url("/?lang=fr"))
    assert page.locator("header nav").is_visible() and not page.locator("#menu-button").is_visible()
