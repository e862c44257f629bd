"""How long the demo network takes to build (target: 5,000 patients in under 60 s).

Run: .venv/bin/python -m benchmarks.bench_demo [--patients 5000 50000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from benchmarks.report import write_section
from oncofed.store.db import Database
from oncofed.synthetic.demo import build_demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file per run")
    args = parser.parse_args()
    rows = []
    for n in args.patients:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            db = Database(url)
            started = time.perf_counter()
            report = build_demo(db, patients=n, seed=42, force=True)
            seconds = time.perf_counter() - started
            reuse_started = time.perf_counter()
            build_demo(db, patients=n, seed=42)
            reuse = time.perf_counter() - reuse_started
            db.dispose()
        rows.append((n, report.trials, seconds, n / seconds, reuse))
        print(f"{n} patients: {seconds:.2f} s ({n / seconds:.0f} patients/s), re-run {reuse * 1000:.0f} ms")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    body = (
        "| patients | trials | build (s) | patients/s | re-run, reused (ms) |\n|---:|---:|---:|---:|---:|\n"
    )
    body += "\n".join(f"| {n:,} | {t} | {s:.2f} | {r:,.0f} | {u * 1000:.0f} |" for n, t, s, r, u in rows)
    body += f"\n\nTarget: 5,000 patients in under 60 s on this 2-core machine. Peak memory of the run: {peak_mb:.0f} MB."
    body += " Storage: SQLite (WAL), fresh file per size, schema migrations and the match index build (what pre-screening reads per patient) included in the time."
    write_section("demo", "Demo network build (issue: foundation)", "python -m benchmarks.bench_demo", body)


if __name__ == "__main__":
    main()
