"""A match report as plain data: the JSON twin of the match page, and the rows of its CSV exports."""

from __future__ import annotations

from datetime import date
from typing import Any

from oncofed.domain import CriterionVerdict, Fact, Verdict
from oncofed.matching.evaluate import AtomEvidence, checks_of
from oncofed.matching.pipeline import MatchReport, RankedTrial

TRIAL_COLUMNS = [
    "rank",
    "trial_id",
    "title",
    "eligibility",
    "score",
    "relevance",
    "met",
    "not_met",
    "unknown",
    "nearest_site",
    "nearest_city",
    "distance_km",
]
CRITERIA_COLUMNS = [
    "rank",
    "trial_id",
    "section",
    "index",
    "verdict",
    "criterion",
    "evidence",
    "provenance",
    "check",
]
CHECK_COLUMNS = ["check", "weight", "trials", "criteria"]


def _value(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (tuple, set)):
        return list(v)
    return v


def fact_dict(f: Fact) -> dict[str, Any]:
    p = f.provenance
    return {
        "kind": f.kind,
        "code": f.code,
        "value": _value(f.value),
        "unit": f.unit,
        "display": f.display,
        "when": _value(f.when),
        "negated": f.negated,
        "provenance": {
            "source": p.source,
            "record": p.record,
            "span": list(p.span) if p.span else None,
            "note_id": p.note_id,
            "text": p.describe(),
        },
    }


def verdict_dict(cv: CriterionVerdict) -> dict[str, Any]:
    c = cv.criterion
    evidence = []
    for ev in cv.evidence:
        item: dict[str, Any] = {
            "explanation": ev.explanation,
            "fact": fact_dict(ev.fact) if ev.fact else None,
        }
        if isinstance(ev, AtomEvidence):
            a = ev.atom
            item["holds"] = ev.holds
            item["check"] = ev.check or None
            item["atom"] = (
                {
                    "kind": a.kind,
                    "operator": a.operator,
                    "value": _value(a.value),
                    "unit": a.unit,
                    "code": a.code,
                    "text": a.text,
                    "span": list(a.span) if a.span else None,
                    "negated": a.negated,
                }
                if a
                else None
            )
        evidence.append(item)
    return {
        "section": c.section.value,
        "index": c.index,
        "source": "registry" if c.index < 0 else "eligibility text",
        "text": c.text,
        "span": list(c.span) if c.span else None,
        "verdict": cv.verdict.value,
        "checks": checks_of(cv),
        "evidence": evidence,
    }


def ranked_dict(r: RankedTrial) -> dict[str, Any]:
    m, t = r.match, r.trial
    counts = m.counts
    site = m.nearest_site
    return {
        "rank": r.rank,
        "trial_id": t.id,
        "title": t.title,
        "status": t.status.value,
        "phases": [p.value for p in t.phases],
        "conditions": list(t.conditions),
        "fictional": t.fictional,
        "score": round(m.score, 4),
        "relevance": round(m.relevance, 4),
        "eligibility": m.eligibility,
        "counts": {v.value: counts[v] for v in Verdict},
        "nearest_site": (
            {
                "facility": site.facility,
                "city": site.city,
                "centre_id": site.centre_id,
                "status": site.status.value,
                "distance_km": round(m.distance_km, 1) if m.distance_km is not None else None,
            }
            if site
            else None
        ),
        "criteria": [verdict_dict(v) for v in m.verdicts],
    }


def report_to_dict(report: MatchReport) -> dict[str, Any]:
    p = report.patient
    return {
        "patient": {
            "id": p.id,
            "centre_id": p.centre_id,
            "sex": p.sex,
            "age_years": p.age_on(report.day),
            "primary_cancer": p.primary_cancer,
            "stage": p.stage,
            "ecog": p.ecog,
            "home_city": p.home_city,
            "has_home": p.home is not None,
            "facts": len(p.facts),
        },
        "day": report.day.isoformat(),
        "open_trials": report.open_trials,
        "candidates": report.candidates,
        "criteria_parser": report.parser_available,
        "matches": [ranked_dict(r) for r in report.results],
        "checks": [
            {"check": c.check, "weight": round(c.weight, 3), "trials": c.trial_ids, "criteria": c.criteria}
            for c in report.checks
        ],
    }


def trial_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in data["matches"]:
        site = m["nearest_site"] or {}
        rows.append(
            {
                "rank": m["rank"],
                "trial_id": m["trial_id"],
                "title": m["title"],
                "eligibility": m["eligibility"],
                "score": m["score"],
                "relevance": m["relevance"],
                **m["counts"],
                "nearest_site": site.get("facility"),
                "nearest_city": site.get("city"),
                "distance_km": site.get("distance_km"),
            }
        )
    return rows


def criteria_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in data["matches"]:
        for c in m["criteria"]:
            rows.append(
                {
                    "rank": m["rank"],
                    "trial_id": m["trial_id"],
                    "section": c["section"],
                    "index": c["index"],
                    "verdict": c["verdict"],
                    "criterion": c["text"],
                    "evidence": " | ".join(e["explanation"] for e in c["evidence"]),
                    "provenance": " | ".join(
                        e["fact"]["provenance"]["text"] for e in c["evidence"] if e["fact"]
                    ),
                    "check": " | ".join(c["checks"]),
                }
            )
    return rows


def check_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**c, "trials": c["trials"]} for c in data["checks"]]
