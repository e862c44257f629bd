"""Deciding one criterion atom against one patient: holds (True), does not hold (False) or unknown
(None), with the fact used and, for unknowns, what to check. Atom kinds follow the contract in
docs/DEVELOPING.md; `non_evaluable` and unrecognised kinds are always unknown, never guessed."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from oncofed.criteria.conditions import ANTIBIOTICS
from oncofed.criteria.oncotree import LIQUID_MAIN_TYPES
from oncofed.criteria.vocab import find_drugs, medication_classes, oncotree_name
from oncofed.domain import Atom, Fact
from oncofed.matching import trust
from oncofed.matching.facts import (
    PatientView,
    as_float,
    converted,
    fact_date,
    no_systemic_therapy,
    parse_stage,
    within,
)
from oncofed.matching.numeric import (
    compare,
    compare_band,
    compare_range,
    lab_threshold,
    record_uln,
    threshold_words,
)
from oncofed.matching.outcomes import tri_of
from oncofed.matching.therapy_site import on_site, qualifier_site, site_target
from oncofed.matching.vocab import (
    NOT_SYSTEMIC_CLASSES,
    another_organ,
    class_alternatives,
    drug_classes,
    generic_names_of,
    has_oncotree_hierarchy,
    norm_text,
    oncotree_is_within,
    oncotree_tissue,
)

__all__ = ["AtomResult", "compare", "compare_range", "unknown"]


@dataclass(frozen=True)
class AtomResult:
    """Whether an atom's statement holds for the patient: True, False or None (unknown), with a plain
    sentence, the fact used and, for unknowns, what to check. `presumed`: decided only because a
    record taken as complete does not list something (see `outcomes`: it never excludes)."""

    holds: bool | None
    explanation: str
    fact: Fact | None = None
    check: str = ""  # for unknowns: the data that would decide it
    presumed: bool = False
    tri: int = field(init=False, repr=False, compare=False)  # the truth value (outcomes.py), computed once

    def __post_init__(self) -> None:
        object.__setattr__(self, "tri", tri_of(self.holds, self.presumed))


def unknown(check: str, explanation: str = "", fact: Fact | None = None) -> AtomResult:
    return AtomResult(None, explanation or f"not recorded: {check}", fact, check)


def _numeric_text(op: str, value: object, unit: str | None = "") -> str:
    return threshold_words(op, value, unit)


def _within(day: date, when: date | None, window_days: int | None) -> bool | None:
    """Whether `when` falls in the `window_days` before `day` (None when the date is unknown)."""
    if window_days is None:
        return True
    if when is None:
        return None
    return when >= day - timedelta(days=window_days)


# --- demographics --------------------------------------------------------------------------


def _cancer_name(code: str) -> str:
    name = oncotree_name(code.upper())
    return f"{name} ({code})" if name else code


def age(atom: Atom, v: PatientView, day: date) -> AtomResult:
    years = v.profile.age_on(day)
    fact = v.column_fact.get("age")
    if years is None:
        return unknown("date of birth or age")
    holds = compare(atom.operator, years, float(atom.value))
    return AtomResult(
        holds, f"aged {years:.0f} on {day} (criterion: {_numeric_text(atom.operator, atom.value)})", fact
    )


def sex(atom: Atom, v: PatientView, day: date) -> AtomResult:
    if not v.profile.sex:
        if atom.attributes.get("subject"):
            # "Women with metastatic breast cancer" (criteria/sex_scope.py): the sex a diagnosis line opens with
            # is presumed the patient's when the record gives none, as it was while read as the line's subject
            # (a condition not known to fail applies); a record of the other sex fails it
            female = str(atom.value).upper() == "FEMALE"
            return AtomResult(True, _SEX_PRESUMED[female], presumed=True)
        return unknown("sex")
    holds = v.profile.sex.upper() == str(atom.value).upper()
    return AtomResult(holds, f"{v.profile.sex.lower()} patient", v.column_fact.get("sex"))


_SEX_PRESUMED = {
    True: "sex not recorded: presumed female, as the line's patients",
    False: "sex not recorded: presumed male, as the line's patients",
}


def pregnancy(atom: Atom, v: PatientView, day: date) -> AtomResult:
    kind = atom.kind
    what = "pregnant" if kind == "pregnancy" else "breastfeeding"
    if (v.profile.sex or "").upper() == "MALE":
        return AtomResult(False, f"male patient: cannot be {what}", v.column_fact.get("sex"))
    pos, neg = v.positive(kind), v.negative(kind)
    if pos:
        return AtomResult(True, f"recorded as {what}", pos[0])
    if neg:
        return AtomResult(False, f"recorded as not {what}", neg[0])
    potential = childbearing_potential(atom, v, day)
    if potential.holds is False:  # postmenopausal or sterile: presumed neither pregnant nor breastfeeding
        return AtomResult(
            False, f"{potential.explanation}: presumed not {what}", potential.fact, presumed=True
        )
    return unknown("pregnancy test" if kind == "pregnancy" else "breastfeeding status")


def childbearing_potential(atom: Atom, v: PatientView, day: date) -> AtomResult:
    """A woman of childbearing potential: no for a man, a postmenopausal or sterile woman."""
    if (v.profile.sex or "").upper() == "MALE":
        return AtomResult(False, "male patient", v.column_fact.get("sex"))
    for f in v.facts("menopausal_status") + v.facts("childbearing_potential"):
        code = (f.code or str(f.value or "")).lower()
        if f.kind == "childbearing_potential":
            return AtomResult(not f.negated, f"{'' if not f.negated else 'not '}of childbearing potential", f)
        if not f.negated and code in ("postmenopausal", "post-menopausal", "surgically_sterile", "sterile"):
            return AtomResult(False, f"{code.replace('_', ' ')}: not of childbearing potential", f)
        if not f.negated and code in ("premenopausal", "pre-menopausal", "perimenopausal"):
            return AtomResult(True, f"{code}: of childbearing potential", f)
    return unknown("childbearing potential (menopausal status)")


# --- disease -------------------------------------------------------------------------------


def cancer_type(atom: Atom, v: PatientView, day: date) -> AtomResult:
    raw = atom.value if atom.value is not None else atom.code
    codes = tuple(str(c) for c in (raw if isinstance(raw, (list, tuple, set)) else [raw]) if c)
    code, fact = v.primary_cancer()
    if not code:
        return unknown("primary cancer diagnosis")
    if not codes:
        return unknown("criterion names no cancer type code", fact=fact)
    holds = oncotree_is_within(code, codes)
    wanted = " or ".join(_cancer_name(c) for c in codes)
    how = "" if has_oncotree_hierarchy() else " (exact codes compared: no OncoTree hierarchy loaded)"
    if holds is None:
        return unknown(
            f"{_cancer_name(code)} subtype ({wanted}?)",
            f"{_cancer_name(code)} is broader than {wanted}",
            fact,
        )
    if not holds and atom.historical:  # "past history of DCIS": another cancer of the history counts too
        for f in v.positive("comorbidity", "prior_malignancy"):
            other = str(f.attributes.get("cancer") or "")
            if other and oncotree_is_within(other, codes):
                return AtomResult(True, f"history of {_cancer_name(other)} recorded", f)
    if not holds and atom.attributes.get("or_solid") and solid_tumour(code):
        return unknown(  # the line also takes solid tumours: whether this one qualifies is not read
            f"whether the line's solid tumours include {_cancer_name(code)}",
            f"primary cancer {_cancer_name(code)} is not a {wanted}; the line also takes solid tumours",
            fact,
        )
    relation = "is a" if holds else "is not a"
    if holds and code.upper() in {c.upper() for c in codes}:  # the same diagnosis: say it once
        words = f"primary cancer {_cancer_name(code)}{how}"
        if not atom.attributes.get("qualified"):
            return AtomResult(True, words, fact)
    if holds and atom.attributes.get("qualified"):  # "bilateral breast cancer" in a breast cancer trial
        return unknown(
            f"whether the cancer is what the criterion says: “{atom.text or wanted}”",
            f"primary cancer {_cancer_name(code)}: whether it is “{atom.text or wanted}” is not recorded",
            fact,
        )
    if holds:  # "primary cancer Breast Invasive Ductal Carcinoma (IDC), a form of Invasive Breast Carcinoma"
        return AtomResult(True, f"primary cancer {_cancer_name(code)}, a form of {wanted}{how}", fact)
    return AtomResult(holds, f"primary cancer {_cancer_name(code)} {relation} {wanted}{how}", fact)


def solid_tumour(code: str) -> bool:
    """Whether a cancer is a solid tumour: in an organ of the tree, not the lymphoid or myeloid one."""
    tissue = oncotree_tissue(code)
    return tissue is not None and tissue not in LIQUID_MAIN_TYPES


def other_organ(atom: Atom, v: PatientView) -> bool:
    """Whether the patient's cancer is in another organ than every cancer a cancer-type atom names (the
    decision policy's organ question, `trust.reading_kind`); False for any other atom."""
    codes = trust.organ_codes(atom)
    return bool(codes) and another_organ(v.primary_cancer()[0], codes)


