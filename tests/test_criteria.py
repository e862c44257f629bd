"""Criteria engine: segmentation, atoms, units, ConText, bad input, cache, API."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.criteria import parse_criterion, parse_eligibility
from oncofed.criteria.segment import segment
from oncofed.criteria.units import to_canonical
from oncofed.criteria.vocab import is_oncotree_subtype, normalize_cancer_type, normalize_drug
from oncofed.domain.criteria import Section

TEXT = """Inclusion Criteria:

* Age >= 18 years
* Adequate organ function defined as:
  * ANC >= 1500/mm3
  * AST/ALT <= 2.5 x ULN
* ECOG performance status 0-1

Exclusion Criteria:

1. Prior anti-PD-1 therapy within 4 weeks
2. No known HIV infection
"""


def atoms(text: str):
    return [(a.kind, a.code, a.operator, a.value, a.unit) for a in parse_criterion(text).atoms]


def test_segmentation_sections_nesting_spans() -> None:
    segs = segment(TEXT)
    assert [s.section for s in segs] == [Section.INCLUSION] * 5 + [Section.EXCLUSION] * 2
    assert all(TEXT[s.start : s.end] == s.text for s in segs)
    assert segs[2].parent_index == segs[1].index and segs[3].parent_index == segs[1].index
    assert segs[4].parent_index is None


def test_atoms_of_common_criteria() -> None:
    assert ("age", None, ">=", 18.0, "years") in atoms("Age >= 18 years")
    assert ("ecog", None, "<=", 1, None) in atoms("ECOG performance status of 0 or 1")
    assert ("lab", "anc", ">=", 1.5, "10^9/L") in atoms("Absolute neutrophil count >= 1,500/µL")
    assert ("lab", "bilirubin", "<=", 1.5, "x ULN") in atoms("Total bilirubin ≤ 1.5 × ULN")
    assert ("cancer_type", "NSCLC", "in", ["NSCLC"], None) in atoms(
        "Histologically confirmed non-small cell lung cancer"
    )
    found = atoms("EGFR exon 19 deletion")
    assert ("biomarker", "EGFR", "==", "exon 19 deletion", None) in found
    assert ("biomarker", "BRAF", "==", "V600E", None) in atoms("BRAF V600E mutation")
    assert ("biomarker", "HER2", "==", "positive", None) in atoms("HER2-positive breast cancer")
    c = parse_criterion("No prior treatment with pembrolizumab")
    therapy = [a for a in c.atoms if a.kind == "prior_therapy"]
    assert therapy and therapy[0].code == "pembrolizumab" and therapy[0].negated
    assert [a.code for a in parse_criterion("Signed informed consent").atoms] == ["consent"]


def test_units_and_oncotree() -> None:
    assert to_canonical("bilirubin", 25.65, "µmol/L") == (1.5, "mg/dL")
    assert to_canonical("hemoglobin", 90, "g/L") == (9.0, "g/dL")
    assert to_canonical("platelets", 100000, "/mm3") == (100.0, "10^9/L")
    assert is_oncotree_subtype("LUAD", "NSCLC") and not is_oncotree_subtype("SCLC", "NSCLC")
    assert normalize_cancer_type("Adenocarcinoma of the lung") == "LUAD"
    assert normalize_drug("Keytruda") == "pembrolizumab"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_text_gives_a_result(text: str) -> None:
    result = parse_eligibility(text)
    for c in result.criteria:
        assert c.span is not None and text[c.span[0] : c.span[1]] == c.text
        for a in c.atoms:
            assert a.span is None or 0 <= a.span[0] <= a.span[1] <= len(c.text)


def test_bad_inputs() -> None:
    assert parse_eligibility("").warnings == ["no criteria found"]
    assert parse_eligibility(None).criteria == []
    html = "<p>Inclusion Criteria:</p><ul><li>Age &gt;= 18 years</li></ul>\x00\x07"
    assert any(a.kind == "age" for c in parse_eligibility(html).criteria for a in c.atoms)
    giant = "Patients must have ECOG 0-1 and adequate organ function. " * 20000  # ~1.1 MB, one paragraph
    result = parse_eligibility(giant)
    assert len(result.criteria) > 100
    assert parse_eligibility("Critères d'inclusion : âge ≥ 18 ans, 日本語のテキスト").criteria
    assert parse_eligibility("\x01\x02\x03" * 1000).criteria == []


def test_parse_stored_by_text_hash_and_parser_version(db) -> None:
    """A text parsed once is stored; a new process (empty memo) reads it back instead of parsing."""
    from oncofed.criteria.parser import PARSER_VERSION
    from oncofed.services.trials import criteria as criteria_service
    from oncofed.store.criteria_cache import load_parsed, text_hash

    criteria_service._MEMO.clear()
    first = criteria_service.criteria_of_text(TEXT, db)
    assert load_parsed(db, [text_hash(TEXT)], PARSER_VERSION)[text_hash(TEXT)] == first
    assert load_parsed(db, [text_hash(TEXT)], "another-version") == {}
    criteria_service._MEMO.clear()
    calls = []
    real = criteria_service.parse_eligibility
    criteria_service.parse_eligibility = lambda text: calls.append(text) or real(text)  # type: ignore[assignment]
    try:
        second = criteria_service.criteria_of_text(TEXT, db)
    finally:
        criteria_service.parse_eligibility = real  # type: ignore[assignment]
    assert second == first and calls == []


def test_parse_api(client_as, demo_db) -> None:
    client = client_as(demo_db)
    r = client.post("/api/criteria/parse", json={"text": TEXT})
    assert r.status_code == 200
    body = r.json()
    # the lead-in "Adequate organ function defined as:" is a heading, not a criterion (issue 15)
    assert body["count"] == 6 and body["criteria"][0]["atoms"][0]["kind"] == "age"
    assert all(not c["text"].rstrip().endswith(":") for c in body["criteria"])
    assert client.post("/api/criteria/parse", json={"nope": 1}).status_code == 422


def test_trial_criteria_page_and_json(client_as, demo_db) -> None:
    from oncofed.store.models import TrialRow

    with demo_db.session() as session:
        trial_id = session.query(TrialRow.id).first()[0]
    client = client_as(demo_db)
    data = client.get(f"/api/trials/{trial_id}/criteria").json()
    assert data["count"] > 0 and any(c["atoms"] for c in data["criteria"])
    page = client.get(f"/trials/{trial_id}/criteria")
    assert page.status_code == 200 and '<mark class="atom"' in page.text
    assert client.get(f"/api/trials/{trial_id}/criteria?format=csv").status_code == 200
    assert client.get("/api/trials/NOPE/criteria").status_code == 404
