"""The network map: France's real regions and departements (shipped with the project), centres placed
inside their region, distance circles around a trial's network sites."""

from __future__ import annotations

import re

import httpx

from oncofed.services.network.centres import network_centres
from oncofed.web.mapview import distance_circle, france_map, project
from tests.conftest import SCREENSHOTS, LiveServer


def _inside(x: float, y: float, path: str) -> bool:
    """Even-odd ray casting over every ring of an SVG path made of M/L/Z commands."""
    inside = False
    for ring in path.split("Z"):
        pts = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", ring)]
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=False):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def test_map_has_the_13_regions_and_96_departements_and_each_centre_falls_in_its_region() -> None:
    view = france_map(network_centres())
    assert len(view.regions) == 13 and len(view.departements) == 96
    names = {a.name: a for a in view.regions}
    paris = project(2.35, 48.86)
    lyon = project(4.84, 45.76)
    assert _inside(*paris, names["Île-de-France"].path)
    assert _inside(*lyon, names["Auvergne-Rhône-Alpes"].path)
    assert not _inside(*lyon, names["Île-de-France"].path)
    inside_some = sum(any(_inside(p.x, p.y, a.path) for a in view.regions) for p in view.points)
    assert inside_some == len(view.points)  # every centre of the network is on French land


def test_distance_circle_radius_follows_kilometres() -> None:
    small, large = distance_circle(2.35, 48.86, 50), distance_circle(2.35, 48.86, 200)
    assert abs(large.r - 4 * small.r) < 0.5
    # 100 km north of Paris is about 0.9 degrees of latitude: the circle reaches it
    assert (
        abs(distance_circle(2.35, 48.86, 100).r - (project(2.35, 48.86)[1] - project(2.35, 49.76)[1])) < 1.0
    )


def test_trial_page_draws_distance_circles_around_network_sites(live_server: LiveServer, page) -> None:
    trials = httpx.get(live_server.url("/api/trials"), params={"status": "RECRUITING"}).json()
    trial_id = next(t["id"] for t in trials["results"] if t.get("network_centres"))
    page.goto(live_server.url(f"/trials/{trial_id}"))
    assert page.locator("svg.france .regions path").count() == 13
    assert page.locator("svg.france circle.distance").count() >= 3
    page.screenshot(path=str(SCREENSHOTS / "trial-map.png"), full_page=False)
    page.goto(live_server.url("/?lang=fr"))
    assert page.locator("svg.france .departements path").count() == 96
    page.locator("svg.france").screenshot(path=str(SCREENSHOTS / "network-map.png"))
