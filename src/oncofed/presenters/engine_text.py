"""Sentences the engines and services write in English (match evidence, what to check, recruitment
notes), said in the reader's language here, in the presenter: the engines stay language-free.

Each sentence shape the engines write is listed below as an English gettext message whose
placeholders stand for the variable parts; a sentence is matched against the shapes, and its parts
are said in turn: `*_list` parts are "; "-separated lists of sentences, `*_phrase` parts are
sentences, `date*` parts are dates (`day()`), `num*` parts numbers (`num()`), `lab` a laboratory
analyte; any other part is tried as a catalogue message (the engines' words: `presenters/engine_words.py`;
a comma-joined part word by word) and otherwise kept as written (drug names, codes, the criterion's own
words). A sentence starting with a capital is also tried as its lower-case shape.

French grammar is kept where the parts are known (`presenters/engine_grammar.py`): a biomarker result ("EGFR exon 20 insertion") is said
from its parts as a French noun phrase ("insertion de l'exon 20 d'EGFR"; `biomarker_result`), an OncoTree
cancer name by its French name where the vocabulary has one (`vocab/<lang>/cancers.tsv`), adjectives agree
with their noun (engine_words `AGREES`, genders from the catalogue), "de" is elided before a vowel where a
part is put after it, and lists are joined with the language's separator (French " ; ", a narrow no-break
space before the semicolon). English is shown as the engines wrote it, except their "(s)": the count
sentences (`COUNTED`) are said in the singular or the plural in both languages.

A shape the engines add later is shown in English until it is listed here: `unsaid()` names the pieces
left in English; the French-page test (tests/test_i18n_pages.py) finds them on the demo, and
tests/test_engine_text.py on real cases of the French verdict dev set. To list every shape the engines
write, run them over the verdict dev sets and the demo and collect `unsaid('fr', sentence)`.
"""

from __future__ import annotations

import contextvars
import functools
import re
from datetime import date

from oncofed.presenters.engine_grammar import (
    NUMBER,
    WORD,
    agreed,
    biomarker_part,
    biomarker_piece,
    biomarker_result,
    cancer_names,
    elide,
    gender_of,
    is_marker,
    result_words,
    say_word,
)
from oncofed.presenters.engine_words import AGREES
from oncofed.presenters.i18n import N_, NN_, NP_, Plural, Translator, translator

# shapes and words listed in session 6 (found by `unsaid()` over the verdict dev sets and the demo)
SHAPES_MORE: tuple[str, ...] = (
    # matching/criteria_source.py: the registry's condition as a criterion's text (its words are the registry's)
    N_("Condition: %(condition)s (OncoTree %(codes)s)"),
    # matching/atoms.py (session 7): a prior therapy recorded in another setting than the criterion's
    N_("prior systemic therapy?"),
    N_("prior %(label)s for %(setting)s?"),
    N_("%(treatment_phrase)s, given in the %(setting)s setting, not the %(other_setting)s one"),
    # matching/evaluate.py (session 9): an inclusion's cancer type read at the organ level or within the organ
    N_("Another organ than the line's cancer: %(found_list)s."),
    # matching/atoms.py (session 9): a line that also takes solid tumours ("... or a CDH1-mutated solid tumour")
    N_("the line also takes solid tumours"),
    N_("whether the line's solid tumours include %(cancer)s"),
    N_(
        "Read as not met: %(found_list)s. The patient's cancer is in an organ the line names: "
        "whether it is the subtype, histology or setting the line asks for is to check."
    ),
)
LIST_SEPARATOR = NP_("list separator", "; ")  # French: a narrow no-break space before the semicolon

