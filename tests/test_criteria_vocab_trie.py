"""`PhraseIndex.find` walks its keys as a trie (issue 23 speed); the mentions are those of the longest-match
scan it replaced: at each token that may start a phrase (left to right, after the last mention kept, not
right after "word-"), every prefix of the following tokens probed in turn, the longest key that is
accepted (an acronym not written in lower case, a short key written as an acronym) wins."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.criteria import vocab


def _reference(index: vocab.PhraseIndex, text: str) -> list[tuple[int, int, str, str]]:
    words, starts, ends, _ = vocab._scan(text)
    prefixes = {k[:n] for k in index.entries for n in range(1, len(k) + 1)}
    out: list[tuple[int, int, str, str]] = []
    free = 0
    for i in range(len(words)):
        if i < free or words[i] not in index.first:
            continue
        start = starts[i]
        if start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
            continue
        hit = None
        for length in range(1, min(index.max_len, len(words) - i) + 1):
            key = tuple(words[i : i + length])
            if key not in prefixes:
                break
            code = index.entries.get(key)
            if code is None:
                continue
            surface = text[start : ends[i + length - 1]]
            if key in index.acronyms and not index.lowercase_acronyms and surface.islower():
                continue
            if key in index.cased and (
                not vocab._as_acronym(surface)
                or (
                    key in vocab._WORD_ACRONYMS
                    and vocab._in_capitals(text, start, ends[i + length - 1], index.entries)
                )
            ):
                continue
            hit = (length, ends[i + length - 1], surface, code)
        if hit:
            out.append((start, hit[1], hit[2], hit[3]))
            free = i + hit[0]
    return out


_PHRASES = {"non small cell lung cancer": "NSCLC", "lung cancer": "LUNG", "small cell": "SCLC", "all": "ALL",
            "aml": "AML", "her2": "HER2", "her2 low": "HER2LOW", "met": "MET", "cancer": "CANCER",
            "b-all": "BALL", "cell lung": "CL"}  # fmt: skip
_WORDS = ["non", "small", "cell", "lung", "cancer", "ALL", "all", "AML", "Aml", "HER2", "her2", "low", "MET",
          "met", "B", "anti", "patients", "PATIENTS", "b"]  # fmt: skip
_INDEXES = [vocab.PhraseIndex(_PHRASES), vocab.PhraseIndex(_PHRASES, lowercase_acronyms=True),
            vocab.PhraseIndex(_PHRASES, cased_acronyms=5)]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "-", ", ", "  ", "("])), max_size=10)
)
def test_trie_walk_finds_the_mentions_of_the_longest_match_scan(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + sep for w, sep in parts)
    for index in _INDEXES:
        found = [(m.start, m.end, m.text, m.code) for m in index.find(text)]
        assert found == _reference(index, text), text


def test_the_vocabularies_find_the_reference_mentions_in_a_note() -> None:
    text = "Non-small cell lung cancer, HER2 low; anti-HER2 given. ALL PATIENTS: AML in 2019, met with MET amplification."
    for index in (vocab._cancer_index(), vocab._gene_index(), vocab._drug_index(), vocab._lab_index()):
        assert [(m.start, m.end, m.text, m.code) for m in index.find(text)] == _reference(index, text)
