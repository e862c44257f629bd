"""A cancer a note names by its histology and the part of an organ it sits in: "squamous cell carcinoma of the left
lower lobe" (lung), "large-cell neuroendocrine carcinoma of the right upper lobe", "adenocarcinoma of the
gastro-oesophageal junction", "carcinoma in the upper outer quadrant" (breast), "small cell carcinoma of the lung".

    subsite_cancers(text, read) -> [(start, end, "CANCER", code)]

The grammar of the phrase, not a list of phrases: a histology (modifiers and a head noun), "of / in / at / arising
in" and a place; the place is a part of an organ (`cancer_subsites` of `vocab/notes_patient.yaml`, side and level
words before it: "left lower", "distal") or the organ itself. Each of the usual ways to name the cancer of that organ
is looked up in OncoTree ("<histology> of the <organ>", "<organ adjective> <histology>", the organ between the
histology's modifiers and its head: "small cell lung carcinoma") and the most specific code wins: "small cell
carcinoma of the lung" is SCLC, not the organ only.
"""

from __future__ import annotations

import functools
import re

from oncofed.criteria.caseless import Caseless
from oncofed.criteria.vocab import oncotree_ancestors
from oncofed.ingest.patients.common import note_vocab
from oncofed.ingest.patients.notes.lowered import compile_i, lowered
from oncofed.ingest.patients.notes.organ_first import ADJECTIVE, MODIFIERS

_HEADS = ("carcinoma", "cancer")
_ASIDE = re.compile(r"\([^()]*\)")
# "metastatic carcinoma in the lung", "metastases of adenocarcinoma in the liver": the place of a metastasis ("in",
# "at"; "metastatic adenocarcinoma of the lung" is a lung cancer that spread)
_METASTATIC_BEFORE = compile_i(r"metasta\w*[^.;:]{0,30}$")
# "left lower lobe", "distal", "mid": where in the organ, not which organ
_PLACE = (
    r"(?:(?:right|left|upper|lower|middle|mid|outer|inner|distal|proximal|anterior|posterior)[\s-]+){0,3}"
)
_MORE = (
    r"triple[\s-]negative|primary|basaloid|sarcomatoid|adenosquamous|keratini[sz]ing|non[\s-]keratini[sz]ing"
)
_ADJECTIVES = {**ADJECTIVE, "lung": "lung", "esophagus": "esophageal", "colon": "colon", "breast": "breast"}


@functools.cache
def _pattern() -> tuple[Caseless, Caseless, dict[str, str]]:
    """The phrase from its head noun on ("carcinoma of the left lower lobe": found fast, the head words leading
    the pattern), the modifiers before it (searched in a window before each head only) and the organ of each
    part."""
    organ_of: dict[str, str] = {}
    for organ, parts in note_vocab()["cancer_subsites"].items():
        for part in parts:
            organ_of[_key(part)] = organ
    parts = sorted(organ_of, key=len, reverse=True)
    alternation = "|".join(r"[\s-]+".join(map(re.escape, p.split())) for p in parts)
    tail = compile_i(
        rf"\b(?:adeno)?(?:{'|'.join(_HEADS)})(?:\s*\([^()]{{1,40}}\))?\s+(?:arising\s+)?(?P<prep>of|in|at|from)\s+"
        rf"(?:the\s+)?{_PLACE}(?P<part>{alternation})\b",
    )
    head = compile_i(rf"\b(?:(?:{MODIFIERS}|{_MORE})(?:\s*\([^()]{{1,30}}\))?[\s-]+){{1,4}}$")
    return tail, head, organ_of


def _key(words: str) -> str:
    return " ".join(words.lower().replace("-", " ").split())


def _depth(code: str) -> int:
    return len(oncotree_ancestors(code))


def _forms(histology: str, organ: str) -> list[str]:
    adjective = _ADJECTIVES.get(organ, organ)
    *modifiers, head = histology.split()
    forms = [f"{histology} of the {organ}", f"{adjective} {histology}", f"{organ} {histology}"]
    if modifiers:  # "small cell carcinoma" + lung: "small cell lung carcinoma"
        forms.append(f"{' '.join(modifiers)} {adjective} {head}")
    return forms


def subsite_cancers(text: str, read: list[tuple[int, int, str]]) -> list[tuple[int, int, str, str]]:
    """(start, end, "CANCER", code) of each cancer named by histology and organ part (see the module doc) that
    says more than the vocabulary's reading of the same words (`read`: (start, end, code)): not the same code,
    nor an ancestor of it ("carcinoma of the lung" stays the vocabulary's own reading)."""
    low = lowered(text)
    if not any(h in low for h in _HEADS):
        return []
    from oncofed.ingest.patients.common import oncotree_lookup

    tail, head, organ_of = _pattern()
    out: list[tuple[int, int, str, str]] = []
    for m in tail.finditer(text):
        organ = organ_of.get(_key(m.group("part")))
        placed = m.group("prep").lower() in (
            "in",
            "at",
        )  # "metastatic carcinoma in the lung": where it spread
        before = head.search(text, max(0, m.start() - 150), m.start())  # "squamous cell", "urothelial (...)"
        start = before.start() if before else m.start()
        if organ is None or (placed and _METASTATIC_BEFORE.search(text, max(0, start - 40), start)):
            continue
        noun = text[m.start() : m.start("prep")]
        histology = text[start : m.start()] + _ASIDE.sub(
            " ", noun
        )  # "urothelial (transitional cell) carcinoma"
        words = _key(_ASIDE.sub(" ", histology)).split()
        best: str | None = None
        for k in range(len(words)):  # the whole histology first, then without its first modifiers
            for form in _forms(" ".join(words[k:]), organ):
                code = oncotree_lookup(form)[0]
                if code and (best is None or _depth(code) > _depth(best)):
                    best = code
            if best is not None:
                same = [c for s, e, c in read if (s, e) == (start, m.end())]
                if not any(c == best or best in oncotree_ancestors(c) for c in same):
                    out.append((start, m.end(), "CANCER", best))
                break
    return out
