"""The patient list counted and paged in the database (issue 22): totals and pages equal the whole
list, for a one-centre clinician and for a caller who sees every centre (no WHERE clause at all)."""

from __future__ import annotations

from oncofed.domain import Actor, Role
from oncofed.services.patients.search import PatientQuery, search_patients
from oncofed.store.db import Database
from tests.prescreen_fixtures import build_network


def _all_pages(db: Database, actor: Actor, size: int, **query: str) -> tuple[list[int], list[str]]:
    totals, ids, page = [], [], 1
    while True:
        out = search_patients(db, actor, PatientQuery(page=page, size=size, **query))
        totals.append(out["total"])
        if not out["patients"]:
            return totals, ids
        ids += [p["id"] for p in out["patients"]]
        page += 1


def test_totals_and_pages_equal_the_whole_list(db: Database) -> None:
    a, b = build_network(db)
    everyone = Actor.system("test")  # every centre: the statement has no WHERE clause
    totals, ids = _all_pages(db, everyone, 2)
    assert set(totals) == {9} and ids == sorted(ids) and len(ids) == 9
    clinician = Actor("dr-a", Role.CLINICIAN, frozenset({a}))
    totals, ids = _all_pages(db, clinician, 3)
    assert set(totals) == {7} and ids == ["A-1", "A-2", "A-3", "A-4", "A-5", "A-DEAD", "A-OBJ"]
    totals, ids = _all_pages(db, clinician, 2, q="a-")
    assert set(totals) == {7} and len(ids) == 7
    totals, ids = _all_pages(db, clinician, 2, stage="II")
    assert set(totals) == {1} and ids == ["A-4"]
