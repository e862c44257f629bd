"""The patient -> trials pipeline: hard filters, ranking order, nearest site, sparse patients."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.domain import (
    Atom,
    Criterion,
    CriterionOutcome,
    Fact,
    GeoPoint,
    Outcome,
    PatientProfile,
    Section,
    Trial,
    TrialSite,
    TrialStatus,
    TrialVerdict,
)
from oncofed.matching import trust
from oncofed.matching.outcomes import EXCLUDED, NOT_APPLICABLE, SATISFIED, UNDECIDED, VIOLATED
from oncofed.matching.pipeline import match_patient
from oncofed.matching.rank import trial_score, what_to_check
from oncofed.matching.retrieve import TrialIndex

DAY = date(2026, 11, 1)
LYON = GeoPoint(45.764, 4.8357)
SITES = [
    TrialSite("Far away", TrialStatus.RECRUITING, city="Lille", latitude=50.63, longitude=3.06),
    TrialSite(
        "Closest but not recruiting",
        TrialStatus.NOT_YET_RECRUITING,
        city="Lyon",
        latitude=45.76,
        longitude=4.84,
    ),
    TrialSite("Near", TrialStatus.RECRUITING, city="Grenoble", latitude=45.19, longitude=5.72),
]


def trial(
    tid: str, *, status: TrialStatus = TrialStatus.RECRUITING, oncotree: str = "NSCLC", **kw: object
) -> Trial:
    kw.setdefault("title", f"{tid} lung cancer study")
    return Trial(
        id=tid,
        status=status,
        conditions=("Non-small cell lung cancer",),
        sites=list(SITES),
        extra={"oncotree": oncotree},
        **kw,  # type: ignore[arg-type]
    )


CRITERIA: dict[str, list[Criterion]] = {
    "T-EXCL": [Criterion(Section.EXCLUSION, 1, "HIV", atoms=(Atom("infection", "present", code="hiv"),))],
    "T-UNK": [
        Criterion(
            Section.INCLUSION, 1, "KRAS G12C", atoms=(Atom("biomarker", "present", "G12C", code="KRAS"),)
        )
    ],
    "T-OK": [Criterion(Section.INCLUSION, 1, "ECOG 0-1", atoms=(Atom("ecog", "<=", 1),))],
}


def index(trials: list[Trial]) -> TrialIndex:
    from oncofed.matching.criteria_source import registry_criteria

    return TrialIndex(trials, criteria_of=lambda t: registry_criteria(t) + CRITERIA.get(t.id, []))


def lung_patient(**kw: object) -> PatientProfile:
    base: dict[str, object] = dict(
        id="p",
        centre_id="c",
        sex="MALE",
        birth_date=date(1960, 5, 1),
        primary_cancer="LUAD",
        ecog=1,
        home=LYON,
        facts=[Fact("comorbidity", "hiv")],
    )
    base.update(kw)
    return PatientProfile(**base)  # type: ignore[arg-type]


def test_only_recruiting_trials_are_matched_never_not_yet_recruiting() -> None:
    idx = index(
        [
            trial("T-OK"),
            trial("T-NYR", status=TrialStatus.NOT_YET_RECRUITING),
            trial("T-ANR", status=TrialStatus.ACTIVE_NOT_RECRUITING),
        ]
    )
    report = match_patient(idx, lung_patient(), day=DAY)
    assert [r.trial.id for r in report.results] == ["T-OK"]


def test_hard_filters_on_age_sex_and_cancer_type() -> None:
    idx = index(
        [
            trial("T-OK"),
            trial("T-OLD", min_age_years=80.0),
            trial("T-F", sex="FEMALE"),
            trial("T-BREAST", oncotree="BRCA"),
            trial("T-ANY", oncotree=""),
        ]
    )
    ids = {r.trial.id for r in match_patient(idx, lung_patient(), day=DAY).results}
    assert ids == {"T-OK", "T-ANY"}


def test_violated_exclusion_ranks_below_only_unknowns_and_eligible_first() -> None:
    with trust.strict():  # an excluded trial ranks last (strict: every violation excludes)
        idx = index([trial("T-EXCL"), trial("T-UNK"), trial("T-OK")])
        report = match_patient(idx, lung_patient(), day=DAY)
        assert [r.trial.id for r in report.results] == ["T-OK", "T-UNK", "T-EXCL"]
        assert [r.match.verdict.value for r in report.results] == ["eligible", "unknown", "excluded"]
        assert report.checks and "KRAS" in report.checks[0].check and report.checks[0].trial_ids == ["T-UNK"]


def test_nearest_recruiting_site_is_chosen_by_distance_not_list_order() -> None:
    report = match_patient(index([trial("T-OK")]), lung_patient(), day=DAY)
    m = report.results[0].match
    assert (
        m.nearest_site is not None and m.nearest_site.facility == "Near"
    )  # not the closer not-yet-recruiting one
    assert m.distance_km is not None and 80 < m.distance_km < 110


def test_patient_with_almost_no_data_gets_trials_with_unknowns() -> None:
    idx = index([trial("T-EXCL"), trial("T-UNK"), trial("T-OK")])
    report = match_patient(idx, PatientProfile(id="empty", centre_id=""), day=DAY)
    assert len(report.results) == 3
    assert all(r.match.verdict is TrialVerdict.UNKNOWN for r in report.results)
    assert all(r.match.nearest_site is None for r in report.results)  # no home: no distance, no error


def test_bm25_relevance_orders_otherwise_equal_trials() -> None:
    egfr = trial("T-EGFR", title="Osimertinib in EGFR L858R mutated lung cancer")  # type: ignore[arg-type]
    other = trial("T-OTHER", title="Chemotherapy in lung cancer")  # type: ignore[arg-type]
    p = lung_patient(facts=[Fact("biomarker", "EGFR", "L858R")])
    report = match_patient(index([other, egfr]), p, day=DAY)
    assert report.results[0].trial.id == "T-EGFR"
    assert report.results[0].match.relevance > report.results[1].match.relevance


CODE = st.sampled_from([VIOLATED, UNDECIDED, SATISFIED, NOT_APPLICABLE])
SECTION = st.sampled_from(list(Section))


@settings(max_examples=200, deadline=None)
@given(
    blocked=st.lists(st.tuples(SECTION, CODE), min_size=0, max_size=12),
    open_=st.lists(st.tuples(SECTION, st.sampled_from([SATISFIED, UNDECIDED, NOT_APPLICABLE])), max_size=12),
    rel=st.floats(0, 1),
    which=SECTION,
)
def test_at_equal_relevance_an_excluded_trial_scores_below_one_that_is_not(
    blocked: list[tuple[Section, int]], open_: list[tuple[Section, int]], rel: float, which: Section
) -> None:
    a = blocked + [(which, VIOLATED)]
    score_a = trial_score([c for _, c in a], [s is Section.INCLUSION for s, _ in a], EXCLUDED, rel)
    verdict_b = 2 if all(c != UNDECIDED for _, c in open_) else 1
    score_b = trial_score([c for _, c in open_], [s is Section.INCLUSION for s, _ in open_], verdict_b, rel)
    assert score_a < score_b


def co(text: str, outcome: Outcome, checks: tuple[str, ...] = ()) -> CriterionOutcome:
    return CriterionOutcome(Criterion(Section.INCLUSION, 1, text), outcome, checks=checks)


def test_what_to_check_prefers_the_last_open_question_of_a_trial() -> None:
    u1 = co("KRAS status", Outcome.UNKNOWN, ("KRAS status",))
    u2 = co("brain MRI", Outcome.UNKNOWN, ("brain MRI",))
    u3 = co("hepatitis B", Outcome.UNKNOWN, ("hepatitis B",))
    consent = CriterionOutcome(Criterion(Section.INCLUSION, 4, "consent"), Outcome.UNKNOWN, investigator=True)
    unread = co("Adequate organ function", Outcome.UNKNOWN)
    items = what_to_check(
        [
            ("A", TrialVerdict.UNKNOWN, [u1, consent]),
            ("B", TrialVerdict.UNKNOWN, [u2, u3, unread]),
            ("C", TrialVerdict.EXCLUDED, [u1, co("x", Outcome.VIOLATED)]),
        ]
    )
    assert items[0].check == "KRAS status" and items[0].trial_ids == ["A"]  # C is excluded: cannot help
    assert "read: Adequate organ function" in [i.check for i in items]  # an unread criterion is a check too
    assert all("investigator" not in i.check and i.check != "consent" for i in items)  # checked at the visit
