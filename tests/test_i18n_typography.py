"""French typography (docs/DEVELOPING.md, "Translations"): a no-break space (U+00A0) before ":", a narrow
no-break space (U+202F) before ";" "?" "!" and inside « », in every French translation; placeholders, URLs and
times untouched. The catalogue check fails when a French msgstr has an ordinary space (or none) there again:
fix it with `.venv/bin/python scripts/french_typography.py`."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from oncofed.presenters.engine_text import say
from oncofed.presenters.i18n import catalogue_path, translator
from oncofed.presenters.typography import NBSP, NNBSP, breaches, french_typography
from oncofed.store.db import Database
from oncofed.web.app import create_app


def test_no_french_translation_has_an_ordinary_space_before_a_colon_semicolon_question_or_exclamation() -> (
    None
):
    with catalogue_path("fr").open("rb") as fh:
        catalogue = read_po(fh, locale="fr")
    found = breaches(catalogue)
    assert not found, (
        f"{len(found)} French translations without the no-break space French typography asks for, first "
        f"{found[:5]}: run .venv/bin/python scripts/french_typography.py"
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Période : %(from)s", f"Période{NBSP}: %(from)s"),
        ("Période: %(from)s", f"Période{NBSP}: %(from)s"),
        ("essais ; patients", f"essais{NNBSP}; patients"),
        ("(au plus 28 jours ?)", f"(au plus 28 jours{NNBSP}?)"),
        ("Attention !", f"Attention{NNBSP}!"),
        ("« %(field)s » doit", f"«{NNBSP}%(field)s{NNBSP}» doit"),
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
        # left alone: placeholders, a URL and its query, a time, a sign opening a text the code joins
        ("voir https://example.org/a?lang=fr à 10:30", "voir https://example.org/a?lang=fr à 10:30"),
        ("%(a)s:%(b)s", "%(a)s:%(b)s"),
        (": %(x)s", ": %(x)s"),
    ],
)
def test_french_typography(text: str, said: str) -> None:
    assert french_typography(text) == said
    assert french_typography(said) == said  # once is enough


def test_a_french_page_and_an_engine_sentence_carry_the_no_break_spaces(sqlite_db: Database) -> None:
    page = TestClient(create_app(sqlite_db)).get("/?lang=fr")
    assert page.status_code == 200
    footer = translator("fr").gettext("oncofed — open source. Demo data are synthetic: no real patient.")
    assert f"synthétiques{NBSP}: aucun vrai patient" in footer and footer in page.text
    assert " : " not in page.text.split("<main", 1)[1].split("</main>", 1)[0].replace("&#39;", "'")
    said = say("fr", "Not decided: stage; ECOG performance status.")
    assert said.startswith(f"Non tranché{NBSP}: ") and f"{NNBSP}; " in said


def test_templates_write_a_colon_after_an_expression_with_colon() -> None:
    """`{{ _('Label') }}: ` would be "Libellé: " in French: templates write `{{ _('Label') }}{{ colon() }}`."""
    from pathlib import Path

    import oncofed.web

    found = []
    for path in sorted((Path(oncofed.web.__file__).parent / "templates").glob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\}\}:(?= |<|$)", line):
                found.append(f"{path.name}:{number}")
    assert not found, f"a colon written after an expression (use {{{{ colon() }}}}): {found}"


def test_templates_write_numbers_with_num() -> None:
    """`'%.2f'|format(x)` writes "1234.50" on a French page: templates write `num(x, 2)` (Babel: "1 234,50")."""
    from pathlib import Path

    import oncofed.web

    found = [
        path.name
        for path in sorted((Path(oncofed.web.__file__).parent / "templates").glob("*.html"))
        if re.search(r"'%[-+ 0#]*\d*(\.\d+)?[dfge]'\|format", path.read_text(encoding="utf-8"))
    ]
    assert not found, f"printf-style numbers (use num(x, digits)): {found}"


def test_templates_say_dates_given_to_a_message_with_day() -> None:
    """`_('... at %(at)s', at=case.signed_at)` wrote "2026-12-06T16:28:35Z" on a French page: `day(x, time=True)`."""
    from pathlib import Path

    import oncofed.web

    raw = re.compile(r"\b\w+=[\w.]*\b(\w+_at|until|period_from|period_to|computed)[,)]")
    found = [
        path.name
        for path in sorted((Path(oncofed.web.__file__).parent / "templates").glob("*.html"))
        if raw.search(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"a date given raw to a message (use day(x) or day(x, time=True)): {found}"