# words of a diagnosis that name its histology (criteria/extract_clinical.py HISTOLOGY_WORDS)
_HISTOLOGY_OF = {
    "squamous": ("squamous", "scc", "sqcc", "epidermoid"),
    "adenocarcinoma": ("adenocarcinoma", "adeno", "adenoca"),
    "small_cell": ("small cell", "sclc"),
    "adenoma": ("adenoma", "adenomas", "adenomatous"),
    "neuroendocrine": ("neuroendocrine", "carcinoid"),
    "urothelial": ("urothelial", "transitional cell"),
}


def _histologies(words: str) -> set[str]:
    low = re.sub(r"[^a-z0-9]+", " ", words.lower())
    low = f" {low.replace('non small cell', ' ').replace('nsclc', ' ')} "
    return {k for k, cues in _HISTOLOGY_OF.items() if any(f" {c} " in low for c in cues)}


def histology(atom: Atom, v: PatientView, day: date) -> AtomResult:
    """The histology of the primary cancer, as the diagnosis was written ("oesophageal SCC"), else as its
    OncoTree name says (a structured record's code); another named histology says no."""
    code, fact = v.primary_cancer()
    if (atom.code or "").lower() == "adenoma":  # "any adenoma found on colonoscopy": a benign polyp recorded
        found_adenoma = v.positive("comorbidity", "adenoma")
        if found_adenoma:
            return AtomResult(True, "adenoma recorded", found_adenoma[0])
        no_adenoma = v.negative("comorbidity", "adenoma")
        if no_adenoma and not code:
            return AtomResult(False, "no adenoma (recorded)", no_adenoma[0])
    if not code or fact is None:
        return unknown("primary cancer diagnosis (histology)")
    said = (
        str(fact.attributes.get("text") or "") if fact.attributes.get("text") else oncotree_name(code) or ""
    )
    found = _histologies(said)
    wanted = (atom.code or "").lower()
    label = wanted.replace("_", " ")
    if wanted in found:
        return AtomResult(True, f"{said or code}: {label} histology", fact)
    if found:
        return AtomResult(
            False,
            f"{said or code}: {', '.join(sorted(found)).replace('_', ' ')} histology, not {label}",
            fact,
        )
    return unknown(f"histology of {said or code} ({label}?)", fact=fact)


def tnm(atom: Atom, v: PatientView, day: date) -> AtomResult:
    """TNM categories: each alternative ({t, n, m}) holds when every category it names is the patient's
    (T1 covers T1b); a recorded T1 against T1b is undecided."""
    facts = [f for f in v.positive("tnm") + v.positive("stage") if f.attributes.get("t")]
    if not facts:
        return unknown("TNM stage (T, N, M)")
    f = facts[0]
    patient = {k: str(f.attributes.get(k) or "").upper() for k in ("t", "n", "m")}
    shown = " ".join(x for x in patient.values() if x)
    undecided = False
    for option in atom.value or ():
        results: list[bool | None] = []
        for k, want in option.items():
            got, want = patient.get(k, ""), str(want).upper()
            if not got or got.endswith("X"):
                results.append(None)
            elif want.endswith("+"):  # "N+": any nodal involvement
                results.append(got[1:2] not in ("0", ""))
            elif atom.operator == ">=" and got[1:2].isdigit() and want[1:2].isdigit():  # "at least cT1c"
                if got[1] != want[1]:
                    results.append(got[1] > want[1])
                else:
                    results.append(None if not (got[2:] and want[2:]) else got[2:] >= want[2:])
            elif got.startswith(want):
                results.append(True)
            elif want.startswith(got):
                results.append(None)  # T1 recorded, T1b asked
            else:
                results.append(False)
        if all(r is True for r in results):
            return AtomResult(True, f"{shown} (criterion: {atom.text})", f)
        if False not in results:
            undecided = True
    if undecided:
        return unknown(f"TNM categories ({atom.text}?)", f"{shown}: undecided", f)
    return AtomResult(False, f"{shown} (criterion: {atom.text})", f)


def stage(atom: Atom, v: PatientView, day: date) -> AtomResult:
    value, fact = v.stage()
    patient = parse_stage(value)
    if patient is None:
        return unknown("stage group")
    later = v.since_stage(fact)
    if later is not None:  # the stage at diagnosis: the disease has gone beyond it since
        return unknown(f"current stage ({_beyond(value, later)})", fact=fact)
    wanted = atom.value if isinstance(atom.value, (list, tuple, set)) else [atom.value]
    shown = ", ".join(map(str, wanted))
    undecided = False
    for w in wanted:
        target = parse_stage(str(w))
        if target is None or target[0] != patient[0]:
            continue
        if not target[1] or patient[1].startswith(target[1]):
            return AtomResult(True, f"stage {value} (criterion: {shown})", fact)
        if not patient[1]:
            undecided = True
    if undecided:
        return unknown(f"stage sub-group (recorded {value})", fact=fact)
    return AtomResult(False, f"stage {value} (criterion: {shown})", fact)


def _beyond(stage_value: str | None, later: Fact) -> str:
    """Why a recorded stage is the stage at diagnosis: what the record says happened since."""
    what = later.display or (later.code or later.kind).replace("_", " ")
    if later.kind == "prior_lines":
        what = f"{later.value} line(s) of therapy for advanced disease"
    elif later.kind == "treatment":
        setting = str(later.attributes.get("setting") or "").replace("_", " ")
        what = f"{what} given {f'in the {setting} setting' if setting else 'as a line for advanced disease'}"
    return f"stage {stage_value} at diagnosis; since then: {what}"


def disease_setting(atom: Atom, v: PatientView, day: date) -> AtomResult:
    result = _disease_setting(atom, v, day)
    if result.holds and atom.attributes.get("qualified"):  # "extensive metastatic disease" in an exclusion
        words = (atom.code or "").replace("_", " ")
        return unknown(f"whether the {words} disease is what the criterion says", fact=result.fact)
    return result


_SAME_SETTING = {"recurrent": {"recurrent", "relapsed"}, "relapsed": {"recurrent", "relapsed"}}


