"""The wordings of `benchmarks/audit_relations.py`: how the parts of one criterion line relate, composed
here from parts and judged from the clinical meaning of the words alone, never from the engine's reading.

Five classes, English and French:
1. a negation's reach: "locally advanced disease that is not amenable to curative surgery, or metastatic
   disease suitable for chemotherapy": the "not" ends with its clause; "suitable for chemotherapy" is a plan;
2. a list's last item: "stage I, II, and III", "ECOG 0, 1 or 2", "stages I to III" (every item counts);
3. a therapy that qualifies a condition: "active infection requiring systemic therapy" is no prior-therapy
   exclusion (the patient's chemotherapy for cancer is not it);
4. alternatives carrying their own histology: "NSCLC; small-cell lung cancer; or squamous cell carcinoma
   of the head and neck": the histology belongs to its own alternative;
5. a schedule or formulation that narrows a drug: "prior weekly paclitaxel" is not a course of paclitaxel
   every 3 weeks; a course whose schedule is not recorded cannot tell.

A rule maps a patient (`Pt`) to "eligible", "excluded" or None (the record cannot tell)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Expected = str | None
Row = tuple[
    str, str, str, "Rule", tuple[str, ...], tuple["Pt", ...]
]  # class, lang, line, rule, sections, patients


@dataclass(frozen=True)
class Pt:
    """A patient as the record states it: the primary cancer (OncoTree code and the diagnosis as written),
    the stage, ECOG, conditions present / recorded absent, courses (drug, class, setting, schedule)."""

    name: str
    cancer: str = "BRCA"
    diagnosis: str = "invasive breast carcinoma"
    stage: str = "IV"
    ecog: int | None = None
    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    courses: tuple[tuple[str, str, str, str | None], ...] = ()
    sex: str = "FEMALE"

    @property
    def metastatic(self) -> bool:
        return self.stage == "IV"


Rule = Callable[[Pt], Expected]

# --- 1. a negation's reach --------------------------------------------------------------------------

ADVANCED = (
    Pt("metastatic, prior adjuvant chemotherapy", courses=(("epirubicin", "anthracycline", "adjuvant", None),)),
    Pt("metastatic, no therapy yet"),
    Pt("stage I, operable", stage="I"),
    Pt("stage IIA, operable", stage="IIA"),
)  # fmt: skip
LOCAL = {
    "en": ("Locally advanced breast cancer", "Locally advanced disease", "Locally advanced breast carcinoma"),
    "fr": ("Cancer du sein localement avancé", "Maladie localement avancée"),
}
NOT_CLAUSE = {
    "en": ("that is not amenable to curative radiation or surgical cure", "which is not amenable to curative surgery",
           "that is not suitable for resection with curative intent", "not amenable to curative local therapy",
           "that cannot be treated with curative intent", "which is not a candidate for curative surgery"),
    "fr": ("qui n'est pas accessible à un traitement curatif", "non accessible à une chirurgie curative",
           "qui ne peut pas être traité à visée curative"),
}  # fmt: skip
COORD = {"en": ("and/or", "or", ", or"), "fr": ("et/ou", "ou")}
METASTATIC = {
    "en": ("metastatic disease", "metastatic breast cancer", "stage IV disease"),
    "fr": ("une maladie métastatique", "un cancer du sein métastatique"),
}
PLAN = {
    "en": ("", "appropriate for systemic single cytotoxic chemotherapy", "suitable for chemotherapy",
           "eligible for first-line chemotherapy", "who are candidates for endocrine therapy"),
    "fr": ("", "éligible à une chimiothérapie", "relevant d'une chimiothérapie"),
}  # fmt: skip


def _advanced(plan: str) -> Rule:
    """Locally advanced (not curable) or metastatic; a plan ("suitable for chemotherapy") is the
    investigator's judgement: a metastatic patient meets the line unless a plan is named."""

    def rule(p: Pt) -> Expected:
        if p.stage in ("I", "IIA"):
            return "excluded"
        return None if plan or not p.metastatic else "eligible"

    return rule


def reach_rows() -> Iterator[Row]:
    for lang in ("en", "fr"):
        for local, clause, coord, met, plan in itertools.product(
            LOCAL[lang], NOT_CLAUSE[lang], COORD[lang], METASTATIC[lang], PLAN[lang]
        ):
            sep = f"{coord} " if coord.startswith(",") else f" {coord} "
            text = f"{local} {clause}{sep}{met} {plan}".strip()
            yield "reach: negated clause, then an alternative", lang, text, _advanced(plan), ("Inclusion",), \
                ADVANCED  # fmt: skip


