"""A French note's facts get their spans in the note as written in place (`notes.french._restored_all`,
speed31, issue 23): the same facts as the copies made before, on the dev notes and on the cases where an
in-place change could go wrong (a provenance shared by two facts, a fact listed twice)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from oncofed.criteria.french import Rewritten, rewrite
from oncofed.criteria.language import detect
from oncofed.domain.patient import Fact, Provenance
from oncofed.ingest.patients.notes import facts
from oncofed.ingest.patients.notes import french as notes_french

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


def _reference(found: list[Fact], rw: Rewritten) -> list[Fact]:
    """The restore as it was written before: a new fact and a new provenance for every fact, its span
    through `Rewritten.to_source`."""
    out = []
    for f in found:
        if f.kind == "note":
            attributes = notes_french._note_attributes(f, rw.language)
            out.append(dataclasses.replace(f, value=rw.source, attributes=attributes))
            continue
        span = f.provenance.span
        if not span:
            out.append(f)
            continue
        s, e = span
        start, end = rw.to_source(s, e)
        quoted, written = rw.source[start:end], rw.text[s:e]
        changes: dict[str, Any] = {"provenance": dataclasses.replace(f.provenance, span=(start, end))}
        if f.kind == "note_unread":
            changes["display"] = quoted[:160]
        elif f.kind not in notes_french._LABEL_KINDS and f.display and f.display == written:
            changes["display"] = quoted
        if f.attributes.get("text") == written and not notes_french._engine_reads_text(f):
            changes["attributes"] = {**f.attributes, "text": quoted}
        out.append(dataclasses.replace(f, **changes))
    return out


def _both(text: str) -> tuple[list[Fact], list[Fact]]:
    rw = rewrite(text, "notes", detect(text))
    expected = _reference(facts.extract(rw.text, "n", "note").facts, rw)
    return notes_french._restored_all(facts.extract(rw.text, "n", "note").facts, rw), expected


def test_same_facts_as_copies_on_the_french_dev_notes() -> None:
    path = DATA / "verdicts-dev-fr" / "queries.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    for text in texts:
        got, expected = _both(text)
        assert got == expected, text[:80]


@pytest.mark.parametrize(
    "text",
    [
        "Patiente de 58 ans. Etat général : OMS 1. Pas de métastase cérébrale.",  # ECOG -> Karnofsky converted
        "Homme de 64 ans, indice de Karnofsky à 80 %, adénocarcinome pulmonaire.",  # Karnofsky -> ECOG
        "Performance status OMS 2 ; créatinine 78 µmol/L ; ATCD de diabète de type 2.",
    ],
)
def test_a_provenance_shared_by_two_facts_is_mapped_once(text: str) -> None:
    rw = rewrite(text, "notes", detect(text))
    found = facts.extract(rw.text, "n", "note").facts
    shared = [f for f in found if f.kind in ("ecog", "karnofsky")]
    assert len(shared) == 2 and shared[0].provenance is shared[1].provenance  # the premise of the case
    expected = _reference(facts.extract(rw.text, "n", "note").facts, rw)
    got = notes_french._restored_all(found, rw)
    assert got == expected
    (span,) = {f.provenance.span for f in got if f.kind in ("ecog", "karnofsky")}
    assert span is not None
    assert any(w in text[span[0] : span[1]] for w in ("OMS", "Karnofsky")), text[span[0] : span[1]]


def test_a_fact_listed_twice_is_mapped_once() -> None:
    text = "Patiente de 58 ans, carcinome canalaire infiltrant du sein gauche."
    rw = rewrite(text, "notes", detect(text))
    found = facts.extract(rw.text, "n", "note").facts
    cancer = next(f for f in found if f.kind == "primary_cancer")
    cancer_span = cancer.provenance.span
    expected = _reference([*found, cancer], rw)
    got = notes_french._restored_all([*found, cancer], rw)
    assert got == expected
    assert rw.edits and got[-1].provenance.span != cancer_span  # the note was rewritten: the span moved


def test_only_this_reads_facts_of_its_own() -> None:
    """The facts changed in place are the reader's own: `facts.extract` makes new ones at every call."""
    text = "Patiente de 58 ans, OMS 1."
    rw = rewrite(text, "notes", detect(text))
    first = facts.extract(rw.text, "n", "note").facts
    second = facts.extract(rw.text, "n", "note").facts
    assert not {id(f) for f in first} & {id(f) for f in second}
    assert not {id(f.provenance) for f in first} & {id(f.provenance) for f in second}
    assert all(isinstance(f.provenance, Provenance) for f in first)