def _disease_setting(atom: Atom, v: PatientView, day: date) -> AtomResult:
    setting = (atom.code or str(atom.value or "")).lower()
    words = setting.replace("_", " ")
    same = _SAME_SETTING.get(setting, {setting})  # a relapse is a recurrence
    for f in v.positive("disease_status"):
        if (f.code or "").lower() in same:
            return AtomResult(True, f"{(f.code or words).replace('_', ' ')} disease recorded", f)
    for f in v.negative("disease_status"):
        if (f.code or "").lower() in same:
            return AtomResult(False, f"recorded as not {words}", f)
    if setting == "early":
        return _early_disease(v)
    if setting == "metastatic":
        holds, fact = v.is_metastatic()
        if holds is not None:
            return AtomResult(
                holds, "metastatic disease" if holds else "no metastatic disease (stage recorded)", fact
            )
        value, stage_fact = v.stage()
        later = v.since_stage(stage_fact)
        if later is not None:
            return unknown(
                f"whether the disease is metastatic now ({_beyond(value, later)})", fact=stage_fact
            )
    if setting in ("locally_advanced", "unresectable", "advanced"):
        holds, fact = v.is_metastatic()
        if holds and setting == "advanced":
            return AtomResult(True, "metastatic (advanced) disease", fact)
    if setting in ("first_line", "treatment_naive"):
        lines, fact = v.prior_lines()
        if lines is not None:
            return AtomResult(lines == 0, f"{lines} prior line(s) of therapy for advanced disease", fact)
    return unknown(f"disease setting: {words}")


_EARLY_STATUS = {"early", "localized", "localised", "operable", "resectable"}
_ADVANCED_STATUS = {"locally_advanced", "unresectable", "inoperable", "advanced"}


def _early_disease(v: PatientView) -> AtomResult:
    """Early disease ("early breast cancer", "localised cancer"): not metastatic, not locally advanced; the
    stage group decides (0, I, II early; IIIB, IIIC and IV not; IIIA, operable or not, is to check)."""
    for f in v.positive("disease_status"):
        code = (f.code or "").lower()
        if code in _EARLY_STATUS:
            return AtomResult(True, f"{code.replace('_', ' ')} disease recorded", f)
        if code in _ADVANCED_STATUS:
            return AtomResult(False, f"{code.replace('_', ' ')} disease recorded, not early disease", f)
    metastatic, fact = v.is_metastatic()
    if metastatic:
        return AtomResult(False, "metastatic disease, not early disease", fact)
    value, stage_fact = v.stage()
    parsed = parse_stage(value)
    if parsed is None:
        return unknown("disease setting: early (stage?)")
    later = v.since_stage(stage_fact)
    if later is not None:
        return unknown(f"whether the disease is still early ({_beyond(value, later)})", fact=stage_fact)
    group, sub = parsed
    if group in ("0", "I", "II"):
        return AtomResult(True, f"stage {value}: early disease", stage_fact)
    if group == "IV" or (group == "III" and sub[:1] in ("B", "C")):
        return AtomResult(False, f"stage {value}: not early disease", stage_fact)
    return unknown(f"whether stage {value} is early disease", fact=stage_fact)


def _presence(kind: str, code: str | None, v: PatientView, day: date, atom: Atom, check: str) -> AtomResult:
    """Generic present/absent fact lookup with an optional time window."""
    label = (code or kind).replace("_", " ")
    pos = v.positive(kind, code)
    if pos:
        dated = [(within(day, f, atom.window_days, "when"), f) for f in pos]
        yes = [f for ok, f in dated if ok]
        if yes:
            f = yes[0]
            when = f" on {f.when}" if atom.window_days is not None and f.when else ""
            return AtomResult(True, f"{f.display or label} recorded{when}", f)
        f = next((f for ok, f in dated if ok is None), pos[0])
        shown = f.display or label
        if any(ok is None for ok, _ in dated):
            return unknown(f"date of {shown} (within {atom.window_days} days?)", fact=f)
        return AtomResult(False, f"{shown} recorded, more than {atom.window_days} days ago", f)
    neg = v.negative(kind, code)
    if neg:
        return AtomResult(False, f"no {label} (recorded)", neg[0])
    return unknown(check)


# a note's "treated" (a local treatment named, no later imaging said stable: verdicts42) is not untreated; whether it
# is active, symptomatic or stable stays to check
_BRAIN_STATUS = {
    "active": ({"active", "untreated", "symptomatic", "progressing"}, {"treated_stable"}),
    "untreated": ({"untreated"}, {"treated_stable", "treated"}),
    "symptomatic": ({"symptomatic"}, {"treated_stable"}),
    "treated_stable": ({"treated_stable"}, {"active", "untreated", "symptomatic", "progressing"}),
}


def brain_metastases(atom: Atom, v: PatientView, day: date) -> AtomResult:
    wanted = str(atom.attributes.get("status") or "any").lower()
    pos = v.positive("metastasis", "brain")
    if pos:
        f = pos[0]
        status = str(f.attributes.get("status") or "").lower()
        shown = status.replace("_", " and ")
        if wanted == "any":
            return AtomResult(True, f"brain metastases recorded{' (' + shown + ')' if status else ''}", f)
        if not status:
            return unknown("brain metastases status (active, or treated and stable?)", fact=f)
        yes, no = _BRAIN_STATUS.get(wanted, ({wanted}, set()))
        if status in yes:
            return AtomResult(True, f"brain metastases {shown}", f)
        if status in no:
            return AtomResult(False, f"brain metastases {shown}, not {wanted.replace('_', ' and ')}", f)
        return unknown(f"whether the brain metastases ({shown}) are {wanted.replace('_', ' ')}", fact=f)
    neg = v.negative("metastasis", "brain")
    if neg:
        return AtomResult(False, "no brain metastases (recorded)", neg[0])
    metastatic, fact = v.is_metastatic()
    if metastatic is False:
        return AtomResult(False, "no distant metastasis (non-metastatic stage recorded)", fact)
    return unknown("brain imaging (brain metastases?)")


def metastasis_count(atom: Atom, v: PatientView) -> AtomResult:
    """ "≤ 3 brain metastases", "more than 5 lesions": decided by metastasis facts that count them
    (`attributes["count"]`); no metastasis at the site recorded (or a non-metastatic stage) is 0."""
    what = str(atom.attributes.get("count") or "metastases")
    wanted = _numeric_text(atom.operator, atom.value)
    site = (atom.code or "").lower() or None
    pos = v.positive("metastasis", site)
    counts = [as_float(f.attributes.get("count")) for f in pos]
    n: float | None = None
    fact = pos[0] if pos else None
    if pos and all(c is not None for c in counts):
        n = sum(c for c in counts if c is not None)
    elif pos and any(c is not None for c in counts):
        # "3 lung mets" and bone mets not counted: at least 3 + 1, decided only if the least number decides
        least = sum(c if c is not None else 1.0 for c in counts)
        holds = compare(atom.operator, least, float(atom.value))
        if holds == (atom.operator in (">", ">=")):
            return AtomResult(holds, f"at least {least:.0f} {what} recorded (criterion: {wanted})", fact)
    elif not pos and site is not None:
        neg = v.negative("metastasis", site)
        metastatic, staged = v.is_metastatic() if not v.facts("metastasis") else (None, None)
        if neg or metastatic is False:
            n, fact = 0.0, (neg[0] if neg else staged)
    if n is None:
        return unknown(
            f"number of {what} (imaging)", f"number of {what} not recorded (criterion: {wanted})", fact
        )
    return AtomResult(
        compare(atom.operator, n, float(atom.value)), f"{n:.0f} {what} recorded (criterion: {wanted})", fact
    )


def metastasis(atom: Atom, v: PatientView, day: date) -> AtomResult:
    if atom.attributes.get("count"):
        return metastasis_count(atom, v)
    site = (atom.code or str(atom.value or "")).lower()
    words = site.replace("_", " ")
    result = _presence("metastasis", site or None, v, day, atom, f"imaging: {words} metastases")
    if result.holds is True:
        return AtomResult(True, f"{words} metastases recorded", result.fact)
    if result.holds is None and not v.facts("metastasis"):
        metastatic, fact = v.is_metastatic()
        if metastatic is False:
            return AtomResult(False, "no distant metastasis (non-metastatic stage recorded)", fact)
    return result