SHAPES: tuple[str, ...] = (
    # matching/evidence.py: a criterion's sentence
    N_("Not computable from the text: read the criterion and check it."),
    N_("Not decided: %(checks_list)s. Known: %(facts_list)s."),
    N_("Not decided: %(checks_list)s."),
    N_("Not decided from the record. Known: %(facts_list)s."),
    N_("Not decided from the record."),
    N_("Applies only if %(condition_words)s: %(why_list)s."),
    N_("Does not apply to this patient: %(why_list)s."),
    N_("its condition does not hold"),
    N_("To be confirmed by the investigator."),
    N_("to be confirmed by the investigator"),
    N_("Criterion of cohort “%(cohort)s”; the patient is assessed in cohort “%(chosen)s”."),
    N_("Not decided: only part of the criterion was read (not “%(words)s”). Found: %(found_list)s."),
    N_(
        "Not decided: this line is for “%(cohort)s”, a part of the trial that was not recognised. Found: %(found_list)s."
    ),
    N_("whether the patient is in %(cohort)s"),
    # matching/evaluate.py: a violation the decision policy holds back (matching/trust.py)
    N_("Read as not met: %(found_list)s. This kind of reading excludes no patient on its own: check it."),
    N_("Read as applying: %(found_list)s. This kind of reading excludes no patient on its own: check it."),
    N_("confirm the reading: %(found_list)s"),
    # matching/assess.py: a line of a multi-cancer trial naming another of its cancers (matching/cancer_lines.py)
    N_(
        "A line for another of the cancers this trial takes, not the patient's: it does not apply. "
        "Found: %(found_list)s."
    ),
    # matching/atoms.py, biomarkers.py, evaluate.py: one atom's explanation or what to check
    N_("not recorded: %(check_phrase)s"),
    N_("date of birth or age"),
    N_("Aged %(num_age)s on %(date)s (criterion: %(limit_phrase)s)"),
    N_("aged %(num_age)s on %(date)s (criterion: %(limit_phrase)s)"),
    N_("sex"),
    N_("Recorded as %(what)s"),
    N_("recorded as %(what)s"),
    N_("recorded as not %(what)s"),
    N_("male patient"),
    N_("female patient"),
    N_("of childbearing potential"),
    N_("not of childbearing potential"),
    N_("childbearing potential (menopausal status)"),
    N_("primary cancer diagnosis"),
    N_("Primary cancer %(cancer)s is a %(wanted)s"),
    N_("primary cancer %(cancer)s is a %(wanted)s"),
    N_("Primary cancer %(cancer)s is not a %(wanted)s"),
    N_("primary cancer %(cancer)s is not a %(wanted)s"),
    N_("%(cancer)s subtype (%(wanted)s?)"),
    N_("%(cancer)s is broader than %(wanted)s"),
    N_("whether the cancer is what the criterion says: “%(text)s”"),
    N_("stage group"),
    N_("Stage %(stage)s (criterion: %(wanted)s)"),
    N_("stage %(stage)s (criterion: %(wanted)s)"),
    N_("stage sub-group (recorded %(stage)s)"),
    N_("disease setting: %(setting)s"),
    N_("whether the %(setting)s disease is what the criterion says"),
    N_("%(setting)s disease recorded"),
    N_("Metastatic disease"),
    N_("metastatic disease"),
    N_("no metastatic disease (stage recorded)"),
    N_("metastatic (advanced) disease"),
    N_("%(setting)s disease recorded, not early disease"),
    N_("metastatic disease, not early disease"),
    N_("stage %(stage)s: early disease"),
    N_("stage %(stage)s: not early disease"),
    N_("disease setting: early (stage?)"),
    N_("whether stage %(stage)s is early disease"),
    N_("whether the relapse came within %(num_months)s months of adjuvant therapy"),
    N_("adjuvant therapy recorded, the dates of its end or of the relapse not"),
    N_("the relapse is dated before the end of adjuvant therapy"),
    N_("no prior systemic therapy recorded, so no %(label)s"),
    N_("brain imaging (brain metastases?)"),
    N_("No brain metastases (recorded)"),
    N_("no brain metastases (recorded)"),
    N_("brain metastases recorded"),
    N_("Brain metastases recorded"),
    N_("brain metastases status (active, or treated and stable?)"),
    N_("No distant metastasis (non-metastatic stage recorded)"),
    N_("no distant metastasis (non-metastatic stage recorded)"),
    N_("imaging: %(site)s metastases"),
    N_("%(site)s metastases recorded"),
    N_("leptomeningeal disease (MRI / CSF)"),
    N_("No leptomeningeal disease (recorded)"),
    N_("no leptomeningeal disease (recorded)"),
    N_("leptomeningeal disease recorded"),
    N_("measurable disease per RECIST 1.1 (baseline imaging)"),
    N_("Measurable disease recorded"),
    N_("measurable disease recorded"),
    N_("life expectancy (clinician estimate)"),
    N_("ECOG performance status"),
    N_("ECOG %(ecog)s (criterion: ECOG %(limit_phrase)s)"),
    N_("Karnofsky performance status"),
    N_("Karnofsky %(karnofsky)s (criterion: %(limit_phrase)s)"),
    N_("ECOG %(ecog)s (converted from Karnofsky %(karnofsky)s) (criterion: ECOG %(limit_phrase)s)"),
    N_("ECOG %(ecog)s (converted from Karnofsky %(karnofsky)s): undecided"),
    N_("Karnofsky %(karnofsky)s (from ECOG %(ecog)s) (criterion: %(limit_phrase)s)"),
    N_("Karnofsky %(karnofsky)s (from ECOG %(ecog)s): undecided"),
    N_("laboratory value: %(lab)s"),
    N_("%(lab)s recorded without a number"),
    N_("%(lab)s %(num_value)s %(unit)s on %(date)s (criterion: %(limit_phrase)s)"),
    N_("%(lab)s %(num_value)s on %(date)s (criterion: %(limit_phrase)s)"),
    N_("%(lab)s %(num_value)s %(unit)s (criterion: %(limit_phrase)s)"),
    N_("at least %(num)s x ULN = %(num_limit)s %(unit)s"),
    N_("at most %(num)s x ULN = %(num_limit)s %(unit)s"),
    N_("at least %(num)s x ULN"),
    N_("at most %(num)s x ULN"),
    N_("at least %(num)s %(unit)s"),
    N_("at most %(num)s %(unit)s"),
    N_("above %(num)s %(unit)s"),
    N_("below %(num)s %(unit)s"),
    N_("at least %(num)s"),
    N_("at most %(num)s"),
    N_("above %(num)s"),
    N_("below %(num)s"),
    N_("equal to %(num)s"),
    N_("Received %(drug)s (%(drug_class)s), last given %(date)s"),
    N_("received %(drug)s (%(drug_class)s), last given %(date)s"),
    N_("Received %(drug)s, last given %(date)s"),
    N_("received %(drug)s, last given %(date)s"),
    N_("Received %(drug)s (%(drug_class)s)"),
    N_("received %(drug)s (%(drug_class)s)"),
    N_("Received %(drug)s"),
    N_("received %(drug)s"),
    N_("prior treatments (%(label)s?)"),
    N_("No prior %(label)s (recorded)"),
    N_("no prior %(label)s (recorded)"),
    N_("current medications (%(label)s?)"),
    N_("number of prior lines of systemic therapy for advanced disease"),
    N_("No prior systemic therapy (recorded)"),
    N_("no prior systemic therapy (recorded)"),
    N_("prior systemic therapy (treatment-naive?)"),
    N_("history: %(condition)s"),
    N_("%(condition)s: not active"),
    N_("No %(label)s (recorded)"),
    N_("no %(label)s (recorded)"),
    N_("%(label)s recorded on %(date)s"),
    N_("%(label)s recorded"),
    N_("biomarker test: %(marker)s"),
    N_("%(marker)s numeric result"),
    N_("%(marker)s confirmatory test (e.g. ISH)"),
    N_("whether this applies: “%(text)s”"),
    N_("hypothetical condition: %(text)s"),
    N_("hypothetical statement"),
    N_("read the criterion: “%(text)s” (its comparison is not stated)"),
    N_("ambiguous wording"),
    N_("A permission, not a requirement: it never excludes."),
    N_("a permission, not a requirement: it never excludes"),
    # matching/atoms.py: sentences the French-page test of the verdict dev sets found (tests/test_engine_text.py)
    N_("male patient: cannot be %(what)s"),
    N_("%(status_phrase)s: presumed not %(what)s"),
    N_("%(status)s: not of childbearing potential"),
    N_("%(status)s: of childbearing potential"),
    N_("breastfeeding status"),
    N_("primary cancer %(cancer)s"),
    N_("primary cancer %(cancer)s, a form of %(wanted)s"),
    N_("primary cancer %(cancer)s: whether it is “%(text)s” is not recorded"),
    N_("history of %(cancer)s recorded"),
    N_("primary cancer diagnosis (histology)"),
    N_("%(cancer)s: %(label)s histology"),
    N_("%(cancer)s: %(found)s histology, not %(label)s"),
    N_("histology of %(cancer)s (%(label)s?)"),
    N_("TNM stage (T, N, M)"),
    N_("TNM categories (%(text)s?)"),
    N_("%(shown)s: undecided"),
    N_("%(marker)s %(value)s (criterion: %(wanted_phrase)s)"),
    N_("%(lab)s %(num_value)s (criterion: %(limit_phrase)s)"),
    N_("%(marker)s %(value)s: the criterion asks more"),
    # matching/biomarkers.py: a negated result, said as not found ("no EGFR mutation found")
    N_("no %(marker)s %(value)s found (criterion: %(wanted_phrase)s)"),
    N_("no %(marker)s %(value)s found: the criterion asks more"),
    N_("no %(marker)s %(value)s found"),
    N_("below %(num)s x ULN = %(num_limit)s"),
    N_("above %(num)s x ULN = %(num_limit)s"),
    N_("at least %(num)s x ULN = %(num_limit)s"),
    N_("at most %(num)s x ULN = %(num_limit)s"),
    N_("below %(num)s x ULN"),
    N_("above %(num)s x ULN"),
    N_("ECOG %(limit_phrase)s"),
    N_("brain metastases recorded (%(status)s)"),
    N_("brain metastases %(status)s"),
    N_("brain metastases %(status)s, not %(wanted)s"),
    N_("whether the brain metastases (%(status)s) are %(wanted)s"),
    N_("number of %(what)s (imaging)"),
    N_("number of %(what)s not recorded (criterion: %(wanted_phrase)s)"),
    N_("currently on %(drug)s (%(drug_class)s)"),
    N_("currently on %(drug)s"),
    N_("%(words_phrase)s (in the past, not current)"),
    N_("%(words_phrase)s (current)"),
    N_("whether %(label)s is current"),
    N_("%(words_phrase)s; whether it is ongoing is not recorded"),
    N_("number of prior %(label)s therapies (at most %(at_most)s)"),
    N_("whether the %(label)s was %(qualifier)s"),
    N_("%(words_phrase)s; %(qualifier)s not recorded"),
    N_("whether the %(label)s is active"),
    N_("%(condition)s recorded; active (antigen, viral load) not stated"),
    N_("%(condition)s: not active (%(status)s)"),
    # matching/atoms.py (session 11): a resolved hepatitis, its marker of current infection negative
    N_("%(condition)s: not active (%(test)s negative)"),
    # matching/atoms.py (session 11): a therapy in general words and a drug given for another indication
    N_("whether the %(label)s includes %(drug)s"),
    N_("%(drug)s given for %(condition)s"),
    N_("allergy recorded: “%(agent)s”"),
    N_("whether the recorded allergy is to %(what)s"),
    N_("allergy recorded (%(agent)s), not to %(what)s"),
    N_("no known allergy (recorded)"),
    N_("allergy to %(what)s"),
    N_("%(condition)s recorded: an exception of the criterion"),
    N_("other malignancy recorded: %(condition)s (%(date)s)"),
    N_("other malignancy recorded: %(condition)s"),
    N_("no other malignancy (recorded)"),
    N_("%(condition)s recorded as %(status)s"),
    N_("%(condition)s recorded as %(status)s, not %(qualifier)s"),
    N_("whether the %(label)s is %(qualifier)s"),
    N_("%(condition)s recorded, %(qualifier)s or not unknown"),
    N_("a permission, not a requirement: it never excludes"),
    N_("a definition, not a requirement: it never excludes"),
    N_("a procedure, not a requirement: it never excludes"),
    N_("an explanation, not a requirement: it never excludes"),
    N_("the same requirement as a line of the other section: read there"),
    N_("%(what)s: to be confirmed by the investigator"),
    # matching/criteria_source.py: criteria the registry's fields state
    N_("Sex: %(sex)s (registry field)"),
    N_("Condition: %(condition)s (OncoTree %(codes)s) (registry field)"),
    # matching/evidence.py: where a fact came from
    N_("note %(note)s: “%(words)s”"),
    N_("note %(note)s, characters %(span)s"),
    N_("patient record"),
    # research/affiliations.py: why an affiliation is to review
    N_("names no centre but points at one: %(names)s"),
    N_("%(name)s without the centre's city"),
    N_("%(name)s with the country %(country)s"),
    N_("%(name)s near its city"),
    N_("a body of the network, not a centre"),
    # services/prescreen/screening.py: reasons of non-inclusion
    N_("not eligible by pre-screening (criteria)"),
    N_("no reason given"),
    # services/operations/status.py
    N_("no backup recorded: run `oncofed backup PATH`"),
    N_("connections in use / this worker's limit"),
    N_("newest is %(revision)s: run `oncofed db upgrade`"),
    N_("none"),
    # services/recruitment/projections.py
    N_("no enrolment history yet: no projection"),
    N_("no target: accrual rate only"),
    N_("the trial has no overall target: the sum of the site targets is used"),
    N_(
        "this trial has no enrolment target (neither overall nor per site): progress and projections need "
        "one; set the trial's planned enrolment or its sites' targets"
    ),
    N_("no planned completion date: sites cannot be judged behind schedule"),
    N_("at the current rate the target is reached after the planned completion (%(date)s)"),
    N_(
        "Poisson accrual; rate posterior Gamma(1/2 + n, T) from the last 180 days (Jeffreys prior); time to "
        "the remaining enrolments ~ T x beta-prime(R, 1/2 + n); 5%%-50%%-95%% quantiles."
    ),
)
# sentences with a count beside a noun: the engine's English (its "(s)" form, matched like the shapes
# above) -> the plural forms said in the reader's language, chosen by the count (the `num*` part)
COUNTED: dict[str, Plural] = {
    "Life expectancy %(num_weeks)s weeks": NN_(
        "Life expectancy %(num_weeks)s week", "Life expectancy %(num_weeks)s weeks"
    ),
    "recent %(lab)s (within %(num_days)s days)": NN_(
        "recent %(lab)s (within %(num_days)s day)", "recent %(lab)s (within %(num_days)s days)"
    ),
    "%(label)s not among the %(num)s recorded treatment(s) (%(listed)s)": NN_(
        "%(label)s not among the %(num)s recorded treatment (%(listed)s)",
        "%(label)s not among the %(num)s recorded treatments (%(listed)s)",
    ),
    "%(num)s prior line(s) for advanced disease (criterion: %(limit_phrase)s)": NN_(
        "%(num)s prior line for advanced disease (criterion: %(limit_phrase)s)",
        "%(num)s prior lines for advanced disease (criterion: %(limit_phrase)s)",
    ),
    "%(num)s prior line(s) for advanced disease, adjuvant therapy counted as one (relapse %(num_months)s months "
    "after it ended) (criterion: %(limit_phrase)s)": NN_(
        "%(num)s prior line for advanced disease, adjuvant therapy counted as one (relapse %(num_months)s months "
        "after it ended) (criterion: %(limit_phrase)s)",
        "%(num)s prior lines for advanced disease, adjuvant therapy counted as one (relapse %(num_months)s months "
        "after it ended) (criterion: %(limit_phrase)s)",
    ),
    "%(num)s prior line(s) of therapy for advanced disease": NN_(
        "%(num)s prior line of therapy for advanced disease",
        "%(num)s prior lines of therapy for advanced disease",
    ),
    "date of %(label)s (within %(num_days)s days?)": NN_(
        "date of %(label)s (within %(num_days)s day?)", "date of %(label)s (within %(num_days)s days?)"
    ),
    "%(label)s recorded, more than %(num_days)s days ago": NN_(
        "%(label)s recorded, more than %(num_days)s day ago",
        "%(label)s recorded, more than %(num_days)s days ago",
    ),
    "Minimum age %(num)s years (registry field)": NN_(
        "Minimum age %(num)s year (registry field)", "Minimum age %(num)s years (registry field)"
    ),
    "Maximum age %(num)s years (registry field)": NN_(
        "Maximum age %(num)s year (registry field)", "Maximum age %(num)s years (registry field)"
    ),
    "end date of %(label)s (within %(num_days)s days?)": NN_(
        "end date of %(label)s (within %(num_days)s day?)",
        "end date of %(label)s (within %(num_days)s days?)",
    ),
    "end date of %(label)s (at least %(num_days)s days ago?)": NN_(
        "end date of %(label)s (at least %(num_days)s day ago?)",
        "end date of %(label)s (at least %(num_days)s days ago?)",
    ),
    "%(words_phrase)s (less than %(num_days)s days ago)": NN_(
        "%(words_phrase)s (less than %(num_days)s day ago)",
        "%(words_phrase)s (less than %(num_days)s days ago)",
    ),
    "%(words_phrase)s (more than %(num_days)s days ago)": NN_(
        "%(words_phrase)s (more than %(num_days)s day ago)",
        "%(words_phrase)s (more than %(num_days)s days ago)",
    ),
    "%(drug)s: more than %(num_days)s days ago": NN_(
        "%(drug)s: more than %(num_days)s day ago", "%(drug)s: more than %(num_days)s days ago"
    ),
    "%(num)s %(label)s recorded (%(drugs)s), at most %(at_most)s": NN_(
        "%(num)s %(label)s drug recorded (%(drugs)s), at most %(at_most)s",
        "%(num)s %(label)s drugs recorded (%(drugs)s), at most %(at_most)s",
    ),
    "%(num)s %(label)s drugs recorded": NN_(
        "%(num)s %(label)s drug recorded", "%(num)s %(label)s drugs recorded"
    ),
    "%(num)s %(what)s recorded (criterion: %(wanted_phrase)s)": NN_(
        "%(num)s %(what)s recorded (criterion: %(wanted_phrase)s)",
        "%(num)s %(what)s recorded (criterion: %(wanted_phrase)s)",
    ),
    "at least %(num)s %(what)s recorded (criterion: %(wanted_phrase)s)": NN_(
        "at least %(num)s %(what)s recorded (criterion: %(wanted_phrase)s)",
        "at least %(num)s %(what)s recorded (criterion: %(wanted_phrase)s)",
    ),
    "%(num)s enrolment(s) at %(site)s, which is no longer a site of the trial": NN_(
        "%(num)s enrolment at %(site)s, which is no longer a site of the trial",
        "%(num)s enrolments at %(site)s, which is no longer a site of the trial",
    ),
}
# a `num*` part is a number ("EGFR exon 20 insertion" is no laboratory value, "Known: 1 prior line(s)" no count);
# a `lab` part is an analyte's name, never a sentence's start ("Not decided: ... Known: 2 prior line(s) ..."),
# nor are a biomarker result's `marker` (one word) and `value` ("Not decided: ... Known: ALT 40 U/L (...)")
_NO_SENTENCE = r"(?:(?!: |\. ).)+?"
_GROUP = {"num": r"-?\d+(?:[.,]\d+)*(?:e[-+]?\d+)?", "lab": _NO_SENTENCE}
_RESULT_GROUP = {"marker": r"[^\s:;]+", "value": _NO_SENTENCE}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@functools.cache
def _shapes() -> list[tuple[re.Pattern[str], str, bool]]:
    """(regex of the English sentence, its message, whether it is tried ahead), the most specific (longest
    literal text) first; the biomarker results' shapes also ahead of all, taken there only for a result
    of known words (`_ahead`)."""
    out = []
    for message in (*SHAPES, *SHAPES_MORE, *COUNTED):
        parts = PLACEHOLDER.split(message)
        pattern = "".join(
            re.escape(part.replace("%%", "%")) if i % 2 == 0 else f"(?P<{part}>{_group(message, part)})"
            for i, part in enumerate(parts)
        )
        out.append((_literal(message), re.compile(pattern + r"\Z", re.S), message))
    out.sort(key=lambda x: -x[0])
    ahead = [(rx, message, True) for _n, rx, message in out if message in BIOMARKER_SHAPES]
    return ahead + [(rx, message, False) for _n, rx, message in out]


