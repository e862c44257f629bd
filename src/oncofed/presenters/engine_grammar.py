"""French grammar for the engines' English sentences said in the reader's language (`presenters/engine_text.py`
matches a sentence's shape; the parts are said here): a biomarker result from its parts ("EGFR exon 20
insertion" -> "insertion de l'exon 20 d'EGFR", `biomarker_result`), an OncoTree cancer name by the language's
name of its code (`vocab/<lang>/cancers.tsv`, `cancer_names`), an adjective agreed with its noun (the noun's
gender and the adjective's forms are catalogue messages: `gender_of`, `agreed`), "de" elided before a vowel
(`elide`), a catalogue word (`say_word`). The words and forms are gettext messages of `presenters/engine_words.py`."""

from __future__ import annotations

import functools
import re

from babel.numbers import format_percent

from oncofed.criteria.vocab import oncotree_name
from oncofed.presenters.engine_words import (
    BIOMARKER_FORMS,
    BIOMARKER_NOUNS,
    BIOMARKER_QUALIFIERS,
    BIOMARKER_STATUSES,
)
from oncofed.presenters.i18n import FORMAT_LOCALES, N_, Translator
from oncofed.resources import load_tsv, resource_path

WORD = re.compile(r"[a-z]{3,}")  # a piece with no word of three small letters is a code or a number
OR = N_(" or ")


_ELIDED = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'"}
_BEFORE_PART = re.compile(r"\b(de|que|le|la) (?=%\((\w+)\)s)")
_VOWEL_START = re.compile(r"[aeiouyàâäéèêëîïôöûüœ]", re.I)


def elide(tr: Translator, template: str, params: dict[str, object]) -> str:
    """French elision where a part follows "de", "que", "le", "la" and starts with a vowel ("une forme
    d'adénocarcinome", "de l'exon 20 d'EGFR"): the catalogue cannot know the part's first letter.
    Hand-written: a one-line rule at a known boundary, which no library of the stack offers."""
    if tr.lang != "fr":
        return template
    return _BEFORE_PART.sub(
        lambda m: _ELIDED[m.group(1)] if _VOWEL_START.match(str(params.get(m.group(2), ""))) else m.group(0),
        template,
    )


def gender_of(tr: Translator, noun: str) -> str:
    """The grammatical gender of `noun` (the English word) in the reader's language, from the catalogue
    ("feminine", "masculine plural", "feminine plural"); "" for masculine singular or unknown."""
    if not noun:
        return ""
    said = str(tr._t.pgettext("grammatical gender", noun.lower()))
    return said if said in ("feminine", "masculine plural", "feminine plural") else ""


def agreed(tr: Translator, gender: str, english: str, said: str) -> str:
    """An adjective (or a comma-joined list of them) agreed with a noun of `gender`; `said` otherwise.
    Alternatives ("adjuvant or neoadjuvant") agree one by one, each else as said alone."""
    whole = str(tr._t.pgettext(gender, english.lower()))
    if whole != english.lower():  # the phrase listed as a whole ("treated and stable": "traités et stables")
        return whole
    if (joint := _joint(english)) is not None:
        return tr.gettext(joint).join(
            agreed(tr, gender, item, say_word(tr, item)) for item in english.split(joint)
        )
    items = english.split(", ")
    out = []
    for item in items:
        form = str(tr._t.pgettext(gender, item.lower()))
        if form == item.lower():  # not listed for this gender: as said
            return said
        out.append(form)
    return ", ".join(out)


def say_word(tr: Translator, text: str) -> str:
    """A vocabulary word or any whole catalogue message; else the text as written."""
    if "%" in text:
        return text
    translated = tr._t.gettext(text)
    if translated != text:
        return translated
    lowered = text[:1].lower() + text[1:]
    translated = tr._t.gettext(lowered)
    if translated != lowered:
        return translated[:1].upper() + translated[1:]
    if ", " in text:  # "locally advanced, recurrent", "heart failure, stroke": the engine's joined words
        items = text.split(", ")
        said = [say_word(tr, item) for item in items]
        if said != items:
            return ", ".join(said)
    if (joint := _joint(text)) is not None:  # "metastatic or locally advanced": the engine's alternatives
        items = text.split(joint)
        if all(_known(tr, item) for item in items):  # every one a word of the catalogue, never half of them
            return tr.gettext(joint).join(say_word(tr, item) for item in items)
    return text


