"""The ASCII fast path of the vocabulary tokeniser gives the tokens of the general (Unicode) path."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import vocab


def _general(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple((m.group(0).lower(), m.start(), m.end()) for m in vocab._TOKEN.finditer(text))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_tokens_match_the_general_tokeniser(text: str) -> None:
    general = _general(text)
    words, starts, ends, word_set = vocab._scan.__wrapped__(text)
    assert tuple(zip(words, starts, ends, strict=True)) == general
    assert word_set == frozenset(t for t, _, _ in general)
    assert vocab._tokens(text) == general


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aZ09 -_.,/(≥µéÉİßﬁ\u212a\u0301\n\t"), max_size=60)
    | st.text(max_size=60)
)
def test_any_text_tokens_match_the_general_tokeniser(text: str) -> None:
    general = _general(text)
    words, starts, ends, word_set = vocab._scan.__wrapped__(text)
    assert tuple(zip(words, starts, ends, strict=True)) == general
    assert word_set == frozenset(t for t, _, _ in general)


def test_non_ascii_text_keeps_the_general_path() -> None:
    text = "HER2-positive Ménétrier's disease_x ≥ 1.5 × ULN"
    assert vocab._tokens(text) == _general(text)
    assert ("ménétrier", 14, 23) in vocab._tokens(text)


def _reference_find(index: vocab.PhraseIndex, text: str) -> list[vocab.Mention]:
    """The plain longest-match scan, token by token (what `PhraseIndex.find` computes faster)."""
    toks = vocab._tokens(text)
    kept: list[vocab.Mention] = []
    i = 0
    while i < len(toks):
        start = toks[i][1]
        hit = None
        if not (start > 1 and text[start - 1] == "-" and text[start - 2].isalnum()):
            for length in range(1, len(toks) - i + 1):
                key = tuple(t for t, _, _ in toks[i : i + length])
                code = index.entries.get(key)
                if code is None:
                    continue
                end = toks[i + length - 1][2]
                if key in index.acronyms and not index.lowercase_acronyms and text[start:end].islower():
                    continue
                hit = (length, vocab.Mention(start, end, text[start:end], code))
        if hit:
            kept.append(hit[1])
            i += hit[0]
        else:
            i += 1
    return kept


INDEXES = {
    "drugs": vocab._drug_index,
    "classes": vocab._class_index,
    "genes": vocab._gene_index,
    "labs": vocab._lab_index,
}


@settings(max_examples=300, deadline=None)
@given(data=st.data(), which=st.sampled_from(sorted(INDEXES)))
def test_phrase_index_finds_the_longest_matches(data: st.DataObject, which: str) -> None:
    index = INDEXES[which]()
    phrases = sorted(" ".join(k) for k in index.entries)
    pieces = st.one_of(
        st.sampled_from(phrases),
        st.sampled_from(["and", "or", "no", "prior", "anti", "x", "", "1"]),
    )
    parts = data.draw(st.lists(pieces, min_size=1, max_size=8))
    parts = [data.draw(st.sampled_from([p, p.upper(), p.title()])) for p in parts]
    text = "".join(p + data.draw(st.sampled_from([" ", "-", ", ", "/", "("])) for p in parts)
    assert index.find(text) == _reference_find(index, text), text
