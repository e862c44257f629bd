"""The audit log: every read of patient-level data, append-only and hash-chained.

Reads are recorded by `PatientRepository` (one place) through `record_read`: the event is queued
on the SQLAlchemy session and appended when that session's transaction ends, in its own short
transaction (so a long request never holds the log's lock, and SQLite never sees two writers in
one request). Each row stores `hash = sha256(prev_hash + canonical(row))`; `verify_chain` recomputes
the chain and the head kept in `meta`, so an edited, inserted or deleted row is detected. The table
has no update or delete API here, and database triggers refuse UPDATE and DELETE.

Internal jobs run as the system actor and are not recorded (a demo build would flood the log); a
person at the command line is an operator actor (`cli:<OS user>`) and is recorded like anyone. A
feasibility query is recorded once, as the aggregate question it is. Refused attempts (another
centre's patient, a centre outside the caller's scope) and lockouts are security events
(`security.*`), recorded even though the request fails, for the DPO to list.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, event, insert, select, text
from sqlalchemy.orm import Session

from oncofed.domain.actor import Actor
from oncofed.errors import N_, format_message, part
from oncofed.store import audit_words, locks
from oncofed.store.models_trust import AuditRow

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
HASHED_FIELDS = (
    "seq",
    "at",
    "user_id",
    "role",
    "actor_centres",
    "purpose",
    "action",
    "centre_ids",
    "patient_ids",
    "n_records",
    "detail",
)
_PENDING = "oncofed_audit_pending"
_LOCK = threading.Lock()
AUDIT_LOCK = "audit-chain"  # writers' lock of the chain (store/locks.py)

# What the caller is doing (e.g. "GET /api/patients/x"); set by the web layer per request.
audit_context: contextvars.ContextVar[str] = contextvars.ContextVar("oncofed_audit_context", default="")


@dataclass
class AuditEvent:
    user_id: str
    role: str
    actor_centres: str
    purpose: str
    action: str
    centre_ids: str = ""
    patient_ids: str = ""
    n_records: int = 0
    detail: str = ""
    at: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


SECURITY_PREFIX = "security."  # actions of refused attempts and lockouts (the DPO's security events)


def audited(actor: Actor) -> bool:
    """Whether reads by `actor` are recorded: everyone (people at the command line included) but
    the platform's own internal jobs."""
    return not actor.is_internal_job


def event_for(
    actor: Actor,
    action: str,
    *,
    patients: Sequence[tuple[str, str]] = (),
    detail: str | dict[str, Any] = "",
) -> AuditEvent:
    """An event for `actor` reading `patients` given as (patient_id, centre_id) pairs. `detail`: what
    else the entry says, as `audit_words.coded(code, **params)` (stored language-free, said in the
    reader's language); the request it came from is kept with it."""
    context = audit_context.get()
    stored = (
        audit_words.encode(context, detail)
        if isinstance(detail, dict)
        else " | ".join(x for x in (context, detail) if x)
    )
    return AuditEvent(
        user_id=actor.user_id,
        role=actor.role.value,
        actor_centres=" ".join(sorted(actor.centre_ids)),
        purpose=actor.purpose,
        action=action,
        centre_ids=" ".join(sorted({c for _, c in patients})),
        patient_ids=" ".join(p for p, _ in patients),
        n_records=len(patients),
        detail=stored,
    )


def record_read(session: Session, event_: AuditEvent) -> None:
    """Queue `event_`; it is appended when the session's current transaction ends (committed or
    rolled back: a refused request still leaves its trace)."""
    session.info.setdefault(_PENDING, []).append(event_)


def security_event(
    actor: Actor,
    what: str,
    *,
    patients: Sequence[tuple[str, str]] = (),
    centres: Sequence[str] = (),
    detail: str | dict[str, Any] = "",
) -> AuditEvent:
    """A refused attempt or a lockout (`security.<what>`): who tried what, on which records or
    centres. `n_records` is 0: nothing was returned."""
    ev = event_for(actor, SECURITY_PREFIX + what, patients=patients, detail=detail)
    ev.n_records = 0
    if centres and not patients:
        ev.centre_ids = " ".join(sorted(set(centres)))
    return ev


def record_security(
    on: Session | Engine | Connection,
    actor: Actor,
    what: str,
    *,
    patients: Sequence[tuple[str, str]] = (),
    centres: Sequence[str] = (),
    detail: str | dict[str, Any] = "",
) -> None:
    """Record a security event: queued on a session (written when its transaction ends, even on
    rollback), or appended at once through an engine. Internal jobs are not recorded."""
    if not audited(actor):
        return
    ev = security_event(actor, what, patients=patients, centres=centres, detail=detail)
    if isinstance(on, Session):
        record_read(on, ev)
    else:
        append(on, [ev])


def canonical(values: dict[str, Any]) -> str:
    return json.dumps({k: values[k] for k in HASHED_FIELDS}, sort_keys=True, separators=(",", ":"))


def row_hash(prev_hash: str, values: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(values)).encode("utf-8")).hexdigest()


def _engine_of(bind: Engine | Connection) -> Engine:
    return bind.engine if isinstance(bind, Connection) else bind


def append(bind: Engine | Connection, events: Iterable[AuditEvent]) -> int:
    """Append `events` to the chain in one short transaction holding the log's lock."""
    events = list(events)
    if not events:
        return 0
    engine = _engine_of(bind)
    with _LOCK:
        if engine.dialect.name == "sqlite":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                locks.hold(conn, AUDIT_LOCK)  # BEGIN IMMEDIATE: the chain's head is read, then written
                try:
                    _append_on(conn, events)
                except BaseException:
                    conn.exec_driver_sql("ROLLBACK")
                    raise
                conn.exec_driver_sql("COMMIT")
        else:
            with engine.begin() as conn:
                locks.hold(conn, AUDIT_LOCK)
                _append_on(conn, events)
    return len(events)


