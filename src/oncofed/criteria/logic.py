"""How the atoms of one criterion relate: the pass run after extraction and ConText.

Three general rules, each fixing a way a literal reading of the atoms gives a wrong verdict:

1. Incidental non-evaluable phrases. "Age >= 18 years at the time of signing informed consent":
   consent is the time anchor, not a requirement. A `consent` or `investigator_judgement` atom is
   dropped when the criterion has an evaluable atom (it would make the AND always unknown while
   the decidable part is what screens the patient); consent named as a time anchor ("at the time
   of / prior to / within 28 days of ... consent") is dropped whatever else the criterion holds.
   Commitments (`willingness`, contraception, `other`) are real requirements and stay.
2. The setting of a therapy. "No prior chemotherapy for metastatic disease": "metastatic" says
   which chemotherapy is meant, not that the patient must not be metastatic. A `disease_setting`
   that qualifies a therapy ("<therapy> for / in (the) <setting>", "prior <setting> <therapy>")
   becomes `attributes["setting"]` of the therapy atoms and is no patient requirement.
3. Alternatives. Atoms whose evidence spans are joined only by "or" / "and/or" / "," (with an
   "or" in the list) are alternatives and share `attributes["group"]` (docs/DEVELOPING.md), except
   when both are negated ("no HIV or hepatitis B" is "no HIV and no hepatitis B": AND is right).
4. Lists of alternatives: the items after "any of the following" (and, after "including any of the
   following", the heading they illustrate) share one group.
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.alternative_parts import own_parts
from oncofed.criteria.caseless import compile_i
from oncofed.criteria.clause_reach import clause_reach, restated_stages
from oncofed.criteria.drug_effects import drug_effects
from oncofed.criteria.governed_therapy import governed_therapies
from oncofed.criteria.measure_alternatives import measure_alternatives
from oncofed.criteria.performance_alternatives import performance_alternatives
from oncofed.criteria.polarity import naive_therapies, stated_exclusions
from oncofed.criteria.receptor_combinations import either_status, receptor_combinations, regardless_of
from oncofed.criteria.setting_lines import adjuvant_counted
from oncofed.criteria.therapy_examples import therapy_examples
from oncofed.criteria.therapy_schedule import therapy_schedules
from oncofed.criteria.therapy_scope import therapy_scopes
from oncofed.criteria.unread_alternatives import dosed as _dosed
from oncofed.criteria.unread_alternatives import unread_or as _unread_or
from oncofed.criteria.whichever import whichever_limits
from oncofed.domain.criteria import Atom

_INCIDENTAL = {"consent", "investigator_judgement"}
_THERAPY_KINDS = {"prior_therapy", "treatment_naive", "prior_lines"}
_ANCHOR_BEFORE = compile_i(
    r"(?:\b(?:time|date|day|days|weeks?|months?|prior\s+to|before|after|following|until|at|since|of)\s+"
    r"(?:the\s+)?(?:time\s+of\s+)?(?:(?:signing|signature\s+of|signed|obtaining|providing|giving)\s+)?"
    r"(?:the\s+|an?\s+)?(?:written\s+)?(?:study\s+)?)$",
)
# between a therapy and its setting: "chemotherapy [regimen] for [the] | in the | given for ..."
_SETTING_AFTER = compile_i(
    r"^\s*(?:\([^)]{0,40}\)\s*)?(?:of\s+)?(?:(?:systemic\s+)?(?:regimens?|agents?|therap(?:y|ies)|treatments?|lines?|drugs?)\s+)?"
    r"(?:(?:prior|previous|given|administered|received|used)\s+)?(?:for|in|as)\s+(?:the\s+|an?\s+|their\s+)?"
    r"(?:(?:recurrent|locally|advanced|newly|unresectable|locoregional|or|and|/|,|\()\s*){0,6}$",
)
_THERAPY_WORD = compile_i(
    r"^[\s/-]*(?:(?:or|and|and/or)\s+\w+\s+)?(?:systemic\s+|endocrine\s+|hormonal\s+)?"
    r"(?:chemo\w*|therap\w*|treatments?|regimens?|radio\w*|immuno\w*|endocrine|hormon\w*|systemic|"
    r"surgery|trastuzumab|platinum|taxane|anthracycline|agents?)\b",
)
_PRIOR_BEFORE = compile_i(r"\b(?:prior|previous(?:ly)?|received|receipt\s+of|history\s+of)\b[^.;:]{0,40}$")
_OR_GAP = compile_i(
    r"^\s*(?:(?:infections?|disease|cancers?|carcinomas?|tumou?rs?|metastas[ie]s|interval)\s*)?(?:,\s*)?(?:(?:and\s*/\s*|/)?or|/)\s*"
    r"(?:(?:who|that|which)\s+(?:is|are)\s+(?:on|taking|receiving|using)\s+|with\s+)?"
    r"(?:(?:known|active|documented|confirmed|chronic|any|an?|history\s+of|prescription|weekly|dose[\s-]dense|"
    r"metronomic|oral|intravenous|low[\s-]dose|high[\s-]dose)\s+)*$",
)
# "HIV infection, active hepatitis B and/or hepatitis C": a comma in a list that ends with "or"
_COMMA_GAP = compile_i(
    r"^\s*\)?\s*(?:(?:infections?|disease|cancers?)\s*)?,\s*(?:(?:known|active|documented|confirmed|chronic|any|an?|history\s+of)\s+)*$"
)


def _anchor_consent(atom: Atom, text: str) -> bool:
    if atom.code != "consent" or not atom.span:
        return False
    return bool(_ANCHOR_BEFORE.search(text[max(0, atom.span[0] - 60) : atom.span[0]]))


def drop_incidental(atoms: list[Atom], text: str) -> list[Atom]:
    evaluable = any(a.kind != "non_evaluable" for a in atoms)
    if not evaluable:
        return atoms
    return [
        a
        for a in atoms
        if not (a.kind == "non_evaluable" and (a.code in _INCIDENTAL or _anchor_consent(a, text)))
    ]


_TRAILING_CODES = {"adjuvant", "neoadjuvant", "maintenance"}
_BEFORE_THERAPY_CODES = {"adjuvant", "neoadjuvant", "first_line", "maintenance", "metastatic"}


def _therapy_targets(a: Atom, text: str, therapies: list[Atom]) -> list[Atom] | None:
    """The therapy atoms the `disease_setting` atom `a` qualifies (None: it is about the patient)."""
    if not a.span:
        return None
    s, e = a.span
    before = [
        t
        for t in therapies
        if t.span
        and t.span[1] <= s
        and (
            _SETTING_AFTER.match(text[t.span[1] : s])
            or (
                a.code in _TRAILING_CODES and text[t.span[1] : s].strip() == ""
            )  # "PARP inhibitor maintenance"
        )
    ]
    if before:  # "chemotherapy for metastatic disease"
        end = max(t.span[1] for t in before if t.span)
        return [t for t in therapies if t.span and t.span[1] == end or t.kind == "treatment_naive"]
    # "prior adjuvant chemotherapy", "previous neoadjuvant or adjuvant therapy"
    if (
        a.code in _BEFORE_THERAPY_CODES
        and _THERAPY_WORD.match(text[e : e + 40])
        and _PRIOR_BEFORE.search(text[max(0, s - 50) : s])
    ):
        return [t for t in therapies if t.span and e <= t.span[0] <= e + 40]
    # "no neoadjuvant chemotherapy", "adjuvant endocrine therapy": the word right before a therapy names it
    adjacent = [
        t
        for t in therapies
        if a.code in _BEFORE_THERAPY_CODES
        and t.span
        and t.span[0] >= e
        and text[e : t.span[0]].strip(" -") == ""
    ]
    if adjacent:
        return adjacent
    return None


def therapy_settings(atoms: list[Atom], text: str) -> list[Atom]:
    therapies = [a for a in atoms if a.kind in _THERAPY_KINDS]
    settings: dict[int, list[str]] = {}  # id(therapy atom) -> its setting codes
    moved: set[int] = set()
    for a in atoms:
        if a.kind != "disease_setting":
            continue
        targets = _therapy_targets(a, text, therapies)
        if targets is None:
            continue
        moved.add(id(a))
        for t in targets:
            settings.setdefault(id(t), []).append(str(a.code))
    if not moved:
        return atoms
    out = []
    for a in atoms:
        if id(a) in moved:
            continue
        if id(a) in settings:
            codes = list(dict.fromkeys(settings[id(a)]))
            a = replace(a, attributes={**a.attributes, "setting": codes})
        out.append(a)
    return out


def _spans(a: Atom) -> list[tuple[int, int]]:
    """The atom's evidence span and its repeated mentions (`attributes["also_spans"]`)."""
    out = [a.span] if a.span else []
    for sp in a.attributes.get("also_spans", ()) if a.attributes else ():
        out.append((int(sp[0]), int(sp[1])))
    return out


