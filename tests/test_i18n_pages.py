"""No untranslated string in a rendered page (issue 18 part 6): every page of the app, as every role
on the demo network, in French; English text, raw codes, decimal points and ISO dates are reported
with the page they were found on (tests/i18n_pages.py says what counts and how data is marked)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from oncofed.store.db import Database
from tests.i18n_pages import (
    Finding,
    demo_ids,
    fill,
    findings,
    indicator_id,
    page_routes,
    untranslated_msgids,
    visible_texts,
)
from tests.route_matrix import ROLES, World, actor_for, client_for, make_world


@pytest.fixture(scope="module")
def world(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(demo_db, tmp_path_factory.mktemp("i18n-pages"))


@pytest.fixture(scope="module")
def msgids() -> dict[str, str]:
    return untranslated_msgids("fr")


def french_pages(world: World, role: str) -> dict[str, str]:
    """path -> HTML of every page `role` can open, rendered in French."""
    client = client_for(world.db, actor_for(world, role))
    values = {**world.params("/{patient_id}/{centre_id}/{trial_id}", own=True), **demo_ids(world.db)}
    values["indicator_id"] = indicator_id(client)
    pages = {}
    for route in page_routes(client):
        path = fill(route, values)
        response = client.get(path, params={"lang": "fr"}, headers={"accept": "text/html"})
        if response.status_code == 200 and response.headers.get("content-type", "").startswith("text/html"):
            pages[path] = response.text
    return pages


@pytest.mark.parametrize("role", list(ROLES))
def test_no_english_left_in_french_pages(world: World, msgids: dict[str, str], role: str) -> None:
    pages = french_pages(world, role)
    assert pages, f"no page opened as {role}"
    found: dict[Finding, list[str]] = defaultdict(list)
    for path, html in pages.items():
        for text in visible_texts(html):
            for f in findings(text, msgids):
                found[f].append(path)
    report = [f"{f} on {', '.join(sorted(set(paths))[:3])}" for f, paths in sorted(found.items(), key=str)]
    assert not report, (
        f"{len(report)} texts not in French on the pages of {role} (translate UI text through the catalogue, "
        'format numbers and dates with num()/day(), mark data with translate="no"):\n' + "\n".join(report)
    )
