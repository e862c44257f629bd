"""A therapy named with a cancer word is not a cancer (verdicts32).

"Prior cancer vaccine therapy", "previous cancer immunotherapy", "prior tumour-infiltrating lymphocytes",
"concurrent cancer-directed treatment": the words "prior cancer" / "prior tumour" matched the prior
malignancy phrase, and a patient with a previous breast cancer, or any patient whose record lists one, was
read as violating a line about a treatment. In these lines the cancer word is a noun modifier of the
head noun that follows (a compound: "cancer vaccine", "tumour-infiltrating lymphocytes"): it says what the
therapy is for or against, and the line names the therapy, not a malignancy.

`names_a_therapy(text, end)` says whether the cancer word ending at `end` modifies a therapy head noun: the
head directly after it ("cancer vaccine", "tumor immunotherapy", "cancer treatment(s)"), or after a
hyphenated or spaced participle or adjective of the cancer word ("cancer-directed", "tumour-infiltrating",
"cancer-specific", "tumor targeted"), with up to one more modifier ("cancer vaccine therapy", "cancer
cell therapy"). A generic head right after the cancer word ("prior cancer treatment", "another cancer
therapy", "history of cancer treatment with curative intent") reads both ways: a treatment of a previous or
another cancer, or a previous treatment for cancer. Neither is grounded: the phrase is an unread atom (the
line is unknown when the rest of it holds); "anti-cancer therapy" and "cancer-directed therapy" say their
purpose and are read as therapies. A cancer word followed by anything else ("prior cancer treated with surgery", "prior cancer
within 5 years", "prior cancer, treatment completed") is still the malignancy.
"""

from __future__ import annotations

from oncofed.criteria.caseless import compile_i

_HEAD = (
    r"(?:therap(?:y|ies)|treatments?|vaccin\w*|immunotherap\w*|chemotherap\w*|radiotherap\w*|"
    r"lymphocytes?|cells?|drugs?|agents?|medications?|medicines?|regimens?|interventions?|products?)"
)
_MODIFIER = r"(?:[a-z]+-?(?:directed|infiltrating|specific|targeted|targeting|reactive|associated|derived)|directed|infiltrating|specific|targeted|targeting|reactive|associated|derived)"
_THERAPY_AFTER = compile_i(
    rf"^(?:[\s-]+{_MODIFIER})?(?:[\s-]+(?:vaccine|cell|gene|peptide|antigen|tumou?r|cancer)s?)?[\s-]+{_HEAD}\b"
)


# a generic head right after the cancer word, which "other cancer" may qualify as well as the treatment
_GENERIC_AFTER = compile_i(
    r"^\s+(?:therap(?:y|ies)|treatments?|chemotherap\w*|radiotherap\w*|drugs?|agents?|medications?|medicines?|"
    r"regimens?|interventions?)\b"
)


def names_a_therapy(text: str, end: int) -> str | None:
    """ "therapy" when the cancer word ending at `end` is a noun modifier
    of a therapy's name (module docstring); "ambiguous" when the head right after it is a generic one
    ("prior cancer treatment", "another cancer therapy": a treatment of a previous or another cancer, or a
    previous treatment for cancer: the line is left unread); else None."""
    if not _THERAPY_AFTER.match(text[end : end + 60]):
        return None
    if _GENERIC_AFTER.match(text[end : end + 40]):
        return "ambiguous"
    return "therapy"
