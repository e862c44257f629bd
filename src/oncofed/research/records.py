"""A publication as the readers hand it over (PubMed XML, OpenAlex JSON), whatever its source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

NCT = re.compile(r"\bNCT\s?(\d{8})\b", re.I)


def nct_ids(text: str) -> list[str]:
    """ClinicalTrials.gov ids in free text ("NCT01234567", "NCT 01234567"), in order, once each."""
    return list(dict.fromkeys(f"NCT{m}" for m in NCT.findall(text or "")))


@dataclass
class Author:
    name: str
    affiliations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO alpha-2 the source states (OpenAlex)


@dataclass
class PublicationRecord:
    source: str  # pubmed | openalex | demo
    title: str
    pmid: str | None = None
    doi: str | None = None
    openalex_id: str | None = None
    journal: str = ""
    journal_abbrev: str = ""
    issn: str = ""
    year: int | None = None
    published_on: date | None = None
    authors: list[Author] = field(default_factory=list)
    abstract: str = ""
    databank_ncts: list[str] = field(default_factory=list)  # DataBankList (ClinicalTrials.gov)
    publication_types: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return (
            f"PMID {self.pmid}"
            if self.pmid
            else (self.openalex_id or (f"doi:{self.doi}" if self.doi else self.title[:60]))
        )

    def trial_links(self) -> dict[str, str]:
        """NCT id -> where it was found: databank, abstract, or both."""
        out = {n: "databank" for n in self.databank_ncts}
        for n in nct_ids(f"{self.title} {self.abstract}"):
            out[n] = "both" if n in out else "abstract"
        return out
