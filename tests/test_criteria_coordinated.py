"""`criteria.vocab._coordinated_matches` scans only the runs of text that can hold a coordinated cancer
name ("ductal and lobular carcinoma"): it must give exactly the matches of the whole-text scan."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria.vocab import _COORDINATED, _coordinated_matches

PIECES = [
    "ductal", "lobular", "breast", "ovarian", "invasive", "small", "non-small", "cell", "lung",
    "and", "or", "and/or", "/", ",", ", ", " ", "  ", "\n", ".", ";", "(", ")", ":", "2", "_",
    "carcinoma", "carcinomas", "adenocarcinoma", "cancer", "cancers", "tumour", "tumor", "neoplasm",
    "Cancer", "CARCINOMA", "é", "x", "-",
]  # fmt: skip


def spans(matches: object) -> list[tuple[int, int, dict[str, str | None]]]:
    return [(m.start(), m.end(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_run_scan_equals_whole_text_scan(pieces: list[str]) -> None:
    text = "".join(
        p if p in {",", ", ", "/", "\n", ".", ";", "(", ")", ":", "-"} else f"{p} " for p in pieces
    )
    assert spans(_coordinated_matches(text)) == spans(_COORDINATED.finditer(text))


def test_examples() -> None:
    for text in (
        "Invasive ductal and lobular carcinoma (biopsy); breast or ovarian cancer.",
        "history of breast/ovarian cancers, small-cell and non-small cell lung cancer",
        "invasive ductal, and lobular carcinoma; renal/bladder cancer",
        "No cancer here",
        "",
    ):
        assert spans(_coordinated_matches(text)) == spans(_COORDINATED.finditer(text))
    assert spans(_coordinated_matches("ductal and lobular carcinoma"))  # not trivially empty
