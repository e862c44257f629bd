"""A pre-screening row names one patient: its eligibility is said in the singular ("Possiblement éligible",
was "Possiblement éligibles" for one patient), while the groups keep their plural names (the list's tabs,
the index's count columns), so the former YAML texts (scripts/i18n_yaml_keys.tsv: ps_eligible, ps_possible,
ps_not_eligible, wd_ps_tab_*) are still what the catalogue gives (test_i18n_catalogue)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tinyhtml5

from oncofed.domain import Actor, Role
from oncofed.presenters.i18n import translator
from oncofed.store.db import Database
from tests.conftest import copy_sqlite

ARC = Actor("arc-curie", Role.RESEARCH_STAFF, frozenset({"curie"}), "research")
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_a_rows_eligibility_is_singular_and_the_groups_plural() -> None:
    fr, en = translator("fr"), translator("en")
    assert [fr.label("ps_eligibility", c) for c in ("eligible", "possible", "unlikely", "not_eligible")] == [
        "Éligible",
        "Possiblement éligible",
        "Probablement non éligible — à vérifier",
        "Non éligible",
    ]
    assert [fr.label("wd_ps_tab", c) for c in ("eligible", "possible", "unlikely", "blocked")] == [
        "Éligibles",
        "Peut-être éligibles",
        "Probablement pas — à vérifier",
        "Non éligibles",
    ]
    assert fr.gettext("Possibly eligible") == "Possiblement éligibles"  # the index's column
    assert en.label("ps_eligibility", "possible") == en.gettext("Possibly eligible") == "Possibly eligible"


def _texts(html: str, css_class: str) -> list[str]:
    root = tinyhtml5.parse(html)
    return [
        "".join(e.itertext()).strip()
        for e in root.iter(f"{XHTML}span")
        if css_class in (e.get("class") or "").split()
    ]


def test_the_french_pre_screening_pages_say_one_patient_in_the_singular(
    demo_db: Database, client_as: Any, tmp_path: Path
) -> None:
    db = Database(f"sqlite:///{copy_sqlite(demo_db, tmp_path / 'prescreen.sqlite3')}")  # refreshed: a copy
    client = client_as(db, ARC)
    index = client.get("/prescreen?lang=fr")
    assert index.status_code == 200
    assert '<th class="num">Possiblement éligibles</th>' in index.text
    lists = re.findall(r'href="(/prescreen/[^/"]+/curie)"', index.text)
    assert lists, "the demo has pre-screening lists at Curie"
    seen: set[str] = set()
    for url in lists[:8]:
        client.post(f"{url}/refresh", data={"tab": "all"})
        page = client.get(f"{url}?lang=fr&tab=all")
        assert page.status_code == 200, url
        seen |= set(_texts(page.text, "elig"))
        if {"Possiblement éligible", "Éligible"} <= seen:
            break
    singular = {"Éligible", "Possiblement éligible", "Probablement non éligible — à vérifier", "Non éligible"}
    assert seen and seen <= singular, seen
    assert "Possiblement éligible" in seen, seen
    db.dispose()
