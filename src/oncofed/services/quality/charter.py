"""The patient charter (six commitments with evidence per centre) and the EPiHC self-assessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from oncofed.domain import Actor
from oncofed.domain.actor import Role
from oncofed.errors import N_, InputError, NotFound, OncofedError
from oncofed.resources import load_yaml
from oncofed.services.quality.indicators import QualityRun
from oncofed.store.db import Database
from oncofed.store.models import CentreRow
from oncofed.store.models_quality import EpihcAssessmentRow

EDITOR_ROLES = frozenset({Role.QUALITY_MANAGER, Role.ADMIN, Role.SYSTEM})


class Forbidden(OncofedError):
    """The caller may not change this record."""


def charter() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("charter/commitments.yaml")
    return data


def epihc() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("charter/epihc.yaml")
    return data


def _indicator_item(run: QualityRun, indicator_id: str, centre_id: str) -> dict[str, Any] | None:
    try:
        result = run.result(indicator_id)
    except NotFound:
        return None
    fig = next((f for f in result.centres if f.centre_id == centre_id), None)
    published = bool(fig and fig.published)
    return {
        "kind": "indicator",
        "indicator_id": indicator_id,
        "title": result.indicator.title,
        "indicator_kind": result.indicator.kind,
        "value": fig.value if fig and published else None,
        "n": fig.n if fig else 0,
        "band": fig.band if fig else "no_data",
        "assessment": fig.assessment if fig else "",
        "network_value": result.network["value"],
        "href": f"/quality/indicators/{indicator_id}",
    }


def centre_evidence(run: QualityRun, centre_id: str) -> list[dict[str, Any]]:
    """For one centre, each commitment with its network-level and centre-specific evidence."""
    data = charter()
    docs = (data.get("centre_documents") or {}).get(centre_id) or {}
    out = []
    for c in data["commitments"]:
        items: list[dict[str, Any]] = []
        for ind_id in c.get("indicators") or []:
            item = _indicator_item(run, ind_id, centre_id)
            if item:
                items.append(item)
        if c.get("survey_item"):
            s = run.survey_items.get((centre_id, c["survey_item"]))
            items.append(
                {
                    "kind": "survey",
                    "item": c["survey_item"],
                    "n": s["n"] if s else 0,
                    "mean": s["mean"] if s and s["published"] else None,
                    "ci_low": s["ci_low"] if s and s["published"] else None,
                    "ci_high": s["ci_high"] if s and s["published"] else None,
                    "published": bool(s and s["published"]),
                }
            )
        for d in docs.get(c["id"]) or []:
            items.append({"kind": "document", "title": d["title"], "url": d.get("url")})
        counts = {b: sum(1 for i in items if i.get("band") == b) for b in ("within", "above", "below")}
        worse = sum(1 for i in items if i.get("assessment") == "worse")
        better = sum(1 for i in items if i.get("assessment") == "better")
        out.append(
            {
                "id": c["id"],
                "title": c["title"],
                "text": c.get("text", {}),
                "network_evidence": c.get("network_evidence") or [],
                "evidence": items,
                "summary": {"items": len(items), "better": better, "worse": worse, **counts},
            }
        )
    return out


def charter_matrix(run: QualityRun, centre_ids: list[str]) -> list[dict[str, Any]]:
    """Centre x commitment: each cell summarises the evidence (never a rank)."""
    return [{"centre_id": cid, "commitments": centre_evidence(run, cid)} for cid in centre_ids]


@dataclass
class Assessment:
    principle_id: str
    title: dict[str, str]
    score: int | None
    evidence: str
    action_plan: str
    review_date: date | None
    updated_by: str
    updated_at: str


def _check_centre(db: Database, centre_id: str) -> None:
    with db.session() as s:
        if s.get(CentreRow, centre_id) is None:
            raise NotFound(
                N_("no centre %(centre)s"),
                fix=N_("see /api/centres for the list"),
                code="centre.unknown_id",
                params={"centre": repr(centre_id)},
            )


def assessments(db: Database, centre_id: str) -> list[Assessment]:
    _check_centre(db, centre_id)
    with db.session() as s:
        rows = {
            r.principle_id: r
            for r in s.scalars(select(EpihcAssessmentRow).where(EpihcAssessmentRow.centre_id == centre_id))
        }
    out = []
    for p in epihc()["principles"]:
        r = rows.get(p["id"])
        out.append(
            Assessment(
                p["id"],
                p["title"],
                r.score if r else None,
                r.evidence if r else "",
                r.action_plan if r else "",
                r.review_date if r else None,
                r.updated_by if r else "",
                r.updated_at.isoformat(timespec="seconds") if r and r.updated_at else "",
            )
        )
    return out


def may_edit(actor: Actor, centre_id: str) -> bool:
    return actor.role in EDITOR_ROLES and (actor.all_centres or centre_id in actor.centre_ids)


def save_assessment(
    db: Database,
    actor: Actor,
    centre_id: str,
    principle_id: str,
    score: int | str,
    evidence: str = "",
    action_plan: str = "",
    review_date: str | date | None = None,
) -> Assessment:
    """Create or update one principle's self-assessment (quality managers of the centre, admins)."""
    _check_centre(db, centre_id)
    if not may_edit(actor, centre_id):
        raise Forbidden(
            N_("%(role)s %(user)r may not edit the self-assessment of %(centre)s"),
            fix=N_("sign in as a quality manager of this centre"),
            code="charter.edit_role",
            params={"role": actor.role.value, "user": actor.user_id, "centre": centre_id},
        )
    ids = [p["id"] for p in epihc()["principles"]]
    if principle_id not in ids:
        raise InputError(
            N_("unknown principle %(principle)s"),
            field="principle_id",
            fix=N_("use one of %(ids)s"),
            code="charter.unknown_principle",
            params={"principle": repr(principle_id), "ids": ids},
        )
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise InputError(
            N_("score %(score)s is not a number"),
            field="score",
            fix=N_("give 1, 2, 3 or 4"),
            code="charter.score_not_number",
            params={"score": repr(score)},
        ) from None
    if not 1 <= value <= 4:
        raise InputError(
            N_("score %(score)s is out of range"),
            field="score",
            fix=N_("give 1, 2, 3 or 4"),
            code="charter.score_range",
            params={"score": value},
        )
    when: date | None = None
    if isinstance(review_date, date):
        when = review_date
    elif review_date is not None and not isinstance(review_date, str):
        raise InputError(
            N_("review date must be text"),
            field="review_date",
            fix=N_("use YYYY-MM-DD"),
            code="charter.date_not_text",
        )
    elif review_date:
        try:
            when = date.fromisoformat(review_date)
        except ValueError:
            raise InputError(
                N_("review date %(value)s is not a date"),
                field="review_date",
                fix=N_("use YYYY-MM-DD"),
                code="charter.date",
                params={"value": repr(review_date)},
            ) from None
    with db.session() as s:
        row = s.scalars(
            select(EpihcAssessmentRow).where(
                EpihcAssessmentRow.centre_id == centre_id, EpihcAssessmentRow.principle_id == principle_id
            )
        ).first()
        if row is None:
            row = EpihcAssessmentRow(centre_id=centre_id, principle_id=principle_id)
            s.add(row)
        row.score = value
        row.evidence = evidence.strip()[:5000]
        row.action_plan = action_plan.strip()[:5000]
        row.review_date = when
        row.updated_by = actor.user_id
        row.updated_at = func.now()  # type: ignore[assignment]
    return next(a for a in assessments(db, centre_id) if a.principle_id == principle_id)
