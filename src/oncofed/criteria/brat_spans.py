"""Generic brat spans of a criterion, beside the atom entities of `brat.py`.

Atoms cover what the matcher evaluates; an annotated corpus (Chia, LCT) marks every mention of its
entity types, most of which no atom states (a comorbidity outside the vocabulary, "at screening",
"1.5 x ULN" of an unknown analyte). These rules add such spans from general wording, never from the
annotated files: temporal expressions and temporal qualifiers, comparator + number (+ unit) values,
negation cues, person words (age, sex, life stage), procedure terms, measurement names (the lab
vocabulary plus common clinical scores), and condition noun phrases recognised by medical
morphology (…itis, …oma, …pathy, disease, syndrome, failure…) or as the head after "history of",
"diagnosis of". Boundaries follow the Chia guideline (Kury et al., Sci Data 2020): entities are
minimal noun phrases with their modifiers, without articles, and the comparator belongs to Value.
A generic span is dropped where an atom entity of the same type already overlaps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from oncofed.criteria import vocab

_NUMW = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_UNIT_T = r"(?:hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?)"
_ANCHOR = (
    r"(?:(?:the\s+)?(?:start|first\s+dose|initiation|beginning|day\s+1)\s+of\s+(?:the\s+)?(?:study\s+)?"
    r"(?:treatment|therapy|drug|medication)|(?:the\s+)?(?:study\s+)?(?:entry|enrol+ment|registration|"
    r"randomi[sz]ation|screening|inclusion|baseline|treatment|start|day\s+1|first\s+dose|surgery)"
    r"(?:\s+(?:visit|period))?|visit\s+\d+)"
)
TEMPORAL = re.compile(
    rf"(?:\b(?:for\s+)?(?:within|in|during|for|over|at\s+least|at\s+most|less\s+than|more\s+than|greater\s+than|"
    rf"up\s+to|after|before|minimum\s+of|last)\s+(?:the\s+)?(?:last\s+|past\s+|previous\s+|prior\s+|preceding\s+)?"
    rf"|\b)"
    rf"{_NUMW}(?:\s*(?:-|to|–)\s*{_NUMW})?\s*{_UNIT_T}\b"
    rf"(?:\s+(?:prior\s+to|before|after|of|from|following|preceding)\s+{_ANCHOR}|\s+ago)?"
    rf"|\b(?:prior\s+to|before|at\s+the\s+time\s+of|at|during)\s+{_ANCHOR}"
    r"|\b(?:previous(?:ly)?|current(?:ly)?|prior|recent(?:ly)?|ongoing|concomitant|concurrent(?:ly)?|past|"
    r"pre-existing|preexisting|at\s+screening|at\s+baseline|during\s+the\s+(?:study|trial)(?:\s+period)?)\b",
    re.I,
)
_CMP = (
    r"(?:[<>]\s*or\s*=|[<>]/=|[<>≤≥]=?|=<|=>|=|greater\s+than(?:\s+or\s+equal\s+to)?|less\s+than(?:\s+or\s+equal\s+to)?|more\s+than|"
    r"at\s+least|no\s+more\s+than|not\s+more\s+than|no\s+less\s+than|up\s+to|above|below|over|under|"
    r"exceeding|higher\s+than|lower\s+than|between|equal\s+to|≧|≦)"
)
_UNIT_V = (
    r"(?:%(?:\s+(?:of\s+)?predicted(?:\s+normal)?)?|x\s*(?:the\s+)?(?:uln|lln|unl|upper\s+limit\s+of\s+normal(?:\s+\(uln\))?|institutional\s+uln)|×\s*uln|"
    r"mg/d[lL]|g/d[lL]|g/[lL]|mg/[lL]|µmol/[lL]|umol/[lL]|mmol/[lL]|m[lL]/min(?:/1\.73\s*m2)?|mm\s*hg|mmhg|"
    r"mg/day|mg/kg|[mµunp]mol/[lL]|m?iu/m[lL]|bpm|beats?\s*(?:/|per)\s*min(?:ute)?|m[lL]/minute|°\s*[cf]|"
    r"kg/m2|kg/m²|kg|mg|ms(?:ec)?|cells?/(?:mm3|µ[lL]|u[lL])|/mm3|/µ[lL]|/u[lL]|x\s*10\^?\d+\s*/\s*[lL]|"
    r"(?:10\^?9|10\^?3)\s*/\s*[lL]|iu/[lL]|u/[lL]|ng/m[lL]|years?|cm|mm|grade\s*\d)"
)
VALUE = re.compile(
    rf"(?:{_CMP}\s*)?(?<![\w.])\d+(?:[.,]\d+)?(?:/\d+)?(?:\s*(?:-|–|to|and)\s*\d+(?:[.,]\d+)?)?\s*{_UNIT_V}?"
    rf"(?:\s+or\s+(?:more|less|greater|higher|lower|above|below))?(?![\w/])",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:no|not(?!\s+limited\b)|without|never|none|absence(?=\s+of)|free\s+of|lack\s+of|cannot|unable\s+to|non|neither|nor|"
    r"negative\s+for|excluding|except)\b",
    re.I,
)
PERSON = re.compile(
    r"\b(?:age[ds]?|(?<=years\s)old|(?<=year\s)old|males?|females?|men|women|woman|man|boys?|girls?|children|"
    r"child(?!-)|adults?|adolescents?|pediatric|paediatric|infants?|elderly|postmenopausal|premenopausal)\b",
    re.I,
)
PROCEDURE = re.compile(
    r"\b(?:(?:major\s+|minor\s+|prior\s+|previous\s+)?surgery|surgical\s+(?:procedure|resection)s?|resections?|"
    r"\w+\b(?:(?<=ectomy)|(?<=otomy)|(?<=plasty)|(?<=scopy)|(?<=scopies)|(?<=graphy)|(?<=graphies)|(?<=ostomy)|"
    r"(?<=ostomies)|(?<=dialysis)|(?<=therapy)|(?<=therapies)|(?<=centesis)|(?<=pexy)|(?<=rrhaphy))|radiotherapy|radiation(?:\s+therapy)?|(?:chemo|immuno|hormon\w*|"
    r"endocrine|targeted|systemic|biologic(?:al)?|cell)\s*therap(?:y|ies)|chemotherapy|chemoradiation|"
    r"transplant(?:ation)?s?|biops(?:y|ies)|dialysis|transfusions?|ablation|embolization|intubation|"
    r"(?:ct|mri|pet)(?:\s*scans?)?|scans?|imaging|catheteri[sz]ation|ventilation|"
    r"revasculari[sz]ation|implantation|ultrasound|an(?:a)?esthesia|vaccinations?|"
    r"hospitali[sz]ations?|(?:physical\s+)?examinations?|interventions?|punctures?|infusions?|irradiation|"
    r"angioplasty|stent(?:ing)?|ecg|electrocardiogram|echocardiogram|mammogram|biopsies|brachytherapy|"
    r"stem\s+cell\s+transplant(?:ation)?|treatments?|therap(?:y|ies))\b",
    re.I,
)
MEASUREMENT = re.compile(
    r"\b(?:ecog(?:\s+performance\s+status)?|karnofsky(?:\s+performance\s+status)?|performance\s+status|"
    r"(?:left\s+ventricular\s+)?ejection\s+fraction|lvef|qtc?(?:\s+interval)?|blood\s+pressure|"
    r"body\s+mass\s+index|bmi|body\s+weight|weight|height|hba1c|glycated\s+hemoglobin|"
    r"(?:serum|plasma|fasting)\s+\w+|\w+\s+levels?|\w+\s+count|gfr|egfr|clearance|heart\s+rate|"
    r"oxygen\s+saturation|spo2|fev1|dlco|mmse|psa|ca-?125|cea|viral\s+load|cd4(?:\+)?(?:\s+count)?|"
    r"(?:\w+\s+)?scores?)\b",
    re.I,
)
# drug names by INN stem (WHO "Use of stems in the selection of INNs") and common drug-class words
_INN_STEM_TEXT = (
    "mab nib parib ciclib lisib rafenib platin taxel rubicin mustine fosfamide tecan parin statin pril sartan "
    "olol azole conazole cillin mycin micin floxacin cycline vir lukast prazole dipine gliptin glutide "
    "gliflozin formin sone solone olone azepam azolam triptyline oxetine traline profen fenac coxib grel "
    "xaban gatran tidine setron limus sporine trexate dronate caine pam barbital buterol oterol grelor "
    "azepine apine etine toin darone zolamide vudine fovir prost mantine glitazone fibrate orphine fentanil "
    "codone oxacin bactam penem thiazide semide thyroxine estradiol gestrel terone tropium ximab zumab umab "
    "parinux quine tadine butin ampin ifene trozole lutamide relin relix vaptan tegravir navir previr asvir "
    "buvir mivir"
)
_INN_STEMS = _INN_STEM_TEXT.split()
_STEM_ENDS = tuple(_INN_STEMS) + tuple(st + "s" for st in _INN_STEMS)
_WORD = re.compile(r"\b[a-z][a-z]{3,}\b", re.I)


def _stem_drugs(text: str) -> Iterator[tuple[int, int]]:
    """Words ending in an INN stem (singular or plural) after at least one letter ("ticagrelor", "statins")."""
    for m in _WORD.finditer(text):
        w = m.group(0).lower()
        if w.endswith(_STEM_ENDS) and any(w.endswith(st) and len(w) > len(st) for st in _STEM_ENDS):
            yield m.span()


DRUG = re.compile(
    r"\b(?:cef[a-z]+|aspirin|insulin|warfarin|coumadin|heparin|morphine|acetaminophen|paracetamol|"
    r"(?:(?:anti\w+|hypoglyc(?:a)?emic|cytotoxic|immunosuppressive|antiretroviral|antiviral)\s+"
    r"(?:drugs?|medications?|agents?))|"
    r"statins?|(?:systemic\s+)?(?:cortico)?steroids?|antibiotics?|anticoagulants?|antiplatelets?|nsaids?|opioids?|"
    r"antidepressants?|antipsychotics?|anticonvulsants?|antiepileptics?|immunosuppressants?|"
    r"immunosuppressive\s+(?:drugs?|agents?|medications?)|vaccines?|chemotherapeutic\s+agents?|"
    r"bisphosphonates?|diuretics?|antihypertensives?|analgesics?|an(?:a)?esthetics?|beta[- ]blockers?|"
    r"ace[- ]inhibitors?|calcium[- ]channel\s+blockers?|nitrates|sulfonamides|antihistamines?|antiemetics?|"
    r"laxatives?|sedatives?|hypnotics?|benzodiazepines?|antiarrhythmics?|antifungals?|antivirals?|"
    r"antiretrovirals?|antimalarials?|estrogens?|oestrogens?|progestins?|progestogens?|androgens?|"
    r"glucocorticoids?|thrombolytics?|vasopressors?|inotropes?|proton[- ]pump\s+inhibitors?|ppis?|ssris?|"
    r"maois?|triptans?|hormone\s+replacement\s+therapy|oral\s+contraceptives?|"
    r"(?:study|investigational|concomitant)\s+(?:drugs?|medications?|products?|agents?))\b",
    re.I,
)
_MORPH_SUFFIXES = (
    "itis osis emia aemia oma omas pathy plasia algia iasis ectasis trophy megaly uria penia cytosis rrhea "
    "rrhoea rrhage sclerosis phrenia phobia cardia thyroidism tension plegia paresis"
)
# a word ending in a suffix, after at least one character: the whole word first, then one fixed-width
# look-behind per suffix (a "\w+(?:suffixes)" alternation is retried at every letter: slower)
_MORPH = (
    r"\w+\b(?:" + "|".join(f"(?<=\\w{x})" for x in _MORPH_SUFFIXES.split()) + ")"
    r"|(?:disease|disorder|syndrome|infection|failure|insufficiency|cancer|carcinoma|tumou?r|neoplasm|"
    r"malignancy|malignancies|metastas[ie]s|lesions?|deficiency|dysfunction|hypertension|diabetes|"
    r"asthma|stroke|infarction|fracture|ulcer|bleeding|hemorrhage|haemorrhage|thrombosis|embolism|"
    r"arrhythmia|angina|pneumonia|hepatitis|cirrhosis|allergy|hypersensitivity|depression|dementia|"
    r"epilepsy|seizures?|obesity|pregnan(?:t|cy)|lactating|breast-?feeding|illness|injury|pain|"
    r"toxicity|toxicities|neuropathy|effusion|edema|oedema|anemia|anaemia|shock|trauma|sepsis|ascites|"
    r"vomiting|nausea|delirium|impairment|instability|obstruction|apnea|apnoea|anxiety|inflammation|"
    r"aneurysms?|exacerbations?|disabilit(?:y|ies)|retardation|abuse|dependence|addiction|conditions?|"
    r"complications?|comorbidit(?:y|ies)|contra-?indications?|symptoms?|child[- ]?bearing\s+potential|"
    r"reactions?|tendency|diabetes\s+mellitus|healthy|smokers?|smoking|obese)s?"
)
_ADJ = r"(?:[a-z][\w'-]*\s+){0,3}?"
_STOP_ADJ = re.compile(
    r"^(?:the|a|an|any|other|and|or|of|with|without|no|not|known|history|patients?|subjects?|who|have|has|"
    r"had|must|be|is|are|in|on|for|to|by|as|at|from|their|his|her|prior|previous|current|active|ongoing|"
    r"recent|concomitant|within|than|evidence|diagnosis|diagnosed|presence|documented|confirmed|"
    r"significant|clinically)$",
    re.I,
)
CONDITION = re.compile(
    rf"\b{_ADJ}(?:{_MORPH})\b(?:\s+of\s+the\s+\w+|\s+(?:type\s+)?(?:[12]|i{{1,2}})\b)?", re.I
)
_HEAD = re.compile(
    r"\b(?:history\s+of|diagnosis\s+of|diagnosed\s+with|evidence\s+of|presence\s+of|suffering\s+from)\s+"
    r"(?:an?\s+|the\s+|any\s+|known\s+)?(?P<np>[a-z][\w'-]*(?:\s+(?!or\b|and\b|with\b|within\b|in\b|of\b|"
    r"that\b|who\b|which\b|requiring\b|including\b|except\b)[a-z][\w'-]*){0,3})",
    re.I,
)


def _trim_condition(text: str, s: int, e: int) -> tuple[int, int] | None:
    """Drop leading function words / qualifiers Chia keeps outside the Condition ("history of")."""
    words = list(re.finditer(r"\S+", text[s:e]))
    while words and _STOP_ADJ.match(words[0].group(0).strip(",;:()")):
        words.pop(0)
    if not words:
        return None
    return s + words[0].start(), s + words[-1].end()


def generic_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(type, start, end) of generic mentions in one criterion text."""
    temporal = []
    for m in TEMPORAL.finditer(text):
        temporal.append(m.span())
        yield "Temporal", m.start(), m.end()
    for m in VALUE.finditer(text):
        s, e = m.span()
        while e > s and text[e - 1] in " \t.,;":
            e -= 1
        # a duration belongs to Temporal; a bare list number ("1.") is no value
        if any(ts <= s and e <= te for ts, te in temporal) or re.fullmatch(r"\d{1,2}", text[s:e]):
            continue
        yield "Value", s, e
    for rx, kind in ((NEGATION, "Negation"), (PERSON, "Person"), (PROCEDURE, "Procedure")):
        for m in rx.finditer(text):
            yield kind, m.start(), m.end()
    for mention in vocab.find_lab_analytes(text):
        yield "Measurement", mention.start, mention.end
    for m in MEASUREMENT_VOCAB.finditer(text):
        yield "Measurement", m.start(), m.end()
    for m in MEASUREMENT.finditer(text):
        yield "Measurement", m.start(), m.end()
    for mention in vocab.find_drugs(text):
        yield "Drug", mention.start, mention.end
    for m in DRUG.finditer(text):
        yield "Drug", m.start(), m.end()
    for s, e in _stem_drugs(text):
        yield "Drug", s, e
    for m in CONDITION.finditer(text):
        span = _trim_condition(text, *m.span())
        if span:
            yield "Condition", *span
    for m in _HEAD.finditer(text):
        span = _trim_condition(text, m.start("np"), m.end("np"))
        if span:
            yield "Condition", *span


