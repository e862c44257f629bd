"""`criteria.french.fold` (issue 23 speed): a Latin-1 text is folded by `bytes.translate`, others by runs of
non-ASCII characters; both equal the plain form, the whole text through `str.translate` of the fold table."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import french

_PLAIN_TABLE = french._fold_table()


def _plain(text: str) -> str:
    return text.translate(_PLAIN_TABLE)


_ALPHABET = st.sampled_from(
    "abcXYZ 09'-,.\n\t" + "".join(map(chr, range(0x80, 0x250))) + "’‘«»\u202f\u2264\u00b5œŒβ€…\ud800"
)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_fold_equals_the_plain_translation(text: str) -> None:
    assert french.fold(text) == _plain(text)


def test_every_character_folds_as_the_table_says() -> None:
    every = "".join(chr(code) for code in range(0x3000) if not 0xD800 <= code < 0xE000)
    assert french.fold(every) == _plain(every)
    latin1 = "".join(map(chr, range(256)))
    assert french.fold(latin1) == _plain(latin1)
    assert french._latin1_table() is not None  # the C path is taken for Latin-1 texts
    assert french.fold("Métastases hépatiques, «PS 1»\u00a0; cœur") == 'Metastases hepatiques, "PS 1" ; cœur'
