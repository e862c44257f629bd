"""Why a criterion is read as violated where the benchmark says it is not: the cause of every wrong
violated reading of a labelled verdict set, decided from the engine's own evidence, counted kind x cause.

    PYTHONPATH=src .venv/bin/python -m benchmarks.verdicts_causes [SET ...] [--show] [--csv F]

The events are those of `benchmarks.verdicts_trust` (strict engine: every violation excludes; a
"wrong" event = one kind of reading of a criterion shown violated on an eligible pair, or of another
criterion than the named one on a failure pair). For each, the atoms of that kind that decided the
criterion (an inclusion's false atoms, an exclusion's true atoms; `outcomes.culprits`) and their
`AtomEvidence` (the fact used, its provenance and date, the atom's operator, window, negation) give
one cause, the first of this fixed list that fits one of those atoms:

- `cohort_line`: the line belongs to a cohort the engine put the patient in (the cohort may be the
  wrong one: a line of another arm read against this patient).
- `no_fact`: the atom was decided with NO patient fact behind it (neither presumed nor unknown): the
  engine read the record's silence as a "no" (closed world) or decided from the criterion alone.
- `negated_fact`: the fact used is a negated mention ("no HIV", "pas de métastase").
- `historical_fact`: the fact used is marked historical by the note reader (a past event taken as
  current).
- `stale_stage`: the fact used is a stage I-III that the record shows the disease has gone beyond
  since (a relapse, a line of therapy for advanced disease: `PatientView.since_stage`): the stage at
  diagnosis taken as the current one.
- `window`: the atom counts a time window ("within 4 weeks") and the fact used is dated: the window
  computed from the fact's date decided it.
- `negated_atom`: the criterion's atom is negated ("no prior X", "not ..."): the engine's reading of
  the negation decided it, the fact being current and not negated.
- `record_field`: decided from a field of the patient's record (sex, a stage or cancer of the profile),
  not from a fact with its source in a note: the line's reading against a field (a line about women
  read against a man, an exclusion written among the inclusions...).
- `threshold`: a numeric comparison (>=, >, <=, <) of the fact's value with the line's (value, unit).
- `category`: the fact's code or category is not the line's (another cancer, histology, stage,
  biomarker result, setting, drug...): the line's or the note's category read wrongly.
- `other`: none of these (e.g. an atom whose evidence carries no atom).

Only aggregate counts are printed for any set. `--show` prints the cases too, and ONLY for the sets
and folds a fix may read (`READABLE`, never fold 2 of a blind set, never an `UNREAD` or held-out set):
the script refuses otherwise (exit 2).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_verdicts import DAY, VAR, ensure_corpus
from benchmarks.verdicts_trust import DATA, NEVER_READ, UNREAD, _events
from oncofed.domain import Atom, CriterionOutcome
from oncofed.matching import trust
from oncofed.matching.evidence import AtomEvidence
from oncofed.matching.facts import PatientView

CAUSES = (
    "cohort_line",
    "no_fact",
    "negated_fact",
    "historical_fact",
    "stale_stage",
    "window",
    "negated_atom",
    "record_field",
    "threshold",
    "category",
    "other",
)
# sets whose readable folds (`NEVER_FOLD`) a fix may read case by case; any other set: aggregate only
READABLE = (
    "verdicts-dev",
    "verdicts-blind",
    "verdicts-blind2",
    "verdicts-blind3",
    "verdicts-blind5",
    "verdicts-blind6",
    "verdicts-blind7",
    "verdicts-blind8",
    "verdicts-blind9",
    "verdicts-blind10",
    "verdicts-blind11",
    "verdicts-blind12",
    "verdicts-blind13",
)
NEVER_FOLD = dict(NEVER_READ)
HELD_OUT = frozenset({"verdicts-blind14", "verdicts-blind15"}) | frozenset(UNREAD)
NUMERIC = {">=", ">", "<=", "<"}


class Refused(ValueError):
    """Cases of a set or fold that no fix may read were asked for."""


def may_show(name: str, fold: int) -> bool:
    """Whether the cases of this fold of this set may be printed (a readable set, a readable fold)."""
    return name in READABLE and name not in HELD_OUT and fold != NEVER_FOLD.get(name)


def check_show(names: Sequence[str]) -> None:
    """Refuse `--show` when any set asked for is not readable case by case."""
    bad = [n for n in names if n not in READABLE or n in HELD_OUT]
    if bad:
        raise Refused(
            f"--show refused for {', '.join(bad)}: held-out sets are scored in aggregate only "
            f"(cases may be shown for {', '.join(READABLE)}, folds other than 2 of the blind sets)"
        )


def atom_cause(ev: AtomEvidence, view: PatientView | None = None) -> str:
    """The cause one deciding atom's evidence points to (module docstring, without `cohort_line`);
    `view`, the patient's facts, tells a stage at diagnosis from a current one."""
    atom, fact = ev.atom, ev.fact
    if atom is None:
        return "other"
    if fact is None:
        return "no_fact"
    if fact.negated:
        return "negated_fact"
    if fact.attributes.get("historical"):
        return "historical_fact"
    if fact.kind == "stage" and view is not None and view.since_stage(fact) is not None:
        return "stale_stage"
    if atom.window_days is not None and fact.when is not None:
        return "window"
    if atom.negated:
        return "negated_atom"
    if fact.provenance.source == "patient record":
        return "record_field"
    if atom.operator in NUMERIC and isinstance(atom.value, int | float):
        return "threshold"
    return "category"


