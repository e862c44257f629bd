"""French notes -> facts speed, before and after a change, side by side (issue 23).

    .venv/bin/python -m benchmarks.bench_french --speed-only --baseline 2a73009 [--front-end-only] [--unseen] [--rounds 3] [--repeats 4]
    .venv/bin/python -m benchmarks.bench_french --rewrite-pairs --baseline bb16dde [--rounds 3]   # the rewrite alone, paired

Both versions are exported from git (`git archive <commit> src`, so uncommitted work in the tree is not
measured) and run by the same worker (`bench_french --speed-worker`, the loop of `speed_section`: one
core, CPU time, the 102 French dev notes and their 102 English twins, 5 distinct copies each) in
alternating subprocesses, before / after / after / before ..., so both see the same load. With
`--front-end-only`, "before" is the "after" export with the French front-end files (FRONT_END) of the
baseline: the English reader and the engines are the same on both sides, only the front-end differs. With
`--unseen`, the worker times `bench_french.unseen_rates` (ConText's sentence memo emptied before each of
the 102 notes: what a note costs when none of its sentences was seen before) instead of `speed_rates`. The
"### Speed" part of the French section of docs/BENCHMARKS.md is replaced; the other parts keep the
date and commit of the full run that measured them.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.report import BENCHMARKS_MD, ROOT, machine_line

SECTION = "french"


def _short(commit: str) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", commit], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"--baseline/--after: {commit!r} is not a commit of {ROOT} ({done.stderr.strip()})")
    return done.stdout.strip()


# The French front-end (issue 23): with --front-end-only, "before" is "after" with these as of --baseline
# (not criteria/fast_regex.py: the English reader's modules import it too, since 8d528cb its `Needs`)
FRONT_END = (
    "src/oncofed/criteria/language.py",
    "src/oncofed/criteria/french.py",
    "src/oncofed/ingest/patients/notes/french.py",
    "src/oncofed/resources/vocab/fr",
)


def _export(commit: str, into: Path, paths: tuple[str, ...] = ("src",)) -> Path:
    archive = subprocess.run(
        ["git", "archive", commit, *paths], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _with_front_end_of(commit: str, src: Path) -> None:
    """Replace the French front-end files of the export `src` by those of `commit` (removed if it had none)."""
    for path in FRONT_END:
        target = src.parent / path
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        listed = subprocess.run(
            ["git", "ls-tree", "-r", "--name-only", commit, path],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        if listed:
            _export(commit, src.parent, (path,))


def _worker(src: Path, rounds: int, unseen: bool = False, pure: bool = False) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src), "LOGURU_LEVEL": "WARNING"}
    env.pop("ONCOFED_PURE", None)
    if pure:  # the compiled readers (make compile) not loaded
        env["ONCOFED_PURE"] = "1"
    flags = ["--unseen"] if unseen else []
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_french", "--speed-worker", "--rounds", str(rounds), *flags],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"speed worker on {src} failed: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not str(result["module"]).startswith(str(src)):  # the installed tree was imported instead
        raise SystemExit(f"speed worker imported {result['module']}, not the export in {src}")
    return result


def side_by_side(
    baseline: str,
    after: str,
    rounds: int,
    repeats: int,
    front_end_only: bool = False,
    unseen: bool = False,
    compiled: bool = False,
) -> str:
    """`compiled`: this working tree pure ("before") against the same tree compiled (`make compile`)."""
    names = {"before": _short(baseline), "after": _short(after)}
    if front_end_only:
        names["before"] = f"{names['after']} with the French front-end of {names['before']}"
    if compiled:
        names = {"before": "this tree, pure Python", "after": "this tree, compiled"}
    load_start = os.getloadavg()[0]
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        if compiled:  # the build is of the working tree: no export
            srcs = {"before": ROOT / "src", "after": ROOT / "src"}
        elif front_end_only:  # the same engines and reader on both sides: only the front-end differs
            srcs = {k: _export(after, Path(tmp) / k) for k in ("before", "after")}
            _with_front_end_of(baseline, srcs["before"])
        else:
            srcs = {
                k: _export(commit, Path(tmp) / k) for k, commit in (("before", baseline), ("after", after))
            }
        for k in range(repeats):
            for name in ("before", "after") if k % 2 == 0 else ("after", "before"):
                runs[name].append(_worker(srcs[name], rounds, unseen, pure=compiled and name == "before"))
                print(name, runs[name][-1], file=sys.stderr)
                if compiled and runs[name][-1]["compiled"].startswith("compiled") != (name == "after"):
                    raise SystemExit(f"{name} worker: {runs[name][-1]['compiled']} (make compile first)")
    load_end = os.getloadavg()[0]

    def median(name: str, lang: str) -> float:
        return statistics.median(r for run in runs[name] for r in run[lang])

    def paired(name: str) -> float:
        return statistics.median(
            f / e for run in runs[name] for e, f in zip(run["en"], run["fr"], strict=True)
        )

    gain = statistics.median(
        statistics.median(a["fr"]) / statistics.median(b["fr"])
        for a, b in zip(runs["after"], runs["before"], strict=True)
    )
    notes = len(runs["after"][0]["fr"]) and runs["after"][0]["notes"]
    flag = (" --front-end-only" if front_end_only else "") + (" --unseen" if unseen else "")
    flag += " --compiled" if compiled else f" --baseline {baseline}"
    lines = [
        f"Command: `.venv/bin/python -m benchmarks.bench_french --speed-only{flag} "
        f"--rounds {rounds} --repeats {repeats}`",
        "",
        machine_line(),
        "",
        f"Notes -> facts on one core (CPU time), {notes} notes a round, {rounds} rounds in each of {repeats} "
        "alternating worker processes per version ("
        + ("this working tree as pure Python and compiled" if compiled else "both exported from git")
        + ", the same worker): "
        "the French dev notes and their English twins"
        + (", ConText's sentence memo emptied before each note." if unseen else "."),
        "",
        "| version | English twins, notes/s | French, notes/s | French / English (median of paired rounds) |",
        "|---|---:|---:|---:|",
    ]
    for name in ("before", "after"):
        lines.append(
            f"| {name} ({'' if compiled else 'commit '}{names[name]}; {runs[name][0]['compiled']}) | {median(name, 'en'):,.0f} | **{median(name, 'fr'):,.0f}** "
            f"| {paired(name):.2f}x |"
        )
    lines += [
        "",
        f"French after / before: **{gain:.2f}x** (median over the paired worker runs). Target: at least 500 "
        f"French notes/s on one core: **{'met' if median('after', 'fr') >= 500 else 'not met'} in this run** "
        f"({median('after', 'fr'):,.0f}). Load average {load_start:.1f} at the start, {load_end:.1f} at the end, "
        f"on {os.cpu_count()} cores shared with other engineers (CPU time, yet the figures move with the load: "
        "compare the rows, measured side by side).",
        "",
        "Every speed change is checked to leave the French facts unchanged, byte for byte: "
        "`benchmarks/french_dump.py` (the French and English dev notes, their accent-less, upper-case, mixed "
        "and per-line variants, 400 cut fragments, the English notes of `../shared/data`; languages, rewrites "
        "with every offset mapped back, facts, criteria), then `cmp`; since 1395b11 a line whose language the "
        "model can no longer change is `decided_by` 'words' (was 'model' or 'text'): its language, and "
        "everything else, is unchanged (the dumps compared with `decided_by` removed). Rule changes between "
        "the two commits (verdict passes: `git log --oneline BEFORE..AFTER -- src/oncofed/criteria "
        "src/oncofed/ingest`) change facts on purpose, so the two rows read the same notes with the rules "
        "of their own commit.",
    ]
    return "\n".join(lines)


def replace_speed(text: str) -> None:
    """Put `text` in place of the "### Speed" part of the French section of docs/BENCHMARKS.md."""
    doc = BENCHMARKS_MD.read_text(encoding="utf-8")
    begin, end = f"<!-- BEGIN {SECTION} -->", f"<!-- END {SECTION} -->"
    if begin not in doc or end not in doc:
        raise SystemExit(f"{BENCHMARKS_MD}: no French section to update; run the full benchmark first")
    head, rest = doc.split(begin, 1)
    section, tail = rest.split(end, 1)
    if "\n### Speed\n" not in section:
        raise SystemExit(f"{BENCHMARKS_MD}: the French section has no '### Speed' part")
    before, after = section.split("\n### Speed\n", 1)
    following = after.find("\n### ")
    kept = after[following:] if following >= 0 else "\n"
    section = f"{before}\n### Speed\n\n{text.strip()}\n{kept}"
    BENCHMARKS_MD.write_text(head + begin + section + end + tail, encoding="utf-8")


def paired_rewrite(baseline: str, rounds: int) -> str:
    """The French rewrite (`criteria.french.rewrite`: rules and lexicon) of `baseline` against this tree's,
    in one process, note by note: the two run alternately on the same French dev note, each after the
    English reader has read a note (so each meets the caches as it does in the pipeline), and the paired
    differences are summed up by their median. Side-by-side worker processes (`side_by_side`) measure the
    whole reader, where a 0.1 ms change of a 2 ms note is within the noise of a loaded machine; paired
    calls in one process are not. The baseline's `criteria/french.py` is imported beside this tree's, so
    it must import against this tree (the modules it imports keep their names)."""
    import importlib.util
    import time

    from oncofed.criteria import french as current
    from oncofed.criteria.language import detect
    from oncofed.ingest.patients.notes import french as notes

    name = "french_baseline"
    source = subprocess.run(
        ["git", "show", f"{baseline}:src/oncofed/criteria/french.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise SystemExit(f"cannot import the French front-end of {baseline}")
        base = importlib.util.module_from_spec(spec)
        sys.modules[name] = base  # (dataclasses look their module up)
        spec.loader.exec_module(base)
    texts = [json.loads(line)["text"] for line in (ROOT / "benchmarks/data/verdicts-dev-fr/queries.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]  # fmt: skip
    for text in texts:  # vocabularies, rules and databases loaded outside the timing
        notes.extract(text, "warm", "note")
        base.rewrite(text, "notes", detect(text))
    spent: dict[str, list[float]] = {"before": [], "after": []}
    load_start = os.getloadavg()[0]
    for r in range(rounds):
        for i, text in enumerate(texts):
            note = f"{text}\n(pair {r})"
            language = detect(note)
            sides = [("before", base.rewrite), ("after", current.rewrite)]
            for side, rewrite in sides if (i + r) % 2 == 0 else sides[::-1]:
                notes.extract(f"{text}\n(between {r} {side})", "between", "note")
                started = time.process_time()
                rewrite(note, "notes", language)
                spent[side].append(time.process_time() - started)
    load_end = os.getloadavg()[0]
    differences = [a - b for a, b in zip(spent["after"], spent["before"], strict=True)]
    before, after = statistics.median(spent["before"]), statistics.median(spent["after"])
    return "\n".join(
        [
            f"Command: `.venv/bin/python -m benchmarks.bench_french --rewrite-pairs --baseline {baseline} "
            f"--rounds {rounds}`",
            "",
            machine_line(),
            "",
            f"The French rewrite of one note (rules and lexicon; its language given), {len(texts)} French dev "
            f"notes x {rounds} rounds, the commit {_short(baseline)}'s and this tree's alternately on each "
            "note, each after the English reader read another note; CPU time.",
            "",
            "| rewrite of a note | before | after | after - before, median of the paired notes |",
            "|---|---:|---:|---:|",
            f"| microseconds (median) | {before * 1e6:,.0f} | {after * 1e6:,.0f} | "
            f"**{statistics.median(differences) * 1e6:+,.0f}** |",
            "",
            f"Load average {load_start:.1f} at the start, {load_end:.1f} at the end, on {os.cpu_count()} cores.",
        ]
    )
