"""Pre-screening at scale (issue 18): one page of a large centre's list, read server-side (sorted,
filtered and counted in the database), against building the whole list in memory as the page did
before. Writes the "Workday" section of docs/BENCHMARKS.md.

    python -m benchmarks.bench_workday [--patients 50000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.bench_prescreen import TRIAL_ID, build
from benchmarks.report import write_section
from oncofed.domain import Actor, Role
from oncofed.services.matching.match_index import refresh_match_index
from oncofed.services.prescreen.lists import prescreen_list
from oncofed.services.prescreen.paging import ListQuery, list_page
from oncofed.services.prescreen.refresh import refresh_prescreen
from oncofed.store.db import Database

CENTRE = "curie"


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    nurse = Actor("bench-nurse", Role.RESEARCH_STAFF, frozenset({CENTRE}), "research")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        build(db, args.patients, [CENTRE])
        refresh_match_index(db, Actor.system("benchmark"))
        refresh_prescreen(db, TRIAL_ID, CENTRE, nurse)
        first = list_page(db, TRIAL_ID, CENTRE, nurse, ListQuery(tab="all"))
        total, pages = first["total"], first["pages"]
        cases: list[tuple[str, Callable[[], object]]] = [
            ("whole list built in memory (before: prescreen_list, every row)",
             lambda: prescreen_list(db, TRIAL_ID, CENTRE, nurse, refresh=False, mark_visit=False)),
            ("page 1 of the candidates (default view), with every tab's counts",
             lambda: list_page(db, TRIAL_ID, CENTRE, nurse, ListQuery())),
            ("page 1 of all patients", lambda: list_page(db, TRIAL_ID, CENTRE, nurse, ListQuery(tab="all"))),
            (f"last page of all patients (page {pages})",
             lambda: list_page(db, TRIAL_ID, CENTRE, nurse, ListQuery(tab="all", page=pages))),
            ("all patients sorted by screening status, page 10",
             lambda: list_page(db, TRIAL_ID, CENTRE, nurse, ListQuery(tab="all", sort="status", page=10))),
            ("search by patient id", lambda: list_page(db, TRIAL_ID, CENTRE, nurse, ListQuery(tab="all", q="0042"))),
        ]  # fmt: skip
        rows = [(label, _median_ms(fn, args.repeat)) for label, fn in cases]
        db.dispose()
    before = rows[0][1]
    lines = [
        f"One research nurse's list: trial {TRIAL_ID} at one centre with {args.patients:,} synthetic patients "
        f"({total:,} listed: living, not objecting), SQLite, 50 rows a page; median of {args.repeat} runs "
        "(the page's own HTML rendering not included).",
        "",
        "| read | ms | vs whole list |",
        "|---|---:|---:|",
    ]
    for label, ms in rows:
        lines.append(f"| {label} | {ms:,.1f} | {before / ms:,.1f}x |")
    command = f"python -m benchmarks.bench_workday --patients {args.patients} --repeat {args.repeat}"
    write_section(
        "workday", "Workday: a pre-screening list one page at a time (issue 18)", command, "\n".join(lines)
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
