"""A reusable fuzzing harness for importers, end to end (file -> importer -> store), issue 8.

`fuzz_importer(name, run, seeds, db, tables, examples)` feeds the importer `examples` files made by
hypothesis from the seeds (byte flips, deletions, insertions of syntax characters, truncation,
random bytes) and checks, for each file:
- no crash: the importer returns a report, or raises an `OncofedError` (a clear, actionable
  error); any other exception is a crash;
- no partial write: when the importer refuses the file (raises), the row counts of `tables` are
  exactly what they were before.
The result is a `FuzzReport` (cases, crashes, partial writes, accepted/refused) rather than the first
failure, so the benchmark can report figures and a test can assert zero crashes and zero partial writes.

Add an importer: write a `run(db, path)` calling it, give a few small valid seed files, and the
tables it writes (see tests/test_fuzz_importers.py and benchmarks/bench_trust.py).
"""

from __future__ import annotations

import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, table

from oncofed.errors import OncofedError
from oncofed.store.db import Database

# Crashes found by this harness in another area's importer, reported there (docs/SECURITY.md, "Open
# findings"): (importer, text in the traceback). Tolerated by the test, still counted in the figures.
OPEN_FINDINGS: dict[tuple[str, str], str] = {}  # F2 (quality events importer) fixed
SYNTAX = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b",",
    b"\xff\xfe",
    b"\n",
    b"\r\n",
    b"<",
    b"&x;",
    b"null",
    b"-1e999",
    b"\x00",
    b";",
    b"'",
]


@dataclass
class FuzzReport:
    name: str
    cases: int = 0
    accepted: int = 0  # returned a report (possibly with rejected records)
    refused: int = 0  # raised a clear OncofedError
    crashes: list[str] = field(default_factory=list)
    partial_writes: list[str] = field(default_factory=list)

    @property
    def unexpected_crashes(self) -> list[str]:
        known = [text for (name, text) in OPEN_FINDINGS if name == self.name]
        return [c for c in self.crashes if not any(k in c for k in known)]


def counts(db: Database, tables: Sequence[str]) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: int(conn.scalar(select(func.count()).select_from(table(t))) or 0) for t in tables}


@st.composite
def mutated(draw: Any, seeds: Mapping[str, bytes]) -> tuple[str, bytes]:
    """(file name, content): a seed file with a few mutations, or random bytes under a seed's name."""
    name = draw(st.sampled_from(sorted(seeds)))
    if draw(st.integers(0, 9)) == 0:
        return name, draw(st.binary(max_size=600))
    raw = bytearray(seeds[name])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        pos = draw(st.integers(0, max(0, len(raw) - 1)))
        if op == "flip" and raw:
            raw[pos] = draw(st.integers(0, 255))
        elif op == "delete" and raw:
            del raw[pos : pos + draw(st.integers(1, 40))]
        elif op == "insert":
            raw[pos:pos] = draw(st.sampled_from(SYNTAX))
        elif op == "duplicate" and raw:
            end = min(len(raw), pos + draw(st.integers(1, 200)))
            raw[pos:pos] = raw[pos:end]
        else:
            del raw[pos:]
    return name, bytes(raw)


def fuzz_importer(
    name: str,
    run: Callable[[Database, Path], Any],
    seeds: Mapping[str, bytes],
    db: Database,
    tables: Sequence[str],
    examples: int = 50,
    seed: int = 0,
) -> FuzzReport:
    report = FuzzReport(name)
    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=mutated(seeds))
    def one(case: tuple[str, bytes]) -> None:
        file_name, content = case
        path = folder / f"{report.cases}-{file_name}"
        path.write_bytes(content)
        report.cases += 1
        before = counts(db, tables)
        try:
            run(db, path)
        except OncofedError:
            report.refused += 1
            after = counts(db, tables)
            if after != before:
                report.partial_writes.append(f"{path.name}: {before} -> {after}")
        except Exception:  # noqa: BLE001 - a crash is what we are looking for
            report.crashes.append(f"{path.name}: {traceback.format_exc(limit=4)[-1500:]}")
        else:
            report.accepted += 1
        finally:
            path.unlink(missing_ok=True)

    del seed  # derandomized: the same cases every run, so figures are reproducible
    one()
    return report


# --- the importers that exist, with small valid seeds ----------------------------------------

FLAT_CSV = (
    b"patient_id,kind,code,value,unit,date\n"
    b"P1,sex,,FEMALE,,\nP1,birth_date,,1960-05-01,,\nP1,primary_cancer,BRCA,,,2024-01-10\n"
    b"P1,biomarker,HER2,3+,,2024-01-20\nP1,ecog,,1,,2024-02-01\nP1,lab,anc,1.8,10^9/L,2024-02-01\n"
    b"P2,sex,,MALE,,\nP2,birth_date,,1955-03-02,,\nP2,primary_cancer,LUAD,,,2023-06-01\n"
)
QUALITY_CSV = (
    b"patient_id,centre_id,event,event_date,detail,value\n"
    b"curie-000001,curie,diagnosis,2025-01-10,,\ncurie-000001,curie,first_treatment,2025-02-01,surgery,\n"
    b"curie-000002,curie,diagnosis,2025-03-01,,\n"
)


def importers() -> dict[str, tuple[Callable[[Database, Path], Any], dict[str, bytes], list[str]]]:
    """name -> (run, seeds, tables written) for every importer of the code base."""
    from oncofed.services.patients.records import import_patients
    from oncofed.services.quality.indicators import import_events
    from oncofed.services.trials.importing import import_trials
    from tests.federation_fuzz import federation_importers  # issue 21: payroll, carbon activity, factors
    from tests.test_trials_fuzz import SEEDS as TRIAL_SEEDS

    return {
        "trials": (
            lambda db, path: import_trials(db, [path]),
            {k: v.encode() for k, v in TRIAL_SEEDS.items()},
            ["trials", "trial_sites"],
        ),
        "patients": (
            lambda db, path: import_patients(db, [path], centre="curie"),
            {"patients.csv": FLAT_CSV, **_shared_seeds()},
            ["patients"],
        ),
        "quality events": (
            lambda db, path: import_events(db, path),
            {"events.csv": QUALITY_CSV},
            ["quality_events", "quality_rejects"],
        ),
        **federation_importers(),
    }


def _shared_seeds() -> dict[str, bytes]:
    """A FHIR/mCODE bundle and a MatchMiner patient from ../shared/data when present (read in place)."""
    root = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    out: dict[str, bytes] = {}
    for pattern in ("fhir/mcode/*.json", "matchminer/patients/json/*.json"):
        files = sorted(root.glob(pattern))
        if files and files[0].stat().st_size < 200_000:
            out[files[0].name] = files[0].read_bytes()
    return out
