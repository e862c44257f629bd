"""Audit of how the parts of one criterion line relate, on wordings generated here (never read off a
benchmark file), English and French (`benchmarks/audit_relations_wordings.py`): a negation's reach, a
list's last item, a therapy that qualifies a condition, alternatives carrying their own histology, a
schedule or formulation that narrows a drug.

Each wording is read alone in its section by the strict engine (every violation excludes) and judged
against every patient of its class, as `benchmarks/audit_scope.py` judges: RIGHT when the engine's outcome
is the generator's ("unknown" is right when the record cannot tell), WRONG when it decides against it,
UNREAD when unknown or not parsed where the generator decides, OPEN when the generator cannot tell and the
engine lets the patient in.

    PYTHONPATH=src .venv/bin/python -m benchmarks.audit_relations [--show-wrong] [--show-unread] [--csv F]
"""

from __future__ import annotations

import argparse
import collections
import csv
from datetime import date

from benchmarks.audit_relations_wordings import Pt, rows
from benchmarks.audit_scope import judge
from oncofed.criteria.parser import parse_eligibility
from oncofed.domain import Fact, Outcome, PatientProfile, Provenance
from oncofed.matching import trust
from oncofed.matching.evaluate import evaluate_criteria

DAY = date(2026, 11, 1)
SRC = Provenance("audit")
CONDITIONS = {
    "infection": ("infection", "active_infection"),
    "autoimmune": ("comorbidity", "autoimmune_disease"),
    "heart_failure": ("comorbidity", "heart_failure"),
}


def record(p: Pt) -> PatientProfile:
    """The patient `p` as a record: primary cancer (as diagnosed), stage, ECOG, conditions, courses."""
    m = "M1" if p.metastatic else "M0"
    facts = [
        Fact(
            "primary_cancer", p.cancer, display=p.diagnosis, provenance=SRC, attributes={"text": p.diagnosis}
        ),
        Fact("stage", code=p.stage, value=p.stage, provenance=SRC, attributes={"m": m}),
        Fact("disease_status", "metastatic", negated=not p.metastatic, provenance=SRC),
    ]
    if p.metastatic:
        facts.append(Fact("metastasis", "liver", provenance=SRC))
    if p.ecog is not None:
        facts.append(Fact("ecog", value=p.ecog, provenance=SRC))
    for key in sorted(p.present | p.absent):
        kind, code = CONDITIONS[key]
        attrs: dict[str, object] = {"active": True} if kind == "infection" and key in p.present else {}
        facts.append(Fact(kind, code, negated=key in p.absent, provenance=SRC, attributes=attrs))
    for i, (drug, klass, setting, schedule) in enumerate(p.courses, 1):
        attrs = {"class": klass, "start": f"{2020 + i}-01-01", "setting": setting}
        if setting == "adjuvant":
            attrs["end"] = f"{2020 + i}-06-01"
        else:
            attrs["line"] = i
        if schedule and schedule != "conventional":
            attrs["schedule"] = schedule
        facts.append(Fact("treatment", drug, provenance=SRC, attributes=attrs))
    if not p.courses:
        facts.append(Fact("treatment", None, negated=True, provenance=SRC))
    return PatientProfile(
        id=p.name, centre_id="c", sex=p.sex, birth_date=date(1965, 2, 1), primary_cancer=p.cancer,
        stage=p.stage, ecog=p.ecog, facts=facts,
    )  # fmt: skip


def read_line(text: str, section: str, p: Pt) -> str:
    """ "excluded", "eligible" (every criterion met or not applicable), "unknown" or "unparsed"."""
    criteria = parse_eligibility(f"{section} criteria:\n- {text}").criteria
    if not criteria:
        return "unparsed"
    with trust.strict():
        outcomes = [o.outcome for o in evaluate_criteria(criteria, record(p), DAY)]
    if Outcome.VIOLATED in outcomes:
        return "excluded"
    if all(o in (Outcome.SATISFIED, Outcome.NOT_APPLICABLE) for o in outcomes):
        return "eligible"
    return "unknown"


def audit(
    show: str = "", out: list[dict[str, str]] | None = None, only: str = ""
) -> dict[tuple[str, str], collections.Counter[str]]:
    table: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for klass, lang, text, rule, sections, patients in rows():
        if not klass.startswith(only):
            continue
        for section in sections:
            for p in patients:
                expected, got = rule(p), read_line(text, section, p)
                verdict = judge(expected, got)
                table[(klass, lang)][verdict] += 1
                if out is not None:
                    out.append({"class": klass, "lang": lang, "section": section, "line": text, "patient": p.name,
                                "expected": str(expected), "read": got, "verdict": verdict})  # fmt: skip
                if verdict in show:
                    print(
                        f"{verdict.upper():6} {section[:3]} {text!r} / {p.name}: expected {expected}, read {got}"
                    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true", help="print every wrong reading")
    parser.add_argument("--show-unread", action="store_true", help="print every unread one")
    parser.add_argument("--csv", help="write every reading to this CSV file")
    parser.add_argument("--only", default="", help="only the classes whose name starts with this")
    args = parser.parse_args()
    show = ("wrong" if args.show_wrong else "") + ("unread" if args.show_unread else "")
    out: list[dict[str, str]] | None = [] if args.csv else None
    total: collections.Counter[str] = collections.Counter()
    print(f"{'class of wording':44} {'lang':4} {'right':>6} {'wrong':>6} {'unread':>6} {'open':>5}")
    for (klass, lang), c in sorted(audit(show, out, args.only).items()):
        total.update(c)
        print(f"{klass:44} {lang:4} {c['right']:6} {c['wrong']:6} {c['unread']:6} {c['open']:5}")
    print(f"{'total':44} {'':4} {total['right']:6} {total['wrong']:6} {total['unread']:6} {total['open']:5}")
    if args.csv and out is not None:
        with open(args.csv, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(out[0]))
            writer.writeheader()
            writer.writerows(out)


if __name__ == "__main__":
    main()
