"""The French rewrite's one-pass prefilter gives what the plain, rule-by-rule form gives (issue 23 speed).

The plain form is kept here as the oracle: every rule of a scope runs when its text (folded, lower-cased
unless the rule is `case`) holds one of its `needs`, and the rules' matches are resolved as
`french._rule_matches` resolves them. The one-pass form runs only the rules Hyperscan finds may match in
one scan of the text (`french._Prefilter`): every rule it leaves out must have no match at all."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip(
    "hyperscan", reason="hyperscan has no wheel for this platform: the French rules run unfiltered"
)

from oncofed.criteria import french  # noqa: E402
from oncofed.criteria.fast_regex import HS_UNSAFE  # noqa: E402
from oncofed.criteria.french import FUNCTIONS, SCOPES, _expand, _rules, fold  # noqa: E402
from oncofed.criteria.language import FRENCH, detect  # noqa: E402

DEV_FR = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "verdicts-dev-fr" / "queries.jsonl"


def _lower(folded: str) -> str:
    lower = folded.lower()
    if len(lower) != len(folded):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)
    return lower


def _plain_gated(folded: str, scope: str) -> list[int]:
    lower = _lower(folded)
    return [
        rule.index
        for rule in _rules(scope)
        if not rule.needs or any(n in (folded if rule.case else lower) for n in rule.needs)
    ]


def _plain_rule_matches(folded: str, spans: list[tuple[int, int]], scope: str) -> list[tuple[int, int, str]]:
    """`_rule_matches` as it was: each rule on its own, behind its `needs` probed one by one."""
    lower = _lower(folded)
    found: list[tuple[int, int, int, str]] = []
    for rule in _rules(scope):
        subject = folded if rule.case else lower
        if rule.needs and not any(n in subject for n in rule.needs):
            continue
        for lo, hi in spans:
            for m in rule.pattern.pattern.finditer(subject, lo, hi):  # the compiled pattern, no Searcher
                if m.end() == m.start():
                    continue
                if rule.function:
                    english = FUNCTIONS[rule.function](m, folded)
                elif rule.template is not None:
                    english = _expand(m, rule.template)
                else:
                    template = rule.english or ""
                    english = m.expand(template) if "\\" in template else template
                if english is not None:
                    found.append((m.start(), -(m.end() - m.start()), rule.index, english))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    end = -1
    for start, negative_length, _, english in found:
        if start >= end:
            kept.append((start, start - negative_length, english))
            end = start - negative_length
    return kept


def _one_pass_gated(folded: str, scope: str) -> list[int]:
    return [rule.index for rule in french._gated(folded, _lower(folded), scope)]


def _needs_alphabet() -> str:
    chars = {c for scope in SCOPES for rule in _rules(scope) for n in rule.needs for c in n}
    return "".join(sorted(chars | set(" \nIİéÉàçK")))


NEED_WORDS = sorted({n for scope in SCOPES for rule in _rules(scope) for n in rule.needs})
texts = st.lists(
    st.one_of(st.sampled_from(NEED_WORDS), st.text(alphabet=_needs_alphabet(), max_size=6)), max_size=25
).map("".join)


def _check_gated(folded: str, scope: str) -> None:
    """The one pass runs the rules the probes run, but those that cannot match the text."""
    one_pass, plain = _one_pass_gated(folded, scope), _plain_gated(folded, scope)
    assert set(one_pass) <= set(plain) and one_pass == sorted(one_pass)
    lower = _lower(folded)
    by_index = {rule.index: rule for rule in _rules(scope)}
    for index in set(plain) - set(one_pass):  # left out by Hyperscan: no match anywhere
        rule = by_index[index]
        subject = folded if rule.case else lower
        assert not [m for m in rule.pattern.pattern.finditer(subject) if m.end() > m.start()], (index, folded)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(SCOPES))
def test_one_pass_runs_the_rules_the_probes_run(text: str, scope: str) -> None:
    _check_gated(fold(text), scope)


@settings(max_examples=150, deadline=None)
@given(texts, st.sampled_from(SCOPES))
def test_one_pass_rule_matches_equal_the_plain_form(text: str, scope: str) -> None:
    folded = fold(text)
    spans = [(0, len(folded))]
    assert french._rule_matches(folded, spans, scope) == _plain_rule_matches(folded, spans, scope)


@pytest.mark.skipif(not DEV_FR.exists(), reason="benchmarks/data/verdicts-dev-fr is absent")
def test_one_pass_on_the_french_dev_notes() -> None:
    notes = [json.loads(line)["text"] for line in DEV_FR.read_text(encoding="utf-8").splitlines() if line]
    assert len(notes) >= 100
    for text in notes + [n.upper() for n in notes[:20]]:
        folded = fold(text)
        spans = detect(text).spans(FRENCH)
        for scope in SCOPES:
            _check_gated(folded, scope)
            assert french._rule_matches(folded, spans, scope) == _plain_rule_matches(folded, spans, scope)


def test_a_need_found_only_inside_another_still_counts() -> None:
    # overlapping occurrences: "ans" inside "dans", "pas" right after "pas" -- each need is found
    folded = fold("Traitée dans le service, il n'y a pas de progression")
    assert french._prefilter("notes").may_match(folded, _lower(folded)) is not None  # prefiltered
    _check_gated(folded, "notes")
    assert [
        r.index for r in _rules("notes") if "ans" in r.needs and r.index in _one_pass_gated(folded, "notes")
    ] == []
    with_age = fold("Patiente de 58 ans, traitée dans le service")
    assert any("ans" in rule.needs for rule in french._gated(with_age, _lower(with_age), "notes"))


def test_a_text_hyperscan_may_read_otherwise_is_not_prefiltered() -> None:
    for text in ("pas de\x1cmetastase", "сарком 58 ans"):  # a control character \s matches; Cyrillic
        folded = fold(text)
        assert french._prefilter("notes").may_match(folded, _lower(folded)) is None
        assert _one_pass_gated(folded, "notes") == _plain_gated(folded, "notes")


def _hs_matching(database: Any, texts: list[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        database.scan(text.encode(), match_event_handler=lambda *args, t=text: found.append(t))
    return found


def test_python_and_hyperscan_agree_on_the_classes_of_the_safe_characters() -> None:
    """Prefiltering is exact only if Hyperscan reads \\w, \\d, \\s as Python does on the characters of
    the texts it prefilters (`fast_regex.HS_SAFE_CHARS`)."""

    import hyperscan

    safe = [chr(c) for c in range(0x110000) if HS_UNSAFE.match(chr(c)) is None and c < 0x3000]
    assert len(safe) > 500
    flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
    for k, cls in enumerate((r"\w", r"\d", r"\s")):  # (`\b` Hyperscan widens in prefilter mode)
        database = hyperscan.Database()
        database.compile(expressions=[f"^{cls}$".encode()], ids=[k], elements=1, flags=[flags])
        python = re.compile(cls)
        assert _hs_matching(database, safe) == [c for c in safe if python.fullmatch(c)], cls


@pytest.mark.skipif(not DEV_FR.exists(), reason="benchmarks/data/verdicts-dev-fr is absent")
def test_the_prefilter_gives_the_same_rewrites_from_several_threads_at_once() -> None:
    """Hyperscan's scratch space is one per thread (`_Prefilter.scratch`): rewrites from a thread pool
    (the web app's) equal the rewrites made one after the other."""
    from concurrent.futures import ThreadPoolExecutor

    notes = [json.loads(line)["text"] for line in DEV_FR.read_text(encoding="utf-8").splitlines() if line]
    alone = [french.rewrite(text).text for text in notes]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda text: french.rewrite(text).text, notes * 3))
    assert together == alone * 3


def test_a_compiled_database_is_read_back_from_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hyperscan

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sources = [rule.source for rule in _rules("notes") if not rule.case][:5]
    ids = list(range(len(sources)))
    french._hs_database(sources, ids)
    (cached,) = (tmp_path / "oncofed").glob("hyperscan-*.db")
    text = fold("pas de métastase, 3 x LSN, 58 ans, OMS 1").lower().encode()

    def matched(database: Any) -> set[int]:
        found: set[int] = set()
        scratch = hyperscan.Scratch(database)  # (a database read back has none of its own)
        database.scan(text, match_event_handler=lambda index, *args: found.add(index), scratch=scratch)
        return found

    fresh = hyperscan.Database()
    fresh.compile(
        expressions=[s.encode() for s in sources], ids=ids, elements=len(ids), flags=french._HS_FLAGS
    )
    assert matched(french._hs_database(sources, ids)) == matched(fresh) != set()
    cached.write_bytes(b"not a database")  # unreadable: compiled again, and written again
    assert matched(french._hs_database(sources, ids)) == matched(fresh)
    assert cached.read_bytes() != b"not a database"
