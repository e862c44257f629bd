"""Audit of what a note says about a drug or a serology, on wordings generated here (never read off a
benchmark file), English and French: a drug received or only planned, proposed, referred for, declined,
contraindicated; a drug given for the cancer or for another indication (methotrexate for rheumatoid
arthritis, prednisone for COPD); a serology's result (negative, positive, a resolved hepatitis B).

Each note is a cancer sentence and one composed sentence (`audit_note_drugs_wordings`); the reader's
facts are then decided by the criteria lines they bear on, with the strict engine (every violation
excludes), end to end:

- "Prior treatment with <drug>" (an exclusion): violated when the note says the drug was given (for
  whatever indication), not violated otherwise;
- "No prior systemic anticancer therapy" (an inclusion): violated when an anticancer drug was given for
  the cancer, met when the drug was not given or was given for another indication;
- "Known HIV infection", "Active hepatitis B / C infection" (exclusions): as the serology says.

RIGHT: the engine decides as the generator; WRONG: it decides against it; UNREAD: unknown or not
applicable (never wrong; a note that does not say is not read).

    PYTHONPATH=src .venv/bin/python -m benchmarks.audit_note_drugs [--show-wrong] [--show-unread]
"""

from __future__ import annotations

import argparse
import collections
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks.audit_note_drugs_wordings import (
    ANTICANCER,
    CONTEXT,
    DATES,
    DAY,
    DUAL_USE,
    EXPOSED,
    INDICATION_FRAMES,
    LATER_INDICATION_FRAMES,
    LATER_SEROLOGIES,
    LATER_STATUSES,
    MANY_SEROLOGIES,
    ONE_SEROLOGY,
    POS,
    SEROLOGY_LINES,
    STATUSES,
    VIRUS_NAMES,
)
from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Criterion, Outcome
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.facts import PatientView

SYSTEMIC = "No prior systemic anticancer therapy."
LATER = " (later wordings)"


@dataclass(frozen=True)
class Case:
    klass: str
    lang: str
    note: str
    lines: tuple[tuple[str, str, bool | None], ...]  # (section, line, whether its statement holds)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _fill(pattern: str, **parts: str) -> str:
    return pattern.format(**parts, **{k.upper(): _cap(v) for k, v in parts.items()})


def _dates(lang: str, pattern: str) -> tuple[str, ...]:
    return DATES[lang] if "{w}" in pattern else ("",)


def cases() -> Iterator[Case]:
    """Every composed note once (two frames may compose the same sentence when the date is left out)."""
    seen: set[str] = set()
    for case in _composed():
        if case.note not in seen:
            seen.add(case.note)
            yield case


def _composed() -> Iterator[Case]:
    yield from _drugs(STATUSES, INDICATION_FRAMES, "")
    yield from _serologies(ONE_SEROLOGY, MANY_SEROLOGIES, "")
    yield from _drugs(LATER_STATUSES, LATER_INDICATION_FRAMES, LATER)
    yield from _serologies((), LATER_SEROLOGIES, LATER)


def _drugs(
    statuses: tuple[tuple[str, str, bool], ...], frames: tuple[tuple[str, str], ...], tag: str
) -> Iterator[Case]:
    lines: tuple[tuple[str, str, bool | None], ...]
    for lang, pattern, given in statuses:
        klass = ("drug given" if given else "drug named, not given") + tag
        for en, fr in ANTICANCER:
            drug = en if lang == "en" else fr
            for when in _dates(lang, pattern):
                sentence = _fill(pattern, d=drug, w=when)
                lines = (
                    ("Exclusion", f"Prior treatment with {en}.", given),
                    ("Inclusion", SYSTEMIC, not given),
                )
                yield Case(klass, lang, f"{CONTEXT[lang]} {sentence}", lines)
    for (en, fr), indications in DUAL_USE.items():
        for i_en, i_fr, anticancer in indications:
            klass = ("drug for the cancer" if anticancer else "drug for another indication") + tag
            for lang, pattern in frames:
                drug, indication = (en, i_en) if lang == "en" else (fr, i_fr)
                for when in _dates(lang, pattern)[:2]:
                    sentence = _fill(pattern, d=drug, i=indication, w=when)
                    lines = (
                        ("Exclusion", f"Prior treatment with {en}.", True),
                        ("Inclusion", SYSTEMIC, not anticancer),
                    )
                    yield Case(klass, lang, f"{CONTEXT[lang]} {sentence}", lines)


def _serologies(
    one: tuple[tuple[str, str, str], ...], many: tuple[tuple[str, str, dict[str, str]], ...], tag: str
) -> Iterator[Case]:
    for lang, pattern, status in one:
        for virus, names in VIRUS_NAMES[lang].items():
            for name, current in names:
                line, says = SEROLOGY_LINES[virus]
                said = EXPOSED if status == POS and not current else status
                klass = f"serology {status}{tag}"
                note = f"{CONTEXT[lang]} {_fill(pattern, v=name)}"
                yield Case(klass, lang, note, (("Exclusion", line, says[said]),))
    for lang, sentence, statuses in many:
        lines = tuple(
            ("Exclusion", SEROLOGY_LINES[v][0], SEROLOGY_LINES[v][1][s]) for v, s in statuses.items()
        )
        klass = "serologies " + "/".join(sorted(set(statuses.values()))) + tag
        yield Case(klass, lang, f"{CONTEXT[lang]} {sentence}", lines)


@functools.cache
def _criteria(section: str, line: str) -> tuple[Criterion, ...]:
    return tuple(parse_eligibility(f"{section} criteria:\n- {line}").criteria)


def read_note(text: str) -> PatientView:
    from oncofed.ingest.patients.notes.french import extract

    profile = extract(text, "audit", "audit")
    profile.sex = "FEMALE"
    return PatientView.of(profile)


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


def audit(show: str = "") -> dict[tuple[str, str, str], collections.Counter[str]]:
    table: dict[tuple[str, str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for case in cases():
        view = read_note(case.note)
        for section, line, expected in case.lines:
            if expected is None:
                continue  # the wording does not decide it (an antibody alone: active or not?)
            got = holds(view, section, line)
            verdict = (
                "unread" if got is None or got == "unparsed" else "right" if got == expected else "wrong"
            )
            table[(case.klass, case.lang, line if line == SYSTEMIC else line.split(" with ")[0])][
                verdict
            ] += 1
            if verdict in show:
                print(
                    f"{verdict.upper():6} {case.note!r} / {section[:3]} {line!r}: expected {expected}, read {got}"
                )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true", help="print every wrong reading")
    parser.add_argument("--show-unread", action="store_true", help="print every unread one")
    args = parser.parse_args()
    show = ("wrong" if args.show_wrong else "") + ("unread" if args.show_unread else "")
    total: collections.Counter[str] = collections.Counter()
    print(f"{'class of wording':45} {'lang':4} {'criterion':38} {'right':>6} {'wrong':>6} {'unread':>6}")
    for (klass, lang, line), c in sorted(audit(show).items()):
        total.update(c)
        print(f"{klass:45} {lang:4} {line:38} {c['right']:6} {c['wrong']:6} {c['unread']:6}")
    print(f"{'total':45} {'':4} {'':38} {total['right']:6} {total['wrong']:6} {total['unread']:6}")


if __name__ == "__main__":
    main()
