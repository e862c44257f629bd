"""Leave-one-set-out scoring of the decision policy, and the choice of how the kinds of reading are split
(`benchmarks.verdicts_trust --candidates`; docs/MATCHING.md, "kinds of reading split by what the engine
knows of the line": the candidates and the rule were written there before any split's count).

For one split (`trust.SPLITS`; "" for today's unsplit kinds): the strict engine over every set of
`verdicts_trust.SETS` counted with that split's keys, then each set scored with the table the other sets
give (the Wilson rule unchanged). Pooled over every held-out set (each labelled pair once, its trials
told apart by set): balanced accuracy and eligible kept with 95 % bootstrap intervals over trials.

The choice: the candidate with the best pooled balanced accuracy whose pooled eligible-kept interval
overlaps today's; it is chosen only if its balanced accuracy is above today's (else none: "").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import verdicts_trust as T
from oncofed.matching import trust


@dataclass
class Loso:
    """One split scored leave-one-set-out."""

    split: str
    strict: dict[str, dict[str, Any]]
    table: dict[str, dict[str, Any]]
    lines: list[str] = field(default_factory=list)
    pooled_strict: list[dict[str, Any]] = field(default_factory=list)  # every held-out set, every pair
    pooled_policy: list[dict[str, Any]] = field(default_factory=list)
    never_strict: list[dict[str, Any]] = field(default_factory=list)  # the never-read folds only
    never_policy: list[dict[str, Any]] = field(default_factory=list)
    trusted: dict[str, list[str]] = field(default_factory=dict)  # held-out set -> kinds the others trust


def counted(corpus: Path, split: str) -> tuple[dict[str, dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    """The strict runs of every set with this split's keys, and their events per set."""
    strict = {name: T.run_set(name, corpus, None, split) for name in T.SETS}
    return strict, {name: T.events(run) for name, run in strict.items()}


def loso(corpus: Path, split: str, counted_runs: Any = None) -> Loso:
    """The split scored leave-one-set-out (`counted_runs`: `counted(corpus, split)` when already run)."""
    strict, per_set = counted_runs or counted(corpus, split)
    table = T.table_of(e for name in T.SETS for e in per_set[name])
    out = Loso(split, strict, table)
    for held in T.SETS:
        rest = T.table_of(e for name in T.SETS if name != held for e in per_set[name])
        out.trusted[held] = T.trusted_of(rest)
        run = T.run_set(held, corpus, out.trusted[held], split)
        s_items, p_items = T.items_of(strict[held]), T.items_of(run)
        out.lines += [f"Table from the {len(T.SETS) - 1} other sets: trusted {', '.join(out.trusted[held]) or 'none'}.",
                      "", T.report(held, T.scores(s_items), T.scores(p_items)), ""]  # fmt: skip
        out.pooled_strict += [{**i, "trial": f"{held}/{i['trial']}"} for i in s_items]
        out.pooled_policy += [{**i, "trial": f"{held}/{i['trial']}"} for i in p_items]
        fold = T.NEVER_READ.get(held)
        if fold is not None:
            out.never_strict += [i for i in s_items if i["fold"] == fold]
            out.never_policy += [i for i in p_items if i["fold"] == fold]
    return out


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def choose(pooled: dict[str, dict[str, Any]]) -> str:
    """The split the rule chooses from each split's pooled scores ("" is today's; "" if none beats it)."""
    today = pooled[""]
    fits = [
        s
        for s, sc in pooled.items()
        if s and overlaps(sc["ci"]["eligible_kept"], today["ci"]["eligible_kept"])
    ]
    best = max(fits, key=lambda s: (pooled[s]["balanced"], s), default="")
    return best if best and pooled[best]["balanced"] > today["balanced"] else ""


def _pct(c: tuple[float, float]) -> str:
    return f"[{100 * c[0]:.1f}-{100 * c[1]:.1f} %]"


def candidates_report(runs: dict[str, Loso]) -> tuple[str, str]:
    """Every split's pooled leave-one-set-out figures (intervals included) and the split chosen."""
    pooled = {s: T.scores(r.pooled_policy) for s, r in runs.items()}
    winner = choose(pooled)
    rows = ["## Splits of the kinds of reading, leave-one-set-out (the ten held-out sets pooled)", "",
            "| split | kinds trusted (all sets) | eligible kept | 95 % CI | failures excluded | failures named | "
            "failures flagged | balanced accuracy | 95 % CI | held-out sets with a kind trusted |",
            "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for s, r in runs.items():
        sc = pooled[s]
        some = sum(bool(k) for k in r.trusted.values())
        rows.append(
            f"| {s or 'none (today)'} | {', '.join(T.trusted_of(r.table)) or 'none'} | {T._f(sc['eligible_kept'])} | "
            f"{_pct(sc['ci']['eligible_kept'])} | {T._f(sc['failure_excluded'])} | {T._f(sc['failure_named'])} | "
            f"{T._f(sc['failure_flagged'])} | {sc['balanced']:.3f} | {_pct(sc['ci']['balanced'])} | {some} |"
        )
    rows += ["", f"Chosen by the rule: {winner or 'none (no candidate beats today: nothing ships)'}.", ""]
    for s, r in runs.items():
        if s:
            rows += [
                f"### split `{s}`: the table from all {len(T.SETS)} sets",
                "",
                T.kinds_table(r.table),
                "",
            ]
            rows += [f"#### split `{s}`: each set held out", "", *r.lines]
    return "\n".join(rows), winner


def compare(corpus: Path) -> tuple[str, str]:
    """Every split of `trust.SPLITS` scored leave-one-set-out: the report and the split chosen."""
    return candidates_report({s: loso(corpus, s) for s in trust.SPLITS})
