"""A therapy named as the purpose of another treatment is not the treatment received.

"Prior receipt of a glycoconjugate vaccine for cancer immunotherapy", "a dendritic cell vaccine used as
immunotherapy", "surgery for placement of a chemotherapy port", "irradiation given for immune priming":
the head noun (vaccine, cells, virus, radiation, surgery, a device) is what the patient received; the
therapy after "for / as" says what it was for. Read as the thing received, "immunotherapy" would make any
checkpoint inhibitor violate the line. The purpose's therapy atom is dropped; the head noun is kept when
the vocabulary reads it (radiotherapy, surgery), otherwise the line is left to read (unknown), never
replaced by a guess. A drug or antibody head is no other modality: "an antibody for immune checkpoint
blockade" is a checkpoint inhibitor, and its purpose stays its class.
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.domain.criteria import Atom

# cheap gate: the head nouns below, as substrings
_GATE = ("vaccin", "radiat", "radioth", "surg", "cell", "virus", "viral", "transplant", "port", "catheter",
         "device", "implant", "resection", "stent", "ablation")  # fmt: skip
# the head noun, an optional participle, then "for" / "as" and at most three words before the purpose
_PURPOSE_OF = compile_i(
    r"\b(?:vaccines?|vaccinations?|(?:cell|viral|virus|gene)[\s-]+(?:therap(?:y|ies)(?:\s+products?)?|products?)|cells|"
    r"(?:oncolytic\s+)?virus(?:es)?|radiation|radiotherapy|irradiation|surgery|surgical\s+procedures?|resection|"
    r"transplant(?:ation)?|ports?|catheters?|devices?|implants?|stents?|ablation)\s+"
    # an adjective may follow the noun before the participle (French order: "vaccin peptidique utilisé comme")
    r"(?:(?:[\w-]+\s+){0,2}?(?:used|given|administered|intended|designed|developed|indicated|received|delivered|placed|performed|"
    r"done)\s+|)(?:for|as)\s+(?:(?:the|a|an|any)\s+)?(?:(?:purpose|placement|delivery|administration|"
    r"enhancement|priming)\s+of\s+(?:(?:the|a|an)\s+)?)?(?:[\w-]+\s+){0,3}$"
)


def purposes_dropped(atoms: list[Atom], text: str, low: str) -> list[Atom]:
    """The atoms without the therapies named only as another treatment's purpose (module docstring)."""
    if (" for " not in low and " as " not in low) or not any(w in low for w in _GATE):
        return atoms
    out = []
    for a in atoms:
        if a.kind == "prior_therapy" and a.span:
            spans = [a.span, *((int(s[0]), int(s[1])) for s in (a.attributes.get("also_spans") or ()))]
            purpose = [_PURPOSE_OF.search(text[max(0, s[0] - 90) : s[0]]) is not None for s in spans]
            if all(purpose):
                continue
            if any(purpose):  # named for itself elsewhere in the line: kept at those mentions
                rest = [list(s) for s, p in zip(spans, purpose, strict=True) if not p]
                attrs = {**a.attributes, "also_spans": rest[1:]} if len(rest) > 1 else dict(a.attributes)
                if len(rest) == 1:
                    attrs.pop("also_spans", None)
                lo, hi = rest[0]
                a = replace(a, span=(lo, hi), text=text[lo:hi], attributes=attrs)
        out.append(a)
    return out


# "exemestane for breast cancer treatment", "olaparib or palbociclib for metastatic breast cancer treatment",
# "chemotherapy ... for cancer treatment": the generic after "for" names what the therapies before it were
# for (verdicts33); up to three words (no list) between "for" and the generic
_FOR_GENERIC = compile_i(r"\bfor\s+(?:the\s+)?(?:treatment\s+of\s+)?(?:(?!and\b|or\b)[\w/-]+\s+){0,3}$")
_GENERIC = "systemic therapy"


def generic_purposes(atoms: list[Atom], text: str, low: str) -> list[Atom]:
    """The atoms without a generic therapy ("cancer treatment") named after "for" as the purpose of a therapy
    the line names before it in the same sentence: "Prior letrozole for breast cancer treatment" asks about
    letrozole, not about every systemic therapy of a breast cancer (read with letrozole, the generic took the
    time limits of its own words, and the line then asked both)."""
    if " for " not in low or not any(a.code == _GENERIC for a in atoms):
        return atoms
    out = []
    for a in atoms:
        if a.kind == "prior_therapy" and a.code == _GENERIC and a.span and not a.attributes.get("also_spans"):
            start = a.span[0]
            m = _FOR_GENERIC.search(text[max(0, start - 60) : start])
            clause = max(text.rfind(";", 0, start), text.rfind(".", 0, start), -1) + 1
            named = any(
                b.kind == "prior_therapy" and b.code != _GENERIC and b.span and clause <= b.span[0] < start
                for b in atoms
            )
            if m is not None and named and ("cancer" in a.text.lower() or "tumo" in a.text.lower()):
                continue
        out.append(a)
    return out
