"""ConText's graph computed on token indices (`criteria.context_graph`, issue 23 speed) gives medspaCy's
own answers: `modifiers_many` with the native graph and with medspaCy's component (`_native` False), on
drawn texts of several sentences that mix every direction of rule (forward "no", backward "ruled out",
bidirectional, TERMINATE "but", PSEUDO "no increase"), overlapping and repeated targets."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.criteria import context, context_graph

_WORDS = ["no", "not", "denies", "history", "of", "without", "possible", "family", "mother", "if", "but",
          "however", "cancer", "HIV", "brain", "metastases", "infection", "ruled", "out", "is", "was",
          "negative", "for", "free", "absence", "aunt", "had", "considered", "no", "increase", "unlikely",
          "resolved", "prior", "r/o", "versus", "vs", "cannot", "be", "excluded", "which", "except", ",", ";",
          ".", "(", ")"]  # fmt: skip


@st.composite
def _item(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=16))
    text = ""
    for word in words:
        text += word + draw(st.sampled_from([" ", " ", "  ", "\n", ""]))
    n = len(text.rstrip())
    spans: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(1, 5))):
        start = draw(st.integers(0, max(0, n - 1)))
        end = draw(st.integers(start + 1, max(start + 1, n)))
        spans.append((start, end))
        if draw(st.booleans()):
            spans.append((start, end))  # the same characters twice
    return text, spans


def _answers(items: list[tuple[str, list[tuple[int, int]]]], native: bool) -> str:
    context.clear_memo()
    kept = context._native
    context._native = lambda: native  # type: ignore[assignment]
    try:
        return repr(context.modifiers_many(items))
    finally:
        context._native = kept
        context.clear_memo()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_item(), min_size=1, max_size=6))
def test_the_native_graph_gives_medspacys_answers(items: list[tuple[str, list[tuple[int, int]]]]) -> None:
    assert _answers(items, True) == _answers(items, False), items


def test_the_projects_rules_use_the_native_graph() -> None:
    context._native.cache_clear()
    assert context._native()  # no max_scope, max_targets or on_modifies rule: the graph is computed here


def test_a_rule_the_graph_does_not_read_falls_back_to_medspacy() -> None:
    class Rule:
        max_scope, max_targets, on_modifies = 3, None, None

    class Component:
        max_scope, prune_on_target_overlap, rules = None, False, [Rule()]

    assert not context_graph.supported(Component())


def test_a_terminating_but_ends_a_negation_and_same_category_modifiers_limit_each_other() -> None:
    context.clear_memo()
    text = "No fever but cough, no rash and no HIV."
    spans = [(3, 8), (13, 18), (23, 27), (35, 38)]
    got = context.modifiers_many([(text, spans)])[0]
    assert [c.negated for c in got] == [True, False, True, True]
    # each negated target is modified by the nearest "no" only (scopes of one category limit each other)
    assert [c.triggers for c in got if c.negated] == [
        (("NEGATED_EXISTENCE", 0, 2),), (("NEGATED_EXISTENCE", 20, 22),), (("NEGATED_EXISTENCE", 32, 34),)
    ]  # fmt: skip
