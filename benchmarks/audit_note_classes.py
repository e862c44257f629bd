"""Audit of four classes of what a note says, on wordings generated here (never read off a benchmark file),
English and French, decided end to end by the criteria lines they bear on with the strict engine (every
violation excludes); the wordings and their meaning are in `audit_note_classes_wordings`:

- `plan heading`: a drug after a heading that makes it a plan ("Proposal: X", "Conduite à tenir : X") is not a
  drug received ("Prior treatment with X" not violated, "No prior systemic anticancer therapy" met); a drug
  after a history heading ("Line 1: X", "Previous treatment: X") is;
- `past cancer`: a cancer of the history ("Antecedents: papillary thyroid carcinoma 2019") beside the cancer
  the note is about: "Histologically confirmed <current>" holds, "Histologically confirmed <past>" does not;
- `negated list`: each condition denied in a list ("no HIV, no infection, no X") makes its exclusion not
  violated; a condition affirmed in the next sentence makes its exclusion violated;
- `cancer named organ first` ("left kidney clear cell carcinoma"): the organ's cancer line holds, another's not;
- `age`: the patient's own age beside another person's decides the age lines; no age of the patient's
  written leaves them unknown (never an age of 0).

RIGHT: the engine decides as the generator; WRONG: it decides against it; UNREAD: unknown or not applicable
(never wrong, except for a line the generator says stays unknown: deciding it is WRONG).

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_note_classes [--show-wrong] [--show-unread]
"""

from __future__ import annotations

import argparse
import collections
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from benchmarks.audit_note_classes_wordings import (
    AGE_FRAMES,
    AGE_LINES,
    CONDITIONS,
    CONTEXT,
    CURRENT_CANCERS,
    DAY,
    DRUGS,
    HEADINGS,
    HISTORY_FRAMES,
    NEGATED_LISTS,
    ORGAN_FIRST,
    PAST_CANCERS,
)
from benchmarks.audit_note_drugs import SYSTEMIC, _criteria, read_note
from oncofed.domain import Outcome
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.facts import PatientView

UNKNOWN = "unknown"  # the note does not say: the line must stay undecided


@dataclass(frozen=True)
class Case:
    klass: str
    lang: str
    note: str
    lines: tuple[tuple[str, str, bool | str], ...]  # (section, line, whether its statement holds / UNKNOWN)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def cases() -> Iterator[Case]:
    yield from _headings()
    yield from _past_cancers()
    yield from _negated_lists()
    yield from _ages()
    for line, note, other in ORGAN_FIRST:
        lines = (
            ("Inclusion", f"Histologically confirmed {line}.", True),
            ("Inclusion", f"Histologically confirmed {other}.", False),
        )
        yield Case("cancer named organ first", "en", note, lines)


def _headings() -> Iterator[Case]:
    for lang, pattern, given in HEADINGS:
        for en, fr in DRUGS:
            line = pattern.format(d=en if lang == "en" else fr)
            lines = (("Exclusion", f"Prior treatment with {en}.", given), ("Inclusion", SYSTEMIC, not given))
            klass = "plan heading: " + ("history, given" if given else "plan, not given")
            yield Case(klass, lang, f"{CONTEXT[lang]}\n{line}", lines)


def _past_cancers() -> Iterator[Case]:
    for lang, frame in HISTORY_FRAMES:
        for past_line, past_en, past_fr in PAST_CANCERS:
            past = frame.format(
                p=past_en if lang == "en" else past_fr, P=_cap(past_en if lang == "en" else past_fr)
            )
            for line, current_en, current_fr in CURRENT_CANCERS:
                if line == past_line:
                    continue
                current = current_en if lang == "en" else current_fr
                lines = (
                    ("Inclusion", f"Histologically confirmed {line}.", True),
                    ("Inclusion", f"Histologically confirmed {past_line}.", False),
                )
                for order, note in (("after", f"{current}\n{past}"), ("before", f"{past}\n{current}")):
                    yield Case(f"past cancer ({order} the current one)", lang, note, lines)


