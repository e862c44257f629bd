"""Quality benchmark: the generator writes 10 million events to Parquet (target < 60 s); every
indicator for 20 centres x 12 months over those events (target < 10 s); peak memory of each step.

Run: .venv/bin/python -m benchmarks.bench_quality [--events 10000000] [--centres 20]
Each step runs in its own process so its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.report import write_section


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def step_generate(events: int, centres: int, out: Path) -> dict[str, float]:
    from oncofed.synthetic.quality_events import generate_network, write_parquet

    ids = [f"C{i + 1:02d}" for i in range(centres)]
    started = time.perf_counter()
    table, patients = generate_network(events, ids, seed=42, dirty=0.0005)
    generated = time.perf_counter() - started
    write_parquet(table, str(out))
    write_parquet(patients, str(out.with_name(out.stem + ".patients.parquet")))
    total = time.perf_counter() - started
    return {
        "events": table.num_rows,
        "patients": patients.num_rows,
        "generate_s": generated,
        "total_s": total,
        "bytes": out.stat().st_size,
        "peak_mb": _peak_mb(),
        "cpu_s": _cpu_s(),
    }


def step_compute(path: Path, validate: bool) -> dict[str, float]:
    from oncofed.quality import engine
    from oncofed.services.quality.indicators import compute_over_parquet, compute_over_table

    started = time.perf_counter()
    cpu0 = _cpu_s()
    if validate:
        run = compute_over_parquet(path, path.with_name(path.stem + ".patients.parquet"))
        rejected = run.rejects["total"]
    else:
        con = engine.connect()
        con.execute(f"CREATE VIEW clean_events AS SELECT * FROM read_parquet('{path}')")
        run = compute_over_table(None, source=str(path), con=con)
        rejected = 0
    seconds = time.perf_counter() - started
    centres = {f.centre_id for r in run.results for f in r.centres}
    months = {t["period"] for r in run.results for t in r.trend}
    return {
        "seconds": seconds,
        "events": run.events,
        "rejected": rejected,
        "centres": len(centres),
        "months": len(months),
        "indicators": len(run.results),
        "peak_mb": _peak_mb(),
        "cpu_s": _cpu_s() - cpu0,
    }


def step_demo_events(patients: int) -> dict[str, float]:
    from oncofed.store.db import Database
    from oncofed.synthetic.demo import build_demo
    from oncofed.synthetic.quality_demo import generate_demo_events

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        build_demo(db, patients=patients, seed=42)
        started = time.perf_counter()
        rep = generate_demo_events(db, seed=42)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "events": rep.accepted, "rejected": rep.rejected_total, "peak_mb": _peak_mb()}


def _child(args: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_quality", *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--centres", type=int, default=20)
    parser.add_argument("--demo-patients", type=int, default=5000)
    parser.add_argument("--step", choices=["generate", "compute", "compute-clean", "demo"], default=None)
    parser.add_argument("--path", default=None)
    args = parser.parse_args()
    if args.step == "generate":
        print(json.dumps(step_generate(args.events, args.centres, Path(args.path))))
        return
    if args.step in ("compute", "compute-clean"):
        print(json.dumps(step_compute(Path(args.path), validate=args.step == "compute")))
        return
    if args.step == "demo":
        print(json.dumps(step_demo_events(args.demo_patients)))
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.parquet"
        gen = _child(
            [
                "--step",
                "generate",
                "--events",
                str(args.events),
                "--centres",
                str(args.centres),
                "--path",
                str(path),
            ]
        )
        full = _child(["--step", "compute", "--path", str(path)])
        clean = _child(["--step", "compute-clean", "--path", str(path)])
    demo = _child(["--step", "demo", "--demo-patients", str(args.demo_patients)])
    body = f"""
| step | wall time | CPU time (all threads) | target (wall) | peak memory |
|---|---|---|---|---|
| generator: {gen["events"]:,.0f} events ({gen["patients"]:,.0f} patients, {args.centres} centres) to Parquet (zstd, {gen["bytes"] / 1e6:.0f} MB) | {gen["total_s"]:.1f} s (numpy {gen["generate_s"]:.1f} s + write) | {gen["cpu_s"]:.1f} s | < 60 s | {gen["peak_mb"]:,.0f} MB |
| all {full["indicators"]:.0f} indicators, {full["centres"]:.0f} centres x {full["months"]:.0f} months, from the Parquet file, **including validation** of every row ({full["rejected"]:,.0f} rejected) | {full["seconds"]:.1f} s | {full["cpu_s"]:.1f} s | < 10 s | {full["peak_mb"]:,.0f} MB |
| the same over already-validated events (the store's situation: rows are checked once, at import) | {clean["seconds"]:.1f} s | {clean["cpu_s"]:.1f} s | < 10 s | {clean["peak_mb"]:,.0f} MB |
| demo hook: events for {args.demo_patients:,} demo patients generated and imported into SQLite through the importer | {demo["seconds"]:.1f} s ({demo["events"]:,.0f} events, {demo["rejected"]:.0f} planted bad rows rejected) | | a few s | {demo["peak_mb"]:,.0f} MB |

Load average (1 min) when the run started: {load_before:.1f}, at the end: {os.getloadavg()[0]:.1f}, on
{os.cpu_count()} CPUs shared with other work: wall times are inflated by that sharing; the CPU column
is what the step itself consumed (summed over DuckDB's threads).

DuckDB {__import__("duckdb").__version__} in memory with default threads; funnel limits (exact binomial via scipy) and
over-dispersion are computed in Python per indicator after the SQL aggregation.
"""
    write_section(
        "quality",
        "Quality indicators (generator, DuckDB computation)",
        ".venv/bin/python -m benchmarks.bench_quality",
        body,
    )
    print(body)


if __name__ == "__main__":
    main()
