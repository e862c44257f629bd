"""Every importer, end to end, on mutated files: zero crashes, zero partial writes (issue 8).
The harness is tests/fuzzing.py; benchmarks/bench_trust.py runs it with more cases for the figures."""

from __future__ import annotations

import pytest

from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from tests.fuzzing import fuzz_importer, importers

IMPORTERS = importers()


def test_the_importers_of_the_code_base_are_fuzzed() -> None:
    assert {"trials", "patients", "quality events"} <= set(IMPORTERS)


@pytest.mark.parametrize("name", sorted(IMPORTERS))
def test_mutated_files_never_crash_an_importer_nor_half_write(name: str, sqlite_db: Database) -> None:
    load_centres(sqlite_db)
    run, seeds, tables = IMPORTERS[name]
    report = fuzz_importer(name, run, seeds, sqlite_db, tables, examples=25)
    assert report.cases == 25 and report.accepted + report.refused + len(report.crashes) == 25
    assert not report.unexpected_crashes, report.unexpected_crashes[:3]  # known ones: fuzzing.OPEN_FINDINGS
    assert not report.partial_writes, report.partial_writes[:3]
