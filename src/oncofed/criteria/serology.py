"""An infection named as a test to be done states no infection.

"HIV, HBV and HCV serologies must be documented at screening", "Hepatitis B testing (HBsAg, anti-HBc)
is required": the line asks for a test result on file, never for the infection. Read literally, the
infection became an inclusion requirement (hepatitis B present) and every patient free of it failed
the line. An infection atom (present, not negated) whose sentence names it as a test (serology, test,
testing, screening, status, panel, ...) with a word asking for it to be done or on file (required,
must, documented, performed, available, obtained), and says nothing of the result (positive, negative,
reactive, detectable, known infection ...), becomes a statement left to the investigator
(`non_evaluable`, `unread_statement`): the test is on file or not, the research nurse checks. A line that
states the result ("HBsAg negative", "known HIV infection") is left alone. Pure text analysis (an
engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.therapy_absence import unread_statement
from oncofed.domain import Atom, Criterion

WHY = "an infection named as a test to be done"
_TEST = compile_i(
    r"\b(?:serolog(?:y|ies|ic(?:al)?)|tests?|testing|tested|screening|screened|status|panels?|work-?up|"
    r"assays?|viral\s+load\s+(?:testing|measurement))\b"
)
_ASKED = compile_i(
    r"\b(?:requir\w*|must|mandatory|documented|documentation|performed|available|obtained|done|"
    r"collected|assessed|carried\s+out|(?:is|are)\s+needed|to\s+be\s+(?:tested|screened))\b"
)
_RESULT = compile_i(
    r"\b(?:positiv\w*|negativ\w*|reactive|non-?reactive|detect\w*|undetect\w*|sero-?(?:positive|negative)|"
    r"infect(?:ed|ion)|active|chronic|acute|known|history|carriers?|cured|resolved|eradicat\w*|"
    r"treated|untreated|uncontrolled|evidence)\b"
)
_SENTENCE_CUT = re.compile(r"[.;](?:\s|$)")


def _sentence(text: str, start: int) -> str:
    cut = 0
    for m in _SENTENCE_CUT.finditer(text, 0, start):
        cut = m.end()
    end = _SENTENCE_CUT.search(text, start)
    return text[cut : end.start() if end else len(text)]


def _asked_test(a: Atom, text: str) -> bool:
    if a.kind != "infection" or a.negated or a.operator != "present" or not a.span:
        return False
    sentence = _sentence(text, a.span[0])
    return bool(_TEST.search(sentence) and _ASKED.search(sentence) and not _RESULT.search(sentence))


def serology_tests(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, each infection named only as a test to be done made a statement left to the
    investigator."""
    out = []
    for c in criteria:
        if c.index >= 0 and any(_asked_test(a, c.text) for a in c.atoms):
            atoms = tuple(unread_statement(a, WHY) if _asked_test(a, c.text) else a for a in c.atoms)
            c = replace(c, atoms=atoms)
        out.append(c)
    return out
