"""The last "(s)" counts: research services' errors ("unknown centre X" / "unknown centres X, Y"), the command
line's criteria reparse, feasibility budget, patient import, research flag/review, eval rank and audit unlock
lines. English below presenters through stdlib gettext; the CLI through the catalogue's English plural forms
(French forms in the catalogue, 0 and 1 singular)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from oncofed.domain import Actor, Role
from oncofed.errors import InputError
from oncofed.presenters.i18n import translator
from oncofed.store.db import Database

SOURCES = [
    Path("src/oncofed/services/research/publications.py"),
    Path("src/oncofed/services/research/screen_failures.py"),
    Path("src/oncofed/commands/feasibility.py"),
    Path("src/oncofed/commands/criteria.py"),
    Path("src/oncofed/commands/patients.py"),
    Path("src/oncofed/commands/research.py"),
    Path("src/oncofed/commands/eval_rank.py"),
    Path("src/oncofed/commands/audit.py"),
    Path("src/oncofed/web/routes/research_pages.py"),
]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_count_is_written_with_an_s_in_brackets(path: Path) -> None:
    text = (Path(__file__).parent.parent / path).read_text(encoding="utf-8")
    assert "(s) " not in text and '(s)"' not in text, f"{path}: say the count with ngettext, not '(s)'"


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        (["nowhere"], "unknown centre nowhere"),
        (["nowhere", "elsewhere"], "unknown centres nowhere, elsewhere"),
    ],
)
def test_an_unknown_centre_of_a_review_is_said_in_the_singular_or_plural(
    sqlite_db: Database, bad: list[str], said: str
) -> None:
    from oncofed.services.research.publications import review_affiliation

    with pytest.raises(InputError) as exc:
        review_affiliation(sqlite_db, Actor("tm", Role.TRIAL_MANAGER, frozenset()), 1, bad)
    assert exc.value.message == f"centre_ids: {said}"


@pytest.mark.parametrize(
    ("bad", "said"), [(["crystal"], "unknown source crystal"), (["a", "b"], "unknown sources a, b")]
)
def test_an_unknown_screen_failure_source_is_said_in_the_singular_or_plural(
    sqlite_db: Database, bad: list[str], said: str
) -> None:
    from oncofed.services.research.screen_failures import screen_failures

    with pytest.raises(InputError) as exc:
        screen_failures(sqlite_db, "NCT00000001", bad)
    assert exc.value.message == f"source: {said}"


@pytest.mark.parametrize(
    ("singular", "plural", "params"),
    [
        ("%(num)s eligibility text parsed and stored with parser %(version)s", "%(num)s eligibility texts parsed and stored with parser %(version)s", {"version": "criteria-2"}),
        ("privacy budget: %(num)s question left over %(days)s days (%(user)s).", "privacy budget: %(num)s questions left over %(days)s days (%(user)s).", {"days": 30, "user": "tm"}),
        ("%(num)s criterion not decidable from patient data (not counted).", "%(num)s criteria not decidable from patient data (not counted).", {}),
        ("%(num)s valid record of those files was not written", "%(num)s valid records of those files were not written", {}),
        ("%(num)s trial flagged from the registry's lead sponsor: %(trials)s", "%(num)s trials flagged from the registry's lead sponsor: %(trials)s", {"trials": "NCT1"}),
        ("%(num)s paper re-attributed", "%(num)s papers re-attributed", {}),
        ("%(num)s note with no recognisable diagnosis, ranked on relevance (criterion outcomes mostly unknown):", "%(num)s notes with no recognisable diagnosis, ranked on relevance (criterion outcomes mostly unknown):", {}),
        ("%(num)s trial without criteria: not_evaluated, ranked on text only:", "%(num)s trials without criteria: not_evaluated, ranked on text only:", {}),
        ("lifted %(num)s feasibility lockout of %(user)s (recorded in the audit log)", "lifted %(num)s feasibility lockouts of %(user)s (recorded in the audit log)", {"user": "tm"}),
    ],
)  # fmt: skip
def test_command_line_counts_for_0_1_2(singular: str, plural: str, params: dict[str, Any]) -> None:
    en, fr = translator("en"), translator("fr")
    assert en.ngettext(singular, plural, 1, **params) == singular % {"num": 1, **params}
    assert en.ngettext(singular, plural, 2, **params) == plural % {"num": 2, **params}
    assert en.ngettext(singular, plural, 0, **params) == plural % {"num": 0, **params}
    said = [fr.ngettext(singular, plural, n, **params) for n in (0, 1, 2)]
    assert said[1] != singular % {"num": 1, **params}  # translated
    assert (
        said[0].replace("0", "1", 1) == said[1] != said[2].replace("2", "1", 1)
    )  # 0 and 1 singular in French


def test_the_reparse_line_says_one_text_in_the_singular(tmp_path: Path, monkeypatch: Any) -> None:
    from typer.testing import CliRunner

    from oncofed.cli import app

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    Database(f"sqlite:///{tmp_path}/oncofed.sqlite3").upgrade()
    out = CliRunner().invoke(app, ["criteria", "reparse"])
    assert out.exit_code == 0, out.output
    assert "0 eligibility texts parsed and stored with parser" in out.output and "(s)" not in out.output
