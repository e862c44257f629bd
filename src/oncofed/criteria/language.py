"""The language (English or French) of a clinical note or an eligibility text, line by line.

    detect(text) -> TextLanguage      # the text's language, and each line's (mixed notes)

Why this shape (issue 23):
- The identifier is `py3langid` (langid.py's naive Bayes model over byte n-grams, BSD-3, ~0.7 MB,
  offline, restricted here to English and French). Kept at 0.2.2 because later releases need numpy 2
  (the project stays on numpy 1.26 for medspaCy). `lingua-language-detector` was checked and left out:
  a 96 MB wheel. `fasttext-langdetect` downloads its model at run time (no network here). EDS-NLP has no
  language identifier.
- langid.py walks the text byte by byte in Python (~0.3 ms per 100 characters). Most lines of a
  note say their language through function words ("de", "pas", "avec" / "the", "with", "was"), so a
  small stop-word count decides a line when it is clear-cut (two or more words of one language and none
  of the other) and the model arbitrates the others that have a word of either language (it never makes a
  line French without a French word: it reads "Absolute neutrophil count >= 1,500/mcL" as French), and only
  where its answer can change a line's language (`_ask_model`); a text
  with no French word and no French accent at all is English without asking the model (English is the platform's default, and English notes must
  not pay for French). Lines too short to tell ("ANC 3.9, Plt 250 G/L", "KPS 70") take the text's language.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

import numpy

from oncofed.criteria.frozen import made

ENGLISH, FRENCH = "en", "fr"
# Function words (and a few clinical words) that are words of one language and not of the other.
FRENCH_WORDS = frozenset(
    [
        "de",
        "des",
        "du",
        "le",
        "la",
        "les",
        "et",
        "avec",
        "sans",
        "pas",
        "une",
        "est",
        "sont",
        "pour",
        "dans",
        "sur",
        "au",
        "aux",
        "par",
        "ans",
        "chez",
        "sous",
        "lors",
        "mais",
        "ou",
        "ne",
        "que",
        "qui",
        "elle",
        "ont",
        "été",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "puis",
        "selon",
        "après",
        "avant",
        "aucun",
        "aucune",
        "absence",
        "patiente",
        "traitement",
        "traitée",
        "traité",
        "reçu",
        "prévu",
        "bilan",
        "être",
        "fait",
        "faite",
        "lui",
        "il",
        "nous",
        "mois",
        "semaines",
        "jours",
        "atcd",
        "rcp",
        "cure",
        "cures",
        "ligne",
        "lignes",
        "métastases",
        "métastase",
        "sein",
        "poumon",
        "côlon",
        "foie",
        "os",
        "tabac",
        "sevré",
        "fumeur",
        "enceinte",
        "négatif",
        "négative",
        "positif",
        "examen",
        "stade",
    ]
)
ENGLISH_WORDS = (
    frozenset(
        [
            "the",
            "of",
            "and",
            "with",
            "without",
            "no",
            "not",
            "was",
            "were",
            "is",
            "are",
            "has",
            "had",
            "have",
            "her",
            "his",
            "she",
            "he",
            "in",
            "on",
            "for",
            "to",
            "at",
            "by",
            "from",
            "this",
            "that",
            "which",
            "who",
            "history",
            "received",
            "years",
            "old",
            "prior",
            "after",
            "denies",
            "denied",
            "since",
            "then",
            "treated",
            "started",
            "weeks",
            "months",
            "days",
            "left",
            "right",
            "breast",
            "lung",
            "liver",
            "bone",
            "smoker",
            "pregnant",
            "stage",
        ]
    )
    - FRENCH_WORDS
)  # words of both ("patient", "cancer", "positive") count for neither
_WORD = re.compile(r"[^\W\d_]+")
_ELISION = re.compile(r"(?<![\w'’])(?:[dlnjs]|qu)['’](?=\w)", re.I)  # d'un, l'essai, n'a, qu'il
# French or Latin phrases of English medical writing: no evidence of French
_LOANS = re.compile(
    r"\b(?:de novo|in situ|peau d['’]orange|en bloc|caf[ée][ -]au[ -]lait|per se|et al|vis-[àa]-vis)\b", re.I
)
# The quote of each `_ELISION` match (one quote each; they never overlap), found from the quote: `re` then
# scans for the two quote characters in C instead of trying the pattern at every position (3x cheaper on
# a note); tests/test_french_fast_regex.py checks that both find the same elisions.
_ELISION_QUOTE = re.compile(r"['’](?:(?<=(?<![\w'’])[dlnjs]['’])|(?<=(?<![\w'’])qu['’]))(?=\w)", re.I)
# A lower-case piece of every `_LOANS` match, and the only characters that IGNORECASE matches to an ASCII
# letter without lower-casing to it (dotted and dotless i, long s, Kelvin sign): a text with none of either
# has no loan, found without running `_LOANS` (an IGNORECASE pattern opening with \b, tried at every
# position: a fifth of the language's cost on a French note)
_LOAN_PIECES = ("novo", "situ", "orange", "bloc", "lait", "per se", "et al", "vis-")
_ODD_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


def _has_loan(text: str, low: str | None = None) -> bool:
    """`_LOANS.search(text) is not None` (`low`: `text.lower()` when the caller has it)."""
    low = text.lower() if low is None else low
    if not any(piece in low for piece in _LOAN_PIECES) and _ODD_FOLDS.search(text) is None:
        return False
    return _LOANS.search(text) is not None


_FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜŸŒ]")
_LINE = re.compile(r"[^\n]+")
MIN_MODEL_PROBABILITY = 0.8


@dataclass(unsafe_hash=True)
class LineLanguage:
    # not `frozen=True`: a frozen dataclass's `__init__` is written by `dataclasses` in Python (one
    # `object.__setattr__` a field), which mypyc keeps; this one is compiled (`oncofed.compiled`) to set the
    # fields directly, ~30x cheaper. Never changed after `__init__` (as if frozen; `unsafe_hash`: the same
    # hash and equality as a frozen dataclass). See `oncofed.criteria.frozen`.
    start: int
    end: int
    language: str
    decided_by: str  # "words" (stop-word count), "model" (py3langid), "text" (the text's language)

    def __init__(self, start: int, end: int, language: str, decided_by: str) -> None:
        self.start = start
        self.end = end
        self.language = language
        self.decided_by = decided_by


@dataclass(frozen=True)
class TextLanguage:
    language: str
    lines: tuple[LineLanguage, ...] = ()

    @property
    def mixed(self) -> bool:
        return len({line.language for line in self.lines}) > 1

    def spans(self, language: str) -> list[tuple[int, int]]:
        """(start, end) of the lines in `language`, adjacent lines merged."""
        out: list[tuple[int, int]] = []
        for line in self.lines:
            if line.language != language:
                continue
            if out and out[-1][1] >= line.start - 1:
                out[-1] = (out[-1][0], line.end)
            else:
                out.append((line.start, line.end))
        return out


@functools.cache
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    ident.set_languages([ENGLISH, FRENCH])
    return ident


def model_language(text: str) -> tuple[str, float]:
    """(language, probability) by py3langid alone, English or French: `LanguageIdentifier.classify`
    with its feature vector counted as `instance2fv` counts it, in a tighter loop (its own walks the
    byte automaton with an attribute lookup and a list per byte: half the cost of a French note's
    language)."""
    ident = _identifier()
    data = text.encode("utf8", errors="surrogatepass")
    nextmove, output = ident.tk_nextmove, ident.tk_output
    state = 0
    indexes: list[int] = []
    extend = indexes.extend
    for letter in data:
        state = nextmove[(state << 8) + letter]
        out = output.get(state)
        if out:
            extend(out)
    if len(indexes) >= 65535:  # a count could overflow instance2fv's uint16: let py3langid count
        fv = ident.instance2fv(text)
    else:
        fv = numpy.bincount(indexes, minlength=ident.nb_numfeats).astype("uint16")
    probs = ident.norm_probs(ident.nb_classprobs(fv))
    best = numpy.argmax(probs)
    return str(ident.nb_classes[best]), float(probs[best])


def _is_letter(c: str) -> bool:
    """What `_WORD` (`[^\\W\\d_]`) matches: `re`'s `\\w` is `str.isalnum()` or "_", its `\\d` `str.isdecimal()`."""
    return c.isalnum() and not c.isdecimal() and c != "_"


