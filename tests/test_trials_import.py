"""Trial import: every shared sample file, idempotence, site mapping, bad input, streaming."""

from __future__ import annotations

import json
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from oncofed.ingest.trials import RecordError, detect, parse_age
from oncofed.ingest.trials.sites import SiteMapper
from oncofed.services.network.centres import load_centres, network_centres
from oncofed.services.trials.importing import import_trials
from oncofed.store.db import Database
from oncofed.store.models import TrialRow
from oncofed.store.repositories import TrialRepository
from tests.conftest import shared_data
from tests.trial_samples import location, study, variant, write_ndjson, write_page

# The only rejection in the shared samples: MatchMiner's own test file of a CTML trial with no id.
EXPECTED_REJECTIONS = {"11-112.json:#1:protocol_no": "no trial id: a CTML trial needs protocol_no or nct_id"}
EXPECTED_SKIPPED = {
    "GS_id2quries_all_30_synthetic_patients.json": "patient cases",
    "synthetic_patient_cases_random_30_modified.jsonl": "patient cases",
    "NCT_IDs.txt": "a list of NCT ids",
    "landmark_trials": "empty file",
}


def trial_count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(TrialRow)) or 0)


@pytest.mark.shared_data
def test_every_shared_trial_file_imports_then_reimports_unchanged(sqlite_db: Database) -> None:
    db = sqlite_db  # SQLite only: 1,363 records twice; the store paths are covered on PostgreSQL below
    trials_dir = shared_data("trials")
    ctml_dir = shared_data("matchminer", "ctml-trials")
    load_centres(db)
    report = import_trials(db, [trials_dir, ctml_dir])
    rejected = {f"{Path(r.file).name}:{r.record}:{r.field}": r.reason for r in report.rejections}
    assert rejected == EXPECTED_REJECTIONS
    skipped = {Path(f.path).name: f.skipped for f in report.files if f.skipped}
    assert set(skipped) == set(EXPECTED_SKIPPED)
    assert all(skipped[k].startswith(v) for k, v in EXPECTED_SKIPPED.items())
    formats = {f.format for f in report.files}
    assert {"ctgov-v2-study", "ctgov-xml", "fhir-r4", "ctml-json", "ctml-yaml", "beir-corpus", "nli4ct",
            "trialgpt-retrieved", "aact-csv"} <= formats  # fmt: skip
    # 999 NLI4CT + 101 SIGIR + 99 + 10 BEIR + 101 TrialGPT + 20 AACT + 1+1 ctgov + 6 FHIR + 24 CTML records
    assert report.total("imported") == 1346
    assert report.total("updated") == 11
    assert report.total("unchanged") == 6
    nli4ct = [f for f in report.files if f.format == "nli4ct"]
    assert len(nli4ct) == 999 and all(f.imported + f.updated + f.unchanged == 1 for f in nli4ct)
    assert trial_count(db) == 1346
    again = import_trials(db, [trials_dir, ctml_dir])
    assert again.total("imported") == 0 and again.total("updated") == 0
    assert again.total("unchanged") == 1363
    assert {f"{Path(r.file).name}:{r.record}:{r.field}" for r in again.rejections} == set(EXPECTED_REJECTIONS)


