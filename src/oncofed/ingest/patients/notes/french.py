"""Notes in French (or mixing French and English lines): the same facts, spans in the French text.

    extract(text, note_id, source) -> PatientProfile   # the notes reader's entry point, any language

The note's language is detected per line (`oncofed.criteria.language`); French lines are rewritten in
the English wording the note reader reads (`oncofed.criteria.french`, vocabularies in
`resources/vocab/fr/`), English lines are left as written, the English reader (`facts.extract`) runs
once, and every fact's span is mapped back to the note as written. So a French note gives the facts
its English twin gives, with the clinician's own words as evidence ("Pas de métastase cérébrale"),
and "not understood" sentences are quoted in French. Nothing is invented: a French word no vocabulary
knows stays as written and gives no fact (a sentence with a clinical signal then shows as not
understood on the patient page).

The `note` fact of a French or mixed note carries `attributes.language` ("fr", or "fr+en" for a mixed
note) and, for a mixed note, `attributes.lines` (the French and English line spans); an English note's
facts are exactly the English reader's.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import TypeVar

from oncofed.criteria.french import Rewritten, fold, rewrite
from oncofed.criteria.language import ENGLISH, FRENCH, TextLanguage, detect
from oncofed.domain import PatientProfile
from oncofed.domain.patient import Fact, Provenance
from oncofed.ingest.patients.common import fact
from oncofed.ingest.patients.notes import facts
from oncofed.ingest.patients.notes.text import sentences
from oncofed.resources import load_yaml

# display strings that name a concept (kept in English, as for an English note), not a quote of the text
_LABEL_KINDS = {"ecog", "karnofsky", "stage", "age"}
_LETTERS = re.compile(r"[^\W\d_]+")
_D = TypeVar("_D", Fact, Provenance)


def language_label(language: TextLanguage) -> str:
    if language.mixed:
        return f"{FRENCH}+{ENGLISH}"
    return language.language


def extract(text: str, note_id: str, source: str) -> PatientProfile:
    """The facts of one note in English, French or both, each with its span in `text`."""
    language = detect(text)
    if language.language == ENGLISH and not language.mixed:
        return facts.extract(text, note_id, source)  # English: the reader as it is, nothing added
    rw = rewrite(text, "notes", language)
    profile = facts.extract(rw.text, note_id, source)
    profile.facts = _restored_all(profile.facts, rw)  # the `note` fact labelled with the language too
    profile.facts += _french_unread(profile.facts, rw, language, note_id, source)
    return profile


@functools.cache
def _signals() -> tuple[str, ...]:
    return tuple(load_yaml("vocab/fr/rules.yaml")["unread_signals"])


def _french_unread(
    found: list[Fact], rw: Rewritten, language: TextLanguage, note_id: str, source: str
) -> list[Fact]:
    """French sentences with a French clinical signal word that gave no fact and no mention (the English
    reader's own pass only knows English signal words); quoted as written."""
    spans = sorted(f.provenance.span for f in found if f.provenance.span and f.kind not in ("age", "sex"))  # type: ignore[type-var]
    span_starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end of spans[:k + 1]
    french = language.spans(FRENCH)
    french_starts = [a for a, _ in french]
    signals = _signals()
    # the words of a sentence: `fold(sentence).lower()`'s letter runs, read in the text folded and
    # lower-cased once (`fold` keeps every offset; `lower` too unless a character grows)
    folded = rw.folded or fold(rw.source)
    low = folded.lower()
    if len(low) != len(folded):
        low = ""
    out = []
    for s, e in sentences(rw.source):
        k = bisect.bisect_right(french_starts, s) - 1  # the French span starting last at or before s
        if k < 0 or s >= french[k][1]:
            continue
        k = bisect.bisect_left(span_starts, e) - 1  # the spans starting before the sentence ends
        if k >= 0 and reach[k] > s:  # one of them ends inside it: the sentence gave a fact
            continue
        words = _LETTERS.findall(low, s, e) if low else _LETTERS.findall(fold(rw.source[s:e]).lower())
        if any(w.startswith(signals) for w in words):
            out.append(
                fact(
                    "note_unread", source, note_id, span=(s, e), note_id=note_id, display=rw.source[s:e][:160]
                )
            )
    return out


def _with(obj: _D, **changes: object) -> _D:
    """`dataclasses.replace` for the frozen `Fact` and `Provenance` (plain dataclasses, no `__post_init__`,
    no slots) without running their `__init__` again: 4x cheaper, and a French note has ~20 facts to move."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__, **changes)
    return new


def _engine_reads_text(f: Fact) -> bool:
    """A cancer's `attributes.text` is read by the matching engine for the words of its histology
    ("squamous", "adenocarcinoma") and of the criterion's exceptions ("basal cell carcinoma"), in English:
    it keeps the English wording ("esophageal squamous cell carcinoma" for "carcinome épidermoïde de
    l'œsophage"); the span and the display still quote the note as written."""
    return f.kind == "primary_cancer" or (f.kind == "comorbidity" and f.code == "prior_malignancy")


def _restored_all(found: list[Fact], rw: Rewritten) -> list[Fact]:
    """The facts with their spans (and the words they quote) in the note as written: each span through
    `Rewritten.to_source`, inlined (a French note has ~20 facts: the calls were half of the cost); a
    display or `attributes.text` that quoted the rewritten text quotes the note (but concept labels and
    the English the engine reads); the `note` fact holds the note as written and its language.

    The facts and their provenances are changed in place (their `__dict__`, as `_with` fills a copy's):
    `facts.extract` made them for this call and nothing else holds them (no reader caches a fact); a
    copy of each (and of its provenance) cost ~4 % of a French note (speed31). A provenance shared by
    two facts (a Karnofsky converted from an ECOG keeps the ECOG's) is mapped once, from its span as read."""
    edits, starts, source, text = rw.edits, rw.starts, rw.source, rw.text
    bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
    read: dict[int, tuple[int, int]] = {}  # id of a provenance already mapped -> its span as read
    seen: set[int] = set()  # ids of the facts already done (a fact listed twice is changed once)
    out = []
    for f in found:
        if id(f) in seen:
            out.append(f)
            continue
        seen.add(id(f))
        if f.kind == "note":  # the note as written, with its language (was `_labelled`, a pass of its own)
            out.append(_with(f, value=rw.source, attributes=_note_attributes(f, rw.language)))
            continue
        provenance = f.provenance
        span = read.get(id(provenance)) or provenance.span
        if not span:
            out.append(f)
            continue
        s, e = span
        k = bisect_right(starts, s) - 1  # `Rewritten._locate(s, end=False)`
        if k < 0:
            start = s
        else:
            s0, s1, _, d1 = edits[k]
            start = s0 if s < d1 else s - d1 + s1
        if e > s:  # `Rewritten._locate(e, end=True)`
            k = bisect_left(starts, e) - 1
            if k < 0:
                end = e
            else:
                _, s1, _, d1 = edits[k]
                end = s1 if e <= d1 else e - d1 + s1
            end = max(start, end)
        else:
            end = start
        quoted = source[start:end]
        written = text[s:e]
        if id(provenance) not in read:
            read[id(provenance)] = span
            provenance.__dict__["span"] = (start, end)
        fields = f.__dict__
        kind = f.kind
        if kind == "note_unread":
            fields["display"] = quoted[:160]
        elif kind not in _LABEL_KINDS and f.display and f.display == written:
            fields["display"] = quoted
        if f.attributes.get("text") == written and not _engine_reads_text(f):
            fields["attributes"] = {**f.attributes, "text": quoted}
        out.append(f)
    return out


def _note_attributes(f: Fact, language: TextLanguage) -> dict[str, object]:
    """The `note` fact's attributes with the note's language (and, for a mixed note, its lines)."""
    attrs: dict[str, object] = {**f.attributes, "language": language_label(language)}
    if language.mixed:
        attrs["lines"] = {lang: [list(s) for s in language.spans(lang)] for lang in (FRENCH, ENGLISH)}
    return attrs
