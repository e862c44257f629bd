"""Scoring of extracted note facts against `benchmarks/data/notes-facts-gold/gold.jsonl`.

Per note, predicted facts (dicts: kind, code, value, unit, negated, attributes) are matched one to
one with the gold facts by the rules of the gold set's README; optional gold facts neither reward
nor penalise; predicted facts of kinds the gold does not score, values converted from another
scale (`attributes.converted_from`) and facts inferred from other facts (`attributes.inferred`: stage IV
from a metastatic note without a stage group; the gold labels what a note states) are ignored. Counts are kept per note so that intervals come
from a bootstrap over notes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

GOLD = Path(__file__).resolve().parent / "data" / "notes-facts-gold" / "gold.jsonl"
KINDS = (
    "age",
    "sex",
    "primary_cancer",
    "stage",
    "disease_status",
    "metastasis",
    "biomarker",
    "ecog",
    "karnofsky",
    "treatment",
    "prior_lines",
    "lab",
    "comorbidity",
    "pregnancy",
    "breastfeeding",
    "smoking",
    "life_expectancy",
)
Fact = dict[str, Any]


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(code: Any) -> str:
    return re.sub(r"[\s_]+", " ", str(code or "")).strip().lower()


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = re.search(r"-?\d+(?:\.\d+)?", str(value))
    return float(m.group(0)) if m else None


def _close(a: Any, b: Any, rel: float) -> bool:
    x, y = _float(a), _float(b)
    return x is not None and y is not None and abs(x - y) <= rel * max(abs(y), 1e-9) + 1e-9


_POSITIVE = {
    "positive",
    "pos",
    "+",
    "3+",
    "overexpressed",
    "overexpression",
    "amplified",
    "amplification",
    "high",
}
_NEGATIVE = {"negative", "neg", "-", "0", "1+", "not amplified", "wild-type", "wildtype", "wild type"}


def marker_status(code: str, value: Any) -> str:
    """Biomarker value on the gold's scale: positive / negative / equivocal / mutation / fusion / as written."""
    s = _norm(value).replace("wild type", "wild-type")
    if s in _POSITIVE:
        return "positive"
    if s in _NEGATIVE:
        return "negative"
    if s == "2+":
        return "equivocal"
    if s in ("mutation", "mutated", "mutant", "variant"):
        return "mutation"
    if s in ("fusion", "rearrangement", "rearranged", "translocation"):
        return "fusion"
    number = _float(value)
    if number is not None and code.upper() in ("ER", "PR", "AR") and re.fullmatch(r"[\d.]+\s*%?", s):
        return "positive" if number >= 1 else "negative"
    return s


def _brain_status(f: Fact) -> str:
    status = _norm((f.get("attributes") or {}).get("status") or "")
    return "" if status == "any" else status


def matches(gold: Fact, pred: Fact, lineage: Callable[[str, str], bool]) -> bool:
    """True when `pred` states the gold fact (kind, code, negation, and value where the gold has one)."""
    kind = gold["kind"]
    if pred["kind"] != kind or bool(pred.get("negated")) != bool(gold.get("negated")):
        return False
    if kind == "primary_cancer":
        if gold.get("code") and not (pred.get("code") and lineage(gold["code"], pred["code"])):
            return False
    elif gold.get("code") is not None and _norm(gold["code"]) != _norm(pred.get("code")):
        return False
    wanted_status = _norm((gold.get("attributes") or {}).get("status") or "")
    if kind == "metastasis" and _norm(gold.get("code")) == "brain" and wanted_status != _brain_status(pred):
        return False
    if "value" not in gold:
        return True
    want, got = gold["value"], pred.get("value")
    if kind == "age":
        return _close(got, want, 0.0) or (_float(got) is not None and abs(_float(got) - want) < 0.5)  # type: ignore[operator]
    if kind in ("ecog", "karnofsky", "prior_lines"):
        return _float(got) == float(want)
    if kind == "lab":
        attrs = pred.get("attributes") or {}
        if _norm(gold.get("unit")) == "x uln":
            stated = attrs.get("x_uln") if attrs.get("x_uln") is not None else None
            if stated is None and _norm(pred.get("unit")) == "x uln":
                stated = got
            return _close(stated, want, 0.02)
        return _close(got, want, 0.02) and _norm(pred.get("unit")) == _norm(gold.get("unit"))
    if kind == "biomarker":
        g, p = marker_status(gold["code"], want), marker_status(str(pred.get("code")), got)
        if g == "mutation":  # any named variant (or "mutation positive") states a mutation
            return p not in ("negative", "fusion", "equivocal")
        return g == p or (g not in ("positive", "negative") and g in p)
    if kind == "life_expectancy":
        return _close(got, want, 0.1)
    if kind == "comorbidity":
        attrs = pred.get("attributes") or {}
        return _norm(got or attrs.get("type")) == _norm(want)
    return _norm(got) == _norm(want)


