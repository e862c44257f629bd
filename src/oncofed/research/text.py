"""Text normalisation shared by affiliation matching and country detection.

The same rules as `ingest/trials/sites.normalise` (accents, case and punctuation removed, "st" ->
"saint"), so the centres' alias table means the same thing for registry sites and for affiliations;
engines may not import `ingest/`, and `tests/test_research_engine.py` checks both agree."""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_ST = re.compile(r"\bst\b")
_STE = re.compile(r"\bste\b")


@functools.lru_cache(maxsize=262_144)
def normalise(text: str) -> str:
    s = text or ""
    if not s.isascii():  # accents off (most affiliations are ASCII: skipped, measured 3x faster)
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c)).replace("œ", "oe").replace("Œ", "oe")
    s = s.lower()
    s = _NON_WORD.sub(" ", s)
    s = _ST.sub("saint", s)
    s = _STE.sub("sainte", s)
    return " ".join(s.split())
