"""Every refusal a service raises is coded: a code, English message ids and parameters, said in the
reader's language on pages, in the API's `detail` and by `oncofed --lang fr` (presenters/errors.py).
No service (pre-screening and the verdict engine apart: other areas) raises a bare English sentence."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from oncofed.errors import ConfigError, InputError, NotFound, OncofedError, StoreError
from oncofed.presenters.errors import said
from oncofed.store.db import Database

SERVICES = Path(__file__).resolve().parents[1] / "src" / "oncofed" / "services"
ERRORS = {cls.__name__ for cls in (OncofedError, InputError, NotFound, ConfigError, StoreError)}


def _checked_files() -> list[Path]:
    return [
        p
        for p in sorted(SERVICES.rglob("*.py"))
        if "prescreen" not in p.parts and not p.name.startswith("verdicts")
    ]


def _error_calls(path: Path) -> list[ast.Call]:
    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
            if name in ERRORS:
                calls.append(node)
    return calls


def _marked(node: ast.expr) -> list[str]:
    """The message ids `N_("...")` / `NN_("...", "...")` (its singular) in an expression (both arms of
    an `if`)."""
    return [
        call.args[0].value
        for call in ast.walk(node)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in ("N_", "NN_")
        if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
    ]


def test_no_service_raises_a_bare_english_sentence() -> None:
    bare = []
    for path in _checked_files():
        for call in _error_calls(path):
            keywords = {k.arg for k in call.keywords}
            message = call.args[0] if call.args else None
            literal = isinstance(message, ast.JoinedStr | ast.Constant | ast.BinOp) or (
                isinstance(message, ast.Call) and not _marked(message)
            )
            if "code" not in keywords or literal:
                bare.append(f"{path.relative_to(SERVICES)}:{call.lineno}")
    assert bare == [], f"errors without a code and message ids: {bare}"


def test_every_service_message_has_its_french_words() -> None:
    from babel.messages.pofile import read_po

    po = SERVICES.parent / "resources" / "locale" / "fr" / "LC_MESSAGES" / "oncofed.po"
    with po.open("rb") as fh:
        catalogue = read_po(fh)
    french = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = []
    for path in _checked_files():
        for call in _error_calls(path):
            for node in [*call.args[:1], *(k.value for k in call.keywords if k.arg == "fix")]:
                for message in _marked(node):
                    if message not in french:
                        missing.append(f"{path.relative_to(SERVICES)}:{call.lineno}: {message}")
    assert missing == [], missing


@pytest.mark.parametrize(
    ("raise_it", "code", "french"),
    [
        (lambda: __import__("oncofed.services.accounts.users", fromlist=["x"]).parse_role("pilot"), "account.unknown_role", "rôle inconnu 'pilot'"),
        (lambda: __import__("oncofed.services.accounts.users", fromlist=["x"]).hash_password("short"), "account.password_short", "mot de passe trop court (5 caractères)"),
    ],
)  # fmt: skip
def test_refusals_are_said_in_french(raise_it, code, french) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OncofedError) as caught:
        raise_it()
    words = said(caught.value, "fr")
    assert words["code"] == code and words["message"] == french and words["fix"]
    assert said(caught.value, "en")["message"] == caught.value.reason  # English unchanged


def test_api_detail_and_cli_in_french(sqlite_db: Database, client_as, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import sys

    from oncofed.cli import main
    from oncofed.domain import Actor

    answer = client_as(sqlite_db, Actor.public()).get(
        "/api/quality/epihc/nowhere", headers={"Accept-Language": "fr"}
    )
    assert answer.status_code == 404 and answer.json()["code"] == "centre.unknown_id", answer.text
    assert answer.json()["detail"] == "aucun centre 'nowhere'"
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    for lang, words in (
        ("fr", "role : rôle inconnu 'pilot' — utilisez l'un"),  # French typography: a space before ":"
        ("en", "role: unknown role 'pilot' — use one of"),
    ):
        argv = ["oncofed", "--lang", lang, "users", "add", "zoe", "--role", "pilot", "--password-stdin"]
        monkeypatch.setattr(sys, "argv", argv)
        monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("x" * 12 + "\n"))
        with pytest.raises(SystemExit) as done:
            main()
        assert done.value.code == 2
        assert words in " ".join(capsys.readouterr().err.split())
