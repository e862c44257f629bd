"""The decision policy's invariant, checked on real trials: with a table trusting no kind of reading (and with
the shipped table, which may trust some), how many criteria are still read as VIOLATED. Under a table
trusting nothing the answer must be 0: every reading is held back ("probably not met: check it").

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_policy [--notes dev-eligible|dev-all] [--trials N]
        [--show K]

The patients are the verdict dev set's notes (readable by anyone: `benchmarks/data/verdicts-dev/`), each
against every trial of the verdicts corpus (`benchmarks.verdicts_corpus`: the real registries' trials of
`../shared/data/trials/`), not only its own: a policy leak shows on lines nobody labelled. Found this way
(session 13): a condition's reading ("... for patients with creatinine above normal", "female subjects who
must be postmenopausal") decided lines whose statement was held back: 38 of 32,346 pairs violated under the
shipped table that trusted nothing; 0 after `outcomes.policy_holds` clamped conditions too.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.bench_verdicts import DAY, VAR, ensure_corpus
from benchmarks.verdicts_trust import DATA


def run(notes: str, trials: int | None, show: int, seed: int = 13) -> dict[str, object]:
    from oncofed.matching import trust
    from oncofed.services.matching import verdicts as V

    corpus = VAR / "verdicts-corpus.jsonl"
    ensure_corpus(corpus)
    ids = [json.loads(x)["_id"] for x in corpus.read_text(encoding="utf-8").splitlines() if x.strip()]
    if trials is not None and trials < len(ids):
        ids = random.Random(seed).sample(ids, trials)
    d = DATA / "verdicts-dev"
    qs = [json.loads(x)["_id"] for x in (d / "queries.jsonl").read_text(encoding="utf-8").splitlines() if x]
    qs = [q for q in qs if notes == "dev-all" or q.endswith("-E")]
    with tempfile.TemporaryDirectory() as tmp:
        pairs = Path(tmp) / "pairs.tsv"
        pairs.write_text(
            "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{t}\t1\n" for q in qs for t in ids),
            encoding="utf-8",
        )
        inputs = V.load_inputs(d / "queries.jsonl", corpus, pairs)
        out: dict[str, object] = {"notes": len(qs), "trials": len(ids), "pairs": len(qs) * len(ids)}
        for name, table in (("nothing trusted", frozenset()), ("shipped table", trust.shipped())):
            with trust.using(table):
                lines = V.evaluate_pairs(inputs, DAY)
            hits = [(x["query-id"], x["corpus-id"], c) for x in lines for c in x["criteria"]
                    if c["outcome"] == "violated"]  # fmt: skip
            out[name] = len(hits)
            if name == "nothing trusted":
                out["lines"] = Counter(c["text"][:120] for _, _, c in hits).most_common(show)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", choices=("dev-eligible", "dev-all"), default="dev-eligible")
    ap.add_argument("--trials", type=int, help="a random sample of the corpus's trials (default: all)")
    ap.add_argument("--show", type=int, default=10, help="the lines most often violated under no trust")
    a = ap.parse_args(argv)
    r = run(a.notes, a.trials, a.show)
    print(f"{r['notes']} notes x {r['trials']} trials = {r['pairs']} pairs, day {DAY}")
    print(f"criteria violated, table trusting nothing: {r['nothing trusted']} (must be 0)")
    print(f"criteria violated, shipped table: {r['shipped table']}")
    for text, n in r["lines"]:  # type: ignore[attr-defined]
        print(f"  {n} x {text}")
    return 0 if r["nothing trusted"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
