"""Shapes of the research pages shared by the web and the CLI: the inclusion-rate funnel (the
quality engine's, with the OECI line), the co-publication network as SVG, activation bars."""

from __future__ import annotations

import math
from html import escape
from typing import Any

from oncofed.domain import Centre
from oncofed.presenters.i18n import translator
from oncofed.presenters.quality import chart_labels
from oncofed.quality.analysis import IndicatorResult
from oncofed.quality.svg import funnel_svg
from oncofed.research.network import circle_layout

NET_W, NET_H = 760, 620


def inclusion_funnel_svg(result: IndicatorResult, names: dict[str, str], lang: str) -> str:
    labels = chart_labels(result, lang)
    labels["title"] = f"{result.indicator.t('title', lang)} — {result.period_from[:4]}"
    labels["target"] = translator(lang).gettext("OECI reference")
    return funnel_svg(result, names, labels)


def copublication_svg(data: dict[str, Any], centres: list[Centre], lang: str) -> str:
    """Centres on a circle in geographic order; an edge's width grows with the papers the two
    centres share, a node's area with the centre's papers. Every mark has a <title>."""
    points = {c.id: (c.latitude, c.longitude) for c in centres}
    layout = {p.centre_id: p for p in circle_layout(points, NET_W / 2, NET_H / 2, 230)}
    papers = {n["centre_id"]: n["papers"] for n in data["nodes"]}
    names = {n["centre_id"]: n["centre"] for n in data["nodes"]}
    top_edge = max([e["papers"] for e in data["edges"]] + [1])
    top_node = max(list(papers.values()) + [1])
    title = translator(lang).gettext("Co-publication network between centres") + (
        f" — {data['year']}" if data.get("year") else ""
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {NET_W} {NET_H}" width="{NET_W}" height="{NET_H}" '
        f'role="img" aria-labelledby="copub-title" class="chart copublication" data-edges="{len(data["edges"])}">',
        f'<title id="copub-title">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{NET_W}" height="{NET_H}" fill="#fff"/>',
    ]
    for e in reversed(data["edges"]):  # thickest last, on top
        a, b = layout.get(e["a"]), layout.get(e["b"])
        if a is None or b is None:
            continue
        width = 1 + 9 * e["papers"] / top_edge
        text = translator(lang).ngettext(
            "%(a)s – %(b)s: %(num)s paper together",
            "%(a)s – %(b)s: %(num)s papers together",
            e["papers"],
            a=names.get(e["a"], e["a"]),
            b=names.get(e["b"], e["b"]),
        )
        out.append(
            f'<line class="edge" data-a="{escape(e["a"])}" data-b="{escape(e["b"])}" data-papers="{e["papers"]}" '
            f'x1="{a.x:.1f}" y1="{a.y:.1f}" x2="{b.x:.1f}" y2="{b.y:.1f}" stroke="#1d4ed8" '
            f'stroke-opacity="{0.25 + 0.6 * e["papers"] / top_edge:.2f}" stroke-width="{width:.1f}">'
            f"<title>{escape(text)}</title></line>"
        )
    for cid, p in layout.items():
        n = papers.get(cid, 0)
        r = 5 + 15 * math.sqrt(n / top_node)
        label = names.get(cid, cid)
        anchor = "start" if math.cos(p.angle) > 0.2 else ("end" if math.cos(p.angle) < -0.2 else "middle")
        lx = p.x + (r + 6) * math.cos(p.angle)
        ly = p.y - (r + 6) * math.sin(p.angle) + 4
        node_title = translator(lang).ngettext(
            "%(centre)s: %(num)s paper", "%(centre)s: %(num)s papers", n, centre=label
        )
        out.append(
            f'<g class="node" data-centre="{escape(cid)}" data-papers="{n}">'
            f'<circle cx="{p.x:.1f}" cy="{p.y:.1f}" r="{r:.1f}" fill="#0f766e" stroke="#fff">'
            f"<title>{escape(node_title)}</title></circle>"
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="12">{escape(label)}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)


def activation_svg(steps: list[dict[str, Any]], lang: str, slowest: str | None) -> str:
    """Median days of each step (bar) with its interquartile range (whisker)."""
    rows = [s for s in steps if s["median"] is not None]
    w, row_h, left = 760, 34, 330
    h = 30 + row_h * max(len(rows), 1)
    top = max([float(s["q3"] or s["median"]) for s in rows] + [1.0])
    scale = (w - left - 40) / top
    chart_title = translator(lang).gettext("Median days per activation step, with quartiles")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'class="chart activation"><title>{escape(chart_title)}</title>'
    ]
    for i, s in enumerate(rows):
        y = 15 + i * row_h
        colour = "#c2410c" if s["step"] == slowest else "#1d4ed8"
        name = translator(lang).label("r_step", s["step"])
        out.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="12">{escape(name)}</text>'
        )
        out.append(
            f'<rect class="step" data-step="{s["step"]}" x="{left}" y="{y + 4}" width="{max(s["median"] * scale, 1):.1f}" '
            f'height="18" fill="{colour}"><title>{escape(name)}: {s["median"]:.0f} d (n={s["sites"]})</title></rect>'
        )
        if s["q1"] is not None and s["q3"] is not None:
            out.append(
                f'<line x1="{left + s["q1"] * scale:.1f}" x2="{left + s["q3"] * scale:.1f}" y1="{y + 13}" y2="{y + 13}" stroke="#111827"/>'
            )
        out.append(
            f'<text x="{left + s["median"] * scale + 6:.1f}" y="{y + 17}" font-size="11">{s["median"]:.0f} d · n={s["sites"]}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
