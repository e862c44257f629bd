"""A metamorphic audit of the criteria reader: every criterion line of the verdicts corpus (the real registries'
trials of `../shared/data/trials/`) read as written and with its connectives in capitals (" or " -> " OR ",
" and " -> " AND "), which registries write both ways. The reading must not change: a line whose atoms,
groups or conditions differ is a rule that depends on a connective's case.

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_case [--rewrite NAME] [--trials N] [--show K]

`--rewrite` (default `connectives`) chooses another spelling of the same lines: `participants` ("patients" ->
"participants"), `ascii` ("≤"/"≥" -> "<="/">="), `symbols` ("<="/">=" -> "≤"/"≥"), `times` ("2 x ULN" -> "2 times
ULN"), `spaced` (a space after a comparator: ">=1.5" -> ">= 1.5"), `seconds` ("470 ms" -> "0.47 seconds"). The notes'
sibling is `benchmarks/audit_note_variants.py`.

Session 13 (lead): 12 of 3,622 lines of 150 sampled trials read differently (a coordinated lab lost, "40
kg/m^2 OR greater" dropped, a condition governing every alternative); after `parser.connectives_lowered`, 1 of
29,067 lines of all 1,198 trials (a summary line's "with OR without": ConText reads the line as written).
Trials whose NUMBER of criteria changes are counted apart: the segmenter takes "; OR" as the start of a new
item of a list on purpose.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from typing import Any

from benchmarks.bench_verdicts import VAR, ensure_corpus

_CONNECTIVE = re.compile(r"(?<=\S) (or|and) (?=\S)")
_MS = re.compile(r"(?<![\d.,])(\d{3})\s*(?:ms|msec|milliseconds?)\b", re.IGNORECASE)
REWRITES: dict[str, Callable[[str], str]] = {
    "connectives": lambda t: _CONNECTIVE.sub(lambda m: f" {m.group(1).upper()} ", t),
    "participants": lambda t: re.sub(
        r"\b([Pp])atients\b", lambda m: f"{'P' if m.group(1) == 'P' else 'p'}articipants", t
    ),
    "ascii": lambda t: t.replace("≤", "<=").replace("≥", ">="),
    "symbols": lambda t: re.sub(r"(?<![<>=])<=(?!=)", "≤", re.sub(r"(?<![<>=])>=(?!=)", "≥", t)),
    "times": lambda t: re.sub(r"(\d)\s*[x×]\s*(ULN|upper limit)", r"\1 times \2", t),
    "spaced": lambda t: re.sub(r"(?<=[<>≤≥])(?=\d)", " ", t),
    # an interval in seconds, as registries also write it ("QTc > 470 ms" -> "QTc > 0.47 seconds"): verdicts33
    "seconds": lambda t: _MS.sub(lambda m: f"{int(m.group(1)) / 1000:g} seconds", t),
}


def key(c: Any) -> tuple[object, ...]:
    """What a criterion's reading says, without its text or spans."""
    atoms = tuple((a.kind, a.code, a.operator, str(a.value), a.unit, a.negated, a.attributes.get("group") is not None,
                   tuple((x.kind, x.code, x.operator, str(x.value)) for x in a.condition)) for a in c.atoms)  # fmt: skip
    return atoms, tuple((x.kind, x.code) for x in c.condition)


def rewritten_pairs(
    trials: int | None, seed: int, rewrite: Callable[[str], str]
) -> tuple[int, int, list[tuple[dict[str, Any], Any, Any]]]:
    """The corpus's trials (all, or a random sample) parsed as written and as `rewrite` writes them: the number
    of trials, the number cut into another number of criteria, and the (trial, criterion, rewritten criterion)
    pairs of the others (shared by `audit_templates`)."""
    from oncofed.criteria import parse_eligibility

    corpus = VAR / "verdicts-corpus.jsonl"
    ensure_corpus(corpus)
    rows = [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines() if x.strip()]
    if trials is not None and trials < len(rows):
        rows = random.Random(seed).sample(rows, trials)
    recut = 0
    pairs: list[tuple[dict[str, Any], Any, Any]] = []
    for r in rows:
        text = r["text"]
        other = rewrite(text)
        if other == text:
            continue
        a, b = parse_eligibility(text).criteria, parse_eligibility(other).criteria
        if len(a) != len(b):
            recut += 1
            continue
        pairs.extend((r, x, y) for x, y in zip(a, b, strict=True))
    return len(rows), recut, pairs


def run(trials: int | None, show: int, seed: int = 1, rewrite: str = "connectives") -> dict[str, Any]:
    n, recut, pairs = rewritten_pairs(trials, seed, REWRITES[rewrite])
    changed = 0
    shown: list[str] = []
    for r, x, y in pairs:
        if key(x) != key(y):
            changed += 1
            if len(shown) < show:
                shown.append(f"{r['_id']}: {x.text[:160]}")
    return {"trials": n, "lines": len(pairs), "changed": changed, "recut": recut, "shown": shown}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, help="a random sample of the corpus's trials (default: all)")
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--rewrite", choices=sorted(REWRITES), default="connectives")
    a = ap.parse_args(argv)
    r = run(a.trials, a.show, rewrite=a.rewrite)
    print(f"{r['trials']} trials, {r['lines']} lines of trials the rewrite `{a.rewrite}` changes compared: "
          f"{r['changed']} read differently; {r['recut']} trials cut into another number of criteria")  # fmt: skip
    for s in r["shown"]:
        print(f"  {s}")
    return 0 if r["changed"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
