"""The notes readers compiled with mypyc against the same code run as pure Python, side by side (issue 23).

    .venv/bin/python -m benchmarks.compiled_speed [--repeats 4] [--rounds 3] [--check] [--keep DIR]

An experiment, not a build path: it tells whether compiling the pure-Python notes readers (`MODULES`:
the notes reader, the French front-end, ConText, the vocabularies, the case-insensitive searches) with
mypyc, as black and mypy ship, would bring French notes -> facts to 500 notes/s on one core. It prints
only (docs/BENCHMARKS.md is not written: no compiled build path was added, see the result below).

Result at 89c9b46 (three runs, 12 paired workers in all, load 3.4-7 on 2 shared cores): compiled / pure,
median of the 12 paired ratios (95 % bootstrap interval): French notes with ConText's memo warm 1.06x
(1.01-1.20), with it emptied 1.07x (0.95-1.24); their English twins 1.09x (1.00-1.23) and 0.99x
(0.88-1.17); bench_notes' English notes 1.07x (0.97-1.23). Rerun after rebasing on main's dates.py speed
change (961f41b), 2 paired workers, load 4.4-5.1: 0.84x and 0.91x on French notes (memo warm, emptied),
compiled slower. The three dumps byte-identical at both commits; mypyc needed
no source edit; of the 327 notes / French / criteria tests, only the one that monkeypatches a function a
compiled module calls (`criteria.language.model_language`) fails on the compiled copy (mypyc binds calls
between compiled functions early); the build takes 217 s CPU. The point estimates are below the 1.15x set
as the bar for a build path (the intervals reach 1.2 on this loaded machine; even 1.2x on today's 300-370
French notes/s, memo emptied, is 360-445, not 500). Why: the readers were
already tuned to spend their time in C (regex searches, str methods, set / dict look-ups of tuples,
`itertools.compress`, bisect), on values mypyc cannot type natively (`re.Match`, tuples as keys, `Any`
from the YAML vocabularies, the domain's dataclasses, not compiled); mypyc removes the interpreter's
dispatch between those calls, not the calls.

1. HEAD's `src` is exported twice (`git archive`: uncommitted work is not measured) into a temporary
   folder, or DIR with `--keep DIR` (a DIR that already holds a build is reused). `MODULES` are compiled
   in the second copy only (`.venv`'s mypyc, the project's mypy configuration): Python imports an
   extension module before the .py of the same name, so a .so is never built inside `src/`, where it
   would silently shadow every later edit.
2. `--check`: `benchmarks.french_dump`, `benchmarks/notes_dump.py --all-facts --no-speed` and
   `benchmarks.criteria_dump` run on both copies; their outputs must be byte-identical (mypyc checks
   annotations at run time: a wrong one is a TypeError only the compiled copy raises).
3. Worker processes alternate pure / compiled / compiled / pure ..., each importing its copy (checked:
   every compiled module is a .so on the compiled side, a .py on the other) and timing, CPU time, one core:
   `bench_french.speed_rates` (102 French dev notes and their 102 English twins, 5 distinct copies each,
   ConText's sentence memo warm), `bench_french.unseen_rates` (the memo emptied before each note) and the
   214 English notes of `benchmarks/notes_dump.py`'s speed corpus (bench_notes' figure: ConText's memo
   emptied before each round, a distinct last line each round, as the readers cache per text). Printed:
   medians and compiled / pure, the median of the paired runs, with the load average.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.french_speed import _export
from benchmarks.report import ROOT, machine_line
from oncofed import compiled

DATA = ROOT.parent / "shared" / "data"
# the notes path: the modules `make compile` builds (oncofed.compiled.MODULES; fast_regex and language,
# part of the first runs below, are left out: mypyc refuses their `object.__new__`)
MODULES = tuple(m.replace(".", "/") + ".py" for m in compiled.MODULES)


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def build(into: Path) -> float:
    """Export HEAD's src to into/pure and into/compiled, compile MODULES in the latter; CPU seconds spent."""
    for name in ("pure", "compiled"):
        if not (into / name / "src").exists():
            _export("HEAD", into / name)
    src = into / "compiled" / "src"
    if all(any((src / m).parent.glob(Path(m).stem + ".*.so")) for m in MODULES):
        print(f"reusing the compiled build in {src}", file=sys.stderr)
        return 0.0
    started = os.times()
    done = subprocess.run(
        [sys.executable, "-m", "mypyc", "--config-file", str(ROOT / "pyproject.toml"), *MODULES],
        cwd=src, capture_output=True, text=True, check=False,
    )  # fmt: skip
    ended = os.times()
    if done.returncode:
        raise SystemExit(f"mypyc failed in {src}:\n{(done.stdout + done.stderr)[-3000:]}")
    return ended.children_user + ended.children_system - started.children_user - started.children_system