def _known(tr: Translator, word: str) -> bool:
    """Whether `word` (or its lower-case form) is a message of the reader's catalogue, said alike or not
    ("adjuvant" is French too)."""
    catalogue = getattr(tr._t, "_catalog", {})  # gettext's GNUTranslations: msgid -> msgstr
    return word in catalogue or word[:1].lower() + word[1:] in catalogue


def _joint(text: str) -> str | None:
    """The conjunction joining an engine's words ("metastatic or advanced", "adjuvant and
    neoadjuvant"; one kind per text), else None."""
    found = [joint for joint in (" or ", " and ") if joint in text]
    return found[0] if len(found) == 1 else None


# --- OncoTree cancer names -----------------------------------------------------------------------------


@functools.cache
def _cancer_names_of(lang: str) -> dict[str, str]:
    """OncoTree code -> its name in `lang`: the first full name (not an abbreviation) the language's
    vocabulary (`vocab/<lang>/cancers.tsv`, which maps names to codes) gives the code."""
    name = f"vocab/{lang}/cancers.tsv"
    if not resource_path(name).is_file():
        return {}
    out: dict[str, str] = {}
    for row in load_tsv(name):
        if any(c.islower() for c in row["french"]):
            out.setdefault(row["oncotree"], row["french"])
    return out


_NAMED_CODE = re.compile(r"(.+) \(([A-Z][A-Z0-9_]*)\)")


def cancer_names(tr: Translator, value: str) -> str | None:
    """ "Lung Adenocarcinoma (LUAD) or Lung Cancer (LUNG)" (OncoTree's names, as the engines write them)
    with each name in the reader's language where its vocabulary has one, the code kept; None when
    `value` is not such names."""
    names = _cancer_names_of(tr.lang)
    out = []
    for i, piece in enumerate(value.split(" or ")):
        m = _NAMED_CODE.fullmatch(piece)
        if m is None or oncotree_name(m.group(2)) != m.group(1):
            return None
        said = names.get(m.group(2))
        out.append((tr.gettext(OR) if i else "") + (f"{said} ({m.group(2)})" if said else piece))
    return "".join(out)


# --- biomarker results ---------------------------------------------------------------------------------

_EXON = re.compile(r"\bexon (\d+)\b", re.I)
_VARIANT = re.compile(r"(?:p\.)?[A-Z]\d+(?:_[A-Z]?\d+)?(?:[A-Z]|X|\*|fs\*?\d*|del|dup|ins[A-Z]*)?")
_SCALES = frozenset({"TPS", "CPS", "IC", "TC", "IHC", "ISH", "FISH", "NGS", "H-score"})
NUMBER = re.compile(r"\d+(?:\.\d+)?%?|[0-3]\+")
_MARKER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*")


def is_marker(word: str) -> bool:
    """A gene or biomarker name as the engines write it ("EGFR", "PD-L1", "HER2"), not a word."""
    return bool(_MARKER.fullmatch(word)) and sum(c.isupper() or c.isdigit() for c in word) >= 2


def result_words(value: str) -> tuple[str, list[str], list[str], str] | None:
    """(noun, describing words, codes and numbers, exon) of a result as the engines write it ("exon 20
    insertion", "germline pathogenic", "V600E mutation", "negative", "50%"); None when a word is none."""
    exon = ""
    if m := _EXON.search(value):
        exon, value = m.group(1), value[: m.start()] + value[m.end() :]
    tokens = value.split()
    noun, words, codes = "", [], []
    i = 0
    while i < len(tokens):
        two = " ".join(tokens[i : i + 2]).lower()
        one = tokens[i].lower()
        if i + 1 < len(tokens) and (two in BIOMARKER_QUALIFIERS or two in BIOMARKER_STATUSES):
            words.append(two)
            i += 2
            continue
        if one in BIOMARKER_NOUNS and not noun:
            noun = one
        elif one in BIOMARKER_QUALIFIERS or one in BIOMARKER_STATUSES:
            words.append(one)
        elif tokens[i] in _SCALES or _VARIANT.fullmatch(tokens[i]) or NUMBER.fullmatch(tokens[i]):
            codes.append(tokens[i])
        else:
            return None
        i += 1
    return noun, words, codes, exon


