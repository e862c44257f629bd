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
"""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.domain.criteria import Atom

_INCIDENTAL = {"consent", "investigator_judgement"}
_THERAPY_KINDS = {"prior_therapy", "treatment_naive", "prior_lines"}
_ANCHOR_BEFORE = re.compile(
    r"(?:\b(?:time|date|day|days|weeks?|months?|prior\s+to|before|after|following|until|at|since|of)\s+"
    r"(?:the\s+)?(?:time\s+of\s+)?(?:(?:signing|signature\s+of|signed|obtaining|providing|giving)\s+)?"
    r"(?:the\s+|an?\s+)?(?:written\s+)?(?:study\s+)?)$",
    re.I,
)
# between a therapy and its setting: "chemotherapy [regimen] for [the] | in the | given for ..."
_SETTING_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,40}\)\s*)?(?:of\s+)?(?:(?:systemic\s+)?(?:regimens?|agents?|therapy|treatments?|lines?|drugs?)\s+)?"
    r"(?:(?:given|administered|received|used)\s+)?(?:for|in|as)\s+(?:the\s+|an?\s+|their\s+)?"
    r"(?:(?:recurrent|locally|advanced|newly|unresectable|or|and|/|,)\s*){0,4}$",
    re.I,
)
_THERAPY_WORD = re.compile(
    r"^[\s/-]*(?:(?:or|and|and/or)\s+\w+\s+)?(?:systemic\s+|endocrine\s+|hormonal\s+)?"
    r"(?:chemo\w*|therap\w*|treatments?|regimens?|radio\w*|immuno\w*|endocrine|hormon\w*|systemic|"
    r"surgery|trastuzumab|platinum|taxane|anthracycline|agents?)\b",
    re.I,
)
_PRIOR_BEFORE = re.compile(
    r"\b(?:prior|previous(?:ly)?|received|receipt\s+of|history\s+of)\b[^.;:]{0,40}$", re.I
)
_OR_GAP = re.compile(r"^\s*(?:,\s*)?(?:(?:and\s*/\s*|/)?or|/)\s*$", re.I)
_COMMA_GAP = re.compile(r"^\s*,\s*$")


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


def _therapy_setting(a: Atom, text: str, therapies: list[Atom]) -> bool:
    """Whether the `disease_setting` atom `a` qualifies a therapy rather than the patient."""
    if not a.span:
        return False
    s, e = a.span
    for t in therapies:
        if t.span and t.span[1] <= s and _SETTING_AFTER.match(text[t.span[1] : s]):
            return True
    # "prior adjuvant chemotherapy", "previous neoadjuvant or adjuvant therapy"
    return bool(_THERAPY_WORD.match(text[e : e + 40]) and _PRIOR_BEFORE.search(text[max(0, s - 50) : s]))


def therapy_settings(atoms: list[Atom], text: str) -> list[Atom]:
    therapies = [a for a in atoms if a.kind in _THERAPY_KINDS]
    moved = [a for a in atoms if a.kind == "disease_setting" and _therapy_setting(a, text, therapies)]
    if not moved:
        return atoms
    codes = list(dict.fromkeys(str(a.code) for a in moved))
    out = []
    for a in atoms:
        if any(a is m for m in moved):
            continue
        if a.kind in _THERAPY_KINDS:
            a = replace(a, attributes={**a.attributes, "setting": codes})
        out.append(a)
    return out


def _joined_by_or(text: str, a: Atom, b: Atom, has_or: bool) -> bool:
    assert a.span and b.span
    gap = text[a.span[1] : b.span[0]]
    if b.span[0] < a.span[1]:  # overlapping evidence ("ECOG 0-1 or Karnofsky >= 70")
        gap = text[a.span[0] : b.span[0]]
        return bool(re.search(r"\s(?:or|and/or)\s*$", gap, re.I))
    return bool(_OR_GAP.match(gap) or (has_or and _COMMA_GAP.match(gap)))


def or_groups(atoms: list[Atom], text: str) -> list[Atom]:
    spanned = sorted((a.span, i) for i, a in enumerate(atoms) if a.span)
    if len(spanned) < 2 or not re.search(r"\bor\b|/", text, re.I):
        return atoms
    # chains of adjacent atoms joined by "or" (a comma counts inside a list that ends with "or")
    links: list[tuple[int, int]] = []
    for (_sa, i), (_sb, j) in zip(spanned, spanned[1:], strict=False):
        a, b = atoms[i], atoms[j]
        if a.negated and b.negated:
            continue
        if a.negated != b.negated or a.kind == "non_evaluable" or b.kind == "non_evaluable":
            continue
        assert a.span and b.span
        tail = text[b.span[1] : b.span[1] + 80]
        has_or = bool(re.match(r"^[^.;:]*?,?\s*(?:and/)?or\b", tail, re.I))
        if _joined_by_or(text, a, b, has_or):
            links.append((i, j))
    if not links:
        return atoms
    parent = list(range(len(atoms)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

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


def relate(atoms: list[Atom], text: str) -> list[Atom]:
    """The three rules above, in order, on one criterion's atoms (after ConText)."""
    return or_groups(therapy_settings(drop_incidental(atoms, text), text), text)
