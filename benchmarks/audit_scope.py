"""Audit of what a criterion line says about itself, on wordings generated here (never read off a benchmark
file), English and French: its polarity (an exclusion stated inside the line, "... are ineligible", "is not
allowed", "must not have", whatever section it sits in), the scope of a prior-therapy line ("no prior
taxane in the metastatic setting": the setting says which courses count, it is no negated requirement;
"no limit in number of prior ..." is a permission), its conditions ("AST <= 5 x ULN for patients with liver
metastases": not applicable to the others) and its disjunctions with an alternative the engine cannot read
("prior taxane or a contraindication to taxanes": never violated by the alternative it reads).

Each wording carries the generator's own semantics (`benchmarks/audit_scope_wordings.py`), a function of a
patient as the record states it; each is read alone in its section(s) by the strict engine (every violation
excludes) and judged against every patient of its class: RIGHT when the engine's outcome is the
generator's ("unknown" is right when the record cannot tell), WRONG when it decides against it (an exclusion
where the line keeps the patient in or cannot tell, a pass where it excludes), UNREAD when unknown or not
parsed where the generator decides, OPEN when the generator cannot tell and the engine lets the patient in.

    PYTHONPATH=src .venv/bin/python -m benchmarks.audit_scope [--show-wrong] [--show-unread] [--csv F] [--only C]
"""

from __future__ import annotations

import argparse
import collections
import csv
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from benchmarks.audit_scope_wordings import DRUGS, OK, Expected, Who, rows
from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Fact, Outcome, PatientProfile, Provenance
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria

DAY = date(2026, 11, 1)
SRC = Provenance("audit")
LAB_UNITS = {
    "ast": "U/L",
    "alt": "U/L",
    "bilirubin": "mg/dL",
    "creatinine_clearance": "mL/min",
    "hemoglobin": "g/dL",
}


def _condition(key: str, negated: bool) -> Fact:
    if key in ("liver", "bone", "brain"):
        attrs = {} if negated or key != "brain" else {"status": "untreated"}
        return Fact("metastasis", key, negated=negated, provenance=SRC, attributes=attrs)
    if key in ("hbv", "hcv", "hiv"):
        code = {"hbv": "hepatitis_b", "hcv": "hepatitis_c", "hiv": "hiv"}[key]
        return Fact("infection", code, negated=negated, provenance=SRC, attributes={"active": True})
    if key == "pregnant":
        return Fact("pregnancy", value="pregnant", negated=negated, provenance=SRC)
    if key == "nursing":
        return Fact("breastfeeding", negated=negated, provenance=SRC)
    assert key == "cbp", key
    return Fact("childbearing_potential", negated=negated, provenance=SRC)


def record(w: Who) -> PatientProfile:
    """A patient with metastatic breast cancer (stage IV, lung metastases) as the record states `w`."""
    facts = [
        Fact("stage", code="IV", value="IV", provenance=SRC, attributes={"t": "T2", "n": "N1", "m": "M1"}),
        Fact("disease_status", "metastatic", provenance=SRC),
        Fact("metastasis", "lung", provenance=SRC),
    ]
    facts += [_condition(k, False) for k in sorted(w.present)]
    facts += [_condition(k, True) for k in sorted(w.absent)]
    for i, (drug, setting) in enumerate(w.courses, 1):
        attrs: dict[str, object] = {"class": DRUGS[drug][0], "start": f"{2020 + i}-01-01"}
        if setting == "adjuvant":
            attrs |= {"setting": "adjuvant", "end": f"{2020 + i}-06-01"}
        elif setting == "metastatic":
            attrs |= {"setting": "metastatic", "line": i}
        facts.append(Fact("treatment", drug, provenance=SRC, attributes=attrs))
    if w.naive:
        facts.append(Fact("treatment", None, negated=True, provenance=SRC))
    for code, value in w.labs:
        facts.append(Fact("lab", code, value, unit=LAB_UNITS[code], when=DAY, provenance=SRC))
    return PatientProfile(
        id=w.name, centre_id="c", sex=w.sex, birth_date=date(1970, 2, 1), primary_cancer="BRCA", stage="IV",
        facts=facts,
    )  # fmt: skip


