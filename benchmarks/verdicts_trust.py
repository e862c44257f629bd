"""Which kinds of reading may exclude a patient on their own (the decision policy of matching/trust.py),
measured on the labelled verdict sets, and the policy scored leave-one-set-out.

    PYTHONPATH=src .venv/bin/python -m benchmarks.verdicts_trust [--corpus C.jsonl] [--check] [--no-write]
        [--split none|read|form|measure] [--candidates]

1. The engine runs WITHOUT the policy (strict: every violation excludes) over the labelled pairs of the
   nine sets whose events count (`SETS`, every fold; never another set: verdicts-blind4's events count,
   its notes and cases are never read by a fix, `UNREAD`; fold 2 of the other blind sets is never read). Every criterion shown
   violated is an event for each kind of reading that violates it (`outcomes.culprits`: an inclusion's
   false atoms, an exclusion's atoms; the `reading` of each violated line of `oncofed eval verdicts`):
   - right: on a one-criterion failure pair, the named criterion (the README's quote rule); on a pair
     with a trial of another disease (score 0: "not relevant", by construction of the sets), a line
     read as not met at the organ level, for that kind only (`cancer_organ`: the patient's cancer is
     in another organ than the line's, `trust.reading_kind`; that reading is true there; a line read at
     the subtype level, `cancer_type`, and what else the line reads earn nothing from it: a trial of
     another disease says nothing about reading subtypes within the patient's own organ);
   - wrong: any violation on an eligible pair; on a failure pair, a violation of another criterion.
   Violations of other lines on off-topic pairs are not counted (their truth is not known), nor, for a
   patient excluded from every cohort of a trial, the lines of a cohort (which one is the patient's is
   not known: the lines of the others are rightly violated).
2. The rule, fixed before any held-out figure was looked at: a kind may exclude when the Wilson 95 %
   lower bound of its precision right / (right + wrong) is at least 0.8 (`MIN_LOWER`). Why: a wrong
   exclusion hides a trial from a patient and never reaches the tumour board, while a criterion shown
   "to check" costs a research nurse a minute; so a kind excludes alone only when, even at the low end
   of what the counts allow, at least 4 of its 5 exclusions are right. The bound needs at least 16
   events without error (16/16: 0.806), so a kind seen a few times never excludes: unknown or rare
   kinds stay "to check".
2b. Confirmation (session 12): a kind the rule trusts is held back when the Wilson 95 % upper bound of its
   precision on the session's held-out sets (`CONFIRM`, never counted, never read) is below the bound: they
   contradict the counted sets, whose events are optimistic. Run by the writing runs only (`--no-write` skips
   it); only the trusted kinds' held-out counts are printed; written in the table's `confirm`.
3. The table from all the counted sets is written to `src/oncofed/resources/verdicts/trusted_violations.json`
   with its counts, sets, rule and commit (`--check`: compare with the file instead, exit 1 if the
   trusted kinds differ).
4. Leave-one-set-out: for each set, the table from the others, and the set scored with it beside
   the strict engine (the session-start policy): eligible kept, failures excluded with the named
   criterion, failures flagged (excluded, or the named criterion among those to check), balanced
   accuracy, off-topic pairs excluded, with 95 % bootstrap intervals over trials; the never-read folds
   (fold 2 of the blind sets) pooled.
5. The kinds are keyed by the split the shipped table names (`"split"`; `trust.SPLITS`: "exclusion:lab/plain"),
   or by `--split`. `--candidates` scores every split leave-one-set-out (`benchmarks/verdicts_splits.py`: the ten
   held-out sets pooled, balanced accuracy and eligible kept with their intervals) and names the one the rule
   written in docs/MATCHING.md chooses; regenerate the table with `--split <it> --no-cv`.
6. `--wrong [KIND ...]`: the wrong events of the folds a fix may read (`readable`: verdicts-dev, folds 0-1
   of the blind sets; never a `NEVER_READ` fold nor an `UNREAD` set), grouped by kind of reading, each with
   its pair, line and evidence: where the classes of error are found.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_verdicts import DAY, VAR, bootstrap, ensure_corpus
from benchmarks.report import ROOT
from oncofed.matching import trust
from oncofed.matching.trust import ORGAN

DATA = ROOT / "benchmarks" / "data"
# the sets whose events count (a later set, e.g. verdicts-blind14, is the lead's held-out test: never read here)
SETS = (
    "verdicts-dev",
    "verdicts-blind",
    "verdicts-blind2",
    "verdicts-blind3",
    "verdicts-blind4",
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
# fold never read by a fix
NEVER_READ = {
    "verdicts-blind": 2,
    "verdicts-blind2": 2,
    "verdicts-blind3": 2,
    "verdicts-blind5": 2,
    "verdicts-blind6": 2,
    "verdicts-blind7": 2,
    "verdicts-blind8": 2,
    "verdicts-blind9": 2,
    "verdicts-blind10": 2,
    "verdicts-blind11": 2,
    "verdicts-blind12": 2,
    "verdicts-blind13": 2,
}
# The session's held-out sets (never read by a fix, never counted in the table): a kind the rule trusts on
# the counted sets must not be contradicted there before it ships (`confirm`). Why: the counted sets' events
# are optimistic (the reading passes were prompted by their readable folds, docs/PRESCREEN.md), so a kind
# can pass the bound there and still be wrong on wordings nobody fixed against: session 12's one trusted
# kind (inclusion:cancer_organ/plain, Wilson lower 0.81 on the ten sets) excluded 4 pairs of these sets,
# none rightly (an eligible patient hidden from a trial). Only each trusted kind's counts are printed.
CONFIRM = ("verdicts-blind14", "verdicts-blind15")
UNREAD = {"verdicts-blind4"}  # counted by this script, its notes and cases never read by a fix (no fold)
TABLE = ROOT / "src" / "oncofed" / "resources" / "verdicts" / "trusted_violations.json"
Z = 1.959963984540054  # two-sided 95 %
MIN_LOWER = 0.8
CONFIRM_RULE = (
    f"a trusted kind is held back when the Wilson 95 % upper bound of its precision on the held-out sets "
    f"({', '.join(CONFIRM)}) is below {MIN_LOWER}: those sets contradict the counted ones"
)
RULE = f"Wilson 95 % lower bound of precision right/(right+wrong) >= {MIN_LOWER}"
COMMAND = "PYTHONPATH=src .venv/bin/python -m benchmarks.verdicts_trust"


def wilson_lower(right: int, n: int, z: float = Z) -> float:
    """Lower bound of the Wilson score interval of a proportion right/n (0 for n = 0)."""
    if n == 0:
        return 0.0
    p = right / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - margin) / (1 + z * z / n)


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def _named(c: dict[str, Any], failing: dict[str, Any] | None) -> bool:
    if not failing:
        return False
    quote, section = _norm(str(failing.get("quote") or "")), failing.get("section")
    return bool(quote) and quote in _norm(c["text"]) and (section is None or c["section"] == section)


def run_set(name: str, corpus: Path, table: Iterable[str] | None, split: str | None = None) -> dict[str, Any]:
    """The set's lines under a policy (None: strict), its expected rows, and each trial's readings, the
    kinds of reading keyed by `split` (`trust.SPLITS`; None: the shipped table's)."""
    from oncofed.services.matching import verdicts as V

    d = DATA / name
    inputs = V.load_inputs(d / "queries.jsonl", corpus, d / "pairs.tsv")
    with trust.using(table), trust.splitting(trust.shipped_split() if split is None else split):
        lines = V.evaluate_pairs(inputs, DAY)
    expected = V.read_expected(d / "expected.jsonl")
    grades = {(p.query_id, p.corpus_id): p.grade for p in inputs.pairs}
    return {"name": name, "lines": lines, "expected": expected, "grades": grades}


def events(run: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind of reading, "right"/"wrong"/"off_topic") for every violation of a strict run."""
    return [(kind, what) for kind, what, _ in _events(run)]


def _events(run: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """`events` with where each comes from: the pair, its fold, the line and its evidence."""
    for line in run["lines"]:
        key = (line["query-id"], line["corpus-id"])
        e = run["expected"].get(key)
        off_topic = e is None and run["grades"].get(key) == 0
        if e is None and not off_topic:
            continue
        for c in line.get("criteria", []):
            if c["outcome"] != "violated":
                continue
            if c.get("cohort") and line.get("cohort") is None:
                continue  # excluded from every cohort: which cohort's lines are the patient's is not known
            kinds = c.get("reading", [])
            where = {"pair": key, "fold": -1 if e is None else e.get("fold", 0), "criterion": c,
                     "failing": None if e is None else e.get("failing_criterion")}  # fmt: skip
            if off_topic:
                yield from ((x, "off_topic", where) for x in kinds if trust.base(x).endswith(f":{ORGAN}"))
                continue
            right = e["label"] == "excluded" and _named(c, e.get("failing_criterion"))
            yield from ((x, "right" if right else "wrong", where) for x in kinds)


def readable(name: str, fold: int) -> bool:
    """Whether a fix may read this fold of this set (the wrong events listed by `--wrong`)."""
    return name not in UNREAD and fold != NEVER_READ.get(name)


def wrong_events(run: dict[str, Any]) -> list[dict[str, Any]]:
    """The wrong events of the readable folds of a strict run, one per kind of reading and line."""
    out = []
    for kind, what, where in _events(run):
        if what != "wrong" or not readable(run["name"], where["fold"]):
            continue
        c, failing = where["criterion"], where["failing"]
        out.append({"kind": kind, "set": run["name"], "pair": "/".join(where["pair"]), "fold": where["fold"],
                    "line": f"{c['section']}: {c['text']}", "evidence": c.get("evidence"),
                    "failing": None if not failing else f"{failing.get('section')}: {failing.get('quote')}"})  # fmt: skip
    return out


def print_wrong(rows: Sequence[dict[str, Any]], kinds: Sequence[str] = ()) -> str:
    """The wrong events grouped by kind of reading (only `kinds` when given), most frequent kind first."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if not kinds or r["kind"] in kinds or trust.base(r["kind"]) in kinds:
            by_kind.setdefault(r["kind"], []).append(r)
    out = []
    for kind, rs in sorted(by_kind.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out += [f"## {kind}: {len(rs)} wrong", ""]
        for r in rs:
            out += [f"- {r['set']} fold {r['fold']} {r['pair']} (failing: {r['failing'] or 'none: eligible'})",
                    f"  line: {r['line']}", f"  evidence: {r['evidence']}"]  # fmt: skip
        out.append("")
    return "\n".join(out)


def table_of(evts: Iterable[tuple[str, str]]) -> dict[str, dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for kind, what in evts:
        row = counts.setdefault(kind, {"right": 0, "off_topic": 0, "wrong": 0})
        row[what] += 1
    for row in counts.values():
        right = row["right"] + row["off_topic"]
        n = right + row["wrong"]
        row["precision"] = round(right / n, 4) if n else None
        row["wilson_lower"] = round(wilson_lower(right, n), 4)
        row["trusted"] = row["wilson_lower"] >= MIN_LOWER
    return dict(sorted(counts.items()))


def trusted_of(table: dict[str, dict[str, Any]]) -> list[str]:
    return sorted(k for k, row in table.items() if row["trusted"])


def wilson_upper(right: int, n: int, z: float = Z) -> float:
    """Upper bound of the Wilson score interval of a proportion right/n (1 for n = 0)."""
    return 1.0 - wilson_lower(n - right, n, z) if n else 1.0


def confirm(
    table: dict[str, dict[str, Any]], held_out: Iterable[tuple[str, str]]
) -> dict[str, dict[str, Any]]:
    """Each kind the rule trusts, on the held-out sets' events (`CONFIRM`): its counts there, and whether it
    ships (`confirmed`: not contradicted, i.e. the upper bound of its precision there reaches the rule's
    bound; a kind never seen there is not contradicted)."""
    out: dict[str, dict[str, Any]] = {}
    kinds = trusted_of(table)
    rows = table_of(e for e in held_out if e[0] in kinds)
    for kind in kinds:
        row = rows.get(kind, {"right": 0, "off_topic": 0, "wrong": 0})
        right = row["right"] + row["off_topic"]
        n = right + row["wrong"]
        upper = round(wilson_upper(right, n), 4)
        out[kind] = {
            "right": right,
            "wrong": row["wrong"],
            "wilson_upper": upper,
            "confirmed": upper >= MIN_LOWER,
        }
    return out


def shipped_of(table: dict[str, dict[str, Any]], confirmed: dict[str, dict[str, Any]] | None) -> list[str]:
    """The kinds that ship: trusted by the rule and, when the held-out sets were run, confirmed there."""
    return [k for k in trusted_of(table) if confirmed is None or confirmed[k]["confirmed"]]


def items_of(run: dict[str, Any]) -> list[dict[str, Any]]:
    """One item per labelled pair (and per off-topic pair): what the engine did with it."""
    out = []
    for line in run["lines"]:
        key = (line["query-id"], line["corpus-id"])
        e = run["expected"].get(key)
        if e is None:
            if run["grades"].get(key) == 0:
                out.append({"trial": line["corpus-id"], "label": "off_topic", "fold": -1,
                            "excluded": line["verdict"] == "excluded", "named": False, "flagged": False})  # fmt: skip
            continue
        failing = e.get("failing_criterion")
        crit = line.get("criteria", [])
        excluded = line["verdict"] == "excluded"
        named = excluded and any(c["outcome"] == "violated" and _named(c, failing) for c in crit)
        to_check = any(c["outcome"] == "unknown" and _named(c, failing) for c in crit)
        out.append({"trial": e["corpus-id"], "label": e["label"], "fold": e.get("fold", 0),
                    "excluded": excluded, "named": named, "flagged": excluded or to_check})  # fmt: skip
    return out


def scores(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    elig = [i for i in items if i["label"] == "eligible"]
    fail = [i for i in items if i["label"] == "excluded"]
    off = [i for i in items if i["label"] == "off_topic"]
    kept = sum(not i["excluded"] for i in elig)
    out: dict[str, Any] = {
        "eligible_kept": (kept, len(elig)),
        "failure_named": (sum(i["named"] for i in fail), len(fail)),
        "failure_excluded": (sum(i["excluded"] for i in fail), len(fail)),
        "failure_flagged": (sum(i["flagged"] for i in fail), len(fail)),
        "off_topic_excluded": (sum(i["excluded"] for i in off), len(off)),
    }
    rate_k = kept / len(elig) if elig else float("nan")
    rate_x = out["failure_excluded"][0] / len(fail) if fail else float("nan")
    out["balanced"] = (rate_k + rate_x) / 2
    labelled = [i for i in items if i["label"] != "off_topic"]
    boot = bootstrap(labelled)
    flagged = _boot_flagged(labelled)
    out["ci"] = {**boot, "failure_flagged": flagged}
    return out


def _boot_flagged(items: Sequence[dict[str, Any]]) -> tuple[float, float]:
    """The bootstrap interval of the flagged rate (same resampling as bench_verdicts.bootstrap)."""
    recast = [{**i, "named": i["flagged"]} for i in items]
    return bootstrap(recast).get("failure_named", (float("nan"), float("nan")))


def _commit() -> str:
    r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def write_table(
    table: dict[str, dict[str, Any]],
    sets: Sequence[str],
    path: Path = TABLE,
    split: str = "",
    confirmed: dict[str, dict[str, Any]] | None = None,
) -> None:
    doc = {
        "about": "Kinds of reading whose violation may exclude a patient on its own (matching/trust.py), "
        "measured by benchmarks/verdicts_trust.py on the engine without the policy; regenerate with: "
        + COMMAND,
        "rule": RULE,
        "right": "the named criterion on a one-criterion failure pair; the organ-level cancer-type reading "
        "(cancer_organ: the patient's cancer in another organ than the line's) of a line violated on an "
        "off-topic pair (a trial of another disease)",
        "wrong": "any violation on an eligible pair; another criterion on a failure pair",
        "split": split,
        "split_parts": list(trust.SPLITS[split]) if split else [],
        "split_chosen": "leave-one-set-out over the sets (benchmarks.verdicts_trust --candidates; "
        "docs/MATCHING.md, kinds of reading split by what the engine knows of the line)",
        "sets": list(sets),
        "day": DAY.isoformat(),
        "commit": _commit(),
        "trusted": shipped_of(table, confirmed),
        "confirm": {"sets": list(CONFIRM), "rule": CONFIRM_RULE, "kinds": confirmed or {}},
        "kinds": table,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _f(pair: tuple[int, int]) -> str:
    k, n = pair
    return f"{k}/{n} ({100 * k / n:.0f} %)" if n else "-"


def _ci(c: tuple[float, float] | None) -> str:
    return f"[{100 * c[0]:.0f}-{100 * c[1]:.0f} %]" if c else ""


def report(name: str, strict: dict[str, Any], policy: dict[str, Any]) -> str:
    rows = [f"### {name}", "", "| measure | strict (session start) | trusted policy | 95 % CI (policy) |",
            "|---|---|---|---|"]  # fmt: skip
    for key, label in (
        ("eligible_kept", "eligible kept"),
        ("failure_named", "failures excluded with the named criterion"),
        ("failure_flagged", "failures flagged (excluded, or named criterion to check)"),
        ("failure_excluded", "failures excluded"),
        ("off_topic_excluded", "off-topic pairs excluded"),
    ):
        ci_key = "failure_named" if key == "failure_named" else key
        rows.append(f"| {label} | {_f(strict[key])} | {_f(policy[key])} | {_ci(policy['ci'].get(ci_key))} |")
    rows.append(
        f"| balanced accuracy | {strict['balanced']:.3f} | {policy['balanced']:.3f} | "
        f"{_ci(policy['ci'].get('balanced'))} |"
    )
    return "\n".join(rows)


def kinds_table(table: dict[str, dict[str, Any]]) -> str:
    rows = ["| kind of reading | right | off-topic right | wrong | precision | Wilson lower | excludes |",
            "|---|---|---|---|---|---|---|"]  # fmt: skip
    for k, r in table.items():
        p = "-" if r["precision"] is None else f"{r['precision']:.2f}"
        rows.append(f"| {k} | {r['right']} | {r['off_topic']} | {r['wrong']} | {p} | {r['wilson_lower']:.2f} | "
                    f"{'yes' if r['trusted'] else 'no'} |")  # fmt: skip
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=VAR / "verdicts-corpus.jsonl")
    ap.add_argument("--check", action="store_true", help="compare with the shipped table, do not write it")
    ap.add_argument("--no-write", action="store_true", help="do not write the table")
    ap.add_argument("--no-cv", action="store_true", help="the table only, no leave-one-set-out scoring")
    ap.add_argument("--report", type=Path, help="write the Markdown report there")
    ap.add_argument("--split", choices=[x or "none" for x in trust.SPLITS],
                    help="key the kinds by this split (default: the shipped table's)")  # fmt: skip
    ap.add_argument("--candidates", action="store_true",
                    help="score every split leave-one-set-out and name the one the rule chooses")  # fmt: skip
    ap.add_argument("--wrong", nargs="*", metavar="KIND",
                    help="only list the wrong events (of these kinds) of the readable folds, then stop")  # fmt: skip
    args = ap.parse_args(argv)
    args.split = "" if args.split == "none" else args.split
    ensure_corpus(args.corpus)
    if args.wrong is not None:
        rows = [
            r for name in SETS if name not in UNREAD for r in wrong_events(run_set(name, args.corpus, None))
        ]
        print(print_wrong(rows, args.wrong))
        return 0
    from benchmarks import verdicts_splits

    if args.candidates:
        text, winner = verdicts_splits.compare(args.corpus)
        print(text)
        if args.report:
            args.report.write_text(text + "\n", encoding="utf-8")
        return 0
    split = trust.shipped_split() if args.split is None else args.split
    counted = verdicts_splits.counted(args.corpus, split)
    strict, per_set = counted
    table = table_of(e for name in SETS for e in per_set[name])
    out = [f"## Trusted kinds of reading (all {len(SETS)} sets, split: {split or 'none'})", "",
           f"Rule: {RULE}. Sets: {', '.join(SETS)}.", "",
           kinds_table(table), "", f"Trusted by the rule: {', '.join(trusted_of(table)) or 'none'}."]  # fmt: skip
    confirmed = None
    if not args.no_write and trusted_of(table):  # the lead's runs only: held-out sets, trusted kinds' counts
        held = [e for name in CONFIRM if (DATA / name).is_dir()
                for e in events(run_set(name, args.corpus, None, split))]  # fmt: skip
        confirmed = confirm(table, held)
        out += ["", f"Confirmation: {CONFIRM_RULE}."]
        out += [f"- {k}: right {c['right']}, wrong {c['wrong']}, Wilson upper {c['wilson_upper']:.2f}: "
                f"{'ships' if c['confirmed'] else 'held back'}" for k, c in confirmed.items()]  # fmt: skip
        out += [f"Shipped: {', '.join(shipped_of(table, confirmed)) or 'none'}."]
    status = 0
    if args.check:
        shipped = json.loads(TABLE.read_text(encoding="utf-8"))
        if shipped.get("trusted") != shipped_of(table, confirmed) or shipped.get("kinds") != table:
            print(f"the shipped table differs from what {COMMAND} computes now", file=sys.stderr)
            status = 1
    elif not args.no_write:
        write_table(table, SETS, split=split, confirmed=confirmed)
        print(f"wrote {TABLE.relative_to(ROOT)}")
    if not args.no_cv:
        cv = verdicts_splits.loso(args.corpus, split, counted)
        out += ["", "## Leave-one-set-out", "", *cv.lines]
        out += [report("never-read folds pooled (fold 2 of the blind sets)",
                       scores(cv.never_strict), scores(cv.never_policy)), "",
                report("every held-out set pooled", scores(cv.pooled_strict), scores(cv.pooled_policy)), ""]  # fmt: skip
        shipped_runs = {name: run_set(name, args.corpus, trusted_of(table), split) for name in SETS}
        out += [f"## The shipped table (all {len(SETS)} sets: in-sample)", ""]
        for name in SETS:
            out += [report(name, scores(items_of(strict[name])), scores(items_of(shipped_runs[name]))), ""]
    text = "\n".join(out)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
