"""Trial importers: one module per registry format, `detect` picks the reader from the content.

Every reader yields `Parsed` items (a `Trial`, or a `RecordError` naming the field), one record at a
time; `oncofed.services.trials.importing` maps sites to centres and stores them, one transaction per file."""

from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials.common import Parsed, Rejection, parse_age, trial_content_hash
from oncofed.ingest.trials.detect import Detected, detect

__all__ = ["Detected", "Parsed", "RecordError", "Rejection", "detect", "parse_age", "trial_content_hash"]
