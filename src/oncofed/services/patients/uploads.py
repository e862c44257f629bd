"""Patient files imported by a person from the web (`/patients/import`, `POST /api/patients/import`).

The same importer as `oncofed import patients` (services/patients/records.py: FHIR / mCODE Bundles,
MatchMiner records, the flat CSV layout, notes; all or nothing per file unless `partial`), run as the
person who imports: only the centre-scoped roles that may write patient records (clinicians and
research staff), for one of THEIR centres (every record goes to that centre; the repository refuses
any other). A centre outside the caller's scope is refused as unknown and recorded as a security
event; each import is an audit event naming the patient records written. Its report (every
rejection and warning) is stored for the CSV link (services/imports/reports.py)."""

from __future__ import annotations

from pathlib import Path

from oncofed.domain import Actor, Role
from oncofed.errors import N_, InputError
from oncofed.services.imports.reports import PATIENTS, issue_item, keep_report
from oncofed.services.patients.records import ImportReport, import_patients
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database

IMPORTING_ROLES = frozenset({Role.CLINICIAN, Role.RESEARCH_STAFF})


def import_centre(actor: Actor, centre: str) -> str:
    """The centre the caller imports for: the one asked for (within the caller's centres), or the
    caller's only centre."""
    own = sorted(c for c in actor.centre_ids if c != "*")
    if centre:
        if centre in own or actor.all_centres:
            return centre
        raise InputError(
            N_("you may import patients only for your own centres (%(centres)s)"),
            field="centre",
            code="patient_import.centre_scope",
            params={"centres": own},
            fix=N_("choose one of your centres"),
        )
    if len(own) == 1:
        return own[0]
    raise InputError(
        N_("choose the centre these patients belong to"),
        field="centre",
        code="patient_import.centre_needed",
        params={"centres": own},
        fix=N_("choose one of your centres: %(centres)s"),
    )


def import_uploaded(
    db: Database, actor: Actor, paths: list[Path], centre: str = "", partial: bool = False
) -> tuple[ImportReport, str, str]:
    """(report, centre id, token of the stored report or "" when it holds nothing)."""
    try:
        centre_id = import_centre(actor, centre)
    except InputError:
        if centre:
            audit.record_security(
                db.engine, actor, "patient_import", centres=[centre], detail=coded("refused.import_centre")
            )
        raise
    report = import_patients(db, paths, centre=centre_id, actor=actor, partial=partial)
    if audit.audited(actor):
        event = audit.event_for(
            actor,
            "patient.import",
            patients=[(pid, centre_id) for pid in report.patient_ids],
            detail=coded(
                "patient.import", files=report.files, rejected=report.rejected, warnings=report.warnings
            ),
        )
        event.centre_ids = centre_id
        audit.append(db.engine, [event])
    token = ""
    if report.issues:
        token = keep_report(db, actor, PATIENTS, [issue_item(i) for i in report.issues], centre_id=centre_id)
    return report, centre_id, token


__all__ = ["IMPORTING_ROLES", "import_centre", "import_uploaded"]
