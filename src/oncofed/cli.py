"""`oncofed` command line: the same service functions as the web app, with progress bars."""

from __future__ import annotations

import importlib
import pkgutil
import socket
import sys

import typer

from oncofed import __version__
from oncofed import commands as commands_pkg
from oncofed.commands.common import cells, console, err_console, escape, open_database, progress_bar  # noqa: F401  (re-used by tests)
from oncofed.errors import ConfigError, OncofedError
from oncofed.store.db import Database

app = typer.Typer(
    name="oncofed",
    help="oncofed: trials, matching, quality and trust for a network of comprehensive cancer centres.\n\n"
    "Start with `oncofed demo` (builds the demo network and serves it on http://127.0.0.1:8000).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema: upgrade, status.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@app.callback()
def _options(
    lang: str = typer.Option(
        None,
        "--lang",
        envvar="ONCOFED_LANG",
        help="en or fr: the language of what commands print (default: the shell's, LC_ALL / LC_MESSAGES / "
        "LANG, else English).",
    ),
) -> None:
    """oncofed: trials, matching, quality and trust for a network of comprehensive cancer centres."""
    from oncofed.commands.common import set_language, shell_language

    set_language(lang or shell_language())


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"port {port} on {host} is already in use ({exc.strerror})",
                fix=f"stop the other server or choose another port, e.g. --port {port + 1} (make demo PORT={port + 1})",
            ) from exc


def run_server(db: Database, host: str, port: int, workers: int = 1, access_log: str = "-") -> None:
    """Serve with `workers` uvicorn processes (web/server.py: pools sized from the number of workers,
    JSON access log without patient data in URLs, liveness/readiness under /api/health)."""
    from oncofed.commands.words import tr
    from oncofed.config import load_settings, proxy_options
    from oncofed.web.server import run

    check_port_free(host, port)
    t = tr()
    said = t.gettext(
        "oncofed is serving on %(url)s with %(workers)s (API docs: %(url)s/docs; Ctrl+C to stop)",
        url=f"http://{host}:{port}",
        workers=t.ngettext("%(num)s worker", "%(num)s workers", workers),
    )
    console.print(f"[bold green]{escape(said)}[/]")
    db.dispose()  # each worker opens its own pool
    run(host, port, workers, access_log, **proxy_options(load_settings()))


