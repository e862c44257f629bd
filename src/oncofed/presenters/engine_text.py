"""Sentences the engines and services write in English (match evidence, what to check, recruitment
notes), said in the reader's language here, in the presenter: the engines stay language-free.

Each sentence shape the engines write is listed below as an English gettext message whose
placeholders stand for the variable parts; a sentence is matched against the shapes, and its parts
are said in turn: `*_list` parts are "; "-separated lists of sentences, `*_phrase` parts are
sentences, `date*` parts are dates (`day()`), `num*` parts numbers (`num()`), `lab` a laboratory
analyte; any other part is tried as a catalogue message (the engines' words: `presenters/engine_words.py`;
a comma-joined part word by word) and otherwise kept as written (drug names, codes, the criterion's own
words). A sentence starting with a capital is also tried as its lower-case shape.

French grammar is kept where the parts are known: a biomarker result ("EGFR exon 20 insertion") is said
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

from babel.numbers import format_percent

from oncofed.criteria.vocab import oncotree_name
from oncofed.presenters.engine_words import (
    AGREES,
    BIOMARKER_FORMS,
    BIOMARKER_NOUNS,
    BIOMARKER_QUALIFIERS,
    BIOMARKER_STATUSES,
)
from oncofed.presenters.i18n import FORMAT_LOCALES, N_, NN_, NP_, Plural, Translator, translator
from oncofed.resources import load_tsv, resource_path

# shapes and words listed in session 6 (found by `unsaid()` over the verdict dev sets and the demo)
SHAPES_MORE: tuple[str, ...] = (
    # matching/criteria_source.py: the registry's condition as a criterion's text (its words are the registry's)
    N_("Condition: %(condition)s (OncoTree %(codes)s)"),
)
LIST_SEPARATOR = NP_("list separator", "; ")  # French: a narrow no-break space before the semicolon
OR = N_(" or ")

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
_WORD = re.compile(r"[a-z]{3,}")  # a piece with no word of three small letters is a code or a number
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
        literal = sum(len(p) for p in parts[::2])
        out.append((literal, re.compile(pattern + r"\Z", re.S), message))
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
    {"%(marker)s %(value)s (criterion: %(wanted_phrase)s)", "%(marker)s %(value)s: the criterion asks more"}
)


def _ahead(tr: Translator, groups: dict[str, str]) -> bool:
    """Whether a biomarker shape is taken ahead of the others: for a result of known words (not a number
    alone: "ECOG 1 (criterion: ...)" is no biomarker), never in English (shown as written)."""
    parts = _result_words(groups["value"])
    return (
        tr.lang != "en"
        and parts is not None
        and _is_marker(groups["marker"])
        and bool(
            parts[0] or parts[1] or parts[3] or any(not _NUMBER.fullmatch(c) or "+" in c for c in parts[2])
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
    criterion's explanations) is also tried as its lower-case shape ("Primary cancer ...")."""
    said = _shaped_as_is(tr, text)
    if said is None and text[:1].isupper() and text[1:2].islower():
        said = _shaped_as_is(tr, text[:1].lower() + text[1:])
        return None if said is None else said[:1].upper() + said[1:]
    return said


def _shaped_as_is(tr: Translator, text: str) -> str | None:
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
                    return text if "(s)" not in text else message % params
                return tr.ngettext(counted.singular, counted.plural, _count(groups), **params)
            template = (
                tr._t.ngettext(counted.singular, counted.plural, _count(groups))
                if counted is not None
                else tr._t.gettext(message)
            )
            return _grammar(tr, message, template, groups, params) % params
    return None


def _misfit(name: str, value: str) -> bool:
    """A part the shape cannot hold: a list ("; ") where no list goes."""
    return "; " in value and name not in _MAY_HOLD_SEMICOLONS


