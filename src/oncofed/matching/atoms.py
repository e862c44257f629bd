"""Deciding one criterion atom against one patient: holds (True), does not hold (False) or unknown
(None), with the fact used and, for unknowns, what to check. Atom kinds follow the contract in
docs/DEVELOPING.md; `non_evaluable` and unrecognised kinds are always unknown, never guessed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from oncofed.domain import Atom, Fact
from oncofed.matching.facts import PatientView, as_float, fact_date, parse_stage
from oncofed.matching.vocab import (
    canonical_threshold,
    class_alternatives,
    drug_classes,
    has_oncotree_hierarchy,
    lab_uln,
    norm_text,
    oncotree_is_within,
)


@dataclass(frozen=True)
class AtomResult:
    holds: bool | None
    explanation: str
    fact: Fact | None = None
    check: str = ""  # for unknowns: the data that would decide it


def unknown(check: str, explanation: str = "", fact: Fact | None = None) -> AtomResult:
    return AtomResult(None, explanation or f"no data: {check}", fact, check)


def compare(op: str, left: float, right: float) -> bool:
    if op == ">=":
        return left >= right
    if op == ">":
        return left > right
    if op == "<=":
        return left <= right
    if op == "<":
        return left < right
    if op in ("==", "="):
        return left == right
    if op == "!=":
        return left != right
    raise ValueError(f"operator {op!r} is not numeric")


def compare_range(op: str, low: float, high: float, value: object) -> bool | None:
    """Compare a patient value known to lie in [low, high]: decided only if the whole range agrees."""
    if op == "in":
        raw = value if isinstance(value, (list, tuple, set)) else [value]
        values = {f for f in (as_float(v) for v in raw) if f is not None}
        if low == high:
            return low in values
        inside = [v for v in values if low <= v <= high]
        return None if inside else False
    target = as_float(value)
    if target is None:
        return None
    a, b = compare(op, low, target), compare(op, high, target)
    return a if a == b else None


def _numeric_text(op: str, value: object, unit: str | None = "") -> str:
    return f"{op} {value}{' ' + unit if unit else ''}"


def _within(day: date, when: date | None, window_days: int | None) -> bool | None:
    """Whether `when` falls in the `window_days` before `day` (None when the date is unknown)."""
    if window_days is None:
        return True
    if when is None:
        return None
    return when >= day - timedelta(days=window_days)


# --- demographics --------------------------------------------------------------------------


def age(atom: Atom, v: PatientView, day: date) -> AtomResult:
    years = v.profile.age_on(day)
    fact = v.column_fact.get("age")
    if years is None:
        return unknown("date of birth or age")
    holds = compare(atom.operator, years, float(atom.value))
    return AtomResult(
        holds, f"age {years:.0f} years on {day} ({_numeric_text(atom.operator, atom.value)})", fact
    )


def sex(atom: Atom, v: PatientView, day: date) -> AtomResult:
    if not v.profile.sex:
        return unknown("sex")
    holds = v.profile.sex.upper() == str(atom.value).upper()
    return AtomResult(holds, f"sex {v.profile.sex}", v.column_fact.get("sex"))


def pregnancy(atom: Atom, v: PatientView, day: date) -> AtomResult:
    kind = atom.kind
    if (v.profile.sex or "").upper() == "MALE":
        return AtomResult(False, f"male patient: {kind} does not apply", v.column_fact.get("sex"))
    pos, neg = v.positive(kind), v.negative(kind)
    if pos:
        return AtomResult(True, f"{kind} recorded: {pos[0].display or pos[0].value}", pos[0])
    if neg:
        return AtomResult(False, f"{kind} excluded: {neg[0].display or 'negative'}", neg[0])
    return unknown("pregnancy test" if kind == "pregnancy" else "breastfeeding status")


# --- disease -------------------------------------------------------------------------------


def cancer_type(atom: Atom, v: PatientView, day: date) -> AtomResult:
    raw = atom.value if atom.value is not None else atom.code
    codes = tuple(str(c) for c in (raw if isinstance(raw, (list, tuple, set)) else [raw]) if c)
    code, fact = v.primary_cancer()
    if not code:
        return unknown("primary cancer diagnosis (OncoTree code)")
    if not codes:
        return unknown("criterion names no cancer type code", fact=fact)
    holds = oncotree_is_within(code, codes)
    how = "OncoTree subtree" if has_oncotree_hierarchy() else "exact code (no OncoTree hierarchy loaded)"
    if holds is None:
        return unknown(
            f"{code} subtype ({', '.join(codes)}?)", f"{code} is broader than {', '.join(codes)}", fact
        )
    return AtomResult(
        holds, f"primary cancer {code} {'within' if holds else 'not within'} {', '.join(codes)} ({how})", fact
    )


def stage(atom: Atom, v: PatientView, day: date) -> AtomResult:
    value, fact = v.stage()
    patient = parse_stage(value)
    if patient is None:
        return unknown("stage group")
    wanted = atom.value if isinstance(atom.value, (list, tuple, set)) else [atom.value]
    undecided = False
    for w in wanted:
        target = parse_stage(str(w))
        if target is None or target[0] != patient[0]:
            continue
        if not target[1] or patient[1].startswith(target[1]):
            return AtomResult(True, f"stage {value} in {', '.join(map(str, wanted))}", fact)
        if not patient[1]:
            undecided = True
    if undecided:
        return unknown(f"stage sub-group (recorded {value})", fact=fact)
    return AtomResult(False, f"stage {value} not in {', '.join(map(str, wanted))}", fact)


def disease_setting(atom: Atom, v: PatientView, day: date) -> AtomResult:
    setting = (atom.code or str(atom.value or "")).lower()
    for f in v.positive("disease_status"):
        if (f.code or "").lower() == setting:
            return AtomResult(True, f"disease status {setting}", f)
    for f in v.negative("disease_status"):
        if (f.code or "").lower() == setting:
            return AtomResult(False, f"disease status: not {setting}", f)
    if setting == "metastatic":
        holds, fact = v.is_metastatic()
        if holds is not None:
            return AtomResult(
                holds, "metastatic disease" if holds else "no metastatic disease recorded (stage)", fact
            )
    if setting in ("first_line", "treatment_naive"):
        lines, fact = v.prior_lines()
        if lines is not None:
            return AtomResult(lines == 0, f"{lines} prior line(s) for advanced disease", fact)
    return unknown(f"disease setting: {setting.replace('_', ' ')}")


def _presence(kind: str, code: str | None, v: PatientView, day: date, atom: Atom, check: str) -> AtomResult:
    """Generic present/absent fact lookup with an optional time window."""
    pos = v.positive(kind, code)
    if pos:
        f = pos[0]
        inside = _within(day, fact_date(f), atom.window_days)
        if inside is None:
            return unknown(f"date of {f.display or code} (within {atom.window_days} days?)", fact=f)
        if inside:
            return AtomResult(True, f"{kind} {f.display or code} recorded", f)
        return AtomResult(False, f"{f.display or code} is older than {atom.window_days} days", f)
    neg = v.negative(kind, code)
    if neg:
        return AtomResult(False, f"{kind} {code or ''} explicitly absent".strip(), neg[0])
    return unknown(check)


def brain_metastases(atom: Atom, v: PatientView, day: date) -> AtomResult:
    wanted = str(atom.attributes.get("status") or "any").lower()
    pos = v.positive("metastasis", "brain")
    if pos:
        f = pos[0]
        status = str(f.attributes.get("status") or "").lower()
        if wanted == "any":
            return AtomResult(True, f"brain metastases ({status or 'status not recorded'})", f)
        if not status:
            return unknown("brain metastases status (active, treated and stable?)", fact=f)
        table = {
            "active": ({"active", "untreated", "symptomatic", "progressing"}, {"treated_stable"}),
            "untreated": ({"untreated"}, {"treated_stable"}),
            "symptomatic": ({"symptomatic"}, {"treated_stable"}),
            "treated_stable": ({"treated_stable"}, {"active", "untreated", "symptomatic", "progressing"}),
        }
        yes, no = table.get(wanted, ({wanted}, set()))
        if status in yes:
            return AtomResult(True, f"brain metastases {status}", f)
        if status in no:
            return AtomResult(False, f"brain metastases {status} (criterion: {wanted})", f)
        return unknown(f"whether brain metastases ({status}) are {wanted}", fact=f)
    neg = v.negative("metastasis", "brain")
    if neg:
        return AtomResult(False, "no brain metastases", neg[0])
    metastatic, fact = v.is_metastatic()
    if metastatic is False:
        return AtomResult(False, "no distant metastasis recorded (non-metastatic stage)", fact)
    return unknown("brain imaging (brain metastases?)")


def metastasis(atom: Atom, v: PatientView, day: date) -> AtomResult:
    site = (atom.code or str(atom.value or "")).lower()
    result = _presence("metastasis", site or None, v, day, atom, f"imaging: {site} metastases")
    if result.holds is None and not v.facts("metastasis"):
        metastatic, fact = v.is_metastatic()
        if metastatic is False:
            return AtomResult(False, "no distant metastasis recorded (non-metastatic stage)", fact)
    return result


def leptomeningeal(atom: Atom, v: PatientView, day: date) -> AtomResult:
    for kind in ("metastasis", "comorbidity"):
        for code in ("leptomeningeal", "leptomeningeal_disease"):
            if v.positive(kind, code):
                return AtomResult(True, "leptomeningeal disease recorded", v.positive(kind, code)[0])
            if v.negative(kind, code):
                return AtomResult(False, "no leptomeningeal disease", v.negative(kind, code)[0])
    metastatic, fact = v.is_metastatic()
    if metastatic is False:
        return AtomResult(False, "no distant metastasis recorded (non-metastatic stage)", fact)
    return unknown("leptomeningeal disease (MRI / CSF)")


def measurable_disease(atom: Atom, v: PatientView, day: date) -> AtomResult:
    for kind in ("measurable_disease", "disease_status"):
        for f in v.facts(kind):
            if kind == "disease_status" and (f.code or "").lower() != "measurable":
                continue
            return AtomResult(not f.negated, f"measurable disease {'absent' if f.negated else 'recorded'}", f)
    return unknown("measurable disease per RECIST 1.1 (baseline imaging)")


def life_expectancy(atom: Atom, v: PatientView, day: date) -> AtomResult:
    f = next(iter(v.positive("life_expectancy")), None)
    weeks = as_float(f.value) if f else None
    if weeks is None:
        return unknown("life expectancy (clinician estimate)")
    return AtomResult(
        compare(atom.operator, weeks, float(atom.value)), f"life expectancy {weeks:.0f} weeks", f
    )


# --- performance status and labs -----------------------------------------------------------


def ecog(atom: Atom, v: PatientView, day: date) -> AtomResult:
    low, high, fact = v.ecog_range()
    if fact is None:
        return unknown("ECOG performance status")
    holds = compare_range(atom.operator, low, high, atom.value)
    src = f" (converted from Karnofsky {fact.value})" if fact.kind == "karnofsky" else ""
    if holds is None:
        return unknown("ECOG performance status", f"ECOG {low}-{high}{src} undecided", fact)
    return AtomResult(holds, f"ECOG {low}{src} ({_numeric_text(atom.operator, atom.value)})", fact)


def karnofsky(atom: Atom, v: PatientView, day: date) -> AtomResult:
    low, high, fact = v.karnofsky_range()
    if fact is None or math.isnan(low):
        return unknown("Karnofsky performance status")
    holds = compare_range(atom.operator, low, high, atom.value)
    shown = f"{low:.0f}" if low == high else f"{low:.0f}-{high:.0f} (from ECOG {fact.value})"
    if holds is None:
        return unknown("Karnofsky performance status", f"Karnofsky {shown} undecided", fact)
    return AtomResult(holds, f"Karnofsky {shown} ({_numeric_text(atom.operator, atom.value)})", fact)


def lab(atom: Atom, v: PatientView, day: date) -> AtomResult:
    analyte = (atom.code or "").lower()
    f = v.latest_lab(analyte)
    if f is None:
        return unknown(f"laboratory value: {analyte}")
    value = as_float(f.value)
    if value is None:
        return unknown(f"laboratory value: {analyte}", f"{analyte} recorded without a number", f)
    if atom.window_days is not None and _within(day, f.when, atom.window_days) is not True:
        return unknown(
            f"recent {analyte} (within {atom.window_days} days)", f"latest {analyte} from {f.when}", f
        )
    target = as_float(atom.value)
    if target is None:
        return unknown(f"criterion threshold for {analyte}", fact=f)
    if (atom.unit or "").replace(" ", "").lower() in ("xuln", "×uln", "uln"):
        uln = as_float(f.attributes.get("uln")) or lab_uln(analyte)
        if uln is None:
            return unknown(f"upper limit of normal for {analyte}", fact=f)
        threshold = target * uln
        shown = f"{atom.operator} {target:g} x ULN ({threshold:g} {f.unit or ''})"
    else:
        converted = canonical_threshold(analyte, target, atom.unit)
        if converted is None:
            return unknown(f"{analyte} in a comparable unit (criterion in {atom.unit})", fact=f)
        threshold = converted
        shown = _numeric_text(atom.operator, f"{threshold:g}", f.unit)
    holds = compare(atom.operator, value, threshold)
    return AtomResult(holds, f"{analyte} {value:g} {f.unit or ''} ({shown}) on {f.when}", f)


# --- treatment history ---------------------------------------------------------------------


def treatment_matches(f: Fact, code: str, klass: str | None) -> bool:
    """Same drug, or the drug belongs to the wanted class (record's class or the drug vocabulary)."""
    wanted = norm_text(code)
    drug = norm_text(f.code or "")
    if drug == wanted:
        return True
    wanted_classes = class_alternatives(code) | (class_alternatives(klass) if klass else set())
    classes = {norm_text(f.attributes.get("class", ""))} | set(drug_classes(drug))
    return bool(wanted_classes & (classes - {""}))


def prior_therapy(atom: Atom, v: PatientView, day: date) -> AtomResult:
    code = atom.code or str(atom.value or "")
    klass = atom.attributes.get("class")
    label = klass or code
    negs = [f for f in v.negative("treatment") if treatment_matches(f, code, klass)]
    hits = [f for f in v.treatments() if treatment_matches(f, code, klass)]
    if hits:
        if atom.window_days is None:
            holds = True
            f = hits[0]
        else:
            inside = [(_within(day, fact_date(h), atom.window_days), h) for h in hits]
            yes = [h for ok, h in inside if ok]
            if yes:
                holds, f = True, yes[0]
            elif any(ok is None for ok, _ in inside):
                return unknown(f"end date of {label} (within {atom.window_days} days?)", fact=hits[0])
            else:
                holds, f = False, hits[0]
        holds = holds if atom.operator != "absent" else not holds
        return AtomResult(
            holds, f"received {f.code} ({f.attributes.get('class', '')}) ended {fact_date(f)}", f
        )
    if negs:
        return AtomResult(atom.operator == "absent", f"no prior {label} (explicit)", negs[0])
    if v.treatments():
        # A recorded treatment history is taken as complete for the drugs it lists.
        n = len(v.treatments())
        return AtomResult(
            atom.operator == "absent", f"{label} not among {n} recorded treatments", v.treatments()[0]
        )
    return unknown(f"prior treatments ({label}?)")


def prior_lines(atom: Atom, v: PatientView, day: date) -> AtomResult:
    lines, fact = v.prior_lines()
    if lines is None:
        return unknown("number of prior lines of systemic therapy for advanced disease", fact=fact)
    holds = compare(atom.operator, lines, float(atom.value))
    return AtomResult(holds, f"{lines} prior line(s) for advanced disease", fact)


def treatment_naive(atom: Atom, v: PatientView, day: date) -> AtomResult:
    if v.treatments():
        return AtomResult(False, f"{len(v.treatments())} prior treatment(s) recorded", v.treatments()[0])
    if v.negative("treatment"):
        return AtomResult(True, "no prior systemic therapy (explicit)", v.negative("treatment")[0])
    return unknown("prior systemic therapy (treatment-naive?)")


# --- comorbidities --------------------------------------------------------------------------


def comorbidity(atom: Atom, v: PatientView, day: date) -> AtomResult:
    code = (atom.code or ("prior_malignancy" if atom.kind == "prior_malignancy" else "")).lower()
    if not code:  # "any infection": no single record decides it
        return unknown(f"history: {atom.text or atom.kind.replace('_', ' ')}")
    label = code.replace("_", " ")
    for kind in dict.fromkeys(("comorbidity", atom.kind)):
        pos = v.positive(kind, code)
        neg = v.negative(kind, code)
        if pos or neg:
            result = _presence(kind, code or None, v, day, atom, f"history: {label}")
            if atom.kind == "infection" and result.holds and atom.attributes.get("active"):
                active = pos[0].attributes.get("active") if pos else None
                if active is False:
                    return AtomResult(False, f"{label}: not active", pos[0])
            return result
    return unknown(f"history: {label or atom.kind.replace('_', ' ')}")


def non_evaluable(atom: Atom, v: PatientView, day: date) -> AtomResult:
    what = (atom.code or "other").replace("_", " ")
    return unknown(f"{what}: to be confirmed by the investigator", "cannot be decided from patient data")
