"""Tumour boards in French (fresh eyes): a meeting's date and time said in the reader's way ("13 déc. 2026 14:00",
was "2026-12-13T14:00"), and every word of the boards' vocabulary a whole text in both languages (an unquoted
comma in a YAML flow mapping cut "Spécialiste d'organe (pneumologie, gastro-entérologie, ...)" after "(pneumologie")."""

from __future__ import annotations

import pytest

from oncofed.presenters.i18n import translator
from oncofed.services.boards.vocabulary import label, vocabulary


@pytest.mark.parametrize(
    ("lang", "value", "said"),
    [
        ("fr", "2026-12-13T14:00", "13 déc. 2026 14:00"),
        ("en", "2026-12-13T14:00", "13 Dec 2026 14:00"),
        ("fr", "2026-12-13", "13 déc. 2026"),  # no time written: none said
        ("fr", "soon", "soon"),
    ],
)
def test_a_meetings_date_and_time_are_said_in_the_readers_way(lang: str, value: str, said: str) -> None:
    assert translator(lang).day(value, time=True) == said


def test_every_word_of_the_boards_vocabulary_is_whole_in_both_languages() -> None:
    for group, entries in vocabulary().items():
        if not isinstance(entries, dict):
            continue
        for code, entry in entries.items():
            if not isinstance(entry, dict):
                continue
            assert all(value is not None for value in entry.values()), (
                f"{group}.{code}: {entry} (quote the text)"
            )
            assert isinstance(entry.get("en"), str) and isinstance(entry.get("fr"), str), f"{group}.{code}"
    assert (
        label("specialties", "organ_specialist", "fr")
        == "Spécialiste d'organe (pneumologie, gastro-entérologie, ...)"
    )
