"""Audit of the disease setting, stage, lines of therapy and treatment-naive readings on wordings generated
here (never read off a benchmark file), in criteria lines (inclusion and exclusion) and note sentences,
English and French.

Criteria lines: each wording is composed from parts (a cancer, a setting, a stage, a count of lines, a
therapy and its setting, a negation or a permission) and carries the generator's own semantics, a function
of a patient's truth (metastatic, locally advanced, stage, TNM, lines for advanced disease, therapies given
and their setting, relapse after adjuvant therapy). Nine patients, each built as the record says it (stage,
disease status, metastases, treatments with their setting and line), meet it, fail it or leave it open
(None: the record does not decide it). A line is put in an inclusion section and, when it names no
negation or permission, in an exclusion section too. The engine's outcome (strict reading: every
violation excludes) is RIGHT when it is the generator's, WRONG when it decides against it (met when it is
not, or the reverse; a permission read as violated), UNREAD when unknown or not applicable (never wrong)
or when nothing was parsed.

Note sentences: a setting sentence (metastatic, de novo, relapsed, early, locally advanced: stage, TNM)
and a history sentence (untreated, adjuvant only, N lines for metastatic disease), each field measured on
the reader's profile (`matching.facts.PatientView`): metastatic or not, stage group, lines for advanced
disease, treatment-naive.

    PYTHONPATH=src .venv/bin/python -m benchmarks.audit_setting [--show-wrong] [--show-unread]
"""

from __future__ import annotations

import argparse
import collections
from collections.abc import Iterator
from datetime import date

from benchmarks.audit_setting_wordings import (
    DAY,
    HISTORY_NOTES,
    LINES,
    NAIVE,
    OK,
    PERMISSIONS,
    SETTING_NOTES,
    SETTINGS,
    STAGES,
    Rule,
    Truth,
)
from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Fact, Outcome, PatientProfile, Provenance
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria
from oncofed.matching.facts import PatientView, parse_stage

SRC = Provenance("audit")
Case = tuple[str, str, str, Rule, bool]  # class, language, line, rule, also as an exclusion

CHEMO = (("paclitaxel", "taxane"), ("capecitabine", "antimetabolite"), ("eribulin", "chemotherapy"))
PATIENTS = (
    Truth("de novo, untreated", "IV", ("T2", "N1", "M1"), True, de_novo=True, sites=1),
    Truth(
        "relapsed > 12 months after adjuvant, 1 line (endocrine)", "IV", ("T2", "N1", "M1"), True,
        lines=1, adjuvant=True, adjuvant_end=date(2022, 6, 1), relapse=date(2024, 9, 1), chemo=True, sites=2,
        regimens=(("letrozole", "aromatase inhibitor"),),
    ),
    Truth("de novo, 2 lines", "IV", ("T3", "N2", "M1"), True, de_novo=True, lines=2, chemo=True, sites=4,
          regimens=CHEMO[:2]),
    Truth("de novo, 3 lines", "IV", ("T2", "N1", "M1"), True, de_novo=True, lines=3, chemo=True, sites=3,
          regimens=CHEMO),
    Truth("relapsed 4 months after adjuvant, untreated since", "IV", ("T2", "N1", "M1"), True, adjuvant=True,
          adjuvant_end=date(2026, 3, 1), relapse=date(2026, 7, 1), chemo=True, sites=1),
    Truth("early, adjuvant chemotherapy ended 5 months ago", "IIA", ("T2", "N0", "M0"), False, adjuvant=True,
          adjuvant_end=date(2026, 6, 1), chemo=True),
    Truth("early, untreated", "IIB", ("T2", "N1", "M0"), False),
    Truth("locally advanced unresectable, untreated", "IIIB", ("T4", "N2", "M0"), False, locally_advanced=True),
    Truth("de novo, 1 line (endocrine), chemo-naive", "IV", ("T1", "N0", "M1"), True, de_novo=True, lines=1,
          sites=1, regimens=(("letrozole", "aromatase inhibitor"),)),
)  # fmt: skip


def record(t: Truth) -> PatientProfile:
    """The patient as a record states it: stage (group and TNM), disease status, metastases, treatments."""
    t_, n, m = t.tnm
    facts = [Fact("stage", code=t.stage, value=t.stage, provenance=SRC, attributes={"t": t_, "n": n, "m": m})]
    if t.metastatic:
        facts.append(Fact("disease_status", "metastatic", provenance=SRC))
        for i, site in enumerate(("bone", "liver", "lung", "brain")[: t.sites]):
            facts.append(Fact("metastasis", site, provenance=SRC, attributes={"count": 1} if i < 9 else {}))
    else:
        facts.append(Fact("metastasis", None, negated=True, provenance=SRC))
    if t.locally_advanced:
        facts += [Fact("disease_status", x, provenance=SRC) for x in ("locally_advanced", "unresectable")]
    if t.relapse:
        facts.append(Fact("disease_status", "recurrent", when=t.relapse, provenance=SRC))
    if t.adjuvant and t.adjuvant_end:
        for drug, klass in (("epirubicin", "anthracycline"), ("docetaxel", "taxane")):
            attrs = {"class": klass, "setting": "adjuvant", "end": t.adjuvant_end.isoformat()}
            facts.append(Fact("treatment", drug, provenance=SRC, attributes=attrs))
    for i, (drug, klass) in enumerate(t.regimens, 1):
        attrs = {"class": klass, "setting": "metastatic", "line": i, "start": f"{2023 + i}-01-01"}
        facts.append(Fact("treatment", drug, provenance=SRC, attributes=attrs))
    if not t.systemic:
        facts.append(Fact("treatment", None, negated=True, provenance=SRC))
    return PatientProfile(
        id=t.name, centre_id="c", sex="FEMALE", birth_date=date(1966, 2, 1), primary_cancer="BRCA",
        stage=t.stage, facts=facts,
    )  # fmt: skip