def _group(message: str, part: str) -> str:
    """The pattern of a shape's part: what it may hold (`_GROUP`, `_RESULT_GROUP`), else any text."""
    found = _GROUP.get(part[:3]) or (_RESULT_GROUP.get(part) if message in BIOMARKER_SHAPES else None)
    return found or ".+?"


# shapes of a biomarker result ("EGFR exon 20 insertion (criterion: mutation)"): tried first, as "EGFR ..."
# would otherwise be read as a laboratory value ("eGFR", "20" "insertion") by a longer shape
BIOMARKER_SHAPES = frozenset(
    {
        "%(marker)s %(value)s (criterion: %(wanted_phrase)s)",
        "%(marker)s %(value)s: the criterion asks more",
        "no %(marker)s %(value)s found (criterion: %(wanted_phrase)s)",
        "no %(marker)s %(value)s found: the criterion asks more",
        "no %(marker)s %(value)s found",
    }
)


def _ahead(tr: Translator, groups: dict[str, str]) -> bool:
    """Whether a biomarker shape is taken ahead of the others: for a result of known words (not a number
    alone: "ECOG 1 (criterion: ...)" is no biomarker), never in English (shown as written)."""
    parts = result_words(groups["value"])
    return (
        tr.lang != "en"
        and parts is not None
        and is_marker(groups["marker"])
        and bool(
            parts[0] or parts[1] or parts[3] or any(not NUMBER.fullmatch(c) or "+" in c for c in parts[2])
        )
    )


