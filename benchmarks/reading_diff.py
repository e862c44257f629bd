"""Every criterion of the 1,198 real trials whose reading differs between two commits, listed to be read.

    .venv/bin/python -m benchmarks.reading_diff --before COMMIT [--after COMMIT] [--kinds lab,age,sex] [--show 200]

Why: session 14's reading passes each fixed their classes on the readable folds, and three of their new
confident readings failed patients nobody had written a fold about ("platelets > or = 80,000 x 10^9/L" read
as written once "> or =" was read; "No spontaneous menses for >= 1 year" read "not aged 1 or more"; a multiple
of the ULN read as 1 x ULN). Listing every real line whose reading a change moves, and reading that list, found
them in minutes: it needs no labels, so no held-out set is touched. Run it before a reading pass is merged.

Each commit's `src` is exported with `git archive` (the working tree when `--after` is not given) and parses the
corpus (`benchmarks/verdicts_corpus.py`'s, built if missing) in its own process; a criterion's reading is its
atoms (kind, operator, value, unit, code, negated, conditions) and its own conditions, restricted to `--kinds`.
Prints the count per kind and the lines, before -> after. Exit 0 always (a listing, not a check).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_verdicts import VAR, ensure_corpus
from benchmarks.french_speed import _export, _short
from benchmarks.report import ROOT

_WORKER = r"""
import json, sys
from oncofed.criteria import parse_eligibility
kinds = set(sys.argv[2].split(",")) if sys.argv[2] else None

def atom(a):
    return [a.kind, a.operator, str(a.value), a.unit, a.code, a.negated, [atom(c) for c in a.condition]]

for row in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(row)
    for i, c in enumerate(parse_eligibility(t["text"]).criteria):
        atoms = sorted((atom(a) for a in c.atoms if kinds is None or a.kind in kinds), key=repr)
        cond = sorted((atom(a) for a in c.condition if kinds is None or a.kind in kinds), key=repr)
        print(json.dumps([t["_id"], i, c.text.strip()[:240], atoms, cond]))
"""


def readings(src: Path, corpus: Path, kinds: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(trial, criterion index) -> (text, reading) for the code under `src`, parsed in its own process."""
    env = {**os.environ, "PYTHONPATH": str(src), "ONCOFED_PURE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(corpus), kinds],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for line in done.stdout.splitlines():
        trial, i, text, atoms, cond = json.loads(line)
        out[(trial, i)] = (text, json.dumps([atoms, cond]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="the commit before the change")
    ap.add_argument("--after", help="the commit after it (default: the working tree)")
    ap.add_argument("--kinds", default="", help="atom kinds compared, comma-separated (default: all)")
    ap.add_argument("--show", type=int, default=200, help="lines printed (default 200)")
    a = ap.parse_args(argv)
    corpus = VAR / "verdicts-corpus.jsonl"
    ensure_corpus(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        before = readings(_export(a.before, Path(tmp) / "before"), corpus, a.kinds)
        after_src = _export(a.after, Path(tmp) / "after") if a.after else ROOT / "src"
        after = readings(after_src, corpus, a.kinds)
    # a trial cut into other criteria (another count, or another text at an index) is not compared at all
    recut = {k[0] for k in set(before) ^ set(after)}
    recut |= {k[0] for k, (text, _) in before.items() if k in after and after[k][0] != text}
    changed: list[tuple[tuple[str, int], Any, Any]] = [
        (key, reading, after[key][1])
        for key, (_text, reading) in before.items()
        if key[0] not in recut and after[key][1] != reading
    ]
    label = f"{_short(a.before)} -> {_short(a.after) if a.after else 'working tree'}"
    print(f"{len(before)} criteria of the corpus, {label}: {len(changed)} read differently"
          f"{' (kinds ' + a.kinds + ')' if a.kinds else ''}; {len(recut)} trials cut differently (not compared)")  # fmt: skip
    for (trial, _i), old, new in changed[: a.show]:
        print(f"\n{trial}: {before[(trial, _i)][0]}\n  - {old}\n  + {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
