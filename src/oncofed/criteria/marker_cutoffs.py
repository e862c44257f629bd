"""A number asked of a marker whose result records give as a category: HER2 copy number and ratio.

"Single-probe average HER2 gene copy number of < 6 signals/nucleus", "HER2/CEP17 ratio below 2.0",
"HER2 to chromosome 17 ratio of less than 2", "HER2 gene copy number >= 6": records say "HER2 negative",
"ISH non-amplified", "HER2 amplified", rarely the count. The line is read by what the category implies
(ASCO/CAP 2018: amplified at a HER2/CEP17 ratio >= 2.0 or >= 6 signals per nucleus): a cut-off below
is "not amplified" (`operator "absent"`), a cut-off at or above is "amplified" (`"present"`), and the atom
says `attributes["cutoff"]` (e.g. "< 6"): the evaluator takes the category when it meets the cut-off and
leaves the line unknown when it does not (a category never proves a count on the other side: an
amplified tumour may still count fewer than 6 signals), so such a line is never violated by a category.
"""

from __future__ import annotations

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.numbers import NUM, OP, num_of, op_of

_SIGN = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
CUTOFF = "cutoff"
MEASURE = "measure"  # "ratio" or "copies"
CUTOFF_VALUE = "cutoff_value"
# after the HER2 mention: its probe partner, "gene", "copy number" / "signals" / "ratio", then the comparison
_CUTOFF = compile_i(
    r"^[\s:/(),-]*(?:(?:to\s+)?(?:cep\s*-?17|chromosome\s+17(?:\s+centromere)?|centromere\s+17)\s*)?"
    r"(?:(?:gene|oncogene|signal|average|mean|single[\s-]probe)\s+){0,2}"
    r"(?:(?P<copies>copy\s+numbers?|copies|signals?)|ratio)\b[^<>≤≥\d.;]{0,20}?"
    rf"(?P<op>{OP})\s*(?P<n>{NUM})"
)


def her2_cutoff(tail: str) -> tuple[str, dict[str, object], int] | None:
    """(operator, attributes, end in `tail`) of a copy-number or ratio cut-off written after HER2."""
    m = _CUTOFF.match(tail)
    if m is None:
        return None
    op, n = op_of(m.group("op")), num_of(m.group("n"))
    if op is None or n is None:
        return None
    said = f"{_SIGN[op]} {n:g}"  # "below 2.0" said "< 2" (the evidence's words are the reader's language)
    measure = "copies" if m.group("copies") else "ratio"
    attrs: dict[str, object] = {
        "alteration": "amplification",
        CUTOFF: said,
        MEASURE: measure,
        CUTOFF_VALUE: n,
    }
    return ("absent" if op in ("<", "<=") else "present", attrs, m.end())


def category_implies(below: bool, measure: str, value: float) -> bool:
    """Whether a HER2 category meeting the side of the cut-off implies the count does (ASCO/CAP 2018): a
    non-amplified tumour counts < 6 signals (ratio < 2.0), an amplified one >= 4 signals (ratio >= 2.0)."""
    if measure == "ratio":
        return value >= 2.0 if below else value <= 2.0
    return value >= 6.0 if below else value <= 4.0
