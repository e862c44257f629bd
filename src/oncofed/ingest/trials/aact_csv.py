"""AACT-style CSV extracts (`nct_id,title,...,conditions,eligibility_criteria`, as in Clinical-Trial-Parser)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from oncofed.domain import Trial
from oncofed.errors import N_
from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials.common import Parsed, dedent_block, require_id, text

SOURCE = "aact"
ID_COLUMNS = ("nct_id", "#nct_id")


def iter_records(path: Path) -> Iterator[Parsed]:
    csv.field_size_limit(64 * 1024 * 1024)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip().lstrip("#").lower() for f in reader.fieldnames or []]
        reader.fieldnames = fields
        n = 0
        try:
            for row in reader:
                n += 1
                if [text(v).lstrip("#").lower() for v in row.values()] == fields:
                    # Concatenated extracts repeat the header line: it is not a record.
                    yield Parsed(
                        record=f"row {n + 1}", skipped="repeated header line (concatenated CSV extracts)"
                    )
                    continue
                label = f"row {n + 1}" + (f" {text(row.get('nct_id'))}" if row.get("nct_id") else "")
                try:
                    trial_id = require_id(row.get("nct_id"), "nct_id", nct=True)
                    conditions = [c.strip() for c in (row.get("conditions") or "").split("|") if c.strip()]
                    yield Parsed(
                        record=label,
                        trial=Trial(
                            id=trial_id,
                            source=SOURCE,
                            title=text(row.get("title") or row.get("brief_title")) or trial_id,
                            official_title=text(row.get("official_title")),
                            conditions=tuple(dict.fromkeys(conditions)),
                            eligibility_text=dedent_block(
                                row.get("eligibility_criteria") or row.get("criteria")
                            ),
                        ),
                    )
                except RecordError as exc:
                    yield Parsed(record=label, error=exc)
        except UnicodeDecodeError as exc:
            yield Parsed(
                record=f"row {n + 2}",
                error=RecordError(
                    "(encoding)",
                    N_("not valid UTF-8: %(detail)s"),
                    code="import.not_utf8_row",
                    params={"detail": exc.reason},
                    fix=N_("re-encode the file as UTF-8"),
                ),
            )
        except csv.Error as exc:
            yield Parsed(
                record=f"row {n + 2}",
                error=RecordError(
                    "(csv)",
                    N_("unreadable CSV: %(detail)s"),
                    code="import.csv_invalid",
                    params={"detail": str(exc)},
                    fix=N_("export the table again as CSV (comma-separated, quoted fields)"),
                ),
            )
