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

from dataclasses import replace

from oncofed.criteria.french import Rewritten, rewrite
from oncofed.criteria.language import ENGLISH, FRENCH, TextLanguage, detect
from oncofed.domain import PatientProfile
from oncofed.domain.patient import Fact
from oncofed.ingest.patients.notes import facts

# display strings that name a concept (kept in English, as for an English note), not a quote of the text
_LABEL_KINDS = {"ecog", "karnofsky", "stage", "age"}


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
    profile.facts = [_restored(f, rw) for f in profile.facts]
    return _labelled(profile, language)


def _restored(f: Fact, rw: Rewritten) -> Fact:
    """The fact with its span (and quoted words) in the note as written."""
    if f.kind == "note":
        return replace(f, value=rw.source)
    span = f.provenance.span
    if not span:
        return f
    start, end = rw.to_source(*span)
    quoted = rw.source[start:end]
    fields: dict[str, object] = {"provenance": replace(f.provenance, span=(start, end))}
    if f.kind == "note_unread":
        fields["display"] = quoted[:160]
    elif f.kind not in _LABEL_KINDS and f.display and f.display == rw.text[span[0] : span[1]]:
        fields["display"] = quoted
    if f.attributes.get("text") == rw.text[span[0] : span[1]]:
        fields["attributes"] = {**f.attributes, "text": quoted}
    return replace(f, **fields)  # type: ignore[arg-type]


def _labelled(profile: PatientProfile, language: TextLanguage) -> PatientProfile:
    label = language_label(language)
    out = []
    for f in profile.facts:
        if f.kind == "note":
            attrs = {**f.attributes, "language": label}
            if language.mixed:
                attrs["lines"] = {lang: [list(s) for s in language.spans(lang)] for lang in (FRENCH, ENGLISH)}
            f = replace(f, attributes=attrs)
        out.append(f)
    profile.facts = out
    return profile
