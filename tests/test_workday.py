"""A working day's services and API (issue 18), on SQLite and PostgreSQL: trial set-up at centres
(surviving re-imports, making a status-less trial recruit), patient search, fact corrections
(audited, provenance, re-matched), referrals, the paged pre-screening list, centre names, error pages."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from oncofed.domain import Actor, Fact, PatientProfile, Role, Trial, TrialStatus
from oncofed.errors import InputError, NotFound
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository, TrialRepository
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse

MANAGER = Actor("tm", Role.TRIAL_MANAGER, purpose="trial set-up")


def _real_like_trial(status: TrialStatus = TrialStatus.UNKNOWN) -> Trial:
    return Trial(id="NCT09999999", title="HER2+ breast study", status=status, source="beir",
                 eligibility_text="Inclusion Criteria:\n- Age 18 years or older\n")  # fmt: skip


def _setup(centre: str, **kw: object):  # type: ignore[no-untyped-def]
    from oncofed.services.trials.setup import SiteSetup

    values = {"principal_investigator": "Dr A", "contact_email": "essais@centre.fr", **kw}
    return SiteSetup(centre, **values)  # type: ignore[arg-type]


def test_opening_a_status_less_trial_at_two_centres_makes_it_recruit_and_survives_reimport(
    db: Database,
) -> None:
    from oncofed.services.network.centres import load_centres
    from oncofed.services.trials.setup import list_setups, open_trial, registry_overview

    load_centres(db)
    with db.session() as s:
        TrialRepository(s).upsert(_real_like_trial())
    assert registry_overview(db)["recruiting"] == 0
    open_trial(
        db, MANAGER, "NCT09999999", _setup("Gustave Roussy", target=6, contact_phone="+33 1 42 11 42 11")
    )
    open_trial(db, MANAGER, "NCT09999999", _setup("institut CURIE"))
    with db.session() as s:
        trial = TrialRepository(s).get("NCT09999999")
    assert trial.status is TrialStatus.RECRUITING and trial.extra["registry_status"] == "UNKNOWN"
    sites = {s.centre_id: s for s in trial.recruiting_sites()}
    assert set(sites) == {"gustave-roussy", "curie"}
    assert (
        sites["gustave-roussy"].target_enrolment == 6
        and "+33 1 42 11 42 11" in sites["gustave-roussy"].contact
    )
    # the registry file is imported again (new version, no sites, no status): the local set-up stays
    with db.session() as s:
        TrialRepository(s).upsert(_real_like_trial(), content_hash="v2")
    with db.session() as s:
        again = TrialRepository(s).get("NCT09999999")
    assert again.status is TrialStatus.RECRUITING and {s.centre_id for s in again.recruiting_sites()} == set(
        sites
    )
    # closing both: the registry's own status again
    for c in ("curie", "gustave-roussy"):
        open_trial(db, MANAGER, "NCT09999999", _setup(c, local_status="SUSPENDED"))
    with db.session() as s:
        assert TrialRepository(s).get("NCT09999999").status is TrialStatus.UNKNOWN
    assert {r["local_status"] for r in list_setups(db, "NCT09999999")} == {"SUSPENDED"}


def test_trial_set_up_refuses_what_cannot_be_right(db: Database) -> None:
    from oncofed.services.network.centres import load_centres
    from oncofed.services.trials.setup import open_trial

    load_centres(db)
    with db.session() as s:
        TrialRepository(s).upsert(_real_like_trial(TrialStatus.COMPLETED))
    with pytest.raises(InputError, match="completed"):
        open_trial(db, MANAGER, "NCT09999999", _setup("curie"))
    with pytest.raises(InputError) as bad:
        open_trial(
            db, MANAGER, "NCT09999999", _setup("curie", local_status="SUSPENDED", contact_email="nope")
        )
    assert bad.value.field == "contact_email"
    with pytest.raises(InputError) as no_pi:
        open_trial(db, MANAGER, "NCT09999999", _setup("curie", principal_investigator=""))
    assert no_pi.value.field in ("principal_investigator", "local_status")
    with pytest.raises(InputError, match="did you mean 'Gustave Roussy'"):
        open_trial(db, MANAGER, "NCT09999999", _setup("Roussi", local_status="SUSPENDED"))
    with pytest.raises(InputError, match="cannot set up trials"):
        open_trial(db, Actor("c", Role.CLINICIAN, frozenset({"curie"})), "NCT09999999", _setup("curie"))


def test_centre_names_are_found_whatever_the_case_and_accents() -> None:
    from oncofed.services.network.centres import network_centres
    from oncofed.services.network.names import find_centre

    centres = network_centres()
    assert find_centre(centres, "Gustave Roussy").id == "gustave-roussy"
    assert find_centre(centres, "CENTRE LEON-BERARD").id == "leon-berard"
    assert find_centre(centres, "bergonie").id == "bergonie"
    assert find_centre(centres, "Dijon").id == "cgfl"
    with pytest.raises(InputError, match="Léon Bérard"):
        find_centre(centres, "leon berrard")


def _patients(db: Database) -> tuple[str, str]:
    from oncofed.domain.patient import Provenance
    from oncofed.services.network.centres import load_centres

    load_centres(db)
    src = Provenance("fhir:bundle.json", "Observation/1")
    people = [
        PatientProfile("curie-P001", "curie", sex="FEMALE", birth_date=date(1960, 1, 1), primary_cancer="IDC", stage="IV",
                       display_name="Alice", facts=[Fact("biomarker", "HER2", "2+", attributes={"kind": "ihc"}, provenance=src),
                                                    Fact("biomarker", "EGFR", "L858R", provenance=src)]),
        PatientProfile("curie-P002", "curie", sex="MALE", primary_cancer="LUAD", stage="IIIB", display_name="Bob",
                       facts=[Fact("biomarker", "EGFR", "exon 19 deletion", provenance=src)]),
        PatientProfile("bergonie-P001", "bergonie", sex="FEMALE", primary_cancer="IDC", stage="IVA", display_name="Carla",
                       facts=[Fact("biomarker", "HER2", "3+", provenance=src)]),
    ]  # fmt: skip
    with db.session() as s:
        PatientRepository(s, Actor.system()).add_many(people, source="test")
    return "curie", "bergonie"


def test_patient_search_by_id_name_cancer_stage_gene_and_variant(db: Database) -> None:
    from oncofed.services.patients.search import PatientQuery, resolve_patient_id, search_patients

    _patients(db)
    clinician = Actor("dr", Role.CLINICIAN, frozenset({"curie"}))

    def ids(**kw: object) -> list[str]:
        return [p["id"] for p in search_patients(db, clinician, PatientQuery(**kw))["patients"]]  # type: ignore[arg-type]

    assert ids(q="P001") == ["curie-P001"]  # the source record's id; Bergonié's P001 is not visible
    assert ids(q="bob") == ["curie-P002"]
    assert ids(cancer="BRCA") == ["curie-P001"]  # IDC is under BRCA in OncoTree
    assert ids(cancer="Non-Small Cell Lung Cancer") == ["curie-P002"]
    assert ids(stage="IV") == ["curie-P001"] and ids(stage="III") == ["curie-P002"]
    assert ids(gene="EGFR") == ["curie-P001", "curie-P002"]
    assert ids(gene="EGFR", variant="p.L858R") == ["curie-P001"]
    assert ids(gene="EGFR", variant="exon 19") == ["curie-P002"]
    assert ids(gene="HER2", variant="3+") == []
    assert resolve_patient_id(db, clinician, "P001") == "curie-P001"
    with pytest.raises(InputError):
        search_patients(db, clinician, PatientQuery(stage="V"))


def test_a_clinician_corrects_a_fact_audited_with_provenance_and_rematched(db: Database) -> None:
    from oncofed.services.patients.corrections import FactInput, correct_fact, corrections_of
    from oncofed.store.audit import search
    from oncofed.store.models import PatientRow

    _patients(db)
    clinician = Actor("dr-claire", Role.CLINICIAN, frozenset({"curie"}))
    with db.session() as s:
        before = s.scalar(select(PatientRow.record_hash).where(PatientRow.id == "curie-P001"))
    done = correct_fact(
        db, clinician, "curie-P001", FactInput("biomarker", "HER2", "3+"), "FISH: amplified", index=0
    )
    assert done["before"]["value"] == "2+" and done["after"]["source"] == "corrected by dr-claire"
    correct_fact(db, clinician, "curie-P001", FactInput("ecog", value="1"), "seen in clinic today")
    with db.session() as s:
        profile = PatientRepository(s, clinician).get("curie-P001")
        after = s.scalar(select(PatientRow.record_hash).where(PatientRow.id == "curie-P001"))
    assert profile.ecog == 1 and profile.facts[0].value == "3+" and after != before
    assert [c["kind"] for c in corrections_of(db, clinician, "curie-P001")] == ["ecog", "biomarker"]
    events = search(db.engine, action="patient.correct")
    assert (
        len(events) == 2 and events[0]["user_id"] == "dr-claire" and "curie-P001" in events[0]["patient_ids"]
    )
    with pytest.raises(InputError) as no_reason:
        correct_fact(db, clinician, "curie-P001", FactInput("ecog", value="1"), "")
    assert no_reason.value.field == "reason"
    with pytest.raises(InputError):
        correct_fact(db, clinician, "curie-P001", FactInput("ecog", value="7"), "typo")
    with pytest.raises(NotFound):  # another centre's patient
        correct_fact(db, clinician, "bergonie-P001", FactInput("ecog", value="1"), "reason")
    with pytest.raises(InputError, match="cannot correct"):
        correct_fact(db, nurse("curie"), "curie-P001", FactInput("ecog", value="1"), "reason")


def test_referral_flags_the_patient_on_the_sites_list_and_notifies_its_research_staff(db: Database) -> None:
    from oncofed.services.prescreen.notify import notifications_for
    from oncofed.services.prescreen.paging import ListQuery, list_page
    from oncofed.services.prescreen.referrals import refer_patient

    a, b = build_network(db)
    clinician = Actor("dr-a", Role.CLINICIAN, frozenset({a}))
    done = refer_patient(db, clinician, "A-2", TRIAL_ID, a, "please screen", engine=FAKE_ENGINE)
    assert done["same_centre"] and done["screening_status"] == "flagged"
    page = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="all", status="flagged"), engine=FAKE_ENGINE)
    assert [c["patient_id"] for c in page["candidates"]] == ["A-2"] and "please screen" in page["candidates"][
        0
    ]["note"]
    notes = notifications_for(db, nurse(a))
    assert any(n["kind"] == "referral" and "A-2" not in n["message"] for n in notes)
    other = refer_patient(db, clinician, "A-1", TRIAL_ID, b, "closer to home", engine=FAKE_ENGINE)
    assert not other["same_centre"] and other["screening_status"] is None
    assert any(n["kind"] == "referral" for n in notifications_for(db, nurse(b)))
    assert all("A-1" not in n["message"] for n in notifications_for(db, nurse(b)))  # isolation: no patient id
    with pytest.raises(InputError, match="objects"):
        refer_patient(db, clinician, "A-OBJ", TRIAL_ID, a, engine=FAKE_ENGINE)


def test_paged_list_counts_tabs_sorts_and_words(db: Database) -> None:
    from oncofed.services.prescreen.paging import ListQuery, criterion_words, list_page
    from oncofed.services.prescreen.refresh import refresh_prescreen

    a, _ = build_network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    first = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(), engine=FAKE_ENGINE)
    assert first["counts"] == {
        "eligible": 1,
        "possible": 2,
        "unlikely": 0,  # "probably not — to check": the stand-in engine holds nothing back
        "blocked": 2,
        "new": 3,
        "candidates": 3,
        "all": 5,
    }
    assert [c["eligibility"] for c in first["candidates"]] == ["eligible", "possible", "possible"]
    blocked = list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="blocked"), engine=FAKE_ENGINE)
    assert {c["patient_id"] for c in blocked["candidates"]} == {"A-3", "A-5"}
    assert blocked["candidates"][0]["blocking"][0]["section"] in ("inclusion", "exclusion")
    pages = [list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="all", sort="patient", page=n, size=2), engine=FAKE_ENGINE)
             for n in (1, 2, 3)]  # fmt: skip
    assert [c["patient_id"] for p in pages for c in p["candidates"]] == ["A-1", "A-2", "A-3", "A-4", "A-5"]
    assert pages[0]["pages"] == 3 and pages[2]["total"] == 5
    assert criterion_words("inc -2: Age >= 18 years") == {"section": "registry", "text": "Age >= 18 years"}
    assert criterion_words("exc 3: Active brain metastases")["section"] == "exclusion"
    with pytest.raises(InputError):
        list_page(db, TRIAL_ID, a, nurse(a), ListQuery(tab="nope"), engine=FAKE_ENGINE)


def test_error_pages_are_pages_in_the_users_language(db: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    from oncofed.services.network.centres import load_centres

    load_centres(db)
    html = {"accept": "text/html"}
    public = client_as(db, Actor.public())
    fr = public.get("/trials/NCT00000000?lang=fr", headers=html)
    assert fr.status_code == 404 and "Page introuvable" in fr.text and "oncofed trials" not in fr.text
    assert "Rechercher dans le registre" in fr.text
    clinician = client_as(db, Actor("dr", Role.CLINICIAN, frozenset({"curie"})))
    denied = clinician.get("/audit", headers=html)
    assert (
        denied.status_code == 403
        and "Not available to your role" in denied.text
        and "clinician" in denied.text
    )
    assert clinician.get("/api/audit").json()["detail"]  # the API keeps JSON
    from fastapi.testclient import TestClient

    from oncofed.web.app import create_app

    app = create_app(db)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    crash = TestClient(app, raise_server_exceptions=False).get("/boom?lang=fr", headers=html)
    assert crash.status_code == 500 and "Un problème est survenu" in crash.text and "Référence" in crash.text
