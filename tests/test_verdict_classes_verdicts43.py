"""verdicts43: failures the engine did not name, by class across the readable sets (blind9, 10, 11, 13 ...), each
tested on wordings written for it, with near-misses.

1. Notes: a line number written after the word ("Line 1: R-CHOP", "line 2 topotecan", "Metastatic line 1:") numbers
   the therapy's line, as "second-line" / "2L" did; the number of prior lines was not read at all
   (notes/therapy.py `ORDINAL_RE`). "Line 1: X x6, then X maintenance" stays one line.
2. "biologic therapy" / "biologics" / "biological agents" in a list of therapies is a class (antibodies,
   cytokines, cells: vocab/therapy_groups.tsv), not a word that breaks the list: "Chemotherapy, radiotherapy,
   biologics or investigational agent within 4 weeks" was read as two conditions that must both hold.
"""

from __future__ import annotations

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Fact, PatientProfile
from oncofed.ingest.patients.notes import extract
from tests.verdict_cases import SRC, profile, read_line


def note(text: str) -> PatientProfile:
    return extract(text, "n43", "test")


def lines_of(p: PatientProfile) -> int | None:
    found = [f for f in p.facts if f.kind == "prior_lines" and not f.negated]
    return int(found[0].value) if found else None


# --- 1. "Line 2: ..." numbers the line -------------------------------------------------------------------------

HEAD = "MDT 18/11/2026. Mrs Roux, 61, metastatic breast cancer (liver) since 01/2025, ECOG 1.\n"


@pytest.mark.parametrize(
    ("history", "lines"),
    [
        ("Line 1: docetaxel + trastuzumab + pertuzumab (02-07/2025); line 2: trastuzumab emtansine 08/2025-"
         "09/2026; line 3 capecitabine-tucatinib 10/2026, progression.", 3),
        ("Metastatic line 1: palbociclib + fulvestrant 03/2025-09/2026, stopped for progression.", 1),
        ("Line 1: paclitaxel-bevacizumab 02-08/2025.\nLine 2: capecitabine 09/2025-10/2026, progression.", 2),
        ("Line 1: docetaxel + trastuzumab + pertuzumab x6 (01-05/2025), then trastuzumab + pertuzumab "
         "maintenance until 10/2026.", 1),
    ],
)  # fmt: skip
def test_a_line_number_written_after_the_word_counts_the_lines(history: str, lines: int) -> None:
    assert lines_of(note(HEAD + history)) == lines, history


@pytest.mark.parametrize(
    "history",
    [  # near-misses: no line of therapy named by number
        "Paclitaxel-bevacizumab 02-08/2025, then capecitabine; PICC line removed 11/2026.",
        "Lines 1-2 of the report are illegible. Paclitaxel 2025.",
    ],
)
def test_near_misses_no_line_number_no_count(history: str) -> None:
    assert lines_of(note(HEAD + history)) is None, history


def test_the_counted_lines_decide_a_limit_on_prior_lines() -> None:
    three = note(
        HEAD + "Line 1: paclitaxel-bevacizumab 02-08/2025; line 2: capecitabine 09/2025-03/2026; "
        "line 3 eribulin 04-10/2026, progression."
    )
    one = note(HEAD + "Line 1: paclitaxel-bevacizumab 02-08/2025, then bevacizumab maintenance to 10/2026.")
    limit = "No more than 2 prior lines of systemic therapy for metastatic disease"
    assert read_line("Inclusion", limit, three) == "excluded"
    assert read_line("Inclusion", limit, one) == "eligible"


# --- 2. "biologics" in a list of therapies --------------------------------------------------------------------

RECENT_RT = profile(
    Fact(
        "treatment",
        "radiotherapy",
        provenance=SRC,
        attributes={"class": "radiotherapy", "end": "2026-10-30", "current": True},
    ),
    name="rt",
)
RECENT_BEVA = profile(
    Fact(
        "treatment",
        "bevacizumab",
        provenance=SRC,
        attributes={"class": "anti-VEGF", "end": "2026-10-30", "current": True},
    ),
    name="beva",
)
OLD_CHEMO = profile(
    Fact("treatment", "paclitaxel", provenance=SRC, attributes={"class": "taxane", "end": "2025-01-31"}),
    name="old",
)
LISTS = [
    "Chemotherapy, radiotherapy, biologics or investigational agent within 4 weeks of the first dose",
    "Chemotherapy, biologic therapy, or investigational agent within 4 weeks prior to study entry",
    "Received chemotherapy, radiotherapy, biological therapy or investigational agents within 28 days",
    "Prior chemotherapy, immunotherapy, biologic therapy, hormonal therapy or radiation therapy within 4 weeks",
]


@pytest.mark.parametrize("line", LISTS)
def test_biologics_in_a_list_of_therapies_keeps_the_list_one_alternative(line: str) -> None:
    (c,) = parse_eligibility(f"Exclusion criteria:\n- {line}").criteria
    therapies = [a for a in c.atoms if a.kind == "prior_therapy"]
    assert any(a.code == "biologic therapy" for a in therapies), therapies
    assert len({a.attributes.get("group") for a in therapies}) == 1, therapies
    if "radiotherapy" in line or "radiation" in line:
        assert read_line("Exclusion", line, RECENT_RT) == "excluded", line
    assert read_line("Exclusion", line, RECENT_BEVA) == "excluded", line


def test_a_biologic_the_classes_leave_out_is_to_check_never_presumed_absent() -> None:
    trastuzumab = profile(
        Fact(
            "treatment", "trastuzumab", provenance=SRC, attributes={"class": "anti-HER2", "end": "2026-10-20"}
        ),
        name="tz",
    )
    assert read_line("Exclusion", "Prior biologic therapy within 4 weeks", trastuzumab) == "unknown"
    assert read_line("Exclusion", "Prior biologic therapy within 4 weeks", OLD_CHEMO) == "unknown"


@pytest.mark.parametrize(
    "line",
    [  # near-misses: "biologic" naming no class of therapy, "drugs or biologics" (medicinal products of any kind)
        "Known hypersensitivity to compounds of similar chemical or biologic composition to the study drug",
        "Receiving other investigational drugs or biologics within 1 month of enrollment",
        "Requiring concurrent use of drugs or biologics with pro-arrhythmic potential",
    ],
)
def test_near_misses_biologic_naming_no_class_of_therapy(line: str) -> None:
    (c,) = parse_eligibility(f"Exclusion criteria:\n- {line}").criteria
    assert not [a for a in c.atoms if a.code == "biologic therapy"], c.atoms


def test_a_therapy_for_another_cancer_is_to_check_not_the_lines_of_this_one() -> None:
    """A lymphoma's numbered lines are therapy for advanced disease, but not "for metastatic breast cancer"."""
    lymphoma = note(
        "MDT 18/11/2026. Mr Vidal, 58, diffuse large B-cell lymphoma.\nLine 1: R-CHOP x6 (04-08/2024), complete "
        "response.\nLine 2: R-GemOx x6 (07/2025-01/2026).\nLine 3: polatuzumab-bendamustine-rituximab x4, "
        "progression."
    )
    breast = note(HEAD + "Line 1: paclitaxel-bevacizumab 02-08/2025; line 2: capecitabine 09/2025-03/2026.")
    line = "Prior cytotoxic chemotherapy for recurrent or metastatic breast cancer"
    assert read_line("Exclusion", line, lymphoma) == "unknown"
    assert read_line("Exclusion", line, breast) == "excluded"