@app.command()
def demo(
    patients: int = typer.Option(5000, min=0, help="Number of synthetic patients to generate."),
    seed: int = typer.Option(42, help="Random seed of the synthetic patients."),
    force: bool = typer.Option(False, help="Rebuild even when the same demo is already there."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the web app once built."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    port: int = typer.Option(8000, help="Port to serve on."),
) -> None:
    """Build the demo network (centres, fictional trials, synthetic patients) and serve it."""
    from oncofed.synthetic.demo import build_demo

    if serve:
        check_port_free(host, port)
    from oncofed.commands.words import tr as words

    db = open_database()
    with progress_bar() as progress:
        task = progress.add_task(words().gettext("synthetic patients"), total=patients)
        report = build_demo(
            db,
            patients=patients,
            seed=seed,
            force=force,
            progress=lambda done, total: progress.update(task, completed=done),
        )
        progress.update(task, completed=patients)
    from oncofed.commands.words import num, tr

    t = tr()
    counts = dict(
        centres=t.ngettext("%(num)s centre", "%(num)s centres", report.centres),
        trials=t.ngettext("%(num)s trial", "%(num)s trials", report.trials),
        patients=t.ngettext("%(num)s patient", "%(num)s patients", report.patients, num=num(report.patients)),
        seconds=num(report.seconds, 1),
        backend=db.backend,
    )
    if report.reused:
        said = t.gettext(
            "demo network reused: %(centres)s, %(trials)s, %(patients)s in %(seconds)s s (%(backend)s)",
            **counts,
        )
    else:
        said = t.gettext(
            "demo network built: %(centres)s, %(trials)s, %(patients)s in %(seconds)s s (%(backend)s)",
            **counts,
        )
    console.print(escape(said))
    from oncofed.services.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    accounts = ", ".join(f"{name} ({t.label('role', role.value)})" for name, role, _, _ in DEMO_ACCOUNTS)
    said = t.gettext(
        "demo accounts (password %(password)s): %(accounts)s; log in at /login",
        password=DEMO_PASSWORD,
        accounts=accounts,
    )
    console.print(escape(said))
    from oncofed.services.accounts.demo import ensure_demo_patient_accounts

    patients_said = ", ".join(f"{u.username} ({u.patient_id})" for u in ensure_demo_patient_accounts(db))
    if patients_said:
        said = t.gettext(
            "demo patient accounts (password %(password)s, their own space at /me): %(accounts)s",
            password=DEMO_PASSWORD,
            accounts=patients_said,
        )
        console.print(escape(said))
    if serve:
        run_server(db, host, port)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    port: int = typer.Option(8000, help="Port to serve on."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes (each with a pool sized from N)."),
    access_log: str = typer.Option(
        "-", "--access-log", help="JSON access log: '-' (stderr), a file path, or 'off'."
    ),
) -> None:
    """Serve the web app and the JSON API (see docs/OPERATIONS.md)."""
    run_server(open_database(), host, port, workers, access_log)


@app.command()
def version() -> None:
    """Print the version."""
    console.print(__version__)


@app.command("centres")
def centres_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table.")) -> None:
    """List the network's centres."""
    import json

    from oncofed.presenters.common import centre_json
    from oncofed.services.network.centres import list_centres

    centres = list_centres(open_database())
    if as_json:
        print(json.dumps([centre_json(c) for c in centres], ensure_ascii=False, indent=2))
        return
    from oncofed.commands.words import table
    from oncofed.errors import N_

    shown = table(N_("id"), N_("name"), N_("city"), N_("region"))
    for c in centres:
        shown.add_row(*cells(c.id, c.name, c.city, c.region))
    console.print(shown)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema to the newest revision."""
    from oncofed.commands.words import tr

    db = open_database(upgrade=False)
    db.upgrade()
    said = tr().gettext(
        "schema up to date (%(backend)s: %(revisions)s)",
        backend=db.backend,
        revisions=", ".join(sorted(db.current_revisions())),
    )
    console.print(escape(said))


@db_app.command("status")
def db_status() -> None:
    """Show the current schema revision and whether an upgrade is needed."""
    from oncofed.commands.words import tr

    t = tr()
    db = open_database(upgrade=False)
    current, heads = db.current_revisions(), db.head_revisions()
    state = t.gettext("up to date") if current == heads else t.gettext("needs `oncofed db upgrade`")
    said = t.gettext(
        "%(backend)s: current revisions %(current)s; newest %(newest)s: %(state)s",
        backend=db.backend,
        current=", ".join(sorted(current)) or t.gettext("none"),
        newest=", ".join(sorted(heads)),
        state=state,
    )
    console.print(escape(said))


def _register_command_modules() -> None:
    for info in sorted(pkgutil.iter_modules(commands_pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands_pkg.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_command_modules()


def refusal_line(exc: OncofedError) -> str:
    """The one line a refused command prints, in `--lang`'s language ("erreur : ..." with `--lang fr`),
    Rich markup of the data escaped."""
    from oncofed.commands.common import cli_language, error_words
    from oncofed.presenters.i18n import translator
    from oncofed.presenters.places import place

    tr = translator(cli_language())
    message, fix = error_words(exc)
    if exc.code:  # a coded error's words leave out where it was found: the file, record ("ligne 1"), option
        file, record, field = (getattr(exc, k, None) for k in ("file", "record", "field"))
        where = ":".join(str(p) for p in (file, place(tr, record) if record else None, field) if p)
        message = f"{where}{tr.colon()}{message}" if where else message
    said = f"{message} — {fix}" if fix else message
    label = tr.gettext("error") + tr.colon().rstrip()
    return f"[bold red]{escape(label)}[/] {escape(said)}"


def main() -> None:
    """Entry point: errors become one clear line and a non-zero exit code, never a traceback wall."""
    try:
        app()
    except OncofedError as exc:
        err_console.print(refusal_line(exc), highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
