"""Trials and their sites. Statuses follow ClinicalTrials.gov API v2 enumerations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from oncofed.domain.geo import GeoPoint, haversine_km


class TrialStatus(StrEnum):
    RECRUITING = "RECRUITING"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION"
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"
    UNKNOWN = "UNKNOWN"

    @property
    def is_recruiting(self) -> bool:
        """Only RECRUITING counts: not-yet-recruiting trials must not slip through the filter."""
        return self is TrialStatus.RECRUITING

    @classmethod
    def parse(cls, value: str | None) -> TrialStatus:
        """Accept the v2 enum, the legacy display text ("Not yet recruiting") or CTML ("open")."""
        if not value:
            return cls.UNKNOWN
        key = value.strip().upper().replace(",", "").replace("-", "_").replace(" ", "_")
        aliases = {
            "OPEN": cls.RECRUITING,
            "OPEN_TO_ACCRUAL": cls.RECRUITING,
            "ACTIVE": cls.RECRUITING,
            "CLOSED": cls.ACTIVE_NOT_RECRUITING,
            "CLOSED_TO_ACCRUAL": cls.ACTIVE_NOT_RECRUITING,
            "ACTIVE_NOT_RECRUITING": cls.ACTIVE_NOT_RECRUITING,
            "IN_REVIEW": cls.NOT_YET_RECRUITING,
            "APPROVED": cls.NOT_YET_RECRUITING,
            "TEMPORARILY_CLOSED_TO_ACCRUAL": cls.SUSPENDED,
            "ADMINISTRATIVELY_COMPLETE": cls.COMPLETED,
            "TEMPORARILY_NOT_AVAILABLE": cls.SUSPENDED,
            "AVAILABLE": cls.RECRUITING,
            "NO_LONGER_AVAILABLE": cls.COMPLETED,
            "WITHHELD": cls.UNKNOWN,
        }
        if key in aliases:
            return aliases[key]
        try:
            return cls(key)
        except ValueError:
            return cls.UNKNOWN


SiteStatus = TrialStatus


class Phase(StrEnum):
    EARLY_PHASE1 = "EARLY_PHASE1"
    PHASE1 = "PHASE1"
    PHASE2 = "PHASE2"
    PHASE3 = "PHASE3"
    PHASE4 = "PHASE4"
    NA = "NA"

    @classmethod
    def parse_many(cls, value: str | list[str] | None) -> tuple[Phase, ...]:
        """Parse "Phase 1/Phase 2", "PHASE2", ["PHASE1", "PHASE2"], "Phase I/II", "Early Phase 1", "N/A"."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[Phase] = []
        roman = {"I": "1", "II": "2", "III": "3", "IV": "4"}
        for item in items:
            text = str(item).upper().replace("_", " ")
            if "EARLY" in text or re.search(r"PHASE\s*0\b", text):
                found = [cls.EARLY_PHASE1]
            elif re.fullmatch(r"\s*(N/?A|NOT APPLICABLE)\s*", text):
                found = [cls.NA]
            else:
                found = []
                for token in re.findall(r"\b(IV|III|II|I|[1-4])\b", text.replace("PHASE", " ")):
                    digit = roman.get(token, token)
                    found.append(cls(f"PHASE{digit}"))
            for phase in found:
                if phase not in out:
                    out.append(phase)
        return tuple(out)


@dataclass(frozen=True)
class TrialSite:
    """A place that runs the trial: a network centre (centre_id set) or an external facility."""

    facility: str
    status: TrialStatus = TrialStatus.UNKNOWN
    centre_id: str | None = None
    city: str = ""
    country: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    target_enrolment: int | None = None
    contact: str = ""

    @property
    def location(self) -> GeoPoint | None:
        if self.latitude is None or self.longitude is None:
            return None
        return GeoPoint(self.latitude, self.longitude)

    @property
    def is_network_centre(self) -> bool:
        return self.centre_id is not None


@dataclass
class Trial:
    id: str
    title: str
    status: TrialStatus = TrialStatus.UNKNOWN
    source: str = "manual"
    official_title: str = ""
    acronym: str = ""
    brief_summary: str = ""
    other_ids: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    study_type: str = ""
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    eligibility_text: str = ""
    min_age_years: float | None = None
    max_age_years: float | None = None
    sex: str = "ALL"
    healthy_volunteers: bool | None = None
    enrolment: int | None = None
    start_date: date | None = None
    completion_date: date | None = None
    last_update: date | None = None
    sponsor: str = ""
    collaborators: tuple[str, ...] = ()
    sites: list[TrialSite] = field(default_factory=list)
    fictional: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def nct_id(self) -> str | None:
        if self.id.upper().startswith("NCT"):
            return self.id.upper()
        return next((o for o in self.other_ids if o.upper().startswith("NCT")), None)

    def recruiting_sites(self) -> list[TrialSite]:
        return [s for s in self.sites if s.status.is_recruiting]

    def admits_age(self, age_years: float) -> bool:
        if self.min_age_years is not None and age_years < self.min_age_years:
            return False
        return not (self.max_age_years is not None and age_years > self.max_age_years)

    def admits_sex(self, sex: str | None) -> bool:
        if not sex or self.sex in ("", "ALL"):
            return True
        return self.sex.upper() == sex.upper()


def nearest_recruiting_site(trial: Trial, origin: GeoPoint) -> tuple[TrialSite, float] | None:
    """The recruiting site closest to `origin` by great-circle distance (never by list order)."""
    best: tuple[TrialSite, float] | None = None
    for site in trial.recruiting_sites():
        loc = site.location
        if loc is None:
            continue
        d = haversine_km(origin, loc)
        if best is None or d < best[1]:
            best = (site, d)
    return best
