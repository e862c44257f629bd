"""A condition a note names by its signs, not its name: "numbness of the fingertips since docetaxel", "tingling in
both feet after oxaliplatin", "paraesthesia of the hands and feet (grade 1)": a sensory symptom where a peripheral
neuropathy is felt (fingers, toes, hands, feet, extremities) is a peripheral neuropathy.

    neuropathy_signs(text) -> [(start, end, negated)]

Grammar: a sensory symptom word and, in the same clause within a few words (either order: "feet tingling"), a
part of the limbs' ends; "no numbness or tingling in the feet" is a negated one. A symptom elsewhere ("numbness
of the lip", "tingling of the tongue") or alone ("some tingling") gives nothing.
"""

from __future__ import annotations

from oncofed.ingest.patients.notes.lowered import compile_i

_SYMPTOM = (
    r"numb(?:ness)?|tingl(?:ing|es?)|pins\s+and\s+needles|par(?:a|ae|e)sth(?:e|é)si(?:a|ae|as|e|es)|"
    r"dys(?:a|ae|e)sth(?:e|é)si(?:a|ae|as|e|es)|hyp(?:o|er)(?:a|ae|e)sthesia|burning\s+(?:pain|sensation)"
)
_PLACE = (
    r"finger(?:tip)?s?|toes?|hands?|feet|foot|extremit(?:y|ies)|limbs?|soles?|palms?|"
    r"glove(?:s|-and-stocking)?(?:\s+and\s+stocking)?|stocking"
)
_SYMPTOM_RE = compile_i(rf"\b(?:{_SYMPTOM})\b")
_PLACE_AFTER = compile_i(rf"[^.;:\n]{{0,30}}?\b(?:{_PLACE})\b")
_PLACE_BEFORE = compile_i(rf"\b(?:{_PLACE})\b[^.;:\n]{{0,12}}?$")
_NEGATED = compile_i(r"\b(?:no|not|without|denies|nor|free\s+of|resolved)\b[^.;:\n]{0,20}$")
_NO_AFTER = compile_i(r"\s*[?:]\s*(?:no|none|absent|nil)\b")  # "Numb feet? no", "Tingling in hands: none"


def neuropathy_signs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, negated) of each sensory symptom of the hands or feet (see the module doc)."""
    low = text.lower()
    if not any(w in low for w in ("numb", "tingl", "needles", "sthes", "sthés", "burning s", "burning p")):
        return []
    out = []
    for m in _SYMPTOM_RE.finditer(text):  # the symptom words first (rare), then a place beside them
        after = _PLACE_AFTER.match(text, m.end(), m.end() + 60)
        placed = _PLACE_BEFORE.search(text, max(0, m.start() - 40), m.start()) if after is None else None
        if after is None and placed is None:
            continue
        start, end = (m.start(), after.end()) if after else (placed.start(), m.end())  # type: ignore[union-attr]
        negated = _NEGATED.search(text, max(0, start - 25), start) or _NO_AFTER.match(text, end)
        out.append((start, end, bool(negated)))
    return out
