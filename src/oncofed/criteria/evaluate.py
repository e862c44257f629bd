"""Coverage of the parser on real oncology eligibility text, and the loaders of the shared corpora.

Coverage: share of criteria with at least one typed atom (any kind but `non_evaluable`), share per
atom kind, and share "fully structured": criteria whose content words are mostly covered by atom
spans (at most 30 % of the content words outside every atom span; filler words such as "patients",
"must", "have", "known", "history" do not count as content).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from oncofed.criteria.parser import parse_many
from oncofed.domain.criteria import Criterion

FILLER = set(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "as",
        "is",
        "are",
        "be",
        "been",
        "being",
        "must",
        "should",
        "will",
        "may",
        "can",
        "could",
        "have",
        "has",
        "had",
        "having",
        "not",
        "no",
        "any",
        "all",
        "other",
        "than",
        "that",
        "which",
        "who",
        "whose",
        "this",
        "these",
        "those",
        "patient",
        "patients",
        "subject",
        "subjects",
        "participant",
        "participants",
        "known",
        "history",
        "previous",
        "prior",
        "evidence",
        "documented",
        "confirmed",
        "presence",
        "present",
        "use",
        "using",
        "used",
        "allowed",
        "permitted",
        "eligible",
        "following",
        "defined",
        "within",
        "during",
        "before",
        "after",
        "least",
        "more",
        "less",
        "than",
        "greater",
        "equal",
        "including",
        "include",
        "includes",
        "e.g",
        "i.e",
        "per",
        "if",
        "such",
        "study",
        "trial",
        "treatment",
        "therapy",
        "disease",
        "diagnosis",
        "diagnosed",
        "current",
        "currently",
        "active",
        "significant",
        "clinically",
        "adequate",
    ]
)


def nli4ct_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(trial id, eligibility text) from the NLI4CT breast-cancer files."""
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        lines = data.get("Eligibility") or []
        yield data.get("Clinical Trial ID", path.stem), "\n".join(lines)


def oncology99_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(trial id, eligibility text) from oncology-active-99's corpus.jsonl (TrialGPT layout)."""
    for path in sorted(folder.rglob("*corpus.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            meta = d.get("metadata") or {}
            inc, exc = meta.get("inclusion_criteria"), meta.get("exclusion_criteria")
            if inc or exc:
                text = f"Inclusion Criteria:\n{inc or ''}\nExclusion Criteria:\n{exc or ''}"
            else:
                text = d.get("text", "").split("Inclusion criteria:", 1)[-1]
                text = "Inclusion criteria:" + text
            yield d["_id"], text


def fully_structured(c: Criterion) -> bool:
    typed = [a for a in c.atoms if a.kind != "non_evaluable" and a.span]
    if not typed:
        return False
    covered = [False] * len(c.text)
    for a in c.atoms:
        if a.span:
            for i in range(max(0, a.span[0]), min(len(c.text), a.span[1])):
                covered[i] = True
    content = [
        (m.start(), m.end())
        for m in re.finditer(r"[A-Za-z][A-Za-z0-9-]{2,}", c.text)
        if m.group(0).lower() not in FILLER
    ]
    if not content:
        return True
    outside = sum(1 for s, _e in content if not covered[s])
    return outside / len(content) <= 0.30


def coverage(texts: list[tuple[str, str]]) -> dict[str, object]:
    results = parse_many(t for _, t in texts)
    n = typed = full = non_eval = 0
    kinds: Counter[str] = Counter()
    for r in results:
        for c in r.criteria:
            n += 1
            present = {a.kind for a in c.atoms}
            if present - {"non_evaluable"}:
                typed += 1
            if present == {"non_evaluable"}:
                non_eval += 1
            if fully_structured(c):
                full += 1
            kinds.update(present)
    return {
        "trials": len(texts),
        "criteria": n,
        "with_typed_atom": typed / n if n else 0.0,
        "fully_structured": full / n if n else 0.0,
        "only_non_evaluable": non_eval / n if n else 0.0,
        "by_kind": {k: v / n for k, v in kinds.most_common()} if n else {},
    }
