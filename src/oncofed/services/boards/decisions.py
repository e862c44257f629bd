"""Decisions: the proposal (words and structured setting), the specialties present, and for every
candidate trial "proposed" or "not proposed" with a reason from the list. A proposed trial puts the
patient on the trial's pre-screening list at the patient's centre (the screening workflow of
services/prescreen); not-proposed reasons reach trial managers as screen failures
(`screen_failures.py`). The coordinator signs the record (`signing.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm.exc import StaleDataError

from oncofed.domain import Actor
from oncofed.errors import N_, NN_, InputError, NotFound, OncofedError
from oncofed.services.boards.access import get_case, require_board_staff, trail, utcnow
from oncofed.services.boards.vocabulary import check_code, check_codes, vocabulary
from oncofed.store.db import Database
from oncofed.store.models_boards import CaseRow, TrialDecisionRow
from oncofed.store.models_prescreen import NotificationRow, ScreeningCandidateRow


class DecisionConflict(OncofedError):
    """Someone else changed the case since it was opened (HTTP 409)."""

    status = 409


@dataclass(frozen=True)
class TrialChoice:
    trial_id: str
    proposed: bool
    reason: str = ""
    criterion: str = ""
    note: str = ""


def _check_choices(
    candidates: list[dict[str, Any]], choices: list[TrialChoice], settings: list[str]
) -> dict[str, TrialChoice]:
    card = {c["trial_id"]: c for c in candidates}
    by_trial: dict[str, TrialChoice] = {}
    for ch in choices:
        if ch.trial_id not in card:
            raise InputError(
                N_("trial %(trial)s is not a candidate of this case"),
                field="trials",
                fix=N_("decide on the card's trials: %(trials)s"),
                code="boards.not_a_candidate",
                params={"trial": ch.trial_id, "trials": list(card)},
            )
        if ch.trial_id in by_trial:
            raise InputError(
                N_("trial %(trial)s is decided twice"),
                field="trials",
                fix=N_("give one decision per trial"),
                code="boards.decided_twice",
                params={"trial": ch.trial_id},
            )
        by_trial[ch.trial_id] = ch
        if ch.proposed:
            continue
        field = f"trials.{ch.trial_id}.reason"
        if not ch.reason:
            raise InputError(
                N_("trial %(trial)s is not proposed but no reason is given"),
                field=field,
                fix=N_("choose one of: %(choices)s"),
                code="boards.reason_missing",
                params={"trial": ch.trial_id, "choices": list(vocabulary()["not_proposed_reasons"])},
            )
        check_code("not_proposed_reasons", ch.reason, field)
        needs = vocabulary()["not_proposed_reasons"][ch.reason].get("needs")
        if needs == "criterion" and not ch.criterion.strip():
            raise InputError(
                N_("trial %(trial)s: 'not eligible' needs the criterion"),
                field=f"trials.{ch.trial_id}.criterion",
                fix=N_("name the criterion the patient does not meet"),
                code="boards.criterion_missing",
                params={"trial": ch.trial_id},
            )
        if needs == "note" and not ch.note.strip():
            raise InputError(
                N_("trial %(trial)s: 'other' needs a note"),
                field=f"trials.{ch.trial_id}.note",
                fix=N_("say why in the note"),
                code="boards.note_missing",
                params={"trial": ch.trial_id},
            )
    missing = [t for t in card if t not in by_trial]
    if missing:
        raise InputError(
            NN_("no decision for candidate trial %(trials)s", "no decision for candidate trials %(trials)s"),
            field="trials",
            fix=N_("mark each candidate trial proposed, or not proposed with a reason"),
            code="boards.undecided_trials",
            params={"trials": missing, "num": len(missing)},
        )
    proposed = [t for t, ch in by_trial.items() if ch.proposed]
    if proposed and "trial" not in settings:
        raise InputError(
            NN_(
                "trial %(trials)s proposed but the setting 'trial' is not ticked",
                "trials %(trials)s proposed but the setting 'trial' is not ticked",
            ),
            field="settings",
            fix=N_("tick 'trial' in the setting"),
            code="boards.trial_setting_missing",
            params={"trials": proposed, "num": len(proposed)},
        )
    if "trial" in settings and not proposed:
        raise InputError(
            N_("the setting 'trial' is ticked but no trial is proposed"),
            field="settings",
            fix=N_("propose a candidate trial or untick 'trial'"),
            code="boards.trial_setting_unused",
        )
    for ch in choices:
        for text, name, limit in ((ch.criterion, "criterion", 1000), (ch.note, "note", 2000)):
            if len(text) > limit:
                raise InputError(
                    N_("trial %(trial)s: the %(field)s is longer than %(limit)s characters"),
                    field=f"trials.{ch.trial_id}.{name}",
                    fix=N_("shorten it"),
                    code="boards.trial_text_too_long",
                    params={"trial": ch.trial_id, "field": name, "limit": limit},
                )
    return by_trial


def _site_for(candidate: dict[str, Any], patient_centre: str) -> str:
    """The patient's own centre when the trial recruits there, else the nearest recruiting site."""
    if patient_centre in (candidate.get("network_sites") or []):
        return patient_centre
    return str(candidate.get("site_centre_id") or "")


