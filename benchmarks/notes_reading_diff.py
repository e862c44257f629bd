"""Every fact of every readable real note whose reading differs between two commits, listed to be read.

    .venv/bin/python -m benchmarks.notes_reading_diff --before COMMIT [--after COMMIT] [--kinds age,sex] [--show 200]

Why: session 14's notes reading passes each fixed their classes on the readable folds, and the held-out
verdicts-blind13 then lost an eligible patient to an age the notes reader gave (cause `inclusion:age/plain`,
`record_field`) that no readable fold showed. The criteria side lists every real line whose reading moves
(`benchmarks.reading_diff`); this is its notes twin: no label is needed, so no held-out set is touched, and a
new confident reading shows on notes nobody wrote a rule about. Run it before a notes reading pass merges.

The notes: the patient topics of `../shared/data` (SIGIR 2016, TREC 2021 and 2022), the notes of the facts gold
(`benchmarks/notes_gold.py`), `verdicts-dev`, `verdicts-dev-fr` and folds 0-1 of every readable blind set (never a
fold 2, an `UNREAD` set or a held-out set: `verdicts_trust.readable`, `CONFIRM`). Each commit's `src` is exported
with `git archive` (the working tree when `--after` is not given) and reads every note in its own process. A fact
is its kind, code, value, unit, negation, date and attributes (the span aside: shown, not compared); the profile's
own fields (sex, age, birth date, cancer, stage, ECOG) are compared too, as `record` facts of their kind.
`--kinds` keeps some kinds: fact kinds (`age`, `sex`, `ecog`, `lab`, `treatment`, ...) or the groups
`performance` (ECOG, Karnofsky), `cancer` (cancer, histology, disease status), `negated` (any negated fact) and
`dates` (any fact with a date). Prints per kind the notes and facts that moved, then per note the facts lost (-)
and gained (+), each with the line of the note it came from and its words in [brackets]. Exit 0 always.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.french_speed import _export, _short
from benchmarks.report import ROOT
from benchmarks.verdicts_trust import CONFIRM, DATA, SETS, UNREAD, readable

SHARED = ROOT.parent / "shared" / "data"
TOPICS = ("sigir-topics/queries.jsonl", "trec-2021-topics/queries.jsonl", "trec-2022-topics/queries.jsonl")
GOLD = DATA / "notes-facts-gold" / "gold.jsonl"
# never read, whatever verdicts_trust says today: the session's held-out sets (blind15 is being written)
HELD_OUT = {*CONFIRM, *UNREAD, "verdicts-blind14", "verdicts-blind15"}
GROUPS = {
    "performance": {"ecog", "karnofsky"},
    "cancer": {"primary_cancer", "histology", "disease_status"},
}
RECORD = {"sex": "sex", "age_years": "age", "birth_date": "age", "primary_cancer": "primary_cancer",
          "stage": "stage", "ecog": "ecog"}  # fmt: skip

_WORKER = r"""
import json, sys
from oncofed.ingest.patients.notes import extract
record = sys.argv[2].split(",")
for row in open(sys.argv[1], encoding="utf-8"):
    n = json.loads(row)
    p = extract(n["text"], n["key"].rsplit(":", 1)[-1], "note")
    facts = []
    for f in p.facts:
        if f.kind == "note":
            continue
        span = f.provenance.span if f.provenance is not None else None
        attrs = json.dumps(dict(f.attributes or {}), sort_keys=True, default=str)
        facts.append([f.kind, str(f.code), str(f.value), str(f.unit), bool(f.negated), str(f.when), attrs,
                      list(span) if span else None])
    rec = {k: str(getattr(p, k, None)) for k in record}
    print(json.dumps([n["key"], facts, rec]))
