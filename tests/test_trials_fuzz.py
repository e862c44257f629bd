"""Property-based tests: random and mutated input never crashes a trial parser nor half-writes a file."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncofed.ingest.trials import detect
from oncofed.ingest.trials.common import Parsed
from oncofed.ingest.trials.sites import SiteMapper
from oncofed.services.network.centres import load_centres, network_centres
from oncofed.services.trials.importing import import_file
from oncofed.store.db import Database
from tests.trial_samples import location, study

SEEDS = {
    "ctgov.json": json.dumps(
        {"studies": [study(locations=[location("Centre Leon Berard", "Lyon")]), study(nct="NCT09000002")]}
    ),
    "ctgov.ndjson": json.dumps(study()) + "\n" + json.dumps(study(nct="NCT09000002")) + "\n",
    "study.xml": "<clinical_study><id_info><nct_id>NCT09000001</nct_id></id_info><brief_title>T</brief_title>"
    "<eligibility><minimum_age>18 Years</minimum_age></eligibility><location><facility><name>Institut Curie</name>"
    "<address><city>Paris</city><country>France</country></address></facility><status>Recruiting</status></location></clinical_study>",
    "corpus.jsonl": json.dumps(
        {
            "_id": "NCT09000001",
            "title": "T",
            "text": "x",
            "metadata": {
                "phase": "Phase 2",
                "diseases_list": "['Breast Cancer']",
                "inclusion_criteria": "a",
                "enrollment": "10.0",
            },
        }
    )
    + "\n",  # fmt: skip
    "nli.json": json.dumps(
        {
            "Clinical Trial ID": "NCT09000001",
            "Intervention": ["INTERVENTION 1: ", "  Arm A"],
            "Eligibility": ["Inclusion Criteria:", "  Adults"],
            "Results": [],
            "Adverse Events": [],
        }
    ),  # fmt: skip
    "ctml.yaml": "protocol_no: 12-345\nstatus: open to accrual\ntreatment_list:\n  step:\n    - arm:\n        - arm_code: A\n"
    "          arm_suspended: N\n          match:\n            - genomic: {hugo_symbol: EGFR}\n",
    "fhir.json": json.dumps(
        {
            "resourceType": "ResearchStudy",
            "status": "active",
            "title": "T",
            "identifier": [{"value": "NCT09000001"}],
            "phase": {"text": "Phase 2"},
        }
    ),  # fmt: skip
}

MAPPER = SiteMapper(network_centres())


def run_reader(tmp: Path, name: str, data: bytes) -> list[Parsed]:
    path = tmp / name
    path.write_bytes(data)
    found = detect(path)
    if found.reader is None:
        assert found.skip or found.error is not None
        return []
    out = list(found.reader(path))
    for p in out:
        assert (p.trial is not None) + (p.error is not None) + bool(p.skipped) == 1
    return out


def mutate(seed: str, data: st.DataObject) -> bytes:
    raw = bytearray(seed.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        pos = data.draw(st.integers(0, max(0, len(raw) - 1)))
        if op == "flip" and raw:
            raw[pos] = data.draw(st.integers(0, 255))
        elif op == "delete" and raw:
            del raw[pos : pos + data.draw(st.integers(1, 20))]
        elif op == "insert":
            raw[pos:pos] = data.draw(
                st.sampled_from([b"{", b"}", b"[", b'"', b"\xff", b"\n", b"<", b"&x;", b"null", b"-1e999"])
            )
        else:
            del raw[pos:]
    return bytes(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_mutated_input_never_crashes_a_parser(name: str, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run_reader(Path(tmp), name, mutate(SEEDS[name], data))


@settings(max_examples=40, deadline=None)
@given(blob=st.binary(max_size=400), name=st.sampled_from(sorted(SEEDS)))
def test_random_bytes_never_crash_a_parser(blob: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run_reader(Path(tmp), name, blob)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=st.sampled_from(["ctgov.json", "ctgov.ndjson", "corpus.jsonl", "ctml.yaml"]), data=st.data())
def test_strict_import_of_mutated_file_is_all_or_nothing(
    sqlite_template: Path, name: str, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "db.sqlite3"
        shutil.copy(sqlite_template, db_path)
        db = Database(f"sqlite:///{db_path}")
        load_centres(db)  # MAPPER links sites to these centres (trial_sites.centre_id is a foreign key)
        try:
            path = Path(tmp) / name
            path.write_bytes(mutate(SEEDS[name], data))
            report = import_file(db, path, MAPPER, strict=True)
            with db.session() as s:
                from oncofed.store.repositories import TrialRepository

                stored = TrialRepository(s).count()
            if report.rejected:
                assert stored == 0 and report.imported == 0
            else:
                assert stored == report.imported
        finally:
            db.dispose()


def test_a_file_of_byte_order_marks_is_refused_not_a_crash(tmp_path: Path) -> None:
    for name in ("bom.csv", "bom.json", "bom.txt"):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf")
        found = detect(path)
        assert found.reader is None and (found.skip or found.error is not None)
