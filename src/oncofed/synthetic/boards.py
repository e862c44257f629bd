"""Demo tumour boards: boards per centre and site with fictional members, a year of meetings,
cases, decisions and signed records consistent with the demo's care-pathway events (each case is
discussed on the patient's `mdt_review` day; a patient included in a trial had it proposed), a few
recourse cases to expert boards, and next week's meetings at the demo accounts' centres (the boards,
their members and next week's meetings: `board_network.py`).

The past year's case cards are re-matched in one batch by the vectorised evaluator (the same
outcome rules as the match pipeline, tested equivalent) instead of one pipeline run per case: a
demo build must stay fast; cards made by a live meeting come from the pipeline itself."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select

from oncofed.domain import Actor, PatientProfile, TrialStatus, nearest_recruiting_site
from oncofed.matching.vectorised import PatientBatch, evaluate_trial_over_patients
from oncofed.services.boards.cards import snapshot_of
from oncofed.services.boards.vocabulary import site_for_cancer
from oncofed.services.trials.criteria import trial_criteria
from oncofed.store.db import Database
from oncofed.store.models import CentreRow, PatientRow
from oncofed.store.models_boards import (
    BoardRow,
    CaseEventRow,
    CaseRow,
    MeetingRow,
    TrialDecisionRow,
)
from oncofed.store.models_prescreen import EnrolmentRow
from oncofed.store.models_quality import QualityEventRow
from oncofed.store.repositories import PatientRepository, TrialRepository
from oncofed.synthetic.board_network import (
    ACCOUNT_CENTRES,
    MEMBERS,
    QUESTIONS,
    RECOURSE_BOARDS,
    SITES,
    coordinator,
    create_boards,
    upcoming_meetings,
)

FEW_SPECIALTIES_CENTRE = 4  # planted: this centre's records often list fewer than 3 specialties
# what a board writes is data, in its centre's language: the demo network is the French federation
# (resources/centres.yaml), so its decisions are written in French like its questions (board_network.QUESTIONS)
DEMO_LANGUAGE = "fr"
PROPOSALS = {
    "fr": {
        "surgery": "Chirurgie première, puis nouvelle présentation avec l'anatomopathologie définitive.",
        "radiotherapy": "Radiothérapie selon la discussion, avec suivi en soins de support.",
        "systemic": "Traitement systémique selon les référentiels du réseau, évaluation de la réponse après 3 cycles.",
    },
    "en": {
        "surgery": "Surgery first, then re-discussion with the final pathology report.",
        "radiotherapy": "Radiotherapy as discussed, with supportive care follow-up.",
        "systemic": "Systemic therapy per the network's guidelines, response assessment after 3 cycles.",
    },
}
TRIAL_PROPOSED = {"fr": "Essai proposé\u00a0: %s.", "en": "Trial proposed: %s."}
OTHER_NOTE = {"fr": "Démo\u00a0: voir le dossier du patient.", "en": "Demo: see the patient's file."}


def proposal_text(settings: list[str], proposed: list[str], lang: str = DEMO_LANGUAGE) -> str:
    """A demo decision's proposal in `lang`: one sentence per setting, then the trials proposed."""
    words = [PROPOSALS[lang][x] for x in settings if x in PROPOSALS[lang]]
    if proposed:
        words.append(TRIAL_PROPOSED[lang] % ", ".join(proposed))
    return " ".join(words)


BATCH = 2000


def _pathway_days(s: Any) -> tuple[dict[str, date], dict[str, date], dict[str, str]]:
    mdt: dict[str, date] = {}
    inclusion: dict[str, date] = {}
    modality: dict[str, str] = {}
    rows = s.execute(
        select(
            QualityEventRow.patient_id,
            QualityEventRow.event,
            QualityEventRow.event_date,
            QualityEventRow.detail,
        ).where(QualityEventRow.event.in_(("mdt_review", "trial_inclusion", "first_treatment")))
    )
    for pid, event, day, detail in rows:
        if event == "mdt_review":
            mdt[pid] = min(day, mdt.get(pid, day))
        elif event == "trial_inclusion":
            inclusion[pid] = min(day, inclusion.get(pid, day))
        elif detail:
            modality[pid] = str(detail)
    return mdt, inclusion, modality