@functools.cache
def _letters_table() -> bytes:
    return bytes(b if _is_letter(chr(b)) else 0x20 for b in range(256))


def _letter_runs(low: str) -> str | None:
    """`low` with every character `_WORD` does not match made a space, so that `.split()` of any slice is
    `_WORD.findall` of it (no Latin-1 letter is white space), or None when `low` is not Latin-1 (13 of the
    102 French dev notes: "œ", "’", "≥"). One `bytes.translate`: 5x cheaper than the `findall` of a note."""
    try:
        data = low.encode("latin-1")
    except UnicodeEncodeError:
        return None
    return data.translate(_letters_table()).decode("latin-1")


def _line(start: int, end: int, language: str, decided_by: str) -> LineLanguage:
    """`LineLanguage(...)` without the frozen dataclass's `__init__` when it runs as Python (one
    `object.__setattr__` a field: 3x the cost; a French note has ~6 lines); compiled by mypyc
    (`oncofed.compiled`), the class is native and its `__init__` is the fast way (`frozen.made`)."""
    return made(LineLanguage, {"start": start, "end": end, "language": language, "decided_by": decided_by})


def detect(text: str) -> TextLanguage:
    """The language of `text` and of each of its lines (English unless French is shown)."""
    low = text.lower()
    runs = _letter_runs(low) if len(low) == len(text) else None
    if (
        not _FRENCH_LETTERS.search(text)
        and not _ELISION_QUOTE.search(text)
        and FRENCH_WORDS.isdisjoint(runs.split() if runs is not None else _WORD.findall(low))
    ):
        return TextLanguage(ENGLISH, (LineLanguage(0, len(text), ENGLISH, "words"),) if text else ())
    decided: list[tuple[int, int, str | None, str]] = []
    unclear: list[tuple[int, str, int, int]] = []  # (index in `decided`, line, fr, en): for the model
    fr_total = en_total = 0
    # a line's loans and elisions are the text's that lie in the line (they never cross a line end, and
    # their lookarounds read a line end as the end of a lone line): looked for once in the text
    loans = _has_loan(text, low)
    elisions = [] if loans else [m.start() for m in _ELISION_QUOTE.finditer(text)]
    # a line's words are the letter runs of the text lower-cased once, read between the line's ends
    # (`_WORD` has no lookaround: the same runs as in the line alone; `lower` keeps every offset unless
    # a character grows, when each line is lower-cased alone as before)
    whole = len(low) == len(text)
    french_in, english_in = FRENCH_WORDS.__contains__, ENGLISH_WORDS.__contains__
    findall, accent = _WORD.findall, _FRENCH_LETTERS.search
    for m in _LINE.finditer(text):
        start, end = m.span()
        if loans:  # a loan may hold an elision ("peau d'orange"): elisions of the line without its loans
            line = _LOANS.sub(" ", m.group(0))
            elided = len(_ELISION_QUOTE.findall(line))
            words = findall(line.lower())
            accented = accent(line) is not None
        else:
            line = m.group(0)
            elided = bisect.bisect_left(elisions, end) - bisect.bisect_left(elisions, start)
            if runs is not None:
                words = runs[start:end].split()
            else:
                words = findall(low, start, end) if whole else findall(line.lower())
            accented = accent(text, start, end) is not None
        fr = sum(map(french_in, words)) + accented + elided
        en = sum(map(english_in, words))
        fr_total, en_total = fr_total + fr, en_total + en
        if fr >= 2 and en == 0:
            decided.append((start, end, FRENCH, "words"))
        elif en >= 2 and fr == 0:
            decided.append((start, end, ENGLISH, "words"))
        elif (fr or en) and len(words) >= 3:
            unclear.append((len(decided), line, fr, en))
            decided.append((start, end, None, "model"))
        else:
            decided.append((start, end, None, "text"))
    if unclear:
        _ask_model(decided, unclear)
    fr_chars = en_chars = 0
    for s, e, lang, _ in decided:
        if lang == FRENCH:
            fr_chars += e - s
        elif lang == ENGLISH:
            en_chars += e - s
    if fr_chars == en_chars:
        language = FRENCH if fr_total > en_total else ENGLISH
    else:
        language = FRENCH if fr_chars > en_chars else ENGLISH
    lines = tuple(_line(s, e, lang or language, how if lang else "text") for s, e, lang, how in decided)
    return TextLanguage(language, lines)


