"""Accounts: users with a role and a centre scope, argon2 password hashes, browser sessions and
bearer tokens for scripts. The web layer (`web/auth.py`) and `oncofed users ...` call these."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from oncofed.domain.actor import Actor, Role
from oncofed.errors import N_, InputError, NotFound
from oncofed.services.accounts import account_audit, guards
from oncofed.store.db import Database
from oncofed.store.models import CentreRow
from oncofed.store.models_patient_space import PatientAccountRow
from oncofed.store.models_trust import ApiTokenRow, SessionRow, UserRow

SESSION_HOURS = 12
TOKEN_PREFIX = "ofd_"
MIN_PASSWORD = 10
# Roles bound to exactly the centres they work for; the others see network aggregates only.
CENTRE_ROLES = frozenset({Role.CLINICIAN, Role.RESEARCH_STAFF, Role.CENTRE_HR})
# Roles that may be bound to centres or not: a quality manager with a centre edits that centre's
# EPiHC self-assessment; without one, they see the network's quality figures only.
OPTIONAL_CENTRE_ROLES = frozenset({Role.QUALITY_MANAGER})
ACCOUNT_ROLES = tuple(r for r in Role if r not in (Role.PUBLIC, Role.SYSTEM))
PURPOSE = {
    Role.CLINICIAN: "care",
    Role.RESEARCH_STAFF: "research",
    Role.TRIAL_MANAGER: "feasibility",
    Role.QUALITY_MANAGER: "quality",
    Role.DPO: "audit",
    Role.FEDERATION_HR: "human resources",
    Role.CENTRE_HR: "human resources",
    Role.ADMIN: "administration",
    Role.PATIENT: "own access",  # a patient reading their own record (RGPD art. 15)
}

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters (RFC 9106 low-memory)
_dummy_hash: dict[str, str] = {}  # one hash to verify against for unknown users (same work as a real login)


def _dummy() -> str:
    if "h" not in _dummy_hash:
        _dummy_hash["h"] = _hasher.hash("not a password: equalises the time of unknown-user logins")
    return _dummy_hash["h"]


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: Role
    centre_ids: tuple[str, ...]
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None
    patient_id: str | None = None  # a patient account's own record (services/accounts/patients.py)
    must_set_password: bool = False  # a one-time password still to replace (patient or staff account)

    def actor(self) -> Actor:
        return Actor(
            user_id=self.username,
            role=self.role,
            centre_ids=frozenset(self.centre_ids),
            purpose=PURPOSE.get(self.role, self.role.value),
            patient_id=self.patient_id if self.role is Role.PATIENT else None,
        )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _user(row: UserRow, s: Session | None = None) -> User:
    """The account of `row`; a patient account carries its record (read in `s`): without its binding
    a patient account is bound to no record at all (`patient_id` "", which matches no patient)."""
    patient_id, must_set = None, bool(row.must_change_password)
    if row.role == Role.PATIENT.value:
        bound = s.get(PatientAccountRow, row.id) if s is not None else None
        patient_id, must_set = (bound.patient_id, bound.must_set_password) if bound else ("", True)
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name or row.username,
        role=Role(row.role),
        centre_ids=tuple(row.centre_ids or ()),
        disabled=row.disabled,
        created_at=row.created_at,
        last_login_at=row.last_login_at,
        patient_id=patient_id,
        must_set_password=must_set,
    )


def canonical_username(raw: str) -> str:
    """The one form of a username used to look an account up AND to count failed logins: Unicode
    NFKC (full-width letters fold to ASCII), surrounding whitespace removed, case-folded. Before,
    the limiter keyed on `lower()` and authentication on `strip()`, so " admin" or "admin\t" logged
    in past a locked "admin"; now every variant is the same account and the same counter."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def parse_role(value: str) -> Role:
    try:
        role = Role(value.strip().lower())
    except ValueError:
        role = None
    if role is None or role not in ACCOUNT_ROLES:
        raise InputError(
            N_("unknown role %(value)s"),
            field="role",
            fix=N_("use one of: %(roles)s"),
            code="account.unknown_role",
            params={"value": repr(value), "roles": [r.value for r in ACCOUNT_ROLES]},
        )
    return role


