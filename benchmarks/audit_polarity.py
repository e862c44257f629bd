"""Polarity templates, compared by DECISION (verdicts34): every exclusion line "X" of the verdicts corpus (the 1,198 real
registries' trials of `../shared/data/trials/`) against the inclusion line another author writes for it: "No X",
"Without X", "Absence of X", "Patients must not have X". For every dev eligible note (`audit_policy`'s patients,
readable by anyone: `benchmarks/data/verdicts-dev/`) the two lines must get the same outcome: the patient who has X
violates both, the patient who has none of it meets both, unknown stays unknown. Outcomes are the engine's full
reading (`trust.strict`: every violation counted, nothing held back), so a difference is a reading, not a policy.

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_polarity [--template no|without|absence|must-not]
        [--trials N] [--show K]

Only lines a template fits are rewritten: a line that opens with a negation of its own ("No ...", "Not ..."), a
subject ("Patients who ...", "Women ...", "Subjects ..."), a condition ("If ...", "For patients ...") or a
modal verb is left out (an author would not prefix those), and so are lines of more than 200 characters.
Each line is read alone under its heading ("Exclusion Criteria:" / "Inclusion Criteria:"), so that the trial's
other lines (cohorts, headings) play no part.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from typing import Any

from benchmarks.bench_verdicts import DAY, VAR, ensure_corpus
from benchmarks.verdicts_trust import DATA

TEMPLATES = {
    "no": "No {x}",
    "without": "Without {x}",
    "absence": "Absence of {x}",
    "must-not": "Patients must not have {x}",
}
_SKIP = re.compile(
    r"(?i)^\W*(?:no|not|none|never|without|absence|patients?|participants?|subjects?|women|men|females?|males?|"
    r"if|for|unless|in|any\s+(?:patient|subject|participant)|those|individuals?|persons?|people|all|each|exclusion|"
    r"inclusion|note|[a-z]\)|\d)\b|\b(?:must|should|shall|may|will|are|is|were|was|has|have|had|can)\b"
)


def candidates(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(trial id, exclusion line) for every exclusion criterion a polarity template fits."""
    from oncofed.criteria import parse_eligibility
    from oncofed.domain import Section

    out = []
    for r in rows:
        for c in parse_eligibility(r["text"]).criteria:
            text = c.text.strip().rstrip(".;")
            if c.section is Section.EXCLUSION and len(text) <= 200 and not _SKIP.search(text):
                out.append((r["_id"], text))
    return out


def rewritten(template: str, line: str) -> str:
    x = line[0].lower() + line[1:] if line[:2].isupper() is False else line
    return TEMPLATES[template].format(x=x)


def run(template: str, trials: int | None, show: int, seed: int = 13) -> dict[str, Any]:
    from oncofed.criteria import parse_eligibility
    from oncofed.matching import trust
    from oncofed.matching.evaluate import evaluate_criterion
    from oncofed.matching.facts import PatientView
    from oncofed.services.matching import verdicts as V

    corpus = VAR / "verdicts-corpus.jsonl"
    ensure_corpus(corpus)
    rows = [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines() if x.strip()]
    if trials is not None and trials < len(rows):
        rows = random.Random(seed).sample(rows, trials)
    lines = candidates(rows)
    d = DATA / "verdicts-dev"
    notes = [
        json.loads(x) for x in (d / "queries.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()
    ]
    views = [PatientView.of(V.note_profile(q["text"], q["_id"])) for q in notes if q["_id"].endswith("-E")]
    pairs = []
    for tid, line in lines:
        a = parse_eligibility(f"Exclusion Criteria:\n- {line}\n").criteria
        b = parse_eligibility(f"Inclusion Criteria:\n- {rewritten(template, line)}\n").criteria
        if len(a) == 1 and len(b) == 1:
            pairs.append((tid, line, a[0], b[0]))
    differ: Counter[str] = Counter()
    shown: list[str] = []
    compared = 0
    with trust.strict():
        for tid, line, x, y in pairs:
            outs = []
            for view in views:  # a cache per patient: it is keyed by atom
                ox = evaluate_criterion(x, view, DAY, {}).outcome.value
                oy = evaluate_criterion(y, view, DAY, {}).outcome.value
                compared += 1
                if ox != oy:
                    outs.append(f"{ox}->{oy}")
            if outs:
                differ[line] += 1
                if len(shown) < show:
                    shown.append(f"{tid}: {line[:140]}  [{', '.join(sorted(set(outs)))}] x{len(outs)}")
    return {"trials": len(rows), "lines": len(pairs), "notes": len(views), "decisions": compared,
            "lines_differing": len(differ), "shown": shown}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--template", choices=sorted(TEMPLATES), default="no")
    ap.add_argument("--trials", type=int, help="a random sample of the corpus's trials (default: all)")
    ap.add_argument("--show", type=int, default=10)
    a = ap.parse_args(argv)
    r = run(a.template, a.trials, a.show)
    print(f"{r['trials']} trials, {r['lines']} exclusion lines rewritten `{TEMPLATES[a.template]}` x {r['notes']} "
          f"dev eligible notes = {r['decisions']} decisions: {r['lines_differing']} lines decided differently")  # fmt: skip
    for s in r["shown"]:
        print(f"  {s}")
    return 0 if r["lines_differing"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
