"""Negotiation costing: a proposal's annual cost per centre and family (employer contributions at
the chosen rate), two proposals side by side, and saved proposals. Staff are read as one audited
aggregate through `StaffRepository`: centre HR costs its own centre, federation HR the network."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from oncofed.domain import Actor
from oncofed.domain.workforce import CostingResult, Proposal
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.workforce.documents import parse_document, read_document
from oncofed.services.workforce.grids import current_grid, now
from oncofed.services.workforce.staff import staff_columns
from oncofed.store.db import Database
from oncofed.store.models_workforce import PayProposalRow
from oncofed.workforce.costing import cost_proposal
from oncofed.workforce.proposals import parse_proposal


@dataclass(frozen=True)
class Costing:
    result: CostingResult
    grid_name: str
    grid_fictional: bool
    family_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (en, fr)


def proposal_from_file(path: Path) -> Proposal:
    return parse_proposal(read_document(path), str(path))


def proposal_from_text(text: str, source: str = "proposal") -> Proposal:
    return parse_proposal(parse_document(text, source), source)


def cost(
    db: Database,
    actor: Actor,
    proposal: Proposal,
    employer_rate: float | None = None,
    centre_id: str | None = None,
) -> Costing:
    if employer_rate is not None and not 0 <= employer_rate <= 2:
        raise InputError(
            N_("%(rate)s is not a share of gross pay"),
            field="employer_rate",
            fix=N_("give e.g. 0.45 for 45%%"),
            code="costing.rate",
            params={"rate": f"{employer_rate:g}"},
        )
    revision = current_grid(db)
    staff = staff_columns(db, actor, f"costing: {proposal.name}", centre_id)
    if not len(staff):
        raise NotFound(
            N_("no staff records to cost in your scope"),
            fix=N_("import the centres' payroll exports first (`oncofed staff import`)"),
            code="costing.no_staff",
        )
    result = cost_proposal(revision.grid, staff, proposal, employer_rate)
    names = {f.code: (f.name_en, f.name_fr) for f in revision.grid.families}
    return Costing(result, revision.grid.name, revision.grid.fictional, names)


def save_proposal(db: Database, actor: Actor, text: str, source: str = "proposal") -> Proposal:
    """Store a proposal document (checked against the current grid first) under its name."""
    doc = parse_document(text, source)
    proposal = parse_proposal(doc, source)
    from oncofed.workforce.proposals import apply_proposal

    apply_proposal(current_grid(db).grid, proposal)  # refuses changes that do not fit the grid
    with db.session() as s:
        row = s.scalar(select(PayProposalRow).where(PayProposalRow.name == proposal.name))
        if row is None:
            s.add(
                PayProposalRow(
                    name=proposal.name,
                    document=_jsonable(doc),
                    notes=proposal.notes,
                    created_at=now(),
                    created_by=actor.user_id,
                )
            )
        else:
            row.document, row.notes, row.created_at, row.created_by = (
                _jsonable(doc),
                proposal.notes,
                now(),
                actor.user_id,
            )
    return proposal


def _jsonable(doc: Any) -> Any:
    import json

    return json.loads(json.dumps(doc, default=str))


def saved_proposals(db: Database) -> list[tuple[int, Proposal]]:
    with db.session() as s:
        rows = list(s.scalars(select(PayProposalRow).order_by(PayProposalRow.id)))
    return [(r.id, parse_proposal(r.document, f"saved proposal {r.id}")) for r in rows]


def saved_proposal(db: Database, proposal_id: int) -> Proposal:
    with db.session() as s:
        row = s.get(PayProposalRow, proposal_id)
        if row is None:
            raise NotFound(
                N_("no saved proposal %(proposal)s"),
                fix=N_("list them on /federation/costing or with `oncofed grid proposals`"),
                code="costing.unknown_proposal",
                params={"proposal": proposal_id},
            )
        return parse_proposal(row.document, f"saved proposal {row.id}")
