"""Centre names accepted wherever a command expects a centre (issue 18, part 8): every `--centre` option
and CENTRE argument takes an id, a name, a city or an alias ("Institut Curie", "curie", "Lyon") and gives
the same result as with the id; a misspelling is an error naming the option with "did you mean ...",
an unknown name one that says where the centres are listed, and the command exits non-zero (before,
several commands printed an empty result for a name)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oncofed.cli import app
from oncofed.errors import InputError
from oncofed.store.db import Database
from tests.conftest import copy_sqlite
from tests.test_cli import run

PROPOSALS = Path(__file__).resolve().parents[1] / "src/oncofed/resources/workforce/proposals"
NEW_STEP, POINT = str(PROPOSALS / "nurses_new_step.yaml"), str(PROPOSALS / "point_plus_1pct.yaml")

# (command with {c} where the centre goes, the centre's id, a name for it, a misspelling of it,
#  the option the error must name); read-only commands: the output with the name must equal the
#  output with the id.
SAME_RESULT = [
    (["audit", "list", "--centre", "{c}", "--csv"], "curie", "Institut Curie", "Institut Curi", "--centre"),
    (["trials", "search", "--centre", "{c}", "--json"], "leon-berard", "Lyon", "Lyonn", "--centre"),
    (["boards", "list", "--centre", "{c}", "--json"], "curie", "curie", "Curiie", "--centre"),
    (["carbon", "footprint", "--centre", "{c}", "--json"], "gustave-roussy", "Gustave Roussy", "Roussi", "--centre"),
    (["carbon", "beges", "{c}"], "bergonie", "Institut Bergonié", "Bergonnie", "CENTRE"),
    (["grid", "cost", NEW_STEP, "--centre", "{c}", "--json"], "curie", "institut curie", "Curiie", "--centre"),
    (["grid", "compare", NEW_STEP, POINT, "--centre", "{c}", "--json"], "cgfl", "Dijon", "Dijonn", "--centre"),
    (["staff", "headcount", "--centre", "{c}", "--json"], "oscar-lambret", "Oscar Lambret", "Oscar Lambrt", "--centre"),
    (["staff", "compliance", "--centre", "{c}", "--json"], "curie", "Paris", "Institut Curi", "--centre"),
    (["research", "report", "publications", "--centre", "{c}", "--json"], "curie", "CURIE", "Curiie", "--centre"),
    (["research", "report", "journals", "--centre", "{c}", "--json"], "ipc", "Paoli-Calmettes", "Paoli Calmette", "--centre"),
    (["prescreen", "DEMO-0003", "--centre", "{c}", "--csv"], "curie", "Institut Curie", "Institut Curi", "--centre"),
    (["patients", "list", "--centre", "{c}", "--json"], "curie", "Institut Curie", "Curiie", "--centre"),
]  # fmt: skip

# commands that write: a misspelling must be refused before anything is written
WRITES = [
    ["boards", "create", "--centre", "{c}", "--site", "breast", "--name", "RCP x", "--coordinator", "clin-curie"],
    ["boards", "meeting", "1", "--when", "2099-01-01T10:00", "--centre", "{c}"],
    ["staff", "import", "payroll.csv", "--centre", "{c}"],
    ["research", "review", "1", "--centre", "{c}"],
    ["import", "patients", "bundle.json", "--centre", "{c}"],
    ["quality", "report", "{c}", "--out", "report.html"],
    ["users", "add", "someone", "--role", "clinician", "--centre", "{c}", "--password", "a long enough password"],
    ["trials", "open", "DEMO-0001", "--centre", "{c}", "--pi", "Dr A", "--email", "a@b.fr"],
]  # fmt: skip


@pytest.fixture(scope="module")
def demo_copy(demo_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's small demo network, copied: the commands write audit records and boards."""
    path = tmp_path_factory.mktemp("centre-names") / "demo.sqlite3"
    copy_sqlite(demo_db, path)
    return path


