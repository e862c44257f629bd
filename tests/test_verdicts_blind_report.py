"""The verdict benchmark scores every blind set present, each with its own first score (benchmarks/
verdicts_blind.py): a set without a recorded first score reports this run as its first, per fold, with
intervals, and without a class breakdown while none of its folds has been read. Synthetic items only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.bench_verdicts import bootstrap, rates
from benchmarks.verdicts_blind import blind_body, blind_sets, first_record


def _items() -> list[dict[str, Any]]:
    items = []
    for fold in (0, 1):
        for t in range(3):
            trial = f"NCT0{fold}{t}"
            items.append({"trial": trial, "fold": fold, "class": None, "label": "eligible",
                          "excluded": t == 0, "named": False})  # fmt: skip
            for k in range(2):
                named = (t + k) % 2 == 0
                items.append({"trial": trial, "fold": fold, "class": "threshold", "label": "excluded",
                              "excluded": named, "named": named})  # fmt: skip
    return items


def _scores(items: list[dict[str, Any]]) -> dict[str, Any]:
    folds = sorted({i["fold"] for i in items})
    return {
        "items": items,
        "rates": rates(items),
        "ci": bootstrap(items, n=200),
        "trials": len({i["trial"] for i in items}),
        "folds": {f: rates([i for i in items if i["fold"] == f]) for f in folds},
        "fold_ci": {f: bootstrap([i for i in items if i["fold"] == f], n=200) for f in folds},
        "classes": {"threshold": (6, 12)},
        "unknown_ids": 0,
    }


def test_every_blind_folder_with_queries_is_a_set_in_name_order(tmp_path: Path) -> None:
    for name in ("verdicts-blind2", "verdicts-blind", "verdicts-blind3", "verdicts-dev"):
        (tmp_path / name).mkdir()
    for name in ("verdicts-blind2", "verdicts-blind", "verdicts-dev"):
        (tmp_path / name / "queries.jsonl").write_text("{}\n", encoding="utf-8")
    assert [p.name for p in blind_sets(tmp_path)] == ["verdicts-blind", "verdicts-blind2"]


def test_a_set_never_scored_reports_this_run_as_its_first_score_per_fold_without_classes() -> None:
    now = _scores(_items())
    runs = {"this engine": {"blind": {"verdicts-blind9": now}}}
    record = first_record(now, "abc1234", "2026-12-06 08:20 UTC")
    assert record["commit"] == "abc1234" and record["read_folds"] == ()
    assert record["eligible_kept"] == now["rates"]["eligible_kept"] == 4 / 6
    assert set(record["folds"]) == {0, 1} and len(record["ci"]["failure_named"]) == 2
    text = blind_body("verdicts-blind9", runs, None, record)
    assert "This run (commit abc1234, 2026-12-06 08:20 UTC) is its first score" in text
    assert "eligible kept 66.7 % [" in text
    assert text.count("**never read (still blind)**") == 2 and "by class" not in text
    # recorded later, once a fold has been read: the first score stays, classes are shown
    later = blind_body("verdicts-blind9", runs, {**record, "read_folds": (0,)}, {})
    assert "First scored at commit abc1234" in later and "read after the first score" in later
    assert "Failures named by class (this engine): threshold 6/12." in later
