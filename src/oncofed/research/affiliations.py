"""Which network centres an author affiliation names: matched, external, or listed for review.

An affiliation string ("Department of Medical Oncology, Institut Curie, PSL Research University,
Paris, France. jane@curie.fr") is cut into institutions (at ";") and read word by word, with the
centres' names from centres.yaml, the registry alias table (`resources/trials/site_aliases.yaml`)
and `resources/research/affiliations.yaml`:
- a multi-word name with an institution word ("Institut Curie", "Centre Leon Berard") matches;
  a multi-word name without one ("Gustave Roussy", "Jean Perrin") matches when one of the centre's
  cities is in the same institution, and is listed for review otherwise;
- a one-word name ("Bergonie", "Curie") matches next to one of the centre's cities, and is listed
  for review without it; a short acronym ("IGR", "ICM") counts only next to a city (acronyms are
  shared by too many bodies: "ICM, Paris Brain Institute");
- a name inside a phrase that is something else ("Pierre et Marie Curie"), or right after a street
  or laboratory word ("rue ...", "Laboratoire Jean Perrin"), does not count;
- a centre named with a foreign country is listed for review; an affiliation naming no centre but a
  cue ("CRCL", "Comprehensive Cancer Center" in France) is listed for review; the rest is external.
Nothing is guessed silently: every "review" carries the reason and the centres it might be.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from oncofed.domain import Centre
from oncofed.research.countries import EMAIL, CountryFinder
from oncofed.research.text import normalise
from oncofed.resources import load_yaml

MATCHER_VERSION = "aff-1"
INSTITUTION_WORDS = frozenset(
    {"institut", "institute", "centre", "center", "hopital", "oncopole", "cancer", "cancerologie", "campus"}
)
MAX_ACRONYM = 4
MATCHED, REVIEW, EXTERNAL = "matched", "review", "external"
STATUSES = (MATCHED, REVIEW, EXTERNAL)


def affiliation_key(text: str) -> str:
    """The identity of an affiliation string: its normalised words (case, accents, punctuation and
    e-mail addresses do not make a new affiliation), hashed to a fixed width."""
    return hashlib.sha1(normalise(EMAIL.sub(" ", text) if "@" in text else text).encode()).hexdigest()


@dataclass(frozen=True)
class AffiliationMatch:
    status: str  # matched | review | external
    centre_ids: tuple[str, ...]  # matched: the centres; review: the centres it might be
    country: str  # ISO alpha-2 or ""
    reason: str = ""


@dataclass
class _Phrases:
    """Phrases indexed by their first word: finding every phrase in a text costs one dict lookup
    per word (the affiliation table of a large bibliography is read in seconds)."""

    by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = field(default_factory=dict)

    def add(self, phrase: str, value: Any) -> None:
        words = tuple(normalise(phrase).split())
        if words:
            self.by_first.setdefault(words[0], []).append((words, value))

    def find(self, words: Sequence[str]) -> list[tuple[int, int, Any]]:
        """(start, end, value) of every phrase occurrence, longest first at each start."""
        out = []
        for i, w in enumerate(words):
            for phrase, value in self.by_first.get(w, ()):
                n = len(phrase)
                if tuple(words[i : i + n]) == phrase:
                    out.append((i, i + n, value))
        return out


@dataclass(frozen=True)
class _Name:
    centre_id: str
    text: str
    kind: str  # strong (institution word) | person (multi-word, needs a city) | word | acronym


class AffiliationMatcher:
    """Built once from the centres and the alias tables (values, not files); `match` is pure."""

    def __init__(
        self,
        centres: Sequence[Centre],
        alias_tables: Iterable[Mapping[str, Any]] = (),
        rules: Mapping[str, Any] | None = None,
        french_cities: Iterable[str] = (),
    ) -> None:
        rules = rules if rules is not None else load_yaml("research/affiliations.yaml")
        tables = [*alias_tables, rules]
        self.centre_ids = {c.id for c in centres}
        self.countries = CountryFinder(french_cities)
        self.names = _Phrases()
        self.cities = _Phrases()
        self.not_the_centre = _Phrases()
        self.cues = _Phrases()
        self.bodies = _Phrases()
        self.street_words = frozenset(normalise(w) for w in rules.get("street_words") or [])
        for c in centres:
            names = {c.name, c.short_name, *c.aliases}
            cities = {c.city}
            for data in tables:
                names.update((data.get("aliases") or {}).get(c.id, []))
                cities.update((data.get("cities") or {}).get(c.id, []))
            for n in {normalise(x) for x in names if x}:
                self.names.add(n, _Name(c.id, n, _kind(n)))
            for city in cities:
                self.cities.add(city, c.id)
            for phrase in (rules.get("not_the_centre") or {}).get(c.id, []):
                self.not_the_centre.add(phrase, c.id)
        for cue in rules.get("review_cues") or []:
            self.cues.add(cue, str(cue))
        for body in rules.get("not_a_centre") or []:
            self.bodies.add(body, str(body))
        unknown = {cid for data in tables for cid in (data.get("aliases") or {})} - self.centre_ids
        if unknown:
            from oncofed.errors import N_, InputError

            if not self.centre_ids:  # an empty store: every centre of the tables is "unknown"
                raise InputError(
                    N_("no centre in the store to attribute publications to"),
                    fix=N_("load the network's centres first (`oncofed demo` builds them)"),
                    code="research.no_centres",
                )
            raise InputError(
                N_("alias tables name unknown centres: %(centres)s"),
                fix=N_("use ids from `oncofed centres`"),
                code="research.alias_centres",
                params={"centres": sorted(unknown)},
            )

    def match(self, text: str) -> AffiliationMatch:
        clean = EMAIL.sub(" ", text) if "@" in (text or "") else (text or "")
        parts = [p for p in re.split(r";|\s\|\s", clean) if p.strip()] or [""]
        countries = [self.countries.find(p) for p in parts]
        last_known = next((c for c in reversed(countries) if c), "")
        strong: dict[str, None] = {}
        weak: dict[str, None] = {}
        reasons: list[str] = []
        cue_hits: list[str] = []
        body_hits: list[str] = []
        for part, country in zip(parts, countries, strict=True):
            country = country or last_known
            s, w, r, cues, bodies = self._part(part, country)
            strong.update(dict.fromkeys(s))
            weak.update(dict.fromkeys(x for x in w if x not in s))
            reasons += r
            cue_hits += cues
            body_hits += bodies
        country = countries[0] or last_known
        weak_only = [c for c in weak if c not in strong]
        if weak_only:
            return AffiliationMatch(REVIEW, tuple([*strong, *weak_only]), country, "; ".join(reasons))
        if strong:
            return AffiliationMatch(MATCHED, tuple(strong), country, "; ".join(reasons))
        if cue_hits and country in ("FR", ""):
            return AffiliationMatch(
                REVIEW, (), country, "names no centre but points at one: " + ", ".join(cue_hits)
            )
        if body_hits:
            return AffiliationMatch(EXTERNAL, (), country, "a body of the network, not a centre")
        return AffiliationMatch(EXTERNAL, (), country, "")

    def _part(self, text: str, country: str) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
        words = normalise(text).split()
        if not words:
            return [], [], [], [], []
        cities = {cid for _, _, cid in self.cities.find(words)}
        masked: set[int] = set()
        for start, end, _cid in self.not_the_centre.find(words):
            masked.update(range(start, end))
        strong: list[str] = []
        weak: list[str] = []
        reasons: list[str] = []
        for start, end, name in self.names.find(words):
            if any(i in masked for i in range(start, end)):
                continue
            if start > 0 and words[start - 1] in self.street_words:
                continue
            near_city = name.centre_id in cities
            if country and country != "FR":
                if name.kind == "acronym":
                    continue
                weak.append(name.centre_id)
                reasons.append(f"{name.text!r} with the country {country}")
            elif name.kind == "strong" or near_city:
                strong.append(name.centre_id)
                reasons.append(f"{name.text!r}" + (" near its city" if near_city else ""))
            elif name.kind != "acronym":
                weak.append(name.centre_id)
                reasons.append(f"{name.text!r} without the centre's city")
        cues = [str(v) for _, _, v in self.cues.find(words)]
        bodies = [str(v) for _, _, v in self.bodies.find(words)]
        return (
            list(dict.fromkeys(strong)),
            [w for w in dict.fromkeys(weak) if w not in strong],
            reasons,
            cues,
            bodies,
        )


def _kind(normalised_name: str) -> str:
    words = normalised_name.split()
    if len(words) >= 2:
        return "strong" if INSTITUTION_WORDS & set(words) else "person"
    return "acronym" if len(words[0]) <= MAX_ACRONYM else "word"