def check(into: Path) -> list[str]:
    """The three dumps on both copies; the names of those that differ."""
    differ = []
    for name, args in (
        ("french", ["-m", "benchmarks.french_dump", "{out}"]),
        ("notes", ["benchmarks/notes_dump.py", "--data", str(DATA), "--gold",
                   "benchmarks/data/notes-facts-gold/gold.jsonl", "--all-facts", "--no-speed"]),
        ("criteria", ["-m", "benchmarks.criteria_dump", "{out}"]),
    ):  # fmt: skip
        outs = []
        for tree in ("pure", "compiled"):
            out = into / f"{name}-{tree}.txt"
            env = {
                **os.environ,
                "PYTHONPATH": f"{into / tree / 'src'}{os.pathsep}{ROOT}",
                "LOGURU_LEVEL": "WARNING",
            }
            command = [sys.executable, *(a.format(out=out) for a in args)]
            if "{out}" in args:  # the dump writes the file it is given
                done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
            else:  # the dump prints
                with out.open("w", encoding="utf-8") as stdout:
                    done = subprocess.run(
                        command,
                        cwd=ROOT,
                        env=env,
                        stdout=stdout,
                        stderr=subprocess.PIPE,
                        text=True,
                        check=False,
                    )
            if done.returncode:
                raise SystemExit(f"{name} dump failed on the {tree} copy: {done.stderr[-2000:]}")
            outs.append(out)
        same = filecmp.cmp(outs[0], outs[1], shallow=False)
        print(f"{name} dump: {'identical' if same else 'DIFFERENT'} ({outs[0].stat().st_size:,} bytes)")
        if not same:
            differ.append(name)
    return differ


def worker(rounds: int) -> dict[str, Any]:
    """The rates of the oncofed on PYTHONPATH (run in a fresh process by `side_by_side`)."""
    import importlib

    from benchmarks.bench_french import EN, FR, _queries, speed_rates, unseen_rates
    from benchmarks.notes_dump import SPEED_FILES, _texts
    from oncofed.criteria.context import clear_memo
    from oncofed.ingest.patients.notes import extract

    if not DATA.exists():
        raise SystemExit(f"{DATA} not found: the English notes of the speed corpus are read there")
    en, fr = _queries(EN), _queries(FR)
    result: dict[str, Any] = {"speed": speed_rates(en, fr, rounds), "unseen": unseen_rates(en, fr, rounds)}
    corpus = [t for rel in SPEED_FILES for t in _texts(DATA, rel).values()]
    english: list[float] = []
    for r in range(rounds):
        clear_memo()  # each round as bench_notes' one pass: ConText's memo filled by that pass only
        started = time.process_time()
        for i, t in enumerate(corpus):
            extract(f"{t}\n(round {r})", str(i), "note:bench")
        english.append(len(corpus) / (time.process_time() - started))
    result["english_notes"] = english
    result["files"] = [importlib.import_module(_module_name(m)).__file__ for m in MODULES]
    return result


