"""The receptor wordings table (fourteenth pass): every receptor x wording x status, generated, English
and French, read as one status per receptor named (a hormone receptor status as ER and PR).

Classes this pass added (each failing on the engine before it):
- a line holding only symbols and acronyms ("ER+", "HR+ HER2-", "RE+ RP-") was dropped as a fragment
  (no word of three letters): nothing was read from it;
- the androgen receptor (AR) was read nowhere as a marker ("AR-positive", "androgen receptor negative",
  "AR >= 10 %", French "récepteurs aux androgènes positifs"); its splice variant AR-V7 stays a gene;
- "HER2 score 2+" (the word "score" between the marker and its IHC score), French "HER2 faible";
- French receptors coordinated under one status ("récepteurs aux oestrogènes et à la progestérone négatifs");
- "cancer du sein métastatique" (rewritten "breast cancer metastatic": a postposed adjective) gave no
  cancer, as if the line were about metastases of a breast cancer.

The generator's counts (before -> after this pass) are in the fourteenth pass's row of docs/MATCHING.md.
"""

from __future__ import annotations

import itertools

import pytest

from oncofed.criteria import parse_eligibility
from oncofed.domain import Criterion

POS, NEG = "positive", "negative"
EN_HEAD = "Inclusion Criteria:\n\n- "
FR_HEAD = "Critères d'inclusion :\n\n- Patiente majeure\n- "

# receptor -> (codes read, English abbreviation, English full name, French abbreviation, French full name)
RECEPTORS = {
    "ER": (("ER",), "ER", "oestrogen receptor", "RE", "récepteurs aux oestrogènes"),
    "PR": (("PR",), "PR", "progesterone receptor", "RP", "récepteurs à la progestérone"),
    "HR": (("ER", "PR"), "HR", "hormone receptor", "RH", "récepteurs hormonaux"),
    "AR": (("AR",), "AR", "androgen receptor", None, "récepteurs aux androgènes"),
    "HER2": (("HER2",), "HER2", "HER2", "HER2", "HER2"),
}
SIGN = {POS: "+", NEG: "-"}
FRENCH = {POS: "positifs", NEG: "négatifs"}
FRENCH_ONE = {POS: "positif", NEG: "négatif"}

EN_TEMPLATES = (
    "{a}{sign}",  # a line of the receptor alone
    "{a}{sign} tumour",
    "{a}-{status} disease",
    "{a} {status} on the most recent biopsy",
    "{full} {status}",
    "Documented {a} status: {status}",
    "Breast cancer, {a}{sign}",
)
FR_TEMPLATES = (
    "{a}{sign}",
    "Tumeur {a}{sign}",
    "Cancer du sein {a}{sign}",
    "{full} {fr}",
    "Tumeur avec {full} {fr}",
)


def _statuses(text: str, head: str) -> set[tuple[str, str]]:
    criteria: list[Criterion] = parse_eligibility(head + text + "\n").criteria
    line = [c for c in criteria if c.text.strip() == text.strip()]
    return {
        (str(a.code), str(a.value))
        for c in line
        for a in c.atoms
        if a.kind == "biomarker" and a.operator == "==" and not a.negated
    }


def _table() -> list[tuple[str, str, set[tuple[str, str]]]]:
    rows = []
    for (name, (codes, abbr, full, fr_abbr, fr_full)), status in itertools.product(
        RECEPTORS.items(), (POS, NEG)
    ):
        want = {(c, status) for c in codes}
        for t in EN_TEMPLATES:
            rows.append((EN_HEAD, t.format(a=abbr, sign=SIGN[status], status=status, full=full), want))
        for t in FR_TEMPLATES:
            if fr_abbr is None and "{a}" in t:
                continue
            fr = FRENCH_ONE[status] if name == "HER2" else FRENCH[status]
            line = t.format(a=fr_abbr, sign=SIGN[status], fr=fr, full=fr_full)
            rows.append((FR_HEAD, line[0].upper() + line[1:], want))
    return rows


