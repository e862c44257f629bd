"""Pure domain model: dataclasses and logic, importing nothing else from the project."""

from oncofed.domain.actor import Actor, Role
from oncofed.domain.centre import Centre
from oncofed.domain.criteria import Atom, Criterion, Section
from oncofed.domain.geo import GeoPoint, haversine_km
from oncofed.domain.matching import CriterionOutcome, Evidence, Match, Outcome, TrialVerdict
from oncofed.domain.patient import Fact, PatientProfile, Provenance
from oncofed.domain.trial import Phase, SiteStatus, Trial, TrialSite, TrialStatus, nearest_recruiting_site

__all__ = [
    "Actor",
    "Atom",
    "Centre",
    "Criterion",
    "CriterionOutcome",
    "Evidence",
    "Fact",
    "GeoPoint",
    "Match",
    "Outcome",
    "PatientProfile",
    "Phase",
    "Provenance",
    "Role",
    "Section",
    "SiteStatus",
    "Trial",
    "TrialSite",
    "TrialStatus",
    "TrialVerdict",
    "haversine_km",
    "nearest_recruiting_site",
]