def oncotree_chain(code: str) -> list[str]:
    """The code and its OncoTree ancestors (shared vocabulary and the importers' extra list), no tissue root."""
    from oncofed.criteria import vocab
    from oncofed.ingest.patients.common import oncotree_extra

    extra = oncotree_extra()[0]
    chain = [code]
    while True:
        node = chain[-1]
        parent = extra[node]["parent"] if node in extra else vocab.oncotree_parent(node)
        if not parent or parent == "TISSUE" or parent in chain:
            return chain
        chain.append(parent)


def same_lineage(gold: str, pred: str) -> bool:
    """A predicted cancer code equal to the gold one, an ancestor (less specific) or a descendant."""
    return pred in oncotree_chain(gold) or gold in oncotree_chain(pred)


@dataclass
class NoteScore:
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    not_history: int = 0  # not_facts that were extracted
    setting_right: int = 0
    setting_total: int = 0
    false_positives: list[Fact] = field(default_factory=list)
    misses: list[Fact] = field(default_factory=list)


def _identity(f: Fact) -> tuple[Any, ...]:
    return (
        f["kind"],
        _norm(f.get("code")),
        str(f.get("value")),
        _norm(f.get("unit")),
        bool(f.get("negated")),
    )


def score_note(
    note: dict[str, Any], predicted: Iterable[Fact], lineage: Callable[[str, str], bool]
) -> NoteScore:
    out = NoteScore()
    preds = [
        p
        for p in predicted
        if p["kind"] in KINDS
        and not (p.get("attributes") or {}).get("converted_from")
        and not (p.get("attributes") or {}).get("inferred")
    ]
    used = [False] * len(preds)
    golds = sorted(note["facts"], key=lambda g: bool(g.get("optional")))  # required facts pick first
    for g in golds:
        hit = next((i for i, p in enumerate(preds) if not used[i] and matches(g, p, lineage)), None)
        if hit is not None:
            used[hit] = True
            # a predicted duplicate of the same fact is not a second error
            same = _identity(preds[hit])
            for j, p in enumerate(preds):
                if not used[j] and _identity(p) == same:
                    used[j] = True
        if g.get("optional"):
            continue
        kind = g["kind"]
        if hit is None:
            out.fn[kind] = out.fn.get(kind, 0) + 1
            out.misses.append(g)
            continue
        out.tp[kind] = out.tp.get(kind, 0) + 1
        wanted = (g.get("attributes") or {}).get("setting")
        if kind == "treatment" and wanted:
            out.setting_total += 1
            got = (preds[hit].get("attributes") or {}).get("setting")
            got_list = got if isinstance(got, list) else [got]
            out.setting_right += wanted in got_list
    for i, p in enumerate(preds):
        if not used[i]:
            out.fp[p["kind"]] = out.fp.get(p["kind"], 0) + 1
            out.false_positives.append(p)
    for bad in note.get("not_facts", []):
        probe = {k: v for k, v in bad.items() if k != "code" or v is not None}
        out.not_history += any(
            p["kind"] == bad["kind"]
            and bool(p.get("negated")) == bool(bad.get("negated"))
            and (
                bad.get("code") is None
                or matches({**probe, "negated": bad.get("negated", False)}, p, lineage)
            )
            for p in preds
        )
    return out


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * p * r / (p + r) if tp else 0.0 if (fp or fn) else float("nan")
    return p, r, f


def summarise(
    scores: list[NoteScore], kinds: Iterable[str], rounds: int = 1000, seed: int = 15
) -> dict[str, dict[str, Any]]:
    """Per kind (and "ALL"): counts, P / R / F1 and a 95% bootstrap interval of F1 over notes."""
    kinds = list(kinds)
    n = len(scores)
    table = np.zeros((n, len(kinds) + 1, 3))
    for i, s in enumerate(scores):
        for j, k in enumerate(kinds):
            table[i, j] = (s.tp.get(k, 0), s.fp.get(k, 0), s.fn.get(k, 0))
        table[i, -1] = table[i, :-1].sum(axis=0)
    rng = np.random.default_rng(seed)
    draws = table[rng.integers(0, n, size=(rounds, n))].sum(axis=1)  # rounds x kinds x 3
    out = {}
    for j, k in enumerate([*kinds, "ALL"]):
        tp, fp, fn = table[:, j].sum(axis=0)
        d = draws[:, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(d[:, 0] > 0, 2 * d[:, 0] / (2 * d[:, 0] + d[:, 1] + d[:, 2]), 0.0)
        p, r, f = prf(tp, fp, fn)
        out[k] = {
            "tp": int(tp),
            "fp": int(fp),
            "fn": int(fn),
            "p": p,
            "r": r,
            "f1": f,
            "f1_low": float(np.percentile(f1, 2.5)),
            "f1_high": float(np.percentile(f1, 97.5)),
        }
    return out
