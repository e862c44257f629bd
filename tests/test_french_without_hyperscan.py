"""Without Hyperscan (a platform with no wheel: `hyperscan` is only required on x86-64), the French rewrite
runs every rule whose `needs` are in the text and gives the same English, spans and facts: the prefilter
only skips rules that cannot match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oncofed.criteria import french
from oncofed.ingest.patients.notes import extract

DEV_FR = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "verdicts-dev-fr" / "queries.jsonl"
SAMPLE = (
    "Patiente de 58 ans, adénocarcinome mammaire infiltrant du sein gauche, RH+ HER2-, stade IV avec "
    "métastases hépatiques et osseuses. OMS 1. Pas de métastase cérébrale. Créatinine 78 µmol/L, "
    "PNN 1,5 G/L. Sérologie VIH négative. ATCD : cholécystectomie. RCP du 12/03/2024 : C1J1 prévu."
)


def _notes() -> list[str]:
    if not DEV_FR.exists():
        return [SAMPLE]
    return [SAMPLE] + [
        json.loads(x)["text"] for x in DEV_FR.read_text(encoding="utf-8").splitlines()[:25] if x
    ]


def _read(texts: list[str]) -> list[object]:
    out: list[object] = []
    for text in texts:
        rw = french.rewrite(text)
        facts = [repr(f) for f in extract(text, "n", "note").facts]
        out.append((rw.text, facts))
    return out


def test_the_rewrite_and_the_facts_are_the_same_without_hyperscan(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _notes()
    with_prefilter = _read(texts)
    monkeypatch.setattr(french, "hyperscan", None)
    assert _read(texts) == with_prefilter
