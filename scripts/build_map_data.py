"""Build the small map file the web app draws (src/oncofed/resources/geo/france.json) from the IGN ADMIN EXPRESS
outlines in ../shared/data/geo (france-geojson project, Licence Ouverte / Etalab 2.0).

Run once when the source changes: `.venv/bin/pip install shapely && .venv/bin/python scripts/build_map_data.py`.
Shapely's topology-preserving simplification (tolerance 1.5 to 3 km) keeps neighbouring regions and departements
sharing their borders; coordinates are rounded to 0.01 degree. The app reads only the output file at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "geo"
OUT = ROOT / "src" / "oncofed" / "resources" / "geo" / "france.json"
TOLERANCE = {"outline": 0.015, "regions": 0.02, "departements": 0.03}


def _rings(geometry: dict) -> list[list[list[float]]]:  # type: ignore[type-arg]
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for poly in polys:
        ring = poly[0]  # the outer ring: holes are not drawn at this scale
        if len(ring) >= 4:
            out.append([[round(x, 2), round(y, 2)] for x, y in ring])
    return out


def _features(name: str, path: Path) -> list[dict]:  # type: ignore[type-arg]
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data.get("features", [data])
    out = []
    for f in features:
        geom = shape(f["geometry"]).simplify(TOLERANCE[name], preserve_topology=True)
        props = f.get("properties") or {}
        out.append(
            {"code": props.get("code", ""), "name": props.get("nom", ""), "rings": _rings(mapping(geom))}
        )
    return out


def main() -> int:
    if not SOURCE.is_dir():
        print(f"source not found: {SOURCE} (the ../shared/data/geo folder)", file=sys.stderr)
        return 2
    payload = {
        "source": "IGN ADMIN EXPRESS via france-geojson (github.com/gregoiredavid/france-geojson), "
        "Licence Ouverte / Etalab 2.0; simplified by scripts/build_map_data.py",
        "outline": _features("outline", SOURCE / "france-metropole-simplified.geojson"),
        "regions": _features("regions", SOURCE / "france-regions-simplified.geojson"),
        "departements": _features("departements", SOURCE / "france-departements-simplified.geojson"),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