def _negated_lists() -> Iterator[Case]:
    n = len(CONDITIONS)
    for lang, frame in NEGATED_LISTS:
        at = 1 if lang == "en" else 2
        for i in range(n):
            denied = [CONDITIONS[(i + k) % n] for k in range(3)]
            affirmed = CONDITIONS[(i + 3) % n]
            words = {k: c[at] for k, c in zip("abc", denied, strict=True)}
            listed = frame.format(**words, A=_cap(words["a"]))
            lines: tuple[tuple[str, str, bool | str], ...] = tuple(("Exclusion", c[0], False) for c in denied)
            yield Case("negated list: denied items", lang, f"{CONTEXT[lang]}\n{listed}", lines)
            sentence = affirmed[3 if lang == "en" else 4]
            note = f"{CONTEXT[lang]}\n{listed}\n{sentence}"
            yield Case(
                "negated list: item affirmed after it", lang, note, (("Exclusion", affirmed[0], True),)
            )


def _ages() -> Iterator[Case]:
    for lang, frame, age in AGE_FRAMES:
        lines: tuple[tuple[str, str, bool | str], ...] = tuple(
            (
                "Inclusion",
                line,
                UNKNOWN if age is None else (low is None or age >= low) and (high is None or age <= high),
            )
            for line, low, high in AGE_LINES
        )
        klass = "age: " + (
            "the patient's beside another's" if age is not None else "another's only (unknown)"
        )
        yield Case(klass, lang, f"{frame.format(a=age)}\n{CONTEXT[lang]}", lines)


def holds(view: PatientView, section: str, line: str) -> bool | None | str:
    """True: the line's statement holds for the patient; False: it does not; None: unknown."""
    criteria = _criteria(section, line)
    if not criteria:
        return "unparsed"
    with trust.strict():
        outcomes = [o.outcome for o in evaluate_criteria(list(criteria), view, DAY)]
    if Outcome.VIOLATED in outcomes:
        return section == "Exclusion"
    if all(o == Outcome.SATISFIED for o in outcomes):
        return section == "Inclusion"
    return None


def _verdict(got: bool | None | str, expected: bool | str) -> str:
    if expected == UNKNOWN:
        return "right" if got is None or got == "unparsed" else "wrong"
    return "unread" if got is None or got == "unparsed" else "right" if got == expected else "wrong"


def audit(show: str = "") -> dict[tuple[str, str], collections.Counter[str]]:
    table: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for case in cases():
        view = read_note(case.note)
        for section, line, expected in case.lines:
            got = holds(view, section, line)
            verdict = _verdict(got, expected)
            table[(case.klass, case.lang)][verdict] += 1
            if verdict in show:
                print(
                    f"{verdict.upper():6} {case.note!r} / {section[:3]} {line!r}: expected {expected}, read {got}"
                )
    return table


def cli(run: Callable[[str], dict[tuple[str, str], collections.Counter[str]]], description: str) -> None:
    """The command line of an audit of generated note wordings (this module's, audit_note_classes31's): the
    right / wrong / unread table by class and language, the wrong or unread readings printed on request."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--show-wrong", action="store_true", help="print every wrong reading")
    parser.add_argument("--show-unread", action="store_true", help="print every unread one")
    args = parser.parse_args()
    show = ("wrong" if args.show_wrong else "") + ("unread" if args.show_unread else "")
    total: collections.Counter[str] = collections.Counter()
    print(f"{'class of wording':48} {'lang':4} {'right':>6} {'wrong':>6} {'unread':>6}")
    for (klass, lang), c in sorted(run(show).items()):
        total.update(c)
        print(f"{klass:48} {lang:4} {c['right']:6} {c['wrong']:6} {c['unread']:6}")
    print(f"{'total':48} {'':4} {total['right']:6} {total['wrong']:6} {total['unread']:6}")


def main() -> None:
    cli(audit, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
