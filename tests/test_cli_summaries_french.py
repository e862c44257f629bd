"""What a command prints when it succeeds is in the language asked for (`oncofed --lang fr ...`, with a French
`LANG` as a French user's shell has): every command of a working day that writes a summary line or a table is
run on the demo network, and what it prints is checked for English left in it.

What is checked (the command's own words, never the data it shows):
- every line printed outside a table (the summary: "N records imported", "report written to ...");
- every table's title and column headers;
- every cell: a number written the English way ("1,700.90", "0.35"), an ISO date or time, and a cell that is
  one English word on its own ("yes", "active", "none", "within": a label, never data).
Data (trial titles, grid and proposal names, people's names, centre ids, file paths) is in the language it was
written in; the cases name the data strings their command prints so they are left out."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from oncofed.store.db import Database
from tests.i18n_pages import DECIMAL_POINT, ENGLISH_WORDS, ISO_DATE, VERSION, findings, untranslated_msgids

# Words of the command line's columns and summaries that are English and not French ("date", "site", "phase",
# "active", "possible" are French words too: left out)
CLI_ENGLISH = ENGLISH_WORDS | {
    "family", "level", "staff", "name", "city", "rows", "rejected", "file", "loaded", "revision", "within",
    "above", "below", "adjustment", "events", "year", "years", "complete", "username", "role", "state",
    "disabled", "board", "meeting", "waiting", "papers", "target", "opened", "indicator", "title", "nearest",
    "sex", "age", "gross", "proposal", "cost", "annual", "steps", "allowances", "kind", "after", "paid", "gap",
    "shortfall", "monthly", "footprint", "factors", "stay", "bed", "beds", "share", "journals", "user",
    "purpose", "request", "verified", "imported", "updated", "accepted", "written", "exported", "yes",
    "indicators", "report", "month", "per", "network", "fictional", "incl", "excl", "from", "until", "by",
    "in", "added", "stored", "reused", "built", "schema", "newest", "current", "matches", "blocked",
    "patients'", "reason", "reasons",
}  # fmt: skip
ONE_WORD = re.compile(r"[A-Za-z]+")
# English thousands ("12,345", "1,234,567", "1,700.90"; a French "0,052" or "1,234" is a decimal number)
THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3}){2,}\b|\b\d{1,3},\d{3}\.\d|\b\d{2,3},\d{3}\b")
# a regulatory post's number ("2.1") is a code; a criterion is the trial's own text
CODE_COLUMNS = {"poste BEGES", "critère"}


class Printed:
    """What the command printed through the CLI's consoles: lines outside tables, and the tables."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.tables: list[Table] = []

    def record(self, *objects: Any) -> None:
        for obj in objects:
            if isinstance(obj, Table):
                self.tables.append(obj)
            elif isinstance(obj, str):
                self.lines.append(Text.from_markup(obj).plain)
            elif isinstance(obj, Text):
                self.lines.append(obj.plain)

    def english(self, data: list[str], msgids: dict[str, str]) -> list[str]:
        import tests.i18n_pages as pages

        def strip(text: str) -> str:
            text = " ".join(text.split())
            for d in sorted(data, key=len, reverse=True):
                text = text.replace(d, " ")
            text = re.sub(
                r"\b\d{4}_[a-z0-9_]+", " ", text
            )  # a migration's revision id ("0026_staff_password") is code
            return re.sub(r"`[^`]*`", " ", text)  # a command quoted is code

        found: list[str] = []
        saved = pages.ENGLISH_WORDS
        pages.ENGLISH_WORDS = frozenset(CLI_ENGLISH)
        try:
            texts = list(self.lines)
            for t in self.tables:
                if t.title:
                    texts.append(str(t.title))
                texts += [str(c.header) for c in t.columns]
            for text in texts:
                found += [f"{f.kind}: {text!r}" for f in findings(strip(text), msgids)]
            for t in self.tables:
                for column in t.columns:
                    if str(column.header) in CODE_COLUMNS:
                        continue
                    for cell in column._cells:
                        said = strip(cell.plain if isinstance(cell, Text) else str(cell)).strip()
                        written = (
                            DECIMAL_POINT.search(VERSION.sub("", said))
                            or ISO_DATE.search(said)
                            or THOUSANDS.search(said)
                        )
                        if written or (ONE_WORD.fullmatch(said) and said.lower() in CLI_ENGLISH):
                            found.append(f"cell of {column.header!r}: {said!r}")
                            break  # one cell says it for the column
        finally:
            pages.ENGLISH_WORDS = saved
        return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oncofed.synthetic.demo import build_demo

    path = tmp_path_factory.mktemp("cli-fr") / "demo.sqlite3"
    database = Database(f"sqlite:///{path}")
    build_demo(database, patients=120, seed=7)
    database.dispose()
    return path


