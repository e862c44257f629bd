"""French typography: the space before ":" ";" "?" "!" and inside « », one that never breaks the line away from its
sign. The convention of oncofed (docs/DEVELOPING.md, "Translations"): a no-break space (U+00A0) before ":", as
the templates' `colon()` writes it, and a narrow no-break space (U+202F) before ";" "?" "!" and inside « », as the
catalogue's `list separator` (" ; "). `scripts/french_typography.py` applies it to the French catalogue's msgstr;
tests/test_i18n_typography.py fails when a French translation breaks it again.

Hand-written: a few rules over a translation's text; Babel (the stack's i18n library) formats numbers and dates
but has no typography.
"""

from __future__ import annotations

import re

from babel.messages.catalog import Catalog

NBSP, NNBSP = "\u00a0", "\u202f"
SPACE_BEFORE = {":": NBSP, ";": NNBSP, "?": NNBSP, "!": NNBSP}
# a sign of French punctuation: followed by a space, a closing bracket or quote, or the end of the text; so
# placeholders (`%(name)s`), URLs ("https://", "?lang=fr") and times ("10:30") are never touched
_SIGN = re.compile(r"(?P<space>[ \u00a0\u202f]?)(?P<sign>[:;?!])(?=[\s)»?!]|$)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]?")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]?»")


def french_typography(text: str) -> str:
    """`text` with the space French typography asks for before : ; ? ! and inside « »."""

    def sign(m: re.Match[str]) -> str:
        start = m.start()
        if not m.group("space") and (start == 0 or text[start - 1] in "?!"):
            return m.group(0)  # a sign opening the text (the code joins it after another part), or "?!"
        return SPACE_BEFORE[m.group("sign")] + m.group("sign")

    text = _SIGN.sub(sign, text)
    text = _OPEN_QUOTE.sub("«" + NNBSP, text)
    return _CLOSE_QUOTE.sub(NNBSP + "»", text)


def breaches(catalogue: Catalog) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translation whose typography `french_typography` would change."""
    out = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
        out += [(msgid, s) for s in strings if s and french_typography(s) != s]
    return out