def leptomeningeal(atom: Atom, v: PatientView, day: date) -> AtomResult:
    for kind in ("metastasis", "comorbidity"):
        for code in ("leptomeningeal", "leptomeningeal_disease"):
            if v.positive(kind, code):
                return AtomResult(True, "leptomeningeal disease recorded", v.positive(kind, code)[0])
            if v.negative(kind, code):
                return AtomResult(False, "no leptomeningeal disease (recorded)", v.negative(kind, code)[0])
    metastatic, fact = v.is_metastatic()
    if metastatic is False:
        return AtomResult(False, "no distant metastasis (non-metastatic stage recorded)", fact)
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
    if not src and converted(fact, "karnofsky"):
        src = f" (converted from Karnofsky {fact.attributes.get('karnofsky')})"
    wanted = atom.value if atom.operator != "in" else " or ".join(map(str, atom.value))
    criterion = _numeric_text(atom.operator, wanted) if atom.operator != "in" else wanted
    if holds is None:
        return unknown("ECOG performance status", f"ECOG {low}-{high}{src}: undecided", fact)
    grade = f"{low}" if low == high else f"{low}-{high}"
    return AtomResult(holds, f"ECOG {grade}{src} (criterion: ECOG {criterion})", fact)


def karnofsky(atom: Atom, v: PatientView, day: date) -> AtomResult:
    low, high, fact = v.karnofsky_range()
    if fact is None or math.isnan(low):
        return unknown("Karnofsky performance status")
    holds = compare_range(atom.operator, low, high, atom.value)
    grade = fact.attributes.get("ecog") if fact.attributes and fact.kind == "karnofsky" else fact.value
    shown = f"{low:.0f}" if low == high else f"{low:.0f}-{high:.0f} (from ECOG {grade})"
    if holds is None:
        return unknown("Karnofsky performance status", f"Karnofsky {shown}: undecided", fact)
    return AtomResult(
        holds, f"Karnofsky {shown} (criterion: {_numeric_text(atom.operator, atom.value)})", fact
    )


def lab(atom: Atom, v: PatientView, day: date) -> AtomResult:
    analyte = (atom.code or "").lower()
    name = analyte.upper() if len(analyte) <= 4 else analyte.replace("_", " ")
    f = v.latest_lab(analyte)
    if f is None:
        return unknown(f"laboratory value: {name}")
    value = as_float(f.value)
    if value is None:
        return unknown(f"laboratory value: {name}", f"{name} recorded without a number", f)
    if atom.window_days is not None and _within(day, f.when, atom.window_days) is not True:
        return unknown(f"recent {name} (within {atom.window_days} days)", f"latest {name} from {f.when}", f)
    band = atom.attributes.get(LLN_BAND) if atom.attributes else None
    if band and atom.operator in (">=", ">", "<", "<="):
        return _lab_band(atom, f, name, value, band)
    uln = record_uln(f.attributes.get("uln"), analyte)
    threshold = lab_threshold(analyte, atom.value, atom.unit, uln)
    if threshold is None:
        if as_float(atom.value) is None:
            return unknown(f"criterion threshold for {name}", fact=f)
        return unknown(f"{name} in a comparable unit (criterion in {atom.unit})", fact=f)
    holds = compare(atom.operator, value, threshold)
    limit = _numeric_text(atom.operator, atom.value, atom.unit)
    if atom.unit and "uln" in atom.unit.lower():
        limit += f" = {threshold:g} {f.unit or ''}".rstrip()
    sign = atom.attributes.get("implied_sign") if atom.attributes else None
    if sign:  # the registry text lost the sign: the measure's safe side was read (criteria/implied_sign.py)
        limit += f", no sign written: read as {'an upper' if sign == 'upper' else 'a lower'} limit"
    when = f" on {f.when}" if f.when else ""
    return AtomResult(
        holds, f"{name} {value:g} {f.unit or ''}{when} (criterion: {limit})".replace("  ", " "), f
    )


LLN_BAND = (
    "lln_band"  # criteria/lab_lists.LLN_BAND: the band of lower limits of normal the criterion may mean
)


def _lab_band(atom: Atom, f: Fact, name: str, value: float, band: Any) -> AtomResult:
    """A lower limit of normal the criterion does not give ("LVEF within institutional range of normal"): the
    record's own LLN (a reference range written with the value) decides; else only a value outside the band of
    limits in use (LVEF 50-55 %) does, and between them the centre's limit is to check."""
    when = f" on {f.when}" if f.when else ""
    shown = f"{name} {value:g} {f.unit or ''}{when}".replace("  ", " ")
    own = as_float(f.attributes.get("lln"))
    rule = atom.attributes.get(
        "whichever"
    )  # "... or below 53 %, whichever is higher" (criteria/whichever.py)
    if own is not None and rule:
        own = (min if rule[0] == "lower" else max)(own, float(rule[1]))
    if own is not None:
        limit = _numeric_text(atom.operator, own, f.unit) + ", the record's lower limit of normal"
        return AtomResult(compare(atom.operator, value, own), f"{shown} (criterion: {limit})", f)
    low, high = float(band[0]), float(band[1])
    holds = compare_band(atom.operator, value, low, high)
    # the limit that decided: the highest when a floor is met or a ceiling is not, else the lowest
    limit = _numeric_text(atom.operator, high if holds == atom.operator.startswith(">") else low, atom.unit)
    if holds is None:
        limit = (
            _numeric_text(atom.operator, low, atom.unit) + ", depends on the centre's lower limit of normal"
        )
        return unknown(f"{name}: the centre's lower limit of normal", f"{shown} (criterion: {limit})", f)
    return AtomResult(holds, f"{shown} (criterion: {limit}, every centre's lower limit of normal)", f)


# --- treatment history ---------------------------------------------------------------------


def treatment_matches(f: Fact, code: str, klass: str | None) -> bool:
    """Same drug, or the drug belongs to the wanted class (record's class or the drug vocabulary)."""
    wanted = norm_text(code)
    drug = norm_text(f.code or "")
    if drug == wanted:
        return True
    wanted_classes = class_alternatives(code) | (class_alternatives(klass) if klass else set())
    classes = frozenset(({norm_text(f.attributes.get("class", ""))} | set(drug_classes(drug))) - {""})
    if f.attributes.get("anticancer") is False:
        # a drug given for another indication ("psoriatic arthritis on methotrexate"): the drug itself, a class
        # that is no anticancer therapy (corticosteroids), immunosuppression when given for an immune disease
        kept = classes & NOT_SYSTEMIC_CLASSES
        if str(f.attributes.get("indication")) in IMMUNE_INDICATIONS:
            kept |= IMMUNOSUPPRESSION
        return bool(wanted_classes & kept)
    return bool(wanted_classes & (classes | generic_names_of(classes)))


# a therapy named in general words ("systemic treatment") that a drug given for another indication than a
# cancer may be: not when the line says anticancer, names a cancer's setting, or a class
_GENERIC_ANY = frozenset(
    norm_text(x) for x in ("systemic therapy", "systemic treatment", "therapy", "treatment")
)
_ANTICANCER_WORDS = re.compile(r"cancer|neoplas|tumou?r|chemo|oncolog", re.I)


def _for_another_cancer(atom: Atom, v: PatientView) -> str:
    """The cancer a therapy atom is for ("for metastatic breast cancer": its cancer-type `target`) when the
    patient's cancer is in another organ than each one, else "" (the vectorised path calls `prior_therapy` for
    every atom with a setting, so both paths agree)."""
    codes = tuple(
        str(t.get("code"))
        for t in atom.attributes.get("target") or ()
        if isinstance(t, dict) and t.get("kind") == "cancer_type" and t.get("code")
    )
    return " or ".join(codes) if another_organ(v.primary_cancer()[0], codes) else ""


def given_for_another(atom: Atom, v: PatientView) -> Fact | None:
    """A drug the record says was given for another indication (`anticancer` False) that a therapy atom named
    in general words may mean ("active autoimmune disease that has required systemic treatment"), else None."""
    code = norm_text(atom.code or str(atom.value or ""))
    if code not in _GENERIC_ANY or setting_family(atom) or _ANTICANCER_WORDS.search(atom.text or ""):
        return None
    return next((f for f in v.treatments() if f.attributes.get("anticancer") is False), None)


