"""Drug classes named by what the drugs do to an enzyme: CYP3A inhibitors and inducers, "enzyme inducers".

The class names of vocab/concomitant_drugs.tsv are phrases ("strong CYP3A4 inhibitors"); trial authors
write the enzyme and the action in many shapes: "a strong cytochrome P450 (CYP) 3A inhibitor", "CYP 3A4
inhibitors", "inhibitors of cytochrome P450 3A", "CYP3A4-inducing agents", "drugs that strongly inhibit
CYP3A", "moderate or strong CYP3A4/5 inhibitors or inducers", "clinically significant enzyme inducers",
"hepatic enzyme-inducing drugs". Read here by their grammar: the enzyme name written out is joined to
"cyp3a" (same length, offsets kept), then an action on CYP3A (inhibit / induce, as a noun, an adjective or a
verb with the drugs as subject) names the class; an "enzyme inducer" with no enzyme named is the CYP3A
inducer class (in oncology protocols the enzyme inducers kept out are those of the study drug's
metabolism; the drugs the table lists as CYP3A inducers, from the FDA table of clinical inducers).
Which drugs belong to a class is the table's data (its source is said there): a drug not in it leaves the
line unknown (the medication evaluator never presumes a drug's absence or its class).
"""

from __future__ import annotations

import re

from oncofed.criteria.caseless import compile_i

INHIBITOR, INDUCER, BOTH = "CYP3A4 inhibitor", "CYP3A4 inducer", "CYP3A4 inhibitor/CYP3A4 inducer"

# "cytochrome P450 (CYP) 3A4", "cytochrome P-450 3A", "CYP 3A4", "CYP-3A4/5", "P450 3A4 enzyme"
_ENZYME = compile_i(
    r"(?:\bcytochrome\s+p[-\s]?450\s*(?:\(\s*cyp\s*\)\s*)?(?:enzymes?\s+)?|\bp[-\s]?450\s+|\bcyp\s*[-\s]\s*)"
    r"(?P<f>3a(?:\s*4(?:\s*/\s*5)?|5)?)\b"
)
_CYP = r"cyp3a(?:4(?:/5)?|5)?"
_STRENGTH = r"(?:(?:strong|potent|moderate|weak|clinically\s+(?:significant|relevant))(?:\s*(?:,|or|and|and/or|to|/)\s*)?\s*)*"
# "inhibitors or inducers", "inducers and/or inhibitors", "inhibitors or strong inducers" (verdicts34: a strength
# of its own before the second noun), "inhibitors", "inducers"
_NOUNS = rf"(?:inhibitors?|inducers?)(?:\s*(?:,\s*(?:or|and|and/or)?|or|and|and/or|/)\s*{_STRENGTH}(?:inhibitors?|inducers?))?"
_CLASS = compile_i(
    # "strong inhibitors or inducers of CYP3A4", "moderate CYP3A inhibitors", "CYP3A4-inhibiting agents"
    rf"\b{_STRENGTH}(?P<n>{_NOUNS})\s+(?:of\s+)?(?:the\s+)?{_CYP}\b"
    rf"|\b{_STRENGTH}{_CYP}(?:\s+enzymes?)?[\s-]+(?:(?P<n2>{_NOUNS})|(?P<a>inhibit\w*|induc\w*)"
    r"(?:\s+(?:drugs?|agents?|medications?|medicines?|compounds?|substances?))?)"
    # "drugs that strongly inhibit or induce CYP3A", "medications known to induce CYP3A4"
    rf"|\b(?P<v>(?:strongly\s+|potently\s+|moderately\s+)?(?:inhibit|induce)s?(?:\s+(?:or|and|and/or)\s+"
    rf"(?:inhibit|induce)s?)?)\s+(?:the\s+)?(?:activity\s+of\s+)?{_CYP}\b"
    # "clinically significant enzyme inducers", "hepatic enzyme-inducing drugs" (not "enzyme-inducing
    # antiepileptic drugs": the table's own class)
    r"|\b(?:(?:hepatic|liver|metabolic|p450|cyp450|cyp)\s+)?(?P<e>enzymes?[\s-]+induc(?:ers?|ing|tion))\b"
    r"(?!\s+(?:anti-?\s*epileptic|anti-?\s*convulsant|aeds?\b))"
)


def enzymes_joined(text: str) -> str:
    """`text` with each CYP3A enzyme name written out joined to "cyp3a..." (same length, offsets kept)."""
    if "450" not in text and not re.search(r"cyp\s*[-\s]\s*3", text, re.IGNORECASE):
        return text

    def joined(m: re.Match[str]) -> str:
        name = "cyp" + re.sub(r"\s+", "", m.group("f")).lower()
        return name.rjust(len(m.group(0)))

    return _ENZYME.sub(joined, text)


def enzyme_classes(text: str) -> list[tuple[int, int, str]]:
    """(start, end, class) of each CYP3A class the text names by the drugs' action on the enzyme."""
    low = text.lower()
    if "cyp" not in low and "450" not in low and "enzyme" not in low:
        return []
    joined = enzymes_joined(text)
    out = []
    for m in _CLASS.finditer(joined):
        said = (m.group("n") or m.group("n2") or m.group("a") or m.group("v") or m.group("e") or "").lower()
        inhibit, induce = "inhibit" in said, "induc" in said
        klass = BOTH if inhibit and induce else INHIBITOR if inhibit else INDUCER if induce else None
        if klass is not None:
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            out.append((m.start() + lead, m.end(), klass))
    return out
