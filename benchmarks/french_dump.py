"""Write everything the French front-end decides on the dev notes to a file, to prove that a speed change
leaves its output unchanged.

    Run it before and after the change (a `git archive` of the old commit's `src` on PYTHONPATH, or the
    old checkout), then compare the files:
    PYTHONPATH=/tmp/old/src .venv/bin/python -m benchmarks.french_dump /tmp/before.txt
    .venv/bin/python -m benchmarks.french_dump /tmp/after.txt
    cmp /tmp/before.txt /tmp/after.txt

Texts: the 102 French notes of `benchmarks/data/verdicts-dev-fr` and their 102 English twins, each as
written, without accents, in upper case, the French one followed by its English twin (a mixed note),
and line by line; then fragments cut from the French notes at fixed pseudo-random places (rules and
phrases cut in half); the English notes of `../shared/data` (TREC, SIGIR, oncology-active-99) when present.
For each: the language of the text and of each line, the notes rewrite (text and offset edits), the
criteria rewrite, every fact of `notes.extract` (all fields, spans) and the criteria parse of the French
notes. About 30 s.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

os.environ.setdefault("LOGURU_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "benchmarks" / "data"
DATA = ROOT.parent / "shared" / "data"
ENGLISH_FILES = (
    "trec-2021-topics/queries.jsonl",
    "trec-2022-topics/queries.jsonl",
    "sigir-topics/queries.jsonl",
    "trials/oncology-active-99/GS_data/synthetic_patient_cases_random_30_modified.jsonl",
)


def _queries(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(str(q["_id"]), str(q["text"])) for q in map(json.loads, filter(None, lines))]


def _texts() -> list[tuple[str, str]]:
    fr = _queries(DEV / "verdicts-dev-fr" / "queries.jsonl")
    en = dict(_queries(DEV / "verdicts-dev" / "queries.jsonl"))
    out: list[tuple[str, str]] = []
    for qid, text in fr:
        twin = en[qid[3:]]
        out += [(qid, text), (qid[3:], twin), (f"{qid}:plain", _plain(text)), (f"{qid}:upper", text.upper())]
        out += [(f"{qid}:mixed", f"{text}\n{twin}"), (f"{qid[3:]}:upper", twin.upper())]
        out += [(f"{qid}:line{k}", line) for k, line in enumerate(text.splitlines())]
    rng = random.Random(23)
    french = [t for _, t in fr]
    for k in range(400):
        text = french[rng.randrange(len(french))]
        a = rng.randrange(len(text))
        out.append((f"cut{k}", text[a : a + rng.randrange(5, 200)]))
    for rel in ENGLISH_FILES:
        if (DATA / rel).exists():
            out += [(f"{rel}:{qid}", text) for qid, text in _queries(DATA / rel)]
    return out


def _plain(text: str) -> str:
    from oncofed.criteria.french import fold

    return fold(text)


def main(out_path: str) -> int:
    from oncofed.criteria.french import rewrite
    from oncofed.criteria.language import detect
    from oncofed.criteria.parser import parse_eligibility
    from oncofed.ingest.patients.notes import extract

    texts = _texts()
    with open(out_path, "w", encoding="utf-8") as out:
        for qid, text in texts:
            language = detect(text)
            out.write(f"== {qid}\n{language!r}\n")
            for scope in ("notes", "criteria"):
                rw = rewrite(text, scope, language)
                out.write(f"{scope}: {rw.text!r}\n{rw.edits!r}\n")
                if rw.edits:  # the map back, at every offset of the rewritten text
                    n = len(rw.text)
                    out.write(repr([rw.to_source(s, min(n, s + w)) for s in range(n + 1) for w in (0, 1, 7)]))
                    out.write("\n")
            for f in extract(text, qid, "note:dump").facts:
                out.write(repr(f) + "\n")
            if qid.startswith("FR-") and ":" not in qid:
                out.write(repr(parse_eligibility(text)) + "\n")
    print(f"{len(texts)} texts written to {out_path}")
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.french_dump", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("out", help="the file to write (outside the repository, e.g. /tmp/after.txt)")
    raise SystemExit(main(ap.parse_args().out))