def side_by_side(into: Path, repeats: int, rounds: int) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {"pure": [], "compiled": []}
    for k in range(repeats):
        for tree in ("pure", "compiled") if k % 2 == 0 else ("compiled", "pure"):
            env = {
                **os.environ,
                "PYTHONPATH": f"{into / tree / 'src'}{os.pathsep}{ROOT}",
                "LOGURU_LEVEL": "WARNING",
            }
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.compiled_speed", "--worker", "--rounds", str(rounds)],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode:
                raise SystemExit(f"worker on the {tree} copy failed: {done.stderr[-2000:]}")
            run: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
            suffix = ".so" if tree == "compiled" else ".py"
            wrong = [f for f in run["files"] if not (f.startswith(str(into / tree)) and f.endswith(suffix))]
            if wrong:
                raise SystemExit(f"the {tree} worker imported {wrong[:3]}: not its copy's {suffix} files")
            runs[tree].append(run)
            print(tree, {k: v for k, v in run.items() if k != "files"}, file=sys.stderr)
    return runs


def table(runs: dict[str, list[dict[str, Any]]]) -> list[str]:
    rows = [
        "| notes -> facts, one core (CPU time) | pure, notes/s | compiled, notes/s | compiled / pure |",
        "|---|---:|---:|---:|",
    ]
    measures = [
        ("speed", "fr", "French dev notes (ConText memo warm: the measure the target was set on)"),
        ("speed", "en", "their English twins (memo warm)"),
        ("unseen", "fr", "French dev notes, ConText memo emptied before each note"),
        ("unseen", "en", "their English twins, memo emptied"),
        ("english_notes", None, "English notes (bench_notes' speed corpus, 214 notes)"),
    ]
    for kind, lang, label in measures:

        def rates(run: dict[str, Any], kind: str = kind, lang: str | None = lang) -> list[float]:
            return list(run[kind][lang] if lang else run[kind])

        med = {t: statistics.median(x for run in runs[t] for x in rates(run)) for t in runs}
        ratios = [
            statistics.median(rates(c)) / statistics.median(rates(p))
            for p, c in zip(runs["pure"], runs["compiled"], strict=True)
        ]
        rows.append(
            f"| {label} | {med['pure']:,.0f} | {med['compiled']:,.0f} | **{statistics.median(ratios):.2f}x** "
            f"({', '.join(f'{r:.2f}' for r in ratios)}) |"
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=4, help="worker processes per copy (alternating)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds in each worker")
    ap.add_argument("--check", action="store_true", help="compare the dumps of both copies byte for byte")
    ap.add_argument("--keep", type=Path, default=None, help="build in DIR and keep it (reused next time)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.rounds)))
        return
    with tempfile.TemporaryDirectory(prefix="oncofed-mypyc-") as tmp:
        into = args.keep.resolve() if args.keep else Path(tmp)
        into.mkdir(parents=True, exist_ok=True)
        cpu = build(into)
        if cpu:
            print(f"mypyc built {len(MODULES)} modules in {cpu:.0f} s CPU (mypy's analysis and gcc)")
        if args.check and check(into):
            raise SystemExit(
                "the compiled copy's output differs from the pure copy's: see the dumps in --keep DIR"
            )
        load_start = os.getloadavg()[0]
        runs = side_by_side(into, args.repeats, args.rounds)
        load_end = os.getloadavg()[0]
    print("\n".join([
        machine_line(),
        "",
        f"{len(MODULES)} modules compiled with mypyc; {args.repeats} alternating worker processes per copy, "
        f"{args.rounds} rounds each; compiled / pure is the median of the paired runs (each paired run's ratio "
        "in brackets).",
        "",
        *table(runs),
        "",
        f"Load average {load_start:.1f} at the start, {load_end:.1f} at the end, on {os.cpu_count()} cores.",
    ]))  # fmt: skip


if __name__ == "__main__":
    main()