def reading(text: str, section: str, profile: PatientProfile) -> str:
    """How the strict engine reads one line of a section for a record: "excluded", "eligible" (every
    criterion met or not applicable), "unknown" or "unparsed" (the audits' one question)."""
    criteria = parse_eligibility(f"{section} criteria:\n- {text}").criteria
    if not criteria:
        return "unparsed"
    with trust.strict():
        outcomes = [o.outcome for o in evaluate_criteria(criteria, profile, DAY)]
    if Outcome.VIOLATED in outcomes:
        return "excluded"
    if all(o in (Outcome.SATISFIED, Outcome.NOT_APPLICABLE) for o in outcomes):
        return "eligible"
    return "unknown"


def read_line(text: str, section: str, w: Who) -> str:
    return reading(text, section, record(w))


def judge(expected: Expected, got: str) -> str:
    if expected is None:
        return "wrong" if got == "excluded" else "right" if got in ("unknown", "unparsed") else "open"
    if got in ("unknown", "unparsed"):
        return "unread"
    if expected == OK:
        return "right" if got == "eligible" else "wrong"
    return "right" if got == expected else "wrong"


Table = dict[tuple[str, str], collections.Counter[str]]


def tally(
    generated: Iterable[tuple[str, str, str, Callable[[Any], Expected], Sequence[str], Sequence[Any]]],
    as_record: Callable[[Any], PatientProfile],
    show: str = "",
    out: list[dict[str, str]] | None = None,
    only: str = "",
) -> Table:
    """Every generated wording read for every patient of its class and judged, counted per class and
    language (the rows of an audit's wordings module; `as_record` makes a patient a record)."""
    table: Table = collections.defaultdict(collections.Counter)
    for klass, lang, text, rule, sections, patients in generated:
        if not klass.startswith(only):
            continue
        for section in sections:
            for w in patients:
                expected, got = rule(w), reading(text, section, as_record(w))
                verdict = judge(expected, got)
                table[(klass, lang)][verdict] += 1
                if out is not None:
                    out.append({"class": klass, "lang": lang, "section": section, "line": text, "patient": w.name,
                                "expected": str(expected), "read": got, "verdict": verdict})  # fmt: skip
                if verdict in show:
                    print(
                        f"{verdict.upper():6} {section[:3]} {text!r} / {w.name}: expected {expected}, read {got}"
                    )
    return table


def audit(show: str = "", out: list[dict[str, str]] | None = None, only: str = "") -> Table:
    return tally(rows(), record, show, out, only)


def cli(run: Callable[[str, list[dict[str, str]] | None, str], Table], width: int, description: str) -> None:
    """An audit's command line: the table per class and language, `--show-wrong` / `--show-unread`, `--csv`,
    `--only` (the classes whose name starts with it)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--show-wrong", action="store_true", help="print every wrong reading")
    parser.add_argument("--show-unread", action="store_true", help="print every unread one")
    parser.add_argument("--csv", help="write every reading to this CSV file")
    parser.add_argument("--only", default="", help="only the classes whose name starts with this")
    args = parser.parse_args()
    show = ("wrong" if args.show_wrong else "") + ("unread" if args.show_unread else "")
    out: list[dict[str, str]] | None = [] if args.csv else None
    total: collections.Counter[str] = collections.Counter()
    print(f"{'class of wording':{width}} {'lang':4} {'right':>6} {'wrong':>6} {'unread':>6} {'open':>5}")
    for (klass, lang), c in sorted(run(show, out, args.only).items()):
        total.update(c)
        print(f"{klass:{width}} {lang:4} {c['right']:6} {c['wrong']:6} {c['unread']:6} {c['open']:5}")
    print(
        f"{'total':{width}} {'':4} {total['right']:6} {total['wrong']:6} {total['unread']:6} {total['open']:5}"
    )
    if args.csv and out:
        with open(args.csv, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(out[0]))
            writer.writeheader()
            writer.writerows(out)


def main() -> None:
    cli(audit, 48, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
