"""Is this a file of trials? (issue 18: a trial file given to `oncofed import patients` is refused with
the command to use, instead of "missing sample id" on every row). The trial importer's own format
detection decides; only formats that can hold nothing but trials count."""

from __future__ import annotations

from pathlib import Path

TRIAL_ONLY_FORMATS = ("ctgov-", "ctml-", "nli4ct", "beir-corpus", "trialgpt-retrieved", "aact-csv")


def trial_file_format(path: Path) -> str | None:
    """The trial format of `path` ("ctgov-v2-study", ...), or None when it is not a trial file."""
    from oncofed.ingest.trials.detect import detect

    found = detect(path)
    if found.reader is None or not found.format:
        return None
    if found.format.startswith(TRIAL_ONLY_FORMATS):
        return found.format
    if found.format == "fhir-r4":
        with path.open("rb") as fh:
            head = fh.read(65536)
        if b'"ResearchStudy"' in head and b'"Patient"' not in head:
            return found.format
    return None
