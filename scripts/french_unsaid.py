"""What the engines' evidence leaves in English on French pages: `presenters.engine_text.unsaid('fr', ...)` over
every (note, trial) pair of both verdict dev sets (English and French notes) and over the demo network's
matches, plus the parts kept as written that are OncoTree names in English ("Lung Adenocarcinoma (LUAD)").

    .venv/bin/python scripts/french_unsaid.py [--demo-patients 120] [--out /tmp/unsaid.json]

Prints the totals per set; --out writes every piece with its count (JSON). Read-only: the demo is built in a
temporary SQLite file, the dev sets and trials are read in place (../shared/data)."""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.verdicts_corpus import all_trials  # noqa: E402

from oncofed.criteria.vocab import oncotree_name  # noqa: E402
from oncofed.domain import Outcome  # noqa: E402
from oncofed.matching.assess import assess_trial  # noqa: E402
from oncofed.matching.evidence import AtomEvidence  # noqa: E402
from oncofed.matching.facts import PatientView  # noqa: E402
from oncofed.presenters import engine_grammar  # noqa: E402
from oncofed.presenters.engine_text import unsaid  # noqa: E402
from oncofed.services.matching import verdicts as V  # noqa: E402
from oncofed.services.trials.criteria import criteria_by_trial  # noqa: E402

DAY = date(2026, 12, 1)
ONCOTREE_NAME = re.compile(r"(.+) \(([A-Z][A-Z0-9_]*)\)")


def english_texts(outcomes: Iterable[Any]) -> list[str]:
    """Every engine text a match page shows for these outcomes (as tests/test_engine_text.py collects them,
    plus the registry criteria's own text, which the page says too)."""
    texts = []
    for co in outcomes:
        texts += [co.criterion.text if co.criterion.index < 0 else "", co.sentence]
        texts += list(co.checks) if co.outcome is Outcome.UNKNOWN else []
        for ev in co.evidence:
            if isinstance(ev, AtomEvidence):
                texts += [ev.explanation, ev.check, ev.source]
    return [t for t in texts if t]


class Counts:
    def __init__(self) -> None:
        self.pieces: collections.Counter[str] = collections.Counter()
        self.names: collections.Counter[str] = collections.Counter()

    def add(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.pieces.update(unsaid("fr", text))


def dev_set(folder: Path, docs: dict[str, dict[str, Any]], counts: Counts) -> None:
    pairs = [
        line.split("\t")[:2] for line in (folder / "pairs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    ]
    trials = {t.id: t for t in (V.trial_of_document(docs[i]) for i in {t for _q, t in pairs} if i in docs)}
    criteria = criteria_by_trial(list(trials.values()))
    lines = (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    notes = {q["_id"]: q["text"] for q in map(json.loads, lines)}
    views: dict[str, tuple[PatientView, date]] = {}
    for query, trial in pairs:
        if trial not in trials:
            continue
        if query not in views:
            profile = V.note_profile(notes[query], query)
            views[query] = (PatientView.of(profile), V.note_day(profile, DAY) or DAY)
        view, on = views[query]
        counts.add(english_texts(assess_trial(criteria[trial], view, on, {}, None).outcomes))


def demo(patients: int, counts: Counts) -> None:
    from oncofed.domain import Actor
    from oncofed.services.matching.match import match_profile
    from oncofed.store.db import Database
    from oncofed.store.repositories import PatientRepository
    from oncofed.synthetic.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/demo.sqlite3")
        build_demo(db, patients=300, seed=42)
        with db.session() as s:
            profiles = PatientRepository(s, Actor.system()).list(limit=None)[:patients]
        for profile in profiles:
            for r in match_profile(db, profile, day=DAY, limit=10).results:
                counts.add(english_texts(r.match.outcomes))
        db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-patients", type=int, default=120, help="demo patients matched (0: no demo)")
    parser.add_argument("--out", type=Path, help="write every piece left in English with its count (JSON)")
    args = parser.parse_args(argv)
    said_word = engine_grammar.say_word
    sets: dict[str, Counts] = {}

    def counting_word(tr: Any, text: str) -> str:  # the parts kept as written: OncoTree names counted
        said = said_word(tr, text)
        m = ONCOTREE_NAME.fullmatch(text)
        if said == text and m and oncotree_name(m.group(2)) == m.group(1):
            current.names[text] += 1
        return said

    engine_grammar.say_word = counting_word  # type: ignore[assignment]
    from oncofed.presenters import engine_text

    engine_text.say_word = counting_word  # type: ignore[assignment]
    docs: dict[str, dict[str, Any]] = {}
    for d in all_trials(ROOT.parent / "shared" / "data"):
        docs.setdefault(d["_id"], d)
    for name in ("verdicts-dev", "verdicts-dev-fr"):
        sets[name] = current = Counts()
        dev_set(ROOT / "benchmarks" / "data" / name, docs, current)
    if args.demo_patients:
        sets["demo"] = current = Counts()
        demo(args.demo_patients, current)
    for name, c in sets.items():
        print(
            f"{name}: {sum(c.pieces.values())} English pieces ({len(c.pieces)} distinct), "
            f"{sum(c.names.values())} OncoTree names left in English ({len(c.names)} distinct)"
        )
    if args.out:
        out = {
            k: {"pieces": dict(c.pieces.most_common()), "names": dict(c.names.most_common())}
            for k, c in sets.items()
        }
        args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