def _candidates(db: Database, profiles: list[PatientProfile], on: date) -> list[list[dict[str, Any]]]:
    """Per patient: the trials not excluded (best score first, at most 4) with what to check."""
    trials = [t for t in _recruiting(db)]
    batch = PatientBatch.from_profiles(profiles, day=on)
    per: list[list[tuple[float, dict[str, Any]]]] = [[] for _ in profiles]
    for trial in trials:
        result = evaluate_trial_over_patients(trial_criteria(trial, db), batch)
        if not len(result.criteria):
            continue
        verdict = np.asarray(result.trial_verdict)
        # the share of criteria satisfied orders a patient's candidates (the pipeline's trial_score
        # per patient would cost a Python loop over every patient of every trial)
        met, unknown = result.met.astype(float), result.unknown.astype(float)
        score = met / np.maximum(met + unknown + result.not_met, 1.0)
        keep = np.flatnonzero(verdict != 0)
        labels = [c.text for c in result.criteria]
        sections = [str(getattr(c.section, "value", c.section)) for c in result.criteria]
        evaluable = [bool(getattr(c, "evaluable", True)) for c in result.criteria]
        for j in keep:
            codes = result.verdicts[:, j]
            to_check = [
                {
                    "section": sections[k],
                    "criterion": labels[k],
                    "sentence": "",
                    "checks": [],
                    "investigator": not evaluable[k],
                }
                for k in np.flatnonzero(codes == 1)[:12]
            ]
            prof = profiles[int(j)]
            near = nearest_recruiting_site(trial, prof.home) if prof.home else None
            per[int(j)].append(
                (
                    float(score[j]),
                    {
                        "trial_id": trial.id,
                        "title": trial.title,
                        "phases": list(trial.phases),
                        "verdict": {1: "unknown", 2: "eligible", 3: "not_evaluated"}.get(
                            int(verdict[j]), "unknown"
                        ),
                        "cohort": None,
                        "score": round(float(score[j]), 4),
                        "site_centre_id": near[0].centre_id if near else None,
                        "site": near[0].facility if near else "",
                        "site_city": near[0].city if near else "",
                        "distance_km": round(near[1], 1) if near else None,
                        "network_sites": sorted(
                            {x.centre_id for x in trial.sites if x.centre_id and x.status.is_recruiting}
                        ),
                        "to_check": to_check,
                        "against": [],
                        "new": False,
                    },
                )
            )
    return [[c for _, c in sorted(p, key=lambda x: -x[0])[:4]] for p in per]


def _recruiting(db: Database) -> list[Any]:
    with db.session() as s:
        return TrialRepository(s).list(status=TrialStatus.RECRUITING.value)


