"""JSON shapes of the trial registry (search results, one trial), shared by the API, pages and CLI."""

from __future__ import annotations

import math
import re
from typing import Any

from oncofed.domain import Trial
from oncofed.presenters.common import site_json, trial_summary_json
from oncofed.services.trials.search import SearchResult

_HEADING = re.compile(r"^\s*(?:key\s+)?(inclusion|exclusion)\s+criteria\s*:?\s*(.*)$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[*\-•·]|\d{1,2}[.)])\s+")


def split_eligibility(text: str) -> dict[str, list[str]]:
    """Eligibility text as inclusion / exclusion lists (and `other` for text before any heading).

    Deliberately simple: headings "Inclusion Criteria:" / "Exclusion Criteria:" switch the section,
    bullets or blank lines separate criteria, wrapped lines are joined. The criteria parser
    (`oncofed.criteria`) does the real work of understanding each criterion."""
    out: dict[str, list[str]] = {"inclusion": [], "exclusion": [], "other": []}
    section = "other"
    current: list[str] = []

    def close() -> None:
        if current:
            item = " ".join(current).strip()
            if item:
                out[section].append(item)
            current.clear()

    lines = (text or "").splitlines()
    # Without bullets (NLI4CT, some exports) every line is one criterion; with bullets, wrapped lines join.
    has_bullets = any(_BULLET.match(line) for line in lines)
    for raw in lines:
        m = _HEADING.match(raw)
        if m:
            close()
            section = m.group(1).lower()
            rest = m.group(2).strip()
            if rest:
                current.append(rest)
            continue
        if not raw.strip():
            close()
            continue
        if _BULLET.match(raw) or not has_bullets:
            close()
            current.append(_BULLET.sub("", raw).strip())
        else:
            current.append(raw.strip())
    close()
    return out


def hit_json(h: Any) -> dict[str, Any]:
    t: Trial = h.trial
    return {
        **trial_summary_json(t),
        "acronym": t.acronym,
        "min_age_years": t.min_age_years,
        "max_age_years": t.max_age_years,
        "sex": t.sex,
        "source": t.source,
        "score": h.score,
        "distance_km": h.distance_km,
        "nearest_site": h.nearest_site,
        "network_centres": sorted({s.centre_id for s in t.sites if s.centre_id}),
        "site_count": len(t.sites),
    }


def search_json(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": max(1, math.ceil(result.total / result.per_page)),
        "sort": result.sort,
        "origin": None
        if result.origin is None
        else {"latitude": result.origin.latitude, "longitude": result.origin.longitude},
        "results": [hit_json(h) for h in result.hits],
    }


def trial_detail_json(t: Trial) -> dict[str, Any]:
    extra = {k: v for k, v in t.extra.items() if k not in ("import", "nli4ct")}
    return {
        **trial_summary_json(t),
        "source": t.source,
        "official_title": t.official_title,
        "acronym": t.acronym,
        "brief_summary": t.brief_summary,
        "other_ids": list(t.other_ids),
        "study_type": t.study_type,
        "keywords": list(t.keywords),
        "interventions": list(t.interventions),
        "min_age_years": t.min_age_years,
        "max_age_years": t.max_age_years,
        "sex": t.sex,
        "healthy_volunteers": t.healthy_volunteers,
        "enrolment": t.enrolment,
        "start_date": t.start_date.isoformat() if t.start_date else None,
        "completion_date": t.completion_date.isoformat() if t.completion_date else None,
        "last_update": t.last_update.isoformat() if t.last_update else None,
        "collaborators": list(t.collaborators),
        "eligibility_text": t.eligibility_text,
        "eligibility": split_eligibility(t.eligibility_text),
        "sites": [{**site_json(s), "postcode": s.postcode} for s in t.sites],
        "extra": extra,
    }
