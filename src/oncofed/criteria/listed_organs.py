"""Organs listed bare beside the cancers a line names: each is one of the line's cancers.

"advanced breast, gastric, head and neck, liver and non-small cell lung cancer", "solid tumour types:
endometrial, cervical, ovarian, TNBC, HER2-negative breast, HNSCC or uveal melanoma", "malignant tumours of the
breast, ovary, uterine or sarcoma", "ovarian, fallopian tube or primary peritoneal carcinoma": the vocabulary
reads the list's last cancer (or its acronyms), not the organ words before it, so the line was read as one
cancer and a patient of one of the listed organs as "another organ" (an eligible patient hidden from the
trial). Counted on the trial corpus (`benchmarks.audit_cancer_lines`, "organs listed bare").

An organ word is read as a cancer of its organ (the OncoTree tissue) when it is a whole item of a list (a
separator before it, at most two qualifiers, a separator or the end after it) and the list reaches a cancer
the vocabulary read, or opens after a generic cancer noun ("tumours of the ..."). Not read: an organ a
mention of the line already names (the bare word is then that cancer's site: "adenocarcinoma of the stomach or
oesophagus", "HNSCC of the oral cavity, oropharynx ..."), a list of sites ("lung or liver metastases", "lesions
in the lung, liver or bone"), a word after "non-" ("non-breast or -ovarian cancers").
"""

from __future__ import annotations

import functools
import re

from oncofed.criteria import oncotree, vocab
from oncofed.criteria.cancer_site import _ADJECTIVES, _organ_words

_SEP = r"(?:\s*(?:,|;|/)\s*(?:(?:and/or|and|or)\s+)?|\s+(?:and/or|and|or)\s+|\s*:\s*)"
_QUALIFIER = r"(?:(?!(?:of|the|with|in|to|for|from|by|at|than|except|including|or|and|nor)\b)[\w+-]+\s+)"
# between two items of a list: a separator, then at most two qualifiers (four before a cancer read whole:
# "triple negative breast cancer" is one mention, "HER 2-negative breast" an organ after two)
_LINK = (re.compile(rf"^{_SEP}{_QUALIFIER}{{0,2}}$", re.I), re.compile(rf"^{_SEP}{_QUALIFIER}{{0,4}}$", re.I))
_AFTER = re.compile(r"\s*(?:,|;|/|\)|\.|$|(?:and/or|and|or)\b)", re.I)
# a site's noun after the organ: the list is of sites, not of cancers
_SITE_NOUN = re.compile(
    r"\s+(?:metasta\w*|lesions?|involvement|disease|nodes?|lymph|region|surgery|resection|radiation|"
    r"irradiation|field|function|transplant\w*|imaging|biops\w+|mass(?:es)?|tissue|exam\w*)\b",
    re.I,
)
# a generic cancer noun no mention reads, opening a list of organs ("malignant tumours of the breast, ovary ...",
# "one of the following solid tumors: pancreatic, thyroid, ...", "solid tumour types: endometrial, ...")
_ANCHOR = re.compile(
    r"\b(?:tumou?rs?|cancers?|carcinomas?|malignanc(?:y|ies)|neoplasms?|types?|histolog(?:y|ies))\s*"
    r"(?:(?:of|in)\s+(?:the\s+)?|(?:\([^()]*\)\s*)?:\s*)$",
    re.I,
)


_EXCEPTION = re.compile(
    r"\b(?:except|other\s+than|excluding|with\s+the\s+exception\s+of|apart\s+from|besides)\b", re.I
)


@functools.cache
def _words() -> tuple[re.Pattern[str], dict[str, str]]:
    words = {w.lower(): code for code, ws in _ADJECTIVES.items() for w in ws}
    for w, code in _organ_words().items():
        words.setdefault(w.lower(), code)
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?P<w>{alt})(?![\w-])", re.I), words


def _tissue(code: str) -> str:
    line = oncotree.lineage(code.upper())
    return line[-2] if len(line) >= 2 and line[-1] == oncotree.ROOT else code.upper()


def listed_organs(text: str, mentions: list[vocab.Mention]) -> list[vocab.Mention]:
    """`mentions` with the organs listed bare beside them added (see module doc), sorted by position."""
    if not mentions:
        return mentions
    rx, words = _words()
    spans = [(m.start, m.end) for m in mentions]
    named = {_tissue(m.code) for m in mentions}
    # items in order: ("cancer", start, end, None) for a mention, ("organ", ...) for an organ word outside them
    items: list[tuple[str, int, int, str | None]] = [("cancer", s, e, None) for s, e in spans]
    for m in rx.finditer(text):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in spans):
            continue
        site = bool(_SITE_NOUN.match(text, m.end())) or not _AFTER.match(text, m.end())
        code = words.get(re.sub(r"\s+", " ", m.group("w").lower()))
        items.append(("site" if site else "organ", m.start(), m.end(), code))
    items.sort(key=lambda x: x[1])
    # chains of items linked by a list separator (and at most two qualifiers before an organ word)
    chains: list[list[tuple[str, int, int, str | None]]] = []
    for item in items:
        prev = chains[-1][-1] if chains else None
        between = text[prev[2] : item[1]] if prev is not None and prev[2] <= item[1] else None
        if between is not None and _LINK[item[0] == "cancer"].match(between):
            chains[-1].append(item)
        else:
            chains.append([item])
    added: list[vocab.Mention] = []
    # "other than carcinoma in situ of the cervix or ...": the exceptions of another malignancy (extract_clinical)
    exception = _EXCEPTION.search(text)
    for chain in chains:
        if exception and chain[0][1] > exception.start():
            continue
        organs = [i for i in chain if i[0] == "organ"]
        if not organs or any(i[0] == "site" for i in chain):
            continue
        first = chain[0]
        anchored = first[0] == "organ" and bool(_ANCHOR.search(text[max(0, first[1] - 60) : first[1]]))
        if not anchored and not any(i[0] == "cancer" for i in chain):
            continue
        for k, (_, s, e, code) in enumerate(chain):
            if _ != "organ" or not code or text[max(0, s - 1) : s] == "-":
                continue  # "non-breast or -ovarian cancers": not these
            # "gastric or gastroesophageal junction adenocarcinoma": the organ shares the next cancer's noun
            after = next((i for i in chain[k + 1 :] if i[0] == "cancer"), None)
            shared = _shared_noun(text[s:e], text[after[1] : after[2]]) if after else None
            if shared is None and code in named:
                continue  # the line names that organ already: the word is its site ("... of the stomach or oesophagus")
            added.append(vocab.Mention(s, e, text[s:e], shared or code, {"listed_organ": True}))
            named.add(code)
    return sorted([*mentions, *added], key=lambda x: x.start) if added else mentions


def _shared_noun(word: str, cancer: str) -> str | None:
    """The code the vocabulary reads for the organ word with the next cancer's last noun ("gastric" +
    "adenocarcinoma": STAD), or None."""
    noun = cancer.split()[-1] if cancer.split() else ""
    if not re.search(r"(?:carcinoma|cancer|sarcoma|malignanc|tumou?r)s?$", noun, re.I):
        return None
    phrase = f"{word} {noun}"
    hit = next((h for h in vocab.find_cancer_types(phrase) if h.start == 0 and h.end == len(phrase)), None)
    return hit.code if hit else None
