"""What every command shares: the consoles, the configured database, the progress bar.

The consoles never turn data into emoji (`emoji=False`: "row 10:x:" stays ":x:", not an emoji). Rich
markup is for the command's own styling only: data printed inside a markup string goes through
`escape` (re-exported here, rich.markup.escape), so "[bold]" or "[/x]" in a file or a record is printed
as written. Libraries' own progress bars and chatter (transformers' "Loading weights", Hugging Face
Hub downloads, PyRuSH's logging) are silenced for every command: the CLI shows its own Rich bars."""

from __future__ import annotations

import os
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from oncofed.config import load_settings
from oncofed.store.db import Database

__all__ = [
    "cells", "centre_option", "console", "err_console", "error_words", "escape", "new_console", "open_database",
    "progress_bar", "quiet_libraries", "set_language", "cli_language", "shell_language",
]  # fmt: skip

# the language of the command line's refusals: `oncofed --lang fr ...` (or ONCOFED_LANG), set by cli.py
_LANGUAGE = {"lang": "en"}


def set_language(lang: str) -> None:
    _LANGUAGE["lang"] = lang if lang in ("en", "fr") else "en"


def shell_language() -> str:
    """The language of the shell as gettext reads it (the first of LC_ALL, LC_MESSAGES, LANG that is set:
    "fr_FR.UTF-8" -> "fr"); English for any language oncofed is not translated into, and for C / POSIX."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "fr" if value.split("_")[0].split(".")[0].lower() == "fr" else "en"
    return "en"


def cli_language() -> str:
    return _LANGUAGE["lang"]


def error_words(exc: Exception, lang: str | None = None) -> tuple[str, str | None]:
    """(message, fix) of a refused command in `lang` (default: `--lang`): a service error with a code
    is said with the catalogue's words (presenters/errors.py); any other keeps its own."""
    from oncofed.errors import OncofedError
    from oncofed.presenters.errors import said

    if not isinstance(exc, OncofedError):
        return str(exc), None
    words = said(exc, lang or _LANGUAGE["lang"])
    return str(words["message"]), words["fix"]


def cells(*values: object) -> list[str]:
    """Table cells from data, printed as written (markup escaped; None -> "")."""
    return [escape("" if v is None else str(v)) for v in values]


def new_console(*, stderr: bool = False, soft_wrap: bool = False) -> Console:
    """A console for a command's output: no emoji codes, no highlighting of data as code."""
    return Console(stderr=stderr, soft_wrap=soft_wrap, emoji=False)


def quiet_libraries() -> None:
    """No progress bars or info chatter from model-loading libraries (read when they are imported;
    set here before any command imports them; a user's own setting wins)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # huggingface_hub and transformers' tqdm
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("LOGURU_LEVEL", "WARNING")  # PyRuSH (medspaCy's sentence splitter)
    import sys

    if "transformers" in sys.modules:  # already imported (a test, a plugin): switch its bars off too
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()


quiet_libraries()
console = new_console()
err_console = new_console(stderr=True, soft_wrap=True)


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


def centre_option(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """Typer `callback=` of every option or argument that names a centre: an id, a name, a short name,
    an alias, a city or a close spelling ("Institut Curie", "curie", "Lyon", "gustave roussy") becomes
    the centre's id (services/network/names.py); an unknown one is an InputError naming the option with
    the nearest names ("did you mean ...?"), so the command exits non-zero instead of finding nothing.
    A list option (repeatable) is resolved item by item; an empty value stays as it is."""
    if (
        ctx.resilient_parsing
        or value is None
        or value == ""
        or (isinstance(value, list | tuple) and not value)
    ):
        return value
    from oncofed.services.network.names import resolve_centre_id

    is_option = param.param_type_name == "option"  # an argument is named by its metavar: CENTRE
    field = max(param.opts, key=len) if is_option else (param.metavar or str(param.name)).upper()
    db = open_database()
    try:
        if isinstance(value, list | tuple):
            return [resolve_centre_id(db, str(v), field=field) for v in value]
        return resolve_centre_id(db, str(value), field=field)
    finally:
        db.dispose()
