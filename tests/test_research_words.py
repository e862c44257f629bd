"""A research milestone refused for its order is said wholly in the reader's language: the milestones by
their names ("Ouverture", "Sélection") and their dates as the language writes them ("1er janv. 2025"),
never the engine's English sentence ("opening (2025-01-01) is before selection (2025-02-01)") pasted into
the French message; on the API, the page's form and in English alike."""

from __future__ import annotations

from datetime import date

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError
from oncofed.presenters.errors import said
from oncofed.services.research.sponsor import order_said
from oncofed.store.db import Database
from tests.prescreen_fixtures import TRIAL_ID, build_network

MANAGER = Actor("tom", Role.TRIAL_MANAGER, purpose="feasibility")


def test_milestones_out_of_order_in_french_and_english(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    site, _ = build_network(db)
    api = client_as(db, MANAGER)
    url = f"/api/research/portfolio/{TRIAL_ID}/milestones"
    assert (
        api.post(url, json={"site": site, "milestone": "selection", "date": "2025-02-01"}).status_code == 200
    )
    late = {"site": site, "milestone": "opening", "date": "2025-01-01"}
    fr = api.post(url, json=late, headers={"Accept-Language": "fr"})
    assert fr.status_code == 422 and fr.json()["code"] == "research.milestone_order"
    detail = fr.json()["detail"]
    assert "Ouverture (1er janv. 2025) précède Sélection (1er févr. 2025)" in detail, detail
    assert "before" not in detail and "2025-01-01" not in detail
    en = api.post(url, json=late, headers={"Accept-Language": "en"}).json()["detail"]
    assert "Opening (1 Jan 2025) is before Selection (1 Feb 2025)" in en, en
    form = api.post(
        f"/research/portfolio/{TRIAL_ID}/milestones",
        data={"site": site, "milestone": "opening", "on": "2024-01-01"},
        headers={"Accept-Language": "fr", "Accept": "text/html"},
    )
    assert form.status_code == 422 and "précède Sélection" in form.text


def test_each_pair_out_of_order_is_one_part() -> None:
    dates = {"selection": date(2025, 3, 1), "contract": date(2025, 2, 1), "approval": date(2025, 1, 1)}
    parts = order_said(dates)
    assert [p["params"]["later"] for p in parts] == ["contract", "approval"]
    error = InputError(
        N_("the milestones are out of order: %(problems)s"), code="x", params={"problems": parts}
    )
    assert "contract (2025-02-01) is before selection (2025-03-01)" in error.message  # the log's English
    assert "Contrat" in said(error, "fr")["message"] or "contrat" in said(error, "fr")["message"].lower()
