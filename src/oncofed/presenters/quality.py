"""Shared helpers for the quality routes: JSON/CSV shapes of indicator results, chart labels."""

from __future__ import annotations

from typing import Any

from oncofed.presenters.i18n import translator
from oncofed.quality.analysis import IndicatorResult
from oncofed.services.network.centres import list_centres
from oncofed.store.db import Database

CENTRE_COLUMNS = [
    "indicator_id",
    "centre_id",
    "centre",
    "n",
    "k",
    "value",
    "ci_low",
    "ci_high",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "band",
    "beyond_998",
    "assessment",
    "published",
    "period_from",
    "period_to",
]
TREND_COLUMNS = ["indicator_id", "period", "centre_id", "n", "value", "published"]


def centre_names(db: Database) -> dict[str, str]:
    return {c.id: c.name for c in list_centres(db)}


def result_json(r: IndicatorResult, names: dict[str, str], lang: str = "en") -> dict[str, Any]:
    ind = r.indicator
    centres = []
    for f in r.centres:
        centres.append(
            {
                "centre_id": f.centre_id,
                "centre": names.get(f.centre_id, f.centre_id),
                "n": f.n,
                "k": f.k if f.published else None,
                "value": f.value if f.published else None,
                "ci_low": f.ci_low if f.published else None,
                "ci_high": f.ci_high if f.published else None,
                "q1": f.q1 if f.published else None,
                "q3": f.q3 if f.published else None,
                **f.limits,
                "band": f.band,
                "beyond_998": f.beyond_998,
                "assessment": f.assessment,
                "published": f.published,
                "excluded": f.excluded,
            }
        )
    return {
        "id": ind.id,
        "title": ind.title,
        "description": ind.description,
        "kind": ind.kind,
        "better": ind.better,
        "unit": ind.unit_label,
        "target": ind.target,
        "target_source": ind.target_source,
        "compared": ind.compared,
        "definition": {
            "unit_of_analysis": ind.unit,
            "population": ind.population,
            "numerator": ind.numerator,
            "value": ind.value,
            "exclusions": [{"id": e.id, "when": e.when, "label": e.label} for e in ind.exclusions],
        },
        "period": {"from": r.period_from, "to": r.period_to, "trend": r.trend_unit},
        "network": r.network,
        "excluded": r.excluded,
        "overdispersion": r.overdispersion,
        "adjustment": r.adjustment,
        "min_published": 30,
        "centres": centres,
        "funnel": r.funnel_curve,
        "trend": [t if t["published"] else {**t, "value": None} for t in r.trend],
    }


def centre_rows(r: IndicatorResult, names: dict[str, str]) -> list[dict[str, Any]]:
    data = result_json(r, names)
    return [
        {"indicator_id": r.indicator.id, "period_from": r.period_from, "period_to": r.period_to, **c}
        for c in data["centres"]
    ]


def chart_labels(r: IndicatorResult, lang: str) -> dict[str, str]:
    keys = ("band_within", "band_above", "band_below", "band_small_sample", "band_not_compared")
    labels = {k: translator(lang).label("q_band", k.removeprefix("band_")) for k in keys}
    labels.update(
        title=r.indicator.t("title", lang),
        x=translator(lang).gettext("Patients in the denominator (volume)"),
        limit95=translator(lang).gettext("95 %% limits"),
        limit998=translator(lang).gettext("99.8 %% limits"),
        network=translator(lang).gettext("network"),
        target=translator(lang).gettext("Target"),  # the reference line's label ("Objectif 95,0 %")
        decimal=translator(lang).number(0.5)[1],  # the reader's decimal sign, for the SVG charts
    )
    return labels
