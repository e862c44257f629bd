"""The notes reader's per-note needs (`criteria.fast_regex.Needs`, issue 23 speed): a pattern is not searched
in a note that holds none of the strings every match opens with (or, given by hand, holds). Exact: a note
said to lack them has no match of the pattern anywhere, in any window, nor in any part of it; and the
reader gives the same facts with the needs switched off."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.criteria import fast_regex, vocab
from oncofed.criteria.fast_regex import Needs, needs
from oncofed.ingest.patients.notes import dates, facts, therapy

GATED = {
    "therapy._PAST_USE": (therapy._PAST_USE, therapy._PAST_USE_NEEDS),
    "therapy._CHRONIC": (therapy._CHRONIC, therapy._CHRONIC_NEEDS),
    "therapy._TOPICAL": (therapy._TOPICAL, therapy._TOPICAL_NEEDS),
    "facts._PROVEN_LESION": (facts._PROVEN_LESION, facts._PROVEN_LESION_NEEDS),
    "dates._LAST_DOSE": (dates._LAST_DOSE, dates._LAST_DOSE_NEEDS),
    "vocab._ADC": (vocab._ADC, vocab._ADC_NEEDS),
}

# words of the gated patterns, their near misses, other cases, and characters IGNORECASE folds to ASCII
# letters ("\u017f" long s is "s", "\u212a" Kelvin is "k", "\u0130" dotted capital I is "i")
PIECES = st.sampled_from(
    [
        " ", "  ", "\n", ".", ";", ",", ":", "-", "(", ")", "_", "5", "12", "2024", "03/2024", "é", "\u017f", "\u212a",
        "\u0130", "µ", "stopped", "STOPPED", "\u017ftopped", "discontinued", "previously", "formerly", "was on",
        "were  on", "used to", "held", "weaned", "off", "of", "chronic", "chronically", "long-term", "long term",
        "steroid-dependent", "oxygen dependent", "dependent on", "for 3 years", "for more than 6 months", "topical",
        "Topically", "cream", "ointment", "shampoo", "gel", "lotion", "foam", "eye drops", "ear-drops", "inhaled",
        "nasal spray", "mouthwash", "suppository", "pessary", "lesions", "mass", "nodules", "deposits", "bx",
        "biopsy", "BIOPSIES", "proven", "=", "c/w", "primary", "mets", "carcinoma", "last dose", "LAST CYCLE",
        "completed", "ended", "until", "finished", "trastuzumab", "mab", "enfortumab vedotin", "DERUXTECAN",
        "trastuzumab deru\u212atecan", "sacituzumab govitecan", "gemtuzumab ozogamicin", "prednisolone",
    ]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=16).map("".join)


def _no_match_anywhere(pattern: re.Pattern[str], text: str) -> bool:
    """No match in the text, in the windows that open or close at any position (and 25 characters long, as
    the readers search around a mention), nor in the parts of the text cut there."""
    n = len(text)
    return all(
        pattern.search(text, pos) is None
        and pattern.search(text, 0, pos) is None
        and pattern.search(text, pos, pos + 25) is None
        and pattern.search(text[pos:]) is None
        and pattern.search(text[:pos]) is None
        and pattern.search(text[pos : pos + 25]) is None
        for pos in range(n + 1)
    )


@pytest.mark.parametrize("name", sorted(GATED))
@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_a_note_without_the_needs_has_no_match(name: str, text: str) -> None:
    pattern, gate = GATED[name]
    gate._last = ("", False)  # the last note's answer is remembered: start afresh
    if gate.absent(text):
        assert _no_match_anywhere(pattern, text), (name, text)


@pytest.mark.parametrize("name", sorted(GATED))
def test_each_gate_reads_words_and_lets_matches_through(name: str) -> None:
    pattern, gate = GATED[name]
    assert gate.strings, name  # the pattern's needs were found (a None would gate nothing)
    for s in gate.strings:
        assert not gate.absent(f"x {s.upper()} y")  # IGNORECASE: any case is a need
    assert gate.absent("Seen today, no complaint. Weight 64 kg.")


def test_needs_of_patterns() -> None:
    assert needs(r"\b(?:stopped|was\s+on|off)\b", re.I) == ("off", "stopped", "was")
    assert needs(r"\bPD|CT scan", re.I) == ("ct scan", "pd")
    assert needs(r"\bPD|CT scan") == ("CT scan", "PD")  # case-sensitive: as written
    assert needs(r"(?:metastase|meta)s?") == ("meta",)  # an opening holding another is not needed
    assert needs(r"\d+ mg") is None  # no literal opening
    assert needs(r"x?") is None  # may match an empty string
    assert needs(r"é+|ü", re.I) is None  # IGNORECASE needs are ASCII (lower-casing them is exact)
    assert needs("|".join(f"w{k:02d}" for k in range(fast_regex.MAX_NEEDS + 1))) is None


def test_needs_off_a_text_that_is_not_lowerable() -> None:
    """A text where lower-casing is not IGNORECASE (the Kelvin sign is "k" to `re`, not to `str.lower`) is
    searched as written: `absent` is False there."""
    gate = Needs(re.compile(r"\bkg\b", re.I))
    assert gate.absent("64 g")
    assert not gate.absent("64 \u212ag")
    assert re.compile(r"\bkg\b", re.I).search("64 \u212ag")


def test_needs_by_hand_are_lower_case_ascii() -> None:
    with pytest.raises(ValueError, match="lower-case ASCII"):
        Needs.of(["Vedotin"], caseless=True)
    assert Needs.of(["Vedotin"], caseless=False).absent("vedotin")


def test_adc_needs_are_the_patterns_payloads() -> None:
    assert set(vocab._ADC_NEEDS.strings) == set(vocab.ADC_PAYLOADS)
    assert "(?P<payload>" + "|".join(vocab.ADC_PAYLOADS) + ")" in vocab._ADC.pattern


NOTES = [
    "62F, metastatic breast cancer. Prednisolone 10 mg long term; stopped letrozole 03/2024. Ketoconazole 2% "
    "shampoo. Completed 6 cycles of paclitaxel 01/2023-06/2023 (PD on CT 08/2023). Trastuzumab deruxtecan "
    "since 09/2023. 3 liver lesions, bx = breast primary.",
    "Patient on apixaban 5 mg bid, previously on warfarin. Chronic steroid-dependent COPD on prednisone for 3 "
    "years; inhaled budesonide. Last dose of pembrolizumab 12/2024.",
    "58 year old woman, NSCLC, ECOG 1. Enfortumab vedotin planned. No lesion biopsied.",
]


def _facts(text: str) -> list[tuple[object, ...]]:
    return [
        (f.kind, f.code, f.value, f.negated, f.when, f.provenance.span, sorted(f.attributes.items(), key=str))
        for f in facts.extract(text, "n", "note").facts
    ]


def _dev_notes() -> list[str]:
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
    out = []
    for folder in ("verdicts-dev", "verdicts-dev-fr"):
        for line in (data / folder / "queries.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["text"])
    return out


# compiled by `make compile` (speed30), `Needs` is a native class: `monkeypatch` cannot replace its `absent`,
# and the compiled readers would not look it up again; the comparison then runs in a pure-Python process
_COMPILED = not (fast_regex.__file__ or "").endswith(".py")


@pytest.mark.skipif(_COMPILED, reason="replaces a method of a compiled class: run under ONCOFED_PURE=1")
def test_the_reader_gives_the_same_facts_with_the_needs_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample notes and the dev set's English and French notes (the French ones through the front-end),
    read with the needs and without them (`absent` never True: every pattern searched)."""
    from oncofed.ingest.patients.notes import extract

    dev = _dev_notes()
    assert len(dev) > 100

    def read() -> list[list[tuple[object, ...]]]:
        return [_facts(t) for t in NOTES] + [
            [(f.kind, f.code, f.value, f.negated, f.provenance.span, sorted(f.attributes.items(), key=str))
             for f in extract(t, "n", "note").facts]
            for t in dev
        ]  # fmt: skip

    gated = read()
    monkeypatch.setattr(fast_regex.Needs, "absent", lambda self, text: False)
    assert read() == gated
    kinds = {row[0] for note in gated[: len(NOTES)] for row in note}
    assert {"medication", "treatment", "metastasis"} <= kinds  # the gated readers had something to read


@pytest.mark.skipif(not _COMPILED, reason="the needs are pure Python here: the comparison ran above")
def test_the_needs_comparison_runs_as_pure_python() -> None:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(Path(__file__).resolve()),
         "-k", "same_facts_with_the_needs_switched_off"],
        cwd=root, env={**os.environ, "ONCOFED_PURE": "1"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 passed" in done.stdout, done.stdout[-1000:]
