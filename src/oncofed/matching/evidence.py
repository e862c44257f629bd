"""Evidence a clinician can read: one plain sentence per criterion outcome, built from the atoms that
decided it, each fact with its source ("note N12: “… no HIV …”"), and what to check for unknowns.

No logic words reach the reader: an atom's explanation describes the patient's fact ("received
pembrolizumab (anti-PD-1)"), never "not (...)"; the criterion's outcome says what it means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from oncofed.domain import Atom, Evidence, Fact
from oncofed.matching.facts import PatientView
from oncofed.matching.outcomes import (
    FALSE,
    NOT_APPLICABLE,
    PRESUMED_FALSE,
    PRESUMED_TRUE,
    SATISFIED,
    TRUE,
    UNDECIDED,
    VIOLATED,
)

INVESTIGATOR = "to be confirmed by the investigator"
SNIPPET_CHARS = 90


@dataclass(frozen=True)
class AtomEvidence(Evidence):
    """Evidence for one atom: the fact used, the atom, its truth value (0..4, see `outcomes`), what
    to check when undecided, and its role ("statement", or "condition" of the criterion/atom)."""

    atom: Atom | None = None
    holds: bool | None = None
    check: str = ""
    tri: int = 2
    role: str = "statement"
    source: str = ""


def source_of(fact: Fact | None, view: PatientView | None = None) -> str:
    """Where a fact came from, for a person: the note and the words, or the record and its field."""
    if fact is None:
        return ""
    p = fact.provenance
    if p.note_id or p.source == "note":
        note = p.note_id or p.record
        words = _note_words(view, note, p.span) if view is not None else ""
        where = f"note {note}" if note else "note"
        return (
            f"{where}: “{words}”"
            if words
            else (f"{where}, characters {p.span[0]}-{p.span[1]}" if p.span else where)
        )
    if p.source == "patient record":
        return "patient record"
    return p.describe()


def _note_words(view: PatientView, note_id: str | None, span: tuple[int, int] | None) -> str:
    if not span:
        return ""
    for f in view.facts("note"):
        if note_id is None or f.code == note_id:
            text = str(f.value or "")
            s, e = max(0, span[0]), min(len(text), span[1])
            if s >= e:
                return ""
            # the sentence around the span, cut to a readable length
            start = max(text.rfind(". ", 0, s) + 2, s - SNIPPET_CHARS // 2, 0)
            stop = text.find(".", e)
            stop = min(stop + 1 if stop >= 0 else len(text), e + SNIPPET_CHARS // 2)
            out = " ".join(text[start:stop].split())
            return (
                ("…" if start > 0 and text[start - 2 : start] != ". " else "")
                + out
                + ("…" if stop < len(text) and not out.endswith(".") else "")
            )
    return ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _join(items: Sequence[str]) -> str:
    seen = list(dict.fromkeys(i for i in items if i))
    return "; ".join(seen)


def _merge_prefixes(items: Sequence[str]) -> list[str]:
    """Checks of one kind said once: "biomarker test: BRCA1", "biomarker test: ATM" -> "biomarker test:
    BRCA1, ATM" (a gene list or panel has many alternatives)."""
    out: dict[str, list[str]] = {}
    for item in dict.fromkeys(i for i in items if i):
        head, sep, rest = item.partition(": ")
        key = head if sep else item
        out.setdefault(key, [])
        if sep:
            out[key].append(rest)
    return [f"{k}: {', '.join(v)}" if v else k for k, v in out.items()]


def sentence(
    inclusion: bool,
    code: int,
    evidence: Sequence[AtomEvidence],
    investigator: bool,
    condition_text: str = "",
) -> tuple[str, tuple[str, ...]]:
    """(plain sentence, what to check) for a criterion's outcome code and its atoms' evidence."""
    statement = [e for e in evidence if e.role == "statement"]
    conditions = [e for e in evidence if e.role == "condition"]
    checks = tuple(
        dict.fromkeys(e.check for e in evidence if e.tri in (PRESUMED_FALSE, 2, PRESUMED_TRUE) and e.check)
    )
    if code == NOT_APPLICABLE:
        if any(e.atom is not None and e.atom.kind == "permission" for e in conditions):
            return _cap(conditions[0].explanation) + ".", ()
        false = [e.explanation for e in conditions if e.tri in (FALSE, PRESUMED_FALSE)]
        why = _join(false) or "its condition does not hold"
        lead = f"Applies only {condition_text}" if condition_text else "Does not apply to this patient"
        return f"{lead}: {why}.", ()
    if code == UNDECIDED:
        if investigator:
            # a reason given with it ("an exclusion for every cohort that ...: to be confirmed by ...")
            said = [e.explanation for e in statement if e.explanation.endswith(f": {INVESTIGATOR}")]
            return _cap(said[0] if said else INVESTIGATOR) + ".", (INVESTIGATOR,)
        if not statement:
            return "Not computable from the text: read the criterion and check it.", ()
        known = [
            e.explanation
            for e in statement
            if e.tri in (FALSE, TRUE) and e.explanation and e.fact is not None
        ]
        missing = _join(
            _merge_prefixes(
                [e.check for e in evidence if e.tri in (PRESUMED_FALSE, 2, PRESUMED_TRUE) and e.check]
            )
        )
        text = f"Not decided: {missing}." if missing else "Not decided from the record."
        if known:
            text += f" Known: {_join(known)}."
        return text, checks
    # decided: the atoms that drove the outcome
    want: tuple[int, ...]
    if code == VIOLATED:
        want = (FALSE,) if inclusion else (TRUE,)
    else:
        want = (TRUE, PRESUMED_TRUE) if inclusion else (FALSE, PRESUMED_FALSE)
    driving = [e.explanation for e in statement if e.tri in want] or [e.explanation for e in statement]
    return _cap(_join(driving)) + ".", checks if code == SATISFIED else ()
