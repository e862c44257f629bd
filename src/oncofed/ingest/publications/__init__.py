"""Readers of bibliographic files (issue 20): MEDLINE/PubMed XML (E-utilities `efetch`), OpenAlex
works JSON, and the sponsor's site-milestone CSV. Each yields publications or rejections by record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oncofed.errors import format_message, part
from oncofed.ingest.errors import RecordError
from oncofed.research.records import PublicationRecord


@dataclass
class ParsedPublication:
    """One item a reader yields: a publication, or why its record was refused or skipped."""

    record: str
    publication: PublicationRecord | None = None
    field: str = ""
    error: str = ""
    skipped: str = ""  # not a publication (a deleted citation, a book): reported, never silent
    # the refusal or the skip as a piece of a sentence (`errors.part`), said in the reader's language
    said: dict[str, Any] | None = None

    @classmethod
    def refused(cls, record: str, field: str, message: str, **params: Any) -> ParsedPublication:
        """A refused record: `message` is an English message id (`N_`) with `params`."""
        return cls(
            record=record, field=field, error=format_message(message, params), said=part(message, **params)
        )

    @classmethod
    def skip(cls, record: str, message: str, **params: Any) -> ParsedPublication:
        """A record that is not a publication, said why (`message`: an `N_` id)."""
        return cls(record=record, skipped=format_message(message, params), said=part(message, **params))

    @classmethod
    def from_error(cls, record: str, exc: RecordError) -> ParsedPublication:
        """A record refused by a reader's `RecordError` (coded: said in the reader's language)."""
        said = part(exc.template, **exc.params) if exc.code and isinstance(exc.template, str) else None
        return cls(record=record, field=exc.field, error=exc.reason, said=said)
