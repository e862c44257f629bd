"""Domain unit tests: pure logic, no store."""

from __future__ import annotations

from datetime import date

import pytest

from oncofed.domain import (
    Actor,
    Criterion,
    CriterionOutcome,
    GeoPoint,
    Match,
    Outcome,
    PatientProfile,
    Phase,
    Role,
    Section,
    Trial,
    TrialSite,
    TrialStatus,
    TrialVerdict,
    haversine_km,
    nearest_recruiting_site,
)

PARIS = GeoPoint(48.8566, 2.3522)
LYON = GeoPoint(45.7640, 4.8357)
MARSEILLE = GeoPoint(43.2965, 5.3698)


def test_haversine_paris_lyon_is_about_392_km() -> None:
    assert haversine_km(PARIS, LYON) == pytest.approx(392, abs=3)
    assert haversine_km(PARIS, PARIS) == 0


def test_geopoint_rejects_impossible_coordinates() -> None:
    with pytest.raises(ValueError, match="latitude"):
        GeoPoint(91, 0)


def _site(name: str, point: GeoPoint, status: TrialStatus) -> TrialSite:
    return TrialSite(facility=name, status=status, latitude=point.latitude, longitude=point.longitude)


def test_nearest_recruiting_site_uses_distance_not_list_order() -> None:
    trial = Trial(
        id="T1",
        title="t",
        sites=[
            _site("Paris", PARIS, TrialStatus.RECRUITING),
            _site("Marseille", MARSEILLE, TrialStatus.RECRUITING),
        ],
    )
    site, distance = nearest_recruiting_site(trial, GeoPoint(43.6, 5.4)) or (None, 0)
    assert site is not None and site.facility == "Marseille"
    assert distance < 50


def test_not_yet_recruiting_site_is_never_the_nearest_recruiting_site() -> None:
    trial = Trial(
        id="T1",
        title="t",
        sites=[
            _site("Lyon", LYON, TrialStatus.NOT_YET_RECRUITING),
            _site("Paris", PARIS, TrialStatus.RECRUITING),
        ],
    )
    result = nearest_recruiting_site(trial, LYON)
    assert result is not None and result[0].facility == "Paris"
    assert not TrialStatus.NOT_YET_RECRUITING.is_recruiting


def test_trial_without_recruiting_site_has_no_nearest_site() -> None:
    trial = Trial(id="T1", title="t", sites=[_site("Lyon", LYON, TrialStatus.COMPLETED)])
    assert nearest_recruiting_site(trial, LYON) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Phase 1/Phase 2", (Phase.PHASE1, Phase.PHASE2)),
        (["PHASE2", "PHASE3"], (Phase.PHASE2, Phase.PHASE3)),
        ("Phase I/II", (Phase.PHASE1, Phase.PHASE2)),
        ("Early Phase 1", (Phase.EARLY_PHASE1,)),
        ("N/A", (Phase.NA,)),
        (None, ()),
    ],
)
def test_phase_parsing_accepts_registry_spellings(raw: object, expected: tuple[Phase, ...]) -> None:
    assert Phase.parse_many(raw) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("RECRUITING", TrialStatus.RECRUITING),
        ("Not yet recruiting", TrialStatus.NOT_YET_RECRUITING),
        ("Active, not recruiting", TrialStatus.ACTIVE_NOT_RECRUITING),
        ("open", TrialStatus.RECRUITING),
        ("closed", TrialStatus.ACTIVE_NOT_RECRUITING),
        ("gibberish", TrialStatus.UNKNOWN),
        ("", TrialStatus.UNKNOWN),
    ],
)
def test_status_parsing(raw: str, expected: TrialStatus) -> None:
    assert TrialStatus.parse(raw) is expected


def test_trial_age_and_sex_limits() -> None:
    trial = Trial(id="T", title="t", min_age_years=18, max_age_years=75, sex="FEMALE")
    assert trial.admits_age(18) and trial.admits_age(75)
    assert not trial.admits_age(17.9) and not trial.admits_age(76)
    assert trial.admits_sex("female") and not trial.admits_sex("MALE")
    assert trial.admits_sex(None)


def test_clinician_sees_only_own_centre_and_public_sees_no_patient() -> None:
    clinician = Actor("u1", Role.CLINICIAN, frozenset({"curie"}))
    assert clinician.may_read_patients_of("curie")
    assert not clinician.may_read_patients_of("gustave-roussy")
    assert not Actor.public().may_read_patients_of("curie")
    assert not Actor("q", Role.QUALITY_MANAGER, frozenset({"*"})).may_read_patients_of("curie")
    assert Actor("r", Role.RESEARCH_STAFF, frozenset({"curie"})).hides_research_objectors
    assert not clinician.hides_research_objectors


def test_match_counts_outcomes_and_a_violated_outcome_blocks() -> None:
    c = Criterion(Section.EXCLUSION, 0, "HIV")
    m = Match("T", "P", [CriterionOutcome(c, Outcome.SATISFIED), CriterionOutcome(c, Outcome.VIOLATED)])
    assert m.counts[Outcome.SATISFIED] == 1 and m.counts[Outcome.VIOLATED] == 1
    assert [o.blocks for o in m.outcomes] == [False, True]
    assert m.verdict is TrialVerdict.NOT_EVALUATED  # a bare Match is never eligible by default


def test_patient_age_on_a_day() -> None:
    p = PatientProfile(id="p", centre_id="c", birth_date=date(1960, 6, 15))
    assert p.age_on(date(2026, 6, 14)) == 65
    assert p.age_on(date(2026, 6, 15)) == 66