def say(lang: str, text: str | None) -> str:
    """`text` (an engine's English sentence) in `lang`; unchanged when no shape matches, and in English
    but for its count sentences' "(s)" (said in the singular or the plural)."""
    if not text:
        return ""
    if lang == "en" and "(s)" not in text:
        return text
    return _say(translator(lang), text)


def unsaid(lang: str, text: str | None) -> list[str]:
    """The pieces of `text` that `say(lang, text)` leaves as written: sentences no shape matches and
    that are no catalogue message (an engine's sentence to list in `SHAPES`, or a word the engine puts in
    them), in the order met; codes and numbers ("MSI-H", "2") are not counted. Empty for English."""
    if not text or lang == "en":
        return []
    missed: list[str] = []
    token = _UNSAID.set(missed)
    try:
        _say(translator(lang), text)
    finally:
        _UNSAID.reset(token)
    return missed


_UNSAID: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("engine_text_unsaid", default=None)
# parts that may hold "; ": lists, and the note's own words quoted as a fact's source
_MAY_HOLD_SEMICOLONS = frozenset({"checks_list", "facts_list", "why_list", "found_list", "words"})


def _shaped(tr: Translator, text: str) -> str | None:
    """`text` said by the first shape it matches; a sentence starting with a capital (the first of a
    criterion's explanations) is also tried as its lower-case shape ("Primary cancer ..."), which wins
    when it is the more specific shape (more of its words written out: "No EGFR mutation found (criterion:
    ...)" is the shape "no %(marker)s %(value)s found (criterion: ...)", not "%(label)s (criterion: ...)")."""
    said, literal = _shaped_as_is(tr, text)
    if text[:1].isupper() and text[1:2].islower():
        lowered, literal_lowered = _shaped_as_is(tr, text[:1].lower() + text[1:])
        if lowered is not None and (said is None or literal_lowered > literal):
            return lowered[:1].upper() + lowered[1:]
    return said


