"""JSON, CSV and SVG shapes of the carbon area (footprints, comparison, trends, BEGES export,
patient travel), shared by the web pages, the JSON API and `oncofed carbon ...`."""

from __future__ import annotations

from collections.abc import Mapping
from statistics import median
from typing import Any

from markupsafe import Markup, escape

from oncofed.carbon.footprint import CentreYear
from oncofed.resources import load_yaml

FOOTPRINT_COLUMNS = [
    "centre_id",
    "centre",
    "year",
    "total_t",
    "uncertainty_t",
    "scope1_t",
    "scope2_t",
    "scope3_t",
    "stays",
    "beds",
    "kg_per_stay",
    "t_per_bed",
    "complete",
    "problems",
]
BEGES_COLUMNS = [
    "centre_id",
    "centre",
    "year",
    "beges_category",
    "beges_category_name",
    "post",
    "post_name",
    "scope",
    "tco2e",
    "uncertainty_tco2e",
    "factor_table",
]
LINE_COLUMNS = [
    "centre_id",
    "year",
    "category",
    "item",
    "quantity",
    "unit",
    "quantity_in_factor_unit",
    "factor_unit",
    "kgco2e_per_unit",
    "tco2e",
    "scope",
    "beges_post",
    "factor_source",
]
TRAVEL_COLUMNS = [
    "centre_id",
    "centre",
    "patients",
    "km_home_median",
    "km_home_mean",
    "pairs",
    "km_first_site",
    "km_nearest_site",
    "km_saved",
    "pairs_closer",
    "kgco2e_saved_per_visit",
    "suppressed",
]


def _t(kg: float | None) -> float | None:
    return None if kg is None else round(kg / 1000.0, 2)


def centre_year_json(cy: CentreYear, names: Mapping[str, str]) -> dict[str, Any]:
    scope = cy.by("scope")
    return {
        "centre_id": cy.centre_id,
        "centre": names.get(cy.centre_id, cy.centre_id),
        "year": cy.year,
        "total_t": _t(cy.total_kg),
        "uncertainty_t": _t(cy.uncertainty_kg),
        "scope1_t": _t(scope.get("1", 0.0)),
        "scope2_t": _t(scope.get("2", 0.0)),
        "scope3_t": _t(scope.get("3", 0.0)),
        "by_post_t": {k: _t(v) for k, v in cy.by("post").items()},
        "by_category_t": {k: _t(v) for k, v in cy.by("category").items()},
        "stays": cy.stays,
        "beds": cy.beds,
        "kg_per_stay": round(cy.kg_per_stay, 1) if cy.kg_per_stay is not None else None,
        "t_per_bed": round(cy.t_per_bed, 2) if cy.t_per_bed is not None else None,
        "complete": cy.complete,
        "problems": cy.problems,
    }


def lines_json(cy: CentreYear) -> list[dict[str, Any]]:
    return [
        {
            "centre_id": cy.centre_id,
            "year": cy.year,
            "category": ln.activity.category,
            "item": ln.activity.item,
            "quantity": ln.activity.quantity,
            "unit": ln.activity.unit,
            "quantity_in_factor_unit": round(ln.quantity_in_factor_unit, 4),
            "factor_unit": ln.factor.unit,
            "kgco2e_per_unit": ln.factor.kgco2e_per_unit,
            "tco2e": _t(ln.kgco2e),
            "scope": ln.factor.scope,
            "beges_post": ln.factor.beges_post,
            "factor_source": ln.factor.source,
        }
        for ln in cy.lines
    ]


def comparison_json(rows: list[CentreYear], names: Mapping[str, str]) -> dict[str, Any]:
    """Centres of one year side by side; the network median per bed and per stay as the reference
    (no ranking: the table is in the centres' alphabetical order)."""
    out = sorted((centre_year_json(cy, names) for cy in rows), key=lambda r: r["centre"])
    per_bed = [r["t_per_bed"] for r in out if r["t_per_bed"] is not None]
    per_stay = [r["kg_per_stay"] for r in out if r["kg_per_stay"] is not None]
    total = sum(cy.total_kg for cy in rows)
    return {
        "centres": out,
        "network": {
            "total_t": _t(total),
            "centres": len(out),
            "incomplete": sum(not r["complete"] for r in out),
            "median_t_per_bed": round(median(per_bed), 2) if per_bed else None,
            "median_kg_per_stay": round(median(per_stay), 1) if per_stay else None,
            "scope1_t": _t(sum(cy.by("scope").get("1", 0.0) for cy in rows)),
            "scope2_t": _t(sum(cy.by("scope").get("2", 0.0) for cy in rows)),
            "scope3_t": _t(sum(cy.by("scope").get("3", 0.0) for cy in rows)),
        },
    }


def beges_rows(cy: CentreYear, names: Mapping[str, str], factor_table: str) -> list[dict[str, Any]]:
    """One row per BEGES post (every post of the method, zero when nothing was reported for it)."""
    ref = load_yaml("carbon/beges_posts.yaml")
    totals, unc = cy.by("post"), cy.uncertainty_by_post()
    rows = []
    for post, name in ref["posts"].items():
        cat = post.split(".")[0]
        rows.append(
            {
                "centre_id": cy.centre_id,
                "centre": names.get(cy.centre_id, cy.centre_id),
                "year": cy.year,
                "beges_category": cat,
                "beges_category_name": ref["categories"][cat]["fr"],
                "post": post,
                "post_name": name["fr"],
                "scope": 1 if cat == "1" else 2 if cat == "2" else 3,
                "tco2e": _t(totals.get(post, 0.0)),
                "uncertainty_tco2e": _t(unc.get(post, 0.0)),
                "factor_table": factor_table,
            }
        )
    return rows


def post_names(lang: str) -> dict[str, str]:
    ref = load_yaml("carbon/beges_posts.yaml")
    return {k: v["fr" if lang == "fr" else "en"] for k, v in ref["posts"].items()}


SCOPE_COLOURS = ("#b04a2f", "#d9a441", "#4f7d9b")


def scope_bars_svg(rows: list[dict[str, Any]], key: str = "t_per_bed", title: str = "") -> Markup:
    """Horizontal bars of `key` per centre, split by scope in proportion (server-side SVG, no script)."""
    data = [r for r in rows if r.get(key) is not None]
    if not data:
        return Markup("")
    width, bar_h, left, gap = 640, 16, 200, 6
    top = max(r[key] for r in data) or 1.0
    height = len(data) * (bar_h + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="scope-bars" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{escape(title)}</title>'
    ]
    for i, r in enumerate(data):
        y = 10 + i * (bar_h + gap)
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h - 4}" text-anchor="end" font-size="12">{escape(r["centre"])}</text>'
        )
        total = (r["scope1_t"] or 0) + (r["scope2_t"] or 0) + (r["scope3_t"] or 0)
        x = float(left)
        span = (width - left - 70) * r[key] / top
        for s, colour in zip(("scope1_t", "scope2_t", "scope3_t"), SCOPE_COLOURS, strict=True):
            w = span * ((r[s] or 0) / total) if total else 0
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"><title>{s[:-2]}</title></rect>'
            )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar_h - 4}" font-size="12">{r[key]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
