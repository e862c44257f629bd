"""Build the French verdict dev set (issue 23) from its source, `benchmarks/data/verdicts-dev-fr/cases.yaml`.

    .venv/bin/python -m benchmarks.verdicts_dev_fr [--check]

Writes `queries.jsonl` (one French note per English note of `verdicts-dev`, id `FR-<English id>`),
`pairs.tsv` (the English pairs, French ids) and `expected.jsonl` (the English expectations, French ids,
`twin` = the English id) next to `cases.yaml`. Each failure note is the French eligible note with the
listed edits; an edit whose old text does not occur exactly once stops the build with its case named.
`--check` builds in memory and fails when the files on disk differ (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EN = ROOT / "benchmarks" / "data" / "verdicts-dev"
FR = ROOT / "benchmarks" / "data" / "verdicts-dev-fr"
PREFIX = "FR-"


def french_notes(cases: dict[str, Any]) -> dict[str, str]:
    """French note text by English note id (`NM-<NCT>-E`, `NM-<NCT>-F<n>`)."""
    out: dict[str, str] = {}
    for trial, case in cases.items():
        eligible = str(case["eligible"]).strip()
        out[f"NM-{trial}-E"] = eligible
        for name, edits in (case.get("failures") or {}).items():
            text = eligible
            for old, new in edits:
                if text.count(old) != 1:
                    raise SystemExit(
                        f"cases.yaml: {trial} {name}: {old!r} occurs {text.count(old)} times (must be once)"
                    )
                text = text.replace(old, new)
            out[f"NM-{trial}-{name}"] = text
    return out


def build() -> dict[str, str]:
    """File name -> content of the three built files."""
    cases = yaml.safe_load((FR / "cases.yaml").read_text(encoding="utf-8"))
    notes = french_notes(cases)
    english = [
        json.loads(x) for x in (EN / "queries.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()
    ]
    missing = [q["_id"] for q in english if q["_id"] not in notes]
    if missing:
        raise SystemExit(f"cases.yaml: no French note for {', '.join(missing)}")
    queries = "".join(
        json.dumps({"_id": PREFIX + q["_id"], "text": notes[q["_id"]], "twin": q["_id"]}, ensure_ascii=False)
        + "\n"
        for q in english
    )
    pair_lines = (EN / "pairs.tsv").read_text(encoding="utf-8").splitlines()
    pairs = pair_lines[0] + "\n" + "".join(PREFIX + line + "\n" for line in pair_lines[1:] if line.strip())
    expected = ""
    for line in (EN / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            e = {"query-id": PREFIX + e["query-id"], **{k: v for k, v in e.items() if k != "query-id"}}
            e["twin"] = e["query-id"][len(PREFIX) :]
            expected += json.dumps(e, ensure_ascii=False) + "\n"
    return {"queries.jsonl": queries, "pairs.tsv": pairs, "expected.jsonl": expected}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="fail if the built files differ from those on disk"
    )
    args = parser.parse_args()
    built = build()
    if args.check:
        stale = [name for name, text in built.items() if (FR / name).read_text(encoding="utf-8") != text]
        if stale:
            sys.exit(f"stale: {', '.join(stale)} (run python -m benchmarks.verdicts_dev_fr)")
        return
    for name, text in built.items():
        (FR / name).write_text(text, encoding="utf-8")
    print(f"{FR}: {built['queries.jsonl'].count(chr(10))} notes")


if __name__ == "__main__":
    main()