# Chia bounds a procedure with its modifiers ("bilateral oophorectomy", "liver transplant", "cardiac
# surgery"): up to two words before the head, stopping at function words, verbs and qualifiers that
# Chia types apart (Temporal "prior", Negation "no", Person "women").
_LEFT_WORD = re.compile(r"([A-Za-z][\w'-]*)[ \t]+$")
_NOT_MODIFIER = re.compile(
    r"^(?:the|a|an|any|all|other|and|or|of|with|without|no|not|non|for|to|by|as|at|in|on|from|into|under|"
    r"after|before|during|since|than|this|that|these|those|their|his|her|its|who|which|is|are|was|were|be|"
    r"been|has|have|had|must|may|will|can|should|would|could|prior|previous|previously|recent|recently|"
    r"current|currently|ongoing|concomitant|concurrent|planned|scheduled|history|patients?|subjects?|"
    r"participants?|women|men|requiring|required|requires?|undergo(?:ne|ing|es)?|underwent|receiv\w*|"
    r"treated|treatment|including|such|per|via|following|within|due|either|both|also|only|further|"
    r"last|one|two|three|more|less|least|first|second|any|same|known|[a-z]*ly)$",
    re.I,
)
_ABBREV = re.compile(r"[ \t]*\(([A-Za-z][A-Za-z0-9/+-]{1,9})\)")


