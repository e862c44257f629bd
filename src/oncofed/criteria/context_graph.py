"""ConText's modifier graph on token indices: which rule matches modify which targets (issue 23 speed).

    supported(ctx) -> bool                                   # the rules use only what `edges` reads
    edges(matches, firsts, n_tokens, targets) -> list[(target, modifier)]   # medspaCy's edges, in order

The same algorithm as medspaCy 1.3.1's `ConTextGraph.update_scopes` / `apply_modifiers` and
`ConTextModifier` (`__set_scope`, `limit_scope`, `modifies`), step for step and in the same order, on
plain integers instead of objects: a modifier's scope is its sentence (forward: after it; backward:
before it; any other direction: the whole sentence); each pair of modifiers (i < j) limits the other's
scope, i's by j then j's by i (a TERMINATE modifier, or one of the same category or of a category in
the rule's `terminated_by`, ends a scope where it starts or ends); a modifier modifies a target whose
tokens it does not overlap and whose tokens its scope overlaps (medspaCy's `tuple_overlaps`, which is
not symmetric, kept as it is), unless it is a TERMINATE or PSEUDO modifier or its types exclude
"TARGET". The rule matches themselves still come from medspaCy's matcher (spaCy's PhraseMatcher on the
Doc, overlapping matches pruned): only the graph is computed here.

Why: the notes reader asks ConText about ~3 targets and ~3 modifiers a note; medspaCy spends most of
its call, outside the matcher, on building objects around them (a span group, a `ConTextModifier` and
its scope `Span` a match, the `span._.modifiers` extension of each target written through spaCy's
`Underscore`, the graph on the Doc), ~0.1 ms a French note read once (~4 % of it). The rules the
graph does not read (a `max_scope` window, `max_targets`, an `on_modifies` callback, a global
`max_scope` or pruning on target overlap) make `supported` False, and `criteria.context` then runs
medspaCy's own component. tests/test_criteria_context_edges.py, test_context_sentences.py and
test_criteria_context_graph.py compare both on drawn sentences.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any


def supported(ctx: Any) -> bool:
    """Whether every rule of the ConText component `ctx` (and its global settings) uses only what `edges`
    computes."""
    if ctx.max_scope is not None or ctx.prune_on_target_overlap:
        return False
    return all(
        rule.max_scope is None and rule.max_targets is None and rule.on_modifies is None for rule in ctx.rules
    )


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """medspaCy's `tuple_overlaps((a0, a1), (b0, b1))`: b starts or ends inside a (not symmetric)."""
    return a0 <= b0 < a1 or a0 < b1 <= a1


def _allows(rule: Any, label: str) -> bool:
    if rule.allowed_types is not None:
        return label in rule.allowed_types
    if rule.excluded_types is not None:
        return label not in rule.excluded_types
    return True


def edges(
    matches: Sequence[tuple[Any, int, int]],
    firsts: Sequence[int],
    n_tokens: int,
    targets: Sequence[tuple[int, int]],
    label: str = "TARGET",
) -> list[tuple[int, int]]:
    """(target index, match index) of each target (start token, end token) and each of the `matches`
    (rule, start token, end token; medspaCy's matcher order) that modifies it, in the order of medspaCy's
    graph edges (by modifier, then by target). `firsts`: the sorted first tokens of the Doc's sentences
    (token 0 among them)."""
    # [start, end, scope start, scope end, rule, direction, DIRECTION, CATEGORY] per modifier
    mods: list[list[Any]] = []
    for rule, start, end in matches:
        k = bisect.bisect_right(firsts, start) - 1  # the sentence of the modifier's first token
        sent_start = firsts[k]
        sent_end = firsts[k + 1] if k + 1 < len(firsts) else n_tokens
        direction = rule.direction
        lower = direction.lower()
        if lower == "forward":
            scope = (end, sent_end)
        elif lower == "backward":
            scope = (sent_start, start)
        else:  # bidirectional (and TERMINATE / PSEUDO, as in medspaCy)
            scope = (sent_start, sent_end)
        mods.append([start, end, scope[0], scope[1], rule, lower, direction.upper(), rule.category.upper()])
    for i in range(len(mods) - 1):  # `ConTextGraph.update_scopes`
        for j in range(i + 1, len(mods)):
            _limit(mods[i], mods[j])
            _limit(mods[j], mods[i])
    out: list[tuple[int, int]] = []
    for m, (start, end, scope_start, scope_end, rule, _, _, _) in enumerate(mods):  # `apply_modifiers`
        if rule.direction in ("TERMINATE", "PSEUDO") or not _allows(rule, label.upper()):
            continue
        for t, (t0, t1) in enumerate(targets):
            if not _overlaps(start, end, t0, t1) and _overlaps(scope_start, scope_end, t0, t1):
                out.append((t, m))
    return out


def _limit(mod: list[Any], other: list[Any]) -> None:
    """`ConTextModifier.limit_scope(mod, other)`: `mod`'s scope ended by `other` (in place)."""
    if not _overlaps(mod[2], mod[3], other[2], other[3]) or mod[6] == "TERMINATE":
        return
    rule, other_rule = mod[4], other[4]
    if other[6] != "TERMINATE" and other[7] not in rule.terminated_by and other[7] != mod[7]:
        return
    if rule.category == other_rule.category and (
        rule.allowed_types != other_rule.allowed_types or rule.excluded_types != other_rule.excluded_types
    ):
        return
    if mod[5] in ("forward", "bidirectional") and other[0] > mod[0]:
        mod[3] = min(mod[3], other[0])
    if mod[5] in ("backward", "bidirectional") and other[1] < mod[1]:
        mod[2] = max(mod[2], other[1])