def _number_said(tr: Translator, code: str) -> str:
    """A result's number in the reader's way ("50%" -> "50 %", "2.5" -> "2,5"); codes as written."""
    if code.endswith("%") and code[:-1].replace(".", "", 1).isdigit():
        return str(
            format_percent(float(code[:-1]) / 100, locale=FORMAT_LOCALES[tr.lang], decimal_quantization=False)
        )
    if code.replace(".", "", 1).isdigit():
        return tr.number(float(code))
    return code


def biomarker_result(tr: Translator, marker: str, value: str) -> str | None:
    """A biomarker result ("EGFR" + "exon 20 insertion", "HER2" + "negative", "BRCA1" + "germline
    pathogenic") said from its parts as a phrase of the reader's language ("insertion de l'exon 20
    d'EGFR", "HER2 négatif", "variant germinal pathogène BRCA1"): the alteration's noun, its describing
    words agreed with the noun, the exon, the codes kept; None when `value` is no result of known words."""
    parts = result_words(value)
    if parts is None:
        return None
    noun, words, codes, exon = parts
    said_codes = " ".join(_number_said(tr, c) for c in codes)
    if not noun and (exon or any(w in BIOMARKER_QUALIFIERS for w in words)):
        noun = "variant"  # "germline pathogenic": a variant is meant
    if not noun:
        if not marker or not (words or said_codes):
            return None
        status = " ".join([said_codes, *(str(tr.message(BIOMARKER_STATUSES[w])) for w in words)]).strip()
        return _form(tr, "status", marker=marker, status=status)
    gender = gender_of(tr, noun)
    alteration = " ".join([tr.message(BIOMARKER_NOUNS[noun]), *(_describing(tr, gender, w) for w in words)])
    if exon:
        form = "exon" if marker else "exon without marker"
        return _form(tr, form, marker=marker, exon=exon, alteration=alteration) + (
            f" {said_codes}" if said_codes else ""
        )
    if not marker:
        return f"{alteration} {said_codes}".strip()
    if said_codes:
        return _form(tr, "variant", marker=marker, variant=said_codes, alteration=alteration)
    return _form(tr, "alteration", marker=marker, alteration=alteration)


def _describing(tr: Translator, gender: str, word: str) -> str:
    message = BIOMARKER_QUALIFIERS.get(word) or BIOMARKER_STATUSES[word]
    said = tr.message(message)
    return agreed(tr, gender, str(message), said) if gender else said


def _form(tr: Translator, form: str, **params: str) -> str:
    context, message = BIOMARKER_FORMS[form]
    return elide(tr, str(tr._t.pgettext(context, message)), dict(params)) % params


def biomarker_piece(tr: Translator, text: str) -> str | None:
    """A piece that is biomarker results ("BRAF mutation", "exon 19 deletion, L858R") said as such;
    None unless one of its comma-separated items is a result with a marker or an alteration."""
    items = text.split(", ")
    out, results = [], 0
    for item in items:
        head, _, rest = item.partition(" ")
        said = None
        if rest and is_marker(head):
            said = biomarker_result(tr, head, rest)
        if said is None:
            said = biomarker_result(tr, "", item)
        if said is not None:
            results += 1
        elif _VARIANT.fullmatch(item) or not WORD.search(item):
            said = item
        elif (word := say_word(tr, item)) != item:
            said = word
        else:
            return None
        out.append(said)
    return ", ".join(out) if results else None


_TEST_OF = re.compile(r"(\S+) \(([^()]+)\)")  # "ER (negative)": a marker and the result to test


def biomarker_part(tr: Translator, name: str, value: str) -> str | None:
    """A shape's biomarker part: "EGFR (exon 20 insertion)", "ER (negative), PR (negative)" (tests to do),
    "HER2 2+" (a result), or a result's value alone."""
    if name == "marker":

        def one(result: str) -> str:
            return biomarker_result(tr, "", result) or say_word(tr, result)

        def said(m: re.Match[str]) -> str:  # alternatives joined by "or" ("exon 19 deletion or L858R")
            return f"{m.group(1)} ({tr.gettext(OR).join(one(r) for r in m.group(2).split(OR))})"

        out = _TEST_OF.sub(said, value)
        return out if out != value else None
    if name == "shown":
        return biomarker_piece(tr, value)
    return biomarker_result(tr, "", value)
