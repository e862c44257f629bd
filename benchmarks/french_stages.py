"""Where a French note read once spends its time, stage by stage (issue 23 speed: what is left to cut).

    .venv/bin/python -m benchmarks.french_stages [--rounds 5]

The 102 French dev notes, each read once as `bench_french --unseen` reads it (ConText's sentence memo
emptied, a line added so no per-text cache answers), CPU time. Two passes, printed as Markdown tables:

- the stages of `notes.french.extract` timed one after the other, without any wrapper (the language
  (`detect`), the rewrite in English wording (`rewrite`), the English reader (`facts.extract`), the spans
  mapped back (`_restored_all`), the French "not understood" sentences (`_french_unread`)): their shares
  add up to the whole;
- inside those stages, the machinery the reader shares (ConText with its spaCy Doc and matcher, the
  vocabularies' token scan and phrase indexes, the French rules and lexicon, the note's cue and scope
  views), each function wrapped by a CPU-time counter (the wrappers add a few per cent; nested
  functions are counted in each of their callers: these shares overlap and do not add up).

Writes nothing (a diagnostic, as `benchmarks.context_pairs`); run it on a quiet machine, the shares are
what matters, not the absolute figures.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks.report import ROOT, machine_line

os.environ.setdefault("LOGURU_LEVEL", "WARNING")

FR = ROOT / "benchmarks" / "data" / "verdicts-dev-fr"

# (module, function, label): the shared machinery counted in the second pass
INNER = (
    ("oncofed.criteria.context", "modifiers_many", "ConText, all (`context.modifiers_many`)"),
    ("oncofed.criteria.context", "has_trigger", "ConText pre-filter: trigger words (`has_trigger`)"),
    ("oncofed.criteria.context", "may_have_modifier", "ConText pre-filter: rule phrases (`may_have_modifier`)"),
    ("oncofed.criteria.context_graph", "edges", "ConText graph (`context_graph.edges`)"),
    ("oncofed.criteria.vocab", "_scan", "token scan (`vocab._scan`, cached per text)"),
    ("oncofed.ingest.patients.notes.mentions", "_raw_mentions", "vocabulary mentions (`mentions._raw_mentions`)"),
    ("oncofed.ingest.patients.notes.mentions", "targets", "mentions in context (`mentions.targets`)"),
    ("oncofed.ingest.patients.notes.scopes", "note_scopes", "cues and scopes (`scopes.note_scopes`)"),
    ("oncofed.criteria.french", "_rule_matches", "French rules (`french._rule_matches`)"),
)  # fmt: skip


def _notes() -> list[str]:
    from benchmarks.bench_french import _queries

    fr = _queries(FR)
    return [fr[k] for k in sorted(fr)]


def stage_times(texts: list[str], rounds: int) -> dict[str, list[float]]:
    """CPU seconds a note of each stage of `notes.french.extract`, per round."""
    from oncofed.criteria.context import clear_memo
    from oncofed.criteria.french import rewrite
    from oncofed.criteria.language import detect
    from oncofed.ingest.patients.notes import facts
    from oncofed.ingest.patients.notes import french as notes_french

    clock = time.process_time
    out: dict[str, list[float]] = {}
    for r in range(rounds):
        spent = dict.fromkeys(("detect", "rewrite", "reader", "restore", "unread"), 0.0)
        for text in texts:
            text = f"{text}\n(stages {r})"
            clear_memo()
            t0 = clock()
            language = detect(text)
            t1 = clock()
            rw = rewrite(text, "notes", language)
            t2 = clock()
            profile = facts.extract(rw.text, "n", "note")
            t3 = clock()
            found = notes_french._restored_all(profile.facts, rw)
            t4 = clock()
            notes_french._french_unread(found, rw, language, "n", "note")
            t5 = clock()
            for name, spent_here in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
                spent[name] += spent_here
        for name, total in spent.items():
            out.setdefault(name, []).append(total / len(texts))
    return out


def _counted(function: Callable[..., Any], label: str, totals: dict[str, float]) -> Callable[..., Any]:
    clock = time.process_time

    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        started = clock()
        try:
            return function(*args, **kwargs)
        finally:
            totals[label] += clock() - started

    return counted


def inner_shares(texts: list[str], rounds: int) -> tuple[dict[str, float], float]:
    """Each INNER function's share of the whole read (wrapped, see the module docstring), and the CPU
    seconds a note with the wrappers on."""
    from oncofed.criteria.context import clear_memo
    from oncofed.ingest.patients.notes import extract

    totals = {label: 0.0 for _, _, label in INNER}
    totals["spaCy Doc (`make_doc`)"] = totals["medspaCy's matcher"] = 0.0
    undo: list[tuple[Any, str, Any]] = []
    for module_name, name, label in INNER:
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        wrapped = _counted(original, label, totals)
        # the modules that imported the function by name call it through their own reference
        holders = [m for n, m in sorted(sys.modules.items()) if n.startswith("oncofed.") and m is not None]
        for holder in holders:
            if getattr(holder, name, None) is original:
                undo.append((holder, name, original))
                setattr(holder, name, wrapped)
    from medspacy.common.medspacy_matcher import MedspacyMatcher
    from spacy.language import Language

    for cls, name, label in (
        (Language, "make_doc", "spaCy Doc (`make_doc`)"),
        (MedspacyMatcher, "__call__", "medspaCy's matcher"),
    ):
        original = getattr(cls, name)
        undo.append((cls, name, original))
        setattr(cls, name, _counted(original, label, totals))
    whole = 0.0
    try:
        for r in range(rounds):
            for text in texts:
                clear_memo()
                started = time.process_time()
                extract(f"{text}\n(inner {r})", "n", "note")
                whole += time.process_time() - started
    finally:
        for holder, name, original in reversed(undo):
            setattr(holder, name, original)
    return {label: spent / whole for label, spent in totals.items()}, whole / (rounds * len(texts))


def main(rounds: int) -> int:
    from oncofed.ingest.patients.notes import extract

    texts = _notes()
    for text in texts:  # vocabularies, models and spaCy's tokenizer cache loaded outside the timing
        extract(text, "warm", "note")
    stages = stage_times(texts, rounds)
    per_note = {name: statistics.median(v) for name, v in stages.items()}
    total = sum(per_note.values())
    lines = [
        f"Command: `.venv/bin/python -m benchmarks.french_stages --rounds {rounds}`",
        "",
        machine_line(),
        "",
        f"{len(texts)} French dev notes, each read once (ConText's memo emptied), median of {rounds} rounds, "
        f"CPU time: {total * 1e3:.2f} ms a note ({1 / total:,.0f} notes/s).",
        "",
        "| stage | us a note | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {t * 1e6:,.0f} | {t / total:.1%} |" for name, t in per_note.items()]
    shares, wrapped = inner_shares(texts, rounds)
    lines += [
        "",
        f"Inside, each function wrapped by a CPU-time counter ({wrapped * 1e3:.2f} ms a note with the "
        "wrappers; nested functions are counted in each caller):",
        "",
        "| function | share of the read |",
        "|---|---:|",
    ]
    lines += [f"| {label} | {share:.1%} |" for label, share in sorted(shares.items(), key=lambda x: -x[1])]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    raise SystemExit(main(parser.parse_args().rounds))