def _literal(message: str) -> int:
    """How many characters of a shape are written out (not placeholders): how specific it is."""
    return len(PLACEHOLDER.sub("", message))


def _shaped_as_is(tr: Translator, text: str) -> tuple[str | None, int]:
    """`text` said by the first shape it matches, and how specific that shape is (`_literal`)."""
    for rx, message, ahead in _shapes():
        m = rx.match(text)
        if (
            m
            and not any(_misfit(k, v) for k, v in m.groupdict().items())
            and (not ahead or _ahead(tr, m.groupdict()))
        ):
            groups = m.groupdict()
            counted = COUNTED.get(message)
            params: dict[str, object] = {name: _part(tr, name, value) for name, value in groups.items()}
            if tr.lang == "en":  # as the engine wrote it, but a count's "(s)"
                if counted is None:
                    return (text if "(s)" not in text else message % params), _literal(message)
                said = tr.ngettext(counted.singular, counted.plural, _count(groups), **params)
                return said, _literal(message)
            template = (
                tr._t.ngettext(counted.singular, counted.plural, _count(groups))
                if counted is not None
                else tr._t.gettext(message)
            )
            template = _grammar(tr, message, template, groups, params)
            _lower_after_colon(template, groups, params)
            return template % params, _literal(message)
    return None, 0