def _append_on(conn: Connection, events: list[AuditEvent]) -> None:
    last = conn.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
    rows = []
    for ev in events:
        seq += 1
        values = {**ev.__dict__, "seq": seq}
        h = row_hash(prev, values)
        rows.append({**values, "prev_hash": prev, "hash": h})
        prev = h
    conn.execute(insert(AuditRow), rows)
    head = f"{seq}:{prev}"
    updated = conn.execute(text("UPDATE meta SET value = :v WHERE key = :k"), {"v": head, "k": HEAD_KEY})
    if not updated.rowcount:
        conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v)"), {"k": HEAD_KEY, "v": head})


@event.listens_for(Session, "after_transaction_end")
def _flush_pending(session: Session, transaction: Any) -> None:
    if transaction.parent is not None:
        return
    pending: list[AuditEvent] | None = session.info.pop(_PENDING, None)
    if pending:
        append(session.get_bind(), pending)


@dataclass
class VerifyReport:
    rows: int
    ok: bool
    problems: list[str]  # in English
    # each problem as a piece of a sentence (`errors.part`), said in the reader's language
    said: list[dict[str, Any]] = field(default_factory=list)


CHAIN_PROBLEMS = {
    "missing": N_("row %(seq)s: missing (next row is %(next)s): rows were deleted"),
    "unlinked": N_("row %(seq)s: does not follow the previous row (deleted or inserted row)"),
    "edited": N_("row %(seq)s: content does not match its hash (edited row)"),
    "head": N_("the log ends at row %(last)s but the recorded head is row %(head)s"),
    "no_head": N_("rows exist but no head was recorded"),
}


def verify_chain(bind: Engine | Connection, limit_problems: int = 20) -> VerifyReport:
    """Recompute every row's hash and the links between rows, and compare with the stored head."""
    engine = _engine_of(bind)
    found: list[dict[str, Any]] = []

    def problem(kind: str, **params: Any) -> None:
        found.append(part(CHAIN_PROBLEMS[kind], **params))

    prev, expected_seq, n = GENESIS, 1, 0
    cols = [getattr(AuditRow, c) for c in (*HASHED_FIELDS, "prev_hash", "hash")]
    with engine.connect() as conn:
        for r in conn.execute(select(*cols).order_by(AuditRow.seq)).mappings():
            n += 1
            values = dict(r)
            if values["seq"] != expected_seq:
                problem("missing", seq=expected_seq, next=values["seq"])
            if values["prev_hash"] != prev:
                problem("unlinked", seq=values["seq"])
            if row_hash(values["prev_hash"], values) != values["hash"]:
                problem("edited", seq=values["seq"])
            prev, expected_seq = values["hash"], int(values["seq"]) + 1
        head = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": HEAD_KEY}).scalar()
    if head is not None and head != f"{expected_seq - 1}:{prev}":
        problem("head", last=expected_seq - 1, head=head.split(":")[0])
    if head is None and n:
        problem("no_head")
    shown = found[:limit_problems]
    english = [format_message(p["msgid"], p["params"]) for p in shown]
    return VerifyReport(rows=n, ok=not found, problems=english, said=shown)


AUDIT_COLUMNS = [*HASHED_FIELDS, "hash"]


def search(
    bind: Engine | Connection,
    *,
    user: str | None = None,
    patient: str | None = None,
    centre: str | None = None,
    action: str | None = None,
    security: bool = False,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = 500,
) -> list[dict[str, Any]]:
    """Entries newest first. `patient` and `centre` match one id in the space-separated lists;
    `security` keeps refused attempts and lockouts only; `since`/`until` are ISO dates or timestamps
    (UTC), `until` inclusive of that day. A coded detail comes in English in `detail`, its code and
    parameters in `detail_code` / `detail_params` and its request in `request` (None / {} / "" for a
    detail written as text); `audit verify` reads the stored text."""
    stmt = select(*[getattr(AuditRow, c) for c in AUDIT_COLUMNS]).order_by(AuditRow.seq.desc())
    if user:
        stmt = stmt.where(AuditRow.user_id == user)
    if action:
        stmt = stmt.where(AuditRow.action == action)
    if security:
        stmt = stmt.where(AuditRow.action.startswith(SECURITY_PREFIX, autoescape=True))
    if patient:
        padded = " " + AuditRow.patient_ids + " "
        stmt = stmt.where(padded.contains(f" {patient} ", autoescape=True))
    if centre:
        stmt = stmt.where((" " + AuditRow.centre_ids + " ").contains(f" {centre} ", autoescape=True))
    if since:
        stmt = stmt.where(AuditRow.at >= since)
    if until:
        stmt = stmt.where(AuditRow.at <= (until + "T99" if len(until) == 10 else until))
    if limit is not None:
        stmt = stmt.limit(limit)
    with _engine_of(bind).connect() as conn:
        return [_readable(dict(r)) for r in conn.execute(stmt).mappings()]


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    coded = audit_words.decode(row["detail"] or "")
    row["detail_code"] = coded["code"] if coded else None
    row["detail_params"] = coded["params"] if coded else {}
    row["request"] = (coded.get("request") or "") if coded else ""
    if coded:
        row["detail"] = audit_words.english(row["detail"])
    return row
