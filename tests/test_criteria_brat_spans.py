"""Generic brat spans (oncofed.criteria.brat_spans) and CRLF-exact offsets of the brat export."""

from __future__ import annotations

from pathlib import Path

from oncofed.criteria.brat import export_and_score, read_ann
from oncofed.criteria.brat_spans import generic_spans


def _spans(text: str) -> set[tuple[str, str]]:
    return {(t, text[s:e]) for t, s, e in generic_spans(text)}


def test_generic_spans_of_a_criterion() -> None:
    text = "Women aged 18 years or older without history of ulcerative colitis within the last 6 months"
    got = _spans(text)
    assert ("Person", "Women") in got
    assert ("Negation", "without") in got
    assert ("Condition", "ulcerative colitis") in got
    assert ("Temporal", "within the last 6 months") in got
    lab = _spans("Serum creatinine > 1.5 mg/dL at screening; prior radiotherapy")
    assert ("Value", "> 1.5 mg/dL") in lab
    assert ("Temporal", "at screening") in lab
    assert ("Procedure", "radiotherapy") in lab


def test_brat_offsets_count_crlf(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = "Age >= 18 years\r\nNo history of chronic hepatitis\r\nPlatelets >= 100,000/mm3\r\n"
    (src / "T1_inc.txt").write_bytes(text.encode())
    start = text.index("chronic hepatitis")
    (src / "T1_inc.ann").write_text(
        f"T1\tCondition {start} {start + 17}\tchronic hepatitis\n", encoding="utf-8"
    )
    n, scores = export_and_score(src, tmp_path / "out")
    assert n == 1 and scores is not None
    pred = read_ann(tmp_path / "out" / "T1_inc.ann")
    assert all(text[p.start : p.end].replace("\r\n", " ") == p.text for p in pred)
    assert scores["Condition"]["overlap"]["recall"] == 1.0
