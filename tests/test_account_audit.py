"""Account management is audited (docs/SECURITY.md "Account management"): creating a staff account,
changing its role or centres, resetting its password, disabling/enabling it, issuing a token, a person
changing their own password — each an entry naming who did it, to whom, what changed, never a password.

`test_every_users_table_writer_takes_an_actor_and_audits` lists, by reading the source, every function
that writes the users table and fails if one takes no actor or writes no audit entry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from oncofed.domain.actor import Actor, Role
from oncofed.errors import InputError
from oncofed.services.accounts import changes, patients
from oncofed.services.accounts import users as accounts
from oncofed.services.network.centres import load_centres
from oncofed.store import audit
from oncofed.store.db import Database

SRC = Path(__file__).resolve().parents[1] / "src" / "oncofed"
PASSWORD = "correct horse battery"
ADMIN = Actor.operator("alice", "administration")
DPO = Actor("dora", Role.DPO, purpose="audit")
USER_FIELDS = {"role", "centre_ids", "password_hash", "disabled", "username", "display_name"}
# sign-in bookkeeping, not a change of anyone's access: the last sign-in time and argon2's re-hash of
# the password the person just typed (same password, stronger parameters)
NOT_ACCOUNT_CHANGES = {("services/accounts/users.py", "authenticate")}


def _writers() -> list[tuple[str, ast.FunctionDef]]:
    """(module, function) of every function that creates a UserRow, assigns one of its fields, or
    runs update()/delete() on the users table."""
    found = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "UserRow" not in text and "_by_name" not in text and "_staff_row" not in text:
            continue
        for fn in ast.walk(ast.parse(text)):
            if not isinstance(fn, ast.FunctionDef):
                continue
            rows = {"row"}  # the name every accounts function gives its user row
            writes = False
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"update", "delete"}:
                    writes |= any(getattr(a, "id", "") == "UserRow" for a in node.args)
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "UserRow":
                    writes = True
                if isinstance(node, ast.Assign | ast.AugAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for tgt in targets:
                        for el in tgt.elts if isinstance(tgt, ast.Tuple) else [tgt]:
                            if (
                                isinstance(el, ast.Attribute)
                                and el.attr in USER_FIELDS
                                and getattr(el.value, "id", "") in rows
                            ):
                                writes = True
            if writes:
                found.append((path.relative_to(SRC).as_posix(), fn))
    return found


def test_every_users_table_writer_takes_an_actor_and_audits() -> None:
    writers = _writers()
    names = {(m, f.name) for m, f in writers}
    # the scan does find the writers it must (a scan that finds nothing proves nothing)
    assert {
        ("services/accounts/users.py", "add_user"),
        ("services/accounts/users.py", "set_disabled"),
        ("services/accounts/patients.py", "add_patient_account"),
        ("services/accounts/patients.py", "set_own_password"),
        ("services/accounts/changes.py", "set_scope"),
        ("services/accounts/changes.py", "reset_in"),  # reset_password and reset_patient_password call it
    } <= names
    missing = []
    for module, fn in writers:
        if (module, fn.name) in NOT_ACCOUNT_CHANGES:
            continue
        args = {a.arg for a in fn.args.args + fn.args.kwonlyargs}
        audits = any(
            isinstance(n, ast.Call) and getattr(n.func, "attr", "") in {"record", "record_read"}
            for n in ast.walk(fn)
        )
        if not ({"actor", "creator"} & args) or not audits:
            missing.append(f"{module}:{fn.name}")
    assert not missing, f"writes the users table without an actor and an audit entry: {missing}"


def _entries(db: Database, action: str) -> list[dict]:  # type: ignore[type-arg]
    return audit.search(db.engine, action=action)


def test_each_account_change_is_an_entry_naming_who_whom_and_what(db: Database) -> None:
    load_centres(db)
    accounts.add_user(db, "rose", "research_staff", PASSWORD, centre_ids=["curie"], actor=ADMIN)
    (made,) = _entries(db, "account.create")
    assert made["user_id"] == "cli:alice" and made["centre_ids"] == "curie"
    assert made["detail_params"] == {"user": "rose", "role": "research_staff", "centres": "curie"}

    changes.set_scope(db, "rose", actor=ADMIN, role="clinician", centre_ids=["curie", "gustave-roussy"])
    (scoped,) = _entries(db, "account.scope")
    assert scoped["detail_params"]["before_role"] == "research_staff"
    assert scoped["detail_params"]["role"] == "clinician"
    assert scoped["detail_params"]["centres"] == "curie gustave-roussy"
    assert "research_staff -> clinician" in scoped["detail"]

    secret = changes.reset_password(db, "rose", actor=ADMIN)
    assert accounts.authenticate(db, "rose", secret) is not None
    accounts.issue_token(db, "rose", name="nightly", days=30, actor=ADMIN)
    accounts.set_disabled(db, "rose", actor=ADMIN)
    accounts.set_disabled(db, "rose", False, actor=ADMIN)
    for action in ("account.password_reset", "account.token", "account.disable", "account.enable"):
        (entry,) = _entries(db, action)
        assert entry["user_id"] == "cli:alice" and entry["detail_params"]["user"] == "rose", action
    every = audit.search(db.engine)
    hashes = [h for (h,) in db.engine.connect().exec_driver_sql("SELECT password_hash FROM users")]
    for entry in every:  # never the password, never its hash
        assert secret not in str(entry) and PASSWORD not in str(entry)
        assert not any(h in str(entry) for h in hashes)
    assert audit.verify_chain(db.engine).ok


def test_own_password_change_is_audited_and_platform_jobs_are_not(db: Database) -> None:
    load_centres(db)
    accounts.add_user(db, "tom", "trial_manager", PASSWORD, actor=Actor.system("test setup"))
    assert _entries(db, "account.create") == []  # the platform's own jobs are not recorded
    tom = accounts.get_user(db, "tom").actor()
    patients.set_own_password(db, "tom", PASSWORD, "another long password", actor=tom)
    (own,) = _entries(db, "account.password_own")
    assert own["user_id"] == "tom" and own["detail_params"]["user"] == "tom"


def test_scope_changes_are_checked_and_end_sessions(sqlite_db: Database) -> None:
    load_centres(sqlite_db)
    accounts.add_user(sqlite_db, "claire", "clinician", PASSWORD, centre_ids=["curie"], actor=ADMIN)
    user = accounts.authenticate(sqlite_db, "claire", PASSWORD)
    assert user is not None
    cookie, _ = accounts.start_session(sqlite_db, user)
    with pytest.raises(InputError) as nothing:
        changes.set_scope(sqlite_db, "claire", actor=ADMIN, role="clinician", centre_ids=None)
    assert nothing.value.code == "account.no_change"
    with pytest.raises(InputError):  # a clinician needs a centre
        changes.set_scope(sqlite_db, "claire", actor=ADMIN, role=None, centre_ids=[])
    with pytest.raises(InputError):  # never a patient account
        changes.set_scope(sqlite_db, "claire", actor=ADMIN, role="patient", centre_ids=None)
    assert accounts.session_user(sqlite_db, cookie) is not None  # refused changes changed nothing
    moved = changes.set_scope(sqlite_db, "claire", actor=ADMIN, role="trial_manager", centre_ids=None)
    assert moved.role is Role.TRIAL_MANAGER and moved.centre_ids == ()
    assert accounts.session_user(sqlite_db, cookie) is None  # the old rights' session ended
    assert len(_entries(sqlite_db, "account.scope")) == 1  # refusals wrote no change


def test_cli_scope_reset_and_the_audit_page_fr_en_csv(tmp_path, monkeypatch, client_as) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    database.upgrade()
    load_centres(database)
    runner = CliRunner()
    made = runner.invoke(
        app, ["users", "add", "rose", "--role", "research_staff", "--centre", "curie", "--password-stdin"],
        input=PASSWORD + "\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    scoped = runner.invoke(app, ["users", "scope", "rose", "--centre", "curie", "--centre", "gustave-roussy"])
    assert scoped.exit_code == 0 and "gustave-roussy" in scoped.output, scoped.output
    reset = runner.invoke(app, ["users", "reset-password", "rose"])
    assert reset.exit_code == 0
    assert accounts.authenticate(database, "rose", reset.stdout.strip().splitlines()[-1]) is not None
    assert runner.invoke(app, ["users", "disable", "rose"]).exit_code == 0
    listed = runner.invoke(app, ["audit", "list", "--csv", "--action", "account.scope"])
    assert (
        listed.exit_code == 0 and "rose" in listed.output and "cli: oncofed users scope rose" in listed.output
    )
    dpo = client_as(database, DPO)
    en = dpo.get("/audit", params={"action": "account.scope", "lang": "en"}).text
    assert "changed an account&#39;s role or centres" in en or "changed an account's role or centres" in en
    fr = dpo.get("/audit", params={"action": "account.scope", "lang": "fr"}).text
    assert "a changé le rôle ou les centres d’un compte" in fr and "rose" in fr
    csv = dpo.get("/api/audit", params={"format": "csv", "action": "account.create"}).text
    assert len(csv.strip().splitlines()) == 2 and "research_staff" in csv
    assert PASSWORD not in csv
