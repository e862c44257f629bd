"""Case-insensitive searches of the notes reader, fast on French notes too (issue 23 speed).

    compile_i(pattern) -> NoteCaseless      # `re.compile(pattern, re.I)`, the same matches
    lowerable(text) -> bool                 # `text.lower()` may stand for `text`
    lowered(text) -> str                    # `text.lower()`, once per text

The notes reader's name for `oncofed.criteria.caseless`, which searches a text lower-cased without
IGNORECASE where that is exact: ASCII text, and text whose non-ASCII characters keep the lowered search
exact for a pattern testing only ASCII or caseless characters (the rule and its argument are in that
module's docstring; a French note rewritten in English wording keeps the accents of the words no
vocabulary knows: "créatinine", "µmol/L", "à J8"). The check lives in `criteria/` because engines may
not import `ingest/` and the criteria parser and the French front-end search such texts too.
tests/test_patients_notes_lowered.py compares both searches on the reader's own patterns.
"""

from __future__ import annotations

from oncofed.criteria.caseless import Caseless as NoteCaseless
from oncofed.criteria.caseless import compile_i, lowerable, lowered

__all__ = ["NoteCaseless", "compile_i", "lowerable", "lowered"]
