"""The co-publication network: which centres publish together, and where to draw them.

Edges count the papers attributed to both centres. Layout: the centres on a circle in their
geographic order around the country's centre (bearing from the centroid of their coordinates), so
neighbours on the map are neighbours on the circle and the drawing is the same on every run.
Hand-written rather than a graph library's layout: a circle of twenty nodes is a few lines of
trigonometry, and force-directed layouts depend on a random start."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations


def copublication_edges(centre_sets: Iterable[Sequence[str]]) -> Counter[tuple[str, str]]:
    """(a, b) with a < b -> number of papers attributed to both."""
    edges: Counter[tuple[str, str]] = Counter()
    for centres in centre_sets:
        for a, b in combinations(sorted(set(centres)), 2):
            edges[(a, b)] += 1
    return edges


@dataclass(frozen=True)
class NodePosition:
    centre_id: str
    x: float
    y: float
    angle: float  # radians, 0 = east, counter-clockwise


def circle_layout(
    points: Mapping[str, tuple[float, float]], cx: float, cy: float, radius: float
) -> list[NodePosition]:
    """`points`: centre id -> (latitude, longitude). Screen coordinates (y grows downwards)."""
    if not points:
        return []
    lat0 = sum(p[0] for p in points.values()) / len(points)
    lon0 = sum(p[1] for p in points.values()) / len(points)
    scale = math.cos(math.radians(lat0))
    bearing = {
        cid: math.atan2(lat - lat0, (lon - lon0) * scale) if (lat, lon) != (lat0, lon0) else 0.0
        for cid, (lat, lon) in points.items()
    }
    order = sorted(points, key=lambda c: (bearing[c], c))
    step = 2 * math.pi / len(order)
    start = bearing[order[0]]
    out = []
    for i, cid in enumerate(order):
        angle = start + i * step
        out.append(NodePosition(cid, cx + radius * math.cos(angle), cy - radius * math.sin(angle), angle))
    return out
