"""Shortcuts of the notes reader that skip work (issue 23 speed) give exactly what the plain computation
gives: `dates._date_matches` is `_DATE.finditer` (the pattern tried only where a date may start)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.ingest.patients.notes import dates

PIECES = st.sampled_from(
    [
        " ", "  ", "\n", "/", ".", "-", "–", ",", ":", "(", "x", "_", "é", "\u017f", "mg", "ULN", "Sept", "sept.",
        "jan", "January", "May", "may", "dec", "Marc", "mar", "0", "1", "5", "12", "15", "31", "2", "19", "20",
        "2024", "1999", "2100", "3500", "123", "07", "2019-2021", "15/04/2024", "06/2023", "2020-21", "1.5",
        "15 May 2024", "3 jan. 2019", "4\tdec 2020",
    ]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=14).map("".join)


def _spans(matches: list) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_date_matches_are_the_patterns_matches(text: str) -> None:
    assert _spans(dates._date_matches(text)) == _spans(list(dates._DATE.finditer(text)))


def test_date_matches_on_written_dates() -> None:
    text = "Seen 15/04/2024. Dx Sept. 2019, 3 cycles 2019-2021; AST 2 x ULN, 250 mg, 5mg; in May 2023 (06/2023), on 4 June 2024."
    assert _spans(dates._date_matches(text)) == _spans(list(dates._DATE.finditer(text)))
    assert [m.group(0) for m in dates._date_matches(text)] == [
        "15/04/2024", "Sept. 2019", "2019-2021", "May 2023", "06/2023", "4 June 2024",
    ]  # fmt: skip


def test_caseless_finditer_falls_back_to_the_plain_scan() -> None:
    """Were the lowered search ever to disagree with the plain one, `finditer` still gives the plain matches."""
    import re

    from oncofed.criteria.caseless import compile_i

    pattern = compile_i(r"\bab+")
    text = "AB abb xab ABBB ab"
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in pattern.plain.finditer(text)]
    pattern.lowered = re.compile(r"\bab")  # finds the same starts, shorter spans: the plain scan takes over
    assert [(m.span(), m.group()) for m in pattern.finditer(text)] == [
        (m.span(), m.group()) for m in pattern.plain.finditer(text)
    ]


CUE_PIECES = st.sampled_from(
    [
        " ", "\n", "  ", ".", ";", ":", ",", "on", "On", "ON", "taking", "takes", "receiving", "started", "continues",
        "continuing", "currently", "current", "maintained", "maintained on", "meds", "med", "Meds :", "medication",
        "medications:", "treatment", "treatment :", "x", "xon", "onx", "_", "é", "anticoagulation", "apixaban 5 mg",
        "a" * 30, "b" * 41,
    ]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(CUE_PIECES, max_size=12).map("".join))
def test_current_before_read_backwards_is_the_search(text: str) -> None:
    from oncofed.ingest.patients.notes import therapy

    assert therapy._current_before_reversed(text) == bool(therapy._CURRENT_BEFORE.search(text))
    assert therapy._current_before(text) == bool(therapy._CURRENT_BEFORE.search(text))


def test_current_before_read_backwards_at_the_limits() -> None:
    from oncofed.ingest.patients.notes import therapy

    texts = [
        "on " + "x" * 39,  # a tail of 40 characters: matches
        "on " + "x" * 40,  # 41: does not
        "on " + "x" * 39 + "\n",  # `$` before a final newline
        "on " + "x" * 40 + "\n",
        "Meds :\n" + "y" * 30,
        "maintained \n on apixaban",
        "xon apixaban",
        "started. apixaban",
    ]
    found = [therapy._current_before_reversed(t) for t in texts]
    assert found == [bool(therapy._CURRENT_BEFORE.search(t)) for t in texts]
    assert found == [True, False, True, False, True, True, False, False]
    long = ["z. " * 50 + t for t in texts]  # read backwards by `_current_before`
    assert [therapy._current_before(t) for t in long] == found
