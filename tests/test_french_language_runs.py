"""Language detection reads a line's words from the text lower-cased once and, for a Latin-1 text, from
one `bytes.translate` of it (issue 23 speed): the same language for the text and every line (and the same
`decided_by`) as reading each line alone with `_WORD.findall(line.lower())`, on the dev notes (as written,
upper case, mixed with their English twins) and on random texts of French, English, loans, digits,
punctuation and characters outside Latin-1 or whose lower case grows."""

from __future__ import annotations

import bisect
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import language as L

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


def _reference(text: str) -> L.TextLanguage:
    """`detect` as it was before the words were read from the whole text (main at a6463da)."""
    if not L._FRENCH_LETTERS.search(text) and not L._ELISION_QUOTE.search(text):  # noqa: SIM102 - as it was
        if L.FRENCH_WORDS.isdisjoint(L._WORD.findall(text.lower())):
            return L.TextLanguage(
                L.ENGLISH, (L.LineLanguage(0, len(text), L.ENGLISH, "words"),) if text else ()
            )
    decided: list[tuple[int, int, str | None, str]] = []
    unclear: list[tuple[int, str, int, int]] = []
    fr_total = en_total = 0
    loans = L._LOANS.search(text) is not None
    elisions = [] if loans else [m.start() for m in L._ELISION_QUOTE.finditer(text)]
    for m in L._LINE.finditer(text):
        if loans:
            line = L._LOANS.sub(" ", m.group(0))
            elided = len(L._ELISION_QUOTE.findall(line))
        else:
            line = m.group(0)
            elided = bisect.bisect_left(elisions, m.end()) - bisect.bisect_left(elisions, m.start())
        words = L._WORD.findall(line.lower())
        fr, en = sum(w in L.FRENCH_WORDS for w in words), sum(w in L.ENGLISH_WORDS for w in words)
        fr += (L._FRENCH_LETTERS.search(line) is not None) + elided
        fr_total, en_total = fr_total + fr, en_total + en
        if fr >= 2 and en == 0:
            decided.append((m.start(), m.end(), L.FRENCH, "words"))
        elif en >= 2 and fr == 0:
            decided.append((m.start(), m.end(), L.ENGLISH, "words"))
        elif (fr or en) and len(words) >= 3:
            unclear.append((len(decided), line, fr, en))
            decided.append((m.start(), m.end(), None, "model"))
        else:
            decided.append((m.start(), m.end(), None, "text"))
    if unclear:
        L._ask_model(decided, unclear)
    known = [(e - s, lang) for s, e, lang, _ in decided if lang]
    fr_chars = sum(n for n, lang in known if lang == L.FRENCH)
    en_chars = sum(n for n, lang in known if lang == L.ENGLISH)
    if fr_chars == en_chars:
        whole = L.FRENCH if fr_total > en_total else L.ENGLISH
    else:
        whole = L.FRENCH if fr_chars > en_chars else L.ENGLISH
    lines = tuple(L.LineLanguage(s, e, lang or whole, how if lang else "text") for s, e, lang, how in decided)
    return L.TextLanguage(whole, lines)


def _notes(folder: str) -> list[str]:
    path = DATA / folder / "queries.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_same_languages_on_the_dev_notes() -> None:
    french, english = _notes("verdicts-dev-fr"), _notes("verdicts-dev")
    texts = french + english + [f + "\n" + e for f, e in zip(french, english, strict=False)]
    for text in texts + [t.upper() for t in texts]:
        assert L.detect(text) == _reference(text), text[:80]


def test_letter_runs_split_as_the_words_pattern_finds() -> None:
    text = "ça_va 3,9 G/L: l'œdème µmol ² x10^9 ÿ\u00a0fin\x85déjà\tvu"
    low = text.lower()
    runs = L._letter_runs(low)
    assert runs is None  # "œ" is not Latin-1: the caller keeps `findall`
    latin = low.replace("œ", "oe")
    runs = L._letter_runs(latin)
    assert runs is not None
    for start in range(len(latin)):
        for end in range(start, len(latin) + 1, 3):
            assert runs[start:end].split() == L._WORD.findall(latin, start, end)


_PIECES = [
    "de",
    "la",
    "pas",
    "avec",
    "the",
    "with",
    "no",
    "of",
    "patiente",
    "métastases",
    "ans",
    "d'un",
    "l'essai",
    "qu'il",
    "n'a",
    "de novo",
    "in situ",
    "peau d'orange",
    "café-au-lait",
    "et al",
    "vis-à-vis",
    "bloc",
    "PNN",
    "3,9",
    "G/L",
    "µmol/L",
    "ÉTAT",
    "œdème",
    "≥",
    "’",
    "İstanbul",
    "ſ",
    "\u212a",
    "_",
    "²",
    "Σ",
    "x",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", " ", "\n", ", ", ". ", "-", "\n\n"])))
)
def test_same_languages_on_random_texts(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in parts)
    assert L.detect(text) == _reference(text)
