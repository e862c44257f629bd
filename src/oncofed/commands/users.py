"""`oncofed users add|list|disable|enable|token`: accounts, roles and API tokens."""

from __future__ import annotations

import json
import sys

import typer

from oncofed.errors import N_


def register(app: typer.Typer) -> None:
    users = typer.Typer(
        help="Accounts: add, list, change role/centres, reset a password, disable/enable, API tokens "
        "for scripts. Every change is an audit entry (`oncofed audit list --action account.scope`).",
        no_args_is_help=True,
    )
    app.add_typer(users, name="users")
    _register_changes(users)

    from oncofed.services.accounts.users import ACCOUNT_ROLES  # the roles an account can have

    @users.command("add")
    def add(
        username: str = typer.Argument(..., help="Login name (one word)."),
        role: str = typer.Option(..., help=f"One of: {', '.join(r.value for r in ACCOUNT_ROLES)}."),
        centre: list[str] = typer.Option(
            [], "--centre", help="Centre id or name (clinician and research staff; repeat for several)."
        ),
        name: str = typer.Option("", help="Display name."),
        patient: str | None = typer.Option(
            None,
            "--patient",
            help="With --role patient: the patient record the account opens (its own space, /me). A "
            "one-time password is printed for the patient's first sign-in, where they choose their own.",
        ),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Read the password from standard input (for scripts)."
        ),
        password: str | None = typer.Option(
            None,
            "--password",
            help="Discouraged: the password stays in the shell's history. Without it (and without "
            "--password-stdin) the password is asked, hidden, twice.",
        ),
    ) -> None:
        """Create an account (at least 10 characters of password, asked hidden unless --password-stdin)."""
        from oncofed.commands.common import console, err_console, escape, open_database
        from oncofed.errors import InputError
        from oncofed.services.accounts.users import add_user
        from oncofed.services.network.names import resolve_centre

        if role.strip().lower() == "patient" or patient is not None:
            _add_patient(username, role, patient, centre, name)
            return

        if password_stdin and password is not None:
            raise InputError(
                N_("give --password-stdin or --password, not both"), field="--password",
                fix=N_("keep one of the two"), code="users.two_passwords",
            )  # fmt: skip
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif password is not None:
            err_console.print(
                "[yellow]warning:[/] --password leaves the password in your shell's history; next time omit "
                "it (you will be asked, hidden) or pipe it with --password-stdin",
                highlight=False,
            )
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        from oncofed.commands.operator import operator

        db = open_database()
        centre_ids = [resolve_centre(db, c).id for c in centre]  # ids or names ("Gustave Roussy")
        actor = operator("administration", f"users add {username} --role {role}")
        user = add_user(db, username, role, password, centre_ids=centre_ids, display_name=name, actor=actor)
        from oncofed.commands.words import tr

        t = tr()
        scope = ", ".join(user.centre_ids) or t.gettext("network aggregates")
        said = t.gettext(
            "account %(user)s created: %(role)s (%(scope)s)",
            user=user.username,
            role=t.label("role", user.role.value),
            scope=scope,
        )
        console.print(escape(said))

    def _add_patient(username: str, role: str, patient: str | None, centre: list[str], name: str) -> None:
        """A patient's own account: bound to `patient`, one-time password printed once (docs/PATIENTS.md)."""
        from oncofed.commands.common import console, err_console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.commands.words import tr
        from oncofed.errors import InputError
        from oncofed.services.accounts.patients import add_patient_account

        if role.strip().lower() != "patient" or not patient or centre:
            raise InputError(
                N_("a patient account takes --role patient and --patient PATIENT_ID, and no --centre"),
                field="--patient",
                fix=N_(
                    "oncofed users add NAME --role patient --patient PATIENT_ID (its centre is the record's)"
                ),
                code="users.patient_options",
            )
        actor = operator("administration", f"users add {username} --role patient --patient {patient}")
        user, secret = add_patient_account(open_database(), actor, username, patient, display_name=name)
        t = tr()
        said = t.gettext(
            "account %(user)s created: %(role)s (%(scope)s)",
            user=user.username,
            role=t.label("role", user.role.value),
            scope=f"{user.patient_id} · {', '.join(user.centre_ids)}",
        )
        console.print(escape(said))
        hand = t.gettext(
            "one-time password, to hand to the patient (shown once; they choose their own at first sign-in):"
        )
        err_console.print(escape(hand))
        print(secret)

    @users.command("list")
    def list_(
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        as_csv: bool = typer.Option(
            False, "--csv", help="Print CSV (the columns of /admin/accounts?format=csv)."
        ),
        role: str = typer.Option("", help="Only accounts of this role."),
        centre: str = typer.Option("", help="Only accounts working for this centre (id or name)."),
        state: str = typer.Option("", help="Only 'enabled' or 'disabled' accounts."),
    ) -> None:
        """List accounts (never passwords), filtered as on the administrator's page /admin/accounts."""
        from oncofed.commands.common import cells, console, open_database
        from oncofed.services.accounts.listing import COLUMNS, accounts, csv_row
        from oncofed.services.accounts.users import list_users
        from oncofed.services.network.names import resolve_centre

        db = open_database()
        centre_id = resolve_centre(db, centre).id if centre else None
        shown = accounts(db, role=role or None, centre=centre_id, state=state or None)  # the page's service
        if as_csv:
            from oncofed.presenters.csv import to_csv

            sys.stdout.write(to_csv([csv_row(a) for a in shown], COLUMNS))
            return
        kept = {a["username"] for a in shown}
        rows = [u for u in list_users(db) if u.username in kept]
        if as_json:
            print(
                json.dumps(
                    [
                        {
                            "username": u.username,
                            "name": u.display_name,
                            "role": u.role.value,
                            "centre_ids": list(u.centre_ids),
                            **({"patient_id": u.patient_id} if u.patient_id is not None else {}),
                            "disabled": u.disabled,
                            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
                            "created_at": u.created_at.isoformat(),
                        }
                        for u in rows
                    ],
                    indent=2,
                )
            )
            return
        from oncofed.commands.words import day, table, tr
        from oncofed.errors import N_

        t = tr()
        printed = table(
            N_("username"), N_("name"), N_("role"), N_("centres"), N_("state"), N_("last sign-in")
        )
        for u in rows:
            printed.add_row(
                *cells(
                    u.username,
                    u.display_name,
                    t.label("role", u.role.value),
                    " ".join(u.centre_ids),
                    t.gettext("disabled") if u.disabled else t.gettext("enabled"),
                    day(u.last_login_at, time=True) if u.last_login_at else "",
                )
            )
        console.print(printed)

    @users.command("disable")
    def disable(username: str) -> None:
        """Disable an account: ends its sessions and revokes its API tokens."""
        from oncofed.commands.common import console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.services.accounts.users import set_disabled

        actor = operator("administration", f"users disable {username}")
        set_disabled(open_database(), username, True, actor=actor)
        from oncofed.commands.words import tr

        said = tr().gettext("account %(user)s disabled; sessions ended, API tokens revoked", user=username)
        console.print(escape(said))

    @users.command("enable")
    def enable(username: str) -> None:
        """Re-enable a disabled account (its old tokens stay revoked)."""
        from oncofed.commands.common import console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.services.accounts.users import set_disabled

        actor = operator("administration", f"users enable {username}")
        set_disabled(open_database(), username, False, actor=actor)
        from oncofed.commands.words import tr

        console.print(escape(tr().gettext("account %(user)s enabled", user=username)))

    @users.command("token")
    def token(
        username: str,
        name: str = typer.Option("script", help="What the token is for."),
        days: int = typer.Option(90, min=0, help="Days of validity (0: no expiry)."),
    ) -> None:
        """Issue an API token (Authorization: Bearer ...); printed once, only its hash is stored."""
        from oncofed.commands.common import err_console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.services.accounts.users import issue_token

        actor = operator("administration", f"users token {username}")
        raw = issue_token(open_database(), username, name=name, days=days or None, actor=actor)
        from oncofed.commands.words import tr

        said = tr().gettext(
            "API token for %(user)s (shown once; send it as `Authorization: Bearer <token>`):", user=username
        )
        err_console.print(escape(said))
        print(raw)


