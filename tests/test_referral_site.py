"""The referral's proposed site: the patient's own centre when it recruits, else the nearest recruiting
centre (to the home, else to the patient's centre) with its distance; the same choice and the same
reason on the form, in the API (FR/EN) and for `oncofed patients refer` without `--site`."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from oncofed.domain import Actor, GeoPoint, Role, TrialStatus
from oncofed.errors import InputError
from oncofed.presenters.referrals import site_reason
from oncofed.services.network.referral_site import Site, choose, patient_referral_options
from oncofed.store.db import Database
from oncofed.store.models import TrialSiteRow
from tests.prescreen_fixtures import TRIAL_ID, build_network

PARIS, LYON, BORDEAUX = GeoPoint(48.85, 2.35), GeoPoint(45.76, 4.84), GeoPoint(44.84, -0.58)
SITES = [Site("bordeaux", "B", "", BORDEAUX), Site("lyon", "L", "", LYON), Site("paris", "P", "", PARIS)]


def test_own_centre_first_even_when_another_is_nearer() -> None:
    near_lyon = GeoPoint(45.70, 4.80)
    own = choose(SITES, "paris", near_lyon, PARIS)
    assert (own["centre_id"], own["why"]) == ("paris", "own_centre") and own["km"] > 300  # from home
    nearest = choose(SITES, "nantes", near_lyon, None)
    assert nearest["centre_id"] == "lyon" and nearest["why"] == "nearest_home" and nearest["km"] == 7
    by_centre = choose(SITES, "tours", None, GeoPoint(47.39, 0.69))  # no home: from the patient's centre
    assert (
        by_centre["centre_id"] == "paris" and by_centre["why"] == "nearest_centre" and by_centre["km"] > 100
    )
    unplaced = [Site("x", "X", "", None), Site("y", "Y", "", None)]
    assert choose(unplaced, "z", near_lyon, None) == {"centre_id": "x", "why": "first", "km": None}
    assert choose([], "paris", None, None)["centre_id"] is None


def test_reasons_in_both_languages() -> None:
    own = site_reason({"why": "own_centre", "km": None}, "en")
    assert own == "the patient's own centre recruits for this trial; distance unknown"
    assert (
        site_reason({"why": "own_centre"}, "fr")
        == "le centre du patient recrute pour cet essai\u202f; distance inconnue"
    )
    placed = site_reason({"why": "own_centre", "km": 12}, "fr")
    assert placed == "le centre du patient recrute pour cet essai, à 12\u00a0km du domicile du patient"
    french = site_reason({"why": "nearest_home", "km": 1234}, "fr")
    assert french == "centre recruteur le plus proche du domicile du patient, 1\u202f234\u00a0km"


def _close_site(db: Database, centre: str) -> None:
    with db.session() as s:
        s.execute(
            update(TrialSiteRow)
            .where(TrialSiteRow.trial_id == TRIAL_ID, TrialSiteRow.centre_id == centre)
            .values(status=TrialStatus.COMPLETED.value)
        )


def test_service_proposes_own_centre_then_the_nearest(db: Database) -> None:
    a, b = build_network(db)
    clinician = Actor("dr-a", Role.CLINICIAN, frozenset({a}))
    first = patient_referral_options(db, clinician, "A-2", TRIAL_ID)
    names = {s["centre_id"]: s["name"] for s in first["sites"]}
    assert first["default"] == {"centre_id": a, "name": names[a], "why": "own_centre", "km": None}
    assert {s["centre_id"] for s in first["sites"]} == {a, b}
    _close_site(db, a)
    then = patient_referral_options(db, clinician, "A-2", TRIAL_ID)
    assert then["default"]["centre_id"] == b and then["default"]["why"] == "nearest_centre"
    assert then["default"]["km"] > 0
    _close_site(db, b)
    with pytest.raises(InputError) as refused:
        patient_referral_options(db, clinician, "A-2", TRIAL_ID)
    assert refused.value.code == "referral.no_site"


def test_api_refers_to_the_proposed_site_and_says_why(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(sqlite_db)
    client = client_as(sqlite_db, Actor("dr-a", Role.CLINICIAN, frozenset({a}), "care"))
    sites = client.get(f"/api/patients/A-2/referral-sites/{TRIAL_ID}", headers={"Accept-Language": "fr"})
    assert sites.status_code == 200, sites.text
    assert (
        sites.json()["default"]["reason"]
        == "le centre du patient recrute pour cet essai\u202f; distance inconnue"
    )
    _close_site(sqlite_db, a)
    done = client.post("/api/patients/A-1/referrals", json={"trial_id": TRIAL_ID, "note": "closer"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["site_centre_id"] == b and body["site_chosen"]["why"] == "nearest_centre"
    assert body["site_chosen"]["reason"].startswith("nearest recruiting centre to the patient's centre, ")


def test_the_form_proposes_the_site_and_says_why(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    a, b = build_network(sqlite_db)
    client = client_as(sqlite_db, Actor("dr-a", Role.CLINICIAN, frozenset({a}), "care"))
    client.cookies.set("lang", "fr")
    html = client.get("/patients/A-2/matches").text
    assert f'<option value="{a}" selected>' in html and f'<option value="{b}">' in html
    assert "Le centre du patient recrute pour cet essai" in html
    _close_site(sqlite_db, a)
    html = client.get("/patients/A-2/matches").text
    assert f'<option value="{b}" selected>' in html
    assert "Centre recruteur le plus proche du centre du patient, " in html


def test_match_line_and_referral_form_say_the_same_site(sqlite_db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    """The patient's centre recruits but the trial's registry sites carry no coordinates and the patient
    no home: the match line and the form both propose that centre and say the distance is unknown (the
    line once said no recruiting centre was located while the form proposed the patient's own)."""
    a, b = build_network(sqlite_db)
    client = client_as(sqlite_db, Actor("dr-a", Role.CLINICIAN, frozenset({a}), "care"))
    client.cookies.set("lang", "fr")
    html = client.get("/patients/A-2/matches").text
    assert "aucun centre recruteur localisé" not in html
    assert html.count("Le centre du patient recrute pour cet essai\u202f; distance inconnue") == 2, html
    data = client.get("/api/patients/A-2/matches", headers={"Accept-Language": "fr"}).json()
    line = next(m["referral_site"] for m in data["matches"] if m["trial_id"] == TRIAL_ID)
    assert line["centre_id"] == a and line["why"] == "own_centre" and line["km"] is None
    assert line["reason"] == "le centre du patient recrute pour cet essai\u202f; distance inconnue"
    form = client.get(f"/api/patients/A-2/referral-sites/{TRIAL_ID}").json()["default"]
    assert form["centre_id"] == line["centre_id"] and form["why"] == line["why"]
    table = client.get("/api/patients/A-2/matches?format=csv", headers={"Accept-Language": "fr"}).text
    import csv
    import io

    row = next(r for r in csv.DictReader(io.StringIO(table)) if r["trial_id"] == TRIAL_ID)
    assert row["referral_site"] == line["name"] and row["referral_why"] == line["reason"]


def test_the_command_line_match_names_the_same_site(sqlite_db: Database, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    a, _b = build_network(sqlite_db)
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    out = CliRunner().invoke(app, ["match", "A-2", "--json"])
    assert out.exit_code == 0, out.output
    line = __import__("json").loads(out.output)["matches"][0]["referral_site"]
    assert (
        line["centre_id"] == a
        and line["reason"] == "the patient's own centre recruits for this trial; distance unknown"
    )
    table = CliRunner().invoke(app, ["match", "A-2"])
    assert table.exit_code == 0 and "referr" in table.output and "nearest" not in table.output
