"""OpenAlex works as JSON: one work, an API page (`{"meta": ..., "results": [...]}`), a JSON array,
or JSON Lines (the snapshot's layout, one work per line). Read: the OpenAlex id, DOI and PMID
(`ids.pmid`), title, year and date, journal (`primary_location.source`, or the older
`host_venue`), authorships with their raw affiliation strings (and the institutions' country codes
OpenAlex resolved), the abstract rebuilt from `abstract_inverted_index` (for NCT ids)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from oncofed.errors import N_
from oncofed.ingest import jsonl
from oncofed.ingest.errors import RecordError, json_kind
from oncofed.ingest.jsonl import MAX_LINE_BYTES
from oncofed.ingest.publications import ParsedPublication
from oncofed.research.records import Author, PublicationRecord

SOURCE = "openalex"
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
WORK_ID = re.compile(r"^(?:https?://openalex\.org/)?(W\d{1,12})$", re.I)
PMID = re.compile(r"(\d{1,12})/?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


def _str(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _abstract(index: Any) -> str:
    """OpenAlex ships abstracts as {word: [positions]}; put the words back in order."""
    if not isinstance(index, dict):
        return ""
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if isinstance(positions, list):
            for p in positions:
                if isinstance(p, int) and 0 <= p < 100_000:
                    slots[p] = str(word)
    return " ".join(slots[k] for k in sorted(slots))


def work_to_record(work: Any) -> PublicationRecord:
    if not isinstance(work, dict):
        raise RecordError(
            "(work)", N_("expected a JSON object, found %(kind)s"), code="research.not_an_object",
            params={"kind": json_kind(work)},
        )  # fmt: skip
    found = WORK_ID.match(_str(work.get("id")))
    if not found:
        raise RecordError(
            "id", N_("%(value)r is not an OpenAlex work id (https://openalex.org/W...)"), code="research.openalex_id",
            params={"value": work.get("id")},
        )  # fmt: skip
    title = _str(work.get("title")) or _str(work.get("display_name"))
    if not title:
        raise RecordError("title", N_("empty"), code="research.no_title")
    ids: dict[str, Any] = work["ids"] if isinstance(work.get("ids"), dict) else {}
    pmid_match = PMID.search(_str(ids.get("pmid")))
    doi = _str(work.get("doi")) or _str(ids.get("doi"))
    doi = re.sub(r"^https?://(dx\.)?doi\.org/", "", doi, flags=re.I).lower()
    year = work.get("publication_year")
    if year is not None and (not isinstance(year, int) or not 1800 <= year <= 2200):
        raise RecordError(
            "publication_year", N_("%(value)r is not a year"), code="research.year", params={"value": year}
        )
    published = None
    if _str(work.get("publication_date")):
        try:
            published = date.fromisoformat(_str(work.get("publication_date")))
        except ValueError as exc:
            raise RecordError(
                "publication_date", N_("%(value)r is not YYYY-MM-DD"), code="research.date",
                params={"value": work.get("publication_date")},
            ) from exc  # fmt: skip
    location = work.get("primary_location")
    source: dict[str, Any] = {}
    if isinstance(location, dict) and isinstance(location.get("source"), dict):
        source = location["source"]
    elif isinstance(work.get("host_venue"), dict):
        source = work["host_venue"]
    issns = source.get("issn") if isinstance(source.get("issn"), list) else []
    authors = []
    for i, a in enumerate(_items(work.get("authorships"))):
        if not isinstance(a, dict):
            raise RecordError(f"authorships[{i}]", N_("expected an object"), code="research.authorship")
        person: dict[str, Any] = a["author"] if isinstance(a.get("author"), dict) else {}
        raws = [_str(x) for x in _items(a.get("raw_affiliation_strings")) if _str(x)]
        if not raws:  # the older layout, then the institutions' names
            raws = [
                _str(x.get("raw_affiliation_string"))
                for x in _items(a.get("affiliations"))
                if isinstance(x, dict)
            ]
            raws = [x for x in raws if x]
        institutions = [x for x in _items(a.get("institutions")) if isinstance(x, dict)]
        if not raws:
            raws = [_str(x.get("display_name")) for x in institutions if _str(x.get("display_name"))]
        countries = [str(c) for c in _items(a.get("countries")) if isinstance(c, str) and COUNTRY.match(c)]
        countries += [
            str(x["country_code"]) for x in institutions if COUNTRY.match(_str(x.get("country_code")))
        ]
        authors.append(
            Author(
                name=_str(person.get("display_name")) or _str(a.get("raw_author_name")),
                affiliations=list(dict.fromkeys(raws)),
                countries=list(dict.fromkeys(countries)),
            )
        )
    return PublicationRecord(
        source=SOURCE,
        title=title,
        pmid=pmid_match.group(1) if pmid_match else None,
        doi=doi[:255] or None,
        openalex_id=found.group(1).upper(),
        journal=_str(source.get("display_name"))[:300],
        issn=(_str(source.get("issn_l")) or (issns[0] if issns and isinstance(issns[0], str) else ""))[:16],
        year=year,
        published_on=published,
        authors=authors,
        abstract=_abstract(work.get("abstract_inverted_index")),
    )


def _works(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        return list(doc["results"])
    return [doc]


def iter_records(path: Path) -> Iterator[ParsedPublication]:
    size = path.stat().st_size
    with path.open("rb") as fh:
        first = fh.readline(MAX_LINE_BYTES + 1)
    try:
        json.loads(first)
        lines = True
    except (ValueError, UnicodeDecodeError):
        lines = False
    n = 0
    if lines:
        for line_no, doc in jsonl.iter_values(path):
            if isinstance(doc, RecordError):
                yield ParsedPublication.from_error(f"line {line_no}", doc)
                continue
            for work in _works(doc):
                n += 1
                yield _one(work, f"line {line_no}")
        return
    if size > MAX_DOCUMENT_BYTES:
        yield ParsedPublication.refused(
            "#1", "(file)", N_("too large for one JSON document: use JSON Lines (one work per line)")
        )
        return
    try:
        doc = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        yield ParsedPublication.refused(
            "#1", "(json)", N_("invalid or truncated JSON: %(detail)s"), detail=str(exc)
        )
        return
    for i, work in enumerate(_works(doc), start=1):
        n += 1
        yield _one(work, f"#{i}")
    if n == 0:
        yield ParsedPublication.refused("#1", "results", N_("no work in this file"))


def _one(work: Any, where: str) -> ParsedPublication:
    wid = work.get("id") if isinstance(work, dict) else None
    label = f"{where} {str(wid).rsplit('/', 1)[-1]}" if isinstance(wid, str) else where
    try:
        return ParsedPublication(record=label, publication=work_to_record(work))
    except RecordError as exc:
        return ParsedPublication.from_error(label, exc)


def _items(value: Any) -> list[Any]:
    """A JSON list's items; any other value (`true`, a number, an object) as none: a work read from an odd
    export keeps what it can instead of crashing on `for x in True`."""
    return value if isinstance(value, list) else []
