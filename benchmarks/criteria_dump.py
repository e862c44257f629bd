"""Write every parse result of the criteria benchmark's texts to a file, to prove that a speed change
leaves the parser's output unchanged.

    Run it on the old commit and on the new one (e.g. in a `git worktree`), then compare the files:
    python -m benchmarks.criteria_dump /tmp/before.txt      # (old checkout)
    python -m benchmarks.criteria_dump /tmp/after.txt       # (new checkout)
    cmp /tmp/before.txt /tmp/after.txt

Texts: the 99 oncology-active-99 trials and all NLI4CT breast-cancer trials, parsed one trial at a time
in the benchmark's order (so the parser's memos fill as in a run), then the first 300 files of the
Chia (dev) and LCT brat folders, whole and line by line. About 10 s. Needs `../shared/data`.
"""

from __future__ import annotations

import os
import sys

from benchmarks.report import ROOT

os.environ.setdefault("LOGURU_LEVEL", "WARNING")

from oncofed.criteria import parse_criterion, parse_many  # noqa: E402
from oncofed.criteria.evaluate import nli4ct_texts, oncology99_texts  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def main(out_path: str) -> int:
    onco, nli = DATA / "trials" / "oncology-active-99", DATA / "trials" / "nli4ct-breast-cancer"
    if not onco.exists() or not nli.exists():
        print(f"data not found under {DATA}", file=sys.stderr)
        return 2
    texts = [t for _, t in oncology99_texts(onco)] + [t for _, t in nli4ct_texts(nli)]
    lines = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for text in texts:
            out.write(repr(parse_many([text])[0]) + "\n")
        for folder in ("criteria/chia-dev", "criteria/lct"):
            for f in sorted((DATA / folder).glob("*.txt"))[:300]:
                txt = f.read_text(encoding="utf-8", errors="replace")
                out.write(repr(parse_many([txt])[0]) + "\n")
                for line in txt.splitlines()[:20]:
                    if line.strip():
                        out.write(repr(parse_criterion(line)) + "\n")
                        lines += 1
    print(f"{len(texts)} trials and {lines} brat lines written to {out_path}")
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.criteria_dump", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("out", help="the file to write (outside the repository, e.g. /tmp/after.txt)")
    raise SystemExit(main(ap.parse_args().out))