def _grammar(
    tr: Translator, message: str, template: str, groups: dict[str, str], params: dict[str, object]
) -> str:
    """`template` (the translated shape) with the grammar its parts need: a biomarker result said as
    one phrase, adjectives agreed with their noun, "de" elided before a vowel."""
    if "marker" in groups and "value" in groups and "%(marker)s %(value)s" in template:
        phrase = biomarker_result(tr, groups["marker"], groups["value"])
        if phrase is not None:
            template = template.replace("%(marker)s %(value)s", "%(marker_value)s")
            params["marker_value"] = phrase
    agree = AGREES.get(message)
    if agree is not None:
        noun, adjectives = agree
        gender = _gender(tr, noun[1:] if noun.startswith("=") else groups.get(noun, ""))
        for name in adjectives if gender else ():
            if name in groups:
                params[name] = _agreed(tr, gender, groups[name], str(params[name]))
    return _elide(tr, template, params)


_ELIDED = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'"}
_BEFORE_PART = re.compile(r"\b(de|que|le|la) (?=%\((\w+)\)s)")
_VOWEL_START = re.compile(r"[aeiouyàâäéèêëîïôöûüœ]", re.I)


def _elide(tr: Translator, template: str, params: dict[str, object]) -> str:
    """French elision where a part follows "de", "que", "le", "la" and starts with a vowel ("une forme
    d'adénocarcinome", "de l'exon 20 d'EGFR"): the catalogue cannot know the part's first letter.
    Hand-written: a one-line rule at a known boundary, which no library of the stack offers."""
    if tr.lang != "fr":
        return template
    return _BEFORE_PART.sub(
        lambda m: _ELIDED[m.group(1)] if _VOWEL_START.match(str(params.get(m.group(2), ""))) else m.group(0),
        template,
    )


def _gender(tr: Translator, noun: str) -> str:
    """The grammatical gender of `noun` (the English word) in the reader's language, from the catalogue
    ("feminine", "masculine plural", "feminine plural"); "" for masculine singular or unknown."""
    if not noun:
        return ""
    said = str(tr._t.pgettext("grammatical gender", noun.lower()))
    return said if said in ("feminine", "masculine plural", "feminine plural") else ""


def _agreed(tr: Translator, gender: str, english: str, said: str) -> str:
    """An adjective (or a comma-joined list of them) agreed with a noun of `gender`; `said` otherwise."""
    items = english.split(", ")
    out = []
    for item in items:
        agreed = str(tr._t.pgettext(gender, item.lower()))
        if agreed == item.lower():  # not listed for this gender: as said
            return said
        out.append(agreed)
    return ", ".join(out)


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
    if (said_as_such := _biomarkers(tr, text) or _codes_joined(tr, text)) is not None:
        return said_as_such
    said = _word(tr, text)
    missed = _UNSAID.get()
    if missed is not None and said == text and _WORD.search(text) and not _QUOTE_OR_ID.fullmatch(text):
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
    if len(pieces) < 3 or any(_WORD.search(p) for p in pieces[::2]):
        return None
    return "".join(p if i % 2 == 0 else tr.gettext(f" {p} ") for i, p in enumerate(pieces))


def _word(tr: Translator, text: str) -> str:
    """A vocabulary word or any whole catalogue message; else the text as written."""
    if "%" in text:
        return text
    translated = tr._t.gettext(text)
    if translated != text:
        return translated
    lowered = text[:1].lower() + text[1:]
    translated = tr._t.gettext(lowered)
    if translated != lowered:
        return translated[:1].upper() + translated[1:]
    if ", " in text:  # "locally advanced, recurrent", "heart failure, stroke": the engine's joined words
        items = text.split(", ")
        said = [_word(tr, item) for item in items]
        if said != items:
            return ", ".join(said)
    return text


def _part(tr: Translator, name: str, value: str) -> str:
    if name.endswith("_list"):
        return _separator(tr).join(_say(tr, item) for item in value.split("; "))
    if name.endswith("_phrase"):
        return _say(tr, value)
    if tr.lang == "en":
        return value
    if name in ("cancer", "wanted") and (named := _cancer_names(tr, value)) is not None:
        return named
    if name in ("marker", "shown", "value") and (result := _biomarker_part(tr, name, value)) is not None:
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
    return _word(tr, value)


