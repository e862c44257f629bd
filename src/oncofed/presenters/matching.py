"""A match report as plain data: the JSON twin of the match page, what `oncofed match` prints, and the
rows of its CSV exports. Outcomes are worded in patient terms ("met / not met" for inclusions,
"does not apply ✓ / applies ✗" for exclusions, "not applicable", "unknown — to check"). Given a
language, the words and the engine's evidence sentences are in it (presenters/engine_text.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from oncofed.domain import CriterionOutcome, Fact, Outcome, Section, TrialVerdict
from oncofed.domain.patient import whole_years
from oncofed.matching.evidence import AtomEvidence
from oncofed.matching.pipeline import MatchReport, RankedTrial
from oncofed.matching.rank import for_patient
from oncofed.presenters.engine_text import say
from oncofed.presenters.i18n import translator

TRIAL_COLUMNS = [
    "rank",
    "trial_id",
    "title",
    "verdict",
    "probably_not",
    "cohort",
    "score",
    "relevance",
    "satisfied",
    "violated",
    "unknown",
    "not_applicable",
    "held_back",
    "nearest_site",
    "nearest_city",
    "distance_km",
    "referral_site",  # where the referral form proposes to send the patient (services/network/referral_site.py)
    "referral_why",
    "referral_km",
]
CRITERIA_COLUMNS = [
    "rank",
    "trial_id",
    "section",
    "index",
    "cohort",
    "outcome",
    "label",
    "criterion",
    "evidence",
    "source",
    "check",
]
CHECK_COLUMNS = ["check", "weight", "trials", "criteria"]


def outcome_key(
    section: Section | str, outcome: Outcome | str, investigator: bool = False, held: bool = False
) -> str:
    """The code of an outcome's wording: `label('match_o', code)` (presenters/labels.py); `held`: read
    as violated but held back by the decision policy ("probably not met — check")."""
    o = Outcome(outcome)
    if o is Outcome.UNKNOWN:
        if held:
            return f"{Section(section).value}_held"
        return "investigator" if investigator else "unknown"
    if o is Outcome.NOT_APPLICABLE:
        return "not_applicable"
    return f"{Section(section).value}_{o.value}"


def outcome_label(
    section: Section | str,
    outcome: Outcome | str,
    investigator: bool = False,
    lang: str = "en",
    held: bool = False,
) -> str:
    return translator(lang).label("match_o", outcome_key(section, outcome, investigator, held))


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
        "value": _value(f.value) if f.kind != "note" else None,
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


def _atom_dict(ev: AtomEvidence, lang: str = "en") -> dict[str, Any]:
    a = ev.atom
    return {
        "role": ev.role,
        "explanation": say(lang, ev.explanation),
        "holds": ev.holds,
        "presumed": ev.tri in (1, 3),
        "check": say(lang, ev.check) or None,
        "source": say(lang, ev.source) or None,
        "fact": fact_dict(ev.fact) if ev.fact else None,
        "atom": (
            {
                "kind": a.kind,
                "operator": a.operator,
                "value": _value(a.value),
                "unit": a.unit,
                "code": a.code,
                "text": a.text,
                "negated": a.negated,
            }
            if a
            else None
        ),
    }


def outcome_dict(co: CriterionOutcome, lang: str = "en") -> dict[str, Any]:
    c = co.criterion
    details = [_atom_dict(e, lang) for e in co.evidence if isinstance(e, AtomEvidence)]
    sources = list(dict.fromkeys(d["source"] for d in details if d["source"]))
    return {
        "section": c.section.value,
        "index": c.index,
        "origin": "registry" if c.index < 0 else "eligibility text",
        "text": say(lang, c.text) if c.index < 0 else c.text,  # the registry's fields are worded here
        "span": list(c.span) if c.span else None,
        "cohort": c.cohort,
        "outcome": co.outcome.value,
        "label": outcome_label(c.section, co.outcome, co.investigator, lang, co.held_back),
        "label_key": outcome_key(c.section, co.outcome, co.investigator, co.held_back),
        "investigator": co.investigator,
        # read as violated, held back by the decision policy (matching/trust.py): shown "probably not met"
        "held_back": co.held_back,
        "reading": list(co.reading),
        "evidence": say(lang, co.sentence),
        "sources": sources,
        "checks": [say(lang, c) for c in co.checks] if co.outcome is Outcome.UNKNOWN else [],
        "details": details,
    }


def _order(outcomes: list[CriterionOutcome]) -> list[CriterionOutcome]:
    """Most decisive first: violated, read as violated but held back by the decision policy ("probably
    not met — check": was among the other unknowns), unknown (data to check before investigator-only),
    satisfied, not applicable; the criteria's own order within each group."""
    rank = {Outcome.VIOLATED: 0, Outcome.UNKNOWN: 2, Outcome.SATISFIED: 4, Outcome.NOT_APPLICABLE: 5}

    def key(o: CriterionOutcome) -> int:
        if o.outcome is Outcome.UNKNOWN and o.held_back:
            return 1
        return rank[o.outcome] + (1 if o.investigator else 0)

    return sorted(outcomes, key=key)


def ranked_dict(r: RankedTrial, lang: str = "en") -> dict[str, Any]:
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
        "verdict": m.verdict.value,
        "verdict_label": translator(lang).label(
            "match_verdict", "unlikely" if m.probably_not else m.verdict.value
        ),
        # unknown, with a criterion in force read as not met and held back: "probably not eligible — to check"
        "probably_not": m.probably_not,
        "cohort": m.cohort,
        "reason": m.reason or None,
        "counts": {o.value: counts[o] for o in Outcome},
        # criteria read as not met that the decision policy did not let exclude (shown "probably not met")
        "held_back": sum(1 for o in m.outcomes if o.held_back),
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
        "criteria": [outcome_dict(o, lang) for o in _order(m.outcomes)],
    }


