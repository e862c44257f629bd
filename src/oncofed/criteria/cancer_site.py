"""A cancer named with the organ it arose in: "endometrioid carcinoma of the ovary", "carcinome
endométrioïde de la trompe de Fallope".

Some histologies are written alike in several organs (endometrioid, serous, clear cell carcinomas; a
sarcoma; a neuroendocrine tumour), and the vocabulary files a histology named alone under one organ
("endometrioid carcinoma": OncoTree's uterine endometrioid carcinoma). When the text names the organ right
after it ("of the ovary", "de l'ovaire"), that organ is the cancer's: a mention whose code lies in another
OncoTree tissue than the organ named becomes the organ's code (the organ alone: the histology is not
filed there), so that the organ question (`matching.vocab.another_organ`) compares the organ the text
means. The organ words are OncoTree's tissue names (`resources/vocab/oncotree.tsv`, "Ovary/Fallopian
Tube" -> ovary, fallopian tube) and the usual English and French words for the same organs.
"""

from __future__ import annotations

import functools
import re

from oncofed.criteria import oncotree

# organ words OncoTree's tissue names do not spell (English variants, French; accents folded below)
_MORE_WORDS = {
    "UTERUS": ("endometrium", "uterine corpus", "utérus", "uterus", "endomètre", "corps utérin"),
    "OVARY": ("fallopian tubes", "ovaries", "ovaire", "ovaires", "trompe de fallope", "trompes", "trompe"),
    "CERVIX": ("uterine cervix", "col utérin", "col de l'utérus"),
    "STOMACH": ("oesophagus", "oesophage", "œsophage", "estomac"),
    "BLADDER": ("renal pelvis", "ureter", "ureters", "vessie", "bassinet", "uretère", "voies urinaires"),
    "PANCREAS": ("pancréas",),
    "LUNG": ("poumon",),
    "BREAST": ("sein",),
    "KIDNEY": ("rein",),
    "LIVER": ("foie",),
    "THYROID": ("thyroid gland", "thyroïde"),
    "HEAD_NECK": (
        "nasopharynx",
        "oropharynx",
        "hypopharynx",
        "larynx",
        "oral cavity",
        "cavum",
        "cavité buccale",
    ),
    "BOWEL": (
        "colon",
        "rectum",
        "anal canal",
        "anus",
        "small bowel",
        "small intestine",
        "côlon",
        "canal anal",
        "intestin grêle",
    ),  # fmt: skip
    "BILIARY_TRACT": ("bile duct", "bile ducts", "gallbladder", "voies biliaires", "vésicule biliaire"),
    "EYE": ("uvea", "choroid", "uvée", "choroïde"),
}
# the text right after a cancer's name that names its organ: "of the", "of", "de la", "de l'", "du"
_CONNECTOR = r"\s+(?:of\s+(?:the\s+)?|de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|d['’]\s*)"


@functools.cache
def _organ_words() -> dict[str, str]:
    """Lower-case organ word -> OncoTree tissue code (the tissue names split on "/", and `_MORE_WORDS`)."""
    out: dict[str, str] = {}
    for code in oncotree.shared_codes():
        if oncotree.shared_parent(code) is None and code not in oncotree.LIQUID_MAIN_TYPES:
            for word in (oncotree.shared_name(code) or "").lower().split("/"):
                if word.strip() and word.strip() not in ("soft tissue", "bone", "skin", "other"):
                    out.setdefault(word.strip(), code)
    for code, words in _MORE_WORDS.items():
        for word in words:
            out.setdefault(word, code)
    return out


