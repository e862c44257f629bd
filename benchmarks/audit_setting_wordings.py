"""The wordings of `benchmarks/audit_setting.py` and their semantics: each is a function of a patient's
truth (`Truth`), written from the clinical meaning of the words, never from the engine's reading."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from oncofed.matching.facts import parse_stage

DAY = date(2026, 11, 1)
OK = "ok"  # a permission: any outcome but a decision against the patient is right


@dataclass(frozen=True)
class Truth:
    name: str
    stage: str
    tnm: tuple[str, str, str]
    metastatic: bool
    locally_advanced: bool = False
    de_novo: bool = False
    lines: int = 0  # lines of systemic therapy for advanced disease
    adjuvant: bool = False  # adjuvant / neoadjuvant therapy received
    adjuvant_end: date | None = None
    relapse: date | None = None
    chemo: bool = False  # chemotherapy in any setting
    sites: int = 0  # metastatic sites
    regimens: tuple[tuple[str, str], ...] = field(default=())  # (drug, class) per advanced line

    @property
    def systemic(self) -> bool:
        return self.adjuvant or self.lines > 0

    def relapse_months(self) -> float | None:
        if self.relapse is None or self.adjuvant_end is None:
            return None
        return (self.relapse - self.adjuvant_end).days / 30.44

    def lines_counting_adjuvant(self, months: int) -> int:
        """Lines for advanced disease, adjuvant therapy counted as one when relapse came within `months`."""
        fast = self.relapse_months() is not None and (self.relapse_months() or 99) <= months
        return self.lines + (1 if fast else 0)


Rule = Callable[[Truth], bool | None | str]
Case = tuple[str, str, str, Rule, bool]  # class, language, line, rule, also as an exclusion


def _stage_in(asked: str) -> Rule:
    def rule(t: Truth) -> bool | None:
        have, groups = parse_stage(t.stage), [parse_stage(a) for a in asked.split("|")]
        if have is None or None in groups:
            return None
        return any(g[0] == have[0] and have[1].startswith(g[1]) for g in groups if g)

    return rule


def _advanced_untreated(t: Truth) -> bool:
    return t.lines == 0


def _permission_adjuvant(months: int) -> Rule:
    def rule(t: Truth) -> bool | str:
        if not t.adjuvant or t.adjuvant_end is None:
            return OK
        return OK if (DAY - t.adjuvant_end).days > months * 30.44 else False

    return rule


SETTINGS: tuple[tuple[str, str, str, Rule], ...] = (
    ("setting: metastatic", "en", "Metastatic {c}", lambda t: t.metastatic),
    ("setting: metastatic", "en", "{C} with distant metastases", lambda t: t.metastatic),
    ("setting: metastatic", "fr", "{C} métastatique", lambda t: t.metastatic),
    ("setting: locally advanced or metastatic", "en", "Locally advanced or metastatic {c}",
     lambda t: t.metastatic or t.locally_advanced),
    ("setting: locally advanced or metastatic", "en", "Advanced {c} (locally advanced or metastatic)",
     lambda t: t.metastatic or t.locally_advanced),
    ("setting: locally advanced or metastatic", "fr", "{C} localement avancé ou métastatique",
     lambda t: t.metastatic or t.locally_advanced),
    ("setting: locally advanced unresectable", "en", "Locally advanced unresectable {c}",
     lambda t: None if t.metastatic else t.locally_advanced),
    ("setting: locally advanced unresectable", "fr", "{C} localement avancé non résécable",
     lambda t: None if t.metastatic else t.locally_advanced),
    ("setting: non-metastatic (negated)", "en", "Non-metastatic {c}", lambda t: not t.metastatic),
    ("setting: non-metastatic (negated)", "en", "{C} without distant metastases", lambda t: not t.metastatic),
    ("setting: non-metastatic (negated)", "en", "No evidence of metastatic disease", lambda t: not t.metastatic),
    ("setting: non-metastatic (negated)", "fr", "{C} non métastatique", lambda t: not t.metastatic),
    ("setting: non-metastatic (negated)", "fr", "Absence de métastase à distance", lambda t: not t.metastatic),
    ("setting: early", "en", "Early {c}", lambda t: not t.metastatic and not t.locally_advanced),
    ("setting: early", "fr", "{C} localisé", lambda t: not t.metastatic and not t.locally_advanced),
    ("setting: de novo metastatic", "en", "De novo metastatic {c}", lambda t: t.metastatic and t.de_novo),
    ("setting: de novo metastatic", "fr", "{C} métastatique d'emblée", lambda t: t.metastatic and t.de_novo),
    ("setting: relapse after adjuvant", "en", "Metastatic relapse after adjuvant therapy",
     lambda t: t.metastatic and t.relapse is not None if t.metastatic else False),
    ("setting: relapse after adjuvant", "fr", "Rechute métastatique après un traitement adjuvant",
     lambda t: t.metastatic and t.relapse is not None if t.metastatic else False),
    ("time: relapse within 12 months of adjuvant", "en",
     "Relapse within 12 months of completing adjuvant chemotherapy",
     lambda t: (t.relapse_months() or 99) <= 12 if t.metastatic else False),
    ("time: relapse within 12 months of adjuvant", "fr",
     "Rechute dans les 12 mois suivant la fin de la chimiothérapie adjuvante",
     lambda t: (t.relapse_months() or 99) <= 12 if t.metastatic else False),
)  # fmt: skip

STAGES: tuple[tuple[str, str, str, Rule], ...] = (
    ("stage: AJCC group", "en", "Stage IV {c}", _stage_in("IV")),
    ("stage: AJCC group", "en", "AJCC stage IIIB {c}", _stage_in("IIIB")),
    ("stage: AJCC group", "en", "Stage II or III {c}", _stage_in("II|III")),
    ("stage: AJCC group", "en", "Stage IIIB or IV {c}", _stage_in("IIIB|IV")),
    ("stage: AJCC group", "fr", "{C} de stade IV", _stage_in("IV")),
    ("stage: AJCC group", "fr", "Stade II ou III", _stage_in("II|III")),
    ("stage: range", "en", "Stage IIA to IIIB disease", _stage_in("IIA|IIB|IIIA|IIIB")),
    ("stage: range", "fr", "Stade IIA à IIIB", _stage_in("IIA|IIB|IIIA|IIIB")),
    ("stage: TNM M", "en", "M1 disease", lambda t: t.tnm[2] == "M1"),
    ("stage: TNM M", "en", "M0 disease", lambda t: t.tnm[2] == "M0"),
    ("stage: TNM M", "fr", "Maladie M1", lambda t: t.tnm[2] == "M1"),
    ("stage: TNM", "en", "T2N1M0 {c}", lambda t: t.tnm == ("T2", "N1", "M0")),
    ("stage: TNM", "en", "cT3N2 or cT4 tumour", lambda t: (t.tnm[:2] == ("T3", "N2")) or t.tnm[0] == "T4"),
    ("stage: TNM", "en", "Node-positive (N+) disease", lambda t: t.tnm[1] != "N0"),
    ("stage: TNM", "fr", "Tumeur cT2N1M0", lambda t: t.tnm == ("T2", "N1", "M0")),
    ("stage: oligometastatic", "en", "Oligometastatic disease (1 to 3 metastatic sites)",
     lambda t: 1 <= t.sites <= 3 if t.metastatic else False),
    ("stage: oligometastatic", "fr", "Maladie oligométastatique (1 à 3 sites métastatiques)",
     lambda t: 1 <= t.sites <= 3 if t.metastatic else False),
)  # fmt: skip

LINES: tuple[tuple[str, str, str, Rule], ...] = (
    ("lines: at least N", "en", "At least one prior line of systemic therapy for metastatic disease",
     lambda t: t.lines >= 1),
    ("lines: at least N", "en", "At least two prior lines of systemic therapy for advanced disease",
     lambda t: t.lines >= 2),
    ("lines: at least N", "en", "Received 2 or more prior lines of therapy in the metastatic setting",
     lambda t: t.lines >= 2),
    ("lines: at least N", "fr", "Au moins une ligne de traitement systémique antérieure au stade métastatique",
     lambda t: t.lines >= 1),
    ("lines: at least N", "fr", "Au moins deux lignes de traitement antérieures pour la maladie avancée",
     lambda t: t.lines >= 2),
    ("lines: at most N", "en", "No more than two prior lines of systemic therapy for metastatic disease",
     lambda t: t.lines <= 2),
    ("lines: at most N", "en", "Up to 2 prior lines of therapy for advanced disease", lambda t: t.lines <= 2),
    ("lines: at most N", "fr", "Au maximum 2 lignes de traitement antérieures au stade métastatique",
     lambda t: t.lines <= 2),
    ("lines: range", "en", "One or two prior lines of systemic therapy for metastatic disease",
     lambda t: 1 <= t.lines <= 2),
    ("lines: range", "en", "1 to 3 prior lines of therapy for advanced disease", lambda t: 1 <= t.lines <= 3),
    ("lines: range", "fr", "1 à 2 lignes antérieures au stade métastatique", lambda t: 1 <= t.lines <= 2),
    ("lines: range", "fr", "Une à trois lignes de traitement antérieures", lambda t: 1 <= t.lines <= 3),
    ("lines: exactly N", "en", "Exactly one prior line of systemic therapy for metastatic disease",
     lambda t: t.lines == 1),
    ("lines: more than N (exclusion wording)", "en",
     "More than two prior lines of systemic therapy for metastatic disease", lambda t: t.lines > 2),
    ("lines: more than N (exclusion wording)", "fr", "Plus de deux lignes antérieures au stade métastatique",
     lambda t: t.lines > 2),
    ("lines: ordinal line", "en", "Candidates for second-line therapy of metastatic disease",
     lambda t: t.lines == 1 if t.metastatic else False),
    ("lines: ordinal line", "en", "Eligible for first-line treatment of metastatic disease",
     lambda t: t.lines == 0 if t.metastatic else False),
    ("lines: ordinal line", "en", "Third-line or later treatment of metastatic disease",
     lambda t: t.lines >= 2),
    ("lines: ordinal line", "fr", "Patients en deuxième ligne métastatique",
     lambda t: t.lines == 1 if t.metastatic else False),
    ("lines: ordinal line", "fr", "Traitement de première ligne de la maladie métastatique",
     lambda t: t.lines == 0 if t.metastatic else False),
    ("lines: adjuvant counted when relapse is early", "en",
     "At least one prior line of therapy for advanced disease (adjuvant therapy counts as a line if relapse "
     "occurred within 12 months of its completion)", lambda t: t.lines_counting_adjuvant(12) >= 1),
    ("lines: adjuvant counted when relapse is early", "en",
     "At least one prior line for metastatic disease; relapse within 6 months of adjuvant chemotherapy "
     "counts as one line", lambda t: t.lines_counting_adjuvant(6) >= 1),
    ("lines: adjuvant counted when relapse is early", "fr",
     "Au moins une ligne antérieure au stade métastatique (un traitement adjuvant compte comme une ligne en "
     "cas de rechute dans les 12 mois)", lambda t: t.lines_counting_adjuvant(12) >= 1),
)  # fmt: skip

NAIVE: tuple[tuple[str, str, str, Rule], ...] = (
    ("naive: no therapy for advanced disease", "en", "No prior systemic therapy for metastatic disease",
     _advanced_untreated),
    ("naive: no therapy for advanced disease", "en", "No prior systemic therapy in the advanced setting",
     _advanced_untreated),
    ("naive: no therapy for advanced disease", "en",
     "Patients must not have received systemic treatment for advanced disease", _advanced_untreated),
    ("naive: no therapy for advanced disease", "en", "Untreated for metastatic disease", _advanced_untreated),
    ("naive: no therapy for advanced disease", "fr",
     "Aucun traitement systémique antérieur pour la maladie métastatique", _advanced_untreated),
    ("naive: no therapy for advanced disease", "fr",
     "Pas de traitement systémique antérieur au stade métastatique", _advanced_untreated),
    ("naive: no therapy at all", "en", "Treatment-naive", lambda t: not t.systemic),
    ("naive: no therapy at all", "en", "Previously untreated {c}", lambda t: not t.systemic),
    ("naive: no therapy at all", "en", "No prior systemic anticancer therapy", lambda t: not t.systemic),
    ("naive: no therapy at all", "fr", "Patients naïfs de tout traitement", lambda t: not t.systemic),
    ("naive: no therapy at all", "fr", "Aucun traitement systémique antérieur", lambda t: not t.systemic),
    ("naive: chemo-naive", "en", "Chemotherapy-naive", lambda t: not t.chemo),
    ("naive: chemo-naive", "en", "Chemo-naive patients", lambda t: not t.chemo),
    ("naive: chemo-naive", "en", "No prior chemotherapy", lambda t: not t.chemo),
    ("naive: chemo-naive", "fr", "Naïf de chimiothérapie", lambda t: not t.chemo),
    ("naive: chemo-naive", "fr", "Aucune chimiothérapie antérieure", lambda t: not t.chemo),
    ("naive: first-line", "en", "First-line treatment", lambda t: t.lines == 0),
    ("naive: first-line", "fr", "En première ligne", lambda t: t.lines == 0),
)  # fmt: skip

PERMISSIONS: tuple[tuple[str, str, str, Rule], ...] = (
    ("permission: prior therapy allowed", "en", "Prior endocrine therapy is allowed", lambda t: OK),
    ("permission: prior therapy allowed", "en", "Prior adjuvant or neoadjuvant chemotherapy is permitted",
     lambda t: OK),
    ("permission: prior therapy allowed", "fr", "Une hormonothérapie antérieure est autorisée", lambda t: OK),
    ("permission: prior therapy allowed", "fr", "Chimiothérapie adjuvante antérieure autorisée", lambda t: OK),
    ("permission: allowed if > 12 months", "en",
     "Prior adjuvant chemotherapy is allowed if completed more than 12 months before enrolment",
     _permission_adjuvant(12)),
    ("permission: allowed if > 12 months", "en",
     "Prior (neo)adjuvant therapy allowed provided it ended at least 12 months before inclusion",
     _permission_adjuvant(12)),
    ("permission: allowed if > 12 months", "fr",
     "Chimiothérapie adjuvante autorisée si terminée depuis plus de 12 mois", _permission_adjuvant(12)),
)  # fmt: skip

# (class, language, sentence, metastatic, stage group)
SETTING_NOTES: tuple[tuple[str, str, str, bool, str | None], ...] = (
    ("note setting: stage IV", "en", "Stage IV {c} diagnosed in March 2024 with bone metastases.", True, "IV"),
    ("note setting: de novo", "en", "De novo metastatic {c} (liver, bone) diagnosed in 2024.", True, None),
    ("note setting: TNM", "en", "{C}, cT2N1M0, stage IIB, diagnosed in 2025.", False, "IIB"),
    ("note setting: locally advanced", "en", "Locally advanced unresectable {c}, stage IIIB (cT4bN2M0).",
     False, "IIIB"),
    ("note setting: relapse", "en", "Metastatic relapse in 2025, three years after surgery for {c}.", True,
     None),
    ("note setting: stage IV", "fr", "{C} de stade IV diagnostiqué en mars 2024, métastases osseuses.", True,
     "IV"),
    ("note setting: de novo", "fr", "{C} métastatique d'emblée (foie, os) diagnostiqué en 2024.", True, None),
    ("note setting: TNM", "fr", "{C} cT2N1M0, stade IIB, diagnostiqué en 2025.", False, "IIB"),
    ("note setting: locally advanced", "fr", "{C} localement avancé non résécable, stade IIIB (cT4bN2M0).",
     False, "IIIB"),
    ("note setting: relapse", "fr", "Rechute métastatique en 2025 d'un {c} opéré en 2022.", True, None),
)  # fmt: skip
# (class, language, sentence, lines for advanced disease, treatment-naive)
HISTORY_NOTES: tuple[tuple[str, str, str, int | None, bool | None], ...] = (
    ("note history: untreated", "en", "No prior systemic therapy.", 0, True),
    ("note history: untreated", "en", "She is treatment-naive.", 0, True),
    ("note history: adjuvant only", "en", "She received adjuvant epirubicin then docetaxel in 2022.", 0, False),
    ("note history: N lines", "en",
     "First-line letrozole and palbociclib from 2024 to 2025, then second-line paclitaxel since June 2025.", 2,
     False),
    ("note history: N lines", "en", "She has received two prior lines of systemic therapy for metastatic "
     "disease (paclitaxel, then capecitabine).", 2, False),
    ("note history: N lines", "en", "Three prior lines in the metastatic setting: capecitabine, eribulin and "
     "paclitaxel.", 3, False),
    ("note history: untreated", "fr", "Aucun traitement systémique antérieur.", 0, True),
    ("note history: untreated", "fr", "Patiente naïve de tout traitement.", 0, True),
    ("note history: adjuvant only", "fr", "Chimiothérapie adjuvante par épirubicine puis docétaxel en 2022.", 0,
     False),
    ("note history: N lines", "fr", "Première ligne par létrozole et palbociclib de 2024 à 2025, puis "
     "deuxième ligne par paclitaxel depuis juin 2025.", 2, False),
    ("note history: N lines", "fr", "Deux lignes antérieures au stade métastatique : paclitaxel puis "
     "capécitabine.", 2, False),
)  # fmt: skip
