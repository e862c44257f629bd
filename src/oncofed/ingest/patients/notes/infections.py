"""An infection a note names by the illness and the antibiotic given for it: "Pyelonephritis 20/11/2026: ceftriaxone
then oral cefixime", "pneumonia treated with IV amoxicillin-clavulanate on 15/11", "cellulitis of the leg, oral
flucloxacillin for 7 days", "cholangitis requiring piperacillin-tazobactam".

    treated_infections(text) -> [(start, end, display, antibiotic)]

Grammar, not a list of infections: in one sentence, an illness (a noun in "-itis", or one of the few infections
that are not: pneumonia, sepsis, abscess, ...; the word "infection" is read as such already) and after it a systemic antibiotic, recognised by the WHO INN stems
of the antibacterial classes (-cillin, cef-, -penem, -floxacin, -bactam, -cycline, -mycin / -micin of the
aminoglycosides and macrolides, ...) or the word "antibiotics". An illness treated with an antibiotic is an
infection requiring systemic antibiotics, dated by its clause (`dates.dated`, as every comorbidity). Not read:
prophylaxis ("cotrimoxazole prophylaxis"), topical or eye preparations, a negated illness ("no pneumonia"), the
antitumour antibiotics (mitomycin, bleomycin, dactinomycin, the anthracyclines).
"""

from __future__ import annotations

from oncofed.ingest.patients.notes.lowered import compile_i
from oncofed.ingest.patients.notes.text import sentences

_ANTIBIOTIC = compile_i(
    r"\b(?:[a-z]*cillin|cef[a-z]{3,}|ceph[a-z]{3,}|[a-z]*penem|[a-z]*floxacin|[a-z]*bactam|(?!anthra)[a-z]*cycline|"
    r"(?!mito|bleo|dactino|plica)[a-z]{2,}(?:mycin|micin)|vancomycin|teicoplanin|linezolid|metronidazole|"
    r"co-?trimoxazole|trimethoprim|sulfamethoxazole|nitrofurantoin|fosfomycin|colistin|rifampi[cn]in|"
    r"(?:iv|intravenous|oral|systemic)?\s*antibiotics?|antibiotherapy)\b",
)
_ILLNESS = compile_i(
    r"\b(?:(?!arthritis|dermatitis|mucositis|pneumonitis|colitis|hepatitis|thyroiditis|vasculitis|neuritis|"
    r"esophagitis|oesophagitis|gastritis|radiodermatitis|proctitis)[a-z]{3,}itis|pneumonias?|sepsis|septic(?:a|ae)mia|"
    r"bacter(?:a|ae)mia|abscess(?:es)?|empyema|erysipelas|urosepsis|uti|lrti)\b",
)
_NOT_SYSTEMIC = compile_i(r"prophyla\w*|topical|cream|ointment|eye\s+drops|drops|gel|mouthwash")
_NEGATED = compile_i(r"\b(?:no|not|without|denies|ruled\s+out|excluded)\b[^.;:]{0,25}$")


def treated_infections(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, display, antibiotic) of each illness a sentence treats with a systemic antibiotic."""
    low = text.lower()
    if not any(
        w in low
        for w in ("itis", "pneumon", "seps", "abscess", "bacter", "empyema", "erysipelas", "uti", "lrti")
    ):
        return []
    out: list[tuple[int, int, str, str]] = []
    for start, end in sentences(text):
        ill = _ILLNESS.search(text, start, end)
        if ill is None or _NEGATED.search(text, start, ill.start()):
            continue
        drug = _ANTIBIOTIC.search(text, ill.end(), end)
        if drug is None or _NOT_SYSTEMIC.search(
            text, max(ill.end(), drug.start() - 20), min(end, drug.end() + 30)
        ):
            continue
        out.append(
            (ill.start(), ill.end(), text[ill.start() : ill.end()], " ".join(drug.group(0).split()).lower())
        )
    return out
