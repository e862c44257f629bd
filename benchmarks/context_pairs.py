"""ConText's graph computed here (`criteria.context_graph`) against medspaCy's component, paired in one process.

    .venv/bin/python -m benchmarks.context_pairs [--rounds 3]

The French dev notes read once each (ConText's memo emptied before each, as `bench_french --unseen`),
the whole note (`notes.extract`) timed with the native graph and with medspaCy's component
(`context._native` switched) alternately on the same note, CPU time; the paired differences are summed
up by their median. Side-by-side worker processes (`bench_french --speed-only`) measure the whole
reader on a loaded machine, where a 0.1 ms change of a 3 ms note is within the noise; paired calls in
one process are not. The facts of both are compared too (any difference is printed and fails the run).
Prints a Markdown table; writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from benchmarks.report import ROOT, machine_line

FR = ROOT / "benchmarks" / "data" / "verdicts-dev-fr" / "queries.jsonl"


def main(rounds: int) -> int:
    from oncofed.criteria import context
    from oncofed.ingest.patients.notes import extract

    texts = [json.loads(x)["text"] for x in FR.read_text(encoding="utf-8").splitlines() if x.strip()]
    native = context._native

    def read(text: str, graph: bool) -> tuple[float, str]:
        context._native = (lambda: graph) if not graph else native  # type: ignore[method-assign]
        context.clear_memo()
        started = time.process_time()
        facts = extract(text, "n", "note").facts
        spent = time.process_time() - started
        context._native = native  # type: ignore[method-assign]
        return spent, repr(facts)

    for text in texts:  # vocabularies, rules and models loaded outside the timing
        read(text, True)
        read(text, False)
    spent: dict[bool, list[float]] = {True: [], False: []}
    load_start = os.getloadavg()[0]
    for r in range(rounds):
        for i, text in enumerate(texts):
            note = f"{text}\n(pair {r})"
            answers = {}
            for graph in (True, False) if (i + r) % 2 == 0 else (False, True):
                took, answers[graph] = read(note, graph)
                spent[graph].append(took)
            if answers[True] != answers[False]:
                print(f"different facts on note {i}")
                return 1
    load_end = os.getloadavg()[0]
    diffs = [a - b for a, b in zip(spent[True], spent[False], strict=True)]
    before, after = statistics.median(spent[False]), statistics.median(spent[True])
    print(
        "\n".join(
            [
                f"Command: `.venv/bin/python -m benchmarks.context_pairs --rounds {rounds}`",
                "",
                machine_line(),
                "",
                f"A French dev note read once (ConText's memo emptied), {len(texts)} notes x {rounds} rounds, "
                "medspaCy's ConText component and the graph of `criteria.context_graph` alternately on each "
                "note, CPU time; the facts of both equal on every note.",
                "",
                "| a note, microseconds | medspaCy's graph | context_graph | paired difference (median) |",
                "|---|---:|---:|---:|",
                f"| median | {before * 1e6:,.0f} | {after * 1e6:,.0f} | **{statistics.median(diffs) * 1e6:+,.0f}** "
                f"({statistics.median(diffs) / before:+.1%}) |",
                "",
                f"Load average {load_start:.1f} at the start, {load_end:.1f} at the end, on {os.cpu_count()} cores.",
            ]
        )
    )
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.context_pairs", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--rounds", type=int, default=3)
    raise SystemExit(main(ap.parse_args().rounds))