def _ask_model(
    decided: list[tuple[int, int, str | None, str]],
    unclear: list[tuple[int, str, int, int]],
    shortcut: bool = True,
) -> None:
    """Decide the `unclear` lines of `decided` (in place) with the model, where its answer can matter.

    The model alone never makes a line French (or English) that has no word of that language, nor one
    with more words of the other: a line with more French words than English ones is French or, when
    the model does not say French, takes the text's language. When the text is French whatever the
    model says of its unclear lines (more characters in lines French by their words than in the lines
    English by their words and all unclear lines that could be English), such a line is French either
    way: it is decided by its words, without the model (which walks the line byte by byte in Python;
    most lines of a French note that reach the model are such lines: "PNN 3,9 G/L, plaquettes 250 G/L, créatinine 64 µmol/L"). The
    same holds for English. Every line gets the language it got when the model read all of them."""
    chars = {FRENCH: 0, ENGLISH: 0}
    for s, e, lang, _ in decided:
        if lang:
            chars[lang] += e - s
    could = {FRENCH: 0, ENGLISH: 0}  # characters of the unclear lines that the model could make so
    for k, _, fr, en in unclear:
        length = decided[k][1] - decided[k][0]
        if fr >= en:
            could[FRENCH] += length
        if en >= fr:
            could[ENGLISH] += length
    sure = None  # without the shortcut (tests), every unclear line goes to the model
    if shortcut and chars[FRENCH] > chars[ENGLISH] + could[ENGLISH]:
        sure = FRENCH
    elif shortcut and chars[ENGLISH] > chars[FRENCH] + could[FRENCH]:
        sure = ENGLISH
    for k, line, fr, en in unclear:
        s, e, _, _ = decided[k]
        if (sure == FRENCH and fr > en) or (sure == ENGLISH and en > fr):
            decided[k] = (s, e, sure, "words")
            continue
        language, probability = model_language(line)
        # the model alone never makes a line French (or English) that has no word of that language:
        # it reads "Absolute neutrophil count >= 1,500/mcL" as French
        mine, other = (fr, en) if language == FRENCH else (en, fr)
        ok = probability >= MIN_MODEL_PROBABILITY and mine > 0 and mine >= other
        decided[k] = (s, e, language if ok else None, "model")
