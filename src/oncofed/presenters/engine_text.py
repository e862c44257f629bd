"""Sentences the engines and services write in English (match evidence, what to check, recruitment
notes), said in the reader's language here, in the presenter: the engines stay language-free.

Each sentence shape the engines write is listed below as an English gettext message whose
placeholders stand for the variable parts; a sentence is matched against the shapes, and its parts
are said in turn: `*_list` parts are "; "-separated lists of sentences, `*_phrase` parts are
sentences, `date*` parts are dates (`day()`), `num*` parts numbers (`num()`), `lab` a laboratory
analyte; any other part is tried as a catalogue message (the engines' words: `presenters/engine_words.py`;
a comma-joined part word by word) and otherwise kept as written (drug names, codes, the criterion's own
words). A sentence starting with a capital is also tried as its lower-case shape.

French grammar is kept where the parts are known (`presenters/engine_grammar.py`): a biomarker result ("EGFR exon 20 insertion") is said
from its parts as a French noun phrase ("insertion de l'exon 20 d'EGFR"; `biomarker_result`), an OncoTree
cancer name by its French name where the vocabulary has one (`vocab/<lang>/cancers.tsv`), adjectives agree
with their noun (engine_words `AGREES`, genders from the catalogue), "de" is elided before a vowel where a
part is put after it, and lists are joined with the language's separator (French " ; ", a narrow no-break
space before the semicolon). English is shown as the engines wrote it, except their "(s)": the count
sentences (`COUNTED`) are said in the singular or the plural in both languages.

A shape the engines add later is shown in English until it is listed (in `engine_shapes.py`): `unsaid()` names the pieces
left in English; the French-page test (tests/test_i18n_pages.py) finds them on the demo, and
tests/test_engine_text.py on real cases of the French verdict dev set. To list every shape the engines
write, run them over the verdict dev sets and the demo and collect `unsaid('fr', sentence)`.
"""

from __future__ import annotations

import contextvars
import functools
import re
from datetime import date

from oncofed.presenters.engine_grammar import (
    NUMBER,
    WORD,
    agreed,
    biomarker_part,
    biomarker_piece,
    biomarker_result,
    cancer_names,
    elide,
    gender_of,
    is_marker,
    result_words,
    say_word,
)

# the shapes of the engines' sentences and their count sentences: engine_shapes.py (imported here as before)
from oncofed.presenters.engine_shapes import COUNTED as COUNTED  # noqa: E402
from oncofed.presenters.engine_shapes import LIST_SEPARATOR as LIST_SEPARATOR  # noqa: E402
from oncofed.presenters.engine_shapes import SHAPES as SHAPES  # noqa: E402
from oncofed.presenters.engine_shapes import SHAPES_MORE as SHAPES_MORE  # noqa: E402
from oncofed.presenters.engine_words import AGREES
from oncofed.presenters.i18n import Translator, translator

# a `num*` part is a number ("EGFR exon 20 insertion" is no laboratory value, "Known: 1 prior line(s)" no count);
# a `lab` part is an analyte's name, never a sentence's start ("Not decided: ... Known: 2 prior line(s) ..."),
# nor are a biomarker result's `marker` (one word) and `value` ("Not decided: ... Known: ALT 40 U/L (...)")
_NO_SENTENCE = r"(?:(?!: |\. ).)+?"
_GROUP = {"num": r"-?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?", "lab": _NO_SENTENCE}
_RESULT_GROUP = {"marker": r"[^\s:;]+", "value": _NO_SENTENCE}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@functools.cache
def _shapes() -> list[tuple[re.Pattern[str], str, bool]]:
    """(regex of the English sentence, its message, whether it is tried ahead), the most specific (longest
    literal text) first; the biomarker results' shapes also ahead of all, taken there only for a result
    of known words (`_ahead`)."""
    out = []
    for message in (*SHAPES, *SHAPES_MORE, *COUNTED):
        parts = PLACEHOLDER.split(message)
        pattern = "".join(
            re.escape(part.replace("%%", "%")) if i % 2 == 0 else f"(?P<{part}>{_group(message, part)})"
            for i, part in enumerate(parts)
        )
        out.append((_literal(message), re.compile(pattern + r"\Z", re.S), message))
    out.sort(key=lambda x: -x[0])
    ahead = [(rx, message, True) for _n, rx, message in out if message in BIOMARKER_SHAPES]
    return ahead + [(rx, message, False) for _n, rx, message in out]


def _group(message: str, part: str) -> str:
    """The pattern of a shape's part: what it may hold (`_GROUP`, `_RESULT_GROUP`), else any text."""
    found = _GROUP.get(part[:3]) or (_RESULT_GROUP.get(part) if message in BIOMARKER_SHAPES else None)
    return found or ".+?"


