"""`criteria.vocab._coordinated_matches` tries `_COORDINATED` only in the runs holding a conjunction ("and" or
"or" then any white space, or "/"; speed28, issue 23): the matches are still those of the whole-text scan, with
the conjunction followed by a tab, a line break or U+00A0, or written without spaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria.vocab import _COORDINATED, _coordinated_matches

WORDS = ["ductal", "lobular", "Breast", "ovarian", "invasive", "non-small", "cell", "tumor", "for", "colorectal",
         "and", "or", "and/or", "AND", "Or", "carcinoma", "cancers", "tumour", "neoplasm", "x"]  # fmt: skip
GAPS = [" ", "\t", "\n", "\u00a0", "\x0b", "", "/", ", ", ",", "-", ".", "  "]


def _spans(matches: object) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=30))
def test_gated_runs_give_the_whole_text_matches(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    assert _spans(_coordinated_matches(text)) == _spans(_COORDINATED.finditer(text))


def test_conjunctions_before_any_white_space() -> None:
    for text in (
        "ductal and\nlobular carcinoma",
        "ductal or\tlobular carcinoma",
        "ductal and\u00a0lobular carcinoma",
        "tumor lobular carcinoma",  # "tum" + "or" + white space: the pattern's own reading, kept
        "ductal/lobular carcinoma",
    ):
        found = _spans(_coordinated_matches(text))
        assert found and found == _spans(_COORDINATED.finditer(text)), text
