"""Patient import speed: FHIR bundles/s (parse + validate), notes/s, and a network-size import.

Run: .venv/bin/python -m benchmarks.bench_patients [--bundles 1000] [--patients 5000]

Synthetic bundles are the real mCODE bundles of ../shared/data/fhir/mcode with new patient and
resource ids; the store import writes them through PatientRepository into a fresh SQLite file and
the 200,000-patient time is extrapolated linearly from `--patients` (said so in the report).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import tempfile
import time
from pathlib import Path

from benchmarks.report import write_section
from oncofed.ingest.patients import fhir, fhir_validate
from oncofed.ingest.patients.notes import extract
from oncofed.services.patients.records import import_patients
from oncofed.store.db import Database

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def synthetic_bundles(n: int) -> list[dict]:
    real = [json.loads(p.read_text()) for p in sorted((DATA / "fhir" / "mcode").glob("*.json"))]
    real = [
        b for b in real if any(e.get("resource", {}).get("resourceType") == "Patient" for e in b["entry"])
    ]
    out = []
    for i in range(n):
        b = copy.deepcopy(real[i % len(real)])
        renamed: dict[str, str] = {}
        for e in b["entry"]:
            r = e.get("resource")
            if r and "id" in r:
                renamed[str(r["id"])] = r["id"] = f"{r['id'][:40]}-{i}"
        _rename_references(b, renamed)
        out.append(b)
    return out


def _rename_references(node: object, renamed: dict[str, str]) -> None:
    """References follow the new ids, so each synthetic patient's references are its own (the
    importer caches validated coded elements; references must not repeat across patients here
    more than they would in a real network)."""
    if isinstance(node, dict):
        ref = node.get("reference")
        if isinstance(ref, str) and "/" in ref:
            kind, _, rid = ref.rpartition("/")
            if rid in renamed:
                node["reference"] = f"{kind}/{renamed[rid]}"
        elif isinstance(ref, str) and ref.startswith("urn:uuid:") and ref[9:] in renamed:
            node["reference"] = f"urn:uuid:{renamed[ref[9:]]}"
        for v in node.values():
            _rename_references(v, renamed)
    elif isinstance(node, list):
        for v in node:
            _rename_references(v, renamed)


def write_network_csv(path: Path, n: int) -> int:
    """The demo generator's synthetic patients in the flat CSV layout (one row per fact)."""
    import csv

    from oncofed.ingest.patients.flatcsv import COLUMNS
    from oncofed.services.network.centres import network_centres
    from oncofed.synthetic.patients import generate_patients

    rows = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for p in generate_patients(network_centres(), n, seed=42):
            pid, centre = p["id"].split("-")[-1], p["centre_id"]
            base = [pid, centre]
            out = [
                [*base, "sex", "", p["sex"][0], "", "", "", "", ""],
                [*base, "birth_date", "", p["birth_date"].isoformat(), "", "", "", "", ""],
                [
                    *base,
                    "home",
                    "",
                    p["home_city"],
                    "",
                    "",
                    "",
                    "",
                    json.dumps({"latitude": p["latitude"], "longitude": p["longitude"]}),
                ],
            ]
            if p["research_objection"]:
                out.append([*base, "research_objection", "", "true", "", "", "", "", ""])
            for f in p["facts"]:
                out.append(
                    [
                        *base,
                        f["kind"],
                        f.get("code", ""),
                        "" if f.get("value") is None else f["value"],
                        f.get("unit", ""),
                        f.get("when", ""),
                        "",
                        f.get("display", ""),
                        json.dumps(f["attributes"]) if f.get("attributes") else "",
                    ]
                )
            w.writerows(out)
            rows += len(out)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundles", type=int, default=1000)
    parser.add_argument("--patients", type=int, default=5000)
    args = parser.parse_args()
    if not (DATA / "fhir" / "mcode").exists():
        write_section(
            "patients",
            "Patient import (issue 5)",
            "python -m benchmarks.bench_patients",
            "data not found: ../shared/data",
        )
        return
    bundles = synthetic_bundles(args.bundles)
    started, cpu = time.perf_counter(), time.process_time()
    n_patients = sum(len(fhir.parse_bundle(b, file="synthetic.json")) for b in bundles)
    fhir_rate = len(bundles) / (time.perf_counter() - started)
    fhir_cpu = len(bundles) / (time.process_time() - cpu)
    hits, misses = fhir_validate.stats["hits"], fhir_validate.stats["misses"]
    print(f"FHIR: {fhir_rate:.0f} bundles/s wall, {fhir_cpu:.0f}/s CPU ({n_patients} patients)")
    fhir_validate.ENABLED = False  # worst case: every coded element distinct, nothing reused
    cold = bundles[: max(1, len(bundles) // 4)]
    cpu = time.process_time()
    sum(len(fhir.parse_bundle(b, file="synthetic.json")) for b in cold)
    fhir_cold_cpu = len(cold) / (time.process_time() - cpu)
    fhir_validate.ENABLED = True
    print(f"FHIR, element cache off: {fhir_cold_cpu:.0f} bundles/s CPU")
    texts = [("synthetic.json", i, json.dumps(b)) for i, b in enumerate(bundles, start=1)]
    fhir_validate.clear_cache()  # forked workers start cold, as in a fresh `oncofed import patients`
    started = time.perf_counter()
    sum(1 for _ in fhir.parse_items(texts, jobs=2))
    fhir_rate_2 = len(texts) / (time.perf_counter() - started)
    print(f"FHIR, 2 worker processes (incl. JSON decoding): {fhir_rate_2:.0f} bundles/s")

    texts = []
    for folder in ("trec-2021-topics", "trec-2022-topics", "sigir-topics"):
        texts += [
            json.loads(line)["text"] for line in (DATA / folder / "queries.jsonl").read_text().splitlines()
        ]
    load_started = time.perf_counter()
    extract("A 50-year-old woman with breast cancer; no brain metastases.", "warm-up", "note:bench")
    load = time.perf_counter() - load_started
    started = time.perf_counter()
    profiles = [extract(t, str(i), "note:bench") for i, t in enumerate(texts)]
    notes_rate = len(texts) / (time.perf_counter() - started)
    print(f"notes: {notes_rate:.0f} notes/s (model load {load:.1f} s)")
    trec = profiles[: 75 + 50]
    share = {
        "age": sum(p.age_years is not None for p in trec) / len(trec),
        "sex": sum(p.sex is not None for p in trec) / len(trec),
        "primary diagnosis": sum(p.primary_cancer is not None for p in trec) / len(trec),
        ">= 1 biomarker/treatment": sum(
            any(f.kind in ("biomarker", "treatment") for f in p.facts) for p in trec
        )
        / len(trec),
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "network.csv"
        rows = write_network_csv(path, args.patients)
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        db.upgrade()
        started, cpu = time.perf_counter(), time.process_time()
        report = import_patients(db, [path])
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
        db.dispose()
    stored = report.imported + report.updated
    indexed = report.indexed
    projected = seconds / max(1, stored) * 200_000
    projected_cpu = cpu_seconds / max(1, stored) * 200_000
    print(
        f"network import: {stored} patients ({rows} CSV rows) in {seconds:.1f} s (CPU {cpu_seconds:.1f} s); "
        f"200,000 -> {projected / 60:.1f} min wall, {projected_cpu / 60:.1f} min CPU"
    )
    body = (
        "| measure | result | target |\n|---|---:|---:|\n"
        f"| FHIR/mCODE bundles parsed + validated (one process), wall clock | {fhir_rate:,.0f} bundles/s | 500/s |\n"
        f"| same, CPU time of the process (one core's speed) | {fhir_cpu:,.0f} bundles/s | 500/s |\n"
        f"| same, CPU time, element cache off (every coded element distinct) | {fhir_cold_cpu:,.0f} bundles/s | |\n"
        f"| same, `--jobs 2` (2 worker processes, JSON decoding included) | {fhir_rate_2:,.0f} bundles/s | 500/s |\n"
        f"| notes -> facts (one core, model loaded) | {notes_rate:,.0f} notes/s | 100/s |\n"
        f"| notes model load (once per process) | {load:.1f} s | |\n"
        f"| synthetic network, {stored:,} patients as flat CSV ({rows:,} rows), parse + store in SQLite + match index ({indexed:,} records) | {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU | |\n"
        f"| 200,000 patients, extrapolated linearly from the line above | {projected / 60:.1f} min wall, {projected_cpu / 60:.1f} min CPU | < 10 min |\n\n"
        "TREC 2021 + 2022 notes (125; many are not cancer patients): share of notes with each fact extracted\n\n"
        "| fact | share |\n|---|---:|\n"
        + "".join(f"| {k} | {v:.0%} |\n" for k, v in share.items())
        + f"\nLoad average at the end of the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores shared with other "
        "engineers, so wall times are inflated; CPU time is the better figure of one core's speed. "
        f"FHIR element cache: {hits:,} hits, {misses:,} misses (each distinct CodeableConcept, Coding, Meta, "
        "Extension or Reference is validated once by fhir.resources; references are renamed per synthetic "
        "patient, so they do not repeat across patients). Extrapolation to 200,000 is linear: the import "
        "writes batches of 500 new patients, one INSERT each, so its cost per patient does not grow with the "
        "store (measured: 1,000 vs 5,000 patients give the same per-patient CPU time within noise).\n"
        + f"\nSynthetic bundles: the {len(list((DATA / 'fhir' / 'mcode').glob('*.json')))} real mCODE bundles with new ids, "
        "cycled. Hand-checked accuracy on 50 notes is asserted in tests/test_patients_notes.py (gold file tests/gold/notes_gold.yaml)."
    )
    write_section("patients", "Patient import (issue 5)", "python -m benchmarks.bench_patients", body)


if __name__ == "__main__":
    main()