def record_decision(
    db: Database,
    actor: Actor,
    case_id: int,
    *,
    proposal: str,
    settings: list[str],
    specialties: list[str],
    trials: list[TrialChoice],
    version: int | None = None,
) -> dict[str, Any]:
    """Check everything first, then write the decision in one transaction (nothing half-saved), then
    put the patient on the pre-screening list of each proposed trial. Returns the screening outcome."""
    proposal = (proposal or "").strip()
    if not proposal:
        raise InputError(
            N_("the proposal is empty"),
            field="proposal",
            fix=N_("write the treatment plan in words"),
            code="boards.proposal_empty",
        )
    if len(proposal) > 8000:
        raise InputError(
            N_("the proposal is longer than %(limit)s characters"),
            field="proposal",
            fix=N_("shorten it"),
            code="boards.text_too_long",
            params={"limit": 8000},
        )
    specialties = check_codes("specialties", specialties, "specialties", required=True)
    settings = check_codes("settings", settings, "settings", required=True)
    proposed: list[tuple[str, str]] = []
    try:
        with db.session() as s:
            case, board = get_case(s, actor, case_id, "board.decision")
            require_board_staff(s, actor, board, "board.decision")
            if case.status == "signed":
                raise InputError(
                    N_("the record of case %(case)s is signed"),
                    field="case",
                    fix=N_("put the patient on the agenda again (a new case) to change the decision"),
                    code="boards.record_signed",
                    params={"case": case_id},
                )
            if case.status not in ("frozen", "decided"):
                raise InputError(
                    N_("case %(case)s is %(case_status)s: its card is not frozen yet"),
                    field="case",
                    fix=N_("freeze the meeting's agenda first"),
                    code="boards.card_not_frozen",
                    params={"case": case_id, "case_status": case.status},
                )
            if version is not None and version != case.version:
                raise DecisionConflict(
                    N_("case %(case)s was changed by %(who)s since you opened it")
                    if case.decided_by
                    else N_("case %(case)s was changed since you opened it"),
                    fix=N_("reload the case, check the change, then decide again"),
                    code="boards.decision_changed",
                    params={"case": case_id, "who": case.decided_by},
                )
            choices = _check_choices(list(case.candidates or []), trials, settings)
            cands = {c["trial_id"]: c for c in case.candidates or []}
            s.execute(delete(TrialDecisionRow).where(TrialDecisionRow.case_id == case_id))
            for tid, ch in choices.items():
                site = _site_for(cands[tid], case.patient_centre_id) if ch.proposed else ""
                s.add(
                    TrialDecisionRow(
                        case_id=case_id,
                        trial_id=tid,
                        proposed=ch.proposed,
                        reason="" if ch.proposed else ch.reason,
                        criterion="" if ch.proposed else ch.criterion.strip(),
                        note=ch.note.strip(),
                        site_centre_id=site,
                        screening="pending" if ch.proposed else "",
                    )
                )
                if ch.proposed:
                    proposed.append((tid, site))
            again = case.status == "decided"
            case.proposal, case.settings, case.specialties = proposal, settings, specialties
            case.n_specialties, case.n_proposed = len(specialties), len(proposed)
            case.decided_by, case.decided_at, case.status = actor.user_id, utcnow(), "decided"
            trail(
                s,
                case,
                actor,
                "decision changed" if again else "decided",
                settings=list(settings),
                specialties=len(specialties),
                proposed=[t for t, _ in proposed],
            )
            board_name, patient_id, patient_centre = board.name, case.patient_id, case.patient_centre_id
    except StaleDataError as exc:
        raise DecisionConflict(
            N_("another person saved this case at the same moment"),
            fix=N_("reload the case and decide again"),
            code="boards.decision_race",
        ) from exc
    outcome = {tid: enter_screening(db, actor, case_id, tid) for tid, _ in proposed}
    return {
        "case_id": case_id,
        "status": "decided",
        "board": board_name,
        "patient_id": patient_id,
        "patient_centre_id": patient_centre,
        "screening": outcome,
    }