def _register_changes(users: typer.Typer) -> None:
    """`oncofed users scope` and `oncofed users reset-password` (services/accounts/changes.py)."""

    @users.command("scope")
    def scope(
        username: str,
        role: str | None = typer.Option(None, help="The account's new role."),
        centre: list[str] = typer.Option(
            [], "--centre", help="Its new centres (id or name; repeat for several). Omitted: unchanged."
        ),
        no_centre: bool = typer.Option(False, "--no-centre", help="Remove every centre."),
    ) -> None:
        """Change a staff account's role and/or centres (audited; its sessions end if rights shrink)."""
        from oncofed.commands.common import console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.commands.words import tr
        from oncofed.services.accounts.changes import set_scope
        from oncofed.services.network.names import resolve_centre

        db = open_database()
        centres = [] if no_centre else [resolve_centre(db, c).id for c in centre] or None
        actor = operator("administration", f"users scope {username}")
        user = set_scope(db, username, actor=actor, role=role, centre_ids=centres)
        t = tr()
        said = t.gettext(
            "account %(user)s: %(role)s (%(scope)s)",
            user=user.username,
            role=t.label("role", user.role.value),
            scope=", ".join(user.centre_ids) or t.gettext("network aggregates"),
        )
        console.print(escape(said))

    @users.command("reset-password")
    def reset(username: str) -> None:
        """Give an account a new one-time password, printed once; its sessions end (audited). A patient's own
        account then asks the patient for a password of their own at the next sign-in."""
        from oncofed.commands.common import err_console, escape, open_database
        from oncofed.commands.operator import operator
        from oncofed.commands.words import tr
        from oncofed.services.accounts.changes import reset_password

        actor = operator("administration", f"users reset-password {username}")
        secret = reset_password(open_database(), username, actor=actor)
        said = tr().gettext("new password of %(user)s, to hand over (shown once):", user=username)
        err_console.print(escape(said))
        print(secret)
