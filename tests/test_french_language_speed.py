"""Language detection asks the model only where its answer can change a line's language (issue 23 speed):
every line gets the language it gets when the model reads every unclear line, on the dev notes (as
written, without accents, in upper case, mixed with their English twins, line by line, cut) and on
random lines made of French and English words."""

from __future__ import annotations

import functools
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import language
from oncofed.criteria.french import fold

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


def _languages(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    found = language.detect(text)
    return found.language, [(line.start, line.end, line.language) for line in found.lines]


ASK_MODEL = language._ask_model
# compiled by `make compile` (speed30), `detect` calls its own `_ask_model` and `model_language` directly:
# replacing them by `monkeypatch` would change nothing and the comparisons would hold trivially; they then
# run in a pure-Python process (`test_the_comparisons_run_as_pure_python`)
_COMPILED = not (language.__file__ or "").endswith(".py")
_PURE_ONLY = pytest.mark.skipif(_COMPILED, reason="replaces a compiled function: run under ONCOFED_PURE=1")


def _notes(folder: str) -> list[str]:
    path = DATA / folder / "queries.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]


@_PURE_ONLY
def test_same_languages_as_with_the_model_on_every_unclear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    french, english = _notes("verdicts-dev-fr"), _notes("verdicts-dev")
    rng = random.Random(7)
    texts = []
    for fr, en in zip(french, english, strict=False):
        texts += [fr, en, fold(fr), fr.upper(), f"{fr}\n{en}", f"{en}\n{fr}", *fr.splitlines()]
        a = rng.randrange(len(fr))
        texts.append(fr[a : a + rng.randrange(5, 200)])
    calls = {True: 0, False: 0}
    original = language.model_language
    for shortcut in (True, False):

        def counted(line: str, shortcut: bool = shortcut) -> tuple[str, float]:
            calls[shortcut] += 1
            return original(line)

        monkeypatch.setattr(language, "model_language", counted)
        monkeypatch.setattr(language, "_ask_model", functools.partial(ASK_MODEL, shortcut=shortcut))
        found = [_languages(text) for text in texts]
        if shortcut:
            fast = found
    assert found == fast
    assert 0 < calls[True] < calls[False] / 2  # most model calls of a French note were not needed


WORDS = ["de", "pas", "avec", "métastases", "d'un", "the", "with", "was", "no", "history", "PNN", "3,9",
         "G/L", "créatinine", "µmol/L", "ECOG", "1", "sein", "breast", "l'essai", "de novo", "HER2", "négatif"]  # fmt: skip


@_PURE_ONLY
@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), min_size=1, max_size=6))
def test_same_languages_on_random_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    with pytest.MonkeyPatch.context() as m:
        fast = _languages(text)
        m.setattr(language, "_ask_model", functools.partial(ASK_MODEL, shortcut=False))
        assert _languages(text) == fast, text


@pytest.mark.skipif(not _COMPILED, reason="the language is pure Python here: the comparisons ran above")
def test_the_comparisons_run_as_pure_python() -> None:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(Path(__file__).resolve()),
         "-k", "every_unclear_line or random_lines"],
        cwd=root, env={**os.environ, "ONCOFED_PURE": "1"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert "2 passed" in done.stdout, done.stdout[-1000:]