# --- 2. a list's last item ---------------------------------------------------------------------------

STAGED = tuple(Pt(f"stage {s}", stage=s) for s in ("I", "IIB", "IIIA", "IV"))
STAGE_LISTS = {  # wording, stages it names (the generator's own reading)
    "en": (("stage I, II, and III", "I II III"), ("stage I, II and III", "I II III"), ("stage I, II or III", "I II III"),
           ("stages I-III", "I II III"), ("stage I to III", "I II III"), ("stage I through III", "I II III"),
           ("stage 1, 2 or 3", "I II III"), ("stage II, III, or IV", "II III IV"), ("stage II and III", "II III"),
           ("stage II-IV", "II III IV"), ("stage I, II, III", "I II III"), ("stage I/II/III", "I II III")),
    "fr": (("stade I, II ou III", "I II III"), ("stades I à III", "I II III"), ("stade I, II et III", "I II III"),
           ("stades II à IV", "II III IV"), ("stade II ou III", "II III")),
}  # fmt: skip
STAGE_FRAMES = {
    "en": ("Breast cancer {s}", "Patients with {s} breast cancer", "Invasive breast cancer without distant "
           "metastasis({s})", "Histologically confirmed breast cancer ({s})", "Operable breast cancer, {s}"),
    "fr": ("Cancer du sein de {s}", "Patientes atteintes d'un cancer du sein de {s}", "Cancer du sein ({s})"),
}  # fmt: skip
GRADED = tuple(Pt(f"ECOG {e}", ecog=e) for e in (0, 1, 2, 3))
ECOG_LISTS = {
    "en": (("ECOG performance status 0, 1, or 2", 2), ("ECOG 0, 1 and 2", 2), ("ECOG PS 0-2", 2),
           ("ECOG performance status of 0 to 2", 2), ("ECOG 0 through 2", 2), ("ECOG 0 or 1", 1),
           ("ECOG performance status (PS) 0, 1, 2", 2), ("ECOG PS of 0, 1, or 2", 2), ("ECOG score of 0/1", 1)),
    "fr": (("ECOG 0, 1 ou 2", 2), ("Indice de performance ECOG de 0 à 2", 2), ("ECOG 0 ou 1", 1),
           ("ECOG 0, 1 et 2", 2)),
}  # fmt: skip


_CHEMO = (("paclitaxel", "taxane"), ("capecitabine", "antimetabolite"), ("eribulin", "microtubule inhibitor"),
          ("vinorelbine", "vinca alkaloid"))  # fmt: skip
LINED = tuple(
    Pt(
        f"{k} line(s) for metastatic disease",
        courses=tuple((d, c, "metastatic", None) for d, c in _CHEMO[:k]),
    )
    for k in range(5)
)
LINE_LISTS = {  # wording, the counts of prior lines it names
    "en": (("1, 2, or 3 prior lines of therapy for metastatic disease", {1, 2, 3}),
           ("1, 2 or 3 prior regimens for advanced disease", {1, 2, 3}), ("2 to 3 prior lines of chemotherapy", {2, 3}),
           ("one, two, or three prior lines of systemic therapy", {1, 2, 3}), ("2, 3, or 4 prior lines", {2, 3, 4}),
           ("1 through 3 prior lines of therapy", {1, 2, 3}), ("0, 1, or 2 prior lines of chemotherapy", {0, 1, 2})),
    "fr": (("1, 2 ou 3 lignes de traitement antérieures", {1, 2, 3}), ("2 à 3 lignes antérieures de chimiothérapie", {2, 3})),
}  # fmt: skip


def _lines_in(counts: set[int]) -> Rule:
    return lambda p: "eligible" if len(p.courses) in counts else "excluded"


def _stage_in(stages: str) -> Rule:
    return lambda p: "eligible" if p.stage.rstrip("ABC") in stages.split() else "excluded"


def _ecog_at_most(top: int) -> Rule:
    return lambda p: None if p.ecog is None else "eligible" if p.ecog <= top else "excluded"


def list_rows() -> Iterator[Row]:
    for lang in ("en", "fr"):
        for (words, stages), frame in itertools.product(STAGE_LISTS[lang], STAGE_FRAMES[lang]):
            if "IV" in stages and "metasta" in frame:
                continue  # "without distant metastasis (stage IV)" says nothing sensible
            yield "list: stages", lang, frame.format(s=words), _stage_in(stages), ("Inclusion",), STAGED
        for words, counts in LINE_LISTS[lang]:
            yield "list: prior lines", lang, words, _lines_in(counts), ("Inclusion",), LINED
        for words, top in ECOG_LISTS[lang]:
            yield "list: ECOG values", lang, words, _ecog_at_most(top), ("Inclusion",), GRADED


