"""The trigger words of a note looked for once (`context.trigger_starts`, speed25, issue 23) answer for each of
its sentences what `has_trigger` answers on the sentence alone: random notes of trigger words, words that hold
one ("nothing", "unknown", "known"), signs, quotes, brackets and sentence ends."""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import context
from oncofed.ingest.patients.notes.text import sentences

PIECES = [
    "no", "No", "not", "denies", "h/o", "r/o", "non-", "untreated", "unrelated", "history", "if", "nothing",
    "known", "snow", "pt", "x", "2", "é", ".", "!", "?", '"', "'", ")", "]", "(", ",", ";", "-", "/", "_",
    " ", " ", "  ", "\n", "\t",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_one_search_of_the_note_answers_for_each_sentence(pieces: list[str]) -> None:
    text = "".join(pieces)
    starts = context.trigger_starts(text)
    assert starts is not None  # the rules' trigger words are words, "-" and "/"
    for a, b in [*sentences(text), (0, len(text))]:
        found = bisect.bisect_left(starts, a) < bisect.bisect_left(starts, b)
        assert found == context.has_trigger(text[a:b]), (text, text[a:b])