# the class a drug given for an immune disease or a transplant belongs to (notes/indications.py)
IMMUNE_INDICATIONS = frozenset({"autoimmune_disease", "organ_transplant", "interstitial_lung_disease"})
IMMUNOSUPPRESSION = frozenset({norm_text("immunosuppressive therapy"), norm_text("immunosuppressant")})


# the settings of a therapy, by family: a criterion's setting (criteria/logic.py `therapy_settings`) and
# a record's (`treatment` facts' `setting`, ingest/patients/notes/therapy.py) agree within a family only
ADVANCED_FAMILY = frozenset(
    {"metastatic", "advanced", "locally_advanced", "unresectable", "recurrent", "relapsed", "refractory",
     "palliative", "first_line"}
)  # fmt: skip
EARLY_FAMILY = frozenset({"adjuvant", "neoadjuvant", "perioperative"})


def _settings_of(atom: Atom) -> list[str]:
    raw = atom.attributes.get("setting") if atom.attributes else None
    return [str(x) for x in raw] if isinstance(raw, (list, tuple)) else []


def setting_family(atom: Atom) -> str:
    """The family of the settings a therapy atom names ("advanced" or "early"; "" when none, or mixed)."""
    settings = set(_settings_of(atom))
    if settings and settings <= ADVANCED_FAMILY:
        return "advanced"
    if settings and settings <= EARLY_FAMILY:
        return "early"
    return ""


def treatment_family(f: Fact) -> str:
    """The family of a recorded treatment's setting ("" when unstated or another one: "definitive"); a
    course numbered as a line ("1L carboplatin/gemcitabine") with no setting written is for advanced disease."""
    said = str(f.attributes.get("setting") or "").lower()
    if not said and isinstance(f.attributes.get("line"), int):
        return "advanced"
    return "advanced" if said in ADVANCED_FAMILY else "early" if said in EARLY_FAMILY else ""


def in_setting(atom: Atom, f: Fact) -> bool:
    """Whether a recorded treatment may be the one a therapy atom names, by setting: same family (an
    early setting the same one, adjuvant is not neoadjuvant), or a setting the record does not state."""
    wanted, said = setting_family(atom), treatment_family(f)
    if not wanted or not said:
        return True
    if wanted != said:
        return False
    settings = set(_settings_of(atom))
    return wanted == "advanced" or bool(
        {str(f.attributes.get("setting")).lower(), "perioperative"} & settings
    )


_ADVANCED_SIGNS = frozenset(
    {"metastatic", "stage_iv", "recurrent", "relapsed", "locally_advanced", "unresectable"}
)


def _advanced_courses(v: PatientView, courses: list[Fact]) -> list[Fact]:
    """The courses whose setting the record does not state but which were given for advanced disease: of a
    patient with advanced disease, started on or after its first dated sign (a metastasis, a relapse, a
    metastatic status), or after the last course of an early setting (adjuvant, neoadjuvant) had ended."""
    signs = [f for f in v.positive("disease_status") if (f.code or "").lower() in _ADVANCED_SIGNS]
    signs += v.positive("metastasis")
    if not signs:
        return []
    dates = [d for d in (f.when for f in signs) if d is not None]
    early = [d for d in (fact_date(f, "end") for f in v.treatments() if treatment_family(f) == "early") if d]
    if dates:
        since = min(dates)
        return [c for c in courses if (fact_date(c, "start") or date.min) >= since]
    if early:
        return [c for c in courses if (fact_date(c, "start") or date.min) > max(early)]
    return []


def _other_setting_words(atom: Atom, f: Fact) -> str:
    said = str(f.attributes.get("setting"))
    wanted = " or ".join(_settings_of(atom)).replace("_", " ")
    return f"{_treatment_words(f)}, given in the {said} setting, not the {wanted} one"


def _treatment_words(f: Fact) -> str:
    klass = f.attributes.get("class", "")
    end = fact_date(f)
    return f"received {f.code}{f' ({klass})' if klass else ''}{f', last given {end}' if end else ''}"


# Treatments a history of anticancer drugs says nothing about: radiotherapy, surgery, transplants,
# supportive and concomitant drugs are recorded elsewhere, if at all, so their absence is no evidence.
NOT_PRESUMABLE = frozenset(
    norm_text(x)
    for x in (
        "radiotherapy", "radiation", "surgery", "stem cell transplant", "transplant", "investigational agent",
        "corticosteroid", "steroid", "immunosuppressive therapy", "immunosuppressant", "anticoagulant",
        "vaccine", "live vaccine", "bone-modifying agent", "growth factor", "blood transfusion", "other",
        "biologic therapy",  # its classes (vocab/therapy_groups.tsv) leave out anti-HER2 (lapatinib is one)
    )
)  # fmt: skip


def presumable(code: str, klass: str | None) -> bool:
    """Whether a recorded treatment history may be presumed complete for this drug or class."""
    return not ({norm_text(code), norm_text(klass or "")} & NOT_PRESUMABLE)


def _schedule(f: Fact) -> str:
    """The schedule or route a treatment record states ("every 3 weeks", "oral"), if any."""
    return ", ".join(str(f.attributes[k]) for k in ("schedule", "route") if f.attributes.get(k))


def _says(f: Fact, qualifier: str) -> bool:
    """Whether a treatment record states the qualifier (its code, `site`, `qualifier`, `schedule` or `route`)."""
    said = (f.code, *(f.attributes.get(k) for k in ("site", "qualifier", "schedule", "route")))
    words = " ".join(str(x) for x in said if x)
    return norm_text(qualifier) in norm_text(words)


def medication_matches(f: Fact, code: str, klass: str | None) -> bool:
    """Same concomitant drug, or the drug (or class) recorded belongs to the wanted class."""
    if norm_text(f.code or "") == norm_text(code):
        return True
    wanted = class_alternatives(code) | (class_alternatives(klass) if klass else set())
    classes = {norm_text(c) for c in (*f.attributes.get("classes", ()), f.attributes.get("class") or "")}
    classes |= {norm_text(c) for c in medication_classes(str(f.code or ""))}
    return bool(wanted & (classes - {""}))


def medication(atom: Atom, v: PatientView, day: date) -> AtomResult:
    """A concomitant drug or class ("enzyme-inducing antiepileptic drugs", "anticoagulation"): decided by
    the medications recorded, never presumed from their absence (a medication list is rarely complete)."""
    code = atom.code or str(atom.value or "")
    klass = atom.attributes.get("class")
    label = klass or code
    local = "topical" in (atom.text or "").lower()  # a topical drug is no systemic exposure unless asked
    hits = [
        f
        for f in v.positive("medication")
        if medication_matches(f, code, klass) and (local or f.attributes.get("route") != "topical")
    ]
    if hits:
        if atom.window_days is not None:
            dated = [
                (within(day, h, atom.window_days, "when"), h) for h in hits if not h.attributes.get("current")
            ]
            if not any(h.attributes.get("current") for h in hits) and not any(ok for ok, _ in dated):
                if any(ok is None for ok, _ in dated):
                    return unknown(f"date of {label} (within {atom.window_days} days?)", fact=hits[0])
                return AtomResult(
                    atom.operator == "absent",
                    f"{hits[0].display or hits[0].code}: more than {atom.window_days} days ago",
                    hits[0],
                )
        current = [h for h in hits if h.attributes.get("current")]
        f = (current or hits)[0]
        words = f"{'currently on' if current else 'received'} {f.code}{f' ({label})' if norm_text(label) != norm_text(f.code or '') else ''}"
        if atom.attributes.get("current") and not current:
            if all(h.attributes.get("current") is False for h in hits):
                return AtomResult(atom.operator == "absent", f"{words} (in the past, not current)", f)
            return unknown(
                f"whether {label} is current", f"{words}; whether it is ongoing is not recorded", f
            )
        return AtomResult(atom.operator != "absent", words, f)
    negs = [f for f in v.negative("medication") if medication_matches(f, code, klass)]
    if negs:
        return AtomResult(atom.operator == "absent", f"no {label} (recorded)", negs[0])
    return unknown(f"current medications ({label}?)")