TABLE = _table()


@pytest.mark.parametrize(("head", "line", "want"), TABLE, ids=[line for _, line, _ in TABLE])
def test_receptor_wording_table(head: str, line: str, want: set[tuple[str, str]]) -> None:
    assert _statuses(line, head) == want


def test_the_table_covers_every_receptor_status_and_language() -> None:
    assert len(TABLE) >= 100
    assert {line.split()[0] for h, line, _ in TABLE if h is FR_HEAD} >= {"RE+", "RP-", "RH+", "HER2+"}


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("ER+ PR- HER2-", {("ER", POS), ("PR", NEG), ("HER2", NEG)}),
        ("HR+ HER2-", {("ER", POS), ("PR", POS), ("HER2", NEG)}),
        ("ER, PR and AR negative", {("ER", NEG), ("PR", NEG), ("AR", NEG)}),
        ("AR-positive triple-negative breast cancer", {("AR", POS), ("ER", NEG), ("PR", NEG), ("HER2", NEG)}),
        ("HER2 score 2+", {("HER2", "2+")}),
        ("HER2 IHC score 0", {("HER2", "0")}),
    ],
)
def test_coordinated_and_scored(line: str, want: set[tuple[str, str]]) -> None:
    assert _statuses(line, EN_HEAD) == want


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("Récepteurs aux oestrogènes et à la progestérone négatifs", {("ER", NEG), ("PR", NEG)}),
        ("Récepteurs aux œstrogènes et/ou à la progestérone positifs", {("ER", POS), ("PR", POS)}),
        ("Récepteurs des oestrogènes et de la progestérone négatifs", {("ER", NEG), ("PR", NEG)}),
        ("Tumeur RE- RP- HER2-", {("ER", NEG), ("PR", NEG), ("HER2", NEG)}),
        ("HER2 faible", {("HER2", "low")}),
    ],
)
def test_french_coordinated_receptors(line: str, want: set[tuple[str, str]]) -> None:
    assert _statuses(line, FR_HEAD) == want


@pytest.mark.parametrize(
    ("line", "op", "value"),
    [
        ("AR >= 10 % by IHC", ">=", 10.0),
        ("AR expression > 1%", ">", 1.0),
        ("Androgen receptor ≥ 10 %", ">=", 10.0),
    ],
)
def test_an_androgen_receptor_cut_off(line: str, op: str, value: float) -> None:
    criteria = parse_eligibility(EN_HEAD + line + "\n").criteria
    got = [(a.code, a.operator, a.value, a.unit) for c in criteria for a in c.atoms if a.kind == "biomarker"]
    assert got == [("AR", op, value, "%")]


@pytest.mark.parametrize(
    "line",
    ["AR-V7 positive circulating tumour cells", "Prior androgen receptor inhibitor", "Prior enzalutamide"],
)
def test_the_splice_variant_and_the_drugs_are_no_receptor_status(line: str) -> None:
    assert not {s for s in _statuses(line, EN_HEAD) if s[0] == "AR" and s[1] in (POS, NEG)}


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Cancer du sein métastatique", "BRCA"),
        ("Carcinome canalaire infiltrant du sein métastatique", "IDC"),
        ("Cancer de la prostate métastatique résistant à la castration", "PRAD"),
        ("Adénocarcinome pulmonaire métastatique", "LUAD"),
        ("Cancer colorectal métastatique", "COADREAD"),
        ("breast cancer metastatic to the bone", "BRCA"),
    ],
)
def test_a_postposed_metastatic_keeps_the_cancer(line: str, code: str) -> None:
    head = EN_HEAD if line.startswith("breast") else FR_HEAD
    criteria = parse_eligibility(head + line + "\n").criteria
    cancers = {
        str(a.code) for c in criteria if c.text.strip() == line for a in c.atoms if a.kind == "cancer_type"
    }
    assert code in cancers