def report_to_dict(report: MatchReport, lang: str = "en") -> dict[str, Any]:
    p = report.patient
    return {
        "patient": {
            "id": p.id,
            "centre_id": p.centre_id,
            "sex": p.sex,
            "age_years": whole_years(p.age_on(report.day)),
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
        "matches": [ranked_dict(r, lang) for r in report.results],
        "checks": [
            {
                "check": say(lang, c.check),
                "weight": round(c.weight, 3),
                "trials": c.trial_ids,
                "criteria": c.criteria,
            }
            for c in for_patient(report.checks, p, report.day)  # most decisive for this patient first
        ],
    }


def trial_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for m in data["matches"]:
        site = m["nearest_site"] or {}
        referral = m.get("referral_site") or {}  # the stored patient's match page and API only
        rows.append(
            {
                "rank": m["rank"],
                "trial_id": m["trial_id"],
                "title": m["title"],
                "verdict": m["verdict"],
                "probably_not": m.get("probably_not", False),
                "cohort": m["cohort"],
                "score": m["score"],
                "relevance": m["relevance"],
                **m["counts"],
                "held_back": m["held_back"],
                "nearest_site": site.get("facility"),
                "nearest_city": site.get("city"),
                "distance_km": site.get("distance_km"),
                "referral_site": referral.get("name"),
                "referral_why": referral.get("reason"),
                "referral_km": referral.get("km"),
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
                    "cohort": c["cohort"],
                    "outcome": c["outcome"],
                    "label": c["label"],
                    "criterion": c["text"],
                    "evidence": c["evidence"],
                    "source": " | ".join(c["sources"]),
                    "check": " | ".join(c["checks"]),
                }
            )
    return rows


def check_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(c) for c in data["checks"]]


__all__ = [
    "CHECK_COLUMNS",
    "CRITERIA_COLUMNS",
    "TRIAL_COLUMNS",
    "TrialVerdict",
    "check_rows",
    "criteria_rows",
    "outcome_dict",
    "report_to_dict",
    "trial_rows",
]
