"""A metamorphic audit of the notes reader: every note of the verdict dev set (`benchmarks/data/verdicts-dev/`,
readable by anyone) read as written and rewritten in another spelling a clinician also uses. The facts must not
change (the note's own text fact aside): a note read differently is a rule that depends on the spelling.

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_note_variants [--rewrite NAME] [--show K]

Rewrites: `connectives` (" or " / " and " in capitals), `iso` (dates 15/04/2024 -> 2024-04-15), `mgdl` ("mg/dL"
-> "mg/dl"), `colon` (a no-break space before ":" as French typography writes it), `bullets` ("; " -> a new
bulleted line). Session 13 (lead, main at e247e2f): iso 0 of 55 notes read differently, mgdl 0 of 47,
connectives 2 of 33 (a count of lines, a drug's status), colon 18 of 89, bullets 16 of 91. The criteria's
sibling is `benchmarks/audit_case.py`.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from typing import Any

from benchmarks.verdicts_trust import DATA

REWRITES: dict[str, Callable[[str], str]] = {
    "connectives": lambda t: re.sub(r"(?<=\S) (or|and) (?=\S)", lambda m: f" {m.group(1).upper()} ", t),
    "iso": lambda t: re.sub(r"\b(\d{2})/(\d{2})/(\d{4})\b", r"\3-\2-\1", t),
    "mgdl": lambda t: t.replace("mg/dL", "mg/dl").replace("g/dL", "g/dl"),
    "colon": lambda t: t.replace(": ", "\u00a0: "),
    "bullets": lambda t: t.replace("; ", ".\n- "),
}


def facts_key(profile: Any) -> tuple[tuple[tuple[object, ...], ...], tuple[object, ...]]:
    """What a note says, without the note's own text."""
    facts = sorted((f.kind, str(f.code), str(f.value), str(f.unit), bool(getattr(f, "negated", False)), str(f.when))
                   for f in profile.facts if f.kind != "note")  # fmt: skip
    return tuple(facts), (profile.sex, str(profile.birth_date), profile.primary_cancer, profile.stage)


def run(rewrite: str, show: int) -> dict[str, Any]:
    from oncofed.ingest.patients.notes import extract

    rows = [json.loads(x) for x in (DATA / "verdicts-dev" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]  # fmt: skip
    changed = differ = 0
    shown: list[str] = []
    for q in rows:
        text = q["text"]
        other = REWRITES[rewrite](text)
        if other == text:
            continue
        changed += 1
        a, b = facts_key(extract(text, q["_id"], "note")), facts_key(extract(other, q["_id"], "note"))
        if a != b:
            differ += 1
            if len(shown) < show:
                lost, gained = sorted(set(a[0]) - set(b[0])), sorted(set(b[0]) - set(a[0]))
                shown.append(f"{q['_id']}: lost {[x[:3] for x in lost][:4]}, gained {[x[:3] for x in gained][:4]}"
                             + ("" if a[1] == b[1] else f", record {a[1]} -> {b[1]}"))  # fmt: skip
    return {"notes": len(rows), "changed": changed, "differ": differ, "shown": shown}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rewrite", choices=sorted(REWRITES), default="connectives")
    ap.add_argument("--show", type=int, default=10)
    a = ap.parse_args(argv)
    r = run(a.rewrite, a.show)
    print(
        f"{r['notes']} notes, {r['changed']} changed by the rewrite `{a.rewrite}`: {r['differ']} read differently"
    )
    for s in r["shown"]:
        print(f"  {s}")
    return 0 if r["differ"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
