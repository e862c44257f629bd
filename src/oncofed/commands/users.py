"""`oncofed users add|list|disable|enable|token`: accounts, roles and API tokens."""

from __future__ import annotations

import json

import typer
from rich.table import Table


def register(app: typer.Typer) -> None:
    users = typer.Typer(
        help="Accounts: add, list, disable/enable, API tokens for scripts.", no_args_is_help=True
    )
    app.add_typer(users, name="users")

    @users.command("add")
    def add(
        username: str = typer.Argument(..., help="Login name (one word)."),
        role: str = typer.Option(
            ..., help="clinician, research_staff, trial_manager, quality_manager, dpo or admin."
        ),
        centre: list[str] = typer.Option(
            [], "--centre", help="Centre id or name (clinician and research staff; repeat for several)."
        ),
        name: str = typer.Option("", help="Display name."),
        password: str = typer.Option(
            ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
        ),
    ) -> None:
        """Create an account."""
        from oncofed.commands.common import console, open_database
        from oncofed.services.accounts.users import add_user
        from oncofed.services.network.names import resolve_centre

        db = open_database()
        centre_ids = [resolve_centre(db, c).id for c in centre]  # ids or names ("Gustave Roussy")
        user = add_user(db, username, role, password, centre_ids=centre_ids, display_name=name)
        scope = ", ".join(user.centre_ids) or "network aggregates"
        console.print(f"user [bold]{user.username}[/] created: {user.role.value} ({scope})")

    @users.command("list")
    def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """List accounts (never passwords)."""
        from oncofed.commands.common import console, open_database
        from oncofed.services.accounts.users import list_users

        rows = list_users(open_database())
        if as_json:
            print(
                json.dumps(
                    [
                        {
                            "username": u.username,
                            "name": u.display_name,
                            "role": u.role.value,
                            "centre_ids": list(u.centre_ids),
                            "disabled": u.disabled,
                            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
                        }
                        for u in rows
                    ],
                    indent=2,
                )
            )
            return
        table = Table("username", "name", "role", "centres", "state", "last login")
        for u in rows:
            table.add_row(
                u.username,
                u.display_name,
                u.role.value,
                " ".join(u.centre_ids),
                "disabled" if u.disabled else "active",
                u.last_login_at.strftime("%Y-%m-%d %H:%M") if u.last_login_at else "",
            )
        console.print(table)

    @users.command("disable")
    def disable(username: str) -> None:
        """Disable an account: ends its sessions and revokes its API tokens."""
        from oncofed.commands.common import console, open_database
        from oncofed.services.accounts.users import set_disabled

        set_disabled(open_database(), username, True)
        console.print(f"user [bold]{username}[/] disabled; sessions ended, API tokens revoked")

    @users.command("enable")
    def enable(username: str) -> None:
        """Re-enable a disabled account (its old tokens stay revoked)."""
        from oncofed.commands.common import console, open_database
        from oncofed.services.accounts.users import set_disabled

        set_disabled(open_database(), username, False)
        console.print(f"user [bold]{username}[/] enabled")

    @users.command("token")
    def token(
        username: str,
        name: str = typer.Option("script", help="What the token is for."),
        days: int = typer.Option(90, min=0, help="Days of validity (0: no expiry)."),
    ) -> None:
        """Issue an API token (Authorization: Bearer ...); printed once, only its hash is stored."""
        from oncofed.commands.common import err_console, open_database
        from oncofed.services.accounts.users import issue_token

        raw = issue_token(open_database(), username, name=name, days=days or None)
        err_console.print(
            f"API token for {username} (shown once; send it as `Authorization: Bearer <token>`):"
        )
        print(raw)
