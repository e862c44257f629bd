"""Biomarker atoms: gene variants, statuses (HER2 IHC scores, ER/PR, MSI/MMR) and numeric results
(PD-L1 TPS/CPS, TMB), decided against the patient's biomarker facts."""

from __future__ import annotations

from datetime import date

from oncofed.criteria.marker_cutoffs import CUTOFF, CUTOFF_VALUE, MEASURE, category_implies
from oncofed.domain import Atom, Fact
from oncofed.matching.atoms import AtomResult, compare, unknown
from oncofed.matching.facts import PatientView, as_float
from oncofed.matching.vocab import marker_key, norm_text

HER2_STATUS = {"3+": "positive", "2+": None, "1+": "negative", "0": "negative"}
HER2_LOW = {"1+": True, "2+": True, "0": False, "3+": False}


def _status_of(f: Fact) -> str:
    return norm_text(f.value if f.value is not None else ("negative" if f.negated else "positive"))


_PERCENT_MARKERS = ("ER", "PR")
# results that already say "not found": a negated fact holding one is said as written ("EGFR negative")
_SAID_NEGATIVE = ("negative", "absent", "not detected", "wild type", "wildtype", "unmethylated")


def _alternatives(value: object) -> str:
    """A criterion's alternatives as words ("exon 19 deletion or L858R"), never a Python list."""
    if isinstance(value, (list, tuple, set)):
        items = sorted(map(str, value)) if isinstance(value, set) else [str(v) for v in value]
        return " or ".join(i for i in items if i)
    return str(value)


def _said_result(code: str, f: Fact) -> str:
    """The patient's result as recorded: a negated fact is said as not found ("no EGFR mutation found"),
    never as its alteration alone ("EGFR mutation")."""
    if f.negated and f.value is not None and _status_of(f) not in _SAID_NEGATIVE:
        return f"no {code} {f.value} found"
    return f"{code} {f.value if f.value is not None else ('negative' if f.negated else '')}".strip()


def _percent(f: Fact) -> float | None:
    """An ER / PR percentage of stained cells; an intensity score ("1+", "2+") is none."""
    return None if "+" in str(f.value) else as_float(f.value)


def _measured(facts: list[Fact], code: str) -> list[Fact]:
    """ER / PR: a measured percentage is the result; a status read from a label ("TNBC") is not, when
    both are recorded (a receptor conversion on a later biopsy)."""
    if marker_key(code) not in _PERCENT_MARKERS:
        return facts
    numeric = [f for f in facts if not f.negated and _percent(f) is not None]
    return numeric or facts


def _biomarker_value_matches(f: Fact, wanted: str, code: str, positive_if: object = None) -> bool | None:
    got = _status_of(f)
    want = norm_text(wanted)
    pct = _percent(f) if marker_key(code) in _PERCENT_MARKERS else None
    if pct is not None and want in ("positive", "negative") and isinstance(positive_if, (list, tuple)):
        # the trial's own threshold ("positive if at least 1 %": criteria/positivity.py) decides ER-low
        return bool(compare(str(positive_if[0]), pct, float(positive_if[1]))) == (want == "positive")
    if pct is not None and want in ("positive", "negative"):
        # ASCO/CAP 2020: < 1 % of cells stained is negative, > 10 % positive; 1-10 % is "ER-low", which
        # trials read either way ("TNBC defined as ER <= 10 %"): undecided unless the criterion says
        if pct < 1 or pct > 10:
            return (pct > 10) == (want == "positive")
        return None
    if (
        pct is None
        and marker_key(code) in _PERCENT_MARKERS
        and got in HER2_STATUS
        and want in ("positive", "negative")
    ):
        # an ER / PR staining intensity ("ER 1+", "PR 2+") is not the share of cells stained: weak staining of
        # 5 % of the cells is ER-low, of 80 % positive; only "0" (no staining) says negative
        return (want == "negative") if got == "0" else None
    if marker_key(code) == "HER2" and got in HER2_STATUS:
        if want in ("positive", "negative"):
            status = HER2_STATUS[got]
            return None if status is None else status == want
        if want == "low":
            return HER2_LOW[got] if got != "2+" else None
    if marker_key(code) == "HER2" and got == "low":  # HER2-low (IHC 1+, or 2+ without amplification)
        if want in ("negative", "low"):  # is HER2-negative (ASCO/CAP): a HER2-negative trial is open to it
            return True
        if want == "positive":
            return False
    if want in ("positive", "present", "detected", "mutated", "altered"):
        return got not in ("negative", "absent", "not detected", "wild type", "wildtype", "unmethylated")
    if want in ("negative", "wild type", "wildtype", "not detected"):
        return got in ("negative", "absent", "not detected", "wild type", "wildtype")
    return want == got or want in got or got in want