@pytest.mark.shared_data
def test_ctgov_json_keeps_every_field_and_ctml_keeps_match_trees(sqlite_db: Database) -> None:
    sample = shared_data("trials", "ctgov-samples", "NCT02513394.json")
    ctml_file = shared_data("matchminer", "ctml-trials", "all_open.json")
    import_trials(sqlite_db, [sample, ctml_file])
    with sqlite_db.session() as s:
        t = TrialRepository(s).get("NCT02513394")
        c = TrialRepository(s).get("10-002")
    assert t.acronym == "PALLAS" and t.status.value == "ACTIVE_NOT_RECRUITING"
    assert [p.value for p in t.phases] == ["PHASE3"] and t.study_type == "INTERVENTIONAL"
    assert (
        t.min_age_years == 18.0
        and t.max_age_years is None
        and t.sex == "ALL"
        and t.healthy_volunteers is False
    )
    assert t.enrolment == 5796 and str(t.start_date) == "2015-08-01" and str(t.last_update) == "2023-06-15"
    assert "2014-005181-30" in t.other_ids and "Pfizer" in t.collaborators
    assert (
        len(t.sites) == 437 and t.sites[0].city == "Mobile" and t.sites[0].latitude == pytest.approx(30.69436)
    )
    assert t.eligibility_text.startswith("Inclusion Criteria")
    raw = json.loads(ctml_file.read_text())
    assert c.extra["ctml"]["treatment_list"] == raw["treatment_list"]
    arms = {a["arm_code"]: a for a in c.extra["ctml_arms"]}
    assert arms["ARM 2"]["arm_suspended"] is True and arms["ARM 1"]["arm_suspended"] is False
    assert arms["ARM 1"]["dose_levels"][0]["level_suspended"] is False


def test_parse_age() -> None:
    assert parse_age("18 Years", "f") == 18.0
    assert parse_age("6 Months", "f") == 0.5
    assert parse_age("N/A", "f") is None and parse_age("", "f") is None
    with pytest.raises(RecordError, match="eighteen"):
        parse_age("eighteen", "eligibilityModule.minimumAge")


def test_reimport_unchanged_newer_updated_older_kept(sqlite_db: Database, tmp_path: Path) -> None:
    f1 = write_page(tmp_path / "v1.json", [study(last_update="2024-01-15")])
    assert import_trials(sqlite_db, [f1]).total("imported") == 1
    assert import_trials(sqlite_db, [f1]).total("unchanged") == 1
    f2 = write_page(tmp_path / "v2.json", [study(title="New title", last_update="2024-03-01")])
    assert import_trials(sqlite_db, [f2]).total("updated") == 1
    f0 = write_page(tmp_path / "v0.json", [study(title="Old title", last_update="2023-01-01")])
    old = import_trials(sqlite_db, [f0])
    assert old.total("unchanged") == 1 and "older" in old.files[0].warnings[0]
    with sqlite_db.session() as s:
        assert TrialRepository(s).get("NCT09000001").title == "New title"