_RT_TYPES = ("whole", "craniospinal", "extended", "total body", "hemibody")


def ended_before(day: date, f: Fact, days: int) -> bool | None:
    """Whether a treatment ended at least `days` before `day`: False only when it also started within
    them; None when undated or when its dates straddle the limit."""
    cutoff = day - timedelta(days=days)
    end = fact_date(f)
    if end is None:
        return None
    if end < cutoff:
        return True
    start = fact_date(f, "start")
    return False if start is not None and start >= cutoff else None


def prior_therapy(atom: Atom, v: PatientView, day: date) -> AtomResult:
    if atom.attributes.get("medication"):
        return medication(atom, v, day)
    code = atom.code or str(atom.value or "")
    klass = atom.attributes.get("class")
    label = klass or code
    negs = [f for f in v.negative("treatment") if treatment_matches(f, code, klass)]
    hits = [f for f in v.treatments() if treatment_matches(f, code, klass)]
    if code.endswith("ectomy"):  # "total hysterectomy": also a procedure of the history (for fibroids)
        negs += [f for f in v.negative("procedure") if treatment_matches(f, code, klass)]
        hits += [f for f in v.positive("procedure") if treatment_matches(f, code, klass)]
    sited = (
        False  # a course on the line's target lesions ("for brain metastases"): their setting is the line's
    )
    if hits and (target := site_target(atom)) is not None:
        # "no prior resection of cerebral metastases": a surgery on another organ is not it (therapy_site.py)
        site, site_names = target
        sited_hits = [(on_site(h, site_names), h) for h in hits]
        if not any(ok for ok, _ in sited_hits):
            h = next((h for ok, h in sited_hits if ok is None), None)
            if h is not None:
                return unknown(f"whether the {label} was on the {site}", _treatment_words(h), h)
            off = f"not on the {site}: {_treatment_words(hits[0])}"  # a presumption: the record may omit it
            return AtomResult(atom.operator == "absent", off, hits[0], presumed=True)
        hits, sited = [h for ok, h in sited_hits if ok], True
    if not hits and (for_other := given_for_another(atom, v)):
        # "autoimmune disease that has required systemic treatment": the line may mean the drug given for it
        given_words = (
            f"{for_other.code} given for {str(for_other.attributes.get('indication')).replace('_', ' ')}"
        )
        return unknown(f"whether the {label} includes {for_other.code}", given_words, for_other)
    if hits and setting_family(atom) and not sited:
        # "no prior chemotherapy for metastatic disease": a course recorded in another setting
        # (adjuvant, neoadjuvant) is not the one the criterion names; a course whose setting the record
        # does not state may be either: the line is not decided by it
        other = [h for h in hits if not in_setting(atom, h)]
        hits = [h for h in hits if in_setting(atom, h)]
        label = " or ".join(_settings_of(atom)).replace("_", " ")
        check = f"prior {klass or code} for {label}?"
        if not hits:  # a presumption (the record may not list every setting's courses): never violates
            words = _other_setting_words(atom, other[0])
            return AtomResult(atom.operator == "absent", words, other[0], check, presumed=True)
        if not any(treatment_family(h) for h in hits):
            dated = _advanced_courses(v, hits) if setting_family(atom) == "advanced" else None
            if not dated:
                return unknown(check, _treatment_words(hits[0]), hits[0])
            hits = dated
    at_most = atom.attributes.get("at_most")
    if at_most is not None:  # "no more than two prior anti-HER2 therapies": distinct drugs recorded
        drugs = sorted({str(h.code) for h in hits})
        if len(drugs) <= int(at_most) and (hits or negs or v.treatments()):
            return AtomResult(
                True,
                f"{len(drugs)} {label} recorded ({', '.join(drugs) or 'none'}), at most {at_most}",
                hits[0] if hits else None,
            )
        if not hits and not negs:
            return unknown(f"prior treatments ({label}?)")
        return unknown(
            f"number of prior {label} therapies (at most {at_most})",
            f"{len(drugs)} {label} drugs recorded",
            hits[0],
        )
    min_days = atom.attributes.get("min_days")
    if hits and isinstance(min_days, int) and atom.window_days is None:
        # "completed ... at least 60 days before": a course that ended that long ago; too recent only
        # when the whole course (its start too) falls in those days (note dates are often months)
        ended = [(ended_before(day, h, min_days), h) for h in hits]
        old = [h for ok, h in ended if ok is True]
        if not old and any(ok is None for ok, _ in ended):
            return unknown(f"end date of {label} (at least {min_days} days ago?)", fact=hits[0])
        f = old[0] if old else hits[0]
        words = _treatment_words(f) + ("" if old else f" (less than {min_days} days ago)")
        return AtomResult(bool(old) if atom.operator != "absent" else not old, words, f)
    if hits:
        if atom.window_days is None:
            holds = True
            f = hits[0]
        else:
            inside = [(within(day, h, atom.window_days), h) for h in hits]
            yes = [h for ok, h in inside if ok]
            if yes and atom.attributes.get("to_start") and not any(h.attributes.get("current") for h in yes):
                # "within 14 days of the first dose": a course that ended in the window before the note may
                # end more than 14 days before a first dose still to come
                return unknown(f"end date of {label} (within {atom.window_days} days?)", fact=yes[0])
            if yes:
                holds, f = True, yes[0]
            elif any(ok is None for ok, _ in inside):
                return unknown(f"end date of {label} (within {atom.window_days} days?)", fact=hits[0])
            else:
                holds, f = False, hits[0]
        words = _treatment_words(f)
        if holds and atom.attributes.get("current"):  # "currently receiving": a past course is not current
            ongoing = [h for h in hits if h.attributes.get("current")]
            if ongoing:
                return AtomResult(
                    atom.operator != "absent", f"{_treatment_words(ongoing[0])} (current)", ongoing[0]
                )
            if all(h.attributes.get("historical") or h.attributes.get("current") is False for h in hits):
                return AtomResult(atom.operator == "absent", f"{words} (in the past, not current)", f)
            return unknown(
                f"whether {label} is current", f"{words}; whether it is ongoing is not recorded", f
            )
        qualifier = str(atom.attributes.get("qualifier") or "")
        if holds and qualifier and not _says(f, qualifier):  # "whole brain radiotherapy" vs "radiotherapy"
            # "cranial radiotherapy" asked, "radiotherapy (whole brain)" recorded: a site in other words
            site_words = qualifier_site(qualifier)
            said = [h for h in hits if _says(h, qualifier) or (site_words and on_site(h, site_words))]
            if said:
                f, words = said[0], _treatment_words(said[0])
            elif (qualifier.startswith(_RT_TYPES) and all(h.attributes.get("site") for h in hits)) or (
                site_words and all(on_site(h, site_words) is False for h in hits)
            ):
                # "whole brain" asked, "SRS to 2 lesions" recorded: another kind of radiotherapy
                sites = "; ".join(sorted({str(h.attributes["site"]) for h in hits}))
                return AtomResult(atom.operator == "absent", f"{words} ({sites}), not {qualifier}", f)
            elif all(_schedule(h) for h in hits):  # "weekly paclitaxel" asked, every 3 weeks recorded
                given = "; ".join(sorted({_schedule(h) for h in hits}))
                sentence = f"schedule or route of {f.code} recorded as {given}, not {qualifier}"
                return AtomResult(atom.operator == "absent", sentence, f)
            else:
                return unknown(
                    f"whether the {label} was {qualifier}", f"{words}; {qualifier} not recorded", f
                )
        if atom.window_days is not None and not holds:
            words += f" (more than {atom.window_days} days ago)"
        if holds and setting_family(atom) and (cancer := _for_another_cancer(atom, v)):
            # "chemotherapy for metastatic breast cancer", a lymphoma's numbered lines: not that cancer's therapy
            return unknown(f"whether the {label} was for {cancer}", words, f)
        holds = holds if atom.operator != "absent" else not holds
        return AtomResult(holds, words, f)
    if negs:
        return AtomResult(atom.operator == "absent", f"no prior {label} (recorded)", negs[0])
    recorded_none = next((f for f in v.negative("treatment") if no_systemic_therapy(f)), None)
    if recorded_none is not None and not v.treatments() and presumable(code, klass):
        # "no prior systemic therapy" recorded: no drug of any class either, as a presumption (the record
        # may mean one setting's therapy only): it may satisfy a criterion, never violate one
        return AtomResult(
            atom.operator == "absent",
            f"no prior systemic therapy recorded, so no {label}",
            recorded_none,
            f"prior treatments ({label}?)",
            presumed=True,
        )
    if v.treatments() and presumable(code, klass):
        # A recorded treatment history is taken as complete for the anticancer drugs it lists, as a
        # presumption: it may satisfy a criterion, never violate one (see matching/outcomes.py).
        n = len(v.treatments())
        listed = ", ".join(sorted({str(t.code) for t in v.treatments()})[:4])
        return AtomResult(
            atom.operator == "absent",
            f"{label} not among the {n} recorded treatment(s) ({listed})",
            v.treatments()[0],
            f"prior treatments ({label}?)",
            presumed=True,
        )
    return unknown(f"prior treatments ({label}?)")


