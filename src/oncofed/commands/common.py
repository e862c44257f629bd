"""What every command shares: the consoles, the configured database, the progress bar."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oncofed.config import load_settings
from oncofed.store.db import Database

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def open_database(upgrade: bool = True) -> Database:
    """The configured database (DATABASE_URL, or var/oncofed.sqlite3), schema brought up to date."""
    db = Database(load_settings().database_url)
    if upgrade:
        db.upgrade()
    else:
        db.check()
    return db


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )
