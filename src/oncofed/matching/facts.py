"""A patient's facts indexed once for evaluation (by kind and by code), with the derived values
the evaluator needs: age on a day, ECOG/Karnofsky with conversion, lines of therapy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from oncofed.domain import Fact, PatientProfile, Provenance
from oncofed.matching.vocab import ECOG_TO_KARNOFSKY, karnofsky_to_ecog_range, marker_key

STAGE_RE = re.compile(r"^\s*(?:STAGE\s*)?(IV|III|II|I|0)([A-C]?\d?)", re.IGNORECASE)
ADVANCED_SETTINGS = {"metastatic", "advanced", "locally_advanced", "recurrent", "palliative", ""}
# a treatment given in these settings, or a relapse, says the disease went beyond an early stage at diagnosis
BEYOND_DIAGNOSIS_SETTINGS = frozenset({"metastatic", "advanced", "recurrent", "palliative"})
RELAPSE_STATUS = frozenset({"recurrent", "relapsed"})


LOCAL_TREATMENTS = frozenset(
    {"surgery", "radiotherapy", "radiation", "radiation therapy", "stereotactic radiotherapy"}
)
# a recorded absence of treatment in general ("no prior systemic therapy", "treatment-naive"), not of one class
GENERIC_THERAPY = frozenset(
    {
        "",
        "systemic therapy",
        "systemic treatment",
        "therapy",
        "treatment",
        "anticancer therapy",
        "anti-cancer therapy",
    }
)


def local_treatment(f: Fact) -> bool:
    """Surgery or radiotherapy (by class, else by name): a local treatment, no systemic therapy."""
    klass = str(f.attributes.get("class") or "").lower()
    return klass in LOCAL_TREATMENTS or (not klass and (f.code or "").lower() in LOCAL_TREATMENTS)


def no_systemic_therapy(f: Fact) -> bool:
    """A negated treatment fact that says no systemic therapy at all was given (not "no chemotherapy")."""
    klass = str(f.attributes.get("class") or "").lower()
    return f.negated and (f.code or "").lower() in GENERIC_THERAPY and klass in GENERIC_THERAPY


def parse_stage(value: str | None) -> tuple[str, str] | None:
    """("III", "B") for "IIIB" / "Stage IIIB"; None when not a stage group."""
    if not value:
        return None
    m = STAGE_RE.match(str(value).upper())
    return (m.group(1), m.group(2)) if m else None


def fact_date(fact: Fact, key: str = "end") -> date | None:
    """The fact's end date (attributes[key], ISO text or date) or else its `when`."""
    raw = fact.attributes.get(key)
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str) and raw:
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            pass
    return fact.when


def fact_range(fact: Fact, key: str = "end") -> tuple[date | None, date | None]:
    """(earliest, latest) day of the fact's date `key` ("end" of a treatment, else its `when`): a date
    read as a month or a year is a range (`attributes[key + "_earliest"]`, ISO)."""
    latest = fact_date(fact, key) if key == "end" else fact.when
    if latest is None:
        return None, None
    raw = fact.attributes.get(f"{key}_earliest")
    try:
        earliest = date.fromisoformat(str(raw)[:10]) if raw else latest
    except ValueError:
        earliest = latest
    return min(earliest, latest), latest


def within(day: date, fact: Fact, window_days: int | None, key: str = "end") -> bool | None:
    """Whether the fact's date falls in the `window_days` before `day`: None when undated, or when its
    range ("06/2023", "2022") straddles the window's start."""
    if window_days is None:
        return True
    if key == "when" and (
        fact.attributes.get("status") == "active" or fact.attributes.get("current") is True
    ):
        return True  # a condition still active today is within any look-back window, whenever it began
    earliest, latest = fact_range(fact, key)
    if latest is None or earliest is None:
        return None
    cutoff = day - timedelta(days=window_days)
    if earliest >= cutoff:
        return True
    if latest < cutoff:
        return False
    return None


def as_float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = re.search(r"-?\d+(?:[.,]\d+)?", str(value))
    return float(m.group(0).replace(",", ".")) if m else None


