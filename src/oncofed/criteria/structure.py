"""The structure of a trial's criteria list: headings, fragments, cohorts, "one of the following".

Run on a parsed trial (all its criteria, reading order), after each criterion's atoms are known:

1. **Headings and fragments are not criteria.** A lead-in line ending with ":" ("Hematologic:",
   "Adequate organ function as follows:"), a sub-header ("Part 1: Dose Escalation Cohort Specific
   inclusion criteria:"), a bare fragment (":" , "Key :", "Note: This") is dropped; what it says is
   carried by the lines under it.
2. **Cohorts, parts, arms, groups are alternatives.** A heading naming a cohort ("Cohort A", "Part B",
   "Expansion Cohort 3", "Group 1:", "For Colorectal (CRC):", "HER2-Expressing Gastric Cancer-Specific
   inclusion criteria", "For participants who have somatic BRCAm breast cancer:") gives its label to
   the lines under it until the next cohort heading or a heading for every cohort ("For all
   participants:"); an inline prefix ("Group 1: TNBC who ...") labels its own line. Nested labels are
   joined with " — " ("Part B — TNBC"): a line labelled "Part B" applies to every "Part B — ..." cohort.
   A population heading that itself carries atoms ("For TNBC:", "HER2-POSITIVE:") stays as a criterion
   of its cohort (it is the cohort's requirement).
3. **"One of the following"** (inclusion): the options under such a lead-in (nested lines, or a run of
   lines with an upper-case label such as "HER2-POSITIVE: ...") are alternatives: each becomes a
   sub-cohort of the current cohort.
4. **Exclusions that name the trial's own disease are qualified**: "Bilateral breast cancer", "rare
   histological type", "history of breast cancer" in a breast cancer trial cannot mean the disease
   itself; such `cancer_type` / `disease_setting` atoms get `attributes["qualified"]` and the evaluator
   answers unknown (to check) instead of "applies".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria import vocab
from oncofed.criteria.caseless import compile_i
from oncofed.criteria.definitions import conditional_definitions
from oncofed.criteria.logic import or_groups
from oncofed.criteria.therapy_absence import absent_therapy_exclusions
from oncofed.criteria.therapy_context import therapy_context
from oncofed.criteria.washout import washout_in_inclusions
from oncofed.domain.criteria import Atom, Criterion, Section

JOIN = " — "
# cohort words by rank: a part of the study (1) holds cohorts / arms / groups (2), which hold
# populations (3, headings naming a cancer or a marker): a heading replaces its rank and those below
_PART_WORD = compile_i(
    r"\b(?:parts?|sub-?stud(?:y|ies)|modules?|(?:dose[\s-]+)?(?:expansion|escalation|extension)|"
    r"phase\s+(?:[0-9]+[ab]?|i{1,3}v?[ab]?)\b)"
)
_GROUP_WORD = compile_i(r"\b(?:cohorts?|arms?|groups?|baskets?|strat(?:um|a))\b")
_COHORT_WORD = compile_i(
    r"\b(?:cohorts?|parts?|arms?|groups?|baskets?|strat(?:um|a)|sub-?stud(?:y|ies)|modules?|"
    r"(?:dose[\s-]+)?(?:expansion|escalation|extension)|phase\s+(?:[0-9]+[ab]?|i{1,3}v?[ab]?)\b)"
)
_ALL = compile_i(
    r"\(?\s*(?:for\s+)?(?:all|every|each|both)\s+(?:cohorts?|parts?|arms?|groups?|phases?)\s*\)?"
)
_FOR_ALL = compile_i(
    r"^\W*(?:for\s+)?(?:all|every|each|both)\s+(?:participants?|patients?|subjects?|cohorts?|parts?|arms?|groups?)\b"
)
_SECTION_TAIL = compile_i(
    r"^(?P<q>.*?)(?:[\s-]*specific)?\s*\b(?:inclusion|exclusion|eligibility)\s+criteri(?:a|on)\b\s*:?\s*$"
)
# qualifiers of a section header that name no cohort: sequential steps of one study are all required
_PLAIN = compile_i(
    r"^(?:(?:key|main|general|additional|other|further|common|all|study|specific|"
    r"procurement|treatment|registration|pre-?registration|randomi[sz]ation|enrol+ment|screening|step|"
    r"infusion|re-?treatment|apheresis|leukapheresis|lymphodepletion|surgery|biopsy|"
    r"[-:*•#(),.\d]+)\s*)*$"
)
_INLINE = compile_i(
    r"^\W*(?P<label>(?:(?:dose[\s-]+)?(?:expansion|escalation|extension)\s+)?"
    r"(?:cohort|part|arm|group|stratum|module)s?\s*[\w.]{1,6}(?:\s*(?:,|&|/|\band\b|\bor\b)\s*[\w.]{1,6}(?=\s*(?:,|&|/|and|or|:|-|–|\()))*"
    # "Module 2 Part B1", "Module 5 All": the part of a module, or all of it (a label naming its kind,
    # "Cohort 3 dose escalation:", is left to the scope guard of criteria/coverage.py)
    r"(?:\s+part\s+[\w.]{1,6})?(?:\s+all\b)?"
    r"(?:\s*\([^)]{0,40}\))?"
    r"|phase\s+(?:[0-9]+[ab]?|i{1,3}v?[ab]?)\s+part"
    r"|for\s+(?:the\s+)?(?:dose[\s-]+)?(?:expansion|escalation|extension)\s+(?:phase|part|cohort)s?)"
    r"\s*[:\-–]\s*(?=\S)"
)
_INLINE_SUFFIX = compile_i(r"\((?P<label>(?:cohort|arm|group|stratum)\s+[\w.-]{1,4})\)")
# "For patients in cohort H: subjects with ...": an inline label led by whom it is for
_INLINE_FOR = compile_i(
    r"^\W*for\s+(?:the\s+)?(?:patients?|participants?|subjects?)\s+(?:in|of|from|enrolled\s+in|assigned\s+to)\s+"
    r"(?:the\s+)?(?P<label>(?:cohort|part|arm|group|stratum|module)s?\s*[\w.]{1,6})(?:\s*\([^)]{0,40}\))?\s*[:\-–]\s*(?=\S)"
)
# "In Part 1, advanced solid tumour ...", "In Part 2 and Phase 2, postmenopausal women ...", "In cohort B, prior
# ...": a line that opens by naming where it applies (the first cohort it names labels it)
_INLINE_IN = compile_i(
    r"^\W*in\s+(?:the\s+)?(?P<label>(?:(?:dose[\s-]+)?(?:expansion|escalation)\s+)?"
    r"(?:cohort|part|arm|group|stratum|module|phase)s?\s*[\w.]{1,6})"
    r"(?:\s*(?:,|&|/|\band\b|\bor\b)\s*(?:(?:cohort|part|arm|group|stratum|module|phase)s?\s*)?[\w.]{1,6})*"
    r"\s*,\s*(?=\S)"
)
_FOR_LEAD = compile_i(r"^\W*for\b")
_SUFFIX_END = compile_i(r"\((?:cohort|arm|group|stratum)\s+[\w.-]{1,4}\)\W*$")
_POPULATION_LEAD = compile_i(
    r"^\W*(?:for\s+(?:the\s+)?(?:patients?|participants?|subjects?|those)?\s*(?:with|who\s+have|who\s+are|in)?\b|"
    r"(?:patients?|participants?|subjects?)\s+with\b)"
)
_FOLLOWING = compile_i(r"\bthe\s+following\b|\bas\s+follows\b|\bbelow\b")
_ONE_OF = compile_i(
    r"\b(?:(?:one|any|either)\s+of\s+the\s+following|at\s+least\s+one\s+of|of\s+the\s+following\s+"
    r"(?:sub-?types?|types?|histolog\w+|categories|groups|cohorts|diseases|tumou?r\s+types?))\b"
)
# "any one of the following four conditions:", "either of the following:": how many options the lead-in
# announces; flat (not nested) lines under it are its options only when it says how many (verdicts33)
_OPTION_COUNT = compile_i(
    r"\b(?:(?:any\s+)?one|any)\s+of\s+the\s+following\s+(?P<n>two|three|four|five|six|[2-6])\b|\beither\s+of\s+the\s+following\b"
)
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _option_count(text: str) -> int:
    """The number of options a "one of the following N" lead-in announces (0: not said)."""
    m = _OPTION_COUNT.search(text)
    if m is None:
        return 0
    n = m.group("n")
    return 2 if n is None else _COUNT_WORDS.get(n.lower()) or int(n)


_FOR_WHOM = compile_i(
    r"^\W*for\s+(?:the\s+)?(?:patients?|participants?|subjects?|those)\s+(?:with|who|whose|in)\b"
)
_CAPS_LABEL = re.compile(r"^\W*(?P<label>[A-Z0-9][A-Z0-9 +/&-]{2,40}[A-Z0-9+])\s*[:(]")
_WORD = re.compile(r"[A-Za-z]{3,}")
_VERB = compile_i(r"\b(?:must|should|have|has|had|be|is|are|was|were|with|without|who|received|receive)\b")
_QUALIFIER = compile_i(
    r"\b(?:bilateral|sequential|synchronous|metachronous|contralateral|inflammatory|occult|rare|"
    r"other\s+than|history\s+of|prior|previous|another|second|secondary|concurrent|recurrent|"
    r"non-?operable|inoperable|male|histolog\w+\s+type)\b"
)
_POPULATION_KINDS = {"cancer_type", "biomarker", "disease_setting", "stage"}
_DISEASE_KINDS = {"cancer_type", "disease_setting", "stage"}
_NOTE = compile_i(r"^\W*(?:note|notes|nb|n\.b\.|please\s+note|comment|remark)\s*[:.\-–]\s*\S")
_OR_LEAD = re.compile(r"^\W*(?:OR|Or|or)\b\s+(?=\S)")
_OR_TRAIL = re.compile(r"[\s,;]\s*(?:OR|Or|or|and/or)\s*$")
_MUST_NOT = compile_i(
    r"\b(?:must|should|may|can|shall|will)\s*(?:not|n't)\b|\bcannot\b|\b(?:is|are)\s+not\s+(?:allowed|permitted)\s+to\b"
)


def _rank(label: str) -> int:
    if _GROUP_WORD.search(label):
        return 2
    return 1 if _PART_WORD.search(label) else 3


def _bare(text: str) -> str:
    return text.strip().strip("*•-–").strip()


def _label(text: str) -> str:
    out = _ALL.sub("", re.sub(r"(?i)^\W*for\s+(?:the\s+)?", "", _bare(text))).rstrip(" :.-–")
    out = re.sub(r"(?i)[\s-]*specific$", "", out)
    return re.sub(r"\s+", " ", out).strip() or _bare(text)


def _is_fragment(text: str) -> bool:
    bare = _bare(text)
    words = _WORD.findall(bare)
    return (
        not words
        or (
            len(words) <= 2
            and bare.rstrip().endswith(":")
            and len(bare) < 16
            and not _COHORT_WORD.search(bare)
        )
        or bool(re.fullmatch(r"(?i)\W*(?:key|note|notes|and|or)\W*(?:\w{1,5})?\W*", bare))
    )


def _stated(c: Criterion) -> bool:
    """A line of symbols and acronyms alone that states something read ("ER+", "HR+ HER2-", "PS 0-1"):
    no heading (it does not end with ":"), it is a criterion."""
    return bool(c.atoms) and not _bare(c.text).endswith(":")


def _heading(c: Criterion, parts: bool = True) -> tuple[str, str | None, int] | None:
    """(kind, label, rank) when the criterion is a heading, else None; kind is "cohort", "all",
    "leadin", "one_of" or "plain"; `parts`: whether "<part>: <population>" lines head parts."""
    bare = _bare(c.text)
    if _INLINE_SUFFIX.search(bare) and not _SECTION_TAIL.match(bare):
        if _FOR_LEAD.match(bare) and (bare.endswith(":") or _SUFFIX_END.search(bare)):
            # "For patients with urothelial cancer (cohort J):", "For HPV-associated cancer (cohort K),
            # TMB-high solid tumors (cohort M):": a heading of the cohorts it names
            return ("cohort", _suffix_label(bare), 2)
        return None  # "or Non clear-cell renal carcinoma (cohort O):" is one cohort's line
    m = _SECTION_TAIL.match(bare)
    if m:
        qualifier = m.group("q").strip(" :-–,")
        if not qualifier or _PLAIN.match(qualifier):
            return ("plain", None, 0)
        label = _label(qualifier)
        return ("cohort", label, min(_rank(label), 2))
    colon = bare.endswith(":")
    if colon and (len(bare) <= 120 or (len(bare) <= 300 and _FOR_WHOM.search(bare))):
        if _FOR_ALL.search(bare) or len(_COHORT_WORD.findall(bare)) >= 2 and re.search(r",|\band\b", bare):
            return ("all", None, 0)  # "dose escalation, expansion, and extension:" heads every part
        if _ONE_OF.search(bare):
            return ("one_of", None, 0)
        if _FOLLOWING.search(bare):
            return ("leadin", None, 0)
        populational = any(a.kind in _POPULATION_KINDS for a in c.atoms) and all(
            a.kind in _POPULATION_KINDS for a in c.atoms
        )
        if _COHORT_WORD.search(bare) or populational or _FOR_WHOM.search(bare):
            label = _label(bare)
            return ("cohort", label, _rank(label) if _COHORT_WORD.search(bare) else 3)
        return ("leadin", None, 0)
    # "For Part A", "Dose expansion Cohort - TNBC": a short cohort line without verb or colon; "Phase 2
    # expansion: NSCLC", "Phase 2 expansion: Relapsed or refractory DLBCL": a part and its population
    if (
        len(bare)
        <= (90 if ":" in bare else 60)  # "Phase 2 expansion: Transitional cell carcinoma of the GU tract"
        and _COHORT_WORD.search(bare)
        and not _VERB.search(bare)
        and (
            (not c.atoms and len(bare) <= 60)
            or (
                parts
                and ":" in bare
                and not _INLINE.match(c.text)
                and all(a.kind in _POPULATION_KINDS for a in c.atoms)
                and any(a.kind == "cancer_type" for a in c.atoms)
            )
        )
    ):
        label = _label(bare)
        return ("cohort", label, _rank(label))
    return None


# "Melanoma immune checkpoint-naïve: Subjects must not have received ...", "NSCLC first line: Stage IV ...":
# a short lead naming a population, then what is asked of it
_POPULATION_INLINE = re.compile(r"^\W*(?P<label>[^:;.()\[\]]{3,45}?)\s*:\s+(?=\S)")


_PLURAL_GROUP = compile_i(r"\b(?:cohorts|arms|groups|baskets|strata)\b")
_TOPIC = compile_i(
    r"\b(?:diagnos\w*|history|histolog\w*|patholog\w*|confirm\w*|types?|status|stag\w*|characteristics|criteria|"
    r"requirements?|therap\w*|treatments?|prior|previous|specific|definition|documentation)\b"
)


def _population_label(c: Criterion) -> re.Match[str] | None:
    """The inline label of a line led by a population ("Relapsed melanoma: Subjects must have ...",
    "NSCLC post platinum doublet: ..."): a cancer type and no verb before the colon; inclusion lines only."""
    if c.section is not Section.INCLUSION or ":" not in c.text[:50]:
        return None
    m = _POPULATION_INLINE.match(c.text)
    if m is None or _VERB.search(m.group("label")):
        return None
    if _COHORT_WORD.search(m.group("label")):
        # "Secondary expansion cohorts: mCRC, mCRPC, melanoma, ...": cohorts named by their diseases are
        # one more alternative, not a requirement of the part's other cohorts
        plural = _PLURAL_GROUP.search(m.group("label"))
        return m if plural and len(vocab.find_cancer_types(c.text[m.end() :])) >= 2 else None
    if _TOPIC.search(m.group("label")):
        return (
            None  # "Breast cancer diagnosis: ...", "Prior therapy for breast cancer:": a topic, no population
        )
    # the label's own words (a lead "X:" keeps no atom of its own: criteria/parser.topic_heading_dropped)
    return m if vocab.find_cancer_types(m.group("label")) else None


def _suffix_label(text: str) -> str:
    """The cohorts a line names in parentheses, as one label ("cohort K, M, N"; see `_resolve`)."""
    labels = [_label(m.group("label")) for m in _INLINE_SUFFIX.finditer(text)]
    word = labels[0].split()[0]
    if len(labels) > 1 and all(x.split()[0].lower() == word.lower() for x in labels):
        return f"{word} " + ", ".join(x.split(None, 1)[1] for x in labels)
    return ", ".join(labels)


def _key(label: str) -> str:
    x = re.sub(r"^\W*for\s+(?:the\s+)?", "", label.strip().lower())
    x = re.sub(r"\b(cohort|arm|part|group|stratum|module|basket)s\b", r"\1", x)
    return re.sub(r"\s+", " ", re.sub(r"\s*(?:,|&|/|\band\b|\bor\b)\s*", ",", x)).strip(" :.-–,")


def _members(key: str) -> list[str]:
    m = re.match(
        r"^(?P<head>.*\b(?:cohort|arm|part|group|stratum|module|basket))\s*(?P<ids>[\w.]+(?:,[\w.]+)+)$", key
    )
    return [f"{m.group('head')} {x}" for x in m.group("ids").split(",")] if m else [key]


def _population_codes(c: Criterion) -> set[str] | None:
    if c.section is not Section.INCLUSION or c.condition or c.index < 0:
        return None
    cancers = [
        a for a in c.atoms if a.kind == "cancer_type" and not a.negated and not a.attributes.get("qualified")
    ]
    return {code for a in cancers for code in _codes(a)} or None


def _population_alternatives(out: list[Criterion]) -> list[Criterion]:
    """Consecutive inclusion lines of one cohort that each ask for a different cancer ("Patients with
    HER2-negative breast cancer ...", "Patients with soft tissue sarcoma ...") cannot all hold: they are
    alternatives, each a population of that cohort (a line naming related cancers stays a requirement)."""
    result = list(out)
    k = 0
    while k < len(result):
        codes = _population_codes(result[k])
        run = [k]
        seen = [codes] if codes else []
        j = k + 1
        while codes and j < len(result) and result[j].cohort == result[k].cohort:
            nxt = _population_codes(result[j])
            if not nxt or any(_related(x, prev) for prev in seen for x in nxt):
                break
            seen.append(nxt)
            run.append(j)
            j += 1
        if len(run) > 1:
            for i in run:
                c = result[i]
                name = next(a.text for a in c.atoms if a.kind == "cancer_type" and not a.negated)
                result[i] = replace(c, cohort=_join(c.cohort, name or f"population {i}"))
        k = j if len(run) > 1 else k + 1
    return result


def _resolve(out: list[Criterion]) -> list[Criterion]:
    """A bare cohort label ("cohort J", from a later "For ... (cohort J):" heading) that names a cohort
    listed under an outer heading ("Phase II — cohort J") gets that outer heading, so both are one
    cohort, not a new one without the list's requirement."""
    outers: dict[str, set[str]] = {}
    for c in out:
        if c.cohort and JOIN in c.cohort:
            outer, last = c.cohort.rsplit(JOIN, 1)
            outers.setdefault(_key(last), set()).add(outer)
    if not outers:
        return out
    resolved = []
    for c in out:
        if c.cohort and JOIN not in c.cohort:
            found = [outers.get(m, set()) for m in _members(_key(c.cohort))]
            heads = set().union(*found)
            if all(len(f) == 1 for f in found) and len(heads) == 1:
                c = replace(c, cohort=_join(heads.pop(), c.cohort))
        resolved.append(c)
    return resolved


def organise(
    criteria: Sequence[Criterion],
    hints: Sequence[str | None] | None = None,
    continued: Sequence[bool] | None = None,
    parts: bool = True,
) -> list[Criterion]:
    """The criteria with headings and fragments removed, cohorts labelled, section rules applied and
    own-disease exclusions qualified (see the module docstring). `hints[k]`: the cohort named by the
    section header above criterion k (the segmenter's `cohort_hint`), if any; `continued[k]`: criterion
    k is a later sentence of the same item as k - 1 (an inline label of the item covers it)."""
    out: list[Criterion] = []
    section: Section | None = None
    last_hint: str | None = None
    stack: list[tuple[int, str]] = []  # (rank, label) of the headings in force
    inline_prev: list[tuple[int, str]] = []  # inline labels of the previous line ("Phase II part: ...")
    options: tuple[str, int] | None = None  # (label of the "one of" cohort, options so far)
    option_parent: int | None = None
    or_run: tuple[str | None, int, int] | None = None  # "OR" alternatives: base cohort, count, first line
    before_heading: list[tuple[int, str]] = []  # the stack before the last cohort heading
    inline_block: bool | None = False  # None: right after a cohort heading; True: its lines are labelled
    carry: str | None = None  # the inline label of the item whose later sentences follow
    named_parts: set[str] = set()  # "<part>: <population>" lines read as headings
    announced = 0  # the options a "one of the following N" lead-in announces

    def current() -> str | None:
        return JOIN.join(label for _, label in stack) or None

    for k, c in enumerate(criteria):
        hint = hints[k] if hints is not None else None
        if hint and _PLAIN.match(hint):  # "Procurement inclusion criteria": a step, not a cohort
            hint = None
        if c.section is not section or hint != last_hint:
            section, last_hint = c.section, hint
            stack = [(min(_rank(_label(hint)), 2), _label(hint))] if hint else []
            options, option_parent, inline_prev, inline_block = None, None, [], False
        if c.index < 0:  # registry fields: never a heading, never a cohort
            out.append(c)
            continue
        if (_is_fragment(c.text) and not _stated(c)) or _NOTE.match(c.text):
            continue  # "Note: ..." comments on the criteria, it is none
        head = _heading(c, parts)
        if parts and head is not None and head[0] == "cohort" and c.atoms and ":" in c.text:
            named_parts.add(head[1] or "")
        if head is not None:
            kind, label, rank = head
            options, option_parent, inline_prev = None, None, []
            if kind == "all":
                stack = []
            elif kind == "cohort" and label:
                before_heading = [(r, x) for r, x in stack if r < rank]
                stack = before_heading + [(rank, label)]
                inline_block = None
                if (
                    c.section is Section.INCLUSION
                    and any(a.kind != "non_evaluable" for a in c.atoms)
                    and len(_INLINE_SUFFIX.findall(c.text)) <= 1  # several cohorts' diseases: none required
                ):
                    out.append(replace(c, cohort=current()))  # "For TNBC:" is the cohort's requirement
            if kind == "one_of" and c.section is Section.INCLUSION:
                options, option_parent = (current() or "", 0), c.index
                announced = _option_count(c.text)
            if (
                kind in ("leadin", "one_of")
                and len(_bare(c.text)) > 60
                and any(a.kind != "non_evaluable" for a in c.atoms)
            ):  # a long lead-in that states something itself ("No active cardiac disease ..., including:")
                out.append(replace(c, cohort=current()))
            continue
        cohort = current()
        # "Has not received prior anti-PD-1 therapy, or" / "Has received ...": a line ending with "or"
        # and the next one are alternatives
        run_label = _join(or_run[0], f"alternative {or_run[1]} of line {or_run[2]}") if or_run else None
        trailing = (
            c.section is Section.INCLUSION
            and bool(out)
            and out[-1].section is c.section
            and bool(_OR_TRAIL.search(out[-1].text))
            and out[-1].cohort in (cohort, run_label)
            and not (_INLINE.match(c.text) or _INLINE_SUFFIX.search(c.text))
        )
        if (_OR_LEAD.match(c.text) or trailing) and c.section is Section.INCLUSION and out:
            # "OR relapsed osteosarcoma ...": this line and the disease lines before it are alternatives
            if or_run is None:
                base = current()
                first = len(out) - 1 if trailing else len(out)
                while (
                    not trailing
                    and first > 0
                    and out[first - 1].section is c.section
                    and out[first - 1].cohort == base
                    and (any(a.kind in _DISEASE_KINDS for a in out[first - 1].atoms))
                ):
                    first -= 1
                if first < len(out):
                    run = out[first].index
                    for j in range(first, len(out)):
                        out[j] = replace(out[j], cohort=_join(base, f"alternative 1 of line {run}"))
                    or_run = (base, 1, run)
            if or_run is not None:
                base, n, run = or_run
                or_run = (base, n + 1, run)
                out.append(replace(c, cohort=_join(base, f"alternative {n + 1} of line {run}")))
                continue
        else:
            or_run = None
        inline = _INLINE.match(c.text) or _INLINE_FOR.match(c.text) or _population_label(c)
        if not (inline or continued and continued[k]) and (where := _INLINE_IN.match(c.text)):
            # "In Part 1, ...": this line's own place under the heading in force, whose other lines stay its own
            label = _label(where.group("label"))
            out.append(replace(c, cohort=JOIN.join([x for _, x in stack if x != label] + [label])))
            carry = None
            continue
        suffix = _INLINE_SUFFIX.search(c.text)
        if continued and continued[k] and not (inline or suffix) and carry is not None:
            out.append(replace(c, cohort=carry))  # "For cohort H: ... NSCLC. Documented ...": still cohort H
            continue
        carry = None
        if (
            inline_block
            and not (inline or suffix)
            and _OR_LEAD.match(c.text)
            and c.section is Section.INCLUSION
        ):
            # "or GIST (cohort B)", "or neuroendocrine tumours grade 2-3", "or NSCLC (cohort H)": an "or"
            # line without its label in a run of labelled alternatives is one more alternative
            name = _label(_OR_LEAD.sub("", c.text))
            cohort = _join(current(), name[:60].rsplit(" ", 1)[0] if len(name) > 60 else name)
            out.append(replace(c, cohort=cohort))
            continue
        if inline_block is None:
            inline_block = bool(inline or suffix)
        elif inline_block and not (inline or suffix):
            # a heading whose lines each carry their own label ("Expansion:" then "Expansion Cohort 2: ...")
            # holds those lines only: the first unlabelled line is common again
            stack, inline_block = before_heading, False
            cohort = current()
        if inline or suffix:
            label = _label(inline.group("label")) if inline else _label(suffix.group("label"))  # type: ignore[union-attr]
            rank = _rank(label)
            inline_prev = [(r, x) for r, x in inline_prev if r < rank] + [(rank, label)]
            cohort = JOIN.join([x for _, x in stack] + [x for _, x in inline_prev])
            options = None
        else:
            inline_prev = []
            if options is not None:
                caps = _CAPS_LABEL.match(c.text)
                nested = c.parent_index is not None and c.parent_index == option_parent
                # "... any one of the following four conditions:" then four flat lines: the count says
                # where the options end
                counted = c.parent_index is None and options[1] < announced
                if nested or caps or counted:
                    label, n = options
                    n += 1
                    options = (label, n)
                    name = _label(caps.group("label")) if caps else f"option {n}"
                    cohort = _join(label or None, name)
                else:
                    options, option_parent = None, None
        if inline:
            carry = cohort
        out.append(replace(c, cohort=cohort) if cohort != c.cohort else c)
    if len(named_parts) == 1:
        # one "<part>: <population>" line alone: the trial's other parts have no lines of their own, so it
        # heads nothing (its line is left to the scope guard of criteria/coverage.py, never excluding)
        return organise(criteria, hints, continued, parts=False)
    organised = qualify_own_disease([section_rules(c) for c in _resolve(_population_alternatives(out))])
    organised = therapy_context(conditional_definitions(contradicted_common_exclusions(organised)))
    return washout_in_inclusions(absent_therapy_exclusions(organised))


_IMPLICIT_KINDS = {"ecog", "karnofsky"}
_EXCLUDED_END = compile_i(
    r"\b(?:is|are|will\s+be)\s+(?:excluded|not\s+(?:allowed|permitted|eligible)|ineligible)"
    r"(?:\s+(?:from|in|for)\s+(?:the|this)\s+(?:study|trial))?\W*$"
)


def section_rules(c: Criterion) -> Criterion:
    """What a statement means depends on its section. In an exclusion, a sex is whom it is about
    (a condition: no trial excludes a whole sex by naming it), and a performance score written without
    its comparison ("Karnofsky performance status of 60": the sign was lost) is ambiguous. In an
    inclusion, "previously treated brain metastases with ... and not taking steroids" says what patients
    with treated brain metastases need: the brain metastases are its condition, never a requirement."""
    stated = any(a.attributes.get("stated_out") for a in c.atoms)  # read by criteria/polarity.py
    if c.section is Section.INCLUSION and _EXCLUDED_END.search(c.text) and not stated:
        # "Ocular melanoma is excluded." among inclusion lines: what it names is excluded
        if c.atoms and not any(a.negated for a in c.atoms):
            c = replace(
                c, atoms=tuple(a if a.kind == "non_evaluable" else replace(a, negated=True) for a in c.atoms)
            )
        return c
    if c.section is not Section.EXCLUSION:
        treated = [
            a
            for a in c.atoms
            if a.kind == "brain_metastases" and a.attributes.get("status") == "treated_stable"
        ]
        others = [a for a in c.atoms if a.kind not in ("brain_metastases", "non_evaluable")]
        if c.section is Section.INCLUSION and treated and others and not any(a.negated for a in treated):
            cond = tuple(
                replace(a, attributes={**a.attributes, "status": "any", "role": "condition"}) for a in treated
            )
            return replace(c, atoms=tuple(others), condition=c.condition + cond)
        return c
    infections = [a for a in c.atoms if a.kind == "infection" and not a.negated]
    groups = {a.attributes.get("group") for a in infections}
    if len(infections) > 1 and (len(groups) > 1 or None in groups):
        # "known HIV, acute and chronic hepatitis B or C, or treated tuberculosis" under exclusions: any one
        # of the infections listed excludes (no exclusion asks for all of them at once)
        name = next(
            (str(a.attributes["group"]) for a in infections if a.attributes.get("group")), "infections"
        )
        c = replace(c, atoms=tuple(
            replace(a, attributes={**a.attributes, "group": name}) if a in infections else a for a in c.atoms
        ))  # fmt: skip
    if (
        _MUST_NOT.search(c.text)
        and c.atoms
        and not stated
        and all(a.negated for a in c.atoms if a.kind != "non_evaluable")
    ):
        # "Patients must not have known HIV infection" under exclusions: it excludes HIV (the "not"
        # belongs to the requirement style, not to the condition)
        affirmed = [replace(a, negated=False) if a.kind != "non_evaluable" else a for a in c.atoms]
        # "no A or B" was read as "no A and no B"; affirmed, the list is "A or B" again
        c = replace(c, atoms=tuple(or_groups(affirmed, c.text)))
    sexes = [a for a in c.atoms if a.kind == "sex"]
    implicit = [a for a in c.atoms if a.kind in _IMPLICIT_KINDS and a.attributes.get("implicit")]
    if not sexes and not implicit:
        return c
    atoms = tuple(
        replace(a, attributes={**a.attributes, "ambiguous": True}) if a in implicit else a
        for a in c.atoms
        if a not in sexes
    )
    condition = c.condition + tuple(
        replace(a, attributes={**a.attributes, "role": "condition"}) for a in sexes
    )
    return replace(c, atoms=atoms, condition=condition)


def _join(a: str | None, b: str | None) -> str | None:
    if a and b:
        return f"{a}{JOIN}{b}"
    return a or b


def _codes(atom: Atom) -> list[str]:
    raw = atom.value if atom.value is not None else atom.code
    return [str(c).upper() for c in (raw if isinstance(raw, (list, tuple, set)) else [raw]) if c]


def _related(code: str, others: set[str]) -> bool:
    lineage = {code, *vocab.oncotree_ancestors(code)}
    return bool(lineage & others) or any(code in vocab.oncotree_ancestors(o) for o in others)


def qualify_own_disease(criteria: list[Criterion]) -> list[Criterion]:
    """Mark exclusion `cancer_type` / `disease_setting` atoms that name the trial's own disease or
    carry a qualifier ("bilateral", "history of", "another") as `qualified` (see module docstring)."""
    included: set[str] = set()
    settings: set[str] = set()
    population = {_signature(a) for c in criteria if c.section is Section.INCLUSION for a in c.atoms
                  if a.kind in _POPULATION_KINDS and not a.negated}  # fmt: skip
    for c in criteria:
        if c.section is Section.INCLUSION:
            for a in c.atoms:
                if a.kind == "cancer_type" and not a.negated:
                    included.update(_codes(a))
                elif a.kind == "disease_setting" and not a.negated and a.code:
                    settings.add(a.code)
                elif a.kind in ("prior_therapy", "prior_lines") and not a.negated:
                    settings.update(
                        str(x) for x in a.attributes.get("setting", ())
                    )  # "... for metastatic disease"
    out = []
    for c in criteria:
        if c.section is Section.INCLUSION and any(a.kind == "cancer_type" and a.negated for a in c.atoms):
            # "No other previous treatment for primary breast cancer" in a breast cancer trial cannot
            # ask for the absence of the trial's own disease: unknown, never "not met" (a strict subtype
            # stays a restriction: "glioma, excluding glioblastoma")
            atoms = tuple(_own_negated(a, included) for a in c.atoms)
            if atoms != c.atoms:
                c = replace(c, atoms=atoms)
        if c.section is Section.EXCLUSION and any(
            a.kind in ("cancer_type", "disease_setting") for a in c.atoms
        ):
            # the trial's own disease is neutral next to another statement ("HER2-positive breast
            # cancer" in a breast trial: the HER2 status decides); alone it must be qualified
            alone = all(a.kind in _POPULATION_KINDS - {"biomarker"} for a in c.atoms) or all(
                _signature(a) in population for a in c.atoms
            )  # "Triple negative breast cancer was not surgically removed" in a TNBC trial
            atoms = tuple(
                _qualified(a, c.text, included if alone else set(), settings if alone else set())
                for a in c.atoms
            )
            if atoms != c.atoms:
                c = replace(c, atoms=atoms)
        out.append(c)
    return out


def _own_negated(a: Atom, included: set[str]) -> Atom:
    if a.kind != "cancer_type" or not a.negated or a.attributes.get("qualified"):
        return a
    codes = _codes(a)
    own = any(
        code in included or any(code in vocab.oncotree_ancestors(i) for i in included) for code in codes
    )
    return replace(a, attributes={**a.attributes, "qualified": True}) if own else a


def _signature(a: Atom) -> tuple[str, str, str]:
    return (a.kind, str(a.code or ""), repr(a.value))


def _qualified(a: Atom, text: str, included: set[str], settings: set[str]) -> Atom:
    if a.negated or a.attributes.get("qualified"):
        return a
    before = text[max(0, (a.span or (0, 0))[0] - 60) : (a.span or (0, 0))[0]]
    own = False
    if a.kind == "biomarker" and (included or settings):
        own = True  # the criterion restates the trial's own population (see qualify_own_disease)
    if a.kind == "cancer_type":
        own = any(_related(code, included) for code in _codes(a))
    elif a.kind == "disease_setting":
        own = bool(a.code) and a.code in settings
    if own or _QUALIFIER.search(before) or (a.kind == "cancer_type" and _QUALIFIER.search(a.text)):
        return replace(a, attributes={**a.attributes, "qualified": True})
    return a


CONTRADICTED = "contradicted_common_exclusion"
_CONTRADICTED_WHY = (
    "an exclusion for every cohort that one cohort's own inclusion requires: not common to every cohort"
)
_THERAPY_KINDS = {"prior_therapy"}


def _therapy_names(a: Atom) -> set[str]:
    names = {str(a.code or "").lower(), str(a.attributes.get("class") or "").lower()}
    classes = a.attributes.get("classes")
    if isinstance(classes, (list, tuple)):
        names.update(str(x).lower() for x in classes)
    return names - {""}


def _settings(a: Atom) -> set[str]:
    raw = a.attributes.get("setting")
    return {str(x) for x in raw} if isinstance(raw, (list, tuple)) else set()


def _required_by_cohorts(a: Atom, required: list[Atom]) -> bool:
    if a.window_days is not None or a.attributes.get("min_days") or a.attributes.get("current"):
        return False  # "prior chemotherapy within 4 weeks" restricts timing, a cohort's history stays allowed
    names, settings = _therapy_names(a), _settings(a)
    return any(
        names & _therapy_names(r) and (not settings or not _settings(r) or settings & _settings(r))
        for r in required
    )


def contradicted_common_exclusions(criteria: list[Criterion]) -> list[Criterion]:
    """An exclusion common to every cohort that forbids a therapy one cohort's own inclusion requires
    ("Has received prior anti-PD-1 ..." beside a refractory cohort's "must have received prior anti-PD-1")
    cannot be common to every cohort: which cohorts it holds for is not written, so it cannot exclude
    anyone. The line becomes one `non_evaluable` atom saying why (unknown, to check)."""
    required = [
        a
        for c in criteria
        if c.section is Section.INCLUSION and c.cohort and c.index >= 0
        for a in c.atoms
        if a.kind in _THERAPY_KINDS and not a.negated and a.attributes.get("role") != "condition"
    ]
    if not required:
        return criteria
    out = []
    for c in criteria:
        if c.section is Section.EXCLUSION and c.cohort is None and c.index >= 0:
            therapy = [a for a in c.atoms if a.kind in _THERAPY_KINDS and not a.negated]
            about_therapy = all(a.kind in _THERAPY_KINDS or a.kind == "non_evaluable" for a in c.atoms)
            # "pneumonitis that required systemic steroids": the therapy qualifies a condition, no rule here
            if therapy and about_therapy and any(_required_by_cohorts(a, required) for a in therapy):
                # the whole line (its other alternatives too: "anti-PD-1 or anti-CTLA-4") is left to check
                note = Atom(
                    "non_evaluable",
                    "present",
                    code=CONTRADICTED,
                    span=therapy[0].span,
                    text=therapy[0].text,
                    attributes={"why": _CONTRADICTED_WHY},
                )
                c = replace(c, atoms=(note,))
        out.append(c)
    return out