def test_site_mapping_to_centres_and_city_points(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("aliases:\n  bergonie: [Clinique Fictive du Sud-Ouest]\n", encoding="utf-8")
    mapper = SiteMapper(network_centres(), [aliases])
    assert mapper.centre_for("Institut Curie - Hôpital René Huguenin", "Saint-Cloud", "France") == "curie"
    assert mapper.centre_for("Centre Léon Bérard", "Lyon", "France") == "leon-berard"
    assert mapper.centre_for("IGR", "Villejuif", "France") == "gustave-roussy"
    assert mapper.centre_for("IGR", "Lille", "France") is None  # an acronym needs the centre's city
    assert mapper.centre_for("Hôpital Marie Curie", "Charleroi", "Belgium") is None
    assert mapper.centre_for("Hôpital Edouard Herriot", "Lyon", "France") is None
    assert mapper.centre_for("Clinique Fictive du Sud-Ouest", "Bordeaux", "France") == "bergonie"
    t = study(locations=[location("Centre Leon Berard", "Lyon"), location("Hopital Edouard Herriot", "Lyon"),
                         location("Mayo Clinic", "Rochester", country="United States")])  # fmt: skip
    from oncofed.ingest.trials.ctgov_json import study_to_trial

    sites = mapper.map_trial(study_to_trial(t)).sites
    assert sites[0].centre_id == "leon-berard" and sites[0].latitude is not None
    assert sites[1].centre_id is None and (sites[1].latitude, sites[1].longitude) == (45.764, 4.8357)
    assert sites[2].centre_id is None and sites[2].latitude is None
    assert all(s.status.value == "RECRUITING" for s in sites)


# --- bad input -------------------------------------------------------------------------------------


def test_truncated_json_imports_complete_studies_and_names_the_break(
    sqlite_db: Database, tmp_path: Path
) -> None:
    full = json.dumps({"studies": [study(nct=f"NCT0900000{i}") for i in range(1, 4)]})
    path = tmp_path / "page.json"
    path.write_text(full[: len(full) - 300], encoding="utf-8")
    cut = import_trials(sqlite_db, [path])  # by default a cut page keeps nothing (issue 17)
    assert cut.total("imported") == 0 and cut.files[0].rolled_back and trial_count(sqlite_db) == 0
    report = import_trials(sqlite_db, [path], strict=False)  # --partial: the complete studies
    assert report.total("imported") == 2
    [rej] = report.rejections
    assert str(rej).startswith(f"{path}:#3:(json): truncated or invalid JSON")


def test_wrong_encoding_is_rejected_with_file_record_field(sqlite_db: Database, tmp_path: Path) -> None:
    good = json.dumps(study(nct="NCT09000001")) + "\n"
    bad = json.dumps(study(nct="NCT09000002", title="Étude")).replace("\\u00c9", "É").encode("latin-1")
    path = tmp_path / "latin1.ndjson"
    path.write_bytes(good.encode() + bad + b"\n")
    assert import_trials(sqlite_db, [path]).total("imported") == 0  # all or nothing (issue 17)
    report = import_trials(sqlite_db, [path], strict=False)
    assert report.total("imported") == 1
    [rej] = report.rejections
    assert rej.record == "line 2" and rej.field == "(encoding)" and "UTF-8" in rej.reason


def test_xml_bomb_is_refused_and_database_unchanged(sqlite_db: Database, tmp_path: Path) -> None:
    ents = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE clinical_study [<!ENTITY lol0 "lol">{ents}]><clinical_study><brief_title>&lol9;</brief_title></clinical_study>'
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, encoding="utf-8")
    report = import_trials(sqlite_db, [path])
    [rej] = report.rejections
    assert rej.field == "(xml)" and "refused unsafe XML" in rej.reason
    assert trial_count(sqlite_db) == 0


def test_study_without_nct_id_and_age_eighteen(sqlite_db: Database, tmp_path: Path) -> None:
    no_id = study()
    del no_id["protocolSection"]["identificationModule"]["nctId"]
    path = write_ndjson(
        tmp_path / "mixed.ndjson",
        [study(nct="NCT09000001"), no_id, study(nct="NCT09000003", min_age="eighteen")],
    )
    report = import_trials(sqlite_db, [path], strict=False)
    assert [str(r) for r in report.rejections] == [
        f"{path}:line 2:protocolSection.identificationModule.nctId: no trial id (NCT number); every record needs one",
        f"{path}:line 3 NCT09000003:eligibilityModule.minimumAge: age 'eighteen' is not '<number> <unit>'; write it like '18 Years', '6 Months' or 'N/A'",
    ]
    assert report.total("imported") == 1 and trial_count(sqlite_db) == 1


def test_strict_imports_nothing_from_a_file_with_a_bad_record(db: Database, tmp_path: Path) -> None:
    path = write_ndjson(tmp_path / "strict.ndjson", [study(nct="NCT09000001"), study(nct="NCT09000002", min_age="eighteen"),
                                                     study(nct="NCT09000003", min_age="x")])  # fmt: skip
    good = write_ndjson(tmp_path / "good.ndjson", [study(nct="NCT09000009")])
    report = import_trials(db, [path, good])  # the default since issue 17
    assert report.files[0].rolled_back and report.files[0].imported == 0
    assert len(report.files[0].rejected) == 2  # every bad record is still listed
    assert report.files[1].imported == 1
    assert trial_count(db) == 1


