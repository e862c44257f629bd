"""Research services on SQLite and PostgreSQL (issue 20): publications imported, merged and never
duplicated, bad XML refused safely, unknown affiliations listed and reviewed decisions kept, the
sponsor's milestones (CSV and page), activation, screen failures per source, inclusion rate."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from oncofed.domain import Actor, Role
from oncofed.errors import InputError, NotFound
from oncofed.services.network.centres import load_centres
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.services.prescreen.screening import StatusChange, change_status
from oncofed.services.research import bibliometrics as biblio
from oncofed.services.research.inclusion import inclusion_results, inclusion_rows
from oncofed.services.research.portfolio import portfolio, trial_portfolio
from oncofed.services.research.publications import import_publications, review_affiliation
from oncofed.services.research.screen_failures import screen_failures
from oncofed.services.research.sponsor import import_milestones, set_milestone, set_sponsored
from oncofed.store.db import Database
from oncofed.store.models_prescreen import EnrolmentRow
from oncofed.store.models_quality import QualityEventRow
from oncofed.store.models_research import (
    AffiliationRow,
    PublicationCentreRow,
    PublicationRow,
    SponsoredTrialRow,
)
from tests.prescreen_fixtures import FAKE_ENGINE, TRIAL_ID, build_network, nurse

SAMPLES = Path(__file__).parent / "research_samples"
MANAGER = Actor("tm", Role.TRIAL_MANAGER)
NAMES: dict[str, str] = {}


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_pubmed_and_openalex_make_one_paper_and_a_reimport_duplicates_nothing(db: Database) -> None:
    load_centres(db)
    first = import_publications(db, [SAMPLES / "pubmed_efetch.xml"])
    assert (first.read, first.imported) == (3, 3)
    assert first.rejected == [
        {"file": "pubmed_efetch.xml", "record": "#4", "field": "MedlineCitation/PMID", "reason": "missing"}
    ]
    assert first.skipped and "deleted" in first.skipped[0]["reason"]
    merged = import_publications(db, [SAMPLES / "openalex_works.json"])
    assert (merged.imported, merged.updated) == (1, 1)  # W9900000001 is PMID 99000001
    again = import_publications(db, [SAMPLES / "pubmed_efetch.xml", SAMPLES / "openalex_works.json"])
    assert again.imported == 0 and _count(db, PublicationRow) == 4
    with db.session() as s:
        paper = s.scalar(select(PublicationRow).where(PublicationRow.pmid == "99000001"))
        assert (
            paper is not None
            and paper.openalex_id == "W9900000001"
            and sorted(paper.sources) == ["openalex", "pubmed"]
        )
        assert paper.international is True and "US" in paper.countries
    centres = {r["centre_id"]: r for r in biblio.centre_year_table(db, {}, year=2024)}
    assert set(centres) == {"curie", "gustave-roussy"}
    assert centres["curie"]["papers"] == 1 and centres["curie"]["network_copublications"] == 1
    net = biblio.copublication(
        db, {"curie": "Curie", "gustave-roussy": "GR", "bergonie": "B", "oscar-lambret": "OL"}
    )
    assert {(e["a"], e["b"], e["papers"]) for e in net["edges"]} == {
        ("curie", "gustave-roussy", 1),
        ("bergonie", "oscar-lambret", 1),
    }
    linked = biblio.papers(db, trial_id="NCT09000002")
    assert linked["total"] == 1 and linked["papers"][0]["trials"][1]["found_in"] == "abstract"


def test_unknown_affiliations_are_listed_and_a_reviewed_decision_is_kept(db: Database) -> None:
    load_centres(db)
    import_publications(db, [SAMPLES / "pubmed_efetch.xml"])
    queue = biblio.affiliations(db, status="review")
    assert [a["text"] for a in queue["affiliations"]] == ["Cancer Research Center of Lyon, Lyon, France."]
    assert "Cancer Research Center of Lyon" in queue["affiliations"][0]["reason"]
    with pytest.raises(InputError):
        review_affiliation(
            db,
            Actor("rose", Role.RESEARCH_STAFF, frozenset({"curie"})),
            queue["affiliations"][0]["id"],
            ["leon-berard"],
        )
    out = review_affiliation(db, MANAGER, queue["affiliations"][0]["id"], ["leon-berard"])
    assert out == {
        "affiliation_id": queue["affiliations"][0]["id"],
        "status": "matched",
        "centre_ids": ["leon-berard"],
        "papers": 1,
    }
    with db.session() as s:
        pid = s.scalar(select(PublicationRow.id).where(PublicationRow.pmid == "99000003"))
        assert s.scalars(
            select(PublicationCentreRow.centre_id).where(PublicationCentreRow.publication_id == pid)
        ).all() == ["leon-berard"]
    import_publications(db, [SAMPLES / "pubmed_efetch.xml"])  # the reviewed decision survives a re-import
    with db.session() as s:
        row = s.scalar(
            select(AffiliationRow).where(AffiliationRow.text.like("Cancer Research Center of Lyon%"))
        )
        assert row is not None and row.status == "matched" and row.reviewed_by == "tm"
    assert biblio.affiliation_counts(db)["review"] == 0


def test_malformed_and_unsafe_files_are_refused_and_change_nothing(db: Database, tmp_path: Path) -> None:
    load_centres(db)
    ents = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        f'<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY lol0 "lol">{ents}]>'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&lol9;</ArticleTitle>"
        "</Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
    )
    report = import_publications(db, [bomb])
    assert report.imported == 0 and "unsafe" in report.rejected[0]["reason"]
    cut = tmp_path / "cut.xml"
    cut.write_text((SAMPLES / "pubmed_efetch.xml").read_text(encoding="utf-8")[:3000])
    report = import_publications(db, [cut])
    assert any("truncated" in r["reason"] for r in report.rejected)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text(
        '{"results": [{"id": "https://openalex.org/W1", "title": "x", "publication_year": "soon"}]}'
    )
    report = import_publications(db, [bad_json])
    assert report.rejected == [
        {
            "file": "bad.json",
            "record": "line 1 W1",
            "field": "publication_year",
            "reason": "'soon' is not a year",
        }
    ]
    other = tmp_path / "other.xml"
    other.write_text("<clinical_study/>")
    with pytest.raises(InputError, match="not PubMed XML"):
        import_publications(db, [other])
    assert _count(db, PublicationRow) <= 3  # only the truncated file's whole records before the cut


def _network(db: Database) -> tuple[str, str]:
    a, b = build_network(db, target=12)
    return a, b


def test_milestones_from_csv_flag_the_trial_and_every_bad_row_is_named(db: Database, tmp_path: Path) -> None:
    a, b = _network(db)
    csv = tmp_path / "milestones.csv"
    csv.write_text(
        "trial_id,site,selection,contract,approval,opening,first_inclusion,closing\n"
        f"{TRIAL_ID},{a},2025-01-10,2025-03-01,2025-02-15,2025-04-01,,\n"
        f"{TRIAL_ID},{b},10/01/2025,2025-05-01,2025-04-01,2025-06-15,,\n"
        f"{TRIAL_ID},Hôpital Nowhere,2025-01-10,,,,,\n"
        f"NCT00000000,{a},2025-01-10,,,,,\n"
        f"{TRIAL_ID},{a},2025-05-01,,,2025-04-01,,\n"
        f"{TRIAL_ID},{b},2025-13-01,,,,,\n"
    )
    report = import_milestones(db, MANAGER, csv, today=date(2026, 1, 1))
    assert (report.rows, report.milestones, report.trials_flagged) == (2, 8, [TRIAL_ID])
    problems = {(r.line, r.field) for r in report.rejected}
    assert problems == {(4, "site"), (5, "trial_id"), (6, "(order)"), (7, "selection")}
    assert "not a site of" in str(report.rejected[0]) and "use a centre id" in str(report.rejected[0])
    with pytest.raises(InputError, match="--strict"):
        import_milestones(db, MANAGER, csv, strict=True, today=date(2026, 1, 1))
    with db.session() as s:
        assert s.get(SponsoredTrialRow, TRIAL_ID) is not None
    with db.session() as s:  # an enrolment gives the first inclusion nobody entered
        s.execute(
            insert(EnrolmentRow),
            [
                {
                    "trial_id": TRIAL_ID,
                    "site_key": a,
                    "centre_id": a,
                    "enrolled_on": date(2025, 5, 1),
                    "source": "test",
                }
            ],
        )
    data = trial_portfolio(db, TRIAL_ID, as_of=date(2025, 12, 31))
    site_a = next(s for s in data["sites"] if s["site_key"] == a)
    assert site_a["first_inclusion"] == "2025-05-01" and site_a["first_inclusion_from"] == "enrolments"
    assert site_a["activation_days"] == (date(2025, 4, 1) - date(2025, 1, 10)).days
    steps = {s["step"]: s for s in data["steps"]}
    assert (
        steps["contract"]["median"]
        == ((date(2025, 3, 1) - date(2025, 1, 10)).days + (date(2025, 5, 1) - date(2025, 1, 10)).days) / 2
    )
    assert data["slowest_step"] == "contract"
    months_a = [m for m in data["months"] if m["centre_id"] == a]
    assert (
        months_a[0]["month"] == "2025-04"
        and months_a[1]["cumulative"] == 1
        and months_a[-1]["expected"] is not None
    )
    over = portfolio(db, as_of=date(2025, 12, 31))
    assert over["trials"][0]["sites_open"] == 2 and over["trials"][0]["enrolled"] == 1


def test_a_milestone_entered_on_the_page_is_checked_against_the_others(db: Database) -> None:
    a, _ = _network(db)
    set_milestone(db, MANAGER, TRIAL_ID, a, "selection", date(2025, 2, 1), today=date(2025, 12, 1))
    with pytest.raises(InputError, match="before selection"):
        set_milestone(db, MANAGER, TRIAL_ID, a, "opening", date(2025, 1, 1), today=date(2025, 12, 1))
    with pytest.raises(InputError, match="after today"):
        set_milestone(db, MANAGER, TRIAL_ID, a, "opening", date(2026, 1, 1), today=date(2025, 12, 1))
    with pytest.raises(InputError, match="unknown milestone"):
        set_milestone(db, MANAGER, TRIAL_ID, a, "party", date(2025, 3, 1))
    with pytest.raises(InputError, match="cannot change"):
        set_milestone(db, nurse(a), TRIAL_ID, a, "opening", date(2025, 3, 1))
    set_milestone(db, MANAGER, TRIAL_ID, a, "selection", None)  # cleared
    assert trial_portfolio(db, TRIAL_ID)["sites"][0]["selection"] is None
    assert (
        set_sponsored(db, MANAGER, TRIAL_ID, False) is True
        and set_sponsored(db, MANAGER, TRIAL_ID, False) is False
    )
    with pytest.raises(NotFound):
        set_sponsored(db, MANAGER, "NOPE-1")


def test_screen_failures_per_criterion_from_every_source(db: Database) -> None:
    a, _ = _network(db)
    refresh_prescreen(db, TRIAL_ID, a, nurse(a), engine=FAKE_ENGINE)
    change_status(db, nurse(a), TRIAL_ID, [StatusChange("A-2", 0)], "not_eligible", reason="lab_values")
    data = screen_failures(db, TRIAL_ID)
    rows = {(r["source"], r["criterion"]): r for r in data["network"]}
    assert rows[("prescreen", "inc 1: ECOG performance status 0 or 1")]["patients"] == 1
    assert rows[("prescreen", "inc 1: ECOG performance status 0 or 1")]["sole"] == 1
    assert rows[("prescreen", "exc 3: Active brain metastases")]["sole"] == 1
    assert rows[("screening", "Laboratory values out of range")]["patients"] == 1
    assert screen_failures(db, TRIAL_ID, ["screening"])["sources"] == ["screening"]
    with pytest.raises(InputError):
        screen_failures(db, TRIAL_ID, ["gossip"])
    assert "A-3" not in str(data) and "A-5" not in str(data)  # counts, never patients


def test_inclusion_rate_counts_each_new_patient_once_through_the_quality_engine(db: Database) -> None:
    a, b = _network(db)
    rows = []
    for i in range(40):
        pid = f"A-{i}" if i < 5 else None
        rows.append(
            {
                "patient_id": f"P{i}",
                "centre_id": a,
                "event": "diagnosis",
                "event_date": date(2025, 3, 1),
                "source": "t",
            }
        )
        if i < 6:  # 6 included: 2 trials for one of them still counts once
            rows.append(
                {
                    "patient_id": f"P{i}",
                    "centre_id": a,
                    "event": "trial_inclusion",
                    "event_date": date(2025, 4, 1),
                    "source": "t",
                }
            )
            rows.append(
                {
                    "patient_id": f"P{i}",
                    "centre_id": a,
                    "event": "trial_inclusion",
                    "event_date": date(2025, 5, 1),
                    "source": "t",
                }
            )
        del pid
    for i in range(35):
        rows.append(
            {
                "patient_id": f"Q{i}",
                "centre_id": b,
                "event": "diagnosis",
                "event_date": date(2025, 6, 1),
                "source": "t",
            }
        )
    with db.session() as s:
        s.execute(insert(QualityEventRow), rows)
    years, results = inclusion_results(db)
    assert years == [2025]
    out = {r["centre_id"]: r for r in inclusion_rows(results, {})}
    assert (out[a]["new_patients"], out[a]["included"], out[a]["rate"]) == (40, 6, 0.15)
    assert out[a]["meets_oeci"] is True and out[b]["meets_oeci"] is False and out[b]["included"] == 0
    assert results[2025].network["n"] == 75 and results[2025].indicator.target == 0.10
    with db.session() as s:  # an enrolment of an identified patient counts too (screening workflow)
        s.execute(
            insert(QualityEventRow),
            [
                {
                    "patient_id": "A-1",
                    "centre_id": a,
                    "event": "diagnosis",
                    "event_date": date(2025, 1, 5),
                    "source": "t",
                }
            ],
        )
        s.execute(
            insert(EnrolmentRow),
            [
                {
                    "trial_id": TRIAL_ID,
                    "site_key": a,
                    "centre_id": a,
                    "enrolled_on": date(2025, 2, 1),
                    "patient_id": "A-1",
                    "source": "screening",
                }
            ],
        )
    out = {r["centre_id"]: r for r in inclusion_rows(inclusion_results(db)[1], {})}
    assert (out[a]["new_patients"], out[a]["included"]) == (41, 7)
    assert date(2025, 1, 1) + timedelta(days=1)
