"""Audit of how the parts of one criterion line relate, on wordings generated here (never read off a
benchmark file), English and French (`benchmarks/audit_relations_wordings.py`): a negation's reach, a
list's last item, a therapy that qualifies a condition, alternatives carrying their own histology, a
schedule or formulation that narrows a drug, and a list under a qualifying head
(`benchmarks/audit_relations_heads.py`, verdicts30).

Each wording is read alone in its section by the strict engine (every violation excludes) and judged
against every patient of its class, as `benchmarks/audit_scope.py` judges: RIGHT when the engine's outcome
is the generator's ("unknown" is right when the record cannot tell), WRONG when it decides against it,
UNREAD when unknown or not parsed where the generator decides, OPEN when the generator cannot tell and the
engine lets the patient in.

    PYTHONPATH=src .venv/bin/python -m benchmarks.audit_relations [--show-wrong] [--show-unread] [--csv F]
"""

from __future__ import annotations

import itertools
from datetime import date

from benchmarks.audit_relations_heads import head_rows
from benchmarks.audit_relations_wordings import Pt, rows
from benchmarks.audit_scope import Table, cli, reading, tally
from oncofed.domain import Fact, PatientProfile, Provenance

DAY = date(2026, 11, 1)
SRC = Provenance("audit")
CONDITIONS = {
    "infection": ("infection", "active_infection"),
    "autoimmune": ("comorbidity", "autoimmune_disease"),
    "heart_failure": ("comorbidity", "heart_failure"),
    "diabetes": ("comorbidity", "diabetes"),
    "hypertension": ("comorbidity", "hypertension"),
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
        base, _, status = key.partition(":")  # "diabetes:controlled": the record states its control
        kind, code = CONDITIONS[base]
        attrs: dict[str, object] = {"active": True} if kind == "infection" and key in p.present else {}
        if status:
            attrs["controlled"] = status == "controlled"
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
    return reading(text, section, record(p))


def audit(show: str = "", out: list[dict[str, str]] | None = None, only: str = "") -> Table:
    return tally(itertools.chain(rows(), head_rows()), record, show, out, only)


def main() -> None:
    cli(audit, 44, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