def extend_left(text: str, s: int, max_words: int = 2) -> int:
    """Start of a head noun's span widened over up to `max_words` modifier words on the same line."""
    for _ in range(max_words):
        m = _LEFT_WORD.search(text, max(0, s - 40), s)
        if not m or m.end() != s or _NOT_MODIFIER.match(m.group(1)) or m.group(1)[0].isdigit():
            break
        s = m.start(1)
    return s


def abbreviation_end(text: str, e: int) -> int:
    """End of a name's span widened over a following parenthesised abbreviation ("body mass index (BMI)")."""
    m = _ABBREV.match(text, e)
    return m.end() if m else e


# a drug name keeps its route / formulation adjectives and its salt ("oral corticosteroids",
# "live vaccines", "doxorubicin hydrochloride"): INN + salt names as in the WHO INN lists
_DRUG_LEFT = re.compile(
    r"(?:(?:oral|systemic|topical|inhaled|intravenous|iv|parenteral|intramuscular|subcutaneous|"
    r"intranasal|transdermal|tricyclic|live|live-attenuated|attenuated|inactivated|long-acting|"
    r"short-acting|low-dose|high-dose|low[- ]molecular[- ]weight|unfractionated)[ \t]+)+$",
    re.I,
)
_DRUG_RIGHT = re.compile(
    r"[ \t]+(?:hydrochloride|hcl|sulfate|sulphate|sodium|acetate|citrate|mesylate|maleate|tartrate|"
    r"phosphate|besylate|fumarate|succinate|bromide|calcium|dihydrochloride|tosylate)\b|[ \t]+(?:drugs?|medications?|agents?)\b",
    re.I,
)