_AFTER_COLON = re.compile(r":\s%\((\w+)\)s")


def _lower_after_colon(template: str, groups: dict[str, str], params: dict[str, object]) -> None:
    """A translated part right after a colon starts in lower case (French: "Lu comme présent : a reçu ...",
    was "A reçu": the capital of the engine's first sentence); a part whose first word is kept as written
    (the registry's or the criterion's words, a marker or a code: "HER2 1+", "Breast Cancer") keeps it."""
    for name in _AFTER_COLON.findall(template):
        said = str(params.get(name, ""))
        english = groups.get(name) or ""
        acronym = said[1:2].isupper() or said[1:2].isdigit()  # "LDH", "T4": as written
        if said[:1].isupper() and not acronym and said.split(" ", 1)[0] != english.split(" ", 1)[0]:
            params[name] = said[:1].lower() + said[1:]


def _misfit(name: str, value: str) -> bool:
    """A part the shape cannot hold: a list ("; ") where no list goes."""
    return "; " in value and name not in _MAY_HOLD_SEMICOLONS


def _grammar(
    tr: Translator, message: str, template: str, groups: dict[str, str], params: dict[str, object]
) -> str:
    """`template` (the translated shape) with the grammar its parts need: a biomarker result said as
    one phrase, adjectives agreed with their noun (the shape's own words too: its message in the noun's
    gender context, where the catalogue has one), "de" elided before a vowel."""
    if "marker" in groups and "value" in groups and "%(marker)s %(value)s" in template:
        phrase = biomarker_result(tr, groups["marker"], groups["value"])
        if phrase is not None:
            template = template.replace("%(marker)s %(value)s", "%(marker_value)s")
            params["marker_value"] = phrase
    agree = AGREES.get(message)
    if agree is not None:
        noun, adjectives = agree
        gender = gender_of(tr, noun[1:] if noun.startswith("=") else groups.get(noun, ""))
        if gender and (gendered := str(tr._t.pgettext(gender, message))) != message:
            template = gendered
        for name in adjectives if gender else ():
            if name in groups:
                params[name] = agreed(tr, gender, groups[name], str(params[name]))
    return elide(tr, template, params)


