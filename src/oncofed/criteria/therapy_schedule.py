"""A schedule or a route that narrows a drug: "prior weekly paclitaxel", "dose-dense doxorubicin",
"metronomic cyclophosphamide", "paclitaxel given weekly", "intrathecal methotrexate", "oral vinorelbine".

The words say WHICH courses of the drug count: a course of paclitaxel every 3 weeks is not "weekly
paclitaxel", and a course whose schedule the record does not state cannot tell. Read as the drug alone,
every paclitaxel course violates the line.

`therapy_schedules` (run on one criterion's atoms, before `conditions.therapy_qualifiers`) gives a named drug
the schedule or route written right before it (or right after it: "given weekly", "(weekly)", "every
week", "q1w") as `attributes["qualifier"]`: the matcher then asks the course for it (its code, site,
qualifier or `schedule` / `route` attributes), says no for a course recorded with another one, and
unknown for a course recorded without one (`matching.atoms.prior_therapy`). The formulations the drug
vocabulary names as drugs of their own ("nab-paclitaxel", "liposomal doxorubicin") are its codes, not
qualifiers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# the schedule or route, by the word the matcher asks a course for
_WORDS = (
    ("weekly", r"(?:once[\s-]+)?weekly|every[\s-]+week|q\.?\s?1?w(?:k|eek)?|each[\s-]+week|hebdomadaire"),
    ("biweekly", r"bi-?weekly|every[\s-]+(?:2|two|other)[\s-]+weeks?|q\.?\s?2w(?:k|eeks?)?"),
    ("dose-dense", r"dose[\s-]+dense"),
    ("metronomic", r"metronomic|métronomique"),
    ("low-dose", r"low[\s-]+dose"),
    ("intrathecal", r"intrathecal|intra-?thécal"),
    ("intravesical", r"intravesical"),
    ("intraperitoneal", r"intraperitoneal|hipec"),
    ("intra-arterial", r"intra-?arterial|hepatic[\s-]+arterial[\s-]+infusion"),
    ("oral", r"oral|orally|per[\s-]+os|p\.?o\.?"),
)
_SCHEDULE_WORDS = {"weekly", "biweekly", "dose-dense", "metronomic"}
_ANY = "|".join(f"(?P<w{i}>{p})" for i, (_q, p) in enumerate(_WORDS))
_BEFORE = compile_i(rf"(?:^|[\s(,;:/-])(?:{_ANY})[\s-]+(?:(?:single[\s-]+agent|[\w-]+[\s-]+dose)\s+)?$")
# after the drug: a schedule ("paclitaxel (weekly)", "paclitaxel every week"), a route only when said of the
# course ("given orally"): "capecitabine (oral fluoropyrimidine)" names the drug's class, not a narrower course
_SCHEDULES = "|".join(f"(?P<s{i}>{p})" for i, (q, p) in enumerate(_WORDS) if q in _SCHEDULE_WORDS)
_AFTER = compile_i(
    rf"^\s*(?:\(\s*|,\s*)?(?:(?:(?:given|administered|dosed|delivered|used)\s+(?:{_ANY}))|(?:{_SCHEDULES}))(?=[\s),;.]|$)"
)
_KINDS = {"prior_therapy"}


def _which(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    found = {k for k, v in m.groupdict().items() if v}
    for i, (word, _p) in enumerate(_WORDS):
        if {f"w{i}", f"s{i}"} & found:
            return word
    return None


def therapy_schedules(atoms: list[Atom], text: str) -> list[Atom]:
    if not any(a.kind in _KINDS and a.attributes.get("classes") is not None for a in atoms):
        return atoms
    out = []
    for a in atoms:
        # a named drug (its classes given), not a class or "chemotherapy": "weekly chemotherapy" is left to
        # the qualifiers of conditions.therapy_qualifiers
        named = (
            a.kind in _KINDS
            and a.attributes.get("classes") is not None
            and not a.attributes.get("medication")
        )
        if named and a.span and not a.attributes.get("qualifier"):
            s, e = a.span
            word = _which(_BEFORE.search(text[max(0, s - 40) : s])) or _which(_AFTER.match(text[e : e + 40]))
            if word:
                a = replace(a, attributes={**a.attributes, "qualifier": word})
        out.append(a)
    return out
