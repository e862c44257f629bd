"""A clinician corrects a fact the import got wrong, or adds one it missed.

The fact is rewritten in the record with provenance "corrected by <user>" (the page shows it like
any other source), the correction is kept with the fact before, the reason, who and when
(`patient_fact_corrections`), the change is written to the hash-chained audit log, and the match
index row of the patient is recomputed at once, so the next match and pre-screening use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from oncofed.criteria import oncotree
from oncofed.domain import Actor, Fact, PatientProfile, Role
from oncofed.domain.patient import Provenance
from oncofed.errors import N_, InputError
from oncofed.store import audit
from oncofed.store.audit_words import coded
from oncofed.store.db import Database
from oncofed.store.mapping import fact_to_json
from oncofed.store.models import PatientRow
from oncofed.store.models_workday import PatientFactCorrectionRow
from oncofed.store.repositories import PatientRepository

CORRECTING_ROLES = frozenset({Role.CLINICIAN, Role.SYSTEM})
# kinds a clinician may write by hand (the evaluator's contract, docs/DEVELOPING.md)
EDITABLE_KINDS = ("primary_cancer", "stage", "disease_status", "metastasis", "biomarker", "ecog", "karnofsky",
                  "treatment", "lab", "comorbidity", "pregnancy", "sex", "prior_lines")  # fmt: skip
CORRECTION_COLUMNS = ["id", "patient_id", "action", "kind", "before", "after", "reason", "user_id", "at"]


@dataclasses.dataclass(frozen=True)
class FactInput:
    kind: str
    code: str = ""
    value: str = ""
    unit: str = ""
    negated: bool = False
    when: str = ""


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _number(text: str, field: str, lo: float, hi: float, integer: bool = False) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InputError(
            N_("'%(text)s' is not a number"),
            field=field,
            fix=N_("a number from %(lo)s to %(hi)s"),
            code="correction.not_a_number",
            params={"text": text, "lo": f"{lo:g}", "hi": f"{hi:g}"},
        ) from None
    if not lo <= value <= hi or (integer and value != int(value)):
        raise InputError(
            N_("'%(text)s' is out of range"),
            field=field,
            fix=N_("a whole number from %(lo)s to %(hi)s")
            if integer
            else N_("a number from %(lo)s to %(hi)s"),
            code="correction.out_of_range",
            params={"text": text, "lo": f"{lo:g}", "hi": f"{hi:g}"},
        )
    return value


def build_fact(data: FactInput, actor: Actor, correction_no: int) -> Fact:
    """A checked Fact from what the clinician typed, with provenance "corrected by <user>"."""
    kind = data.kind.strip()
    if kind not in EDITABLE_KINDS:
        raise InputError(
            N_("'%(kind)s' is not a fact kind you can write"),
            field="kind",
            fix=N_("use one of: %(choices)s"),
            code="correction.kind",
            params={"kind": kind, "choices": list(EDITABLE_KINDS)},
        )
    code: str | None = data.code.strip() or None
    value: Any = data.value.strip() or None
    unit = data.unit.strip() or None
    display = ""
    if kind == "primary_cancer":
        wanted = (code or value or "").strip()
        found = (
            wanted.upper() if oncotree.name(wanted.upper()) else oncotree.code_by_name().get(wanted.lower())
        )
        if not found:
            raise InputError(
                N_("'%(text)s' is not an OncoTree code or name"),
                field="code",
                fix=N_("for example BRCA, LUAD, 'Breast'"),
                code="correction.oncotree",
                params={"text": wanted},
            )
        code, value, display = found, None, oncotree.name(found) or ""
    elif kind == "stage":
        group = (code or value or "").upper().removeprefix("STAGE").strip()
        from oncofed.services.patients.search import STAGE_RE

        if not STAGE_RE.match(group):
            raise InputError(
                N_("'%(text)s' is not a stage group"),
                field="value",
                fix=N_("for example IV, IIIB"),
                code="correction.stage",
                params={"text": group},
            )
        code, value = group, group
    elif kind in ("ecog", "karnofsky"):
        hi = 5 if kind == "ecog" else 100
        value = int(_number(str(value or code or ""), "value", 0, hi, integer=True))
        code = None
    elif kind == "prior_lines":
        value, code = int(_number(str(value or ""), "value", 0, 30, integer=True)), None
    elif kind == "lab":
        if not code:
            raise InputError(
                N_("a lab needs its analyte"),
                field="code",
                fix=N_("for example anc, platelets, creatinine"),
                code="correction.analyte",
            )
        value = _number(str(value or ""), "value", -1e6, 1e9)
    elif kind == "sex":
        value = (value or code or "").upper()
        if value not in ("FEMALE", "MALE"):
            raise InputError(
                N_("'%(text)s' is not a sex"),
                field="value",
                fix=N_("FEMALE or MALE"),
                code="correction.sex",
                params={"text": value},
            )
        code = None
    elif kind in ("biomarker", "metastasis", "comorbidity", "treatment", "disease_status") and not code:
        raise InputError(
            N_("a fact of this kind (%(kind)s) needs a code"),
            field="code",
            fix=N_("for example EGFR (biomarker), liver (metastasis)"),
            code="correction.code",
            params={"kind": kind},
        )
    when = None
    if data.when.strip():
        try:
            when = date.fromisoformat(data.when.strip())
        except ValueError:
            raise InputError(
                N_("'%(text)s' is not a date"),
                field="when",
                fix=N_("write YYYY-MM-DD"),
                code="correction.date",
                params={"text": data.when},
            ) from None
    return Fact(
        kind=kind, code=code, value=value, unit=unit, display=display, when=when, negated=data.negated,
        provenance=Provenance(source=f"corrected by {actor.user_id}", record=f"correction {correction_no}"),
    )  # fmt: skip


class _CorrectedPatients(PatientRepository):
    """The repository's scope rules and refusals; its read of the record is held back and recorded as
    the correction itself (one audit entry per correction: `patient.correct`, naming the change), or as
    the plain read it was when the correction is refused after it."""

    read: list[PatientRow] | None = None

    def _audit(self, action: str, rows: Sequence[PatientRow]) -> None:
        self.read = list(rows)

    def record_plain_read(self) -> None:
        if self.read:
            super()._audit("patient.read", self.read)


@dataclasses.dataclass(frozen=True)
class Correction:
    json: dict[str, Any]  # the stored correction (CORRECTION_COLUMNS)
    profile: PatientProfile  # the record as corrected: re-match it without reading it again


def correct_fact(
    db: Database, actor: Actor, patient_id: str, data: FactInput, reason: str, *, index: int | None = None
) -> dict[str, Any]:
    """Replace fact number `index` (0-based, as listed by the profile) or add a new one (`index` None)."""
    return apply_correction(db, actor, patient_id, data, reason, index=index).json


def apply_correction(
    db: Database, actor: Actor, patient_id: str, data: FactInput, reason: str, *, index: int | None = None
) -> Correction:
    """`correct_fact`, also returning the corrected record. The record is read once, through the
    repository, and that access is the correction's one audit entry (`patient.correct`)."""
    if actor.role not in CORRECTING_ROLES:
        raise InputError(
            N_("your role (%(role)s) cannot correct patient records"),
            field="role",
            fix=N_("ask the patient's clinician to correct it"),
            code="correction.role",
            params={"role": actor.role.value},
        )
    reason = reason.strip()
    if len(reason) < 3:
        raise InputError(
            N_("say why the fact is corrected"),
            field="reason",
            fix=N_("for example 'pathology report of 12 March: HER2 3+'"),
            code="correction.reason",
        )
    with db.session() as s:
        repo = _CorrectedPatients(s, dataclasses.replace(actor, purpose="care"))
        profile = repo.get(patient_id)
        try:
            out = _apply(s, repo, actor, profile, data, reason, index)
        except Exception:
            repo.record_plain_read()  # the record was read, nothing was changed
            raise
    from oncofed.services.matching.match_index import refresh_match_index

    refresh_match_index(db, Actor.system("match index"), centre_ids=[profile.centre_id])
    return Correction(out, profile)


