"""A signed tumour-board case on a phone, in headless Chromium: the case page and its RCP record scrolled
sideways at 390 px (by ~110 and ~130 px) because the record's SHA-256 digest, 64 characters without a break,
was laid out on one line (and widened the trail's table); it now wraps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Role
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseRow
from tests.conftest import copy_sqlite, serve_as

pytestmark = pytest.mark.browser

CLIN = Actor("clin-curie", Role.CLINICIAN, frozenset({"curie"}), "care")


@pytest.fixture(scope="module")
def signed_case(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    target = tmp_path_factory.mktemp("board-signed") / "boards.sqlite3"
    copy_sqlite(demo_db, target)
    db = Database(f"sqlite:///{target}")
    with db.session() as s:
        case_id = s.scalar(
            select(CaseRow.id)
            .where(CaseRow.patient_centre_id == "curie", CaseRow.status == "signed")
            .order_by(CaseRow.id)
        )
    assert case_id is not None, "the demo network has a signed case at Curie"
    with serve_as(db, CLIN) as server:
        yield server.base_url, case_id
    db.dispose()


def test_a_signed_case_and_its_record_fit_a_phone(signed_case: tuple[str, int], page: Any) -> None:
    base, case_id = signed_case
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/boards/cases/{case_id}", f"/boards/cases/{case_id}/record"):
        for lang in ("fr", "en"):
            page.goto(f"{base}{path}?lang={lang}")
            assert page.locator(".digest").first.inner_text().strip(), "the record's digest is shown"
            sideways = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 1, f"{path} scrolls sideways by {sideways} px at 390 px ({lang})"
