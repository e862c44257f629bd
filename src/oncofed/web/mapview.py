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
    # where its label goes (set by place_labels): text start/end, anchor, and a leader line when moved away
    text: str = ""
    tx: float = 0.0
    ty: float = 0.0
    anchor: str = "start"
    leader: bool = False


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


LABEL_LIMIT = 40  # more points than this: no labels (a dense map reads by hovering)
FONT = 10.0  # the labels' font size in SVG units (style.css: svg .point text)
CHAR_WIDTH = 0.62 * FONT  # a generous mean glyph width, so an estimated box covers the drawn one
# Label positions tried in turn, relative to the point: (dx, dy of the baseline, anchor). The first four
# sit beside the point; the others are moved up or down and joined to it by a leader line.
SPOTS = [
    (8, 4, "start"),
    (-8, 4, "end"),
    (6, -8, "start"),
    (6, 16, "start"),
    (-6, -8, "end"),
    (-6, 16, "end"),
]
SPOTS += [
    (dx, dy, a)
    for step in (1, 2, 3)
    for dx, a in ((14, "start"), (-14, "end"))
    for dy in (-13 * step, 13 * step + 8)
]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def label_box(x: float, y: float, text: str, anchor: str) -> Box:
    """The box a label's text covers, from its baseline start (or end) point and an estimated width."""
    width = CHAR_WIDTH * len(text)
    x0 = x if anchor == "start" else x - width
    return (x0, y - FONT, x0 + width, y + 0.3 * FONT)


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_labels(points: Sequence[MapPoint], width: float, height: float) -> None:
    """Give each point a label spot that covers no other label nor point and stays on the map: the
    first free spot of SPOTS, tried beside the point first (greedy, points with close neighbours
    first). A small hand-written placement: the map is static SVG rendered on the server (no JS)."""
    dots: list[Box] = [(p.x - 6, p.y - 6, p.x + 6, p.y + 6) for p in points]

    def crowding(p: MapPoint) -> float:
        return min((math.dist((p.x, p.y), (q.x, q.y)) for q in points if q is not p), default=math.inf)

    placed: list[Box] = []
    for p in sorted(points, key=crowding):
        p.text = p.label.split(" (")[0]
        for dx, dy, anchor in SPOTS:
            box = label_box(p.x + dx, p.y + dy, p.text, anchor)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and not any(overlap(box, b) for b in placed + dots):
                break
        else:  # nowhere free (a very dense map): beside the point
            dx, dy, anchor = SPOTS[0]
            box = label_box(p.x + dx, p.y + dy, p.text, anchor)
        p.tx, p.ty, p.anchor, p.leader = round(p.x + dx, 1), round(p.y + dy, 1), anchor, abs(dx) > 8
        placed.append(box)


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
    shown = points + list(extra)
    if len(shown) < LABEL_LIMIT:
        place_labels(shown, width, height)
    return MapView(width, height, outline, regions, departements, shown, list(circles), source)