# --- 3. a therapy that qualifies a condition ---------------------------------------------------------

# condition key, English, French
GOVERNED = (
    ("infection", "Active infection", "Infection active"), ("infection", "Uncontrolled infection", "Infection non contrôlée"),
    ("autoimmune", "Autoimmune disease", "Maladie auto-immune"),
    ("autoimmune", "Active autoimmune disease", "Maladie auto-immune active"),
    ("heart_failure", "Congestive heart failure", "Insuffisance cardiaque congestive"),
)  # fmt: skip
REQUIRING = {
    "en": ("requiring systemic therapy", "requiring systemic treatment", "that requires systemic therapy",
           "needing systemic treatment", "requiring treatment", "treated with systemic therapy",
           "requiring systemic therapy within the past 2 years"),
    "fr": ("nécessitant un traitement systémique", "requérant un traitement systémique",
           "nécessitant un traitement"),
}  # fmt: skip
OTHER = {
    "en": ("", ", or other serious illness", " or other serious infection"),
    "fr": ("", " ou autre infection grave"),
}
TREATED = (
    Pt("carboplatin for cancer, condition recorded absent", absent=frozenset({"infection", "autoimmune", "heart_failure"}),
       courses=(("carboplatin", "platinum", "metastatic", None),)),
    Pt("no therapy, condition recorded absent", absent=frozenset({"infection", "autoimmune", "heart_failure"})),
    Pt("carboplatin for cancer, condition present", present=frozenset({"infection", "autoimmune", "heart_failure"}),
       courses=(("carboplatin", "platinum", "metastatic", None),)),
)  # fmt: skip


def _governed(key: str, other: str) -> Rule:
    def rule(p: Pt) -> Expected:
        if key in p.present:
            return None  # present: whether it requires the therapy (or is "serious") is not stated
        return None if other and "illness" in other else "eligible" if key in p.absent else None

    return rule


def governed_rows() -> Iterator[Row]:
    for key, en, fr in GOVERNED:
        for lang in ("en", "fr"):
            for req, other in itertools.product(REQUIRING[lang], OTHER[lang]):
                if other and key != "infection" and "infection" in other:
                    continue
                text = f"{en if lang == 'en' else fr} {req}{other}"
                yield "therapy of a condition", lang, text, _governed(key, other), ("Exclusion",), TREATED
                if (
                    not other
                ):  # the same line negated among the inclusions: "No active infection requiring ..."
                    head = "No " if lang == "en" else "Pas d'" if fr[0] in "AEIOU" else "Pas de "
                    words = en if lang == "en" else fr
                    text = f"{head}{words[0].lower()}{words[1:]} {req}"
                    yield "therapy of a condition", lang, text, _governed(key, ""), ("Inclusion",), TREATED


# --- 4. alternatives carrying their own histology ----------------------------------------------------

LUNG_SMALL = Pt("small cell lung cancer", cancer="SCLC", diagnosis="small cell lung carcinoma", stage="IV")
LUNG_ADENO = Pt("lung adenocarcinoma", cancer="LUAD", diagnosis="lung adenocarcinoma", stage="IV")
HN_SQUAMOUS = Pt(
    "head and neck squamous", cancer="HNSC", diagnosis="squamous cell carcinoma of the oropharynx"
)
COLON_ADENO = Pt("colon adenocarcinoma", cancer="COAD", diagnosis="colon adenocarcinoma", stage="IV")
MELANOMA = Pt("melanoma", cancer="MEL", diagnosis="cutaneous melanoma", stage="IV")
HISTOLOGY_PATIENTS = (LUNG_SMALL, LUNG_ADENO, HN_SQUAMOUS, COLON_ADENO, MELANOMA)
# English, French, the patients it names
ALTERNATIVES = (
    ("Non-small cell lung cancer (NSCLC)", "Cancer bronchique non à petites cellules (CBNPC)", {"lung adenocarcinoma"}),
    ("Small-cell lung cancer", "Cancer bronchique à petites cellules", {"small cell lung cancer"}),
    ("Squamous cell cancer of the head and neck (HNSCC)", "Carcinome épidermoïde de la tête et du cou",
     {"head and neck squamous"}),
    ("Gastroesophageal adenocarcinoma", "Adénocarcinome gastro-œsophagien", set()),
    ("Colorectal adenocarcinoma", "Adénocarcinome colorectal", {"colon adenocarcinoma"}),
    ("Breast adenocarcinoma (female patients only)", "Adénocarcinome du sein (femmes uniquement)", set()),
    ("Melanoma", "Mélanome", {"melanoma"}),
)  # fmt: skip
LEADS = {"en": ("", "Phase 2 requires ", "One of the following: "), "fr": ("", "Un des cancers suivants : ")}


