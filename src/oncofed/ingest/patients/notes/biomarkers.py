"""Biomarkers in a note: a gene with the variant written after it ("EGFR exon 19 deletion", "KRAS
wild-type"), a marker with its status ("HER2-positive", "PD-L1 TPS 60%", "HER2 status of IHC 1+"),
a status shared by a list ("ER, PR, and HER2 negative", "ER/PR negative"), and whole-phrase statuses
("hormone receptor-negative" = ER and PR negative; "triple-negative" = ER, PR, HER2 negative)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from oncofed.ingest.patients.common import note_vocab
from oncofed.ingest.patients.notes.mentions import Target
from oncofed.ingest.patients.notes.text import Cues

Add = Callable[..., None]

VARIANT_RE = re.compile(
    r"^[\s:-]*(?:\(|,)?\s*(?:p\.)?([A-Z]\d{2,4}(?:[A-Z*]|fs|del)|exon\s*\d+\s*(?:deletion|insertion|del|ins|skipping|mutation)|"
    r"T790M|ITD|amplification|amplified|fusion|rearrangement|rearranged|mutation|mutated|mutant|positive|negative|wild[- ]?type|wt\b|"
    r"(?:gene\s+)?(?:mutation|amplification))",
    re.I,
)
STATUS_RE = re.compile(
    r"^[\s:/-]*(?:\([^()]{1,12}\)\s*)?(?:receptor\s*)?(?:status\s*)?(?:of\s*)?(?:is\s*|was\s*|were\s*)?(?:by\s+)?(?:IHC\s*)?"
    r"(\+|-|positive|negative|positivity|negativity|pos\b|neg\b|[0-3]\+|high|low|overexpress\w*|amplified|not amplified|"
    r"deficient|proficient|stable|0(?![.,]?\d)(?!\s*(?:%|to\b|[-–]\s*\d))(?=\s*(?:[,.;)(/]|\s(?!x\b|mm|cm|mg|g/|%)|$)))"
    r"|^[\s:]*(?:\([^()]{1,12}\)\s*)?(?:TPS|CPS|expression|score)?\s*(?:of\s*)?(>|≥|>=|<|≤)?\s*(\d{1,3})\s*%",
    re.I,
)
MARKERS = {"ER", "PR", "HER2", "PD-L1", "MSI", "MMR", "TMB", "HRD", "AR"}
NEGATIVE_STATUS = {
    "wt",
    "-",
    "negative",
    "neg",
    "negativity",
    "not amplified",
    "proficient",
    "stable",
    "wild-type",
    "wildtype",
    "wild type",
}
BEFORE_RE = re.compile(
    r"(mutation|mutated|mutant|variant|amplification|fusion|rearrangement|positive)\s*(in|of|for)?\s*$", re.I
)
_GAP = re.compile(r"^\s*(?:,|/|&|and|or|\s)+\s*$", re.I)


@functools.cache
def _status_phrases() -> tuple[Cues, dict[str, tuple[list[str], str]]]:
    specs = note_vocab()["marker_status_phrases"]
    return Cues({phrase: [phrase] for phrase in specs}), {
        p: (spec["markers"], spec["status"]) for p, spec in specs.items()
    }


def read(text: str, genes: list[Target], add: Add, scope_of: Callable[[int], str | None]) -> None:
    """Biomarker facts of the gene / marker targets (outside trial, plan and family scopes)."""
    seen: set[tuple[Any, ...]] = set()
    cues, specs = _status_phrases()
    for phrase, found in cues.find(text).items():
        markers, status = specs[phrase]
        for start, end in found:
            if scope_of(start) is None:
                for marker in markers:
                    _add(add, seen, marker, status, None, start, end, "ihc", False)
    specific = {t.code for t in genes if t.code.startswith("BRCA") and t.code != "BRCA"}
    group: list[Target] = []
    for i, t in enumerate(genes):
        group.append(t)
        nxt = genes[i + 1] if i + 1 < len(genes) else None
        if nxt and nxt.start - t.end <= 8 and _GAP.match(text[t.end : nxt.start]):
            continue  # "ER, PR, and HER2 negative": the status after the last one is every member's
        members, group = group, []
        for member in members:
            if member.scope or (member.code == "BRCA" and specific):
                continue
            if member.code in ("HER2", "ERBB2"):
                _ish(text, member, add, seen)
            for code in member.code.split("+"):
                _one(text, member, code, add, seen)
        last = members[-1]
        shared = STATUS_RE.match(text[last.end : last.end + 40]) if len(members) > 1 else None
        _share_variant(text, members, add, seen)
        for member in members[:-1]:
            own = STATUS_RE.match(text[member.end : member.end + 40]) or _own_status(member)
            for code in member.code.split("+"):
                if shared is not None and code in MARKERS and own is None and not member.scope:
                    _marker_status(member, code, shared, last.end, add, seen)


_WORD_STATUS = {
    "msi-h": "MSI-H", "msi-high": "MSI-H", "microsatellite instability-high": "MSI-H", "mss": "MSS",
    "microsatellite stable": "MSS", "dmmr": "dMMR", "pmmr": "pMMR", "mismatch repair deficient": "dMMR",
    "mismatch repair-deficient": "dMMR", "mismatch repair deficiency": "dMMR", "tmb-high": "high", "tmb-h": "high",
}  # fmt: skip


_SHARED_VARIANTS = NEGATIVE_STATUS | {"mutated", "mutant", "mutation"}


def _share_variant(text: str, members: list[Target], add: Add, seen: set[Any]) -> None:
    """Genes of a list share the variant status written after the last ("RAS/BRAF wt")."""
    last = members[-1]
    tail = VARIANT_RE.match(text[last.end : last.end + 40]) if len(members) > 1 else None
    low = tail.group(1).lower() if tail else ""
    if tail is None or not (low in _SHARED_VARIANTS or low.startswith("wild")):
        return
    negative = low in NEGATIVE_STATUS or low.startswith("wild")
    end = last.end + tail.end(1)
    for member in members[:-1]:
        if member.scope or VARIANT_RE.match(text[member.end : member.end + 40]):
            continue
        for code in member.code.split("+"):
            if code not in MARKERS:
                _add(
                    add,
                    seen,
                    code,
                    "mutation",
                    None,
                    member.start,
                    end,
                    "mutation",
                    member.negated or negative,
                    text[member.start : end],
                )


_ISH = re.compile(
    r"\b(?:FISH|ISH|SISH|CISH|DISH|DDISH)\b[^.;\n]{0,25}?\b(?P<s>not\s+amplified|non-?amplified|negative|amplified|"
    r"positive)\b",
    re.I,
)


def _ish(text: str, t: Target, add: Add, seen: set[Any]) -> None:
    """ "HER2 IHC 2+ (central), FISH amplified (HER2/CEP17 2.6)": the in situ hybridisation result
    written after the IHC score is HER2's amplification status."""
    m = _ISH.search(text, t.end, min(len(text), t.end + 90))
    if m is None:
        return
    negative = m.group("s").lower().replace("-", "").startswith(("not", "non", "neg"))
    _add(
        add,
        seen,
        "HER2",
        "amplification",
        None,
        t.start,
        m.end(),
        "amplification",
        negative,
        text[t.start : m.end()],
    )


