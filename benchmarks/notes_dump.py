"""Run one tree's notes extractor over the gold notes and a speed corpus; print one JSON object.

Run by `benchmarks.bench_notes` in a fresh process per tree, with PYTHONPATH pointing at that tree's
`src` (so the same file measures today's extractor and an older commit's side by side). It imports
nothing of the project but `oncofed.ingest.patients.notes.extract`, whose signature has not changed.

    PYTHONPATH=SRC python benchmarks/notes_dump.py --data ../shared/data --gold GOLD.jsonl [--no-facts]

Proof that a speed change leaves outputs alone (`--all-facts`: every fact of every note of the speed
corpus, the gold notes, `benchmarks/data/verdicts-dev` and `verdicts-dev-fr`, keyed "file:id"):

    PYTHONPATH=src .venv/bin/python benchmarks/notes_dump.py --data ../shared/data \
        --gold benchmarks/data/notes-facts-gold/gold.jsonl --all-facts --no-speed > /tmp/notes_before.txt
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

WARM_UP = (
    "A 50-year-old woman with ER-positive breast cancer, ECOG 1; no brain metastases. Hemoglobin 11 g/dL, "
    "AST 2 x ULN. She received three lines of chemotherapy for metastatic disease and was offered a trial."
)
# a line of mixed wording: the language model (py3langid, loaded on first use) is loaded before timing
WARM_UP_MIXED = "Le patient is doing well today with no fever."
SPEED_FILES = (
    "trec-2021-topics/queries.jsonl",
    "trec-2022-topics/queries.jsonl",
    "sigir-topics/queries.jsonl",
    "trials/oncology-active-99/GS_data/synthetic_patient_cases_random_30_modified.jsonl",
)
BENCH_DATA = Path(__file__).resolve().parent / "data"
EXTRA_FILES = (
    BENCH_DATA / "verdicts-dev" / "queries.jsonl",
    BENCH_DATA / "verdicts-dev-fr" / "queries.jsonl",
)


def _texts(data: Path, rel: str) -> dict[str, str]:
    out = {}
    for line in (data / rel).read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            out[str(obj["_id"])] = str(obj["text"])
    return out


def _fact(f: Any) -> dict[str, Any]:
    span = f.provenance.span if f.provenance is not None else None
    return {
        "kind": f.kind,
        "code": f.code,
        "value": f.value,
        "unit": f.unit,
        "negated": bool(f.negated),
        "attributes": dict(f.attributes or {}),
        "span": list(span) if span else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--no-facts", action="store_true", help="time only")
    parser.add_argument(
        "--all-facts", action="store_true", help="facts of every note, not only the gold ones"
    )
    parser.add_argument("--no-speed", action="store_true", help="skip the timed pass")
    args = parser.parse_args()
    started = time.perf_counter()
    from oncofed.ingest.patients.notes import extract

    extract(WARM_UP, "warm-up", "note:bench")  # every vocabulary loaded: the figure is the per-note cost
    extract(WARM_UP_MIXED, "warm-up-mixed", "note:bench")
    load = time.perf_counter() - started
    corpus = [t for rel in SPEED_FILES for t in _texts(args.data, rel).values()]
    rate = float("nan")
    if not args.no_speed:
        cpu = time.process_time()
        for i, text in enumerate(corpus):
            extract(text, str(i), "note:bench")
        rate = len(corpus) / max(1e-9, time.process_time() - cpu)
    facts: dict[str, list[dict[str, Any]]] = {}
    if args.all_facts:
        sources = [(rel, _texts(args.data, rel)) for rel in SPEED_FILES]
        sources += [
            (f"{p.parent.name}/{p.name}", _texts(p.parent, p.name)) for p in EXTRA_FILES if p.exists()
        ]
        for rel, texts in sources:
            for note_id, text in texts.items():
                profile = extract(text, note_id, "note:gold")
                facts[f"{rel}:{note_id}"] = [_fact(f) for f in profile.facts if f.kind != "note"]
    elif not args.no_facts:
        cache: dict[str, dict[str, str]] = {}
        for line in args.gold.read_text(encoding="utf-8").splitlines():
            note = json.loads(line)
            texts = cache.setdefault(note["file"], _texts(args.data, note["file"]))
            profile = extract(texts[note["id"]], note["id"], "note:gold")
            facts[note["id"]] = [_fact(f) for f in profile.facts if f.kind != "note"]
    if args.all_facts:  # one note a line, stable order: `cmp` / `diff` two dumps
        for key, note_facts in facts.items():
            print(key, json.dumps(note_facts, default=str, sort_keys=True))
        return
    print(
        json.dumps(
            {"notes": len(corpus), "notes_per_s_cpu": rate, "load_s": load, "facts": facts}, default=str
        )
    )


if __name__ == "__main__":
    main()