@functools.cache
def _after() -> re.Pattern[str]:
    words = sorted(_organ_words(), key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(_CONNECTOR + rf"(?P<organ>{alternatives})\b", re.I)


def organ_named_after(text: str, end: int) -> str | None:
    """The OncoTree tissue code of the organ named right after position `end` ("... of the ovary"), or None."""
    m = _after().match(text, end)
    if not m:
        return None
    return _organ_words().get(re.sub(r"\s+", " ", m.group("organ").lower()))


# a cancer's noun (English, and French a line kept untranslated): a cancer the line names
_CANCER_NOUN = re.compile(
    r"\b(?:\w+(?:carcinom|sarcom)\w*|carcinom\w*|sarcom\w*|melanom\w*|mélanom\w*|lymphom\w*|leuk\w*mi\w*|"
    r"leucémi\w*|myelom\w*|myélom\w*|mesotheliom\w*|gliom\w*|\w+blastom\w*|"
    r"(?P<adj>[a-zé-]+)\s+cancers?|[a-zé-]+(?:ine|oid|ic|eal|ian)\s+(?:tumou?rs?|neoplasms?))\b",
    re.I,
)
# the noun first, as French writes it ("tumeur neuroendocrine", rewritten "tumour neuroendocrine")
_CANCER_NOUN_FIRST = re.compile(
    r"\b(?:cancers?|tumou?rs?|tumeurs?)\s+(?P<fr>[a-zé-]+(?:ine|ique|iques|aire|aires|oïde|oide|eux|euse|ale|ales|aux))\b",
    re.I,
)
# adjectives before "cancer" / "tumour" that name no organ or histology ("solid tumour", "primary tumour")
_NOT_A_KIND = frozenset(
    [
        "a",
        "an",
        "any",
        "the",
        "of",
        "other",
        "another",
        "solid",
        "primary",
        "secondary",
        "target",
        "measurable",
        "residual",
        "prior",
        "previous",
        "active",
        "known",
        "invasive",
        "advanced",
        "metastatic",
        "malignant",
        "recurrent",
        "refractory",
        "current",
        "second",
        "new",
        "their",
        "his",
        "her",
        "its",
        "no",
        "for",
        "with",
        "and",
        "or",
        "anti-cancer",
        "underlying",
        "original",
        "index",
        "treated",
        "untreated",
    ]
)

_NOT_A_KIND_FR = frozenset(
    [
        "solide",
        "solides",
        "primitive",
        "primitif",
        "maligne",
        "malignes",
        "avancée",
        "avancé",
        "avancées",
        "métastatique",
        "métastatiques",
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "et",
        "ou",
        "en",
        "avec",
        "sans",
        "mesurable",
        "mesurables",
        "cible",
        "cibles",
        "évaluable",
        "évaluables",
        "therapy",
        "treatment",
        "therapies",
        "tissue",
        "tissues",
        "sample",
        "samples",
        "cells",
        "cell",
        "site",
        "sites",
        "type",
        "types",
        "stage",
        "grade",
        "size",
        "lesion",
        "lesions",
        "burden",
        "markers",
        "marker",
        "board",
        "registry",
        "care",
        "centre",
        "center",
        "diagnosis",
    ]
)


def unread_cancer(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the line names a cancer outside every span the vocabulary read (`spans`): "cohorts of
    NSCLC, carcinoma of the vulva, ...": the cancers the line takes are not all known, so a patient's
    cancer in another organ than those read may be one of the others (the organ question is not asked)."""
    for m in _CANCER_NOUN.finditer(text):
        if any(s <= m.start() < e or s < m.end() <= e for s, e in spans):
            continue
        if m.group("adj") is not None and m.group("adj").lower() in _NOT_A_KIND:
            continue
        return True
    for m in _CANCER_NOUN_FIRST.finditer(text):
        if any(s <= m.start() < e for s, e in spans) or m.group("fr").lower() in _NOT_A_KIND_FR:
            continue
        if m.group("fr").lower() not in _NOT_A_KIND:
            return True
    return False


# --- a histology the vocabulary does not name, composed with its organ ----------------------------------

# organ adjectives written before a cancer's noun ("uterine carcinosarcoma", "ovarian clear cell carcinoma")
# or, in French, after it ("carcinosarcome utérin", "carcinome indifférencié nasopharyngé")
_ADJECTIVES = {
    "UTERUS": ("uterine", "endometrial", "utérin", "utérine", "endométrial", "endométriale"),
    "OVARY": ("ovarian", "tubal", "ovarien", "ovarienne"),
    "CERVIX": ("cervical",),
    "STOMACH": ("gastric", "oesophageal", "esophageal", "gastrique", "oesophagien", "oesophagienne"),
    "PANCREAS": ("pancreatic", "pancréatique"),
    "BOWEL": ("colonic", "colorectal", "rectal", "anal", "colique"),
    "BLADDER": ("bladder", "vesical", "vésical", "vésicale"),
    "HEAD_NECK": (
        "nasopharyngeal",
        "oropharyngeal",
        "hypopharyngeal",
        "laryngeal",
        "nasopharyngé",
        "nasopharyngée",
        "oropharyngé",
        "oropharyngée",
        "laryngé",
        "laryngée",
    ),  # fmt: skip
    "LUNG": ("lung", "pulmonary", "bronchial", "pulmonaire", "bronchique", "bronchopulmonaire"),
    "BREAST": ("breast", "mammary", "mammaire"),
    "PROSTATE": ("prostatic", "prostatique"),
    "KIDNEY": ("renal", "rénal", "rénale"),
    "BILIARY_TRACT": ("biliary", "biliaire"),
    "THYROID": ("thyroid", "thyroïdien", "thyroïdienne"),
    "EYE": ("uveal", "uvéal", "uvéale"),
}
# a cancer's noun the vocabulary may not read with its qualifiers (never "tumour": benign ones are many)
_NOUN = r"(?:\w*carcinom\w*|\w*sarcom\w*|\w*blastom\w*|cancers?)"
# qualifiers between a noun and its organ: "clear cell", "undifferentiated", French "à cellules claires",
# "indifférencié", "de haut grade" (no conjunction, no verb, no number)
_QUALIFIER = r"(?:(?!(?:or|and|et|ou|with|avec|of|treated|traité\w*)\b)[^\W\d_][\w'’-]*\s+)"
_FR_QUALIFIER = (
    r"(?:\s+(?:peu\s+|bien\s+|moyennement\s+)?[^\W\d_][\w-]*(?:é|ée|és|ées|eux|euse|oïde|oide|if|ive|aire|ale|ique)\b"
    r"|\s+à\s+(?:petites\s+|grandes\s+)?cellules(?:\s+claires)?|\s+de\s+(?:haut|bas)\s+grade)"
)


_COORDINATED_BEFORE = re.compile(r"(?:\b(?:or|and|ou|et)\s+|[,/]\s*)$", re.I)


@functools.cache
def _composed() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    adjectives = {w: code for code, words in _ADJECTIVES.items() for w in words}
    adj = "|".join(sorted((re.escape(w) for w in adjectives), key=len, reverse=True))
    words = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_organ_words(), key=len, reverse=True)
    )
    before = re.compile(rf"\b(?P<adj>{adj})\s+{_QUALIFIER}{{0,3}}?(?P<noun>{_NOUN})\b", re.I)
    after = re.compile(
        rf"\b(?P<noun>{_NOUN})(?:{_FR_QUALIFIER}){{0,3}}?(?:{_CONNECTOR}(?P<organ>{words})\b|\s+(?P<adj>{adj})\b)",
        re.I,
    )
    return before, after, adjectives


def composed_cancers(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, OncoTree tissue code) of the cancers `text` names by a noun the vocabulary did not read
    (outside `spans`) and an organ: "carcinosarcoma of the uterus", "uterine carcinosarcoma", "ovarian clear
    cell carcinoma", "carcinome indifférencié du nasopharynx", "carcinosarcome utérin" (the organ alone: the
    histology is not filed there)."""
    before, after, adjectives = _composed()
    out: list[tuple[int, int, str]] = []
    for rx in (after, before):
        for m in rx.finditer(text):
            noun = m.span("noun")
            if any(s <= noun[0] < e or s < noun[1] <= e for s, e in spans):
                continue
            if rx is after and _COORDINATED_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue  # "squamous cell carcinoma or adenocarcinoma of the cervix": histologies of one organ
            if any(s < m.end() and m.start() < e for s, e, _ in out):
                continue
            if m.groupdict().get("organ"):
                code = _organ_words().get(re.sub(r"\s+", " ", m.group("organ").lower()))
            else:
                code = adjectives.get(m.group("adj").lower())
            if code:
                out.append((m.start(), m.end(), code))
    return sorted(out)