# shapes of a biomarker result ("EGFR exon 20 insertion (criterion: mutation)"): tried first, as "EGFR ..."
# would otherwise be read as a laboratory value ("eGFR", "20" "insertion") by a longer shape
BIOMARKER_SHAPES = frozenset(
    {
        "%(marker)s %(value)s (criterion: %(wanted_phrase)s)",
        "%(marker)s %(value)s: the criterion asks more",
        "no %(marker)s %(value)s found (criterion: %(wanted_phrase)s)",
        "no %(marker)s %(value)s found: the criterion asks more",
        "no %(marker)s %(value)s found",
    }
)


def _ahead(tr: Translator, groups: dict[str, str]) -> bool:
    """Whether a biomarker shape is taken ahead of the others: for a result of known words (not a number
    alone: "ECOG 1 (criterion: ...)" is no biomarker), never in English (shown as written)."""
    parts = result_words(groups["value"])
    return (
        tr.lang != "en"
        and parts is not None
        and is_marker(groups["marker"])
        and bool(
            parts[0] or parts[1] or parts[3] or any(not NUMBER.fullmatch(c) or "+" in c for c in parts[2])
        )
    )


def say(lang: str, text: str | None) -> str:
    """`text` (an engine's English sentence) in `lang`; unchanged when no shape matches, and in English
    but for its count sentences' "(s)" (said in the singular or the plural)."""
    if not text:
        return ""
    if lang == "en" and "(s)" not in text:
        return text
    return _say(translator(lang), text)


def unsaid(lang: str, text: str | None) -> list[str]:
    """The pieces of `text` that `say(lang, text)` leaves as written: sentences no shape matches and
    that are no catalogue message (an engine's sentence to list in `SHAPES`, or a word the engine puts in
    them), in the order met; codes and numbers ("MSI-H", "2") are not counted. Empty for English."""
    if not text or lang == "en":
        return []
    missed: list[str] = []
    token = _UNSAID.set(missed)
    try:
        _say(translator(lang), text)
    finally:
        _UNSAID.reset(token)
    return missed


_UNSAID: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("engine_text_unsaid", default=None)
# parts that may hold "; ": lists, and the note's own words quoted as a fact's source
_MAY_HOLD_SEMICOLONS = frozenset({"checks_list", "facts_list", "why_list", "found_list", "words"})


def _shaped(tr: Translator, text: str) -> str | None:
    """`text` said by the first shape it matches; a sentence starting with a capital (the first of a
    criterion's explanations) is also tried as its lower-case shape ("Primary cancer ..."), which wins
    when it is the more specific shape (more of its words written out: "No EGFR mutation found (criterion:
    ...)" is the shape "no %(marker)s %(value)s found (criterion: ...)", not "%(label)s (criterion: ...)")."""
    said, literal = _shaped_as_is(tr, text)
    if text[:1].isupper() and text[1:2].islower():
        lowered, literal_lowered = _shaped_as_is(tr, text[:1].lower() + text[1:])
        if lowered is not None and (said is None or literal_lowered > literal):
            return lowered[:1].upper() + lowered[1:]
    return said


def _literal(message: str) -> int:
    """How many characters of a shape are written out (not placeholders): how specific it is."""
    return len(PLACEHOLDER.sub("", message))


def _shaped_as_is(tr: Translator, text: str) -> tuple[str | None, int]:
    """`text` said by the first shape it matches, and how specific that shape is (`_literal`)."""
    for rx, message, ahead in _shapes():
        m = rx.match(text)
        if (
            m
            and not any(_misfit(k, v) for k, v in m.groupdict().items())
            and (not ahead or _ahead(tr, m.groupdict()))
        ):
            groups = m.groupdict()
            counted = COUNTED.get(message)
            params: dict[str, object] = {name: _part(tr, name, value) for name, value in groups.items()}
            if tr.lang == "en":  # as the engine wrote it, but a count's "(s)"
                if counted is None:
                    return (text if "(s)" not in text else message % params), _literal(message)
                said = tr.ngettext(counted.singular, counted.plural, _count(groups), **params)
                return said, _literal(message)
            template = (
                tr._t.ngettext(counted.singular, counted.plural, _count(groups))
                if counted is not None
                else tr._t.gettext(message)
            )
            template = _grammar(tr, message, template, groups, params)
            _lower_after_colon(template, groups, params)
            return template % params, _literal(message)
    return None, 0


_AFTER_COLON = re.compile(r":\s%\((\w+)\)s")


def _lower_after_colon(template: str, groups: dict[str, str], params: dict[str, object]) -> None:
    """A translated part right after a colon starts in lower case (French: "Lu comme présent : a reçu ...",
    was "A reçu": the capital of the engine's first sentence); a part whose first word is kept as written
    (the registry's or the criterion's words, a marker or a code: "HER2 1+", "Breast Cancer") keeps it."""
    for name in _AFTER_COLON.findall(template):
        said = str(params.get(name, ""))
        english = groups.get(name) or ""
        acronym = said[1:2].isupper() or said[1:2].isdigit()  # "LDH", "T4": as written
        if said[:1].isupper() and not acronym and said.split(" ", 1)[0] != english.split(" ", 1)[0]:
            params[name] = said[:1].lower() + said[1:]