def _count(parts: dict[str, str]) -> int:
    """The count of a `COUNTED` sentence: its `num*` part (a fraction counts as its whole part)."""
    value = next(v for k, v in parts.items() if k.startswith("num"))
    try:
        return int(float(value))
    except ValueError:
        return 2  # not a number: the plural form


def _say(tr: Translator, text: str) -> str:
    # a decided criterion's sentence is its explanations and a full stop: the shape without the stop
    # first, so that no placeholder swallows it ("last given 2026-05-20.")
    if text.endswith(".") and len(text) > 1 and (inner := _shaped(tr, text[:-1])) is not None:
        return inner + "."
    if (whole := _shaped(tr, text)) is not None:
        return whole
    if text.endswith(".") and len(text) > 1:
        return _say(tr, text[:-1]) + "."
    if "; " in text:
        return _separator(tr).join(_say(tr, part) for part in text.split("; "))
    if tr.lang == "en":
        return text
    if (said_as_such := biomarker_piece(tr, text) or _codes_joined(tr, text)) is not None:
        return said_as_such
    said = say_word(tr, text)
    missed = _UNSAID.get()
    if missed is not None and said == text and WORD.search(text) and not _QUOTE_OR_ID.fullmatch(text):
        missed.append(text)
    return said


# the criterion's own words quoted (“...”) and record identifiers ("synthetic:seed=42:curie-000014") are
# no sentence of the engines: shown as written, they are not counted as English left
_QUOTE_OR_ID = re.compile(r"“[^“”]*”|\S*[:=]\S*\d\S*")