def _own_status(t: Target) -> str | None:
    """The status written in the mention itself ("ER-positive", "er+", "MSI-H", "dMMR"), if any."""
    low = t.text.lower()
    if low in _WORD_STATUS:
        return _WORD_STATUS[low]
    if low.endswith(("positive", "+")):
        return "positive"
    if low.endswith(("negative", "-")):
        return "negative"
    return None


def _one(text: str, t: Target, code: str, add: Add, seen: set[Any]) -> str | None:
    after = text[t.end : min(len(text), t.end + 40)]
    if code in MARKERS and (own := _own_status(t)) is not None:
        kind = {"MSI": "msi", "MMR": "mmr", "TMB": "tmb"}.get(code, "ihc")
        _add(add, seen, code, own, None, t.start, t.end, kind, t.negated, t.text)
        return own
    if code in MARKERS:
        m = STATUS_RE.match(after)
        if not m:
            return None
        return _marker_status(t, code, m, t.end, add, seen)
    m = VARIANT_RE.match(after)
    found = m.group(1) if m else None
    if found is None:
        if not BEFORE_RE.search(text[max(0, t.start - 25) : t.start] + " "):
            return None
        found = "mutation"
    low = found.lower()
    kind = (
        "amplification"
        if low.startswith("amplif")
        else "fusion"
        if low in ("fusion", "rearrangement", "rearranged")
        else "mutation"
    )
    negative = low in NEGATIVE_STATUS or low.startswith("wild")
    generic = {
        "mutation",
        "mutated",
        "mutant",
        "positive",
        "amplified",
        "amplification",
        "fusion",
        "rearranged",
        "rearrangement",
    }
    value = kind if low in generic or negative else found
    gene = "HER2" if code == "ERBB2" else code
    end = t.end + m.end(1) if m else t.end
    _add(add, seen, gene, value, None, t.start, end, kind, t.negated or negative)
    return str(value)


def _marker_status(t: Target, code: str, m: re.Match[str], base: int, add: Add, seen: set[Any]) -> str | None:
    end = base + m.end()
    if m.group(3):
        if m.group(2) in ("<", "≤") and int(m.group(3)) > 1:
            return None  # "ER <10%": low or negative, not a value
        value: Any = int(m.group(3))
        if m.group(2) in ("<", "≤"):
            value = "negative"
        kind, unit = ("tps" if code == "PD-L1" else "ihc"), "%"
    else:
        raw = m.group(1).lower()
        unit = None
        kind = {"MSI": "msi", "MMR": "mmr", "TMB": "tmb"}.get(code, "ihc")
        positive = raw in ("+", "pos", "positivity", "amplified") or raw.startswith("overexpress")
        value = "positive" if positive else "negative" if raw in ("-", "neg", "negativity") else raw
        if code == "MSI" and value in ("high", "positive"):
            value = "MSI-H"
        if code == "MMR" and value == "deficient":
            value = "dMMR"
    _add(add, seen, code, value, unit, t.start, end, kind, t.negated)
    return str(value)


def _add(
    add: Add,
    seen: set[Any],
    code: str,
    value: Any,
    unit: str | None,
    start: int,
    end: int,
    kind: str,
    negated: bool,
    display: str = "",
) -> None:
    key = (code, str(value).lower(), negated)
    if key in seen:
        return
    seen.add(key)
    add(
        "biomarker",
        start,
        end,
        code=code,
        value=value,
        unit=unit,
        negated=negated,
        display=display or f"{code} {value}",
        attributes={"kind": kind},
    )
