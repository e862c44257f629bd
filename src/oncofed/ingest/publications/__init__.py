"""Readers of bibliographic files (issue 20): MEDLINE/PubMed XML (E-utilities `efetch`), OpenAlex
works JSON, and the sponsor's site-milestone CSV. Each yields publications or rejections by record."""

from __future__ import annotations

from dataclasses import dataclass

from oncofed.research.records import PublicationRecord


@dataclass
class ParsedPublication:
    """One item a reader yields: a publication, or why its record was refused or skipped."""

    record: str
    publication: PublicationRecord | None = None
    field: str = ""
    error: str = ""
    skipped: str = ""  # not a publication (a deleted citation, a book): reported, never silent
