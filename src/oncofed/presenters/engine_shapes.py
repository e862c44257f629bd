"""The shapes of the sentences the engines and services write in English (match evidence, what to
check, recruitment notes), as English gettext messages whose placeholders stand for the variable parts,
and the count sentences (`COUNTED`: the engine's "(s)" form -> its plural forms). `engine_text.py` matches
a sentence against them and says its parts in the reader's language (see its note for the parts' kinds);
list a new shape here, then `make i18n` and its French."""

from __future__ import annotations

from oncofed.presenters.i18n import N_, NN_, NP_, Plural

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
    # matching/atoms.py (verdicts26): a course recorded with another schedule, route or site than the line's
    N_("schedule or route of %(drug)s recorded as %(given)s, not %(qualifier)s"),
    # matching/atoms.py (verdicts31): an infection the note gives with the antibiotic it was treated with
    N_("%(condition)s treated with %(drug)s (antibiotic)"),
    # matching/atoms.py (verdicts36): a local therapy qualified by its target lesions (matching/therapy_site.py)
    N_("whether the %(label)s was on the %(site)s"),
    N_("not on the %(site)s: %(words_phrase)s"),
    # matching/atoms.py (verdicts34): the sex a diagnosis line opens with, presumed when the record gives none
    N_("sex not recorded: presumed female, as the line's patients"),
    N_("sex not recorded: presumed male, as the line's patients"),
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
    # ... with how often its kind was right (the split part said: "read whole", "a plain reading"; session 12)
    N_(
        "Read as not met: %(found_list)s. This kind of reading (%(how)s) was right %(num_right)s of "
        "%(num_events)s times on labelled trials, not enough to exclude on its own: check it."
    ),
    N_(
        "Read as applying: %(found_list)s. This kind of reading (%(how)s) was right %(num_right)s of "
        "%(num_events)s times on labelled trials, not enough to exclude on its own: check it."
    ),
    N_(
        "Read as not met: %(found_list)s. This kind of reading was right %(num_right)s of "
        "%(num_events)s times on labelled trials, not enough to exclude on its own: check it."
    ),
    N_(
        "Read as applying: %(found_list)s. This kind of reading was right %(num_right)s of "
        "%(num_events)s times on labelled trials, not enough to exclude on its own: check it."
    ),
    # ... and a reading of a kind trusted to exclude (matching/evaluate.py `policy_sentence`)
    N_(
        "Excludes on its own: %(found_list)s. This kind of reading (%(how)s) was right %(num_right)s of "
        "%(num_events)s times on labelled trials."
    ),
    N_(
        "Excludes on its own: %(found_list)s. This kind of reading was right %(num_right)s of %(num_events)s "
        "times on labelled trials."
    ),
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
    # criteria/implied_sign.py (verdicts30): a limit whose sign the registry text lost, read on the safe side
    N_("%(limit_phrase)s, no sign written: read as an upper limit"),
    N_("%(limit_phrase)s, no sign written: read as a lower limit"),
    # matching/atoms.py (verdicts39): a lower limit of normal the criterion does not give, read against the band
    N_("%(limit_phrase)s, the record's lower limit of normal"),
    N_("%(limit_phrase)s, depends on the centre's lower limit of normal"),
    N_("%(limit_phrase)s, every centre's lower limit of normal"),
    N_("%(lab)s: the centre's lower limit of normal"),
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
    # criteria/marker_cutoffs.py (verdicts30): a HER2 count asked, a category recorded
    N_("%(marker)s %(value)s: a category, the criterion a count"),
    N_("HER2/CEP17 ratio (criterion: %(cutoff)s)"),
    N_("HER2 signals per nucleus (criterion: %(cutoff)s)"),
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