# "olaparib or with any other polyadenosine ... (PARP) inhibitor", "trastuzumab or other anti-HER2 agents":
# a named drug then the class it belongs to, whatever long name the class is given before its acronym
_OR_OTHER = compile_i(
    r"^\s*,?\s*(?:and/)?or\s+(?:with\s+|to\s+)?(?:any\s+)?other\s+(?:[^\s;.,]+\s+){0,8}[^\s;.,]*$"
)
_OR_END = compile_i(r"\s(?:or|and/or)\s*$")
_DOSE_GAP = compile_i(
    r"^\s*(?:\([^()]{0,40}\)\s*)?(?:[>≥]=?|more\s+than|greater\s+than|above|over|exceeding|in\s+excess\s+of)\s*"
    r"\d+(?:[.,]\d+)?\s*"
    r"(?:mg|g|c?gy)(?:\s*/\s*(?:m2|m²|kg))?(?=[\s,;)]|$)"
)
_OR_WORD = compile_i(r"\bor\b|/")
_OR_AHEAD = compile_i(r"^[^.;:]*?,?\s*(?:and/)?or\b")


def _linked(text: str, a: tuple[int, int], b: tuple[int, int], has_or: bool) -> str | None:
    """ "or" when spans `a` < `b` are alternatives, "compound" when only blank joins them."""
    if b[0] < a[1]:  # overlapping evidence ("ECOG 0-1 or Karnofsky >= 70")
        return "or" if _OR_END.search(text[a[0] : b[0]]) else None
    gap = text[a[1] : b[0]]
    if gap[:1] in ("®", "™", ")"):  # "megestrol acetate (MEGACE®), dronabinol (MARINOL®), or ...": a brand
        gap = gap.lstrip("®™").removeprefix(")")  # name in parentheses closes, the list goes on
    # "doxorubicin > 240 mg/m2, epirubicin or ...": each drug's dose limit, the list goes on
    gap = _DOSE_GAP.sub("", gap, count=1)
    if _OR_GAP.match(gap) or _OR_OTHER.match(gap) or (has_or and _COMMA_GAP.match(gap)):
        return "or"
    return "compound" if gap.strip(" -") == "" else None


