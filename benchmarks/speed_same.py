"""A speed change leaves every output as it was: the three dumps of two commits, compared (issue 23 speed).

    .venv/bin/python -m benchmarks.speed_same --baseline COMMIT [--after COMMIT] [--keep DIR]
    .venv/bin/python -m benchmarks.speed_same --baseline COMMIT --compiled [--keep DIR]

`--compiled`: "after" is this working tree with its readers compiled by `make compile` (the build must be
fresh: checked before the dumps), against the export of COMMIT as pure Python.

Both commits are exported from git (`git archive`, as `bench_french --speed-only` does: uncommitted work is
not compared) and each runs, in its own process with its own `src` on PYTHONPATH:

- `benchmarks.french_dump`: the French dev notes and their English twins (as written, without accents, in
  capitals, mixed, line by line, 400 cut fragments), the English notes of `../shared/data` (TREC 2021 and
  2022 topics, SIGIR topics, oncology-active-99's patients): languages, rewrites with every offset, every
  fact (all fields, spans, negation, attributes), the French criteria parse. The French dev notes are the
  notes `benchmarks.context_pairs` reads.
- `benchmarks/notes_dump.py --all-facts`: every fact of the notes gold (`bench_notes`'s notes), the speed
  corpus, `verdicts-dev` and `verdicts-dev-fr`.
- `benchmarks.criteria_dump`: every parse of the criteria benchmark's trials and brat lines (ConText and the
  case-insensitive patterns are the parser's too).

The dumps are written by each commit's own code but by this tree's dump scripts (the same questions to
both). Prints SAME or the first differing line of each; exits 1 on a difference. About 3 minutes.
A difference is a bug unless the change meant it (then say so in the commit).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.report import ROOT

DUMPS = {
    "french": ["-m", "benchmarks.french_dump", "{out}"],
    "notes": [
        "benchmarks/notes_dump.py", "--data", "../shared/data", "--gold",
        "benchmarks/data/notes-facts-gold/gold.jsonl", "--all-facts", "--no-speed",
    ],
    "criteria": ["-m", "benchmarks.criteria_dump", "{out}"],
}  # fmt: skip


def _dump(name: str, src: Path, out: Path) -> None:
    args = [a.replace("{out}", str(out)) for a in DUMPS[name]]
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}", "LOGURU_LEVEL": "WARNING"}
    env.pop("ONCOFED_PURE", None)
    with out.open("w", encoding="utf-8") if "{out}" not in DUMPS[name] else open(os.devnull, "w") as sink:
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.PIPE, text=True
        )
    if done.returncode:
        raise SystemExit(f"{name} dump with {src} failed: {done.stderr.strip()[-800:]}")


def _first_difference(a: Path, b: Path) -> str | None:
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        for n, (x, y) in enumerate(zip(fa, fb, strict=False), 1):
            if x != y:
                return f"line {n}:\n  before: {x[:300].rstrip()}\n  after:  {y[:300].rstrip()}"
    if a.stat().st_size != b.stat().st_size:
        return "one dump is longer than the other"
    return None


def main() -> int:
    from benchmarks.french_speed import _export, _short

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--keep", type=Path, help="write the dumps in this folder (kept)")
    parser.add_argument("--compiled", action="store_true", help="after: this tree, compiled (make compile)")
    args = parser.parse_args()
    names = {"before": _short(args.baseline), "after": "compiled" if args.compiled else _short(args.after)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        srcs = {k: _export(c, Path(tmp) / k) for k, c in (("before", args.baseline), ("after", args.after))}
        if args.compiled:
            srcs["after"] = ROOT / "src"
            env = {k: v for k, v in os.environ.items() if k != "ONCOFED_PURE"}
            env["PYTHONPATH"] = str(srcs["after"])
            status = subprocess.run(
                [sys.executable, "-c", "import oncofed.ingest.patients.notes; from oncofed import compiled; "
                 "print(compiled.status())"],
                env=env, capture_output=True, text=True, check=True,
            ).stdout.strip()  # fmt: skip
            print(f"after: {status}", flush=True)
            if not status.startswith("compiled"):
                raise SystemExit("--compiled: the readers of this tree are not compiled (make compile)")
        differs = False
        for name in DUMPS:
            outs = {k: folder / f"{name}-{k}-{names[k]}.txt" for k in srcs}
            for k, src in srcs.items():
                _dump(name, src, outs[k])
            difference = _first_difference(outs["before"], outs["after"])
            differs = differs or difference is not None
            print(f"{name}: {'SAME' if difference is None else 'DIFFERENT, ' + difference}", flush=True)
    print(
        f"{names['before']} -> {names['after']}: {'outputs differ' if differs else 'every output the same'}"
    )
    return 1 if differs else 0


if __name__ == "__main__":
    raise SystemExit(main())
