"""The error of one record of an imported file, shared by every reader (JSON lines, trials, publications)."""

from __future__ import annotations


class RecordError(Exception):
    """A record cannot be imported: names the field and the reason (the caller adds file and record)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