def resume_screenings(db: Database, actor: Actor, case_id: int) -> dict[str, dict[str, str]]:
    """Finish the pre-screening entries of a decision left `pending` (the process recording it died
    after the decision was committed, or a step failed): `enter_screening` again for each, which
    writes nothing twice. Signing the record does this first. Returns the outcome per trial."""
    with db.session() as s:
        case, _ = get_case(s, actor, case_id, "board.screening")
        if case.status not in ("decided", "signed"):
            return {}
        pending = list(
            s.scalars(
                select(TrialDecisionRow.trial_id)
                .where(
                    TrialDecisionRow.case_id == case_id,
                    TrialDecisionRow.proposed.is_(True),
                    TrialDecisionRow.screening == "pending",
                )
                .order_by(TrialDecisionRow.trial_id)
            )
        )
    return {tid: enter_screening(db, actor, case_id, tid) for tid in pending}


def enter_screening(db: Database, actor: Actor, case_id: int, trial_id: str) -> dict[str, str]:
    """Put the patient of a case on the pre-screening list of a proposed trial (status `flagged`
    with a note naming the board), or tell the centres concerned when the actor cannot:
    the referring centre for a recourse case, the recruiting site for a trial not open at the
    patient's centre (counts only, never the patient's identifiers)."""
    from oncofed.services.prescreen.refresh import refresh_prescreen
    from oncofed.services.prescreen.screening import ScreeningConflict, StatusChange, change_status

    with db.session() as s:
        case, board = get_case(s, actor, case_id, "board.screening")
        row = s.get(TrialDecisionRow, (case_id, trial_id))
        if row is None or not row.proposed:
            raise NotFound(
                N_("trial %(trial)s was not proposed for case %(case)s"),
                fix=N_("record the decision first"),
                code="boards.trial_not_proposed",
                params={"trial": trial_id, "case": case_id},
            )
        site, pcentre, pid = row.site_centre_id, case.patient_centre_id, case.patient_id
        when = case.meeting_day.isoformat() if case.meeting_day else ""
        board_name = board.name
    note = f"Proposed by the tumour board {board_name} on {when} (case {case_id})"
    status, detail, error = "pending", "", ""
    notice: NotificationRow | None = None
    if site == pcentre and actor.may_read_patients_of(pcentre):
        try:
            refresh_prescreen(db, trial_id, pcentre, actor)
            with db.session() as s:
                cand = s.get(ScreeningCandidateRow, (trial_id, pid))
                current, version = (cand.status, cand.version) if cand else ("new", 0)
                ours = cand is not None and current == "flagged" and cand.note == note
            listed = f"flagged on the pre-screening list of {trial_id} at {pcentre}"
            if current == "new":
                change_status(
                    db, actor, trial_id, [StatusChange(pid, version)], "flagged", note=note, centre_id=pcentre
                )
                status, detail = "listed", listed
            elif ours:  # flagged by this step already, which died before it could record so (a crash)
                status, detail = "listed", listed
            else:
                status, detail = "already_listed", f"already on the list as {current!r}"
        except (NotFound, InputError, ScreeningConflict) as exc:
            status, detail = "not_listed", exc.message
            # its class, which the trail says in the reader's language (presenters/board_trail.py)
            error = {NotFound: "not_found", ScreeningConflict: "conflict"}.get(type(exc), "refused")
    else:
        target = pcentre if site == pcentre else site
        if not target:
            status, detail = "no_site", "no recruiting site of the network: see the trial's contacts"
        else:
            msg = (
                f"The tumour board {board_name} proposed trial {trial_id} for one of your patients (case {case_id}): put them on the pre-screening list from the case page"
                if target == pcentre
                else f"The tumour board {board_name} proposed trial {trial_id} for a patient of another centre (case {case_id}); the referring team will contact you"
            )
            notice = NotificationRow(
                centre_id=target,
                trial_id=trial_id,
                kind="board_proposal",
                count=1,
                message=msg,
                created_at=utcnow(),
                read_by=[],
                emailed_to=[],
                extra={"case_id": case_id, "board": board_name, "referring": target == pcentre},
            )
            status = "referring_centre_told" if target == pcentre else "site_told"
            detail = f"notification sent to {target}"
    with db.session() as s:  # the notification goes with the outcome it records: a crash sends it once
        row = s.get(TrialDecisionRow, (case_id, trial_id))
        done = s.get(CaseRow, case_id)
        if row is not None and done is not None:
            if notice is not None:
                s.add(notice)
            row.screening, row.screening_detail = status, detail
            extra = {"error": error} if error else {}
            trail(s, done, actor, "pre-screening", trial_id=trial_id, status=status, note=detail, **extra)
    return {"status": status, "detail": detail}