def _one_of(names: set[str]) -> Rule:
    return lambda p: "eligible" if p.name in names else "excluded"


def histology_rows() -> Iterator[Row]:
    for combo in itertools.combinations(ALTERNATIVES, 4):
        if not any(c[2] for c in combo[:-1]) or not any("adeno" in c[0].lower() or "squamous" in c[0].lower()
                                                       for c in combo):  # fmt: skip
            continue
        names = set().union(*(c[2] for c in combo))
        for lang in ("en", "fr"):
            items = [c[0] if lang == "en" else c[1] for c in combo]
            for lead, sep in itertools.product(LEADS[lang], ("; ", ", ")):
                last = "; or " if sep == "; " and lang == "en" else ", or " if lang == "en" else " ou "
                text = lead + sep.join(items[:-1]) + last + items[-1]
                yield "alternatives with their histology", lang, text, _one_of(names), ("Inclusion",), \
                    HISTOLOGY_PATIENTS  # fmt: skip


# --- 5. a schedule or formulation narrowing a drug ---------------------------------------------------

# English drug phrase, French, the drug a course records, its class, schedule or formulation the words name
NARROWED = (
    ("weekly paclitaxel", "paclitaxel hebdomadaire", "paclitaxel", "taxane", "weekly"),
    ("paclitaxel given weekly", "paclitaxel administré chaque semaine", "paclitaxel", "taxane", "weekly"),
    ("dose-dense doxorubicin", "doxorubicine dose-dense", "doxorubicin", "anthracycline", "dose-dense"),
    ("metronomic cyclophosphamide", "cyclophosphamide métronomique", "cyclophosphamide", "alkylating agent",
     "metronomic"),
    ("weekly carboplatin", "carboplatine hebdomadaire", "carboplatin", "platinum", "weekly"),
    ("liposomal doxorubicin", "doxorubicine liposomale", "doxorubicin", "anthracycline", "liposomal"),
    ("nab-paclitaxel", "nab-paclitaxel", "paclitaxel", "taxane", "nab"),
    ("nanoalbumin-paclitaxel", "paclitaxel lié à l'albumine", "paclitaxel", "taxane", "nab"),
)  # fmt: skip
PRIOR = {
    "en": (
        "Prior treatment with {d}",
        "Prior {d}",
        "Previous treatment with PM01183 or {d}",
        "Patients previously treated with {d}",
    ),
    "fr": ("Traitement antérieur par {d}", "Patients ayant déjà reçu du {d}"),
}
OTHER_SCHEDULE = {"weekly": "every 3 weeks", "dose-dense": "every 3 weeks", "metronomic": "every 3 weeks",
                  "liposomal": "conventional", "nab": "conventional"}  # fmt: skip


def _courses(drug: str, klass: str, narrow: str) -> tuple[Pt, ...]:
    other = OTHER_SCHEDULE[narrow]
    return (
        Pt(f"{drug} {other}", courses=((drug, klass, "metastatic", other),)),
        Pt(f"{drug}, schedule not recorded", courses=((drug, klass, "metastatic", None),)),
        Pt("letrozole only", courses=(("letrozole", "aromatase inhibitor", "metastatic", None),)),
    ) + (
        ()
        if narrow in ("nab", "liposomal")
        else (Pt(f"{drug} {narrow}", courses=((drug, klass, "metastatic", narrow),)),)
    )


def _narrowed(drug: str, narrow: str) -> Rule:
    def rule(p: Pt) -> Expected:
        given = [c for c in p.courses if c[0] == drug]
        if not given:
            return "eligible"
        if any(c[3] == narrow for c in given):
            return "excluded"
        if narrow in ("nab", "liposomal"):  # the record names the formulation it gave: the plain drug
            return "eligible"
        return None if any(c[3] is None for c in given) else "eligible"

    return rule


def schedule_rows() -> Iterator[Row]:
    for en, fr, drug, klass, narrow in NARROWED:
        for lang in ("en", "fr"):
            for frame in PRIOR[lang]:
                text = frame.format(d=en if lang == "en" else fr)
                yield "schedule narrows a drug", lang, text, _narrowed(drug, narrow), ("Exclusion",), \
                    _courses(drug, klass, narrow)  # fmt: skip


def rows() -> Iterator[Row]:
    yield from reach_rows()
    yield from list_rows()
    yield from governed_rows()
    yield from histology_rows()
    yield from schedule_rows()
