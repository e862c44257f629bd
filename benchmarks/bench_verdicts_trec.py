"""Verdicts on real assessors' judgments (TREC Clinical Trials 2021 and 2022): a benchmark nobody on the
team wrote, scored with `oncofed eval verdicts`' pipeline, written to docs/BENCHMARKS.md (section
"verdicts-trec").

    .venv/bin/python -m benchmarks.bench_verdicts_trec [--baseline-tree /tmp/oncofed-base] [--no-baseline]

MEASUREMENT ONLY: never tune the engine or the trust table on this set (nor look at its wrong cases one by
one). It is the one verdict figure on judgments the team did not write; once tuned on, it is gone.

The set (assembled from ../shared/data read in place, written to a temporary folder, never into the repo):
- queries: the TREC 2021 and 2022 topics (`trec-20XX-topics/queries.jsonl`, patient descriptions);
- pairs: their qrels (`qrels/test.tsv`: 2 eligible, 1 excluded, 0 not relevant, as the TREC assessors
  judged them) restricted to the trials whose text is in ../shared/data. Every other judged pair (the
  great majority: TREC judged ~35,000 pairs a year on ClinicalTrials.gov's whole registry) is dropped,
  its trial's text is not here; a pair whose trial text here has no criterion line (empty inclusion and
  exclusion) is dropped too, counted apart;
- corpus: those trials in the BEIR/TrialGPT layout the other corpora use (`metadata.inclusion_criteria`
  / `exclusion_criteria`), the first source holding a trial wins: `trials/oncology-active-99` and
  `trials/sigir-judged-101` (TrialGPT corpora: title, diseases, drugs, phase), `trials/nli4ct-breast-cancer`
  (one JSON per trial: `Eligibility` split into inclusion / exclusion lines as benchmarks/verdicts_corpus.py
  splits it, the first intervention as title), `criteria/chia-dev` (brat `<NCT>_inc.txt` / `_exc.txt`, one
  criterion a line; no title or condition in that corpus: the trial id is the title).
The counts per year, label and source, and the pairs dropped, are printed and written in the section.

Scoring: exactly `oncofed eval verdicts` (benchmarks.bench_verdicts.current_engine: the service's
`load_inputs` + `evaluate_pairs`, evaluated as of bench_verdicts.DAY) for the shipped decision policy and
strict (`--strict`), and the session-start engine bef02d6 through benchmarks/verdicts_baseline.py in a git
worktree. Rates with a 95 % bootstrap interval over patients (bench_verdicts.bootstrap, all pairs of a
patient drawn together). Kinds of reading (matching/trust.py) behind the exclusions are counted per pair.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.bench_verdicts import (
    BASE_REV,
    DAY,
    baseline_engine,
    bootstrap,
    current_engine,
    ensure_tree,
    rates,
)
from benchmarks.report import ROOT, write_section
from benchmarks.verdicts_blind import ci as _ci
from benchmarks.verdicts_blind import pct as _pct
from benchmarks.verdicts_corpus import ONCOLOGY99, SIGIR101, CorpusError, nli4ct_trial, trialgpt_trials

DATA = ROOT.parent / "shared" / "data"
YEARS = ("2021", "2022")
NLI4CT = Path("trials/nli4ct-breast-cancer")
CHIA = Path("criteria/chia-dev")
SIGIR = "sigir-judged-101"
SOURCES = ("oncology-active-99", SIGIR, "nli4ct-breast-cancer", "chia-dev")
LABEL_OF = {2: "eligible", 1: "excluded", 0: "not relevant"}
COMMAND = ".venv/bin/python -m benchmarks.bench_verdicts_trec"
TEAM_SETS = ROOT / "benchmarks" / "data"


def chia_trial(folder: Path, trial_id: str) -> dict[str, Any]:
    """A Chia trial (`<id>_inc.txt`, `<id>_exc.txt`, one criterion a line) as a BEIR corpus record."""
    parts = {}
    for section, suffix in (("inclusion", "_inc.txt"), ("exclusion", "_exc.txt")):
        path = folder / f"{trial_id}{suffix}"
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        parts[section] = "\n\n".join(line.strip() for line in lines if line.strip())
    text = f"Inclusion criteria: {parts['inclusion']}\nExclusion criteria: {parts['exclusion']}"
    metadata = {
        "inclusion_criteria": parts["inclusion"],
        "exclusion_criteria": parts["exclusion"],
        "source": "chia-dev",
    }
    return {"_id": trial_id, "title": trial_id, "text": text, "metadata": metadata}


def source_trials(data: Path, wanted: set[str]) -> Iterator[dict[str, Any]]:
    """The wanted trials of each source present, in the order of SOURCES (duplicates included)."""
    for relative in (ONCOLOGY99, SIGIR101):
        if (data / relative).is_file():
            for trial in trialgpt_trials(data / relative, relative.parts[1]):
                if trial["_id"] in wanted:
                    yield trial
    for tid in sorted(wanted):
        path = data / NLI4CT / f"{tid}.json"
        if path.is_file():
            yield nli4ct_trial(path)
    for tid in sorted(wanted):
        if (data / CHIA / f"{tid}_inc.txt").is_file() or (data / CHIA / f"{tid}_exc.txt").is_file():
            yield chia_trial(data / CHIA, tid)


@dataclass
class Assembly:
    """The assembled set: files written, and what was kept and dropped (for the docstring and the section)."""

    queries: Path
    corpus: Path
    pairs: Path
    year_of: dict[str, str]  # query-id -> year
    grade: dict[tuple[str, str], int]  # kept (query-id, corpus-id) -> TREC grade
    source_of: dict[str, str]  # trial id -> source its text was read from
    judged: Counter[tuple[str, int]] = field(default_factory=Counter)  # (year, grade): all judged pairs
    no_text: Counter[tuple[str, int]] = field(default_factory=Counter)  # dropped: trial text not here
    empty: Counter[tuple[str, int]] = field(default_factory=Counter)  # dropped: no criterion line
    no_query: Counter[tuple[str, int]] = field(default_factory=Counter)  # dropped: topic missing or empty
    kept: Counter[tuple[str, int]] = field(default_factory=Counter)
    kept_by_source: Counter[tuple[str, str, int]] = field(default_factory=Counter)  # (year, source, grade)
    duplicates: list[str] = field(default_factory=list)


def _read_qrels(path: Path) -> list[tuple[str, str, int]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts or (n == 1 and parts[0] == "query-id"):
            continue
        if len(parts) != 3:
            raise CorpusError(f"{path}:{n}: expected 3 columns query-id corpus-id score, found {len(parts)}")
        try:
            rows.append((parts[0], parts[1], int(parts[2])))
        except ValueError as error:
            raise CorpusError(f"{path}:{n}: score {parts[2]!r} is not a whole number") from error
    return rows


def assemble(data: Path, out: Path) -> Assembly:
    """Write queries.jsonl, corpus.jsonl and pairs.tsv of the TREC pairs on trials whose text is in `data`."""
    topics: dict[str, str] = {}
    year_of: dict[str, str] = {}
    judged: list[tuple[str, str, str, int]] = []
    for year in YEARS:
        folder = data / f"trec-{year}-topics"
        if not (folder / "queries.jsonl").is_file() or not (folder / "qrels" / "test.tsv").is_file():
            raise CorpusError(f"missing {folder}/queries.jsonl or {folder}/qrels/test.tsv")
        for line in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                q = json.loads(line)
                if q["_id"] in year_of:
                    raise CorpusError(
                        f"{folder}/queries.jsonl: topic id {q['_id']} also in TREC {year_of[q['_id']]}"
                    )
                topics[q["_id"]] = str(q.get("text") or "")
                year_of[q["_id"]] = year
        judged += [(year, q, d, g) for q, d, g in _read_qrels(folder / "qrels" / "test.tsv")]
    wanted = {d for _, _, d, _ in judged}
    docs: dict[str, dict[str, Any]] = {}
    a = Assembly(out / "queries.jsonl", out / "corpus.jsonl", out / "pairs.tsv", {}, {}, {})
    for trial in source_trials(data, wanted):
        if trial["_id"] in docs:
            a.duplicates.append(f"{trial['_id']} ({trial['metadata']['source']})")
            continue
        docs[trial["_id"]] = trial
    for year, qid, did, grade in judged:
        a.judged[year, grade] += 1
        doc = docs.get(did)
        meta = doc["metadata"] if doc else {}
        if doc is None:
            a.no_text[year, grade] += 1
        elif not (
            str(meta.get("inclusion_criteria") or "").strip()
            or str(meta.get("exclusion_criteria") or "").strip()
        ):
            a.empty[year, grade] += 1
        elif not topics.get(qid, "").strip():
            a.no_query[year, grade] += 1
        else:
            a.kept[year, grade] += 1
            a.kept_by_source[year, meta["source"], grade] += 1
            a.grade[qid, did] = grade
            a.year_of[qid] = year
            a.source_of[did] = meta["source"]
    out.mkdir(parents=True, exist_ok=True)
    with a.queries.open("w", encoding="utf-8") as fh:
        for qid in sorted(a.year_of):
            fh.write(json.dumps({"_id": qid, "text": topics[qid]}, ensure_ascii=False) + "\n")
    with a.corpus.open("w", encoding="utf-8") as fh:
        for did in sorted(a.source_of):
            fh.write(json.dumps(docs[did], ensure_ascii=False) + "\n")
    with a.pairs.open("w", encoding="utf-8") as fh:
        fh.write("query-id\tcorpus-id\tscore\n")
        for (qid, did), grade in a.grade.items():
            fh.write(f"{qid}\t{did}\t{grade}\n")
    return a


def team_trials(root: Path = TEAM_SETS) -> set[str]:
    """Trial ids named by the team's own verdict sets (dev, blind, French): where the engine was developed."""
    ids: set[str] = set()
    for path in root.glob("verdicts-*/*pairs.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            if line.strip():
                ids.add(line.split("\t")[1])
    return ids


# --- scoring -----------------------------------------------------------------------------------------


def items_of(
    lines: Sequence[dict[str, Any]], grade: dict[tuple[str, str], int], wanted: int
) -> list[dict[str, Any]]:
    """bench_verdicts items for the pairs of one TREC grade, clustered by PATIENT (the bootstrap's "trial"
    key is the query id: all pairs of a patient are drawn together). A not-relevant (0) pair is scored as
    a failure ("excluded" label), so `failure_excluded` reads as "pairs judged 0 that were excluded"."""
    label = "eligible" if wanted == 2 else "excluded"
    return [
        {"trial": ln["query-id"], "label": label, "excluded": ln["verdict"] == "excluded", "named": False}
        for ln in lines
        if grade.get((ln["query-id"], ln["corpus-id"])) == wanted
    ]


def excluding_kinds(line: dict[str, Any]) -> set[str]:
    """The kinds of reading of the criteria read as violated in an excluded pair's line."""
    if line["verdict"] != "excluded":
        return set()
    kinds = {k for c in line.get("criteria", []) if c["outcome"] == "violated" for k in c.get("reading", [])}
    return kinds or {"(no kind recorded)"}


def kind_counts(
    lines: Sequence[dict[str, Any]], grade: dict[tuple[str, str], int], wanted: int
) -> dict[str, tuple[int, int]]:
    """kind -> (pairs of that grade excluded with a violation of that kind, pairs where it was the only kind)."""
    any_: Counter[str] = Counter()
    only: Counter[str] = Counter()
    for ln in lines:
        if grade.get((ln["query-id"], ln["corpus-id"])) != wanted:
            continue
        kinds = excluding_kinds(ln)
        any_.update(kinds)
        if len(kinds) == 1:
            only.update(kinds)
    return {k: (any_[k], only[k]) for k in sorted(any_, key=lambda k: (-any_[k], k))}


ONCOLOGY = "oncology"  # the pairs on cancer trials (sources nli4ct and oncology-active-99), both years
ONCOLOGY_SOURCES = ("oncology-active-99", "nli4ct-breast-cancer")


def _in_part(line: dict[str, Any], part: str, a: Assembly) -> bool:
    if part == ONCOLOGY:
        return a.source_of.get(line["corpus-id"]) in ONCOLOGY_SOURCES
    return part == "both" or a.year_of.get(line["query-id"]) == part


def score(lines: Sequence[dict[str, Any]], a: Assembly) -> dict[str, Any]:
    """Rates with intervals, pooled and per year, and the verdict counts of one engine's lines."""
    out: dict[str, Any] = {"verdicts": Counter(ln["verdict"] for ln in lines)}
    for year in ("both", *YEARS, ONCOLOGY):
        part = [ln for ln in lines if _in_part(ln, year, a)]
        labelled = items_of(part, a.grade, 2) + items_of(part, a.grade, 1)
        zero = items_of(part, a.grade, 0)
        r, c = rates(labelled), bootstrap(labelled)
        out[year] = {
            "eligible_kept": (r["eligible_kept"], c.get("eligible_kept")),
            "failure_excluded": (r["failure_excluded"], c.get("failure_excluded")),
            "balanced": (r["balanced"], c.get("balanced")),
            "zero_excluded": (rates(zero)["failure_excluded"], bootstrap(zero).get("failure_excluded")),
        }
        for key, grade in (("n_eligible", 2), ("n_excluded", 1), ("n_zero", 0)):
            items = items_of(part, a.grade, grade)
            out[year][key] = f"{len(items)} pairs, {len({i['trial'] for i in items})} patients"
    return out


# --- the run and the section -------------------------------------------------------------------------

POLICY = "this engine (shipped policy)"
STRICT = "this engine, strict"


def run_engines(a: Assembly, tmp: Path, baseline: Path | None) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {}
    for name, strict in ((POLICY, False), (STRICT, True)):
        t0 = time.perf_counter()
        runs[name] = current_engine(
            a.queries, a.corpus, a.pairs, tmp / f"{'strict' if strict else 'now'}.jsonl", strict
        )
        print(f"{name}: {len(runs[name])} pairs in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if baseline is not None:
        t0 = time.perf_counter()
        runs[f"session start ({BASE_REV})"] = baseline_engine(
            baseline, a.queries, a.corpus, a.pairs, tmp / "base.jsonl"
        )
        print(f"baseline: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return runs


def _trust_entry(kind: str, table: dict[str, Any]) -> str:
    e = table.get("kinds", {}).get(kind)
    if e is None:
        return "not measured (not trusted)"
    status = "**trusted**" if e.get("trusted") else "not trusted"
    return f"{status}: right {e['right']}, off-topic {e['off_topic']}, wrong {e['wrong']}"


def set_lines(a: Assembly, team: set[str]) -> list[str]:
    rows = [
        "| year | label | judged (all trials) | trial text not here | no criterion line | topic empty | **kept** | kept by source (oncology-active-99 / sigir-judged-101 / nli4ct / chia-dev) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for year in YEARS:
        for g in (2, 1, 0):
            by_source = " / ".join(str(a.kept_by_source[year, s, g]) for s in SOURCES)
            rows.append(
                f"| {year} | {g} {LABEL_OF[g]} | {a.judged[year, g]:,} | {a.no_text[year, g]:,} | {a.empty[year, g]} "
                f"| {a.no_query[year, g]} | **{a.kept[year, g]}** | {by_source} |"
            )
    on_team = Counter(g for (q, d), g in a.grade.items() if d in team)
    patients = {g: len({q for (q, _), gg in a.grade.items() if gg == g}) for g in (2, 1, 0)}
    return [
        *rows,
        "",
        f"Patients (topics) with at least one kept pair judged 2 / 1 / 0: {patients[2]} / {patients[1]} / {patients[0]}; "
        f"trials {len(a.source_of)}. Kept pairs whose trial is also in one of the team's verdict sets "
        f"(benchmarks/data/verdicts-*: the engine was developed reading those trials' criteria, never these "
        f"patients): {on_team[2]} judged 2, {on_team[1]} judged 1, {on_team[0]} judged 0."
        + (
            f" Trials in two sources, read from the first: {', '.join(a.duplicates)}." if a.duplicates else ""
        ),
        "",
        "Without sigir-judged-101 (the count ../shared/data/README.md gives, which leaves that corpus out): "
        + "; ".join(
            f"TREC {y} {sum(a.kept[y, g] - a.kept_by_source[y, SIGIR, g] for g in (2, 1, 0))} pairs "
            f"({a.kept[y, 2] - a.kept_by_source[y, SIGIR, 2]} eligible, "
            f"{a.kept[y, 1] - a.kept_by_source[y, SIGIR, 1]} excluded)"
            for y in YEARS
        )
        + ". Its trials are real trials judged by the same TREC assessors, so they are kept.",
    ]


def body(a: Assembly, runs: dict[str, list[dict[str, Any]]], scores: dict[str, dict[str, Any]]) -> str:
    from oncofed.matching.trust import load_table

    table = load_table()
    names = list(runs)
    head = (
        "| measure (95 % interval over patients) | " + " | ".join(names) + " |\n|---|" + "---|" * len(names)
    )
    rows = []
    for year in ("both", *YEARS, ONCOLOGY):
        tag = {"both": "2021 + 2022", ONCOLOGY: "cancer trials only (nli4ct, oncology-active-99)"}.get(
            year, year
        )
        first = scores[names[0]][year]
        for key, label in (
            ("eligible_kept", f"eligible (2) not excluded ({first['n_eligible']})"),
            ("failure_excluded", f"excluded (1) excluded ({first['n_excluded']})"),
            ("balanced", "balanced accuracy"),
            ("zero_excluded", f"not relevant (0) excluded, a weak check ({first['n_zero']})"),
        ):
            cells = [f"{_pct(scores[n][year][key][0])} {_ci(scores[n][year][key][1])}" for n in names]
            rows.append(f"| {tag}: {label} | " + " | ".join(cells) + " |")
    verdict_rows = [
        f"| {n} | {g} {LABEL_OF[g]} | "
        + " | ".join(
            str(
                sum(
                    1
                    for ln in runs[n]
                    if a.grade.get((ln["query-id"], ln["corpus-id"])) == g and ln["verdict"] == v
                )
            )
            for v in ("eligible", "unknown", "excluded", "not_evaluated")
        )
        + " |"
        for n in names
        for g in (2, 1, 0)
    ]
    policy_by_grade = {g: kind_counts(runs[POLICY], a.grade, g) for g in (2, 1, 0)}
    policy_kinds = sorted({k for per in policy_by_grade.values() for k in per})
    policy_rows = [
        f"| {k} | " + " | ".join(str(policy_by_grade[g].get(k, (0, 0))[0]) for g in (2, 1, 0)) + " |"
        for k in policy_kinds
    ]
    strict_2 = kind_counts(runs[STRICT], a.grade, 2)
    policy_2 = kind_counts(runs[POLICY], a.grade, 2)
    strict_1 = kind_counts(runs[STRICT], a.grade, 1)
    n2 = sum(1 for g in a.grade.values() if g == 2)
    n1 = sum(1 for g in a.grade.values() if g == 1)
    kinds2 = [
        f"| {k} | {v[0]} | {v[1]} | {policy_2.get(k, (0, 0))[0]} | {_trust_entry(k, table)} |"
        for k, v in strict_2.items()
    ]
    kinds1 = [f"| {k} | {v[0]} | {v[1]} | {_trust_entry(k, table)} |" for k, v in strict_1.items()]
    return "\n".join(
        [
            "**Measurement only: never tune the engine, its rules or the trust table on this set, and do not read",
            "its wrong cases one by one.** It is the team's one verdict figure on judgments nobody here wrote.",
            "",
            "Real TREC Clinical Trials assessors' judgments (2021 and 2022 tracks, `../shared/data/trec-20XX-topics`)",
            "of (patient topic, trial) pairs: 2 eligible, 1 excluded, 0 not relevant, kept only where the trial's",
            "text is in ../shared/data (see the module docstring for how each source is read). The set:",
            "",
            *set_lines(a, team_trials()),
            "",
            f"Scored with `oncofed eval verdicts`' pipeline (the service, as of {DAY}) for the shipped decision policy",
            "and strict (`--strict`: every reading excludes), and the session-start engine bef02d6 (its own notes",
            "extractor and parser, benchmarks/verdicts_baseline.py in a git worktree). Brackets: 95 % bootstrap",
            "interval over patients (2,000 resamples; all pairs of a patient drawn together). The CLI gives the",
            "same counts on the files `--keep-set DIR` writes: `oncofed eval verdicts --queries DIR/queries.jsonl",
            f"--corpus DIR/corpus.jsonl --pairs DIR/pairs.tsv --out OUT.jsonl --day {DAY} [--strict]`.",
            "",
            head,
            *rows,
            "",
            "Verdicts of the kept pairs, per TREC judgment:",
            "",
            "| engine | judged | eligible | unknown | excluded | not evaluated |",
            "|---|---|---|---|---|---|",
            *verdict_rows,
            "",
            "The shipped policy's exclusions, per kind of reading and TREC judgment. A criterion carries every kind",
            "that makes it violated (an inclusion: all its false atoms), so an untrusted kind can appear here beside",
            'the trusted one that made the line exclude; the same holds in the tables below ("only kind": the',
            "pairs whose violated criteria carry that kind alone).",
            "",
            "| kind | judged 2 (eligible: wrong) | judged 1 (excluded) | judged 0 (not relevant) |",
            "|---|---|---|---|",
            *(policy_rows or ["| (none) | 0 | 0 | 0 |"]),
            "",
            f"**Kinds of reading that wrongly excluded eligible (2) pairs** ({n2} pairs; independent evidence on",
            "`resources/verdicts/trusted_violations.json`): per kind, the eligible pairs the strict engine excluded",
            "with a criterion of that kind read as violated, those where it was the only kind, and those the",
            "shipped policy excluded (only trusted kinds exclude there); last column, the trust table's own count.",
            "",
            "| kind | strict: eligible pairs excluded | only kind | policy: eligible pairs excluded | trust table |",
            "|---|---|---|---|---|",
            *(kinds2 or ["| (none) | 0 | 0 | 0 | |"]),
            "",
            f"Kinds behind the strict engine's exclusions of excluded (1) pairs ({n1} pairs). Right or wrong cannot be",
            "told: the assessors give no reason, and a pair may be judged 1 for another criterion than the one the",
            "engine read.",
            "",
            "| kind | strict: excluded pairs excluded | only kind | trust table |",
            "|---|---|---|---|",
            *(kinds1 or ["| (none) | 0 | 0 | |"]),
            "",
            "Caveats. TREC topics are general medicine: most kept trials are not oncology (chia-dev and",
            "sigir-judged-101 span all of medicine; only nli4ct and oncology-active-99 are cancer trials), while the",
            "engine's vocabulary and rules were written for oncology. TREC's \"excluded\" (1) means the assessor",
            'found the patient would be excluded by an exclusion criterion OR fails an inclusion one, and "not',
            'relevant" (0) may be a patient who meets the criteria of an irrelevant trial or lacks the information:',
            "the 0 row is a weak check only. The topics are short case descriptions, not full records: much is",
            "unknown to any reader. The numbers are small (see the intervals): read the pooled rows, not the year rows;",
            "an interval drawn over a handful of patients (the cancer-trials rows: see their patient counts) says",
            "little beyond the point figure, as every pair of one patient moves together.",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--data", type=Path, default=DATA, help=f"shared data folder (default {DATA})")
    ap.add_argument("--baseline-tree", type=Path, default=Path("/tmp/oncofed-base"))
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="print only, do not write docs/BENCHMARKS.md")
    ap.add_argument(
        "--keep-set",
        type=Path,
        help="also write the assembled queries.jsonl, corpus.jsonl, pairs.tsv here (outside the repo), e.g. to "
        "run `oncofed eval verdicts --queries DIR/queries.jsonl --corpus DIR/corpus.jsonl --pairs DIR/pairs.tsv`",
    )
    args = ap.parse_args(argv)
    if args.keep_set is not None and args.keep_set.resolve().is_relative_to(ROOT):
        print(
            f"error: {args.keep_set} is inside the repository; give a folder outside it (e.g. /tmp)",
            file=sys.stderr,
        )
        return 2
    if not (args.data / "trec-2021-topics").is_dir():
        print(f"data not found under {args.data}: nothing measured", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="oncofed-trec-verdicts-") as folder:
        tmp = Path(folder)
        try:
            a = assemble(args.data, tmp / "set")
        except CorpusError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print("\n".join(set_lines(a, team_trials())), file=sys.stderr)
        if args.keep_set is not None:
            assemble(args.data, args.keep_set)
        tree = None if args.no_baseline or not ensure_tree(args.baseline_tree) else args.baseline_tree
        runs = run_engines(a, tmp, tree)
        scores = {name: score(lines, a) for name, lines in runs.items()}
        text = body(a, runs, scores)
    print(text)
    if not args.no_write:
        write_section(
            "verdicts-trec", "Verdicts on real assessors' judgments (TREC 2021/2022)", COMMAND, text
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