def prior_lines(atom: Atom, v: PatientView, day: date) -> AtomResult:
    lines, fact = v.prior_lines()
    if lines is None:
        return unknown("number of prior lines of systemic therapy for advanced disease", fact=fact)
    wanted = _numeric_text(atom.operator, atom.value)
    months = as_float(atom.attributes.get("adjuvant_months")) if atom.attributes else None
    if months:  # "adjuvant therapy counts as a line if relapse occurred within 12 months"
        counted, said, adjuvant = _adjuvant_as_line(v, months)
        if counted is None:
            if compare(atom.operator, lines, float(atom.value)) != compare(
                atom.operator, lines + 1, float(atom.value)
            ):
                return unknown(
                    f"whether the relapse came within {months:.0f} months of adjuvant therapy", said, adjuvant
                )
        elif counted:
            lines += 1
            return AtomResult(
                compare(atom.operator, lines, float(atom.value)),
                f"{lines} prior line(s) for advanced disease, adjuvant therapy counted as one (relapse {said} "
                f"months after it ended) (criterion: {wanted})",
                adjuvant,
            )
    holds = compare(atom.operator, lines, float(atom.value))
    return AtomResult(holds, f"{lines} prior line(s) for advanced disease (criterion: {wanted})", fact)


_RELAPSE_STATUS = ("recurrent", "relapsed", "metastatic")


def _adjuvant_as_line(v: PatientView, months: float) -> tuple[bool | None, str, Fact | None]:
    """Whether adjuvant / neoadjuvant therapy counts as a line: the relapse came within `months` of its end.
    (False when none was given; None when the end or the relapse date is not recorded.)"""
    adjuvant = [f for f in v.systemic_treatments() if treatment_family(f) == "early"]
    if not adjuvant:
        return False, "", None
    ends = [d for d in (fact_date(f) for f in adjuvant) if d is not None]
    relapses = [
        f.when for f in v.positive("disease_status") if (f.code or "").lower() in _RELAPSE_STATUS and f.when
    ]
    if not ends or not relapses:
        return None, "adjuvant therapy recorded, the dates of its end or of the relapse not", adjuvant[0]
    end, relapse = max(ends), min(relapses)
    gap = (relapse - end).days / 30.44
    if gap < 0:
        return None, "the relapse is dated before the end of adjuvant therapy", adjuvant[0]
    return gap <= months, f"{gap:.0f}", adjuvant[0]


def treatment_naive(atom: Atom, v: PatientView, day: date) -> AtomResult:
    # surgery and radiotherapy are local treatments: "treatment-naive" is of systemic therapy
    systemic = v.systemic_treatments()
    given = [t for t in systemic if in_setting(atom, t)]  # "untreated for metastatic disease"
    if given:
        return AtomResult(False, _treatment_words(given[0]), given[0])
    if systemic:  # every recorded course in another setting (adjuvant, for a metastatic criterion)
        first = systemic[0]
        return AtomResult(
            True, _other_setting_words(atom, first), first, "prior systemic therapy?", presumed=True
        )
    if v.negative("treatment"):
        return AtomResult(True, "no prior systemic therapy (recorded)", v.negative("treatment")[0])
    return unknown("prior systemic therapy (treatment-naive?)")


# --- comorbidities --------------------------------------------------------------------------


def comorbidity(atom: Atom, v: PatientView, day: date) -> AtomResult:
    code = (atom.code or ("prior_malignancy" if atom.kind == "prior_malignancy" else "")).lower()
    if not code:  # "any infection": no single record decides it
        return unknown(f"history: {atom.text or atom.kind.replace('_', ' ')}")
    if code == "hypersensitivity" and (atom.attributes.get("allergen") or atom.attributes.get("drugs")):
        return _named_allergy(atom, v)
    label = code.replace("_", " ")
    qualifier = str(atom.attributes.get("qualifier") or "")
    for kind in dict.fromkeys(("comorbidity", atom.kind)):
        pos = v.positive(kind, code)
        neg = v.negative(kind, code)
        if pos or neg:
            result = _presence(kind, code or None, v, day, atom, f"history: {label}")
            if result.holds and qualifier and pos:
                drug = pos[0].attributes.get("treated_with")
                if atom.kind == "infection" and drug and qualifier == ANTIBIOTICS:
                    # "infection requiring systemic antibiotics": the note gives the antibiotic it was treated with
                    return AtomResult(
                        True, f"{pos[0].display or label} treated with {drug} (antibiotic)", pos[0]
                    )
                return _qualified_condition(pos[0], label, qualifier)
            if atom.kind == "infection" and result.holds and atom.attributes.get("active"):
                active = pos[0].attributes.get("active") if pos else None
                status = str(pos[0].attributes.get("status") or "") if pos else ""
                if active is False or status in ("resolved", "inactive", "remission"):  # "HCV ..., SVR12"
                    return AtomResult(
                        False, f"{label}: not active" + (f" ({status})" if status else ""), pos[0]
                    )
                if pos and code in _SEROLOGY_DEFINED and active is None and not status:
                    current = [f for f in pos if _CURRENT_MARKER.search(f.display or "")]
                    cleared = [f for f in neg if _CURRENT_MARKER.search(f.display or "")]
                    if not current and cleared:  # "anti-HBc positive, HBsAg negative": a resolved infection
                        return AtomResult(
                            False, f"{label}: not active ({cleared[0].display} negative)", cleared[0]
                        )
                    if not current:  # "past HBV (anti-HBc pos)": a history, activity not stated
                        return unknown(
                            f"whether the {label} is active",
                            f"{pos[0].display or label} recorded; active (antigen, viral load) not stated",
                            pos[0],
                        )
            return result
    return unknown(f"history: {label or atom.kind.replace('_', ' ')}")


# chronic viral hepatitis: a record of it is often serology or a past infection; "active" needs a marker of
# current infection (surface antigen, viral DNA/RNA, viral load) or a status
_SEROLOGY_DEFINED = frozenset({"hepatitis_b", "hepatitis_c"})
_CURRENT_MARKER = re.compile(
    r"hbsag|hbeag|\bdna\b|\brna\b|viral\s+load|vir(?:a)?emi|\bactive\b|chronic|surface\s+antigen|"
    r"\bag\s*hbs\b|antig[eè]ne\s+hbs|\barn\b|\badn\b|charge\s+virale",
    re.I,
)


