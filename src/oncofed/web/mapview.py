"""An SVG map of metropolitan France (outline, regions, departements) with points (centres, sites) and
distance circles. The geography ships with the project (`resources/geo/france.json`, IGN ADMIN EXPRESS via
france-geojson, Licence Ouverte / Etalab 2.0, simplified by `scripts/build_map_data.py`): no tiles, no CDN."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from oncofed.domain import Centre
from oncofed.resources import resource_path

LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -5.3, 9.9, 41.2, 51.3
SCALE = 40.0  # SVG units per degree of latitude
COS_LAT = math.cos(math.radians(46.5))
KM_PER_DEGREE_LAT = 111.2


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equirectangular projection centred on France (x east, y south), in SVG units."""
    x = (longitude - LON_MIN) * COS_LAT * SCALE
    y = (LAT_MAX - latitude) * SCALE
    return round(x, 1), round(y, 1)


def in_frame(longitude: float, latitude: float) -> bool:
    """True when the point falls on the map (metropolitan France and its borders)."""
    return LON_MIN <= longitude <= LON_MAX and LAT_MIN <= latitude <= LAT_MAX


@dataclass
class MapPoint:
    id: str
    label: str
    x: float
    y: float
    href: str = ""
    kind: str = "centre"
    highlight: bool = False


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    path: str  # SVG path data


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    label: str


@dataclass
class MapView:
    width: float
    height: float
    outline: tuple[Area, ...]
    regions: tuple[Area, ...]
    departements: tuple[Area, ...]
    points: list[MapPoint]
    circles: list[Circle] = field(default_factory=list)
    source: str = ""


def _path(rings: Sequence[Sequence[Sequence[float]]]) -> str:
    parts = []
    for ring in rings:
        xy = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + " L".join(f"{x},{y}" for x, y in xy) + " Z")
    return " ".join(parts)


@functools.cache
def _geography() -> tuple[tuple[Area, ...], tuple[Area, ...], tuple[Area, ...], str]:
    data = json.loads(resource_path("geo/france.json").read_text(encoding="utf-8"))

    def areas(name: str) -> tuple[Area, ...]:
        return tuple(Area(f["code"], f["name"], _path(f["rings"])) for f in data[name])

    return areas("outline"), areas("regions"), areas("departements"), str(data.get("source", ""))


def distance_circle(longitude: float, latitude: float, km: float, label: str = "") -> Circle:
    """A circle of `km` around a point (radius from the latitude scale; the projection's error across
    a few hundred kilometres is small at this size)."""
    x, y = project(longitude, latitude)
    return Circle(x, y, round(km / KM_PER_DEGREE_LAT * SCALE, 1), label)


def france_map(
    centres: Sequence[Centre],
    highlight: str | None = None,
    extra: Sequence[MapPoint] = (),
    circles: Sequence[Circle] = (),
) -> MapView:
    width, height = project(LON_MAX, LAT_MIN)
    outline, regions, departements, source = _geography()
    points = [
        MapPoint(
            id=c.id,
            label=f"{c.display_name} ({c.city})",
            x=project(c.longitude, c.latitude)[0],
            y=project(c.longitude, c.latitude)[1],
            href=f"/centres/{c.id}",
            highlight=c.id == highlight,
        )
        for c in centres
    ]
    return MapView(width, height, outline, regions, departements, points + list(extra), list(circles), source)
