"""A patient's page in French (fresh eyes): the attributes of facts read from notes have French words ("texte
lu", "× LSN", "langue"; they showed as "text", "x_uln", "language"), and a fact's provenance says its note's
characters in French ("caractères 51–59", was "chars 51-59"); every attribute key of the demo's facts is labelled."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from oncofed.presenters.i18n import translator
from oncofed.presenters.labels import LABELS
from oncofed.presenters.patients import provenance_text
from oncofed.store.db import Database


@pytest.mark.parametrize(
    ("key", "said"),
    [("text", "texte lu"), ("read", "lecture"), ("x_uln", "× LSN"), ("uln_source", "LSN d'après"), ("language", "langue")],
)  # fmt: skip
def test_note_fact_attributes_are_said_in_french(key: str, said: str) -> None:
    assert translator("fr").label("fact_attribute", key) == said


def test_a_facts_provenance_says_its_characters_in_the_readers_language() -> None:
    fact = {"source": "note:notes.jsonl", "record": "fr-walk", "span": [51, 59]}
    assert provenance_text(fact, "fr") == "note:notes.jsonl · fr-walk · caractères 51–59"
    assert provenance_text(fact, "en") == "note:notes.jsonl · fr-walk · chars 51–59"
    assert provenance_text({"source": "fhir:b.json"}, "fr") == "fhir:b.json"


def test_every_attribute_key_of_the_demo_facts_has_a_label(demo_db: Database) -> None:
    keys: set[str] = set()
    with demo_db.engine.connect() as conn:
        for (facts,) in conn.execute(text("SELECT facts FROM patients")):
            for fact in facts if isinstance(facts, list) else json.loads(facts):
                keys.update(fact.get("attributes") or {})
    assert keys, "no fact attributes in the demo"
    missing = sorted(keys - set(LABELS["fact_attribute"]))
    assert not missing, f"fact attributes without words (presenters/labels.py, fact_attribute): {missing}"
