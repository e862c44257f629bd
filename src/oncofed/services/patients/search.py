"""Find a patient (MatchMiner's first screen): by id (the store's, or the original id of the source
record), name, cancer type (OncoTree code or name, with its subtypes), stage, gene and variant.

Every read goes through the actor-scoped repository: another centre's patients are never found,
research roles never see objectors, and the patients listed are written to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from oncofed.criteria import oncotree
from oncofed.domain import Actor
from oncofed.domain.patient import whole_years
from oncofed.errors import N_, InputError, NotFound
from oncofed.ingest.patients.common import patient_id as store_patient_id
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, PatientRow
from oncofed.store.repositories import PatientRepository

MAX_SIZE = 500
SEARCH_COLUMNS = ["id", "original_id", "centre_id", "display_name", "sex", "age_years", "primary_cancer",
                  "cancer_name", "stage", "ecog", "biomarkers", "facts"]  # fmt: skip
STAGE_RE = re.compile(r"^(0|I{1,3}|IV)([ABC]\d?)?$")


@dataclass(frozen=True)
class PatientQuery:
    q: str = ""  # id (store or original) or name, words anywhere
    cancer: str = ""  # OncoTree code or name: the code and its subtypes
    stage: str = ""  # group: "IV" finds IV, IVA, IVB
    gene: str = ""  # HGNC symbol or marker (EGFR, HER2, PD-L1)
    variant: str = ""  # L858R, V600E, exon 19 deletion, amplification, positive ...
    centre: str = ""  # one of the caller's centres
    page: int = 1
    size: int = 50

    @property
    def empty(self) -> bool:
        return not any((self.q, self.cancer, self.stage, self.gene, self.variant, self.centre))


class SearchablePatients(PatientRepository):
    """The actor-scoped repository with the statements a search needs."""

    def scoped(self, stmt: Select[Any]) -> Select[Any]:
        return self._scoped(stmt)

    def audit_rows(self, action: str, rows: list[PatientRow]) -> None:
        self._audit(action, rows)


def cancer_codes(text: str) -> list[str]:
    """OncoTree codes for a code or name ("BRCA", "breast", "Invasive Breast Carcinoma")."""
    raw = text.strip()
    code = raw.upper() if oncotree.name(raw.upper()) else oncotree.code_by_name().get(raw.lower())
    if code is None:
        names = [n for n in oncotree.code_by_name() if raw.lower() in n]
        if len(names) == 1:
            code = oncotree.code_by_name()[names[0]]
    if code is None:
        raise InputError(
            N_("'%(text)s' is not an OncoTree code or name"),
            field="cancer",
            fix=N_("for example BRCA, NSCLC, 'Breast', 'Non-Small Cell Lung Cancer'"),
            code="patients.cancer",
            params={"text": text},
        )
    return oncotree.subtree(code)


def stage_values(text: str) -> list[str]:
    group = text.strip().upper().removeprefix("STAGE").strip()
    if not STAGE_RE.match(group):
        raise InputError(
            N_("'%(text)s' is not a stage group"),
            field="stage",
            fix=N_("for example IV, IIIB, II"),
            code="patients.stage",
            params={"text": text},
        )
    if len(group) > 1 and group[-1] in "ABC" or group[-1].isdigit():
        return [group]
    return [group, *(group + s for s in ("A", "B", "C", "A1", "A2", "B1", "B2", "C1", "C2"))]


def _norm_variant(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip().lower().removeprefix("p."))


def biomarker_matches(facts: list[dict[str, Any]], gene: str, variant: str) -> bool:
    """A biomarker fact (not negated) of `gene` whose value, kind or display mentions `variant`."""
    g, v = gene.strip().upper(), _norm_variant(variant)
    for f in facts or []:
        if f.get("kind") != "biomarker" or f.get("negated"):
            continue
        if g and str(f.get("code") or "").upper() != g:
            continue
        if v:
            attrs = f.get("attributes") or {}
            text = " ".join(
                str(x) for x in (f.get("value"), f.get("display"), attrs.get("kind"), attrs.get("hgvs")) if x
            )
            if v not in _norm_variant(text):
                continue
        return True
    return False


def biomarker_summary(facts: list[dict[str, Any]], limit: int = 4) -> list[str]:
    out: list[str] = []
    for f in facts or []:
        if f.get("kind") == "biomarker" and not f.get("negated") and f.get("code"):
            label = f"{f['code']} {f.get('value') or ''}".strip()
            if label not in out:
                out.append(label)
    return out[:limit]


def original_id(row_id: str, centre_id: str) -> str:
    """The id the source record gave (the store prefixes it with the centre: `<centre>-<id>`)."""
    prefix = centre_id + "-"
    return row_id[len(prefix) :] if row_id.startswith(prefix) else row_id


def _id_candidates(text: str, centre_ids: list[str]) -> list[str]:
    return [text, *(store_patient_id(c, text) for c in centre_ids)]


def resolve_patient_id(db: Database, actor: Actor, given: str, session: Session | None = None) -> str:
    """The store id of a patient given by its store id or by the id of its source record (read in
    `session` when the caller holds one)."""
    given = given.strip()
    with db.session_or(session) as s:
        repo = SearchablePatients(s, actor)
        centres = list(s.scalars(select(CentreRow.id)))
        ids = _id_candidates(given, centres)
        found = list(s.scalars(repo.scoped(select(PatientRow.id).where(PatientRow.id.in_(ids)))))
    if given in found or not found:
        return given  # the repository reports "not found" itself (and audits refused reads)
    if len(found) > 1:
        raise InputError(
            N_("'%(text)s' is the original id of patients in several centres: %(centres)s"),
            field="patient_id",
            fix=N_("give the store id (centre-id)"),
            code="patients.ambiguous_id",
            params={"text": given, "centres": sorted(found)},
        )
    return found[0]


def search_patients(db: Database, actor: Actor, query: PatientQuery) -> dict[str, Any]:
    """One page of the patients matching `query`, in the caller's scope; the total too."""
    if not 1 <= query.size <= MAX_SIZE:
        raise InputError(
            N_("page size %(size)s"),
            field="size",
            fix=N_("between 1 and %(limit)s"),
            code="patients.page_size",
            params={"size": query.size, "limit": MAX_SIZE},
        )
    with db.session() as s:
        repo = SearchablePatients(s, actor)
        stmt = repo.scoped(select(PatientRow.id, PatientRow.facts))
        if query.centre:
            if not actor.may_read_patients_of(query.centre):
                raise NotFound(
                    N_("no centre %(centre)s in your scope"),
                    fix=N_("choose one of your centres"),
                    code="patients.centre_out_of_scope",
                    params={"centre": query.centre},
                )
            stmt = stmt.where(PatientRow.centre_id == query.centre)
        if query.q.strip():
            text = query.q.strip()
            centres = list(s.scalars(select(CentreRow.id)))
            like = f"%{text.lower()}%"
            stmt = stmt.where(
                or_(
                    PatientRow.id.in_(_id_candidates(text, centres)),
                    func.lower(PatientRow.id).like(like),
                    func.lower(PatientRow.display_name).like(like),
                )
            )
        if query.cancer.strip():
            stmt = stmt.where(PatientRow.primary_cancer.in_(cancer_codes(query.cancer)))
        if query.stage.strip():
            stmt = stmt.where(PatientRow.stage.in_(stage_values(query.stage)))
        wants_marker = bool(query.gene.strip() or query.variant.strip())
        if wants_marker:
            # a cheap pre-filter in the database on the record's text, then the exact check below
            for word in (query.gene.strip(), _norm_variant(query.variant)):
                if word:
                    stmt = stmt.where(func.lower(cast(PatientRow.facts, String)).like(f"%{word.lower()}%"))
        stmt = stmt.order_by(PatientRow.id)
        start = (query.page - 1) * query.size
        if wants_marker:
            ids = [
                pid for pid, facts in s.execute(stmt) if biomarker_matches(facts, query.gene, query.variant)
            ]
            total = len(ids)
            page_ids = ids[start : start + query.size]
        else:  # counted and paged in the database (thousands of ids per centre never travel)
            ids_only = stmt.with_only_columns(PatientRow.id)
            counted = ids_only.order_by(None).with_only_columns(func.count(), maintain_column_froms=True)
            total = int(s.scalar(counted) or 0)
            page_ids = list(s.scalars(ids_only.limit(query.size).offset(start)))
        rows = list(s.scalars(select(PatientRow).where(PatientRow.id.in_(page_ids)).order_by(PatientRow.id)))
        repo.audit_rows("patient.search", rows)
        out = [_row(r) for r in rows]
    return {"total": total, "page": query.page, "size": query.size, "patients": out}


def _row(r: PatientRow) -> dict[str, Any]:
    age = r.age_years
    if r.birth_date is not None:
        today = date.today()
        age = (
            today.year
            - r.birth_date.year
            - ((today.month, today.day) < (r.birth_date.month, r.birth_date.day))
        )
    return {
        "id": r.id,
        "original_id": original_id(r.id, r.centre_id),
        "centre_id": r.centre_id,
        "display_name": r.display_name,
        "sex": r.sex,
        "age_years": whole_years(age),
        "primary_cancer": r.primary_cancer,
        "cancer_name": oncotree.name(r.primary_cancer) if r.primary_cancer else None,
        "stage": r.stage,
        "ecog": r.ecog,
        "biomarkers": biomarker_summary(r.facts),
        "facts": len(r.facts or []),
    }
