"""A schematic SVG map of metropolitan France with points (centres, sites). No tiles, no CDN."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from oncofed.domain import Centre

# Schematic outline of metropolitan France and Corsica as (longitude, latitude) vertices, hand-simplified
# from public coastline/border shapes to ~60 points: enough to place centres, not for navigation.
FRANCE_OUTLINE = [
    (2.54, 51.09),
    (1.58, 50.87),
    (1.62, 50.35),
    (1.45, 50.12),
    (0.2, 49.7),
    (0.07, 49.5),
    (-0.2, 49.3),
    (-1.1, 49.38),
    (-1.26, 49.7),
    (-1.94, 49.72),
    (-1.57, 48.75),
    (-2.0, 48.64),
    (-3.0, 48.8),
    (-4.0, 48.7),
    (-4.77, 48.5),
    (-4.3, 48.1),
    (-4.5, 47.95),
    (-3.5, 47.7),
    (-2.5, 47.3),
    (-2.2, 47.1),
    (-1.9, 46.7),
    (-1.2, 46.2),
    (-1.1, 45.6),
    (-1.25, 44.6),
    (-1.45, 43.5),
    (-1.78, 43.37),
    (-1.0, 43.0),
    (0.0, 42.7),
    (0.7, 42.85),
    (1.7, 42.5),
    (3.17, 42.43),
    (3.05, 43.0),
    (3.3, 43.25),
    (4.0, 43.5),
    (4.8, 43.35),
    (5.4, 43.2),
    (6.2, 43.1),
    (6.9, 43.4),
    (7.5, 43.78),
    (7.65, 44.15),
    (6.9, 44.4),
    (7.0, 45.0),
    (6.8, 45.15),
    (7.1, 45.85),
    (6.8, 46.4),
    (6.1, 46.15),
    (6.1, 46.6),
    (7.0, 47.5),
    (7.6, 47.6),
    (7.55, 48.0),
    (8.2, 48.97),
    (7.5, 49.15),
    (6.7, 49.2),
    (6.4, 49.47),
    (5.8, 49.55),
    (4.85, 50.15),
    (4.2, 49.97),
    (3.7, 50.3),
    (3.1, 50.78),
]
CORSICA_OUTLINE = [(9.4, 43.0), (9.56, 42.15), (9.2, 41.38), (8.6, 41.9), (8.75, 42.6)]

LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -5.3, 9.9, 41.2, 51.3
SCALE = 40.0
COS_LAT = math.cos(math.radians(46.5))


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equirectangular projection centred on France (x east, y south), in SVG units."""
    x = (longitude - LON_MIN) * COS_LAT * SCALE
    y = (LAT_MAX - latitude) * SCALE
    return round(x, 1), round(y, 1)


@dataclass
class MapPoint:
    id: str
    label: str
    x: float
    y: float
    href: str = ""
    kind: str = "centre"
    highlight: bool = False


@dataclass
class MapView:
    width: float
    height: float
    outline: str
    corsica: str
    points: list[MapPoint]


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in (project(lon, lat) for lon, lat in points))


def france_map(
    centres: Sequence[Centre], highlight: str | None = None, extra: Sequence[MapPoint] = ()
) -> MapView:
    width, height = project(LON_MAX, LAT_MIN)
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
    return MapView(width, height, _path(FRANCE_OUTLINE), _path(CORSICA_OUTLINE), points + list(extra))