def _misfit(name: str, value: str) -> bool:
    """A part the shape cannot hold: a list ("; ") where no list goes."""
    return "; " in value and name not in _MAY_HOLD_SEMICOLONS


def _grammar(
    tr: Translator, message: str, template: str, groups: dict[str, str], params: dict[str, object]
) -> str:
    """`template` (the translated shape) with the grammar its parts need: a biomarker result said as
    one phrase, adjectives agreed with their noun (the shape's own words too: its message in the noun's
    gender context, where the catalogue has one), "de" elided before a vowel."""
    if "marker" in groups and "value" in groups and "%(marker)s %(value)s" in template:
        phrase = biomarker_result(tr, groups["marker"], groups["value"])
        if phrase is not None:
            template = template.replace("%(marker)s %(value)s", "%(marker_value)s")
            params["marker_value"] = phrase
    agree = AGREES.get(message)
    if agree is not None:
        noun, adjectives = agree
        gender = gender_of(tr, noun[1:] if noun.startswith("=") else groups.get(noun, ""))
        if gender and (gendered := str(tr._t.pgettext(gender, message))) != message:
            template = gendered
        for name in adjectives if gender else ():
            if name in groups:
                params[name] = agreed(tr, gender, groups[name], str(params[name]))
    return elide(tr, template, params)


def _count(parts: dict[str, str]) -> int:
    """The count of a `COUNTED` sentence: its `num*` part (a fraction counts as its whole part)."""
    value = next(v for k, v in parts.items() if k.startswith("num"))
    try:
        return int(float(value))
    except ValueError:
        return 2  # not a number: the plural form


def _say(tr: Translator, text: str) -> str:
    # a decided criterion's sentence is its explanations and a full stop: the shape without the stop
    # first, so that no placeholder swallows it ("last given 2026-05-20.")
    if text.endswith(".") and len(text) > 1 and (inner := _shaped(tr, text[:-1])) is not None:
        return inner + "."
    if (whole := _shaped(tr, text)) is not None:
        return whole
    if text.endswith(".") and len(text) > 1:
        return _say(tr, text[:-1]) + "."
    if "; " in text:
        return _separator(tr).join(_say(tr, part) for part in text.split("; "))
    if tr.lang == "en":
        return text
    if (said_as_such := biomarker_piece(tr, text) or _codes_joined(tr, text)) is not None:
        return said_as_such
    said = say_word(tr, text)
    missed = _UNSAID.get()
    if missed is not None and said == text and WORD.search(text) and not _QUOTE_OR_ID.fullmatch(text):
        missed.append(text)
    return said


# the criterion's own words quoted (“...”) and record identifiers ("synthetic:seed=42:curie-000014") are
# no sentence of the engines: shown as written, they are not counted as English left
_QUOTE_OR_ID = re.compile(r"“[^“”]*”|\S*[:=]\S*\d\S*")


def _separator(tr: Translator) -> str:
    return str(tr._t.pgettext(*LIST_SEPARATOR))


def _codes_joined(tr: Translator, text: str) -> str | None:
    """Codes joined by "and" / "or" ("cT1N0 and cT4b"): the codes as written, the conjunction said."""
    pieces = re.split(r" (and|or) ", text)
    if len(pieces) < 3 or any(WORD.search(p) for p in pieces[::2]):
        return None
    return "".join(p if i % 2 == 0 else tr.gettext(f" {p} ") for i, p in enumerate(pieces))


def _part(tr: Translator, name: str, value: str) -> str:
    if name.endswith("_list"):
        return _separator(tr).join(_say(tr, item) for item in value.split("; "))
    if name.endswith("_phrase"):
        return _say(tr, value)
    if tr.lang == "en":
        return value
    if name in ("cancer", "wanted") and (named := cancer_names(tr, value)) is not None:
        return named
    if name in ("marker", "shown", "value") and (result := biomarker_part(tr, name, value)) is not None:
        return result
    if name.startswith("num"):
        try:
            return tr.number(float(value))
        except ValueError:
            return value
    if name == "condition_words":  # “women” and “childbearing potential”: the criterion's words, joined here
        return value.replace("” and “", "”" + tr.gettext(" and ") + "“")
    if name.startswith("date"):
        return ISO_DATE.sub(lambda m: tr.day(date.fromisoformat(m.group(0))), value)
    if name == "lab":
        code = value.lower().replace(" ", "_")
        known = tr.label("lab", code)
        return known if known != code else value
    return say_word(tr, value)
