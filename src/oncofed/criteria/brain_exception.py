"""The status a brain-metastases line excludes when the treated / stable words are its exception (verdicts42):
"history of central nervous system metastases, unless subject has been previously treated for CNS metastases",
"known brain metastases unless treated and stable for 4 weeks", "CNS metastases, except if treated and stable".

The reader gave such a line the status of its words ("treated_stable"), so it excluded exactly the patients its
exception lets in (once the notes reader read "treated with SRS 06/2024, stable on MRI" as treated and stable).
The line excludes the others: "untreated" when the exception names a treatment only, "active" (not treated and
stable) when it asks more (stable, asymptomatic, off steroids). Words before the mention ("previously treated brain metastases are allowed")
are not an exception and are left to the reader."""

from __future__ import annotations

from collections.abc import Iterable

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_EXCEPTION = compile_i(
    r"\b(?:unless|except(?:\s+(?:for|if|when|those))?|provided(?:\s+that)?|if\s+(?:they\s+are|the\s+\w+\s+(?:is|are)|"
    r"previously)|are\s+(?:eligible|allowed|permitted)|is\s+(?:eligible|allowed|permitted)|may\s+(?:be\s+)?"
    r"(?:enrolled|eligible|included|participate))\b"
)
_TREATED = compile_i(r"\b(?:treated|treatment|irradiated|resected|radiotherapy|radiosurgery|surgery)\b")
# more than a treatment asked ("treated and stable", "treated asymptomatic", "not progressive"): not treated and
# stable is excluded ("active": a record's "treated" alone is then to check)
_STABLE = compile_i(
    r"\b(?:stable|stability|asymptomatic|no\s+(?:evidence\s+of\s+)?progression|not\s+progressi\w+|"
    r"(?:not|no\s+longer)\s+(?:requiring|require|on)\s+(?:\w+\s+)?(?:steroids|corticosteroids))\b"
)
_UNTREATED = compile_i(r"\buntreated\b")


def excepted_status(text: str, start: int, end: int) -> str | None:
    """The status excluded by the brain-metastases mention at [start, end) of `text` when its treated / stable words
    come after an exception marker (see the module docstring), else None."""
    before = text[max(0, start - 40) : start]
    if _TREATED.search(before) or _STABLE.search(before) or _UNTREATED.search(before):
        return None
    m = _EXCEPTION.search(text, end, end + 80)
    if m is None or _TREATED.search(text, end, m.start()) or _STABLE.search(text, end, m.start()):
        return None
    after = text[m.end() : m.end() + 160]
    if _UNTREATED.search(after):
        return None
    treated, more = _TREATED.search(after), _STABLE.search(after)
    if more and not treated and more.group(0).lower() == "asymptomatic":
        return "symptomatic"  # "except for asymptomatic brain metastases": treated or not
    if more:
        return "active"
    return "untreated" if treated else None


def allowed_status(atoms: Iterable[Atom], exclusion: bool) -> str:
    """In an exclusion, a brain-metastases reading whose status is "treated_stable" ("" if none): the words are what
    the trial allows ("patients with stable brain metastases are eligible", "controlled and asymptomatic CNS
    metastases are acceptable", "Exception: adequately treated brain metastases ..."), read as what it excludes. 26
    corpus criteria hold one; trials exclude the others, so such a line never excludes (`coverage.unread_clause`);
    once the notes reader read treated and stable brain metastases (verdicts42) they failed those patients."""
    if not exclusion:
        return ""
    for a in atoms:
        if (
            a.kind == "brain_metastases"
            and not a.negated
            and (a.attributes or {}).get("status") == "treated_stable"
        ):
            return "treated and stable brain metastases, read as excluded"
    return ""
