"""The blind verdict sets' part of `benchmarks/bench_verdicts.py`: which sets there are and how their
section reads (each set with its own first score, kept in bench_verdicts' `FIRST_SCORES`).

A blind set is any `benchmarks/data/verdicts-blind*/` folder in the dev set's layout (`queries.jsonl`,
`pairs.tsv`, `expected.jsonl`, optional `corpus.jsonl`). Its first score on main, before any fix it
prompted, is the held-out estimate; later runs show the current engine on the same set. Folds never read
stay blind: per-class counts are shown only for a set some of whose folds were read (a class breakdown of
an unread set would point at what to tune).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.report import ROOT

DATA_DIR = ROOT / "benchmarks" / "data"


def blind_sets(root: Path = DATA_DIR) -> list[Path]:
    """Every blind set present, in name order (`verdicts-blind`, `verdicts-blind2`, ...)."""
    return sorted(p for p in root.glob("verdicts-blind*") if p.is_dir() and (p / "queries.jsonl").exists())


def pct(v: float) -> str:
    return f"{100 * v:.1f} %" if v == v else "-"


def ci(c: tuple[float, float] | None) -> str:
    return f"[{100 * c[0]:.0f}-{100 * c[1]:.0f} %]" if c else ""


def first_record(now: dict[str, Any], commit: str, when: str) -> dict[str, Any]:
    """What to copy into `FIRST_SCORES` after a set's first run: commit, date, rates with intervals,
    per fold (eligible kept, failures named) and no fold read yet."""
    keys = ("eligible_kept", "failure_named", "failure_excluded", "balanced")
    return {
        "commit": commit,
        "date": when,
        **{k: now["rates"][k] for k in keys},
        "ci": {k: list(now["ci"][k]) for k in keys if k in now["ci"]},
        "folds": {f: (r["eligible_kept"], r["failure_named"]) for f, r in now["folds"].items()},
        "read_folds": (),
    }


def _fold_sizes(items: list[dict[str, Any]]) -> str:
    """ "4 trials, 4 eligible notes and 12 failures each", or fold by fold when they differ."""
    sizes = {
        f: (
            len({i["trial"] for i in items if i["fold"] == f}),
            sum(1 for i in items if i["fold"] == f and i["label"] == "eligible"),
            sum(1 for i in items if i["fold"] == f and i["label"] == "excluded"),
        )
        for f in sorted({i["fold"] for i in items})
    }
    if len(set(sizes.values())) == 1:
        t, e, x = next(iter(sizes.values()))
        return f"{t} trials, {e} eligible notes and {x} failures each"
    return "; ".join(
        f"fold {f}: {t} trials, {e} eligible notes, {x} failures" for f, (t, e, x) in sizes.items()
    )


def blind_body(
    name: str, runs: dict[str, dict[str, Any]], first: dict[str, Any] | None, this_run: dict[str, Any]
) -> str:
    """The section of blind set `name` (runs[engine]["blind"][name] holds each engine's scores).
    `first` is its recorded first score; None when this run is the first (`this_run` stands for it)."""
    names = [n for n in runs if name in runs[n].get("blind", {})]
    now = runs[names[0]]["blind"][name]
    items = now["items"]
    n_elig = sum(1 for i in items if i["label"] == "eligible")
    n_fail = len(items) - n_elig
    is_first = first is None
    record = this_run if first is None else first
    read = set(record.get("read_folds") or ())
    head = "| measure | " + " | ".join(names) + " | target |\n|---|" + "---|" * (len(names) + 1)
    rows = [
        f"| {label} | "
        + " | ".join(
            f"{pct(runs[n]['blind'][name]['rates'][key])} {ci(runs[n]['blind'][name]['ci'].get(key))}"
            for n in names
        )
        + f" | {target} |"
        for key, label, target in (
            ("eligible_kept", f"eligible notes not excluded ({n_elig})", "≥ 90 %"),
            ("failure_named", f"failures excluded with the named criterion violated ({n_fail})", "≥ 80 %"),
            ("failure_excluded", "failures excluded (any criterion)", ""),
            ("failure_flagged", "failures flagged (excluded, or the named criterion to check)", ""),
            ("balanced", "balanced accuracy", ""),
            (
                "eligible_in_default_tab",
                "eligible notes in pre-screening's default tab (eligible or possible)",
                "",
            ),
            ("failure_apart", "failures set apart from it (excluded, or probably not — check)", ""),
        )
    ]
    first_ci = record.get("ci") or {}
    first_line = ", ".join(
        f"{label} {pct(record[key])} {ci(first_ci.get(key))}".strip()
        for key, label in (
            ("eligible_kept", "eligible kept"),
            ("failure_named", "failures named"),
            ("balanced", "balanced accuracy"),
        )
    )
    when = f", {record['date']}" if record.get("date") else ""
    if is_first:
        status = (
            f"**This run (commit {record['commit']}{when}) is its first score, before any fix: {first_line}.**"
            " It is the held-out estimate (brackets: 95 % bootstrap interval over trials)."
        )
    else:
        status = (
            f"**First scored at commit {record['commit']}{when}, before any fix it prompted: {first_line}.**"
            " That figure is the held-out estimate (brackets: 95 % bootstrap interval over trials); the table"
            " below is the current engine on the same set"
            + (
                " (after the class fixes its read folds prompted, so no longer blind)."
                if read
                else " (no fold of it has been read: still blind)."
            )
        )
    first_folds = record.get("folds") or {}
    fold_rows = [
        f"| {f} | {'read after the first score' if f in read else '**never read (still blind)**'} | "
        + (f"{pct(first_folds[f][0])} / {pct(first_folds[f][1])}" if f in first_folds else "")
        + f" | {pct(r['eligible_kept'])} / {pct(r['failure_named'])}"
        + f" | {ci(now['fold_ci'][f].get('eligible_kept'))} / {ci(now['fold_ci'][f].get('failure_named'))} |"
        for f, r in now["folds"].items()
    ]
    lines = [
        f"### Blind set `{name}`",
        "",
        f"`benchmarks/data/{name}/`: {now['trials']} real trials, {n_elig} eligible notes and {n_fail}"
        " one-criterion failures, written by another engineer blind to the engine (same layout and rules as the"
        " dev set). " + status,
        "",
        head,
        *rows,
        "",
        f"Per fold ({_fold_sizes(items)}; eligible kept / failures named, with the 95 % interval over the"
        " fold's trials)."
        + (
            " The misses of the folds marked read were diagnosed (`benchmarks/verdicts_diagnose.py --set"
            f" benchmarks/data/{name} --folds {','.join(map(str, sorted(read)))}`) and fixed by class; a fold"
            " never read is still a blind estimate of what those class fixes are worth on new trials:"
            if read
            else " Nobody has read any fold of this set: every row is a blind estimate."
        ),
        "",
        f"| fold | status | first score ({record['commit']}) | now | now, interval |",
        "|---|---|---|---|---|",
        *fold_rows,
    ]
    if read:
        by_class = ", ".join(f"{c} {a}/{b}" for c, (a, b) in now["classes"].items())
        lines += ["", f"Failures named by class (this engine): {by_class}."]
    if now["unknown_ids"]:
        lines += ["", f"Pairs naming an id absent from the queries or corpus: {now['unknown_ids']}."]
    return "\n".join(lines)