def _separator(tr: Translator) -> str:
    return str(tr._t.pgettext(*LIST_SEPARATOR))


def _codes_joined(tr: Translator, text: str) -> str | None:
    """Codes joined by "and" / "or" ("cT1N0 and cT4b"): the codes as written, the conjunction said."""
    pieces = re.split(r" (and|or) ", text)
    if len(pieces) < 3 or any(WORD.search(p) for p in pieces[::2]):
        return None
    return "".join(p if i % 2 == 0 else tr.gettext(f" {p} ") for i, p in enumerate(pieces))


def _part(tr: Translator, name: str, value: str) -> str:
    if name.endswith("_list"):
        return _separator(tr).join(_say(tr, item) for item in value.split("; "))
    if name.endswith("_phrase"):
        return _say(tr, value)
    if tr.lang == "en":
        return value
    if name in ("cancer", "wanted") and (named := cancer_names(tr, value)) is not None:
        return named
    if name in ("marker", "shown", "value") and (result := biomarker_part(tr, name, value)) is not None:
        return result
    if name.startswith("num"):
        try:
            return tr.number(float(value))
        except ValueError:
            return value
    if name == "condition_words":  # “women” and “childbearing potential”: the criterion's words, joined here
        return value.replace("” and “", "”" + tr.gettext(" and ") + "“")
    if name.startswith("date"):
        return ISO_DATE.sub(lambda m: tr.day(date.fromisoformat(m.group(0))), value)
    if name == "lab":
        code = value.lower().replace(" ", "_")
        known = tr.label("lab", code)
        return known if known != code else value
    return say_word(tr, value)
