"""Link registry sites to the network's centres; give sites without coordinates their city's point.

A site is a network centre when its normalised facility name (accents, case and punctuation removed)
- equals a centre's name, short name or alias, or
- contains one of them as whole words (multi-word names only: "Institut Curie - Hopital Rene Huguenin"), or
- contains a one-word or acronym name ("Bergonie", "IGR") *and* is in one of the centre's cities.
Every other site stays an external facility. Aliases and extra cities come from `centres.yaml`,
`resources/trials/site_aliases.yaml` and optional user files of the same layout."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from oncofed.domain import Centre, Trial, TrialSite
from oncofed.errors import N_, InputError
from oncofed.ingest import safe_yaml
from oncofed.resources import load_tsv, load_yaml

FRANCE = {"", "france", "fr", "fra"}


@functools.lru_cache(maxsize=131_072)  # registries repeat the same facilities, cities and countries
def normalise(name: str) -> str:
    s = unicodedata.normalize("NFKD", name or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("œ", "oe")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = re.sub(r"\bst\b", "saint", s)
    s = re.sub(r"\bste\b", "sainte", s)
    return " ".join(s.split())


def load_alias_file(path: Path) -> dict[str, dict[str, list[str]]]:
    try:
        data = safe_yaml.load(path.read_text(encoding="utf-8"), source=str(path)) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            N_("cannot read the alias file: %(detail)s"),
            file=str(path),
            fix=N_("give a YAML file with `aliases:` and `cities:`"),
            code="aliases.unreadable",
            params={"detail": getattr(exc, "strerror", None) or str(exc)},
        ) from exc
    fix = N_("write `aliases:` and `cities:`, each mapping centre ids to lists of names")
    if not isinstance(data, dict):
        raise InputError(
            N_("expected a mapping with `aliases:` and `cities:`"),
            file=str(path),
            fix=fix,
            code="aliases.not_mapping",
        )
    out: dict[str, dict[str, list[str]]] = {"aliases": {}, "cities": {}}
    for key in ("aliases", "cities"):
        section = data.get(key) or {}
        if not isinstance(section, dict):
            raise InputError(
                N_("`%(key)s` must map centre ids to lists of names"),
                file=str(path),
                field=key,
                fix=fix,
                code="aliases.section",
                params={"key": key},
            )
        for cid, names in section.items():
            if not isinstance(names, list):
                raise InputError(
                    N_("expected a list of names"),
                    file=str(path),
                    field=f"{key}.{cid}",
                    fix=fix,
                    code="aliases.names",
                )
            out[key][str(cid)] = [str(n) for n in names]
    return out


class SiteMapper:
    def __init__(self, centres: Sequence[Centre], alias_files: Iterable[Path] = ()) -> None:
        self.centres = {c.id: c for c in centres}
        self._memo: dict[tuple[str, str, str], str | None] = {}
        extra = [load_yaml("trials/site_aliases.yaml")] + [load_alias_file(p) for p in alias_files]
        self.exact: dict[str, str] = {}
        self.long_names: list[tuple[str, str]] = []  # (normalised multi-word name, centre id)
        self.short_names: list[tuple[str, str]] = []  # one word or acronym: needs a city match
        self.cities: dict[str, set[str]] = {}
        for c in centres:
            names = [c.name, c.short_name, *c.aliases]
            cities = [c.city]
            for data in extra:
                names += (data.get("aliases") or {}).get(c.id, [])
                cities += (data.get("cities") or {}).get(c.id, [])
            unknown = {cid for data in extra for cid in (data.get("aliases") or {})} - set(self.centres)
            if unknown:
                raise InputError(
                    N_("alias file names unknown centres: %(centres)s"),
                    fix=N_("use ids from `oncofed centres`"),
                    code="aliases.unknown_centres",
                    params={"centres": sorted(unknown)},
                )
            self.cities[c.id] = {normalise(x) for x in cities if x}
            for n in {normalise(x) for x in names if x}:
                if len(n.split()) >= 2 and len(n) >= 8:
                    self.exact[n] = c.id
                    self.long_names.append((n, c.id))
                else:
                    self.short_names.append((n, c.id))
        self.long_names.sort(key=lambda p: -len(p[0]))
        self.city_points: dict[str, tuple[float, float]] = {}
        for row in load_tsv("cities.tsv"):
            self.city_points.setdefault(
                normalise(row["name"]), (float(row["latitude"]), float(row["longitude"]))
            )

    def centre_for(self, facility: str, city: str = "", country: str = "") -> str | None:
        key = (facility, city, country)
        if key in self._memo:
            return self._memo[key]
        if len(self._memo) > 200_000:  # bounded: a registry has far fewer distinct sites than that
            self._memo.clear()
        cid = self._memo[key] = self._centre_for(facility, city, country)
        return cid

    def _centre_for(self, facility: str, city: str, country: str) -> str | None:
        if normalise(country) not in FRANCE:
            return None
        fac, town = normalise(facility), normalise(city)
        if fac in self.exact:
            return self.exact[fac]
        padded = f" {fac} "
        for name, cid in self.long_names:
            if f" {name} " in padded:
                return cid
        for name, cid in self.short_names:
            if f" {name} " in padded and (
                town in self.cities[cid] or any(f" {x} " in padded for x in self.cities[cid])
            ):
                return cid
        return None

    def map_site(self, site: TrialSite) -> TrialSite:
        cid = (
            site.centre_id
            if site.centre_id in self.centres
            else self.centre_for(site.facility, site.city, site.country)
        )
        lat, lon = site.latitude, site.longitude
        if lat is None or lon is None:
            if cid is not None:
                lat, lon = self.centres[cid].latitude, self.centres[cid].longitude
            elif normalise(site.country) in FRANCE and normalise(site.city) in self.city_points:
                lat, lon = self.city_points[normalise(site.city)]
        if cid == site.centre_id and (lat, lon) == (site.latitude, site.longitude):
            return site
        return replace(site, centre_id=cid, latitude=lat, longitude=lon)

    def map_trial(self, trial: Trial) -> Trial:
        trial.sites = [self.map_site(s) for s in trial.sites]
        return trial
