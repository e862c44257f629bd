"""Which reader reads a bibliographic file: PubMed XML or OpenAlex JSON, told by the content."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from oncofed.errors import N_, InputError
from oncofed.ingest.publications import ParsedPublication, openalex, pubmed


def reader_for(path: Path) -> Callable[[Path], Iterator[ParsedPublication]]:
    """PubMed XML or OpenAlex JSON, told by the content (not the file name)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(
            N_("cannot read the file: %(detail)s"),
            file=str(path),
            fix=N_("check the path"),
            code="file.unreadable",
            params={"detail": exc.strerror or str(exc)},
        ) from exc
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        if pubmed.looks_like_pubmed(head):
            return pubmed.iter_records
        raise InputError(
            N_("an XML file that is not PubMed XML"),
            file=str(path),
            fix=N_("give PubMed XML as E-utilities efetch returns it (db=pubmed, retmode=xml)"),
            code="research.not_pubmed",
        )
    if text.startswith((b"{", b"[")):
        return openalex.iter_records
    raise InputError(
        N_("neither PubMed XML nor OpenAlex JSON"),
        file=str(path),
        fix=N_("give PubMed XML (efetch) or OpenAlex works JSON (an API page, an array or JSON Lines)"),
        code="research.unknown_format",
    )
