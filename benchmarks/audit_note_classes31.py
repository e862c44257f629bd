"""Audit of four more classes of what a note says (verdicts31), on wordings generated here (never read off a
benchmark file), decided end to end by the criteria lines they bear on with the strict engine (every violation
excludes), scored as `benchmarks.audit_note_classes` scores (RIGHT / WRONG / UNREAD):

- `cancer by organ part`: a histology and the part of the organ it sits in ("squamous cell carcinoma of the left
  lower lobe", "adenocarcinoma arising in the oesophagogastric junction"): the organ's lines hold, the histology
  decides NSCLC vs SCLC, another organ's line does not hold;
- `sex from a title`: "Mrs / Ms / Mme / Madame" or "Mr / M. / Monsieur" before the patient's name (accented names
  too) decides a women-only line, with no other word of the note giving the sex;
- `treated infection`: an illness and the systemic antibiotic given for it, dated 7 days or 3 months before the
  day, against "Infection requiring systemic antibiotic therapy within 14 days"; prophylaxis, topical
  preparations and steroids are no infection (the line stays undecided: the note denies none);
- `neuropathy signs`: a sensory symptom of the hands or feet, or its denial, against "Peripheral neuropathy of
  any grade".

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_note_classes31 [--show-wrong] [--show-unread]
"""

from __future__ import annotations

import collections
from collections.abc import Iterator

from benchmarks.audit_note_classes import UNKNOWN, Case, _verdict, cli, holds
from oncofed.matching.facts import PatientView

HEADER = "Oncology clinic, 30/10/2026.\n"  # the note's own date; the audit's day is 2026-11-01
LUNG_PARTS = ("right upper lobe", "left lower lobe", "middle lobe", "lingula", "left upper lobe")
LUNG_HISTOLOGY = (  # (words, NSCLC, SCLC)
    ("squamous cell carcinoma", True, False),
    ("adenocarcinoma", True, False),
    ("small-cell carcinoma", False, True),
    ("small cell carcinoma", False, True),
)
LUNG_FRAMES = (
    "Diagnosis: {h} of the {p}, stage IV (bone).",
    "Biopsy 03/2026 showed {h} in the {p}; PD-L1 TPS 10%.",
    "{H} of the {p} (EBUS 02/2026), extensive disease.",
)
GI_PARTS = ("gastro-oesophageal junction", "oesophagogastric junction", "gastric antrum", "cardia")
GI_FRAMES = (
    "Diagnosis: adenocarcinoma of the {p}, HER2 negative.",
    "Poorly differentiated adenocarcinoma at the {p}.",
)
TITLES = (
    ("Mrs", True),
    ("Ms", True),
    ("Mme", True),
    ("Madame", True),
    ("Mr", False),
    ("M.", False),
    ("Monsieur", False),
)
NAMES = ("Claire Dubois", "Édith Lemaître", "Karim Benali", "Ørjan Holm")
TITLE_FRAMES = (
    "Patient: {t} {n}, 64. Lung adenocarcinoma.",
    "Referral of {t} {n} (58) for the phase 1 study.",
)
ILLNESSES = ("Pyelonephritis", "Pneumonia", "Cellulitis of the left leg", "Cholangitis", "Urosepsis")
ANTIBIOTICS = (
    "ceftriaxone",
    "amoxicillin-clavulanate",
    "oral flucloxacillin",
    "piperacillin-tazobactam",
    "meropenem",
)
INFECTION_FRAMES = ("{i} {d}: {a}.", "{i} on {d} treated with {a}.", "{i} ({d}) requiring {a}, now resolved.")
NOT_INFECTIONS = (
    "Cotrimoxazole prophylaxis since 20/10/2026.",
    "Conjunctivitis 25/10/2026, chloramphenicol eye drops.",
    "Radiation pneumonitis 25/10/2026 treated with prednisolone.",
)
SYMPTOMS = ("numbness", "tingling", "paraesthesia", "pins and needles", "burning sensation")
PLACES = ("fingertips", "both feet", "hands and feet", "toes")
SIGN_FRAMES = ("Grade 1 {s} of the {p} since paclitaxel.", "Residual {s} in the {p} after oxaliplatin.")
DENIED_FRAMES = ("No {s} in the {p}.", "Denies {s} of the {p}.")


def cases() -> Iterator[Case]:
    for words, nsclc, sclc in LUNG_HISTOLOGY:
        for part in LUNG_PARTS:
            for frame in LUNG_FRAMES:
                note = frame.format(h=words, H=words[:1].upper() + words[1:], p=part)
                lines: tuple[tuple[str, str, bool | str], ...] = (
                    ("Inclusion", "Histologically confirmed non-small cell lung cancer.", nsclc),
                    ("Inclusion", "Histologically confirmed small cell lung cancer.", sclc),
                    ("Inclusion", "Histologically confirmed breast cancer.", False),
                )
                yield Case("cancer by organ part: lung", "en", HEADER + note, lines)
    for part in GI_PARTS:
        for frame in GI_FRAMES:
            lines = (
                (
                    "Inclusion",
                    "Histologically confirmed adenocarcinoma of the stomach or gastroesophageal junction.",
                    True,
                ),
                ("Inclusion", "Histologically confirmed colorectal cancer.", False),
            )
            yield Case("cancer by organ part: stomach / junction", "en", HEADER + frame.format(p=part), lines)
    for title, woman in TITLES:
        for name in NAMES:
            for frame in TITLE_FRAMES:
                note = HEADER + frame.format(t=title, n=name)
                yield Case(
                    "sex from a title", "en", note, (("Inclusion", "Women aged 18 years or older.", woman),)
                )
    for k, illness in enumerate(ILLNESSES):
        for j, frame in enumerate(INFECTION_FRAMES):
            drug = ANTIBIOTICS[(k + j) % len(ANTIBIOTICS)]
            for day, recent in (("25/10/2026", True), ("02/08/2026", False)):
                note = HEADER + frame.format(i=illness, d=day, a=drug)
                line = "Infection requiring systemic antibiotic therapy within 14 days prior to first dose."
                klass = "treated infection: " + ("7 days before" if recent else "3 months before")
                yield Case(klass, "en", note, (("Exclusion", line, recent),))
    for note in NOT_INFECTIONS:
        line = "Infection requiring systemic antibiotic therapy within 14 days prior to first dose."
        # no infection said, none denied: the line stays undecided (deciding it either way is wrong)
        yield Case("treated infection: none", "en", HEADER + note, (("Exclusion", line, UNKNOWN),))
    for s in SYMPTOMS:
        for p in PLACES:
            for frames, present in ((SIGN_FRAMES, True), (DENIED_FRAMES, False)):
                for frame in frames:
                    note = HEADER + "Breast cancer, metastatic. " + frame.format(s=s, p=p)
                    spec = ("Exclusion", "Peripheral neuropathy of any grade.", present)
                    yield Case("neuropathy signs: " + ("said" if present else "denied"), "en", note, (spec,))


def read_note(text: str) -> PatientView:
    from oncofed.ingest.patients.notes.french import extract

    return PatientView.of(extract(text, "audit", "audit"))  # the sex the note gives, none forced


def audit(show: str = "") -> dict[tuple[str, str], collections.Counter[str]]:
    table: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for case in cases():
        view = read_note(case.note)
        for section, line, expected in case.lines:
            verdict = _verdict(holds(view, section, line), expected)
            table[(case.klass, case.lang)][verdict] += 1
            if verdict in show:
                print(f"{verdict.upper():6} {case.note!r} / {section[:3]} {line!r}: expected {expected}")
    return table


def main() -> None:
    cli(audit, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
