"""Where the named failures of the verdict dev set are lost (issue 15, second pass): for each
one-criterion failure, the stage that failed, tabulated by failure class and by fold.

    .venv/bin/python -m benchmarks.verdicts_diagnose [--folds 0,1,2] [--details] [--eligible] [--set DIR]

Stages, in the order they are checked:
- `caught`: excluded with the named criterion violated;
- `criterion not found`: no parsed criterion contains the quote (a heading, a dropped or merged line);
- `fact not extracted`: the failure note gives no fact its eligible twin does not (the notes reader
  missed the one clinical change);
- `criterion not parsed`: the named criterion has no atom patient data can decide;
- `parsed wrong`: its atoms never mention the kind of fact that changed (it reads something else);
- `evaluated unknown` / `evaluated satisfied` / `not applicable`: the atoms read the right kind of
  fact, the evaluator did not decide "violated";
- `violated, not excluded`: the named criterion is violated but another cohort keeps the patient.
A failure excluded by another criterion only is also counted as `wrong criterion violated`.

Everything printed or written (tables, details, `--out`, `--eligible`) covers only the folds named by
`--folds`, so a held-out fold of a blind set stays unread: not even its totals are shown.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.bench_verdicts import DAY, DEV, VAR, ensure_corpus

STAGES = (
    "caught",
    "criterion not found",
    "fact not extracted",
    "criterion not parsed",
    "parsed wrong",
    "evaluated unknown",
    "evaluated satisfied",
    "not applicable",
    "violated, not excluded",
)


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _fact_key(f: Any) -> tuple[Any, ...]:
    value = f.value if not isinstance(f.value, list) else tuple(f.value)
    return (f.kind, f.code, str(value), f.unit, f.negated, str(sorted(f.attributes.items())))


def _atom_kinds(atoms: Any) -> set[str]:
    out: set[str] = set()
    for a in atoms:
        out.add(a.kind)
        out |= _atom_kinds(a.condition)
    return out


_NOT_FACTS = {"note", "note_unread", "note_mention"}
FACT_TO_ATOM = {
    "primary_cancer": {"cancer_type"},
    "treatment": {"prior_therapy", "prior_lines", "treatment_naive"},
    "disease_status": {"disease_setting", "measurable_disease"},
    "metastasis": {"metastasis", "brain_metastases", "leptomeningeal_disease", "disease_setting"},
    "comorbidity": {"comorbidity", "infection", "prior_malignancy", "brain_metastases"},
    "performance": {"ecog", "karnofsky"},
}


def wrong_exclusions(
    data: Path = DEV, day: date = DAY, folds: set[int] | None = None
) -> list[dict[str, Any]]:
    """The eligible notes that are excluded, each with its violated criteria and their evidence."""
    from oncofed.domain import Outcome, TrialVerdict
    from oncofed.matching.assess import assess_trial
    from oncofed.services.matching import verdicts as V
    from oncofed.services.trials.criteria import criteria_by_trial

    corpus = VAR / "verdicts-corpus.jsonl"
    ensure_corpus(corpus)
    inputs = V.load_inputs(data / "queries.jsonl", corpus, data / "pairs.tsv")
    expected = V.read_expected(data / "expected.jsonl")
    criteria = criteria_by_trial(list(inputs.trials.values()))
    out = []
    for (qid, tid), e in sorted(expected.items()):
        if e["label"] != "eligible" or (folds is not None and e.get("fold", 0) not in folds):
            continue
        p = V.note_profile(inputs.queries[qid], qid)
        a = assess_trial(criteria.get(tid, []), p, V.note_day(p, day) or day)
        if a.verdict is TrialVerdict.EXCLUDED:
            out.append(
                {
                    "query-id": qid,
                    "fold": e.get("fold", 0),
                    "violated": [
                        {"cohort": o.criterion.cohort, "text": o.criterion.text[:160], "evidence": o.sentence}
                        for o in a.outcomes
                        if o.outcome is Outcome.VIOLATED
                    ],
                }
            )
    return out


def diagnose(day: date = DAY, data: Path = DEV) -> list[dict[str, Any]]:
    from oncofed.domain import Outcome, TrialVerdict
    from oncofed.matching.assess import assess_trial
    from oncofed.services.matching import verdicts as V
    from oncofed.services.trials.criteria import criteria_by_trial

    corpus = VAR / "verdicts-corpus.jsonl"
    ensure_corpus(corpus)
    inputs = V.load_inputs(data / "queries.jsonl", corpus, data / "pairs.tsv")
    expected = V.read_expected(data / "expected.jsonl")
    criteria = criteria_by_trial(list(inputs.trials.values()))
    profiles: dict[str, Any] = {}

    def profile(qid: str) -> Any:
        if qid not in profiles:
            profiles[qid] = V.note_profile(inputs.queries[qid], qid)
        return profiles[qid]

    rows = []
    for (qid, tid), e in sorted(expected.items()):
        if e["label"] != "excluded":
            continue
        failing = e["failing_criterion"]
        quote, section = _norm(failing["quote"]), failing["section"]
        cs = criteria.get(tid, [])
        p = profile(qid)
        twin = profile(qid.rsplit("-", 1)[0] + "-E")
        a = assess_trial(cs, p, V.note_day(p, day) or day)  # as `oncofed eval verdicts` does
        named = [
            o for o in a.outcomes if quote in _norm(o.criterion.text) and o.criterion.section.value == section
        ]
        violated = [o for o in a.outcomes if o.outcome is Outcome.VIOLATED]
        mine = {_fact_key(f) for f in p.facts if f.kind not in _NOT_FACTS}
        theirs = {_fact_key(f) for f in twin.facts if f.kind not in _NOT_FACTS}
        gained, changed = mine - theirs, mine ^ theirs
        changed_kinds = {k[0] for k in changed}
        kinds = (
            set().union(*(_atom_kinds(o.criterion.atoms) | _atom_kinds(o.criterion.condition) for o in named))
            if named
            else set()
        )
        outcome = named[0].outcome if named else None
        excluded = a.verdict is TrialVerdict.EXCLUDED
        if excluded and any(o.outcome is Outcome.VIOLATED for o in named):
            stage = "caught"
        elif not named:
            stage = "criterion not found"
        elif any(o.outcome is Outcome.VIOLATED for o in named):
            stage = "violated, not excluded"
        elif not gained:
            stage = "fact not extracted"
        elif not (kinds - {"non_evaluable", "permission"}):
            stage = "criterion not parsed"
        elif not any(kinds & (FACT_TO_ATOM.get(k, set()) | {k}) for k in changed_kinds):
            stage = "parsed wrong"
        elif outcome is Outcome.UNKNOWN:
            stage = "evaluated unknown"
        elif outcome is Outcome.SATISFIED:
            stage = "evaluated satisfied"
        else:
            stage = "not applicable"
        rows.append(
            {
                "query-id": qid,
                "trial": tid,
                "fold": e.get("fold", 0),
                "class": failing["class"],
                "section": section,
                "quote": failing["quote"],
                "stage": stage,
                "wrong_violated": excluded and stage != "caught",
                "outcome": outcome.value if outcome else None,
                "evidence": named[0].sentence if named else None,
                "criterion": named[0].criterion.text if named else None,
                "atoms": [
                    (x.kind, x.operator, str(x.value), x.code, x.negated, dict(x.attributes))
                    for o in named[:1]
                    for x in o.criterion.atoms
                ],
                "gained": sorted(map(str, gained)),
                "lost": sorted(map(str, changed - gained)),
                "violated": [o.criterion.text[:90] for o in violated][:4],
            }
        )
    return rows


def table(rows: list[dict[str, Any]], key: str) -> str:
    groups = sorted({r[key] for r in rows}, key=str)
    counts: dict[Any, Counter[str]] = defaultdict(Counter)
    for r in rows:
        counts[r[key]][r["stage"]] += 1
    stages = [s for s in STAGES if any(c[s] for c in counts.values())]
    head = f"| {key} | n | " + " | ".join(stages) + " | wrong criterion violated |"
    out = [head, "|---|---:|" + "---:|" * (len(stages) + 1)]
    for g in groups:
        rs = [r for r in rows if r[key] == g]
        out.append(
            f"| {g} | {len(rs)} | "
            + " | ".join(str(counts[g][s]) for s in stages)
            + f" | {sum(r['wrong_violated'] for r in rs)} |"
        )
    tot = Counter(r["stage"] for r in rows)
    out.append(
        f"| all | {len(rows)} | "
        + " | ".join(str(tot[s]) for s in stages)
        + f" | {sum(r['wrong_violated'] for r in rows)} |"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--folds",
        default="0,1,2,3,4",
        help="comma-separated folds to read (tables, details, --out): a held-out fold is never shown",
    )
    ap.add_argument("--details", action="store_true", help="one JSON line per failure of those folds")
    ap.add_argument("--out", type=Path, help="write every row as JSON lines")
    ap.add_argument(
        "--set", type=Path, default=DEV, help="a set in the dev set's layout (default: verdicts-dev)"
    )
    ap.add_argument(
        "--eligible", action="store_true", help="also list the eligible notes excluded (those folds)"
    )
    args = ap.parse_args(argv)
    folds = {int(f) for f in args.folds.split(",")}
    if args.eligible:
        for r in wrong_exclusions(args.set, folds=folds):
            print(json.dumps(r, ensure_ascii=False))
        print()
    rows = [r for r in diagnose(data=args.set) if r["fold"] in folds]
    print(table(rows, "class"))
    print()
    print(table(rows, "fold"))
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    if args.details:
        for r in rows:
            if r["stage"] != "caught":
                print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