"""

Fact = tuple[str, str, str, str, bool, str, str]


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def notes(shared: Path = SHARED) -> dict[str, str]:
    """key ("source:id") -> text of every readable note; a gold note already among the topics is kept once."""
    out: dict[str, str] = {}
    files = list(TOPICS)
    if GOLD.exists():
        files += sorted({str(r["file"]) for r in _rows(GOLD)} - set(files))
    gold_ids = {(str(r["file"]), str(r["id"])) for r in _rows(GOLD)} if GOLD.exists() else set()
    for rel in files:
        if not (shared / rel).exists():
            continue
        for q in _rows(shared / rel):
            if rel in TOPICS or (rel, str(q["_id"])) in gold_ids:
                out[f"{rel.split('/')[0]}:{q['_id']}"] = str(q["text"])
    for name in ("verdicts-dev", "verdicts-dev-fr", *SETS):
        if name in HELD_OUT or not (DATA / name / "queries.jsonl").exists():
            continue
        folds: dict[str, set[int]] = {}
        if (DATA / name / "expected.jsonl").exists():
            for r in _rows(DATA / name / "expected.jsonl"):
                folds.setdefault(str(r["query-id"]), set()).add(int(r.get("fold", 0)))
        for q in _rows(DATA / name / "queries.jsonl"):
            seen = folds.get(str(q["_id"]), {0} if name.startswith("verdicts-dev") else set())
            if seen and all(readable(name, f) for f in seen):  # a blind note without a fold: not read
                out[f"{name}:{q['_id']}"] = str(q["text"])
    return out


def readings(src: Path, texts: dict[str, str]) -> dict[str, dict[Fact, tuple[int, int] | None]]:
    """key -> {fact: its span} for the code under `src`, read in its own process (record fields as facts)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "notes.jsonl"
        path.write_text(
            "\n".join(json.dumps({"key": k, "text": t}) for k, t in texts.items()), encoding="utf-8"
        )
        env = {**os.environ, "PYTHONPATH": str(src), "ONCOFED_PURE": "1"}
        done = subprocess.run([sys.executable, "-c", _WORKER, str(path), ",".join(RECORD)],
                              env=env, capture_output=True, text=True, check=True)  # fmt: skip
    out: dict[str, dict[Fact, tuple[int, int] | None]] = {}
    for line in done.stdout.splitlines():
        key, facts, rec = json.loads(line)
        got: dict[Fact, tuple[int, int] | None] = {}
        for kind, code, value, unit, negated, when, attrs, span in facts:
            got.setdefault((kind, code, value, unit, negated, when, attrs), tuple(span) if span else None)
        for field, value in rec.items():
            if value != "None":
                got[(RECORD[field], "record", f"{field}={value}", "None", False, "None", "{}")] = None
        out[key] = got
    return out


def wanted(fact: Fact, kinds: set[str]) -> bool:
    if not kinds:
        return True
    kind, _code, _value, _unit, negated, when, attrs = fact
    return (kind in kinds or any(kind in GROUPS.get(k, ()) for k in kinds) or ("negated" in kinds and negated)
            or ("dates" in kinds and (when != "None" or '"start"' in attrs or '"end"' in attrs)))  # fmt: skip


def _shown(fact: Fact, span: tuple[int, int] | None, text: str) -> str:
    kind, code, value, unit, negated, when, attrs = fact
    what = " ".join(x for x in (kind, code, value, unit) if x not in ("None", "record"))
    what += " (negated)" * negated + (f" when {when}" if when != "None" else "")
    what += f" {attrs}" if attrs != "{}" else ""
    if span is None:
        return f"{what}  (record)" if code == "record" else what
    start, end = span
    left, right = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    right = len(text) if right < 0 else right
    line = (
        text[max(left, start - 120) : start] + "[" + text[start:end] + "]" + text[end : min(right, end + 120)]
    )
    return f"{what}\n      {line.strip()}"


def compare(texts: dict[str, str], before: dict[str, Any], after: dict[str, Any], kinds: set[str]
            ) -> tuple[Counter[str], Counter[str], list[str]]:  # fmt: skip
    """Per kind the notes that moved and the facts lost + gained; the listing, one block per note."""
    moved_notes: Counter[str] = Counter()
    moved_facts: Counter[str] = Counter()
    blocks: list[str] = []
    for key, text in texts.items():
        old = {f: s for f, s in before.get(key, {}).items() if wanted(f, kinds)}
        new = {f: s for f, s in after.get(key, {}).items() if wanted(f, kinds)}
        lost, gained = sorted(set(old) - set(new)), sorted(set(new) - set(old))
        if not lost and not gained:
            continue
        for kind in {f[0] for f in lost + gained}:
            moved_notes[kind] += 1
        moved_facts.update(f[0] for f in lost + gained)
        lines = [f"  - {_shown(f, old[f], text)}" for f in lost] + [
            f"  + {_shown(f, new[f], text)}" for f in gained
        ]
        blocks.append(f"\n{key}\n" + "\n".join(lines))
    return moved_notes, moved_facts, blocks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--before", required=True, help="the commit before the change")
    ap.add_argument("--after", help="the commit after it (default: the working tree)")
    ap.add_argument("--kinds", default="", help="kinds compared, comma-separated (default: all)")
    ap.add_argument("--show", type=int, default=200, help="notes listed (default 200)")
    a = ap.parse_args(argv)
    texts = notes()
    kinds = {k.strip() for k in a.kinds.split(",") if k.strip()}
    with tempfile.TemporaryDirectory() as tmp:
        before = readings(_export(a.before, Path(tmp) / "before"), texts)
        after_src = _export(a.after, Path(tmp) / "after") if a.after else ROOT / "src"
        after = readings(after_src, texts)
    moved_notes, moved_facts, blocks = compare(texts, before, after, kinds)
    label = f"{_short(a.before)} -> {_short(a.after) if a.after else 'working tree'}"
    print(f"{len(texts)} readable notes, {label}: {len(blocks)} read differently"
          f"{' (kinds ' + a.kinds + ')' if a.kinds else ''}")  # fmt: skip
    for kind in sorted(moved_notes):
        print(f"  {kind:16} {moved_notes[kind]:4} notes, {moved_facts[kind]:4} facts lost or gained")
    for block in blocks[: a.show]:
        print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
