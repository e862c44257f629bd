"""QA polish (issues 17/18 follow-up), the command line: data printed as written (no emoji, no Rich
markup taken from data), every account role in the help, passwords kept out of shell history, errors
that say what exists and what to type, no progress bar before a missing file, quiet model loading,
ages in whole years."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncofed.domain import Actor, PatientProfile
from oncofed.services.network.centres import load_centres
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository

PASSWORD = "a long enough password"


def oncofed(args: list[str], tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The real `oncofed` entry point (its error line included), on a database in `tmp_path`."""
    env = {**os.environ, "COLUMNS": "200", "ONCOFED_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    code = "from oncofed.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True, env=env, timeout=180
    )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    database.upgrade()
    load_centres(database)
    return database


def test_the_cli_prints_data_verbatim_colon_words_and_brackets(tmp_path: Path) -> None:
    """An error naming a file whose name holds ':x:' and '[/x]': printed as written (before, ':x:' became
    an emoji and '[/x]' a Rich markup error), and no '0/?' progress bar before "file not found"."""
    name = "row 10:x: [bold]junk[/x].json"
    out = oncofed(["import", "patients", name], tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: {name}: file not found — check the path"
    assert "0/?" not in out.stderr + out.stdout and "❌" not in out.stderr


def test_the_consoles_never_turn_data_into_emoji_or_markup() -> None:
    from oncofed.commands.common import cells, console, err_console, escape, new_console

    for c in (console, err_console, new_console()):
        with c.capture() as captured:
            c.print(f"[bold]ok[/] {escape('a :x: and [red]b[/red] [/c]')}")
        assert captured.get().strip() == "ok a :x: and [red]b[/red] [/c]"
    assert cells(None, 3, "[/x]") == ["", "3", "\\[/x]"]


def test_users_add_help_lists_every_role_an_account_can_have(home: Database) -> None:
    from oncofed.cli import app
    from oncofed.services.accounts.users import ACCOUNT_ROLES

    text = " ".join(CliRunner().invoke(app, ["users", "add", "--help"]).output.replace("│", " ").split())
    for role in ACCOUNT_ROLES:
        assert role.value in text
    assert len(ACCOUNT_ROLES) == 9 and "--password-stdin" in text  # 9: the patient role (session 15)


def test_passwords_are_asked_hidden_or_read_from_stdin_and_warned_on_the_command_line(home: Database) -> None:
    from oncofed.cli import app
    from oncofed.services.accounts.users import authenticate

    runner = CliRunner()
    piped = runner.invoke(
        app, ["users", "add", "pia", "--role", "dpo", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert piped.exit_code == 0, piped.output
    asked = runner.invoke(app, ["users", "add", "ann", "--role", "dpo"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert asked.exit_code == 0 and PASSWORD not in asked.output  # hidden prompt, asked twice
    typed = runner.invoke(app, ["users", "add", "tom", "--role", "dpo", "--password", PASSWORD])
    assert typed.exit_code == 0 and "shell's history" in typed.output
    for name in ("pia", "ann", "tom"):
        assert authenticate(home, name, PASSWORD) is not None
    both = runner.invoke(
        app, ["users", "add", "x", "--role", "dpo", "--password-stdin", "--password", PASSWORD]
    )
    assert both.exit_code != 0 and "not both" in str(both.exception)


def test_errors_say_what_to_type(home: Database, tmp_path: Path) -> None:
    trial = oncofed(["research", "report", "trial", "NOPE"], tmp_path)
    assert trial.returncode == 2 and "unexpected extra argument" not in trial.stderr
    assert "no trial with id 'NOPE'" in trial.stderr
    other = oncofed(["research", "report", "journals", "NOPE"], tmp_path)
    assert other.returncode == 2 and "report 'journals' takes no trial" in other.stderr
    opened = oncofed(["trials", "open", "NOPE", "--centre", "curie"], tmp_path)
    assert (
        opened.returncode == 2
        and "oncofed trials search" in opened.stderr
        and "(/trials)" not in opened.stderr
    )
    unlock = oncofed(["audit", "unlock", "nobody"], tmp_path)
    assert unlock.returncode == 2 and "no user 'nobody'" in unlock.stderr


def test_model_loading_libraries_show_no_progress_bars() -> None:
    """`oncofed match` printed transformers' "Loading weights" bar: the CLI switches library bars off
    before any model library is imported (and after, when one already is)."""
    pytest.importorskip("transformers")
    code = (
        "import oncofed.cli\n"
        "from transformers.utils import logging\n"
        "import huggingface_hub.utils as hub\n"
        "print(logging.is_progress_bar_enabled(), hub.are_progress_bars_disabled())\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("HF_HUB_DISABLE_PROGRESS_BARS", "TRANSFORMERS_VERBOSITY")
    }
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=180)
    assert out.stdout.split() == ["False", "True"], out.stderr[-2000:]


def test_ages_are_whole_years_in_the_cli_and_the_api(home: Database, client_as) -> None:  # type: ignore[no-untyped-def]
    from oncofed.cli import app
    from oncofed.domain import Role

    with home.session() as s:
        PatientRepository(s, Actor.system("test")).add_many(
            [
                PatientProfile(
                    id="curie-p1", centre_id="curie", sex="FEMALE", age_years=52.0, primary_cancer="BRCA"
                ),
                PatientProfile(
                    id="curie-p2", centre_id="curie", sex="FEMALE", age_years=52.5, primary_cancer="BRCA"
                ),
            ]
        )
    listed = CliRunner().invoke(app, ["patients", "show", "curie-p1"])
    assert listed.exit_code == 0 and "age 52 " in listed.output and "52.0" not in listed.output
    api = client_as(home, Actor("dr", Role.CLINICIAN, frozenset({"curie"})))
    one = api.get("/api/patients/curie-p1").json()
    assert one["age_years"] == 52 and isinstance(one["age_years"], int)
    ages = {p["id"]: p["age_years"] for p in api.get("/api/patients").json()["patients"]}
    assert ages["curie-p1"] == 52 and isinstance(ages["curie-p1"], int)
    assert ages["curie-p2"] == 52.5  # a fractional age from the source stays as it is