def drug_bounds(text: str, s: int, e: int) -> tuple[int, int]:
    """A drug span widened over its route / formulation adjectives and a following salt name."""
    m = _DRUG_LEFT.search(text, max(0, s - 60), s)
    if m and m.end() == s:
        s = m.start()
    m = _DRUG_RIGHT.match(text, e)
    return s, (m.end() if m else e)


_AGE_CONTEXT = re.compile(r"\b(?:age[ds]?|old|older|younger|adults?|birthday)\b", re.I)


def is_age(text: str, s: int, e: int) -> bool:
    """A duration in years that states an age ("aged 18 years or older"): a Value for Chia, not Temporal."""
    if not re.search(r"(?:years?|yrs?)\s*$", text[s:e], re.I):
        return False
    before = text[max(0, s - 40) : s].rsplit("\n", 1)[-1]
    after = text[e : e + 15].split("\n", 1)[0]
    return bool(_AGE_CONTEXT.search(before) or _AGE_CONTEXT.search(after))


def _load_measurements() -> re.Pattern[str]:
    from importlib import resources

    raw = (resources.files("oncofed.resources") / "vocab" / "measurements_brat.txt").read_text("utf-8")
    names = sorted({ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")}, key=len)
    alts = "|".join(re.escape(n).replace(r"\ ", r"[\s-]+") for n in reversed(names))
    # modifiers Chia keeps inside the span; "level(s)" / "value(s)" after the name
    return re.compile(
        rf"\b(?:(?:systolic|diastolic|fasting|resting|serum|plasma|urine|urinary|total|baseline)\s+)?(?:{alts})"
        r"(?:\s+(?:levels?|values?|concentrations?))?(?![\w/-])",
        re.I,
    )


MEASUREMENT_VOCAB = _load_measurements()


# Chia types severity / control / activity words as Qualifier, apart from the Condition they modify
# ("uncontrolled hypertension" -> Qualifier + Condition "hypertension"); other modifiers stay inside
# ("pulmonary hypertension", "chronic liver disease").
_QUALIFIER = re.compile(
    r"(?:uncontrolled|controlled|active|severe|mild|moderate|significant|clinically|serious|stable|unstable|"
    r"symptomatic|asymptomatic|untreated|treated|progressive|poorly|well|major|minor|known|suspected|"
    r"documented|confirmed|existing|relevant|important|other|any|recurrent)",
    re.I,
)
_QUALIFIER_WORD = re.compile(rf"^{_QUALIFIER.pattern}$", re.I)
_LEADING_QUALIFIERS = re.compile(
    rf"(?:(?:women|woman|females?|men|males?|patients?|subjects?)[ \t]+(?:of[ \t]+)?|{_QUALIFIER.pattern}[ \t]+)+",
    re.I,
)


# relational adjectives (organ, site, kind: "pulmonary", "gastrointestinal", "allergic") are part of a
# condition's name in both Chia and LCT; course words ("acute", "chronic") are not in LCT, so left out
_ORGAN_ADJ = re.compile(r"^(?!acute$|chronic$)[a-z-]+(?:ic|al|ary|ar|ous|eal|ial)$", re.I)


def condition_bounds(text: str, s: int, e: int) -> tuple[int, int]:
    """A condition span without leading qualifiers, widened over relational adjectives before it."""
    m = _LEADING_QUALIFIERS.match(text, s, e)
    if m and m.end() < e:
        return m.end(), e
    for _ in range(2):
        w = _LEFT_WORD.search(text, max(0, s - 40), s)
        if not w or w.end() != s or _NOT_MODIFIER.match(w.group(1)) or _QUALIFIER_WORD.match(w.group(1)):
            break
        if not _ORGAN_ADJ.match(w.group(1)):
            break
        s = w.start(1)
    return s, e


_VALUE_LEAD = re.compile(
    r"(?:(?!(?:greater|less|more|at|no|not|up|above|below|over|under|between|equal|higher|lower|exceeding)\b)"
    r"[A-Za-z]+[ \t]*:?[ \t]*)+"
)


def value_start(text: str, s: int, e: int) -> int:
    """Start of a Value without the name words before its comparator ("Age >18" -> ">18")."""
    m = _VALUE_LEAD.match(text, s, e)
    return m.end() if m and m.end() < e else s