def converted(fact: Fact, source: str) -> bool:
    """Whether a performance-status fact was converted at import from the other scale (ingest's
    `add_performance_conversions`, which keeps the score it came from under the source's name)."""
    return bool(fact.attributes) and fact.attributes.get("converted_from") == source


@dataclass
class PatientView:
    """Read-only index over one profile; build once, evaluate many atoms."""

    profile: PatientProfile
    by_kind: dict[str, list[Fact]] = field(default_factory=dict)
    column_fact: dict[str, Fact] = field(default_factory=dict)
    _latest_lab: dict[str, Fact | None] = field(default_factory=dict)
    # truth value of each atom (by identity) for this patient on one evaluation day: the ranking fast path
    tri_cache: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, profile: PatientProfile) -> PatientView:
        view = cls(profile)
        for f in profile.facts:
            view.by_kind.setdefault(f.kind, []).append(f)
        src = Provenance("patient record", profile.id)
        if profile.sex:
            view.column_fact["sex"] = Fact("sex", value=profile.sex, display=profile.sex, provenance=src)
        if profile.birth_date or profile.age_years is not None:
            view.column_fact["age"] = Fact(
                "age",
                value=profile.age_years,
                when=profile.birth_date,
                display=f"born {profile.birth_date}" if profile.birth_date else f"{profile.age_years} years",
                provenance=src,
            )
        return view

    def facts(self, kind: str) -> list[Fact]:
        return self.by_kind.get(kind, [])

    def positive(self, kind: str, code: str | None = None) -> list[Fact]:
        return [
            f
            for f in self.facts(kind)
            if not f.negated and (code is None or (f.code or "").lower() == code.lower())
        ]

    def latest_lab(self, analyte: str) -> Fact | None:
        """The most recent value of a laboratory analyte (cached: labs are read by many criteria)."""
        if analyte not in self._latest_lab:
            facts = self.positive("lab", analyte)
            self._latest_lab[analyte] = max(facts, key=lambda f: f.when or date.min) if facts else None
        return self._latest_lab[analyte]

    def negative(self, kind: str, code: str | None = None) -> list[Fact]:
        return [
            f
            for f in self.facts(kind)
            if f.negated and (code is None or (f.code or "").lower() == code.lower())
        ]

    # --- derived values -------------------------------------------------------------------

    def primary_cancer(self) -> tuple[str | None, Fact | None]:
        fact = next(iter(self.positive("primary_cancer")), None)
        code = (fact.code if fact else None) or self.profile.primary_cancer
        if fact is None and code:
            fact = Fact("primary_cancer", code=code, display=code, provenance=Provenance("patient record"))
        return code, fact

    def stage(self) -> tuple[str | None, Fact | None]:
        fact = next(iter(self.positive("stage")), None)
        value = (str(fact.value or fact.code) if fact else None) or self.profile.stage
        if fact is None and value:
            fact = Fact("stage", code=value, value=value, provenance=Provenance("patient record"))
        return value, fact

    def since_stage(self, stage_fact: Fact | None) -> Fact | None:
        """A fact saying the disease has gone beyond a stage I-III recorded earlier (the stage at
        diagnosis, no longer the current one): a relapse, a line of therapy for advanced disease, a
        treatment given in a metastatic / advanced / palliative setting. None when there is none, for
        a stage IV, or when the stage is dated on or after that fact (restaged since)."""
        parsed = parse_stage(str(stage_fact.value or stage_fact.code) if stage_fact else None)
        if stage_fact is None or parsed is None or parsed[0] == "IV":
            return None
        found = [f for f in self.positive("disease_status") if (f.code or "").lower() in RELAPSE_STATUS]
        found += [f for f in self.positive("prior_lines") if (as_float(f.value) or 0) >= 1]
        for f in self.systemic_treatments():
            setting = str(f.attributes.get("setting", "")).lower()
            if setting in BEYOND_DIAGNOSIS_SETTINGS or (as_float(f.attributes.get("line")) or 0) >= 1:
                found.append(f)
        for f in found:
            began = fact_date(f, "start")
            if stage_fact.when is None or began is None or began > stage_fact.when:
                return f
        return None

    def is_metastatic(self) -> tuple[bool | None, Fact | None]:
        """True (stage IV, a metastasis, or status metastatic), False when a non-IV stage is recorded
        and nothing says metastatic, else None."""
        for f in self.positive("disease_status"):
            if (f.code or "").lower() in ("metastatic", "stage_iv"):
                return True, f
        mets = self.positive("metastasis")
        if mets:
            return True, mets[0]
        value, fact = self.stage()
        parsed = parse_stage(value)
        if parsed and (parsed[0] == "IV" or self.since_stage(fact) is None):
            return parsed[0] == "IV", fact
        return None, None

    def ecog_range(self) -> tuple[int, int, Fact | None]:
        """(low, high) ECOG grade, exact when recorded, a range when converted; (-1, -1) if unknown."""
        fact = next(iter(self.positive("ecog")), None)
        value = as_float(fact.value) if fact else None
        if value is None and self.profile.ecog is not None:
            value = float(self.profile.ecog)
            fact = Fact("ecog", value=self.profile.ecog, provenance=Provenance("patient record"))
        from_karnofsky = fact is not None and converted(fact, "karnofsky")
        source = as_float(fact.attributes.get("karnofsky")) if fact and from_karnofsky else None
        if source is not None:  # converted from a Karnofsky score when the note gave one: its range
            low, high = karnofsky_to_ecog_range(source)
            return low, high, fact
        if value is not None:
            return int(value), int(value), fact
        kps_fact = next(iter(self.positive("karnofsky")), None)
        kps = as_float(kps_fact.value) if kps_fact else None
        if kps is not None:
            low, high = karnofsky_to_ecog_range(kps)
            return low, high, kps_fact
        return -1, -1, None

    def karnofsky_range(self) -> tuple[float, float, Fact | None]:
        fact = next(iter(self.positive("karnofsky")), None)
        kps = as_float(fact.value) if fact else None
        grade = as_float(fact.attributes.get("ecog")) if fact and converted(fact, "ecog") else None
        if grade is not None and int(grade) in ECOG_TO_KARNOFSKY:  # converted from an ECOG grade: its range
            lo, hi = ECOG_TO_KARNOFSKY[int(grade)]
            return float(lo), float(hi), fact
        if kps is not None:
            return kps, kps, fact
        low, high, ecog_fact = self.ecog_range()
        if ecog_fact is not None and ecog_fact.kind == "ecog" and low in ECOG_TO_KARNOFSKY:
            lo, hi = ECOG_TO_KARNOFSKY[low]
            return float(lo), float(hi), ecog_fact
        return float("nan"), float("nan"), None

    def biomarkers(self, code: str) -> list[Fact]:
        key = marker_key(code)
        return [f for f in self.facts("biomarker") if marker_key(f.code) == key]

    def treatments(self) -> list[Fact]:
        return self.positive("treatment")

    def systemic_treatments(self) -> list[Fact]:
        """Recorded treatments but surgery and radiotherapy (local treatments: no line of systemic therapy)
        and drugs the record says were given for another indication than a cancer (`anticancer` False:
        "psoriatic arthritis on methotrexate")."""
        return [
            f
            for f in self.treatments()
            if not local_treatment(f) and f.attributes.get("anticancer") is not False
        ]

    def prior_lines(self) -> tuple[int | None, Fact | None]:
        """Lines of systemic therapy for advanced disease: the highest recorded line number
        among advanced-setting treatments (0 when only adjuvant treatment is recorded)."""
        explicit = next(iter(self.positive("prior_lines")), None)
        if explicit is not None and as_float(explicit.value) is not None:
            return int(as_float(explicit.value) or 0), explicit
        treatments = self.systemic_treatments()
        if not treatments:  # none, or surgery / radiotherapy only: 0 lines if the record says none was given
            recorded_none = next((f for f in self.negative("treatment") if no_systemic_therapy(f)), None)
            return (0, recorded_none) if recorded_none is not None else (None, None)
        best: tuple[int, Fact | None] = (0, treatments[0])
        for f in treatments:
            setting = str(f.attributes.get("setting", "")).lower()
            if setting not in ADVANCED_SETTINGS:
                continue
            line = as_float(f.attributes.get("line"))
            if line is None:
                return None, f  # an advanced-setting treatment without its line number: cannot count
            if int(line) > best[0]:
                best = (int(line), f)
        return best