@pytest.fixture
def home(demo: Path, tmp_path: Path) -> Iterator[Path]:
    shutil.copy(demo, tmp_path / "oncofed.sqlite3")
    yield tmp_path


@pytest.fixture(scope="module")
def msgids() -> dict[str, str]:
    return untranslated_msgids("fr")


def run(args: list[str], home: Path) -> tuple[int, Printed, str]:
    """`oncofed --lang fr ARGS` in `home`, with a French shell's LANG; what its consoles printed."""
    import os

    from oncofed.cli import app
    from oncofed.commands.common import console, err_console, set_language

    printed = Printed()
    originals = console.print, err_console.print

    def recorder(original: Any) -> Any:
        def print_(*objects: Any, **kwargs: Any) -> None:
            printed.record(*objects)
            original(*objects, **kwargs)

        return print_

    console.print, err_console.print = recorder(originals[0]), recorder(originals[1])  # type: ignore[method-assign]
    env = {
        "DATABASE_URL": f"sqlite:///{home}/oncofed.sqlite3", "ONCOFED_VAR_DIR": str(home / "var"),
        "LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8", "COLUMNS": "250",
    }  # fmt: skip
    cwd = os.getcwd()
    os.chdir(home)
    try:
        result = CliRunner().invoke(app, ["--lang", "fr", *args], env=env)
    finally:
        os.chdir(cwd)
        console.print, err_console.print = originals  # type: ignore[method-assign]
        set_language("en")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, printed, result.output


def first_patient(home: Path) -> str:
    from sqlalchemy import text

    database = Database(f"sqlite:///{home}/oncofed.sqlite3")
    try:
        with database.engine.connect() as conn:
            return str(
                conn.execute(text("SELECT id FROM patients WHERE centre_id = 'curie' ORDER BY id")).scalar()
            )
    finally:
        database.dispose()


def first_meeting(home: Path) -> str:
    """The first meeting that has cases on its agenda."""
    from sqlalchemy import text

    database = Database(f"sqlite:///{home}/oncofed.sqlite3")
    try:
        with database.engine.connect() as conn:
            return str(
                conn.execute(
                    text("SELECT MIN(meeting_id) FROM board_cases WHERE meeting_id IS NOT NULL")
                ).scalar()
            )
    finally:
        database.dispose()


def first_case(home: Path) -> str:
    """The first signed case (a decision, its proposal and its trail)."""
    from sqlalchemy import text

    database = Database(f"sqlite:///{home}/oncofed.sqlite3")
    try:
        with database.engine.connect() as conn:
            return str(conn.execute(text("SELECT MIN(id) FROM board_cases WHERE status = 'signed'")).scalar())
    finally:
        database.dispose()


def trial_titles(home: Path) -> list[str]:
    """Every trial's title, whole and as the tables cut it, and with its id before it (as `match` shows it)."""
    from sqlalchemy import text

    database = Database(f"sqlite:///{home}/oncofed.sqlite3")
    try:
        with database.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, title FROM trials")).all()
    finally:
        database.dispose()
    return [f"{i} {t[:n]}" for i, t in rows for n in (60, 70)] + [str(t) for _, t in rows]


RESOURCES = Path(__file__).resolve().parents[1] / "src" / "oncofed" / "resources"
GRID = str(RESOURCES / "workforce" / "demo_grid.yaml")
PAYROLL = "staff_id,family,level,hire_date,fte,gross_monthly\nS-1,NUR,N2,2015-09-01,1.0,2450\nS-2,NUR,N2,2019-03-01,0.8,2300\n"
TRIAL_TITLE = "[Fictional] ONC-2101 versus fulvestrant after CDK4/6 inhibitor in HR-positive, HER2-negative advanced breast cancer"
# (arguments, the data strings the command prints): each a summary a person reads after the command ran
CASES: list[tuple[list[str], list[str]]] = [
    (["centres"], []),
    (["db", "status"], []),
    (["grid", "load", GRID], ["[Fictional] Demo network pay grid"]),
    (["grid", "show"], ["[Fictional] Demo network pay grid"]),
    (["grid", "revisions"], ["[Fictional] Demo network pay grid", "demo build", GRID]),
    (["grid", "proposals"], []),
    (["grid", "cost", "1"], ["+1% on the point value"]),
    (["grid", "cost", "1", "--by-family"], ["+1% on the point value"]),
    (["grid", "compare", "1", "2"], []),
    (["staff", "headcount"], []),
    (["staff", "compliance"], ["[Fictional] Demo network pay grid"]),
    (["staff", "compliance", "--centre", "curie"], ["[Fictional] Demo network pay grid"]),
    (["staff", "imports"], ["demo build"]),
    (["staff", "import", "paie.csv", "--centre", "curie"], []),
    (["quality", "compute"], []),
    (["quality", "generate", "--events", "400", "--out", "q.parquet"], []),
    (["quality", "export", "--out", "export"], []),
    (["quality", "report", "curie", "--out", "r.html"], []),
    (["carbon", "footprint"], []),
    (["carbon", "footprint", "--centre", "curie"], []),
    (["carbon", "beges", "curie", "--out", "beges.csv"], []),
    (["carbon", "factors", "list"], []),
    (["carbon", "travel"], []),
    (["research", "report"], []),
    (["users", "list"], ["trials"]),  # an account's name
    (["audit", "list", "--limit", "5"], []),
    (["audit", "verify"], []),
    (["boards", "list"], []),
    (["trials", "setup"], []),
    (["trials", "search", "breast"], []),
    (["patients", "list", "--centre", "curie", "--size", "5"], []),
    (["patients", "search", "BRCA", "--centre", "curie"], []),
    (["recruitment", "DEMO-0001"], [TRIAL_TITLE]),
    (["prescreen", "DEMO-0001", "--centre", "godinot"], []),
    (["match-index"], []),
    (["backup", "copie.sqlite3"], []),
    (["trials", "show", "DEMO-0001"], ["@titles"]),
    (["match", "@patient"], ["@titles"]),
    (["match", "@patient", "--details", "--limit", "2"], ["@titles"]),
    (["patients", "show", "@patient"], []),
    (["feasibility", "--trial", "DEMO-0001"], ["@titles"]),
    (["boards", "screen-failures"], []),
    (["boards", "agenda", "@meeting"], []),
    (["boards", "case", "@case"], []),
    (["research", "report", "portfolio"], []),
    (["research", "report", "journals"], []),
]