# --- OncoTree cancer names -----------------------------------------------------------------------------


@functools.cache
def _cancer_names_of(lang: str) -> dict[str, str]:
    """OncoTree code -> its name in `lang`: the first full name (not an abbreviation) the language's
    vocabulary (`vocab/<lang>/cancers.tsv`, which maps names to codes) gives the code."""
    name = f"vocab/{lang}/cancers.tsv"
    if not resource_path(name).is_file():
        return {}
    out: dict[str, str] = {}
    for row in load_tsv(name):
        if any(c.islower() for c in row["french"]):
            out.setdefault(row["oncotree"], row["french"])
    return out


_NAMED_CODE = re.compile(r"(.+) \(([A-Z][A-Z0-9_]*)\)")


def _cancer_names(tr: Translator, value: str) -> str | None:
    """ "Lung Adenocarcinoma (LUAD) or Lung Cancer (LUNG)" (OncoTree's names, as the engines write them)
    with each name in the reader's language where its vocabulary has one, the code kept; None when
    `value` is not such names."""
    names = _cancer_names_of(tr.lang)
    out = []
    for i, piece in enumerate(value.split(" or ")):
        m = _NAMED_CODE.fullmatch(piece)
        if m is None or oncotree_name(m.group(2)) != m.group(1):
            return None
        said = names.get(m.group(2))
        out.append((tr.gettext(OR) if i else "") + (f"{said} ({m.group(2)})" if said else piece))
    return "".join(out)


# --- biomarker results ---------------------------------------------------------------------------------

