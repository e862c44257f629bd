"""The French UI walk's leftovers: the demo's tumour boards named as a French network names them ('RCP sein ·
Curie', were 'RCP breast · curie'), and the network map's labels placed so that none covers another (Curie and
Gustave Roussy, 6 km apart in Paris, were drawn over each other)."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from oncofed.services.network.centres import network_centres
from oncofed.store.db import Database
from oncofed.store.models_boards import BoardRow
from oncofed.synthetic.board_network import board_name
from oncofed.web.mapview import MapPoint, france_map, label_box, overlap, place_labels


def test_a_board_is_named_the_french_way() -> None:
    assert board_name("breast", "Curie") == "RCP sein · Curie"
    assert board_name("thoracic", "Gustave Roussy") == "RCP thoracique · Gustave Roussy"
    assert board_name("molecular", "Gustave Roussy") == "RCP moléculaire · Gustave Roussy"
    assert board_name("head_neck", "ICM") == "RCP head neck · ICM"  # a site without a French name: its key


def test_the_demo_boards_have_french_names_with_the_centres_short_name(demo_db: Database) -> None:
    with demo_db.session() as s:
        names = list(s.scalars(select(BoardRow.name)))
    assert "RCP sein · Curie" in names and "RCP sarcomes (recours) · Léon Bérard" in names
    english = ("breast", "thoracic", "gynaecological", "urological", "haematological", "general", "sarcoma")
    assert not [n for n in names if not n.startswith("RCP ") or any(f"RCP {w}" in n for w in english)]
    assert len(set(names)) == len(names)


def _boxes(points: list[MapPoint]) -> list[tuple[str, tuple[float, float, float, float]]]:
    return [(p.id, label_box(p.tx, p.ty, p.text, p.anchor)) for p in points]


def test_no_label_of_the_network_map_covers_another_label_or_point() -> None:
    view = france_map(network_centres())
    boxes = _boxes(view.points)
    assert len(boxes) == 19 and all(p.text for p in view.points)
    clashes = [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if overlap(ba, bb)]
    assert clashes == []
    covered = [
        (i, p.id)
        for i, box in boxes
        for p in view.points
        if p.id != i and overlap(box, (p.x - 5, p.y - 5, p.x + 5, p.y + 5))
    ]
    assert covered == []
    assert all(b[0] >= 0 and b[2] <= view.width for _, b in boxes)
    by_id = {p.id: p for p in view.points}
    assert {by_id["curie"].anchor, by_id["gustave-roussy"].anchor} == {"start", "end"}  # one each side


def test_a_cluster_of_points_gets_its_labels_apart_with_leader_lines() -> None:
    points = [
        MapPoint(id=f"p{i}", label=f"Centre number {i} (Paris)", x=200 + i * 0.5, y=100 + i) for i in range(6)
    ]
    place_labels(points, 420, 400)
    boxes = _boxes(points)
    assert not [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if overlap(ba, bb)]
    assert sum(p.leader for p in points) >= 2  # moved away from the cluster, joined to their point
    assert {p.text for p in points} == {f"Centre number {i}" for i in range(6)}
