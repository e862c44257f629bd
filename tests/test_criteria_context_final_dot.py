"""A sentence's final "." written as a space before ConText reads it gives ConText's own answers
(issue 23 speed: `context._without_final_dot`, one TERMINATE modifier fewer a sentence), and the
`token.sent` hook of `context._hook_sentences` gives spaCy's own sentence of every token.

The plain form is `modifiers_many` with the text as written (`_without_final_dot` replaced by the
identity): same sentences, same batching into Docs, same targets. Sentences end with a "." after words,
modifiers ("no."), numbers, abbreviations the tokenizer keeps whole ("Dr.", "x.", "dL.") or after a space;
targets are drawn anywhere, the final "." included, and several sentences share a Doc (CHUNK).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import SENT_START

from oncofed.criteria import context

_WORDS = ["no", "not", "denies", "history", "of", "without", "possible", "family", "mother", "if", "but",
          "cancer", "HIV", "brain", "metastases", "infection", "treated", "prior", "negative", "for", "r/o",
          "ruled", "out", "free", "absence", "aunt", "had", "is", "being", "considered", ",", ";", ".",
          "p.V600E", "2.4", "mg/dL", "etc", "Dr", "x", "IV", "(", ")", "resolved", "now", "however"]  # fmt: skip
_ENDS = [".", " .", "..", ".)", "", "!", ". ", ".\n"]
# compiled by `make compile`, `context` calls its own `_without_final_dot` directly: replacing it by
# `monkeypatch` would change nothing and the comparison would hold trivially; those tests then run in a
# pure-Python process (`test_the_comparisons_run_as_pure_python`)
_COMPILED = not (context.__file__ or "").endswith(".py")
_PURE_ONLY = pytest.mark.skipif(_COMPILED, reason="replaces a compiled function: run under ONCOFED_PURE=1")


@st.composite
def _item(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
    text = ""
    for k, word in enumerate(words):
        text += word + ("" if k == len(words) - 1 else draw(st.sampled_from([" ", " ", "  ", "\n", ""])))
    text += draw(st.sampled_from(_ENDS))
    n = len(text)
    spans: list[tuple[int, int]] = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, max(0, n - 1)))
        end = draw(st.integers(start + 1, max(start + 1, n)))
        spans.append((start, end))
    if draw(st.booleans()) and text.endswith(".") and n > 1:
        spans.append((max(0, n - 4), n - 1))  # a target ending right before the final "."
    return text, spans


def _plain(items: list[tuple[str, list[tuple[int, int]]]]) -> list[list[context.Context]]:
    context.clear_memo()
    mp = pytest.MonkeyPatch()
    mp.setattr(context, "_without_final_dot", lambda text, spans: text)
    try:
        return context.modifiers_many(items)
    finally:
        mp.undo()
        context.clear_memo()


@_PURE_ONLY
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_item(), min_size=1, max_size=6))
def test_final_dot_as_a_space_gives_contexts_answers(items: list[tuple[str, list[tuple[int, int]]]]) -> None:
    context.clear_memo()
    got = context.modifiers_many(items)
    assert repr(got) == repr(_plain(items)), items


def test_the_final_dot_is_dropped_only_where_it_is_a_token_of_its_own() -> None:
    assert context._without_final_dot("No fever.", [(3, 8)]) == "No fever "
    assert context._without_final_dot("No fever.", [(3, 9)]) == "No fever."  # the target holds the "."
    assert context._without_final_dot("Seen by Dr.", []) == "Seen by Dr."  # "Dr." is one token
    assert context._without_final_dot("No fever", []) == "No fever"
    assert context._without_final_dot(".", []) == "."


@_PURE_ONLY
def test_a_negation_before_the_final_dot_still_applies() -> None:
    context.clear_memo()
    items = [("No HIV.", [(3, 6)]), ("Brain metastases: no.", [(0, 16)]), ("HIV negative.", [(0, 3)])]
    got = context.modifiers_many(items)
    assert [c.negated for answer in got for c in answer] == [True, False, False]
    assert repr(got) == repr(_plain(items))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_item(), min_size=1, max_size=5), st.data())
def test_the_sentence_hook_gives_spacys_sentence(
    items: list[tuple[str, list[tuple[int, int]]]], data: st.DataObject
) -> None:
    doc = context.pipeline().make_doc("\n\n".join(text for text, _ in items))
    if not len(doc):
        return
    flags = [data.draw(st.sampled_from([1, -1])) for _ in range(len(doc))]
    flags[0] = 1
    doc.from_array([SENT_START], numpy.array(flags).astype(numpy.uint64))
    expected = [(doc[i : i + 1].sent.start, doc[i : i + 1].sent.end) for i in range(len(doc))]
    context._hook_sentences(doc, [k for k, flag in enumerate(flags) if flag == 1])
    assert [(t.sent.start, t.sent.end) for t in doc] == expected


@pytest.mark.skipif(not _COMPILED, reason="ConText is pure Python here: the comparisons ran above")
def test_the_comparisons_run_as_pure_python() -> None:
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "ONCOFED_PURE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(Path(__file__).resolve()),
         "-k", "final_dot_as_a_space or negation_before_the_final_dot"],
        cwd=root, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 passed" in done.stdout, done.stdout[-1000:]
