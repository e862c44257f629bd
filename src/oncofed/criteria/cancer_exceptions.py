"""The scope of the cancers a line names: those it excepts, and a solid tumour of any organ it also takes.

Excepted cancers ("a select solid tumor (except breast cancer, liposarcoma, CRPC, melanoma and teratoma)",
"papillary thyroid cancer (excludes follicular, medullary and anaplastic thyroid cancer)", "any cancer other
than breast cancer"): on a line that is no other-malignancy line (`extract_clinical._PRIOR_MALIG` reads those,
with their exceptions), a cancer named after "except / other than / excluding / excludes / with the exception
of" is no cancer the line takes. It was read as one, so the line took exactly the cancers it excludes (a
melanoma met it, every other solid tumour was "another organ"). Such a cancer is dropped: the line then
reads the cancers named before the exception, or none (no organ question: never an exclusion).

A solid tumour of any organ beside the named cancers ("advanced solid tumors and lymphomas", "solid tumor
malignancies or lymphoma", "advanced solid cancer, regardless of the cancer type, or NHL", "in the phase I
patients with any solid tumor ...; for the phase II, breast cancer"): the line's named cancers are not the only
way to meet it (`atoms.cancer_type`: unknown for a solid tumour of another organ). Extends the `or_solid`
reading of `extract_clinical` (a solid tumour after a named cancer, or "solid tumour or <cancer>").
"""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.domain.criteria import Criterion

_EXCEPTION = re.compile(
    r"\b(?:except(?:\s+for)?|other\s+than|excluding|excludes|with\s+the\s+exception\s+of|apart\s+from)\b",
    re.I,
)


# an exception naming a cohort, not a cancer ("except (for) cohort H (NSCLC), ...")
_COHORT_EXCEPTED = re.compile(
    r"\s*(?:for\s+)?(?:the\s+)?(?:expansion\s+)?(?:cohorts?|parts?|arms?|groups?|phases?|modules?)\b", re.I
)


def _scope_end(text: str, start: int) -> int:
    """Where an exception opened at `start` ends: its parenthesis' close, else the clause's ';' or the end."""
    cohort = _COHORT_EXCEPTED.match(text, _EXCEPTION.match(text, start).end())  # type: ignore[union-attr]
    if cohort:  # "for all cohorts except Expansion Cohort 7, the disease is NSCLC": a cohort, to the comma
        comma = text.find(",", cohort.end())
        return comma if comma >= 0 else len(text)
    depth = text.count("(", 0, start) - text.count(")", 0, start)
    if depth > 0:
        level = 0
        for k in range(start, len(text)):
            level += {"(": 1, ")": -1}.get(text[k], 0)
            if level < 0:
                return k
    end = text.find(";", start)
    return end if end >= 0 else len(text)


# an exception for a population ("except for patients with ovarian cancer"): its cancer says whom the line
# spares, read as it was (a scope, not a cancer the line excepts)
_POPULATION = re.compile(
    r"\s*(?:for\s+|in\s+)?(?:the\s+)?(?:patients|participants|subjects|those|women|men|people|individuals)\b",
    re.I,
)


def excepted_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the line's exceptions ("(except breast cancer, melanoma)"): no cancer the line takes."""
    return [
        (m.end(), _scope_end(text, m.start()))
        for m in _EXCEPTION.finditer(text)
        if not _POPULATION.match(text, m.end())
    ]


def excepted_cancers_dropped(criteria: list[Criterion]) -> list[Criterion]:
    """The criteria without the positive cancer-type atoms of their statement that a line excepts (see module
    doc). Negated ones ("solid tumours, excluding glioblastoma": ConText read the exception) and conditions
    ("other malignancies, with the exception of basal cell carcinoma": unless it is one) are kept."""
    out = []
    for c in criteria:
        scopes = excepted_spans(c.text) if c.atoms else []
        drop = {
            id(a)
            for a in c.atoms
            if scopes
            and a.kind == "cancer_type"
            and not a.negated
            and a.span
            and any(s <= a.span[0] < e for s, e in scopes)
        }
        out.append(replace(c, atoms=tuple(a for a in c.atoms if id(a) not in drop)) if drop else c)
    return out


# "solid tumors and lymphomas", "solid tumor malignancies or lymphoma", "solid cancer, regardless of the
# cancer type, or NHL", "solid tumours (any histology) or lymphoma": the solid tumour coordinated with a cancer
_COORDINATED_AFTER = re.compile(
    r"(?:\s+(?:malignanc\w+|types?))?(?:\s*\([^()]{0,60}\))?(?:\s*,[^,;()]{0,50},)?\s*,?\s*(?:and/or|or|and)\s",
    re.I,
)
_ANY_BEFORE = re.compile(r"\b(?:any|all)\s+(?:\w+\s+){0,2}$", re.I)


def takes_any_solid(text: str, solid: re.Match[str]) -> bool:
    """Whether a solid-tumour phrase (`solid`) is an alternative of the line's named cancers beyond the
    `extract_clinical` rule: coordinated with the next cancer, or "any solid tumour"."""
    if _COORDINATED_AFTER.match(text, solid.end()):
        return True
    return bool(_ANY_BEFORE.search(text[max(0, solid.start() - 30) : solid.start()]))
