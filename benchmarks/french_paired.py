"""French notes read once, two commits paired note by note in two live worker processes (issue 23 speed).

    .venv/bin/python -m benchmarks.french_paired --baseline COMMIT [--after COMMIT] [--rounds 3] [--english]
    .venv/bin/python -m benchmarks.french_paired --compiled [--rounds 3] [--english]
    .venv/bin/python -m benchmarks.french_paired --trees BEFORE_ROOT AFTER_ROOT [--rounds 3] [--english]

`--compiled`: this working tree's readers as pure Python (`ONCOFED_PURE=1`, "before") against the same
readers compiled by `make compile` ("after"), paired the same way (docs/FRENCH.md, thirteenth pass).

`--trees`: two checkouts (or `git archive` exports), each with its readers compiled in its own
`build/compiled/` (`scripts/compile_readers.py` run there), their `src` as they are: two compiled builds
paired (a speed change to compiled readers, measured compiled; speed31). Each worker reports whether its
build loaded; a stale one is refused.

`bench_french --speed-only` runs each version in its own worker processes one after the other: on the
shared 2-core machine (load 4-6 from other engineers) two runs a minute apart saw loads so different
that the French ratio read 0.76x for a change that paired calls measure at 1.06x. Here both versions
(exported from git as `french_speed` does, so uncommitted work is not measured) stay loaded in two
worker processes, and each of the 102 French dev notes (`--english`: their English twins) is read by
one worker, then at once by the other (which one goes first alternates), ConText's memo emptied and a
line added as `bench_french --unseen` does: both see the same load within milliseconds. Printed: notes/s
of each (CPU time summed over the notes), the ratio of the sums, and the median of the per-note ratios
with its interquartile range. Writes nothing; the lead's figure stays `bench_french --speed-only` on a
quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import ROOT


def worker() -> None:
    """Read notes from stdin (one JSON object a line) and answer each with the CPU time of its reading."""
    os.environ.setdefault("LOGURU_LEVEL", "WARNING")
    import oncofed
    from benchmarks.bench_french import compiled_status
    from oncofed.criteria.context import clear_memo
    from oncofed.ingest.patients.notes import extract

    print(json.dumps({"module": oncofed.__file__, "compiled": compiled_status()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("warm"):  # vocabularies and models loaded outside the timing
            extract(request["text"], "warm", "note")
            print(0.0, flush=True)
            continue
        clear_memo()
        started = time.process_time()
        extract(request["text"], "n", "note")
        print(time.process_time() - started, flush=True)


def paired(
    baseline: str | None, after: str, rounds: int, english: bool, trees: tuple[Path, Path] | None = None
) -> str:
    """`baseline` None: this tree pure (before) against this tree compiled (after); `trees`: the compiled
    readers of two trees (before, after)."""
    from benchmarks.bench_french import EN, FR, _queries
    from benchmarks.french_speed import _export, _short

    texts = list(_queries(EN if english else FR).values())
    if trees is not None:
        names = {"before": f"{trees[0]}, compiled", "after": f"{trees[1]}, compiled"}
    elif baseline is None:
        names = {"before": "this tree, pure Python", "after": "this tree, compiled"}
    else:
        names = {"before": _short(baseline), "after": _short(after)}
    with tempfile.TemporaryDirectory() as tmp:
        workers = {}
        for name, commit in (("before", baseline), ("after", after)):
            if trees is not None:
                src = trees[0 if name == "before" else 1].resolve() / "src"
            else:
                src = ROOT / "src" if baseline is None else _export(commit or after, Path(tmp) / name)
            env = {**os.environ, "PYTHONPATH": str(src), "LOGURU_LEVEL": "WARNING"}
            env.pop("ONCOFED_PURE", None)
            if trees is None and baseline is None and name == "before":
                env["ONCOFED_PURE"] = "1"
            workers[name] = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.french_paired", "--worker"],
                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            hello = json.loads(workers[name].stdout.readline())  # type: ignore[union-attr]
            if not hello["module"].startswith(str(src)):
                raise SystemExit(f"worker {name} imported {hello['module']}, not the export in {src}")
            if trees is not None and not hello["compiled"].startswith("compiled"):
                raise SystemExit(
                    f"worker {name}: {hello['compiled']} (scripts/compile_readers.py in {src.parent})"
                )
            if (
                trees is None
                and baseline is None
                and hello["compiled"].startswith("compiled") != (name == "after")
            ):
                raise SystemExit(f"worker {name}: {hello['compiled']} (make compile first)")
            names[name] += f"; {hello['compiled']}" if baseline is None else ""

        def ask(name: str, request: dict[str, object]) -> float:
            process = workers[name]
            process.stdin.write(json.dumps(request) + "\n")  # type: ignore[union-attr]
            process.stdin.flush()  # type: ignore[union-attr]
            return float(process.stdout.readline())  # type: ignore[union-attr]

        for text in texts:
            for name in workers:
                ask(name, {"text": text, "warm": True})
        load = os.getloadavg()[0]
        spent = {"before": 0.0, "after": 0.0}
        ratios = []
        for r in range(rounds):
            for i, text in enumerate(texts):
                unseen = f"{text}\n(unseen {r})"
                order = ("before", "after") if (i + r) % 2 == 0 else ("after", "before")
                took = {name: ask(name, {"text": unseen}) for name in order}
                spent["before"] += took["before"]
                spent["after"] += took["after"]
                ratios.append(took["before"] / took["after"])
        for process in workers.values():
            process.stdin.close()  # type: ignore[union-attr]
            process.wait()
    n = rounds * len(texts)
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return (
        f"{'English twins' if english else 'French notes'} read once, {n} paired readings (load {load:.1f} "
        f"-> {os.getloadavg()[0]:.1f}): before ({names['before']}) {n / spent['before']:,.0f} notes/s, "
        f"after ({names['after']}) {n / spent['after']:,.0f} notes/s; after / before {spent['before'] / spent['after']:.3f}x "
        f"(sums), median per-note {statistics.median(ratios):.3f}x (IQR {q1:.3f}-{q3:.3f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--english", action="store_true")
    parser.add_argument(
        "--compiled", action="store_true", help="this tree pure against compiled (make compile)"
    )
    parser.add_argument(
        "--trees", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="two trees, each compiled: paired"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    if args.trees:
        print(paired(None, args.after, args.rounds, args.english, tuple(args.trees)))
        return
    if not args.baseline and not args.compiled:
        parser.error("--baseline COMMIT (or --compiled, or --trees BEFORE AFTER) is required")
    print(paired(None if args.compiled else args.baseline, args.after, args.rounds, args.english))


if __name__ == "__main__":
    main()
