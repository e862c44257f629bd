"""How the criteria lines that name cancers are read, counted by form on the whole trial corpus (no labels:
no verdict set is read).

For every criterion of the built corpus (`benchmarks/verdicts_corpus.py`'s ~1,200 real trials) whose reading
has a positive cancer-type atom, the line is counted under each form it has: one cancer; an any-of list of
cancers of several organs; organs listed bare beside the named cancers ("breast, gastric, head and neck, liver
and non-small cell lung cancer", `criteria/listed_organs.py`); a line that also takes any solid tumour,
advanced cancer or malignancy (read with `or_solid`, or plain: the named cancers only); a line naming a cancer
no mention reads (`unread_cancer`: no organ question); survivors and "history of"; "other than" / except;
lymphoma / haematological; a line of a cohort, part or arm (`Criterion.cohort`). Trials are counted too:
those whose inclusion lines name two organs or more (multi-cancer and basket trials: `matching/cancer_lines.py`
decides which of their lines are another cancer's).

    PYTHONPATH=src .venv/bin/python -m benchmarks.audit_cancer_lines [--show FORM] [--sample N]
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
from pathlib import Path

from benchmarks.bench_verdicts import VAR, ensure_corpus
from oncofed.criteria import oncotree, parse_eligibility
from oncofed.domain import Section
from oncofed.matching import trust

FORMS: tuple[tuple[str, str], ...] = (
    ("solid tumour / advanced cancer / malignancy", r"solid\s+(?:tumou?r|cancer|malignan)|any\s+(?:advanced\s+)?(?:cancer|malignan|tumou?r)|advanced\s+(?:cancers|malignancies)"),
    ("survivors / history of", r"survivor|history\s+of|previously\s+(?:diagnosed|treated)|completed\s+(?:\w+\s+)?treatment"),
    ("other than / except", r"other\s+than|except|excluding|exclud(?:es|ed)\b"),
    ("lymphoma / haematological", r"lymphoma|leuka?emia|myeloma|ha?ematolog"),
)  # fmt: skip


def _tissue(code: str) -> str | None:
    line = oncotree.lineage(code)
    return line[-2] if len(line) >= 2 and line[-1] == oncotree.ROOT else None


def forms_of(text: str, atoms: list, cohort: str | None) -> list[str]:
    """The forms of one line (see module doc)."""
    codes = {c for a in atoms for c in trust.organ_codes(a)}
    organs = {_tissue(c) for c in codes} - {None}
    out = ["any-of: cancers of several organs" if len(organs) > 1 else "one cancer (one organ)"]
    if any(a.attributes.get("listed_organ") for a in atoms):
        out.append("organs listed bare beside named cancers (read)")
    if any(a.attributes.get("unread_cancer") for a in atoms):
        out.append("a cancer no mention reads (no organ question)")
    low = text.lower()
    for name, pattern in FORMS:
        if re.search(pattern, low):
            solid = name.startswith("solid")
            read = solid and any(a.attributes.get("or_solid") for a in atoms)
            out.append(f"{name} ({'or_solid' if read else 'plain'})" if solid else name)
    if cohort:
        out.append("line of a cohort / part / arm")
    return out


def audit(corpus: Path) -> tuple[collections.Counter[str], dict[str, list[str]], collections.Counter[str]]:
    counts: collections.Counter[str] = collections.Counter()
    lines: dict[str, list[str]] = collections.defaultdict(list)
    trials: collections.Counter[str] = collections.Counter()
    for row in corpus.open(encoding="utf-8"):
        trial = json.loads(row)
        organs: set[str] = set()
        for c in parse_eligibility(trial["text"]).criteria:
            atoms = [a for a in c.atoms if a.kind == "cancer_type" and trust.organ_codes(a)]
            if not atoms:
                continue
            section = "inclusion" if c.section is Section.INCLUSION else "exclusion"
            for form in forms_of(c.text, atoms, c.cohort):
                counts[f"{section}: {form}"] += 1
                lines[f"{section}: {form}"].append(
                    f"{trial['_id']}: {c.text.strip()[:200]} => {[trust.organ_codes(a) for a in atoms]}"
                )
            if c.section is Section.INCLUSION:
                organs |= {_tissue(x) or x for a in atoms for x in trust.organ_codes(a)}
        trials["trials"] += 1
        if len(organs) > 1:
            trials["trials whose inclusion lines name two organs or more"] += 1
    return counts, lines, trials


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=VAR / "verdicts-corpus.jsonl")
    parser.add_argument(
        "--show", default="", help="print a sample of the lines whose form contains this text"
    )
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    ensure_corpus(args.corpus)
    counts, lines, trials = audit(args.corpus)
    print(f"{'form of the line':78} {'lines':>6}")
    for form, n in sorted(counts.items()):
        print(f"{form:78} {n:6}")
    for name, n in trials.items():
        print(f"{name:78} {n:6}")
    if args.show:
        for form in sorted(f for f in lines if args.show in f):
            rows = lines[form]
            print(f"\n## {form}: {min(args.sample, len(rows))} of {len(rows)}")
            for text in random.Random(16).sample(rows, min(args.sample, len(rows))):
                print(f"- {text}")


if __name__ == "__main__":
    main()
