"""Server-side SVG charts (funnel plot, trend). Hand-written rather than Altair + vl-convert: the
markup is small, deterministic, renders in well under a millisecond without starting a JS engine,
and lets every point carry a <title> and data attributes (accessible, testable in a browser)."""

from __future__ import annotations

from html import escape
from typing import Any

from oncofed.quality.analysis import IndicatorResult

W, H = 720, 420
ML, MR, MT, MB = 64, 24, 24, 52
BAND_COLOURS = {"within": "#6b7280", "above": "#1d4ed8", "below": "#c2410c", "small_sample": "#d1d5db"}


def _fmt(ind_kind: str, v: float | None, decimal: str = ".") -> str:
    """One decimal; `decimal` is the reader's decimal sign (labels["decimal"]: "," in French)."""
    if v is None:
        return "–"
    text = f"{100 * v:.1f}\u202f%" if ind_kind == "proportion" else f"{v:.1f}"
    return text.replace(".", decimal)


def _scale(lo: float, hi: float, a: float, b: float):  # type: ignore[no-untyped-def]
    span = (hi - lo) or 1.0
    return lambda v: a + (v - lo) / span * (b - a)


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    step = (hi - lo) / count if hi > lo else 1.0
    return [lo + i * step for i in range(count + 1)]


def funnel_svg(result: IndicatorResult, names: dict[str, str], labels: dict[str, str]) -> str:
    """Centres by volume (x) and value (y), the network line and 95 % / 99.8 % limits."""
    dec = labels.get("decimal", ".")
    ind = result.indicator
    pts = [f for f in result.centres if f.value is not None and f.n > 0]
    xs_max = max([f.n for f in pts] + [30]) * 1.1
    vals = [f.value for f in pts if f.value is not None]
    curve = result.funnel_curve
    lims = [
        c.get(k) for c in curve if c["n"] >= 10 for k in ("lower_998", "upper_998") if c.get(k) is not None
    ]
    theta = result.network["value"]
    ys = vals + [v for v in lims if v is not None] + ([theta] if theta is not None else [])
    ys += [ind.target] if ind.target is not None else []  # a reference line (e.g. OECI 10%) stays in view
    lo, hi = (min(ys), max(ys)) if ys else (0.0, 1.0)
    pad = (hi - lo) * 0.08 or 0.05
    lo, hi = lo - pad, hi + pad
    if ind.kind == "proportion":
        lo, hi = max(lo, 0.0), min(hi, 1.0)
    sx = _scale(0, xs_max, ML, W - MR)
    sy = _scale(lo, hi, H - MB, MT)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" '
        f'role="img" aria-labelledby="ft-{ind.id}" class="chart funnel" data-indicator="{ind.id}">',
        f'<title id="ft-{ind.id}">{escape(labels.get("title", ind.id))}</title>',
        f'<rect x="{ML}" y="{MT}" width="{W - ML - MR}" height="{H - MT - MB}" fill="#fff" stroke="#d1d5db"/>',
    ]
    for t in _ticks(lo, hi):
        y = sy(t)
        out.append(f'<line x1="{ML}" x2="{W - MR}" y1="{y:.1f}" y2="{y:.1f}" stroke="#f3f4f6"/>')
        out.append(
            f'<text x="{ML - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{_fmt(ind.kind, t, dec)}</text>'
        )
    for t in _ticks(0, xs_max):
        x = sx(t)
        out.append(f'<text x="{x:.1f}" y="{H - MB + 16}" text-anchor="middle" font-size="11">{int(t)}</text>')
    out.append(
        f'<text x="{W - MR}" y="{H - 12}" text-anchor="end" font-size="12">{escape(labels.get("x", "n"))}</text>'
    )
    for key, dash, colour in (("95", "6 4", "#6b7280"), ("998", "2 3", "#111827")):
        for side in ("lower", "upper"):
            line = [(sx(c["n"]), sy(c[f"{side}_{key}"])) for c in curve if f"{side}_{key}" in c]
            line = [(x, min(max(y, MT), H - MB)) for x, y in line]
            if line:
                d = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
                out.append(
                    f'<polyline class="limit limit-{key}" points="{d}" fill="none" stroke="{colour}" stroke-dasharray="{dash}"/>'
                )
    if theta is not None:
        y = sy(theta)
        out.append(
            f'<line class="network" x1="{ML}" x2="{W - MR}" y1="{y:.1f}" y2="{y:.1f}" stroke="#111827"/>'
        )
    if ind.target is not None:  # the indicator's reference value, drawn and labelled
        y = sy(ind.target)
        text = f"{labels.get('target', 'target')} {_fmt(ind.kind, ind.target, dec)}"
        out.append(
            f'<line class="target" x1="{ML}" x2="{W - MR}" y1="{y:.1f}" y2="{y:.1f}" stroke="#15803d" '
            f'stroke-width="1.5" stroke-dasharray="10 4"><title>{escape(text)}</title></line>'
        )
        out.append(
            f'<text class="target-label" x="{W - MR - 4}" y="{y - 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#15803d">{escape(text)}</text>'
        )
    for f in pts:
        assert f.value is not None
        colour = BAND_COLOURS.get(f.band, "#6b7280")
        name = escape(names.get(f.centre_id, f.centre_id))
        out.append(
            f'<circle class="centre band-{f.band}" data-centre="{escape(f.centre_id)}" data-band="{f.band}" '
            f'cx="{sx(f.n):.1f}" cy="{sy(f.value):.1f}" r="5" fill="{colour}" stroke="#fff">'
            f"<title>{name}: {_fmt(ind.kind, f.value, dec)} (n={f.n}, {escape(labels.get('band_' + f.band, f.band))})</title></circle>"
        )
    legend = [("95", labels.get("limit95", "95 %"), "6 4"), ("998", labels.get("limit998", "99.8 %"), "2 3")]
    for i, (_, text, dash) in enumerate(legend):  # legend under the plot, left of the axis title
        x, y = ML + i * 130, H - 14
        out.append(
            f'<line x1="{x}" x2="{x + 28}" y1="{y}" y2="{y}" stroke="#111827" stroke-dasharray="{dash}"/>'
        )
        out.append(f'<text x="{x + 34}" y="{y + 4}" font-size="11">{escape(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def trend_svg(
    result: IndicatorResult, centre_id: str | None, names: dict[str, str], labels: dict[str, str]
) -> str:
    """The network's value by period, and one centre's (published periods only)."""
    dec = labels.get("decimal", ".")
    ind = result.indicator
    periods = sorted({str(t["period"]) for t in result.trend})
    series: dict[str, list[dict[str, Any]]] = {"network": [t for t in result.trend if t["centre_id"] is None]}
    if centre_id:
        series[centre_id] = [t for t in result.trend if t["centre_id"] == centre_id and t["published"]]
    vals = [t["value"] for s in series.values() for t in s if t["value"] is not None]
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    pad = (hi - lo) * 0.1 or 0.05
    lo, hi = lo - pad, hi + pad
    sx = _scale(0, max(len(periods) - 1, 1), ML, W - MR)
    sy = _scale(lo, hi, H - MB, MT)
    pos = {p: i for i, p in enumerate(periods)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
        f'class="chart trend" data-indicator="{ind.id}"><title>{escape(labels.get("title", ind.id))}</title>',
        f'<rect x="{ML}" y="{MT}" width="{W - ML - MR}" height="{H - MT - MB}" fill="#fff" stroke="#d1d5db"/>',
    ]
    for t in _ticks(lo, hi):
        out.append(
            f'<text x="{ML - 6}" y="{sy(t) + 4:.1f}" text-anchor="end" font-size="11">{_fmt(ind.kind, t, dec)}</text>'
        )
    for p, i in pos.items():
        out.append(
            f'<text x="{sx(i):.1f}" y="{H - MB + 16}" text-anchor="middle" font-size="10">{escape(p)}</text>'
        )
    colours = {"network": "#111827", centre_id or "": "#1d4ed8"}
    for key, pts in series.items():
        coords = [(sx(pos[str(t["period"])]), sy(t["value"])) for t in pts if t["value"] is not None]
        if coords:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            out.append(
                f'<polyline class="series" data-series="{escape(key)}" points="{d}" fill="none" stroke="{colours.get(key, "#1d4ed8")}" stroke-width="2"/>'
            )
        label = labels.get("network", "network") if key == "network" else names.get(key, key)
        for pt, (x, y) in zip([p for p in pts if p["value"] is not None], coords, strict=True):
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colours.get(key, "#1d4ed8")}"><title>{escape(label)} {escape(str(pt["period"]))}: {_fmt(ind.kind, pt["value"], dec)} (n={pt["n"]})</title></circle>'
            )
    out.append("</svg>")
    return "\n".join(out)