CANCERS = {"en": ("breast cancer", "carcinoma of the breast"), "fr": ("cancer du sein", "carcinome mammaire")}
NEGATED = ("non-metastatic", "naive", "permission", "without", "no ", "untreated")


def cases() -> Iterator[Case]:
    for group in (SETTINGS, STAGES, LINES, NAIVE, PERMISSIONS):
        for klass, lang, pattern, rule in group:
            names = CANCERS[lang] if "{c}" in pattern.lower() else ("",)
            for cancer in names:
                text = pattern.format(c=cancer, C=cancer[:1].upper() + cancer[1:])
                both = not any(w in klass or w in text.lower() for w in NEGATED)
                yield klass, lang, text, rule, both


def read_line(text: str, section: str, t: Truth) -> bool | None | str:
    """True: the line's statement holds for the patient (an inclusion satisfied, an exclusion violated);
    False: it does not; None: unknown or not applicable; "unparsed": no criterion read."""
    criteria = parse_eligibility(f"{section} criteria:\n- {text}").criteria
    if not criteria:
        return "unparsed"
    with trust.strict():
        outcomes = [o.outcome for o in evaluate_criteria(criteria, record(t), DAY)]
    if Outcome.VIOLATED in outcomes:
        return section == "Exclusion"
    if all(o == Outcome.SATISFIED for o in outcomes):
        return section == "Inclusion"
    return None


def judge(expected: bool | None | str, got: bool | None | str) -> str:
    if got == "unparsed" or got is None:
        return "unread"
    if expected == OK:
        return "right" if got else "wrong"
    if expected is None:
        return "unread"
    return "right" if got == expected else "wrong"


def audit_lines(show: str = "") -> dict[tuple[str, str], collections.Counter[str]]:
    table: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for klass, lang, text, rule, both in cases():
        for section in ("Inclusion", "Exclusion") if both else ("Inclusion",):
            for t in PATIENTS:
                expected, got = rule(t), read_line(text, section, t)
                verdict = judge(expected, got)
                if expected is None and verdict == "unread":
                    verdict = "undecided by design"
                table[(f"line {klass}", lang)][verdict] += 1
                if verdict in show:
                    print(
                        f"{verdict.upper():6} {section[:3]} {text!r} / {t.name}: expected {expected}, read {got}"
                    )
    return table


# --- notes ----------------------------------------------------------------------------------------------


def read_note(text: str) -> PatientView:
    from oncofed.ingest.patients.notes.french import extract

    return PatientView.of(extract(text, "audit", "audit"))


LOCAL = ("surgery", "radiotherapy")  # local treatments: "treatment-naive" is of systemic therapy


def _naive(v: PatientView) -> bool | None:
    if [f for f in v.treatments() if str(f.attributes.get("class") or f.code) not in LOCAL]:
        return False
    return True if v.negative("treatment") else None


def audit_notes(show: str = "") -> dict[tuple[str, str], collections.Counter[str]]:
    table: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)

    def count(klass: str, lang: str, field_: str, expected: object, got: object, note: str) -> None:
        verdict = "unread" if got is None else "right" if got == expected else "wrong"
        table[(f"{klass} [{field_}]", lang)][verdict] += 1
        if verdict in show:
            print(f"{verdict.upper():6} NOTE {field_}: {note!r}: expected {expected}, read {got}")

    for klass, lang, pattern, metastatic, stage in SETTING_NOTES:
        for cancer in CANCERS[lang]:
            text = pattern.format(c=cancer, C=cancer[:1].upper() + cancer[1:])
            v = read_note(text)
            count(klass, lang, "metastatic", metastatic, v.is_metastatic()[0], text)
            if stage:
                got = parse_stage(v.stage()[0])
                count(klass, lang, "stage", stage, "".join(got) if got else None, text)
            for hclass, hlang, history, lines, naive in HISTORY_NOTES:
                if hlang != lang or not metastatic:
                    continue
                both = read_note(f"{text} {history}")
                count(hclass, lang, "lines", lines, both.prior_lines()[0], f"{text} {history}")
                count(hclass, lang, "naive", naive, _naive(both), f"{text} {history}")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true", help="print every wrong reading")
    parser.add_argument("--show-unread", action="store_true", help="print every unread one")
    args = parser.parse_args()
    show = ("wrong" if args.show_wrong else "") + ("unread" if args.show_unread else "")
    total: collections.Counter[str] = collections.Counter()
    print(f"{'class of wording':66} {'lang':4} {'right':>6} {'wrong':>6} {'unread':>6} {'open':>5}")
    for table in (audit_lines(show), audit_notes(show)):
        for (klass, lang), c in sorted(table.items()):
            total.update(c)
            print(
                f"{klass:66} {lang:4} {c['right']:6} {c['wrong']:6} {c['unread']:6} "
                f"{c['undecided by design']:5}"
            )
    print(
        f"{'total':66} {'':4} {total['right']:6} {total['wrong']:6} {total['unread']:6} "
        f"{total['undecided by design']:5}"
    )


if __name__ == "__main__":
    main()