def _named_allergy(atom: Atom, v: PatientView) -> AtomResult:
    """An allergy criterion naming its allergen ("allergic to eggs or soy", "hypersensitivity to platinum
    compounds"): only a recorded allergy to it holds (the allergy's `attributes["agent"]`, the words the
    record gives of what it is to, naming one of the allergen's words, or a drug of the criterion's
    drugs or classes); an allergy recorded without its agent, or to something else, does not say
    (unknown); no known allergy recorded says no."""
    drugs = [str(d).lower() for d in atom.attributes.get("drugs") or ()]
    what = str(atom.attributes.get("allergen") or ", ".join(drugs))
    wanted = _stems(what) | {d for d in drugs if d not in _ALLERGEN_STOP}
    pos = v.positive("comorbidity", "hypersensitivity")
    for f in pos:
        agent = str(f.attributes.get("agent") or "")
        if agent and (wanted & _stems(agent) or _drug_named(agent, drugs)):
            return AtomResult(True, f"allergy recorded: “{agent[:80]}”", f)
    if pos:
        return unknown(
            f"whether the recorded allergy is to {what}",
            f"allergy recorded ({str(pos[0].attributes.get('agent') or 'agent not named')[:80]}), not to {what}",
            pos[0],
        )
    neg = v.negative("comorbidity", "hypersensitivity")
    if neg:
        return AtomResult(False, "no known allergy (recorded)", neg[0])
    return unknown(f"allergy to {what}")


_ALLERGEN_STOP = frozenset(
    {
        "any", "the", "its", "their", "and", "other", "known", "drug", "agent", "product", "compound",
        "component", "containing", "contain", "excipient", "formulation", "study", "similar", "chemical",
        "composition", "class", "related", "ingredient", "investigational", "medication", "medicine",
        "treatment", "therapy", "protein", "substance", "history", "reaction", "severe", "allergy",
        "allergic", "hypersensitivity", "intolerance", "patient", "participant", "subject", "this", "that",
        "these", "those", "such", "with", "from", "for", "not", "who", "are", "have", "has", "been",
        "type",
    }
)  # fmt: skip


def _stems(text: str) -> set[str]:
    """Content words of `text`, lower case, a plural "s" dropped ("eggs" is "egg")."""
    out = set()
    for w in re.findall(r"[a-z0-9]{3,}", text.lower()):
        w = w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        if w not in _ALLERGEN_STOP:
            out.add(w)
    return out


def _drug_named(agent: str, drugs: list[str]) -> bool:
    """Whether the agent names one of the criterion's drugs, or a drug of one of its classes."""
    if not drugs:
        return False
    for m in find_drugs(agent):
        classes = {str(c).lower() for c in m.attributes.get("classes", ())}
        if str(m.code).lower() in drugs or classes & set(drugs):
            return True
    return False


# carve-outs of "other malignancy" criteria that a recorded cancer's words may state
_EXCEPTION_WORDS = {
    "basal cell": ("basal cell", "bcc"),
    "in situ": ("in situ", "dcis", "lcis", "cin", "tis"),
    "non-melanoma": (
        "basal cell",
        "bcc",
        "squamous cell carcinoma of the skin",
        "cutaneous squamous",
        "cscc",
    ),
    "squamous cell skin": ("squamous cell carcinoma of the skin", "cutaneous squamous", "cscc", "skin scc"),
}


def _excepted(f: Fact, exceptions: list[str]) -> bool:
    """Whether a recorded other cancer is one the criterion carves out ("except basal cell carcinoma")."""
    code = str(f.attributes.get("cancer") or "")
    words = norm_text(
        " ".join(str(x) for x in (f.attributes.get("text"), oncotree_name(code) if code else "") if x)
    )
    for exc in exceptions:
        e = str(exc)
        if code and e.isupper() and oncotree_is_within(code, (e,)):
            return True
        low = norm_text(e)
        cues = next((v for k, v in _EXCEPTION_WORDS.items() if k in low), ())
        if any(_whole_words(words, norm_text(c)) for c in cues):
            return True
    return False


def _whole_words(words: str, cue: str) -> bool:
    """The cue as whole words of the cancer's name ("cin", "tis": not the letters of "carcinoma", "mastitis")."""
    return re.search(rf"(?<![a-z0-9]){re.escape(cue)}(?![a-z0-9])", words) is not None


def prior_malignancy(atom: Atom, v: PatientView, day: date) -> AtomResult:
    """Another malignancy: the record's other cancers (`comorbidity` prior_malignancy, with the cancer
    read in `attributes["cancer"]`) less the criterion's exceptions, within its window."""
    recorded = v.positive("comorbidity", "prior_malignancy") + v.positive("prior_malignancy")
    exceptions = list(atom.attributes.get("exceptions") or ())
    kept = [f for f in recorded if not _excepted(f, exceptions)]
    if recorded and not kept:
        f = recorded[0]
        return AtomResult(False, f"{f.display or 'other cancer'} recorded: an exception of the criterion", f)
    if kept:
        dated = [(within(day, f, atom.window_days, "when"), f) for f in kept]
        yes = [f for ok, f in dated if ok]
        if yes:
            qualifier = str(atom.attributes.get("qualifier") or "")
            if qualifier:
                return _qualified_condition(yes[0], "other malignancy", qualifier)
            when = f" ({yes[0].when})" if atom.window_days is not None and yes[0].when else ""
            return AtomResult(True, f"other malignancy recorded: {yes[0].display or 'yes'}{when}", yes[0])
        f = next((f for ok, f in dated if ok is None), kept[0])
        if any(ok is None for ok, _ in dated):
            return unknown(
                f"date of {f.display or 'the other malignancy'} (within {atom.window_days} days?)", fact=f
            )
        return AtomResult(
            False, f"{f.display or 'other malignancy'} recorded, more than {atom.window_days} days ago", f
        )
    neg = v.negative("comorbidity", "prior_malignancy") + v.negative("prior_malignancy")
    if neg:
        return AtomResult(False, "no other malignancy (recorded)", neg[0])
    return unknown("history: prior malignancy")


_MILD = (
    "controlled",
    "well controlled",
    "stable",
    "resolved",
    "mild",
    "asymptomatic",
    "inactive",
    "remission",
)


def _qualified_condition(f: Fact, label: str, qualifier: str) -> AtomResult:
    """A recorded condition against "uncontrolled / clinically significant / active ... <condition>":
    decided by what the record says of it (`attributes["status"]` or `["controlled"]`), else unknown."""
    status = str(f.attributes.get("status") or "").lower().replace("_", " ")
    controlled = f.attributes.get("controlled")
    if controlled is False or (status and status == qualifier):
        return AtomResult(True, f"{f.display or label} recorded as {status or 'not controlled'}", f)
    if controlled is True or status in _MILD:
        return AtomResult(
            False, f"{f.display or label} recorded as {status or 'controlled'}, not {qualifier}", f
        )
    return unknown(
        f"whether the {label} is {qualifier}", f"{f.display or label} recorded, {qualifier} or not unknown", f
    )


def permission(atom: Atom, v: PatientView, day: date) -> AtomResult:
    """A permission or a definition never restricts eligibility (the criterion is not applicable)."""
    if atom.code == "restatement":  # criteria/restated.py: the other section's line reads it
        return AtomResult(False, "the same requirement as a line of the other section: read there")
    what = {"definition": "a definition", "procedure": "a procedure", "rationale": "an explanation"}.get(
        str(atom.code), "a permission"
    )
    return AtomResult(False, f"{what}, not a requirement: it never excludes")


def non_evaluable(atom: Atom, v: PatientView, day: date) -> AtomResult:
    what = (atom.code or "other").replace("_", " ")
    why = atom.attributes.get("why")  # a reason the parser could not read the line as written
    said = f"{why}: to be confirmed by the investigator" if why else "to be confirmed by the investigator"
    return unknown(f"{what}: to be confirmed by the investigator", said)