def test_over_long_line_is_rejected_without_loading_it(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oncofed.ingest import jsonl  # the one guarded JSONL reader holds the line limit

    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 4096)
    big = study(nct="NCT09000002", title="x" * 10_000)
    path = write_ndjson(tmp_path / "long.ndjson", [study(nct="NCT09000001"), big, study(nct="NCT09000003")])
    report = import_trials(sqlite_db, [path], strict=False)
    assert report.total("imported") == 2
    assert [r.field for r in report.rejections] == ["(line)"]


def test_large_page_is_streamed_not_loaded(tmp_path: Path) -> None:
    """A ~20 MB `{"studies": [...]}` page is parsed with a small, bounded memory peak (2 GB works the same)."""
    base = study(locations=[location(f"Hospital {i}", "Lyon") for i in range(20)])
    base["protocolSection"]["descriptionModule"] = {"briefSummary": "lorem ipsum " * 1000}
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"studies": [')
        for i in range(1500):
            fh.write(("," if i else "") + json.dumps(variant(base, i)))
        fh.write("]}")
    size = path.stat().st_size
    assert size > 15e6
    found = detect(path)
    assert found.format == "ctgov-v2-page" and found.reader is not None
    tracemalloc.start()
    n = sum(1 for p in found.reader(path) if p.trial is not None)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 1500
    assert peak < size / 10, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.0f} MB file: not streamed"


def test_content_hash_equals_the_canonical_asdict_hash() -> None:
    """The fast hash must give the very bytes of the former `asdict` one: stored hashes stay valid."""
    import hashlib
    from dataclasses import asdict
    from datetime import date

    from oncofed.domain import Phase, Trial, TrialSite, TrialStatus
    from oncofed.ingest.trials import trial_content_hash

    def reference(trial: Trial) -> str:
        data = asdict(trial)
        data["extra"] = {k: v for k, v in data["extra"].items() if k != "import"}
        blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    site = TrialSite("Centre Léon Bérard", TrialStatus.RECRUITING, "leon-berard", "Lyon", latitude=45.7)
    trial = Trial(
        id="NCT01234567", title="Étude", status=TrialStatus.RECRUITING, phases=(Phase.PHASE2,),
        conditions=("Breast Cancer",), start_date=date(2020, 5, 1), min_age_years=18.0, sites=[site],
        extra={"ctml": {"match": [{"and": [1, None, "x"]}]}, "site": site, "import": {"hashes": ["a"]}},
    )  # fmt: skip
    assert trial_content_hash(trial) == reference(trial)
    trial.extra["import"] = {"hashes": ["b", "c"]}
    assert trial_content_hash(trial) == reference(trial)
    trial.sites = []
    assert trial_content_hash(trial) != reference(replace(trial, sites=[site]))


def test_batched_update_rewrites_rows_and_sites_on_both_databases(db: Database, tmp_path: Path) -> None:
    load_centres(db)
    lyon, paris = location("Centre Leon Berard", "Lyon"), location("Institut Curie", "Paris")
    v1 = [
        study(nct=f"NCT0900000{i}", title=f"T{i}", locations=[lyon], last_update="2024-01-01")
        for i in (1, 2, 3)
    ]
    assert import_trials(db, [write_page(tmp_path / "v1.json", v1)]).total("imported") == 3
    v2 = [study(nct="NCT09000001", title="T1 amended", locations=[paris, lyon], last_update="2024-02-01"), v1[1],
          study(nct="NCT09000003", title="T3", locations=[], last_update="2024-02-01")]  # fmt: skip
    report = import_trials(db, [write_page(tmp_path / "v2.json", v2)])
    assert (report.total("updated"), report.total("unchanged"), report.total("imported")) == (2, 1, 0)
    with db.session() as s:
        repo = TrialRepository(s)
        t1, t2, t3 = (repo.get(f"NCT0900000{i}") for i in (1, 2, 3))
    assert t1.title == "T1 amended" and [x.centre_id for x in t1.sites] == ["curie", "leon-berard"]
    assert [x.centre_id for x in t2.sites] == ["leon-berard"] and t3.sites == []
    assert import_trials(db, [write_page(tmp_path / "v2.json", v2)]).total("unchanged") == 3
