"""The words of a command's success output in `--lang`'s language: its tables' titles and column headers,
its numbers and dates (Babel: "1 700,90", "5 déc. 2026" in French), its yes/no cells.

A column header is written in English and marked `N_("family")` where the table is made, so `make i18n`
extracts it; `table(...)` translates the headers and the title when the table is built. Numbers and dates
are never formatted with an f-string's `:,.2f` nor printed ISO (`tests/test_cli_summaries_french.py`)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from oncofed.presenters.i18n import Translator, translator

__all__ = ["day", "num", "table", "tr", "yes"]


def tr() -> Translator:
    """The translator of `--lang` (or ONCOFED_LANG)."""
    from oncofed.commands.common import cli_language

    return translator(cli_language())


def table(*columns: str, title: str | None = None, **kwargs: Any) -> Table:
    """A Rich table whose column headers (English messages marked `N_`) and title are said in `--lang`'s
    words; `title` is a message already said (a sentence with data) when `said_title` is given instead."""
    t = tr()
    said_title = kwargs.pop("said_title", None)
    return Table(
        *(t.gettext(c) for c in columns),
        title=said_title if said_title is not None else (t.gettext(title) if title else None),
        **kwargs,
    )


def num(value: Any, digits: int | None = None) -> str:
    """A number as `--lang` writes it ("1,700.90" / "1 700,90"); None -> "—"."""
    return "—" if value is None else tr().number(value, digits)


def day(value: Any, time: bool = False) -> str:
    """A date (or date and time) as `--lang` writes it ("5 Dec 2026" / "5 déc. 2026")."""
    return tr().day(value, time=time)


def yes(flag: Any) -> str:
    """A yes cell in `--lang`'s words ("yes" / "oui"), empty when false."""
    return tr().gettext("yes") if flag else ""