def _apply(
    s: Session,
    repo: PatientRepository,
    actor: Actor,
    profile: PatientProfile,
    data: FactInput,
    reason: str,
    index: int | None,
) -> dict[str, Any]:
    """Write the correction of `profile` (read by `repo` in session `s`) and its audit entry."""
    row = s.get(PatientRow, profile.id)
    assert row is not None
    number = 1 + len(
        list(
            s.scalars(
                select(PatientFactCorrectionRow.id).where(PatientFactCorrectionRow.patient_id == profile.id)
            )
        )
    )
    new = build_fact(data, actor, number)
    before = None
    facts = list(profile.facts)
    if index is None:
        facts.append(new)
    else:
        if not 0 <= index < len(facts):
            raise InputError(
                N_("the record has no fact number %(index)s"),
                field="fact",
                fix=N_("a number from %(lo)s to %(hi)s"),
                code="correction.no_fact",
                params={"index": index, "lo": "0", "hi": str(len(facts) - 1)},
            )
        before = fact_to_json(facts[index])
        if facts[index].kind == "note":
            raise InputError(
                N_("a note is the source text, not a fact"),
                field="fact",
                fix=N_("add a fact instead"),
                code="correction.note",
            )
        facts[index] = new
    profile.facts = facts
    if new.kind == "primary_cancer":
        profile.primary_cancer = new.code
    elif new.kind == "stage":
        profile.stage = new.code
    elif new.kind == "ecog":
        profile.ecog = int(new.value)
    elif new.kind == "sex":
        profile.sex = str(new.value)
    repo.upsert(profile, source=row.source)
    correction = PatientFactCorrectionRow(
        patient_id=profile.id, centre_id=profile.centre_id, action="add" if index is None else "correct",
        before=before, after=fact_to_json(new), reason=reason[:2000], user_id=actor.user_id, at=_utcnow(),
    )  # fmt: skip
    s.add(correction)
    s.flush()
    audit.record_read(
        s,
        audit.event_for(
            actor,
            "patient.correct",
            patients=[(profile.id, profile.centre_id)],
            detail=coded("patient.correct", change=correction.action, kind=new.kind, reason=reason[:200]),
        ),  # fmt: skip
    )
    return _json(correction)


def _json(r: PatientFactCorrectionRow) -> dict[str, Any]:
    return {
        "id": r.id, "patient_id": r.patient_id, "action": r.action, "kind": r.after.get("kind"),
        "before": r.before, "after": r.after, "reason": r.reason, "user_id": r.user_id,
        "at": r.at.isoformat(timespec="seconds"),
    }  # fmt: skip


def corrections_in(session: Session, patient_id: str) -> list[dict[str, Any]]:
    """The corrections of a patient whose record the caller has just read through the repository
    in `session` (that read is the audited access: services/patients/view.py), newest first."""
    rows = session.scalars(
        select(PatientFactCorrectionRow)
        .where(PatientFactCorrectionRow.patient_id == patient_id)
        .order_by(PatientFactCorrectionRow.id.desc())
    )
    return [_json(r) for r in rows]


def corrections_of(db: Database, actor: Actor, patient_id: str) -> list[dict[str, Any]]:
    """The corrections of one patient (the record is read through the repository first: scope, audit)."""
    with db.session() as s:
        profile = PatientRepository(s, actor).get(patient_id)
        return corrections_in(s, profile.id)