def _kind_of(atom: Atom, kind: str) -> bool:
    """Whether the atom is of the reading kind ("inclusion:cancer_organ" is a cancer type, a history of
    cancer is `cancer_type_history`: `trust.atom_kind`)."""
    base = trust.base(kind).partition(":")[2]  # a split kind (".../plain") is its kind here
    return trust.atom_kind(atom) == base or (base == trust.ORGAN and bool(trust.organ_codes(atom)))


def deciding(o: CriterionOutcome, kind: str) -> list[AtomEvidence]:
    """The evidence of the atoms of this kind of reading that made the criterion violated: an
    inclusion's false statement atoms, an exclusion's true ones (conditions that held, else)."""
    inclusion = kind.startswith("inclusion:")
    want = not inclusion
    evs = [e for e in o.evidence if isinstance(e, AtomEvidence) and e.atom is not None]
    mine = [e for e in evs if _kind_of(e.atom, kind)]  # type: ignore[arg-type]
    decided = [e for e in mine if e.holds is want and e.role == "statement"]
    return decided or [e for e in mine if e.holds is not None] or mine


def cause_of(o: CriterionOutcome, kind: str, view: PatientView | None = None) -> str:
    """One cause for a violated criterion and one of its kinds of reading: the first of `CAUSES`."""
    if o.criterion.cohort:
        return "cohort_line"
    found = {atom_cause(e, view) for e in deciding(o, kind)}
    return next((c for c in CAUSES if c in found), "other")


def run_outcomes(name: str, corpus: Path) -> dict[str, Any]:
    """The strict engine's lines for a set, as `verdicts_trust.run_set` builds them, each criterion
    with its `CriterionOutcome` (key "_outcome") for the causes."""
    from oncofed.matching.assess import assess_trial
    from oncofed.matching.outcomes import compile_plan
    from oncofed.services.matching import verdicts as V
    from oncofed.services.trials.criteria import criteria_by_trial

    d = DATA / name
    inputs = V.load_inputs(d / "queries.jsonl", corpus, d / "pairs.tsv")
    criteria = criteria_by_trial(list(inputs.trials.values()))
    plans = {tid: [compile_plan(c) for c in cs] for tid, cs in criteria.items()}
    lines: list[dict[str, Any]] = []
    views: dict[str, Any] = {}
    with trust.using(None):
        for p in inputs.pairs:
            text, trial = inputs.queries.get(p.query_id), inputs.trials.get(p.corpus_id)
            line: dict[str, Any] = {"query-id": p.query_id, "corpus-id": p.corpus_id, "criteria": []}
            lines.append(line)
            if not text or not text.strip() or trial is None:
                continue
            if p.query_id not in views:
                profile = V.note_profile(text, p.query_id)
                views[p.query_id] = (PatientView.of(profile), V.note_day(profile, DAY) or DAY, {})
            view, on, cache = views[p.query_id]
            a = assess_trial(criteria.get(trial.id, []), view, on, cache, plans.get(trial.id))
            line["cohort"], line["verdict"], line["_view"] = a.cohort, a.verdict.value, view
            line["criteria"] = [
                {"section": o.criterion.section.value, "text": o.criterion.text, "outcome": o.outcome.value,
                 "evidence": o.sentence, "reading": list(o.reading), "_outcome": o,
                 **({"cohort": o.criterion.cohort} if o.criterion.cohort else {})}
                for o in a.outcomes
            ]  # fmt: skip
    expected = V.read_expected(d / "expected.jsonl")
    grades = {(p.query_id, p.corpus_id): p.grade for p in inputs.pairs}
    return {"name": name, "lines": lines, "expected": expected, "grades": grades}


