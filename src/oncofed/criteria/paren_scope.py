"""A ConText modifier inside parentheses reaches nothing after the closing parenthesis.

    paren_scoped(context, text, span) -> Context   # the modifiers that can reach the target at `span`

"HER2-negative disease (if known) and ER positive", "prior trastuzumab (not required if ineligible)
and measurable disease": the parenthesis is an aside and its "if" / "not" qualify what it holds (or what
it is attached to), never a target written after it. medspaCy's scopes run to the sentence's end (or to
a TERMINATE rule), and a ")" is no terminator in its rules (it cannot be one: the modifier must still
reach a target inside the parenthesis), so the scope is ended here, on the character offsets ConText
reports for each modifier.
"""

from __future__ import annotations

from dataclasses import replace

from oncofed.criteria.context import Context

_FLAGS = {
    "NEGATED_EXISTENCE": "negated",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "POSSIBLE_EXISTENCE": "uncertain",
    "FAMILY": "family",
}


def _closing(text: str, start: int) -> int | None:
    """Offset of the ")" closing the innermost parenthesis open at `start`, None when none is open."""
    depth = 0
    for i in range(start - 1, -1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                break
            depth -= 1
    else:
        return None
    depth = 0
    for j in range(start, len(text)):
        ch = text[j]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return j
            depth -= 1
    return None


def paren_scoped(context: Context, text: str, span: tuple[int, int] | None) -> Context:
    """`context` without the modifiers written inside a parenthesis that closes before the target."""
    if span is None or "(" not in text or not context.triggers:
        return context
    kept = []
    for trigger in context.triggers:
        _, start, _ = trigger
        close = _closing(text, start) if start < span[0] else None
        if close is None or close >= span[0]:
            kept.append(trigger)
    if len(kept) == len(context.triggers):
        return context
    flags = dict.fromkeys(_FLAGS.values(), False)
    for category, _, _ in kept:
        if category in _FLAGS:
            flags[_FLAGS[category]] = True
    return replace(context, triggers=tuple(kept), **flags)
