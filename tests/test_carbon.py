"""Carbon footprints (issue 21): factor tables with sources, activity import with unit conversion
and refusals, results by scope and BEGES post computed by hand, patient travel aggregates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from oncofed.carbon.footprint import footprints
from oncofed.domain import Actor, PatientProfile, Trial, TrialSite, TrialStatus
from oncofed.domain.geo import GeoPoint
from oncofed.errors import InputError, NotFound
from oncofed.ingest.carbon import read_activities, read_factors
from oncofed.ingest.tabular import number
from oncofed.presenters.carbon import beges_rows, centre_year_json
from oncofed.services.network.centres import load_centres
from oncofed.services.sustainability.activity import import_activities
from oncofed.services.sustainability.factors import factor_set, load_example_factors, load_factors
from oncofed.services.sustainability.footprint import footprint_report
from oncofed.store.db import Database
from oncofed.store.models_carbon import CarbonActivityRow
from oncofed.store.repositories import PatientRepository, TrialRepository

HEAD = "category,item,name_en,name_fr,unit,kgco2e_per_unit,scope,beges_post,uncertainty_pct,source\n"
FACTORS = HEAD + (
    "energy,electricity,Electricity,Électricité,kWh,0.05,2,2.1,10,test table\n"
    "anaesthetic_gas,desflurane,Desflurane,Desflurane,kg,2590,1,1.4,0,IPCC AR6\n"
    "purchase,medicines,Medicines,Médicaments,EUR,0.4,3,4.1,50,test table\n"
)
ACT = "centre,year,category,item,quantity,unit\n"


def table() -> dict:  # type: ignore[type-arg]
    return {f.key: f for f in read_factors(FACTORS, "f.csv")}


def test_footprint_by_scope_post_stay_and_bed_computed_by_hand() -> None:
    acts = read_activities(
        ACT + "curie,2025,energy,electricity,2,MWh\ncurie,2025,anaesthetic_gas,desflurane,1500,g\n"
        "curie,2025,purchase,medicines,10,k€\ncurie,2025,activity,stays,100,stay\ncurie,2025,activity,beds,4,bed\n",
        "a.csv",
        table(),
        {"curie"},
    )
    cy = footprints(acts, table())[("curie", 2025)]
    # 2 MWh x 0.05 = 100 kg (scope 2); 1.5 kg x 2590 = 3885 kg (scope 1); 10,000 EUR x 0.4 = 4000 kg (scope 3)
    assert cy.by("scope") == pytest.approx({"1": 3885.0, "2": 100.0, "3": 4000.0})
    assert cy.by("post") == pytest.approx({"1.4": 3885.0, "2.1": 100.0, "4.1": 4000.0})
    assert (
        cy.total_kg == pytest.approx(7985.0)
        and cy.kg_per_stay == pytest.approx(79.85)
        and cy.t_per_bed == pytest.approx(7.985 / 4)
    )
    assert cy.uncertainty_kg == pytest.approx(
        (10.0**2 + 2000.0**2) ** 0.5
    )  # 10% of 100, 50% of 4000, in quadrature
    rows = beges_rows(cy, {"curie": "Curie"}, "test")
    assert len(rows) == 22 and sum(r["tco2e"] for r in rows) == pytest.approx(7.99, abs=0.01)
    assert next(r for r in rows if r["post"] == "1.4")["scope"] == 1
    assert centre_year_json(cy, {})["scope3_t"] == 4.0


def test_units_that_do_not_match_the_factor_are_refused_never_summed() -> None:
    bad = ACT + (
        "curie,2025,energy,electricity,-1,kWh\ncurie,2025,anaesthetic_gas,desflurane,3,kWh\n"
        "curie,2025,purchase,medicines,240,mL\ncurie,2025,energy,coal,1,kg\ncurie,2024,energy,electricity,1,bottles\n"
    )
    with pytest.raises(InputError) as err:
        read_activities(bad, "bad.csv", table(), {"curie"})
    message = str(err.value)
    for expected in (
        "bad.csv",
        "line 2",
        "-1 is negative",
        "'kWh' (energy) does not match the factor's unit 'kg' (mass)",
        "'mL' (volume) does not match the factor's unit 'EUR' (money)",
        "no emission factor for energy/coal",
        "unknown unit 'bottles'",
        "5 problems",
    ):
        assert expected in message, expected


def test_a_unit_with_an_unbalanced_bracket_is_refused_not_a_crash() -> None:
    """pint reads units with Python's tokenizer, whose TokenError escaped as a crash (bench_trust's fuzzing)."""
    for unit in ("(kWh", "kWh)"):
        with pytest.raises(InputError) as err:
            read_activities(ACT + f"curie,2024,energy,electricity,1,{unit}\n", "bad.csv", table(), {"curie"})
        assert f"unknown unit '{unit}'" in str(err.value)


def test_factor_tables_name_every_problem_and_need_a_source() -> None:
    bad = (
        HEAD
        + "energy,electricity,E,E,kWh,-0.05,2,2.1,10,\nenergy,gas,G,G,kWh,0.2,4,9.9,5,src\nenergy,gas,G,G,kWh,0.2,1,1.1,5,src\n"
    )
    with pytest.raises(InputError) as err:
        read_factors(bad, "t.csv")
    message = str(err.value)
    for expected in (
        "source: missing",
        "-0.05 is negative",
        "scope: '4'",
        "beges_post: '9.9'",
        "duplicate of line 3",
    ):
        assert expected in message, expected


def test_shipped_table_cites_every_factor_with_ipcc_ar6_for_anaesthetic_gases(sqlite_db: Database) -> None:
    fs = load_example_factors(sqlite_db)
    assert all(f.source for f in fs.factors.values())
    gwp = {
        item: fs.factors[("anaesthetic_gas", item)] for item in ("desflurane", "sevoflurane", "nitrous_oxide")
    }
    assert {k: v.kgco2e_per_unit for k, v in gwp.items()} == {
        "desflurane": 2590,
        "sevoflurane": 195,
        "nitrous_oxide": 273,
    }
    assert all("AR6" in v.source for v in gwp.values())
    assert load_example_factors(sqlite_db).version == fs.version  # loaded once


def test_versions_are_kept_and_a_reload_needs_a_new_version(sqlite_db: Database) -> None:
    load_factors(sqlite_db, FACTORS.encode(), "national.csv", "test", version="national-2025")
    with pytest.raises(InputError, match="already loaded"):
        load_factors(sqlite_db, FACTORS.encode(), "national.csv", "test", version="national-2025")
    with pytest.raises(InputError, match="no version"):
        load_factors(sqlite_db, FACTORS.encode(), "x.csv", "test")
    load_factors(
        sqlite_db, FACTORS.replace("0.05", "0.06").encode(), "n2.csv", "test", version="national-2026"
    )
    assert factor_set(sqlite_db).version == "national-2026"
    assert factor_set(sqlite_db, "national-2025").factors[("energy", "electricity")].kgco2e_per_unit == 0.05
    with pytest.raises(NotFound):
        factor_set(sqlite_db, "nope")


def test_activity_import_is_transactional_and_replaces_centre_years(db: Database) -> None:
    load_centres(db)
    load_factors(db, FACTORS.encode(), "t.csv", "test", version="t")
    import_activities(
        db,
        (ACT + "curie,2024,energy,electricity,1,MWh\ncurie,2025,energy,electricity,2,MWh\n").encode(),
        "a.csv",
    )
    with pytest.raises(InputError):
        import_activities(
            db,
            (ACT + "curie,2025,energy,electricity,5,MWh\nnowhere,2025,energy,electricity,1,kWh\n").encode(),
            "b.csv",
        )
    import_activities(db, (ACT + "curie,2025,energy,electricity,3000,kWh\n").encode(), "c.csv")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CarbonActivityRow)) == 2
    report = footprint_report(db)
    assert report.results[("curie", 2024)].total_kg == pytest.approx(50.0)
    assert report.results[("curie", 2025)].total_kg == pytest.approx(150.0)


def test_a_factor_table_without_an_item_marks_the_year_incomplete(sqlite_db: Database) -> None:
    load_centres(sqlite_db)
    load_factors(sqlite_db, FACTORS.encode(), "t.csv", "test", version="full")
    import_activities(
        sqlite_db,
        (ACT + "curie,2025,energy,electricity,1,MWh\ncurie,2025,purchase,medicines,1,EUR\n").encode(),
        "a.csv",
    )
    load_factors(
        sqlite_db,
        (HEAD + "energy,electricity,E,E,MWh,50,2,2.1,10,src\n").encode(),
        "t2.csv",
        "test",
        version="small",
    )
    cy = footprint_report(sqlite_db, version="small").results[("curie", 2025)]
    assert cy.total_kg == pytest.approx(50.0) and not cy.complete and "purchase/medicines" in cy.problems[0]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_activity_text_gives_rows_or_a_clear_error(text: str) -> None:
    try:
        read_activities(ACT + text, "fuzz.csv", table(), {"curie"})
    except InputError as exc:
        assert "fuzz.csv" in str(exc)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_numbers_read_back_in_both_decimal_marks(x: float) -> None:
    assert number(repr(x)) == x
    assert number(f"{x:.2f}".replace(".", ",")) == pytest.approx(round(x, 2))


def test_patient_travel_counts_the_km_saved_by_the_nearest_recruiting_site(sqlite_db: Database) -> None:
    """Patients of Curie (Paris) living in Lyon could enter a trial whose first recruiting site is
    Bordeaux and which also recruits in Lyon: each saves the Lyon-Bordeaux distance, one way."""
    from oncofed.domain import haversine_km
    from oncofed.services.sustainability.travel import compute_travel, stored_travel

    load_centres(sqlite_db)
    load_factors(
        sqlite_db,
        (HEAD + "patient_travel,car,Car,Voiture,km,0.2,3,3.4,20,src\n").encode(),
        "t.csv",
        "test",
        version="t",
    )
    lyon, bordeaux = GeoPoint(45.7640, 4.8357), GeoPoint(44.8378, -0.5792)
    trial = Trial(
        "T-1",
        "a trial",
        TrialStatus.RECRUITING,
        sites=[
            TrialSite(
                "Bordeaux",
                TrialStatus.RECRUITING,
                "bergonie",
                latitude=bordeaux.latitude,
                longitude=bordeaux.longitude,
            ),
            TrialSite(
                "Lyon",
                TrialStatus.RECRUITING,
                "leon-berard",
                latitude=lyon.latitude,
                longitude=lyon.longitude,
            ),
        ],
    )
    with sqlite_db.session() as s:
        TrialRepository(s).upsert(trial)
        PatientRepository(s, Actor.system("t")).add_many(
            [
                PatientProfile(
                    f"curie-{i:06d}", "curie", age_years=50, home=lyon, research_objection=(i == 0)
                )
                for i in range(13)
            ]
        )
    compute_travel(sqlite_db, Actor.system("t"))
    _, figures = stored_travel(sqlite_db)
    curie = figures["curie"]
    leg = haversine_km(lyon, bordeaux)
    assert (
        curie["patients"] == 12 and curie["pairs"] == 12 and curie["pairs_closer"] == 12
    )  # the objector is not counted
    assert curie["km_saved"] == pytest.approx(12 * leg, abs=0.5)
    assert curie["kgco2e_saved_per_visit"] == pytest.approx(2 * 12 * leg * 0.2, abs=0.5)
    assert "curie-000001" not in str(figures)
    with sqlite_db.session() as s:
        PatientRepository(s, Actor.system("t")).add_many(
            [PatientProfile("bergonie-000001", "bergonie", age_years=50, home=bordeaux)]
        )
    compute_travel(sqlite_db, Actor.system("t"))
    small = stored_travel(sqlite_db)[1]["bergonie"]
    assert small["suppressed"] and small["patients"] is None and small["km_saved"] is None
