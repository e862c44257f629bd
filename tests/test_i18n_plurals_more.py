"""Plural forms left from the first pass (tests/test_i18n_plurals.py): the login page's "wait N seconds", the
pre-screening notice and e-mail's "N new candidates", the command line's "N rows" lines; 1 is singular and
other counts plural in English, 0 and 1 singular in French."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from oncofed.presenters.i18n import translator
from oncofed.store.db import Database
from oncofed.web.app import create_app


def _blocked_login(db: Database, wait: int, lang: str) -> str:
    """The login page's error after too many failed attempts, the limiter asking to wait `wait` s."""
    client = TestClient(create_app(db))
    client.app.state.login_limiter.retry_after = lambda address, username: wait  # type: ignore[attr-defined]
    page = client.get(f"/login?lang={lang}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        f"/login?lang={lang}",
        data={"username": "claire", "password": "x", "csrf_token": token.group(1)},
        headers={"Accept-Language": lang},
        follow_redirects=False,
    )
    assert response.status_code == 429 and response.headers["retry-after"] == str(wait)
    found = re.search(r'id="login-error">([^<]+)<', response.text)
    assert found is not None
    return found.group(1).replace("&#39;", "'")


@pytest.mark.parametrize(
    ("wait", "lang", "words"),
    [
        (1, "en", "wait 1 second and try again"),
        (30, "en", "wait 30 seconds and try again"),
        (1, "fr", "attendez 1 seconde avant"),
        (30, "fr", "attendez 30 secondes avant"),
    ],
)
def test_the_login_page_says_the_wait_in_the_singular_or_plural(
    sqlite_db: Database, wait: int, lang: str, words: str
) -> None:
    assert words in _blocked_login(sqlite_db, wait, lang)


@pytest.mark.parametrize(
    ("count", "words"), [(1, "1 new candidate for trial"), (3, "3 new candidates for trial")]
)
def test_the_new_candidates_notice_and_e_mail_say_their_count(
    sqlite_db: Database, count: int, words: str
) -> None:
    from oncofed.services.prescreen.notify import notify_new_candidates

    note = notify_new_candidates(sqlite_db, "NCT00000001", "curie", count)
    assert note.message == f"{words} NCT00000001 at curie"


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("%(num)s row", "%(num)s rows"),
        ("%(num)s activity row", "%(num)s activity rows"),
        ("%(num)s rejected row", "%(num)s rejected rows"),
        ("%(num)s row refused", "%(num)s rows refused"),
        ("%(num)s problem", "%(num)s problems"),
        ("%(num)s new candidate for trial %(trial)s at %(centre)s", "%(num)s new candidates for trial %(trial)s at %(centre)s"),
    ],
)  # fmt: skip
def test_command_line_counts_for_0_1_2(singular: str, plural: str) -> None:
    en, fr = translator("en"), translator("fr")
    params = {"trial": "NCT1", "centre": "curie"}
    assert en.ngettext(singular, plural, 1, **params) == singular % {"num": 1, **params}
    assert en.ngettext(singular, plural, 2, **params) == plural % {"num": 2, **params}
    assert en.ngettext(singular, plural, 0, **params) == plural % {"num": 0, **params}
    said = [fr.ngettext(singular, plural, n, **params) for n in (0, 1, 2)]
    assert said[0].replace("0", "1") == said[1] != said[2].replace("2", "1")  # 0 and 1 singular in French


def test_the_audit_verify_line_says_one_row_in_the_singular(tmp_path: Path, monkeypatch: Any) -> None:
    from typer.testing import CliRunner

    from oncofed.cli import app
    from oncofed.domain import Actor, Role
    from oncofed.store.audit import record_security

    monkeypatch.setenv("ONCOFED_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database(f"sqlite:///{tmp_path}/oncofed.sqlite3")
    database.upgrade()
    record_security(database.engine, Actor("dr", Role.CLINICIAN, frozenset({"curie"})), "login")
    out = CliRunner().invoke(app, ["audit", "verify"])
    assert out.exit_code == 0 and "audit chain intact: 1 row" in out.output and "1 rows" not in out.output