def _drop_head_nouns(atoms: list[Atom], text: str) -> list[Atom]:
    """ "hepatitis C infection": the generic `active_infection` on the head noun is the same mention."""
    if not any(a.code == "active_infection" for a in atoms):
        return atoms
    ends = {e for a in atoms if a.kind == "infection" and a.code != "active_infection" for _s, e in _spans(a)}
    return [
        a
        for a in atoms
        if not (
            a.code == "active_infection"
            and a.span
            and any(e <= a.span[0] and text[e : a.span[0]].strip(" )]") == "" for e in ends)
        )
    ]


def or_groups(atoms: list[Atom], text: str) -> list[Atom]:
    # a gene list or panel written once (criteria.extract_clinical) under a negation ("no EGFR, ALK or
    # ROS1 alteration", "no HRR gene mutation") is none of them: no alternatives
    atoms = [
        replace(a, attributes={k: v for k, v in a.attributes.items() if k != "group"})
        if a.negated and str(a.attributes.get("group") or "").startswith(("genes", "hrr"))
        else a
        for a in atoms
    ]
    if len(atoms) < 2 or not _OR_WORD.search(text):
        return atoms
    spanned = sorted((sp, i) for i, a in enumerate(atoms) for sp in _spans(a))
    # chains of adjacent atoms joined by "or" (a comma counts inside a list that ends with "or")
    links: list[tuple[int, int]] = []
    compounds: list[tuple[int, int]] = []
    for (sa, i), (sb, j) in zip(spanned, spanned[1:], strict=False):
        a, b = atoms[i], atoms[j]
        unread = "non_evaluable" in (a.kind, b.kind) or _dosed(a, text) or _dosed(b, text)
        if i == j or (a.negated != b.negated and not unread) or a.kind == b.kind == "non_evaluable":
            continue
        tail = text[sb[1] : sb[1] + 80]
        has_or = bool(_OR_AHEAD.match(tail))
        how = "or" if unread and _unread_or(text[sa[1] : sb[0]]) else _linked(text, sa, sb, has_or)
        if unread and how != "or":
            continue  # an alternative the engine cannot read joins its group by "or" only
        if how == "or" and "biomarker" in (a.kind, b.kind) and text[sa[1] : sb[0]].strip() == "/":
            how = None  # "HR+/HER2-" is a receptor profile (AND), not alternatives
        if how == "or" and not (a.negated and b.negated):  # "no A or B" is "no A and no B"
            links.append((i, j))
        elif how == "compound" and a.kind == b.kind:
            compounds.append((i, j))
    if not links:
        return atoms
    parent = list(range(len(atoms)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # "locally advanced unresectable or metastatic": the compound's modifiers join the alternatives
    # (a flat AND-of-ORs cannot say "(A and B) or C"; "A or B or C" is the closer reading)
    linked = {k for pair in links for k in pair}
    links += [(i, j) for i, j in compounds if i in linked or j in linked]
    first_of_group: dict[object, int] = {}
    for i, a in enumerate(atoms):  # members of an existing group ("cancer", "hr", ...) stay together
        g = a.attributes.get("group") if a.attributes else None
        if g is not None:
            parent[find(i)] = find(first_of_group.setdefault(g, i))
    for i, j in links:
        parent[find(j)] = find(i)
    names: dict[int, str] = {}
    size: dict[int, int] = {}
    for i, a in enumerate(atoms):
        root = find(i)
        size[root] = size.get(root, 0) + 1
        g = a.attributes.get("group") if a.attributes else None
        if g is not None:
            names.setdefault(root, str(g))
    out = []
    for i, a in enumerate(atoms):
        root = find(i)
        if size[root] > 1:
            a = replace(a, attributes={**a.attributes, "group": names.get(root, f"or{root}")})
        out.append(a)
    return out


_ANY_OF = compile_i(r"\b(?:any|one|either|at\s+least\s+one)\s+of\s+the\s+following\b")
_INCLUDING = compile_i(r"\b(?:including|such\s+as|e\.g\.|defined\s+as|as\s+evidenced\s+by|i\.e\.)\W*$")
_NOT_GROUPED = {"non_evaluable", "permission"}


def any_of_the_following(atoms: list[Atom], text: str) -> list[Atom]:
    """ "Impaired cardiac function including any of the following: long QT; QTc > 450 ms; ...": the
    items of the list (and the heading they illustrate) are alternatives, one group."""
    m = _ANY_OF.search(text) if "following" in text.lower() else None
    if not m:
        return atoms
    heading = bool(_INCLUDING.search(text[max(0, m.start() - 30) : m.start()]))
    members = [
        i
        for i, a in enumerate(atoms)
        if a.kind not in _NOT_GROUPED
        and not (a.attributes and a.attributes.get("role") == "condition")
        and a.span
        and (heading or a.span[0] >= m.end())
    ]
    if len(members) < 2:
        return atoms
    return [
        replace(a, attributes={**a.attributes, "group": "any_of"}) if i in members else a
        for i, a in enumerate(atoms)
    ]


def qualified_alternatives(atoms: list[Atom]) -> list[Atom]:
    """ "lung cancer, melanoma, HER2-amplified breast cancer, or HER2-amplified gastric cancer": a marker
    written right before one cancer of a list of alternatives qualifies that cancer only (the cancer
    atom's condition: "breast cancer and HER2 amplified" inside the OR group)."""
    cancers = [a for a in atoms if a.kind == "cancer_type" and a.span and a.attributes.get("group")]
    if len(cancers) < 2:
        return atoms
    groups = {c.attributes.get("group") for c in cancers}
    markers = [
        a for a in atoms if a.kind == "biomarker" and a.span and a.attributes.get("group") in groups | {None}
    ]
    attached: dict[int, list[Atom]] = {}
    used: set[int] = set()
    for c in cancers:
        for m in markers:
            if m.span and c.span and 0 <= c.span[0] - m.span[1] <= 3:
                attached.setdefault(id(c), []).append(m)
                used.add(id(m))
    if not attached:
        return atoms
    out = []
    for a in atoms:
        if id(a) in used:
            continue
        if id(a) in attached:
            marks = tuple(
                replace(m, attributes={k: v for k, v in m.attributes.items() if k != "group"})
                for m in attached[id(a)]
            )
            a = replace(a, condition=(*a.condition, *marks))
        out.append(a)
    return out


# "HER2 positive solid tumors, including but not limited to: head and neck ...; lung cancer; ...": cancers
# named as examples of a generic category are no requirement (the category, not one of them, is asked)
_EXAMPLES_OF_GENERIC = compile_i(
    r"\b(?:solid\s+tumou?rs?|cancers?|malignanc(?:y|ies)|carcinomas?|neoplasms?|tumou?rs?)\b[^.;:]{0,40}?"
    r"\b(?:including(?:\s+but\s+not\s+limited\s+to)?|such\s+as|e\.\s?g\.?|for\s+(?:example|instance))\W"
)


def examples_of_generic(atoms: list[Atom], text: str) -> list[Atom]:
    cancers = [a for a in atoms if a.kind == "cancer_type" and a.span and not a.negated]
    if not cancers:
        return atoms
    m = _EXAMPLES_OF_GENERIC.search(text)
    if not m or any(a.span and a.span[0] < m.end() for a in cancers):  # a named cancer before: it is asked
        return atoms
    return [a for a in atoms if a not in cancers]


_EXAMPLE_CUE = compile_i(r",?\s*\(?(?:\b(?:such\s+as|for\s+(?:example|instance)|including)\b|\be\.\s?g\.?)")
_CONDITION_ATOMS = {"comorbidity", "infection"}


def examples_as_alternatives(atoms: list[Atom], text: str) -> list[Atom]:
    """ "Clinically significant immunodeficiency, such as HIV or active hepatitis B or C": a condition
    named as an example of the condition before it is one more way for the criterion to hold (one group
    with it), not a second requirement."""
    conds = [a for a in atoms if a.kind in _CONDITION_ATOMS and a.span]
    if len(conds) < 2:
        return atoms
    members: set[int] = set()
    for m in _EXAMPLE_CUE.finditer(text):
        head = [a for a in conds if a.span and a.span[1] <= m.start() and m.start() - a.span[1] <= 3]
        stop = min(
            (i for i in (text.find(";", m.end()), text.find(".", m.end())) if i >= 0), default=len(text)
        )
        end = stop
        examples = [
            a
            for a in conds
            if a.span and m.end() <= a.span[0] < end and a.negated == (head[0].negated if head else False)
        ]
        if head and examples:
            members |= {id(a) for a in head + examples}
    if not members:
        return atoms
    chosen = [a for a in atoms if id(a) in members]
    groups = {a.attributes.get("group") for a in chosen} - {None}
    if len(groups) > 1:
        return atoms  # alternatives of their own already: leave them
    name = groups.pop() if groups else "examples"
    # "Active infection including tuberculosis, hepatitis B (...)": the examples of an active infection
    # are active too, unless their own words say past or treated
    first = min((a for a in chosen if a.span), key=lambda a: a.span[0] if a.span else 0, default=None)
    inherit = first is not None and first.kind == "infection" and bool(first.attributes.get("active"))
    out = []
    for a in atoms:
        if id(a) in members:
            extra = {"active": True} if inherit and _inherits(a, text) else {}
            a = replace(a, attributes={**a.attributes, "group": name, **extra})
        out.append(a)
    return out


_PAST_CUE = compile_i(r"\b(?:previously\s+treated|treated|history\s+of|prior|past|resolved|latent)\b")


def _inherits(a: Atom, text: str) -> bool:
    """Whether an example infection takes its head's "active" (not when its own words say otherwise)."""
    if a.kind != "infection" or a.attributes.get("active") or not a.span:
        return False
    return not _PAST_CUE.search(text[max(0, a.span[0] - 30) : a.span[0]])


def relate(atoms: list[Atom], text: str) -> list[Atom]:
    """The rules above, then the conditions of `criteria/conditions.py`, on one criterion's atoms
    (after ConText); a list introduced by "any of the following" is one group of alternatives."""
    from oncofed.criteria.conditions import conditions

    atoms = drug_effects(
        atoms, text
    )  # "drugs known to cause neuropathy (A or B)": the drugs, not the condition
    atoms = restated_stages(clause_reach(atoms, text), text)  # how far a negation reaches (clause_reach.py)
    atoms = therapy_schedules(
        governed_therapies(atoms, text), text
    )  # "infection requiring ...", "weekly ..."
    atoms = adjuvant_counted(atoms, text)  # "adjuvant therapy counts as a line if ...": a counting rule
    atoms = examples_of_generic(_drop_head_nouns(drop_incidental(anchors(atoms), text), text), text)
    atoms = therapy_scopes(therapy_settings(atoms, text), text)  # "for Stage IV NSCLC": which courses count
    atoms = therapy_examples(examples_as_alternatives(atoms, text), text)
    atoms = conditions(stated_exclusions(or_groups(naive_therapies(atoms, text), text), text), text)
    atoms = own_parts(qualified_alternatives(any_of_the_following(atoms, text)), text)  # alternative_parts.py
    atoms = measure_alternatives(
        atoms, text
    )  # "age >= 60; or age < 60 with amenorrhea": an OR, own qualifiers
    atoms = whichever_limits(atoms, text)  # "below the LLN or below 50 %, whichever is lower"
    atoms = performance_alternatives(atoms, text)  # "ECOG 0-1 or a Karnofsky index >= 70": either scale
    atoms = either_status(regardless_of(atoms, text), text)  # "ER positive or negative": no requirement
    return receptor_combinations(atoms, text)  # "ER+/PR+ or ER+/PR-": OR of conjunctions


def anchors(atoms: list[Atom]) -> list[Atom]:
    """A drug named as a time anchor ("within 3 weeks prior to the first dose of ipilimumab") is not
    what the criterion is about: no atom of its own, kept as `attributes["anchors"]` of the others."""
    anchored = [a for a in atoms if a.attributes and a.attributes.get("anchor")]
    if not anchored:
        return atoms
    about = [{"kind": a.kind, "code": a.code, "operator": a.operator, "value": a.value} for a in anchored]
    return [replace(a, attributes={**a.attributes, "anchors": about}) for a in atoms if a not in anchored]