@pytest.fixture
def cli(demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{demo_copy}")
    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    yield CliRunner()


def _with(args: list[str], centre: str) -> list[str]:
    return [a.replace("{c}", centre) for a in args]


@pytest.mark.parametrize(
    ("args", "centre_id", "name", "misspelt", "option"),
    SAME_RESULT,
    ids=[" ".join(c[0][:2]) for c in SAME_RESULT],
)
def test_a_centre_name_gives_the_same_result_as_its_id(
    cli: CliRunner, args: list[str], centre_id: str, name: str, misspelt: str, option: str
) -> None:
    by_id = cli.invoke(app, _with(args, centre_id))
    assert by_id.exit_code == 0, by_id.output + repr(by_id.exception)
    assert by_id.output.strip() not in ("", "[]", "{}")  # a real result, not an empty one
    by_name = cli.invoke(app, _with(args, name))
    assert by_name.exit_code == 0, by_name.output + repr(by_name.exception)
    assert by_name.output == by_id.output

    wrong = cli.invoke(app, _with(args, misspelt))
    assert wrong.exit_code != 0 and isinstance(wrong.exception, InputError)
    assert wrong.exception.field == option
    assert f"no centre named {misspelt!r}" in str(wrong.exception)
    assert wrong.exception.fix is not None and f"({centre_id})" in wrong.exception.fix
    assert wrong.exception.fix.startswith("did you mean")


@pytest.mark.parametrize("args", WRITES, ids=[" ".join(a[:2]) for a in WRITES])
def test_a_write_command_refuses_an_unknown_centre_before_anything_else(
    cli: CliRunner, args: list[str]
) -> None:
    wrong = cli.invoke(app, _with(args, "Atlantis"))
    assert wrong.exit_code != 0 and isinstance(wrong.exception, InputError)
    assert "no centre named 'Atlantis'" in str(wrong.exception)
    assert wrong.exception.fix is not None and "oncofed centres" in wrong.exception.fix


def test_write_commands_store_the_id_of_the_centre_named(cli: CliRunner) -> None:
    created = cli.invoke(app, _with(WRITES[0], "Lyon"))
    assert created.exit_code == 0, created.output + repr(created.exception)
    listed = cli.invoke(app, ["boards", "list", "--centre", "leon-berard", "--json"])
    assert '"RCP x"' in listed.output and '"centre_id": "leon-berard"' in listed.output
    reviewed = cli.invoke(app, ["research", "report", "affiliations", "--json"])
    assert reviewed.exit_code == 0
    import json

    pending = json.loads(reviewed.output)["affiliations"]
    if pending:  # the demo leaves some affiliations for review
        done = cli.invoke(app, ["research", "review", str(pending[0]["id"]), "--centre", "Institut Curie"])
        assert done.exit_code == 0, done.output + repr(done.exception)
        assert ": matched curie;" in done.output or " curie;" in done.output


def test_the_real_entry_point_prints_one_error_line_and_exits_2(demo_copy: Path, tmp_path: Path) -> None:
    out = run(
        ["staff", "headcount", "--centre", "Roussi"],
        env={"DATABASE_URL": f"sqlite:///{demo_copy}"},
        cwd=tmp_path,
    )
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "error: --centre: no centre named 'Roussi' — did you mean 'Gustave Roussy' (gustave-roussy)?"
    )
    assert "Traceback" not in out.stderr


# the JSON API: a centre query parameter takes a name too; an unknown one is a 422 naming the
# parameter with the nearest centre (before: an empty 200)
API = [
    ("/api/trials?centre={c}", "leon-berard", "Lyon", "Lyonn", "admin"),
    ("/api/patients?centre={c}", "curie", "Institut Curie", "Curiie", "clinician"),
    ("/api/audit?centre={c}", "curie", "curie", "Institut Curi", "dpo"),
    ("/api/boards?centre={c}", "gustave-roussy", "Gustave Roussy", "Roussi", "admin"),
]


@pytest.mark.parametrize(
    ("url", "centre_id", "name", "misspelt", "role"), API, ids=[a[0].split("?")[0] for a in API]
)
def test_the_api_takes_a_centre_name_and_refuses_an_unknown_one(
    client_as,  # type: ignore[no-untyped-def]
    demo_copy: Path,
    url: str,
    centre_id: str,
    name: str,
    misspelt: str,
    role: str,
) -> None:
    from oncofed.domain import Actor, Role

    db = Database(f"sqlite:///{demo_copy}")
    client = client_as(db, Actor(role, Role(role), frozenset({centre_id}), "care"))
    by_id = client.get(url.format(c=centre_id))
    assert by_id.status_code == 200, by_id.text
    by_name = client.get(url.format(c=name))
    assert by_name.status_code == 200 and by_name.json() == by_id.json()
    wrong = client.get(url.format(c=misspelt))
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == f"no centre named {misspelt!r}" and wrong.json()["field"] == "centre"
    assert wrong.json()["code"] == "centre.unknown"
    assert f"({centre_id})" in wrong.json()["fix"]
    db.dispose()
