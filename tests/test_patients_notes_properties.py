"""Property tests of the notes reader (hypothesis): any text gives facts whose spans lie in the text,
lab values in their canonical unit, and no fact from a sentence inside a plan or trial scope."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.ingest.patients.common import labs
from oncofed.ingest.patients.notes import extract

FRAGMENTS = [
    "A 57-year-old woman", "with metastatic breast cancer", "ER-positive", "HER2 3+", "no brain metastases",
    "ECOG 1", "WHO PS 2", "Hb 10.2 g/dL", "ANC 1,500/µL", "AST 2.5 x ULN", "creatinine 1.1 mg/dL",
    "platelets 150 x 10^9/L", "she received paclitaxel", "three lines of chemotherapy for metastatic disease",
    "R-CHOP x 6", "HIV negative", "hepatitis B and C negative", "type 2 diabetes without complications",
    "her mother had ovarian cancer", "a trial of pembrolizumab was discussed", "metastatic to the liver and bones",
    "stage IIIB", "cT2N0M0", "not pregnant or breastfeeding", "life expectancy > 12 weeks", "(", ")", ";", ",",
    "and", "but", "no", "not", "without", "denies", "\n", ".", "-", "/", "x", "ULN", "%", "µmol/L",
]  # fmt: skip


@st.composite
def notes(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 400_000).map(str)), max_size=30)
    )
    return " ".join(parts)


def _check(text: str) -> None:
    profile = extract(text, "n1", "note:h")
    canonical = {a: row["unit"] for a, row in labs().items()}
    for f in profile.facts:
        assert isinstance(f.negated, bool)
        if f.kind == "note":
            assert f.value == text
            continue
        span = f.provenance.span
        assert span is not None and 0 <= span[0] < span[1] <= len(text), (f, text)
        assert text[span[0] : span[1]].strip(), (f, text)
        if f.kind == "lab":
            assert isinstance(f.value, float) and f.unit == canonical[f.code or ""], (f, text)
        if f.kind in ("ecog",):
            assert f.value in range(6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notes())
def test_clinical_fragments_give_facts_with_spans_inside_the_text(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text: str) -> None:
    _check(text)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["paclitaxel", "pembrolizumab", "R-CHOP", "radiotherapy", "letrozole"]))
def test_a_drug_in_a_trial_description_never_becomes_a_treatment(drug: str) -> None:
    text = (
        f"A 60-year-old man with lung cancer. The study randomly assigned participants to {drug} or placebo."
    )
    got = extract(text, "n1", "note:h").facts
    assert not any(f.kind == "treatment" for f in got)
    assert any(f.kind == "note_mention" and f.attributes.get("scope") == "trial" for f in got)
