"""The wordings of `benchmarks/audit_scope.py` and their semantics, composed here from parts (a subject, a
polarity predicate, a therapy, a scope phrase, a condition cue, an alternative) and judged from the clinical
meaning of the words alone, never from the engine's reading.

A rule maps a patient (`Who`) to what the line alone says of them: "eligible" (the line does not keep them
out: met, or not applicable), "excluded", None (the record cannot tell: only "unknown" is right; an
exclusion is wrong) or `OK` (a permission: anything but an exclusion is right)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

OK = "ok"
Expected = str | None
Row = tuple[
    str, str, str, "Rule", tuple[str, ...], tuple["Who", ...]
]  # class, lang, line, rule, sections, patients
# a drug the generator gives: the class a record states, the families the generator's words name
DRUGS = {
    "paclitaxel": ("taxane", {"taxane", "chemo"}), "doxorubicin": ("anthracycline", {"anthracycline", "chemo"}),
    "epirubicin": ("anthracycline", {"anthracycline", "chemo"}), "carboplatin": ("platinum", {"platinum", "chemo"}),
    "palbociclib": ("CDK4/6 inhibitor", {"CDK4/6 inhibitor"}), "letrozole": ("aromatase inhibitor", {"endocrine"}),
    "trastuzumab": ("anti-HER2", {"anti-HER2"}), "bevacizumab": ("anti-VEGF", {"anti-VEGF"}),
    "pembrolizumab": ("anti-PD-1", {"anti-PD-1"}),
}  # fmt: skip


@dataclass(frozen=True)
class Who:
    """A patient as the record states it: conditions present / recorded absent, courses of therapy
    (drug, setting: "adjuvant", "metastatic" or None when the record does not say), labs."""

    name: str
    sex: str = "FEMALE"
    present: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()
    courses: tuple[tuple[str, str | None], ...] = ()
    naive: bool = False  # "no prior systemic therapy" recorded
    labs: tuple[tuple[str, float], ...] = field(default=())

    def took(self, klass: str, setting: str | None = "any") -> bool | None:
        """Whether a course of `klass` was given (in `setting`; None when its setting is not known)."""
        hits = [s for d, s in self.courses if klass in DRUGS[d][1]]
        if setting == "any":
            return bool(hits)
        if setting in hits:
            return True
        return None if None in hits else False


Rule = Callable[[Who], Expected]


def _has(key: str) -> Rule:
    def rule(w: Who) -> Expected:
        if key in ("pregnant", "nursing") and w.sex == "MALE":
            return "eligible"
        return "excluded" if key in w.present else "eligible" if key in w.absent else None

    return rule


# --- 1. polarity: an exclusion stated in the line itself, whatever its section -------------------------

SUBJECTS = {
    "en": (
        ("hbv", "HBV-positive patients"), ("hbv", "Patients with hepatitis B"),
        ("hcv", "Patients with hepatitis C infection"), ("hcv", "HCV-positive participants"),
        ("hiv", "Patients known to be HIV-positive"), ("hiv", "HIV-infected subjects"),
        ("pregnant", "Pregnant women"), ("pregnant", "Women who are pregnant"),
        ("nursing", "Nursing women"), ("nursing", "Breastfeeding women"), ("nursing", "Lactating mothers"),
        ("brain", "Patients with brain metastases"), ("brain", "Subjects with known CNS metastases"),
    ),
    "fr": (
        ("hbv", "Les patients porteurs du VHB", ""), ("hbv", "Les patients ayant une hépatite B", ""),
        ("hcv", "Les patients atteints d'hépatite C", ""), ("hiv", "Les patients séropositifs pour le VIH", ""),
        ("pregnant", "Les femmes enceintes", "e"), ("nursing", "Les femmes qui allaitent", "e"),
        ("nursing", "Les femmes allaitantes", "e"), ("brain", "Les patients ayant des métastases cérébrales", ""),
    ),
}  # fmt: skip
PREDICATES = {
    "en": (
        "are ineligible", "are not eligible", "are excluded", "are also excluded, as the risk is not known",
        "will be excluded from the study", "cannot be enrolled", "may not take part in this study",
        "are ineligible because of the risk of toxicity", "are not allowed on study",
    ),
    "fr": (
        "ne sont pas éligibles", "sont exclu{e}s", "sont également exclu{e}s, le risque n'étant pas connu",
        "ne peuvent pas être inclu{e}s", "ne sont pas autorisé{e}s à participer", "sont non éligibles",
    ),
}  # fmt: skip
OBJECTS = {
    "en": (("hbv", "active hepatitis B"), ("hiv", "HIV infection"), ("brain", "brain metastases")),
    "fr": (
        ("hbv", "d'hépatite B active"),
        ("hiv", "d'infection par le VIH"),
        ("brain", "de métastases cérébrales"),
    ),
}
MUST_NOT = {
    "en": (
        "Patients must not have {o}",
        "Participants must not have {o}",
        "Subjects must not have known {o}",
    ),
    "fr": ("Les patients ne doivent pas avoir {o}", "Le patient ne doit pas présenter {o}"),
}
# drug, class (as the record says), French name
POLARITY_DRUGS = (("bevacizumab", "anti-VEGF", "bévacizumab"), ("pembrolizumab", "anti-PD-1", "pembrolizumab"),
                  ("paclitaxel", "taxane", "paclitaxel"))  # fmt: skip
DRUG_PREDICATES = {
    "en": (
        "Prior {d} is not allowed",
        "Previous treatment with {d} is not permitted",
        "Prior {d} is prohibited",
        "Patients previously treated with {d} are ineligible",
        "Patients must not have received {d}",
        "Patients who have received {d} are excluded",
    ),
    "fr": (
        "Un traitement antérieur par {d} n'est pas autorisé",
        "Le traitement antérieur par {d} est interdit",
        "Les patients ayant déjà reçu un traitement par {d} ne sont pas éligibles",
        "Les patients ne doivent pas avoir reçu de traitement par {d}",
    ),
}


def _took_drug(klass: str) -> Rule:
    return lambda w: "excluded" if w.took(klass) else "eligible" if w.naive or w.courses else None


def _with_without(key: str) -> tuple[Who, ...]:
    women = (
        Who(f"{key} recorded", present=frozenset({key})),
        Who(f"no {key} recorded", absent=frozenset({key})),
    )
    return (*women, Who("a man", sex="MALE")) if key in ("pregnant", "nursing") else women


def _given(drug: str, other: str = "letrozole") -> tuple[Who, ...]:
    return (Who(f"{drug} for metastatic disease", courses=((drug, "metastatic"),)), Who("untreated", naive=True),
            Who(f"{other} only", courses=((other, "metastatic"),)))  # fmt: skip


def polarity_rows() -> Iterator[Row]:
    both = ("Inclusion", "Exclusion")
    for subject in SUBJECTS["en"]:
        for p in PREDICATES["en"]:
            text = f"{subject[1]} {p}."
            yield (
                "polarity: subject + predicate",
                "en",
                text,
                _has(subject[0]),
                both,
                _with_without(subject[0]),
            )
    for key, name, e in SUBJECTS["fr"]:
        for p in PREDICATES["fr"]:
            text = f"{name} {p.format(e=e)}."
            yield "polarity: subject + predicate", "fr", text, _has(key), both, _with_without(key)
    for lang in ("en", "fr"):
        for key, obj in OBJECTS[lang]:
            for pattern in MUST_NOT[lang]:
                yield (
                    "polarity: must not have",
                    lang,
                    pattern.format(o=obj),
                    _has(key),
                    both,
                    _with_without(key),
                )
        for drug, klass, fr in POLARITY_DRUGS:
            for pattern in DRUG_PREDICATES[lang]:
                text = pattern.format(d=drug if lang == "en" else fr)
                yield "polarity: prior drug not allowed", lang, text, _took_drug(klass), both, _given(drug)


# --- 2. scope of a (negated) prior-therapy line -------------------------------------------------------

# English name, French name, class the record gives, a drug of it
SCOPE_DRUGS = (
    ("taxanes", "taxanes", "taxane", "paclitaxel"), ("chemotherapy", "chimiothérapie", "chemo", "paclitaxel"),
    ("anthracyclines", "anthracyclines", "anthracycline", "doxorubicin"),
    ("a CDK4/6 inhibitor", "inhibiteur de CDK4/6", "CDK4/6 inhibitor", "palbociclib"),
    ("endocrine therapy", "hormonothérapie", "endocrine", "letrozole"),
)  # fmt: skip
NEGATIONS = {
    "en": ("No prior {d} {s}", "Has received no prior {d} {s}", "Without prior exposure to {d} {s}",
           "Must not have received {d} {s}", "No previous treatment with {d} {s}"),
    "fr": ("Pas de {d} antérieure {s}", "Aucun traitement antérieur par {d} {s}", "Sans traitement antérieur par {d} {s}",
           "Ne pas avoir reçu de traitement par {d} {s}"),
}  # fmt: skip
SCOPES = {
    "en": ("for metastatic disease", "in the metastatic setting", "in the advanced stage setting",
           "for Stage IIIB or Stage IV breast cancer", "for advanced or metastatic breast cancer",
           "for stage IV disease", "for recurrent or metastatic disease", "in the advanced setting"),
    "fr": ("pour la maladie métastatique", "en situation métastatique", "au stade avancé",
           "pour un cancer du sein de stade IIIB ou IV", "pour un cancer du sein avancé ou métastatique",
           "en phase métastatique"),
}  # fmt: skip
PERMITS = {
    "en": ("No limit in number of prior {d} in metastatic breast cancer",
           "Any number of prior {d} for metastatic disease is allowed",
           "There is no limit to the number of prior {d} for advanced disease"),
    "fr": ("Pas de limite du nombre de lignes de {d} en situation métastatique",
           "Le nombre de lignes antérieures de {d} pour la maladie métastatique n'est pas limité"),
}  # fmt: skip
POSITIVE = {
    "en": ("Prior {d} {s}", "Previous treatment with {d} {s}"),
    "fr": ("Traitement antérieur par {d} {s}",),
}


def _advanced_course(klass: str) -> Rule:
    def rule(w: Who) -> Expected:
        took = w.took(klass, "metastatic")
        return "excluded" if took else None if took is None else "eligible"

    return rule


def _any_course(klass: str) -> Rule:
    return lambda w: "excluded" if w.took(klass) else "eligible"


def _settings(drug: str) -> tuple[Who, ...]:
    other = "paclitaxel" if drug == "letrozole" else "letrozole"
    return (Who(f"{drug} adjuvant", courses=((drug, "adjuvant"),)), *_given(drug, other)[:1],
            Who(f"{drug}, setting not stated", courses=((drug, None),)), *_given(drug, other)[1:])  # fmt: skip


def scope_rows() -> Iterator[Row]:
    for lang in ("en", "fr"):
        for en, fr, klass, drug in SCOPE_DRUGS:
            d, who = (en if lang == "en" else fr), _settings(drug)
            for neg in NEGATIONS[lang]:
                for scope in SCOPES[lang]:
                    text = neg.format(d=d, s=scope)
                    yield (
                        "scope: negated therapy + setting",
                        lang,
                        text,
                        _advanced_course(klass),
                        ("Inclusion",),
                        who,
                    )
                yield "scope: negated therapy, no scope (control)", lang, neg.format(d=d, s="").strip(), \
                    _any_course(klass), ("Inclusion",), who  # fmt: skip
            for pos in POSITIVE[lang]:
                for scope in SCOPES[lang]:
                    text = pos.format(d=d, s=scope)
                    yield (
                        "scope: therapy + setting (exclusion)",
                        lang,
                        text,
                        _advanced_course(klass),
                        ("Exclusion",),
                        who,
                    )
            for permit in PERMITS[lang]:
                yield (
                    "scope: no limit (permission)",
                    lang,
                    permit.format(d=d),
                    lambda w: OK,
                    ("Inclusion",),
                    who,
                )


# --- 3. conditions: a threshold that applies to some patients only -----------------------------------

# English, French, lab code, value that meets, value that fails
REQUIREMENTS = (
    ("AST and ALT <= 5 x ULN", "ASAT et ALAT <= 5 x LSN", "ast", 120.0, 240.0),
    ("Total bilirubin <= 3 x ULN", "Bilirubine totale <= 3 x LSN", "bilirubin", 2.0, 5.0),
    ("Creatinine clearance >= 60 mL/min", "Clairance de la créatinine >= 60 mL/min", "creatinine_clearance", 75, 40),
    ("Hemoglobin >= 10 g/dL", "Hémoglobine >= 10 g/dL", "hemoglobin", 12.0, 8.5),
)  # fmt: skip
CUES = {
    "en": ("for patients with {c}", "for pts w/ {c}", "in patients with {c}", "in those with {c}",
           "in subjects who have {c}", "if the patient has {c}", "in the presence of {c}", "in case of {c}"),
    "fr": ("pour les patients ayant des {c}", "chez les patients présentant des {c}", "en cas de {c}",
           "si {c}", "chez les patients avec des {c}"),
}  # fmt: skip
CONDITIONS = {
    "en": (("liver", "liver metastases"), ("bone", "bone metastases"), ("brain", "brain metastases")),
    "fr": (
        ("liver", "métastases hépatiques"),
        ("bone", "métastases osseuses"),
        ("brain", "métastases cérébrales"),
    ),
}
PREGNANCY_TEST = {
    "en": ("Negative pregnancy test for women of childbearing potential",
           "Negative serum pregnancy test required in women of childbearing potential",
           "Women of childbearing potential must have a negative pregnancy test",
           "A negative pregnancy test is required if the patient is of childbearing potential"),
    "fr": ("Test de grossesse négatif pour les femmes en âge de procréer",
           "Test de grossesse négatif chez les femmes en âge de procréer"),
}  # fmt: skip


def _conditional(code: str, site: str, meets: float) -> Rule:
    def rule(w: Who) -> Expected:
        if site not in w.present:
            return "eligible" if site in w.absent else None
        value = dict(w.labs).get(code)
        return None if value is None else "eligible" if value == meets else "excluded"

    return rule


def _pregnancy_test(w: Who) -> Expected:
    if w.sex == "MALE" or "cbp" in w.absent:
        return "eligible"
    return "excluded" if "pregnant" in w.present else "eligible" if "pregnant" in w.absent else None


def _labs(code: str, site: str, meets: float, fails: float) -> tuple[Who, ...]:
    return tuple(
        Who(f"{site} {'yes' if yes else 'no'}, {code} {value}", present=frozenset({site} if yes else ()),
            absent=frozenset(() if yes else {site}), labs=((code, value), ("alt", value)) if code == "ast" else ((code, value),))
        for yes in (True, False) for value in (meets, fails)
    )  # fmt: skip


MOTHERS = (
    Who("a man", sex="MALE"), Who("postmenopausal woman", absent=frozenset({"cbp"})),
    Who("woman of childbearing potential, not pregnant", present=frozenset({"cbp"}), absent=frozenset({"pregnant"})),
    Who("pregnant woman", present=frozenset({"cbp", "pregnant"})),
)  # fmt: skip


def condition_rows() -> Iterator[Row]:
    for lang in ("en", "fr"):
        for en, fr, code, meets, fails in REQUIREMENTS:
            for cue in CUES[lang]:
                for site, words in CONDITIONS[lang]:
                    text = f"{en if lang == 'en' else fr} {cue.format(c=words)}"
                    yield "condition: threshold for some patients", lang, text, _conditional(code, site, meets), \
                        ("Inclusion",), _labs(code, site, meets, fails)  # fmt: skip
        for text in PREGNANCY_TEST[lang]:
            yield (
                "condition: women of childbearing potential",
                lang,
                text,
                _pregnancy_test,
                ("Inclusion",),
                MOTHERS,
            )


# --- 4. disjunctions with an alternative the engine cannot read ---------------------------------------

ALTERNATIVE_DRUGS = (
    ("a taxane", "un taxane", "taxane", "paclitaxel"),
    ("platinum-based chemotherapy", "une chimiothérapie à base de platine", "platinum", "carboplatin"),
    ("trastuzumab", "trastuzumab", "anti-HER2", "trastuzumab"),
)
UNREAD_ALTERNATIVES = {
    "en": ("Prior {d}, or a contraindication to {d}", "Prior treatment with {d} or refusal of {d}",
           "Prior {d} or be ineligible for {d} in the opinion of the investigator",
           "Previously treated with {d}, or deemed unsuitable for {d}"),
    "fr": ("Traitement antérieur par {d} ou contre-indication à {d}", "Traitement antérieur par {d} ou refus de {d}",
           "Avoir reçu {d} ou ne pas être éligible à {d} selon l'investigateur"),
}  # fmt: skip
DOSE_OR_NAIVE = {
    "en": ("Maximum cumulative dose of doxorubicin <= 360 mg/m2 or no prior anthracyclines",
           "Cumulative doxorubicin dose below 400 mg/m2, or no prior anthracycline",
           "Prior epirubicin at a cumulative dose <= 720 mg/m2 or no prior anthracyclines",
           "Maximum cumulative dose of doxorubicin </= 360 mg/m2 or of epirubicin </= 720 mg/m2 or anthracycline-naive"),
    "fr": ("Dose cumulée de doxorubicine <= 360 mg/m2 ou absence d'anthracycline antérieure",
           "Dose cumulée d'épirubicine <= 720 mg/m2 ou pas d'anthracycline antérieure"),
}  # fmt: skip


def _prior_or_unread(klass: str) -> Rule:
    return lambda w: "eligible" if w.took(klass) else None


def _dose_or_naive(w: Who) -> Expected:
    return None if w.took("anthracycline") else "eligible" if w.naive or w.courses else None


ANTHRACYCLINES = (Who("untreated", naive=True), Who("epirubicin adjuvant", courses=(("epirubicin", "adjuvant"),)),
                  Who("doxorubicin for metastatic disease", courses=(("doxorubicin", "metastatic"),)),
                  Who("letrozole only", courses=(("letrozole", "metastatic"),)))  # fmt: skip


def disjunction_rows() -> Iterator[Row]:
    for lang in ("en", "fr"):
        for en, fr, klass, drug in ALTERNATIVE_DRUGS:
            for pattern in UNREAD_ALTERNATIVES[lang]:
                text = pattern.format(d=en if lang == "en" else fr)
                yield "disjunction: read or unread alternative", lang, text, _prior_or_unread(klass), \
                    ("Inclusion",), _given(drug)  # fmt: skip
        for text in DOSE_OR_NAIVE[lang]:
            yield (
                "disjunction: dose limit or naive",
                lang,
                text,
                _dose_or_naive,
                ("Inclusion",),
                ANTHRACYCLINES,
            )


def rows() -> Iterator[Row]:
    yield from polarity_rows()
    yield from scope_rows()
    yield from condition_rows()
    yield from disjunction_rows()
