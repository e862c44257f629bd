"""Receptors named together or around their status (ER, PR, HER2, hormone receptors).

    receptor_mentions(text, genes) -> list[Mention]   # a status swallowed by a mention split off;
                                                      # "estrogen and progesterone receptors": ER named
    shared_status(text, g, genes, has_status) -> (str, int) | None   # the text holding a coordinated
                                                      # status and its offset
    hr_definitions_dropped(text, atoms) -> list[Atom]   # "HR positive (ER and/or PR >= 1 %)": no cut-off

"Oestrogen receptor (ER) and progesterone receptor (PR) negative", "ER, PR and HER2 negative": the
receptors of a coordination share the status written after the last of them; "positive for ER and PR":
the status written before the first ("positive for" only). Percentages in parentheses right after a hormone receptor status
("hormone receptor positive (ER and/or PR >= 1 %)") define that status (criteria/positivity.py reads
the threshold): they are no requirement on each receptor's percentage of their own. A full name and its abbreviation in parentheses ("Estrogen receptor
(ER)") are one receptor. The vocabulary has "er-positive" / "er+" as synonyms of ER, so a mention
"ER positive" holds its own status: the status is split off the mention to be read as any other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from oncofed.criteria.vocab import Mention
from oncofed.domain.criteria import Atom

RECEPTORS = frozenset({"ER", "PR", "HER2", "HR", "AR"})

# what may stand between two receptors of one coordination: a closing parenthesis (of an abbreviation),
# a comma, "and", "or", "and/or", "/", "&", and an opening parenthesis (before an abbreviation)
_JOIN = re.compile(
    r"\s*\)?\s*(?:(?:,\s*(?:and/or|and|or)\b|and/or\b|and\b|or\b|,|/|&)\s*)?\(?\s*", re.IGNORECASE
)
_OWN_STATUS = re.compile(r"(?:[\s-]*(?:positive|negative)|\+)$", re.IGNORECASE)
# "positive for ER and PR"; not "negative for": ConText reads "negative for" as a negation of what follows
# (the receptor's status would be read backwards), left to check
_STATUS_BEFORE = re.compile(
    r"\b(?P<s>positive)\s+(?:for|to)\s+(?:the\s+)?(?:expression\s+of\s+)?(?:both\s+)?$",
    re.IGNORECASE,
)
# "estrogen and progesterone receptors", "oestrogen/progesterone receptor": "estrogen" names ER
_ESTROGEN_AND = re.compile(
    r"\b(?P<er>o?estrogen)(?=\s*(?:and/or|and|or|/|&)\s*progesterone\s+receptors?\b)", re.IGNORECASE
)


def receptor_mentions(text: str, genes: Sequence[Mention]) -> list[Mention]:
    """`genes` with a status split off the receptor mentions that hold it and ER named by "estrogen" in
    "estrogen and progesterone receptors"."""
    out = []
    for g in genes:
        own = _OWN_STATUS.search(g.text) if g.code in RECEPTORS else None
        if own is not None and own.start() > 0:
            g = replace(g, end=g.start + own.start(), text=g.text[: own.start()])
        out.append(g)
    for m in _ESTROGEN_AND.finditer(text):
        if not any(g.start <= m.start() < g.end for g in out):
            out.append(Mention(m.start(), m.end(), m.group(0), "ER"))
    return sorted(out, key=lambda g: g.start)


def _joined(text: str, a: Mention, b: Mention) -> bool:
    return b.start >= a.end and _JOIN.fullmatch(text, a.end, b.start) is not None


def shared_status(
    text: str, g: Mention, genes: Sequence[Mention], has_status: Callable[[str], bool]
) -> tuple[str, int] | None:
    """The text whose start holds the status `g` shares with the receptors coordinated with it (after
    the last one, or "positive" / "negative" written before the first) and its offset in `text`, None
    when there is none. The atom's span runs to the status, so that the status word ("negative") is
    never read as a negation of the receptors it qualifies."""
    chain = [m for m in genes if m.code in RECEPTORS]
    if g not in chain:
        return None
    k = chain.index(g)
    cur = g
    for m in chain[k + 1 :]:
        if not _joined(text, cur, m):
            break
        cur = m
        tail = text[cur.end : cur.end + 60]
        if has_status(tail):
            return tail, cur.end
    head = g
    for m in reversed(chain[:k]):
        if not _joined(text, m, head):
            break
        head = m
    before = _STATUS_BEFORE.search(text, max(0, head.start - 60), head.start)
    return (before.group("s"), before.start("s")) if before else None


# "HR-positive (", "hormone receptor positive disease (", "HR positive breast cancer ("
_OPEN_AFTER = re.compile(r"(?:[\s-]+[a-z]+){0,2}\s*\([^()]*", re.IGNORECASE)
_INEQUALITIES = ("<=", "<", ">=", ">")


def hr_definitions_dropped(text: str, atoms: list[Atom]) -> list[Atom]:
    """`atoms` without the ER / PR percentages that define a hormone receptor status written just before
    their parenthesis ("HR-positive (ER and/or PR >= 1 %)")."""
    ends = [a.span[1] for a in atoms if a.attributes.get("group") == "hr" and a.span]
    if not ends:
        return atoms
    return [
        a
        for a in atoms
        if not (
            a.code in ("ER", "PR")
            and a.operator in _INEQUALITIES
            and a.span
            and any(e <= a.span[0] and _OPEN_AFTER.fullmatch(text, e, a.span[0]) for e in ends)
        )
    ]
