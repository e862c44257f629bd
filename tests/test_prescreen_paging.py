"""A pre-screening list's page, counts and totals (issue 22 rewrote its statements: one grouped count
instead of three joined ones, the page's ids first, names fetched for those ids only): for every tab,
screening-status filter, search and sort, the page equals what the whole list says."""

from __future__ import annotations

import itertools
from typing import Any

from oncofed.services.prescreen.paging import SORTS, TABS, ListQuery, list_page
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.prescreen.screening import StatusChange, change_status
from oncofed.store.db import Database
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse

IN_TAB = {
    "candidates": lambda r: r["eligibility"] in ("eligible", "possible"),
    "eligible": lambda r: r["eligibility"] == "eligible",
    "possible": lambda r: r["eligibility"] == "possible",
    "unlikely": lambda r: r["eligibility"] == "unlikely",
    "blocked": lambda r: r["eligibility"] == "not_eligible",
    "new": lambda r: r["is_new"],
    "all": lambda r: True,
}


def _page(db: Database, centre: str, **query: Any) -> dict[str, Any]:
    return list_page(db, TRIAL_ID, centre, nurse(centre), ListQuery(**query), engine=FAKE_ENGINE)


def test_every_tab_status_search_and_sort_agree_with_the_whole_list(db: Database) -> None:
    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-1", 0)], "pending", centre_id=a)
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-2", 0)], "pending", centre_id=a)
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-2", 1)], "flagged", centre_id=a)
    whole = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="all"), engine=FAKE_ENGINE, everything=True)
    rows = whole["candidates"]
    assert {r["patient_id"] for r in rows} == {"A-1", "A-2", "A-3", "A-4", "A-5"}  # no objector, no deceased
    assert {r["patient_id"]: r["status"] for r in rows if r["status"] != "new"} == {
        "A-1": "pending",
        "A-2": "flagged",
    }
    expected_counts = {tab: sum(1 for r in rows if IN_TAB[tab](r)) for tab in TABS}
    for tab, status, q, sort in itertools.product(
        TABS, ("", "new", "pending", "flagged"), ("", "a-2"), SORTS
    ):
        page = _page(db, a, tab=tab, status=status, q=q, sort=sort, size=2)
        assert page["counts"] == expected_counts, (tab, status, q)
        in_tab = [r for r in rows if IN_TAB[tab](r)]
        statuses: dict[str, int] = {}
        for r in in_tab:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        assert page["statuses"] == statuses, (tab, status, q)
        chosen = [
            r
            for r in in_tab
            if (not status or r["status"] == status) and (not q or q in r["patient_id"].lower())
        ]
        assert page["total"] == len(chosen), (tab, status, q)
        everything = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab=tab, status=status, q=q, sort=sort),
                               engine=FAKE_ENGINE, everything=True)  # fmt: skip
        ids = [c["patient_id"] for c in everything["candidates"]]
        assert sorted(ids) == sorted(r["patient_id"] for r in chosen), (tab, status, q, sort)
        assert [c["patient_id"] for c in page["candidates"]] == ids[:2], (tab, status, q, sort)
        assert [c["rank"] for c in page["candidates"]] == list(range(1, len(page["candidates"]) + 1))
        for c in page["candidates"]:  # each row carries its own name, status and version
            whole_row = next(r for r in rows if r["patient_id"] == c["patient_id"])
            assert (c["display_name"], c["status"], c["version"]) == (
                whole_row["display_name"],
                whole_row["status"],
                whole_row["version"],
            )
    second = _page(db, a, tab="all", sort="patient", page=2, size=2)
    assert [c["patient_id"] for c in second["candidates"]] == ["A-3", "A-4"]
    assert [c["rank"] for c in second["candidates"]] == [3, 4]