def test_a_french_shell_gets_french_without_lang(home: Path) -> None:
    """A French user's shell (LANG=fr_FR.UTF-8, no --lang, no ONCOFED_LANG) gets French; LC_ALL wins over
    LANG, as gettext reads them; a C or English shell gets English."""
    from oncofed.cli import app
    from oncofed.commands.common import set_language

    base = {"DATABASE_URL": f"sqlite:///{home}/oncofed.sqlite3", "ONCOFED_VAR_DIR": str(home / "var"),
            "ONCOFED_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "COLUMNS": "250"}  # fmt: skip
    said = {}
    for name, env in {
        "fr": {"LANG": "fr_FR.UTF-8"},
        "lc_all": {"LANG": "fr_FR.UTF-8", "LC_ALL": "en_GB.UTF-8"},
        "c": {"LANG": "C.UTF-8"},
        "flag": {"LANG": "C.UTF-8", "ONCOFED_LANG": "fr"},
    }.items():
        try:
            said[name] = CliRunner().invoke(app, ["db", "status"], env={**base, **env}).output
        finally:
            set_language("en")
    assert "à jour" in said["fr"] and "à jour" in said["flag"], said
    assert "up to date" in said["lc_all"] and "up to date" in said["c"], said


@pytest.mark.parametrize("args, data", CASES, ids=[" ".join(a[:3]) for a, _ in CASES])
def test_a_command_says_what_it_did_in_french(  # type: ignore[no-untyped-def]
    home: Path, msgids, args: list[str], data: list[str]
) -> None:
    (home / "paie.csv").write_text(PAYROLL, encoding="utf-8")
    args = [
        a.replace("@patient", first_patient(home))
        .replace("@meeting", first_meeting(home))
        .replace("@case", first_case(home))
        for a in args
    ]
    if "@titles" in data:  # trial titles (truncated in tables) and criteria are the registry's words
        data = [d for d in data if d != "@titles"] + trial_titles(home)
    code, printed, output = run(args, home)
    printed.lines = [line for line in printed.lines if not line.lstrip().startswith("•")]  # a criterion
    assert code == 0, output
    assert printed.lines or printed.tables, output
    data = [*data, str(home), "cli:" + __import__("getpass").getuser()]
    left = printed.english(data, msgids)
    assert not left, "English in the French summary:\n" + "\n".join(left)


def test_a_trial_import_with_a_skipped_file_says_its_summary_in_french(home: Path, msgids) -> None:  # type: ignore[no-untyped-def]
    """A registry file imported beside an empty one: the skipped file's line and the summary in French (the
    skipped line once overwrote the report it was printing: the command failed after its first file)."""
    from tests.conftest import shared_data

    trial = shared_data("trials", "ctgov-samples", "NCT02513394.json")
    (home / "vide.json").write_text("[]", encoding="utf-8")
    code, printed, output = run(["import", "trials", str(trial), "vide.json"], home)
    assert code == 0, output
    said = " ".join(output.split())
    assert "vide.json" in said and "ignoré" in said, said
    # the detector's reason ("empty JSON array") is the reader's own English, said as written (docs/WORKDAY.md)
    left = printed.english([str(trial), "empty JSON array"], msgids)
    assert not left, "English in the French summary:\n" + "\n".join(left)