def _check_scope(s: Session, role: Role, centre_ids: list[str]) -> None:
    if role is Role.PATIENT and len(centre_ids) != 1:
        raise InputError(
            N_("a patient account is bound to one patient record"),
            field="patient",
            fix=N_(
                "create it with --patient PATIENT_ID (`oncofed users add NAME --role patient --patient ID`)"
            ),
            code="account.patient_needed",
        )
    if role in CENTRE_ROLES and not centre_ids:
        raise InputError(
            N_("a %(role)s account needs its centre"),
            field="centre",
            fix=N_("add --centre CENTRE_ID"),
            code="account.centre_needed",
            params={"role": role.value},
        )
    if role not in CENTRE_ROLES | OPTIONAL_CENTRE_ROLES | {Role.PATIENT} and centre_ids:
        raise InputError(
            N_("a %(role)s account sees network aggregates only and takes no centre"),
            field="centre",
            fix=N_("drop --centre"),
            code="account.no_centre",
            params={"role": role.value},
        )
    known = set(s.scalars(select(CentreRow.id).where(CentreRow.id.in_(centre_ids))))
    for cid in centre_ids:
        if cid not in known:
            raise InputError(
                N_("no centre %(centre)s"),
                field="centre",
                fix=N_("list centres with `oncofed centres`"),
                code="account.unknown_centre",
                params={"centre": repr(cid)},
            )


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            N_("password too short (%(length)s characters)"),
            field="password",
            fix=N_("use at least %(minimum)s characters"),
            code="account.password_short",
            params={"length": len(password), "minimum": MIN_PASSWORD},
        )
    return _hasher.hash(password)


def add_user(
    db: Database,
    username: str,
    role: str | Role,
    password: str,
    *,
    centre_ids: list[str] | None = None,
    display_name: str = "",
    actor: Actor,
    exist_ok: bool = False,
    password_hash: str | None = None,
    one_time: bool = False,
) -> User:
    """Create an account (or, with `exist_ok`, return the existing one unchanged). The username is
    stored in its canonical form (`canonical_username`), so two accounts never differ by case.
    `actor` (who creates it) is named in the audit entry written with it (account_audit.py).
    `one_time`: `password` is a one-time password handed over; the account must replace it before
    anything else (web/patient_fence.py sends it to /account/password)."""
    username = canonical_username(username)
    # one printable word: no space, and no control character (a form field can carry a NUL) is stored
    if not 0 < len(username) <= 100 or " " in username or not username.isprintable():
        raise InputError(
            N_("invalid username %(username)s"),
            field="username",
            fix=N_("one word, at most 100 characters"),
            code="account.bad_username",
            params={"username": repr(username)},
        )
    if not display_name.isprintable():
        raise InputError(N_("the name holds a control character"), field="name", code="account.bad_name",
                         fix=N_("type the name on one line, letters and punctuation only"))  # fmt: skip
    role = parse_role(role) if isinstance(role, str) else role
    if role is Role.PATIENT:  # bound to a record, created by its centre: services/accounts/patients.py
        raise InputError(
            N_("a patient account is bound to one patient record"),
            field="patient",
            fix=N_(
                "create it with --patient PATIENT_ID (`oncofed users add NAME --role patient --patient ID`)"
            ),
            code="account.patient_needed",
        )
    centres = list(dict.fromkeys(centre_ids or []))
    with db.session() as s:
        existing = _by_name(s, username)
        if existing is not None:
            if exist_ok:
                return _user(existing)
            raise InputError(
                N_("user %(username)s already exists"),
                field="username",
                fix=N_("choose another name"),
                code="account.exists",
                params={"username": repr(username)},
            )
        _check_scope(s, role, centres)
        row = UserRow(
            id=uuid.uuid4().hex,
            username=username,
            display_name=display_name or username,
            role=role.value,
            centre_ids=centres,
            password_hash=password_hash or hash_password(password),
            disabled=False,
            created_at=_now(),
            must_change_password=one_time,
        )
        s.add(row)
        s.flush()
        account_audit.record(s, actor, "account.create", row)
        return _user(row)


def list_users(db: Database) -> list[User]:
    with db.session() as s:
        return [_user(r, s) for r in s.scalars(select(UserRow).order_by(UserRow.role, UserRow.username))]


def _by_name(s: Session, username: str) -> UserRow | None:
    """The account of `username` in any variant (case, spaces, full-width letters); none for a name no
    account can have (a control character, which PostgreSQL also refuses to compare: NUL)."""
    if not canonical_username(username).isprintable():
        return None
    return s.scalar(select(UserRow).where(func.lower(UserRow.username) == canonical_username(username)))


