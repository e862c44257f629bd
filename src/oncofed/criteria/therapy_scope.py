"""The scope of a therapy: the disease, setting or stage a prior therapy was given for.

"Has received no prior systemic therapy for Stage IIIb or Stage IV metastatic NSCLC", "without prior
exposure to taxane in the advanced stage setting", "No prior chemotherapy for stage IV disease", "Prior
taxanes for advanced or metastatic breast cancer" (an exclusion): the words after "for / in / during" say
WHICH courses the line counts, never that the patient must not be stage IV, metastatic or have the cancer
(negated by the line's "no", they would exclude every patient of the trial's own population).

`therapy_scopes` (after `logic.therapy_settings`, which reads a setting atom written right after the
therapy) takes the scope phrase that follows a therapy atom up to the end of its clause: its stage and
setting atoms become the therapy's `attributes["setting"]` (stage IV: metastatic; stage III: locally
advanced; "advanced stage setting": advanced), its cancer and histology atoms the therapy's negation reached
the therapy's target, no negated requirement of their own (an inclusion's "prior chemotherapy for metastatic
breast cancer" still asks for the breast cancer), and setting
words no atom read ("in the advanced stage setting") still name the setting. The matcher then counts only
the courses of that setting (`matching.atoms.in_setting`): an adjuvant taxane does not violate "no taxane
in the advanced setting", a course whose setting the record does not state leaves it unknown.
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

_THERAPY_KINDS = {"prior_therapy", "prior_lines", "treatment_naive"}
_SCOPE_KINDS = {"stage", "disease_setting", "tnm"}
_TARGET_KINDS = {"cancer_type", "histology"}
# what joins a therapy to its scope: "taxanes for", "chemotherapy regimens given in the", "therapy during"
_JOIN = compile_i(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:(?:regimens?|therap(?:y|ies)|treatments?|agents?|drugs?|lines?|"
    r"chemotherapy|exposure)\s+)?(?:(?:given|administered|received|used|prior)\s+)?"
    r"(?:for|in|during|at)\s+(?:the\s+|an?\s+|their\s+|his\s+|her\s+)?"
)
# where the scope ends: the end of the clause, another statement
_SCOPE_END = compile_i(
    r"[;.:]|,\s*(?:and|but|or)\b|\band\s+(?:has|have|had|must|should|is|are|no|not|with|who|ecog|be)\b|\bbut\b"
    r"|\bexcept\b|\bunless\b|\bwho\b|\bwhich\b|\bwith(?:in)?\b|\bprior\s+to\b|\bbefore\b|\bafter\b|\bsince\b"
)
# setting words the scope may hold without a setting atom ("in the advanced stage setting")
_LIST_GAP = compile_i(r"\bor\b|\band\b|,|/")
_SETTING_WORDS = (
    ("locally_advanced", compile_i(r"\blocally[\s-]+advanced\b|\bstage\s+(?:iii|3)[abc]?\b")),
    ("metastatic", compile_i(r"\bmetasta\w*|\bstage\s+(?:iv|4)\b")),
    ("advanced", compile_i(r"\badvanced\b")),
    ("recurrent", compile_i(r"\brecurren\w*|\brelapsed\b")),
    ("unresectable", compile_i(r"\bunresectable\b|\binoperable\b")),
    ("adjuvant", compile_i(r"(?<!neo)(?<!neo-)\badjuvant\b")),
    ("neoadjuvant", compile_i(r"\bneo-?adjuvant\b")),
)
_SCOPE_WORD = compile_i(
    r"\b(?:setting|disease|stage|phase|cancer|carcinoma|tumou?rs?|nsclc|sclc|crc|mbc|malignanc\w+|metasta\w*|"
    r"advanced|recurren\w*|relapsed|unresectable|adjuvant|neoadjuvant)\b"
)


def _mentions(a: Atom) -> list[tuple[int, int]]:
    spans = [a.span] if a.span else []
    return spans + [(int(s[0]), int(s[1])) for s in (a.attributes.get("also_spans", ()) or ())]


def _scope(text: str, end: int) -> tuple[int, int] | None:
    """The span of the scope phrase after a therapy ending at `end` (None: no scope follows)."""
    join = _JOIN.match(text, end)
    if join is None:
        return None
    stop = _SCOPE_END.search(text, join.end())
    until = stop.start() if stop else len(text)
    if until - join.end() > 90 or not _SCOPE_WORD.search(text, join.end(), until):
        return None
    return join.end(), until


def _settings_in(text: str, start: int, end: int, scoped: list[Atom]) -> list[str]:
    codes = [str(a.code) for a in scoped if a.kind == "disease_setting" and a.code]
    for a in scoped:
        if a.kind == "stage":
            values = [str(v).upper() for v in (a.value if isinstance(a.value, (list, tuple)) else [a.value])]
            codes += ["metastatic" if v.startswith("IV") else "locally_advanced" for v in values if v]
    phrase = text[start:end]
    codes += [code for code, words in _SETTING_WORDS if words.search(phrase)]
    if len(set(codes) - {"advanced"}) > 0:  # "locally advanced or metastatic": the words say more
        codes = [c for c in codes if c != "advanced"]
    return list(dict.fromkeys(codes))


UNNAMED = "a therapy the vocabulary does not name, for a setting"
# "No prior systemic cytotoxic or targeted treatment for locally advanced or metastatic breast cancer": a
# therapy word no atom names, then its scope
_UNNAMED = compile_i(
    r"\b(?:therap(?:y|ies)|treatments?|chemotherap(?:y|ies)|regimens?)\s+(?:(?:given|received|administered)\s+)?"
    r"(?:for|in|during)\s+(?:the\s+|an?\s+|their\s+)?"
)


def unnamed_therapy_scopes(atoms: list[Atom], text: str) -> list[Atom]:
    """The negated setting / stage / cancer atoms in the scope of a therapy no atom names are no negated
    requirement of the patient: dropped, the therapy left to the investigator (`non_evaluable`)."""
    if not any(a.negated and a.kind in _SCOPE_KINDS | _TARGET_KINDS for a in atoms):
        return atoms
    named = [s for a in atoms if a.kind in _THERAPY_KINDS for s in _mentions(a)]
    out, extra = list(atoms), []
    for m in _UNNAMED.finditer(text):
        if any(m.start() - 60 <= e <= m.end() for _s, e in named):
            continue  # a therapy atom reads it (therapy_scopes)
        stop = _SCOPE_END.search(text, m.end())
        end = stop.start() if stop else len(text)
        inside = [a for a in out if a.span and m.end() <= a.span[0] < end and a.negated
                  and a.kind in _SCOPE_KINDS | _TARGET_KINDS]  # fmt: skip
        if not inside:
            continue
        out = [a for a in out if a not in inside]
        begin = text.rfind(" ", 0, max(0, m.start() - 1)) + 1
        extra.append(Atom("non_evaluable", "present", code="unread_statement", span=(begin, end),
                          text=text[begin:end].strip(), attributes={"why": UNNAMED}))  # fmt: skip
    return out + extra if extra else atoms


def therapy_scopes(atoms: list[Atom], text: str) -> list[Atom]:
    therapies = [a for a in atoms if a.kind in _THERAPY_KINDS and a.span and a.kind != "treatment_naive"]
    if not therapies:
        return unnamed_therapy_scopes(atoms, text)
    dropped: set[int] = set()
    settings: dict[int, list[str]] = {}
    targets: dict[int, list[Atom]] = {}
    for t in therapies:
        ends = [int(s[1]) for s in _mentions(t)]
        span = next((s for s in (_scope(text, e) for e in sorted(ends)) if s is not None), None)
        if span is None:
            continue
        start, end = span
        inside = [a for a in atoms if a.span and start <= a.span[0] < end and a is not t]
        scoped = [a for a in inside if a.kind in _SCOPE_KINDS]
        named = [a for a in inside if a.kind in _TARGET_KINDS and a.negated and t.negated]
        codes = _settings_in(text, start, end, scoped)
        if not codes and not named:
            continue
        dropped |= {id(a) for a in scoped + named}
        settings[id(t)] = codes
        targets[id(t)] = named
    if not settings:
        return atoms
    for t in therapies:  # "chemotherapy or other targeted therapy for stage IV": the list shares its scope
        if id(t) in settings or not t.span:
            continue
        later = []
        for u in therapies:
            starts = [int(s[0]) for s in _mentions(u) if int(s[0]) >= t.span[1]]
            if id(u) in settings and starts:
                later.append((min(starts), u))
        for start, u in sorted(later, key=lambda x: x[0]):
            gap = text[t.span[1] : start]
            if len(gap) <= 60 and _LIST_GAP.search(gap) and not _SCOPE_END.search(gap):
                settings[id(t)], targets[id(t)] = settings[id(u)], []
            break
    for n in atoms:  # "no prior systemic therapy for ...": the naive reading shares its therapy's scope
        if n.kind == "treatment_naive" and n.span:
            near = [t for t in therapies if id(t) in settings and t.span and t.span[0] < n.span[1] + 2
                    and n.span[0] < t.span[1] + 2]  # fmt: skip
            if near:
                settings[id(n)], targets[id(n)] = settings[id(near[0])], []
    out = []
    for a in atoms:
        if id(a) in dropped:
            continue
        if id(a) in settings:
            attrs = dict(a.attributes)
            have = [str(x) for x in attrs.get("setting", ()) or ()]
            codes = list(dict.fromkeys([*have, *settings[id(a)]]))
            if codes:
                attrs["setting"] = codes
            if targets[id(a)]:
                attrs["target"] = [*attrs.get("target", ()), *(
                    {"kind": x.kind, "code": x.code, "operator": x.operator, "value": x.value} for x in targets[id(a)]
                )]  # fmt: skip
            a = replace(a, attributes=attrs)
        out.append(a)
    return out