def seed_boards_demo(db: Database, seed: int = 42) -> dict[str, int]:
    """Replace the demo's boards with freshly generated ones; returns counts."""
    rng = np.random.default_rng(seed + 19)
    actor = Actor.system("demo build")
    with db.session() as s:
        s.execute(delete(BoardRow))
        centres = sorted(s.scalars(select(CentreRow.id)))
        boards = create_boards(s, centres, rng)
        mdt, inclusion, modality = _pathway_days(s)
        profiles = [p for p in PatientRepository(s, actor).list(limit=None) if p.id in mdt and not p.deceased]
        hashes = dict(s.execute(select(PatientRow.id, PatientRow.record_hash)).all())
    if not profiles:
        return {"boards": len(boards), "cases": 0}
    days = [mdt[p.id] for p in profiles]
    mid = days[len(days) // 2] if days else date.today()
    cards = _candidates(db, profiles, mid)
    centre_index = {c: i for i, c in enumerate(centres)}
    meetings: dict[tuple[int, date], int] = {}
    counts: defaultdict[str, int] = defaultdict(int)
    with db.session() as s:

        def meeting_for(board_id: int, day: date) -> tuple[int, date]:
            meetings.setdefault((board_id, day), 0)
            return (board_id, day)

        cases, decisions, events, enrolments = [], [], [], []
        for prof, cands in zip(profiles, cards, strict=True):
            site = site_for_cancer(prof.primary_cancer)
            site = site if site in SITES else "general"
            day = mdt[prof.id]
            plan = [(boards[(prof.centre_id, site)], "new_case", day, prof.centre_id)]
            fusion = any(
                f.kind == "biomarker" and (f.attributes or {}).get("kind") == "fusion" for f in prof.facts
            )
            for rsite, rcentre in RECOURSE_BOARDS.items():
                wants = (rsite == "sarcoma" and site_for_cancer(prof.primary_cancer) == "sarcoma") or (
                    rsite == "molecular" and fusion
                )
                if wants and rcentre != prof.centre_id and (rcentre, rsite) in boards and rng.random() < 0.5:
                    plan.append((boards[(rcentre, rsite)], "recourse", day + timedelta(days=7), rcentre))
            for board_id, kind, on, board_centre in plan:
                ci = centre_index.get(board_centre, 0)
                n_spec = int(
                    rng.choice(
                        [2, 3, 4, 5],
                        p=[0.3, 0.3, 0.3, 0.1] if ci == FEW_SPECIALTIES_CENTRE else [0.04, 0.36, 0.45, 0.15],
                    )
                )
                specs = [MEMBERS[k][0] for k in sorted(rng.choice(6, size=n_spec, replace=False).tolist())]
                settings = [
                    {"surgery": "surgery", "radiotherapy": "radiotherapy"}.get(
                        modality.get(prof.id, ""), "systemic"
                    )
                ]
                chosen: list[tuple[dict[str, Any], bool, str, str]] = []
                included = inclusion.get(prof.id)
                for rank, c in enumerate(cands):
                    if kind == "new_case" and rank == 0 and included is not None:
                        chosen.append((c, True, "", ""))
                        continue
                    if rng.random() < 0.2:
                        chosen.append((c, True, "", ""))
                        continue
                    reason = str(
                        rng.choice(
                            ["not_eligible", "patient_choice", "not_open_reachable", "other"],
                            p=[0.45, 0.2, 0.2, 0.15],
                        )
                    )
                    crit = c["to_check"][0]["criterion"] if reason == "not_eligible" and c["to_check"] else ""
                    if reason == "not_eligible" and not crit:
                        reason = "patient_choice"
                    chosen.append((c, False, reason, crit))
                proposed = [c for c, p, _, _ in chosen if p]
                if proposed:
                    settings.append("trial")
                if rng.random() < 0.3:
                    settings.append("supportive")
                signed = rng.random() < 0.97
                decided_at = datetime.combine(on, time(15, 30))
                case: dict[str, Any] = {
                    "board_id": board_id,
                    "meeting_id": meeting_for(board_id, on),
                    "patient_id": prof.id,
                    "patient_centre_id": prof.centre_id,
                    "kind": kind,
                    "question": QUESTIONS["new_case" if kind == "new_case" else "recourse"],
                    "status": "signed" if signed else "decided",
                    "requested_by": "system",
                    "requested_at": datetime.combine(on - timedelta(days=5), time(10, 0)),
                    "previous_case_id": None,
                    "reopen_reason": "",
                    "snapshot": snapshot_of(prof, "system"),
                    "snapshot_hash": hashes.get(prof.id) or "",
                    "candidates": [c for c, _, _, _ in chosen],
                    "new_trials": [],
                    "frozen_at": datetime.combine(on - timedelta(days=1), time(18, 0)),
                    "proposal": proposal_text(settings, [c["trial_id"] for c in proposed]),
                    "settings": settings,
                    "specialties": specs,
                    "decided_by": coordinator(board_centre, "x")
                    if board_centre in ACCOUNT_CENTRES
                    else "system",
                    "decided_at": decided_at,
                    "signed_by": coordinator(board_centre, "x")
                    if signed and board_centre in ACCOUNT_CENTRES
                    else ("demo-coordinator" if signed else ""),
                    "signed_at": decided_at + timedelta(days=int(rng.integers(1, 4))) if signed else None,
                    "record_sha256": "",
                    "meeting_day": on,
                    "n_specialties": len(specs),
                    "n_candidates": len(chosen),
                    "n_proposed": len(proposed),
                    "version": 1,
                }
                case["record_sha256"] = (
                    hashlib.sha256(
                        json.dumps(
                            [case["proposal"], settings, specs, [c["trial_id"] for c in proposed]]
                        ).encode()
                    ).hexdigest()
                    if signed
                    else ""
                )
                cases.append((case, chosen, included if kind == "new_case" else None))
        keys = list(meetings)
        rows = [
            {
                "board_id": b,
                "scheduled_for": datetime.combine(d, time(14, 0)),
                "status": "closed",
                "frozen_at": datetime.combine(d - timedelta(days=1), time(18, 0)),
                "frozen_by": "system",
                "created_by": "system",
                "created_at": datetime.combine(d - timedelta(days=7), time(9, 0)),
            }
            for b, d in keys
        ]
        for start in range(0, len(rows), BATCH):
            stmt = insert(MeetingRow).returning(MeetingRow.id, sort_by_parameter_order=True)
            got = s.execute(stmt, rows[start : start + BATCH]).all()
            meetings.update({k: r[0] for k, r in zip(keys[start : start + BATCH], got, strict=True)})
        for case, _, _ in cases:
            case["meeting_id"] = meetings[case["meeting_id"]]
        ids = []
        for start in range(0, len(cases), BATCH):
            chunk = cases[start : start + BATCH]
            stmt = insert(CaseRow).returning(CaseRow.id, sort_by_parameter_order=True)
            result = s.execute(stmt, [c for c, _, _ in chunk])
            ids += [r[0] for r in result]
        for case_id, (case, chosen, included) in zip(ids, cases, strict=True):
            pcentre = case["patient_centre_id"]
            for c, is_proposed, reason, crit in chosen:
                site = (
                    (pcentre if pcentre in c["network_sites"] else c["site_centre_id"] or "")
                    if is_proposed
                    else ""
                )
                decisions.append(
                    {
                        "case_id": case_id,
                        "trial_id": c["trial_id"],
                        "proposed": is_proposed,
                        "reason": reason,
                        "criterion": crit,
                        "note": OTHER_NOTE[DEMO_LANGUAGE] if reason == "other" else "",
                        "site_centre_id": site,
                        "screening": "history" if is_proposed else "",
                        "screening_detail": "demo history" if is_proposed else "",
                    }
                )
                if is_proposed and included is not None and site:
                    enrolments.append(
                        {
                            "trial_id": c["trial_id"],
                            "site_key": site,
                            "centre_id": site,
                            "enrolled_on": max(included, case["meeting_day"] + timedelta(days=14)),
                            "patient_id": case["patient_id"],
                            "source": "demo-boards",
                        }
                    )
                    included = None
            for action, at in (
                ("put on agenda", case["requested_at"]),
                ("frozen", case["frozen_at"]),
                ("decided", case["decided_at"]),
            ):
                events.append(
                    {
                        "case_id": case_id,
                        "at": at,
                        "user_id": "system",
                        "action": action,
                        "detail": json.dumps({"demo": True}),
                    }
                )
            if case["signed_at"]:
                events.append(
                    {
                        "case_id": case_id,
                        "at": case["signed_at"],
                        "user_id": case["signed_by"],
                        "action": "signed",
                        "detail": json.dumps(
                            {"by": case["signed_by"], "sha256": case["record_sha256"]}, sort_keys=True
                        ),
                    }
                )
            counts["cases"] += 1
        s.execute(delete(EnrolmentRow).where(EnrolmentRow.source == "demo-boards"))
        for table, rows in (
            (TrialDecisionRow, decisions),
            (CaseEventRow, events),
            (EnrolmentRow, enrolments),
        ):
            for start in range(0, len(rows), BATCH):
                s.execute(insert(table), rows[start : start + BATCH])
        counts["decisions"], counts["enrolments"], counts["meetings"] = (
            len(decisions),
            len(enrolments),
            len(meetings),
        )
    counts["upcoming"] = upcoming_meetings(db, boards, profiles, rng)
    counts["boards"] = len(boards)
    return dict(counts)


def ensure_boards_demo(db: Database, seed: int = 42) -> None:
    """A demo built before the boards existed (reused by `oncofed demo`): add them once."""
    with db.session() as s:
        if s.scalar(select(BoardRow.id).limit(1)) is not None:
            return
    seed_boards_demo(db, seed=seed)
