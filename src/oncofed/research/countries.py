"""The country an author affiliation names, from its last words ("..., Villejuif, France.").

Names come from ISO 3166 through pycountry (English names, official and common names, and their
French translations) plus `resources/research/countries.yaml` (the forms affiliations use: "USA",
"P.R. China", "England", US states). Only the tail of the affiliation is read, where the country
stands; the longest name ending the text wins ("New Mexico" is the US, not Mexico). A French city
of the network's gazetteer with no country after it counts as France. No country found: "" (the
affiliation's country is unknown, never guessed)."""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Callable, Iterable

import pycountry

from oncofed.research.text import normalise
from oncofed.resources import load_yaml

MAX_NAME_WORDS = 6
_DIGIT = re.compile(r"\d").search
_ZIP_STATE = re.compile(r"\b([A-Z]{2})\s+\d{5}(?:-\d{4})?\b")
_TRAILING_CODES = re.compile(r"(?:\b[a-z]{0,2}\s*\d[\d ]*\b|\bcedex\b|\bbp\b)", re.I)
# bare e-mail addresses and "Electronic address:" notes end many PubMed affiliations
EMAIL = re.compile(r"(?:electronic address\s*:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?", re.I)


def _same(text: str) -> str:
    return text


@functools.cache
def _names() -> tuple[dict[str, str], frozenset[str]]:
    """normalised name -> ISO alpha-2; and the set of US state codes."""
    table: dict[str, str] = {}
    try:
        fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
        translate: Callable[[str], str] = fr.gettext
    except OSError:  # pycountry without its locale files: English names only
        translate = _same
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                table[normalise(value)] = c.alpha_2
                table[normalise(translate(value))] = c.alpha_2
    data = load_yaml("research/countries.yaml")
    for code, names in (data.get("aliases") or {}).items():
        for n in names:
            table[normalise(str(n))] = str(code)
    for state in data.get("us_states") or []:
        table.setdefault(normalise(str(state)), "US")
    for prov in data.get("ca_provinces") or []:
        table.setdefault(normalise(str(prov)), "CA")
    table.pop("", None)
    return table, frozenset(str(s) for s in data.get("us_state_codes") or [])


class CountryFinder:
    """`find(text)` -> ISO alpha-2 code or "". `french_cities`: names counted as France when no
    country follows them (the network's gazetteer)."""

    def __init__(self, french_cities: Iterable[str] = ()) -> None:
        self.names, self.state_codes = _names()
        self.cities = {normalise(c) for c in french_cities if c}

    def find(self, text: str) -> str:
        text = (EMAIL.sub(" ", text) if "@" in (text or "") else (text or "")).strip().rstrip(".;, ")
        if not text:
            return ""
        segments = [s for s in re.split(r"[,;]", text) if s.strip()]
        for seg in reversed(segments[-2:]):
            code = self._tail(seg)
            if code:
                return code
        zip_state = _ZIP_STATE.findall(text)
        if zip_state and zip_state[-1] in self.state_codes:
            return "US"
        last = normalise(_TRAILING_CODES.sub(" ", segments[-1])) if segments else ""
        if last and last in self.cities:
            return "FR"
        return ""

    def _tail(self, segment: str) -> str:
        words = normalise(segment).split()
        # drop postcodes and the like at the end ("France 75005", "UK SW3 6JJ" keeps "uk")
        while words and _DIGIT(words[-1]):
            words.pop()
        for n in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            code = self.names.get(" ".join(words[-n:]))
            if code:
                return code
        return ""