_EXON = re.compile(r"\bexon (\d+)\b", re.I)
_VARIANT = re.compile(r"(?:p\.)?[A-Z]\d+(?:_[A-Z]?\d+)?(?:[A-Z]|X|\*|fs\*?\d*|del|dup|ins[A-Z]*)?")
_SCALES = frozenset({"TPS", "CPS", "IC", "TC", "IHC", "ISH", "FISH", "NGS", "H-score"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?%?|[0-3]\+")
_MARKER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*")


def _is_marker(word: str) -> bool:
    """A gene or biomarker name as the engines write it ("EGFR", "PD-L1", "HER2"), not a word."""
    return bool(_MARKER.fullmatch(word)) and sum(c.isupper() or c.isdigit() for c in word) >= 2


def _result_words(value: str) -> tuple[str, list[str], list[str], str] | None:
    """(noun, describing words, codes and numbers, exon) of a result as the engines write it ("exon 20
    insertion", "germline pathogenic", "V600E mutation", "negative", "50%"); None when a word is none."""
    exon = ""
    if m := _EXON.search(value):
        exon, value = m.group(1), value[: m.start()] + value[m.end() :]
    tokens = value.split()
    noun, words, codes = "", [], []
    i = 0
    while i < len(tokens):
        two = " ".join(tokens[i : i + 2]).lower()
        one = tokens[i].lower()
        if i + 1 < len(tokens) and (two in BIOMARKER_QUALIFIERS or two in BIOMARKER_STATUSES):
            words.append(two)
            i += 2
            continue
        if one in BIOMARKER_NOUNS and not noun:
            noun = one
        elif one in BIOMARKER_QUALIFIERS or one in BIOMARKER_STATUSES:
            words.append(one)
        elif tokens[i] in _SCALES or _VARIANT.fullmatch(tokens[i]) or _NUMBER.fullmatch(tokens[i]):
            codes.append(tokens[i])
        else:
            return None
        i += 1
    return noun, words, codes, exon


def _number_said(tr: Translator, code: str) -> str:
    """A result's number in the reader's way ("50%" -> "50 %", "2.5" -> "2,5"); codes as written."""
    if code.endswith("%") and code[:-1].replace(".", "", 1).isdigit():
        return str(
            format_percent(float(code[:-1]) / 100, locale=FORMAT_LOCALES[tr.lang], decimal_quantization=False)
        )
    if code.replace(".", "", 1).isdigit():
        return tr.number(float(code))
    return code


def biomarker_result(tr: Translator, marker: str, value: str) -> str | None:
    """A biomarker result ("EGFR" + "exon 20 insertion", "HER2" + "negative", "BRCA1" + "germline
    pathogenic") said from its parts as a phrase of the reader's language ("insertion de l'exon 20
    d'EGFR", "HER2 négatif", "variant germinal pathogène de BRCA1"): the alteration's noun, its describing
    words agreed with the noun, the exon, the codes kept; None when `value` is no result of known words."""
    parts = _result_words(value)
    if parts is None:
        return None
    noun, words, codes, exon = parts
    said_codes = " ".join(_number_said(tr, c) for c in codes)
    if not noun and (exon or any(w in BIOMARKER_QUALIFIERS for w in words)):
        noun = "variant"  # "germline pathogenic": a variant is meant
    if not noun:
        if not marker or not (words or said_codes):
            return None
        status = " ".join([said_codes, *(str(tr.message(BIOMARKER_STATUSES[w])) for w in words)]).strip()
        return _form(tr, "status", marker=marker, status=status)
    gender = _gender(tr, noun)
    alteration = " ".join([tr.message(BIOMARKER_NOUNS[noun]), *(_describing(tr, gender, w) for w in words)])
    if exon:
        form = "exon" if marker else "exon without marker"
        return _form(tr, form, marker=marker, exon=exon, alteration=alteration) + (
            f" {said_codes}" if said_codes else ""
        )
    if not marker:
        return f"{alteration} {said_codes}".strip()
    if said_codes:
        return _form(tr, "variant", marker=marker, variant=said_codes, alteration=alteration)
    return _form(tr, "alteration", marker=marker, alteration=alteration)


def _describing(tr: Translator, gender: str, word: str) -> str:
    message = BIOMARKER_QUALIFIERS.get(word) or BIOMARKER_STATUSES[word]
    said = tr.message(message)
    return _agreed(tr, gender, str(message), said) if gender else said


def _form(tr: Translator, form: str, **params: str) -> str:
    context, message = BIOMARKER_FORMS[form]
    return _elide(tr, str(tr._t.pgettext(context, message)), dict(params)) % params


def _biomarkers(tr: Translator, text: str) -> str | None:
    """A piece that is biomarker results ("BRAF mutation", "exon 19 deletion, L858R") said as such;
    None unless one of its comma-separated items is a result with a marker or an alteration."""
    items = text.split(", ")
    out, results = [], 0
    for item in items:
        head, _, rest = item.partition(" ")
        said = None
        if rest and _is_marker(head):
            said = biomarker_result(tr, head, rest)
        if said is None:
            said = biomarker_result(tr, "", item)
        if said is not None:
            results += 1
        elif _VARIANT.fullmatch(item) or not _WORD.search(item):
            said = item
        elif (word := _word(tr, item)) != item:
            said = word
        else:
            return None
        out.append(said)
    return ", ".join(out) if results else None


_TEST_OF = re.compile(r"(\S+) \(([^()]+)\)")  # "ER (negative)": a marker and the result to test


def _biomarker_part(tr: Translator, name: str, value: str) -> str | None:
    """A shape's biomarker part: "EGFR (exon 20 insertion)", "ER (negative), PR (negative)" (tests to do),
    "HER2 2+" (a result), or a result's value alone."""
    if name == "marker":

        def said(m: re.Match[str]) -> str:
            return f"{m.group(1)} ({biomarker_result(tr, '', m.group(2)) or _word(tr, m.group(2))})"

        out = _TEST_OF.sub(said, value)
        return out if out != value else None
    if name == "shown":
        return _biomarkers(tr, value)
    return biomarker_result(tr, "", value)