def wrong_causes(run: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per wrong event: set, fold, pair, kind, cause, the line and the deciding evidence."""
    out = []
    views = {(ln["query-id"], ln["corpus-id"]): ln.get("_view") for ln in run["lines"]}
    for kind, what, where in _events(run):
        if what != "wrong":
            continue
        c = where["criterion"]
        o: CriterionOutcome = c["_outcome"]
        evs = deciding(o, kind)
        out.append({
            "set": run["name"], "fold": where["fold"], "pair": "/".join(where["pair"]), "kind": kind,
            "cause": cause_of(o, kind, views.get(where["pair"])), "line": f"{c['section']}: {c['text']}",
            "facts": "; ".join(f"{e.explanation} [{e.source or 'no source'}]" for e in evs),
        })  # fmt: skip
    return out


def table(rows: Iterable[dict[str, Any]]) -> str:
    """Markdown table kind x cause (counts), kinds by number of wrong events, with totals."""
    rows = list(rows)
    counts = Counter((r["kind"], r["cause"]) for r in rows)
    by_kind = Counter(r["kind"] for r in rows)
    by_cause = Counter(r["cause"] for r in rows)
    used = [c for c in CAUSES if by_cause[c]]
    out = ["| kind of reading | wrong | " + " | ".join(used) + " |", "|---|---|" + "---|" * len(used)]
    for kind, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"| {kind} | {n} | " + " | ".join(str(counts[kind, c] or "") for c in used) + " |")
    out.append(f"| **all** | {len(rows)} | " + " | ".join(str(by_cause[c]) for c in used) + " |")
    return "\n".join(out)


def show(rows: Iterable[dict[str, Any]]) -> str:
    """The cases of the readable folds, by cause (callers check `check_show` first)."""
    out = []
    for r in sorted(rows, key=lambda r: (CAUSES.index(r["cause"]), r["kind"], r["set"], r["pair"])):
        if not may_show(r["set"], r["fold"]):
            continue
        out += [f"- [{r['cause']}] {r['kind']} {r['set']} fold {r['fold']} {r['pair']}",
                f"  line: {r['line']}", f"  evidence: {r['facts']}"]  # fmt: skip
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="*", default=list(READABLE), help="sets under benchmarks/data")
    ap.add_argument("--corpus", type=Path, default=VAR / "verdicts-corpus.jsonl")
    ap.add_argument("--show", action="store_true", help="print the cases too (readable sets and folds only)")
    ap.add_argument("--csv", type=Path, help="write the kind x cause counts there (aggregate only)")
    ap.add_argument("--readable", action="store_true", help="count only the folds a fix may read")
    args = ap.parse_args(argv)
    if args.show:
        try:
            check_show(args.sets)
        except Refused as exc:
            print(exc, file=sys.stderr)
            return 2
    ensure_corpus(args.corpus)
    everything: list[dict[str, Any]] = []
    for name in args.sets:
        rows = wrong_causes(run_outcomes(name, args.corpus))
        if args.readable:
            rows = [r for r in rows if may_show(r["set"], r["fold"])]
        everything += rows
        print(f"## {name}: {len(rows)} wrong events\n\n{table(rows)}\n")
        if args.show:
            print(show(rows) + "\n")
    if len(args.sets) > 1:
        print(f"## all sets given ({', '.join(args.sets)})\n\n{table(everything)}")
    if args.csv:
        counts = Counter((r["set"], r["kind"], r["cause"]) for r in everything)
        with args.csv.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["set", "kind", "cause", "wrong"])
            w.writerows([*k, n] for k, n in sorted(counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