def existing(s: Session, username: str) -> UserRow:
    """The account of `username` (`_by_name`), or NotFound with the command that lists accounts."""
    row = _by_name(s, username)
    if row is None:
        raise NotFound(
            N_("no user %(username)s"),
            fix=N_("list accounts with `oncofed users list`"),
            code="account.unknown_user",
            params={"username": repr(username)},
        )
    return row


def get_user(db: Database, username: str) -> User:
    with db.session() as s:
        row = existing(s, username)
        return _user(row, s)


def set_disabled(db: Database, username: str, disabled: bool = True, *, actor: Actor) -> User:
    """Disable (or re-enable) an account; disabling ends its sessions and revokes its tokens. Audited
    (`account.disable` / `account.enable`, naming `actor`)."""
    with db.session() as s:
        row = existing(s, username)
        if disabled and not row.disabled:
            guards.may_disable(s, actor, row, canonical_username(actor.user_id))
        row.disabled = disabled
        account_audit.record(s, actor, "account.disable" if disabled else "account.enable", row)
        if disabled:
            s.execute(delete(SessionRow).where(SessionRow.user_id == row.id))
            for tok in s.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == row.id)):
                tok.revoked = True
        return _user(row)


def authenticate(db: Database, username: str, password: str) -> User | None:
    """The user when `password` is right and the account enabled; None otherwise (same work either way)."""
    with db.session() as s:
        row = _by_name(s, username)
        stored = row.password_hash if row is not None else _dummy()
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or row.disabled:
            return None
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        row.last_login_at = _now()
        return _user(row, s)


def start_session(db: Database, user: User) -> tuple[str, str]:
    """A new browser session for `user`: (cookie value, CSRF token). Only a hash of the cookie is kept."""
    raw, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    with db.session() as s:
        s.execute(delete(SessionRow).where(SessionRow.expires_at < now))
        s.add(
            SessionRow(
                token_hash=_sha256(raw),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=SESSION_HOURS),
            )
        )
    return raw, csrf


def session_user(db: Database, raw: str) -> tuple[User, str] | None:
    """(user, CSRF token) of a live session cookie, or None."""
    with db.session() as s:
        found = s.execute(
            select(UserRow, SessionRow.csrf_token)
            .join(SessionRow, SessionRow.user_id == UserRow.id)
            .where(SessionRow.token_hash == _sha256(raw), SessionRow.expires_at > _now())
        ).first()
        if found is None or found[0].disabled:
            return None
        return _user(found[0], s), str(found[1])


def end_session(db: Database, raw: str) -> None:
    with db.session() as s:
        s.execute(delete(SessionRow).where(SessionRow.token_hash == _sha256(raw)))


def issue_token(db: Database, username: str, name: str = "", days: int | None = 90, *, actor: Actor) -> str:
    """A new bearer token for `username`'s scripts, shown once (only its hash is stored); audited."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    with db.session() as s:
        row = existing(s, username)
        if row.disabled:
            raise InputError(
                N_("user %(username)s is disabled"),
                fix=N_("re-enable it with `oncofed users enable`"),
                code="account.disabled",
                params={"username": repr(username)},
            )
        s.add(
            ApiTokenRow(
                token_hash=_sha256(raw),
                user_id=row.id,
                name=name,
                created_at=now,
                expires_at=now + timedelta(days=days) if days else None,
                revoked=False,
            )
        )
        account_audit.record(s, actor, "account.token", row, name=name or "-", days=days or "∞")
    return raw


def token_user(db: Database, raw: str) -> User | None:
    with db.session() as s:
        found = s.execute(
            select(UserRow, ApiTokenRow.expires_at)
            .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
            .where(ApiTokenRow.token_hash == _sha256(raw), ApiTokenRow.revoked.is_(False))
        ).first()
        if found is None or found[0].disabled:
            return None
        if found[1] is not None and found[1] < _now():
            return None
        return _user(found[0], s)


# the demo accounts live in services/accounts/demo.py; the names callers imported from here still resolve
# (PEP 562: the module imported when one is asked for, as demo.py imports this one)
_DEMO = frozenset({"DEMO_PASSWORD", "DEMO_CENTRES", "DEMO_ACCOUNTS", "ensure_demo_accounts"})


def __getattr__(name: str) -> Any:
    if name in _DEMO:
        from oncofed.services.accounts import demo

        return getattr(demo, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