def biomarker(atom: Atom, v: PatientView, day: date) -> AtomResult:
    code = atom.code or ""
    facts = _measured(v.biomarkers(code), code)
    alteration = str(atom.attributes.get("alteration") or "").lower()
    scale = str(atom.attributes.get("scale") or "").lower()
    if scale:
        facts = [f for f in facts if str(f.attributes.get("kind", "")).lower() in (scale, "")]
    if not facts:
        what = f"{code} {scale.upper()}".strip() if scale else code
        return unknown(f"biomarker test: {what}" + (f" ({_alternatives(atom.value)})" if atom.value else ""))
    op = atom.operator
    if op in (">=", ">", "<=", "<"):
        f = next((x for x in facts if as_float(x.value) is not None), facts[0])
        value = as_float(f.value)
        if value is None:
            return unknown(f"{code} numeric result", fact=f)
        return AtomResult(compare(op, value, float(atom.value)), f"{code} {value:g}{f.unit or ''}", f)
    wanted = atom.value if isinstance(atom.value, (list, tuple, set)) else [atom.value]
    wanted = [w for w in wanted if w not in (None, "")]
    results: list[tuple[bool | None, Fact]] = []
    for f in facts:
        if f.negated:
            results.append((False, f))
            continue
        fkind = str(f.attributes.get("kind", "")).lower()
        other_kind = alteration in ("mutation", "amplification", "fusion", "deletion") and fkind not in (
            alteration,
            "",
            "variant",
        )
        ish = any(str(x.attributes.get("kind", "")).lower() == "amplification" for x in facts)
        if other_kind and alteration == "amplification" and marker_key(code) == "HER2" and fkind == "ihc":
            if ish:  # the ISH result decides, not the IHC score
                continue
            # ASCO/CAP: IHC 3+ is amplified, 0 / 1+ is not, 2+ needs the ISH result
            status = HER2_STATUS.get(_status_of(f), "") if _status_of(f) in HER2_STATUS else _status_of(f)
            results.append(({"positive": True, "negative": False}.get(str(status)), f))
            continue
        # a deletion may be recorded as a status ("homozygous deletion") on a fact of another kind
        if other_kind and not (alteration == "deletion" and "deletion" in _status_of(f)):
            results.append((False, f))
            continue
        if not wanted:
            results.append((_biomarker_value_matches(f, "positive", code), f))
        else:
            per = [
                _biomarker_value_matches(f, str(w), code, atom.attributes.get("positive_if")) for w in wanted
            ]
            results.append((True if True in per else (None if None in per else False), f))
    found = next(((r, f) for r, f in results if r), None) or next(
        ((r, f) for r, f in results if r is None), None
    )
    holds, f = found if found else (False, results[0][1])
    if holds is None:
        return unknown(f"{code} confirmatory test (e.g. ISH)", f"{code} {f.value}: undecided", f)
    if op in ("absent", "!="):
        holds = not holds
    result = _said_result(code, f)
    asked = f" (criterion: {', '.join(map(str, wanted))})" if wanted else ""
    cut = atom.attributes.get(CUTOFF)
    if cut:  # "HER2 copy number < 6" against a category: met when the category implies it, else unknown
        implied = category_implies(
            op == "absent", str(atom.attributes.get(MEASURE)), float(atom.attributes.get(CUTOFF_VALUE, 0))
        )
        if not (holds and implied):
            what = (
                "HER2/CEP17 ratio" if atom.attributes.get(MEASURE) == "ratio" else "HER2 signals per nucleus"
            )
            return unknown(f"{what} (criterion: {cut})", f"{result}: a category, the criterion a count", f)
    if holds and atom.attributes.get("qualified"):  # an exclusion restating the trial's own population
        return unknown(f"whether this applies: “{atom.text}”", f"{result}: the criterion asks more", f)
    return AtomResult(holds, f"{result}{asked}".strip(), f)
