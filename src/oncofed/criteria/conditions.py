"""When a criterion applies, and what it does not ask: conditions, permissions, exceptions.

Run on one criterion's atoms after ConText and the relations of `logic.py`. Atoms marked
`attributes["role"] = "condition"` become the criterion's `condition` (the parser moves them):
the criterion is `not_applicable` when its condition is false (docs/MATCHING.md, "Outcome model").

1. **Permissions and definitions are not requirements.** "Prior EGFR TKI is allowed", "Subjects with
   hypothyroidism ... will not be excluded", "There is no limit on the number of prior regimens",
   "HER2-positive is defined as IHC 3+": the atoms of such a sentence are dropped; a criterion left
   with nothing becomes one `permission` atom as its condition (never applies, never excludes).
   "Treated and stable brain metastases are allowed" next to "brain metastases" makes the latter
   `status = active`.
2. **Exceptions**: atoms inside "except / other than / excluding / with the exception of" are
   carve-outs, not requirements: they are dropped unless negated (ConText already reads "excluding
   glioblastoma" in an inclusion as "not glioblastoma"). **2b.** A criterion whose every atom lies in its
   exception, its main statement unread ("Cardiomegaly unless LVEF >= 50 %"), states nothing the data can
   show: the exception's negation is its condition, its statement `non_evaluable` (`exception_only`).
3. **Who the criterion is about** is a condition: the subject before a modal verb ("HER2-positive
   gastric cancer *must* have received ...", "Patients with GIST must ..."), a sex subject ("Women who
   are ...", "Male patients must ..."), childbearing potential; a criterion only about pregnancy or
   breastfeeding applies to women.
4. **Conditional clauses** ("if liver metastases", "for patients with Gilbert's syndrome", "unless",
   "due to"): the threshold they govern gets `Atom.condition` and becomes an alternative of the
   plain threshold ("<= 2.5 x ULN, or <= 5 x ULN if liver metastases"); when the governed threshold
   could not be read, an undecidable alternative under the condition keeps the patient with the
   condition `unknown` instead of excluded. At the start of the criterion, the clause is the
   criterion's condition.
"""

from __future__ import annotations

import re
from dataclasses import replace

from oncofed.criteria.caseless import compile_i
from oncofed.criteria.concurrent_lists import concurrent_lists
from oncofed.criteria.formulas import formulas
from oncofed.criteria.lab_lists import joined_labs
from oncofed.criteria.list_heads import inline_heads
from oncofed.criteria.organ_targets import organ_targets
from oncofed.criteria.sex_scope import diagnosis_subject
from oncofed.domain.criteria import Atom

ROLE = "role"
CONDITION = "condition"
_PERMIT = compile_i(
    r"\b(?:(?:is|are|will\s+be|be|being|were)\s+(?:also\s+)?(?:allowed|permitted|acceptable|"
    r"eligible(?!\s+(?:only|for\s+(?:this|the)\s+(?:study|trial))))"
    r"|(?:can|could|may|might|will)\s+(?:also\s+)?be\s+(?:considered\s+)?(?:eligible|enrolled|included|allowed)"
    r"|\bconsider\s+(?:patients?|participants?|including|enrolling)"
    r"|may\s+(?:be\s+)?(?:enrolled|included|participate|enter|eligible|have\s+(?:received|had))"
    r"|can\s+(?:be\s+)?(?:enrolled|included|participate)"
    # "Patients with prostate cancer can continue to receive GnRH agonists", "Lung cancer may be either
    # small cell or non-small cell": what is allowed or what the population may be, no requirement
    r"|(?:can|may)\s+(?:also\s+)?continue\s+(?:to\s+)?(?:receive|take|use|on)|may\s+be\s+(?:either|of\s+any)"
    r"|(?:will|do|does|are|is|shall)\s+not\s+(?:be\s+)?(?:excluded|an?\s+exclusion|exclude)"
    r"|no\s+limit(?:ation)?s?\s+(?:on|to|in|for|of|as\s+to)|(?:is|are)\s+not\s+(?:required|mandatory|limited)|(?:is|are)\s+(?:strongly\s+)?recommended"
    r"|(?:will\s+be|is|are)\s+(?:considered|counted)\s+(?:as\s+)?(?:\d+|one|a|an)\s+(?:line|regimen)"
    r"|counts?\s+as\s+(?:\d+|one|a)\s+line)\b"
)
# "A female participant is eligible to participate if she ...": a requirement phrased as eligibility
_ELIGIBLE_IF = compile_i(
    r"\b(?:patients?|participants?|subjects?|women|men|she|he|they)\s+(?:is|are)\s+eligible\b[^.;]{0,30}?\b(?:if|only|provided|when)\b"
)
# "Patients who are HIV seropositive can have decreased immune competence and thus ...": a rationale
_RATIONALE = compile_i(
    r"\b(?:can|could|may|might)\s+(?:have|be|experience|cause|lead|result|increase|decrease|interfere)\b"
    r"[^.;]{0,120}\b(?:thus|therefore|hence|because|so\s+that)\b"
)
# "permitted ... only after a documented discussion": a step before the permission, no restriction of who
_PROHIBIT = compile_i(
    r"\bnot\s+(?:be\s+)?(?:allowed|permitted|acceptable|eligible)\b"
    # "only" restricts whom a permission is for, except where it says the disease's extent: "skin lesions as
    # (the) only site of disease are allowed", "bone-only disease is permitted"
    r"|(?<!\bthe\s)(?<!\bas\s)(?<!\bbe\s)\bonly\b(?!\s+(?:after|following|upon|sites?|lesions?|"
    r"(?:measurable\s+|evaluable\s+|target\s+)?(?:sites?|lesions?|disease|evidence|manifestations?|location)"
    r"|(?:measurable|evaluable|target)\b)\b)(?![\s-]+(?:disease|metasta\w*)\b)"
)
_DEFINITION = compile_i(r"^\W*(?:note\s*:\s*)?[\w+/(),.' -]{1,60}?\s+(?:is|are)\s+defined\s+(?:as|by)\b")
_SENTENCE = re.compile(r"[^.;]+(?:[.;]|$)")
# the template's verbless permission ending its sentence: "Stable brain metastases allowed", "Alopecia or neuropathy
# allowed", "Prior adjuvant chemotherapy (or as first-line therapy ...) allowed" (verdicts40: read as requirements);
# never a prohibition ("No other concurrent chemotherapy allowed", "Not allowed")
_BARE_PERMIT = compile_i(r"(?<![\w-])(?:allowed|permitted|acceptable)\s*[.;)]?\s*$")
_NEGATED_SENTENCE = compile_i(
    r"^\W*(?:no|none|neither|nor|never)\b|\b(?:not|never|nor|no\s+other)\b"
    # a limit phrased as what is allowed ("up to 2 prior regimens allowed"): a requirement, read as before
    r"|\b(?:up\s+to|maximum|max\.?|at\s+most|a\s+total\s+of|no\s+more\s+than|fewer\s+than|less\s+than)\b"
)


def _permits(text: str) -> bool:
    return bool(_PERMIT.search(text)) or (
        bool(_BARE_PERMIT.search(text)) and not _NEGATED_SENTENCE.search(text)
    )


_PROCEDURE = compile_i(
    r"\bwill\s+be\s+(?:advised|asked|instructed|deferred|rescheduled|contacted|reminded|offered)\b"
    r"|\bwill\s+become\s+eligible\b|\bshould\s+return\b"
    # what a patient or the team will do, no state of the patient: "should inform her treating physician",
    # "will be required to discontinue trastuzumab", "must agree to discontinue breastfeeding"
    r"|\bshould\s+inform\b|\bwill\s+be\s+required\s+to\s+(?:discontinue|stop)\b"
    r"|\bmust\s+agree\s+to\s+(?:discontinue|stop)\b"
)
# "The following will NOT be counted as a prior line of chemotherapy:": a definition of what is counted
_COUNTED_AS = compile_i(
    r"\b(?:will|shall|is|are)\s+(?:not\s+)?(?:be\s+)?(?:counted|considered|regarded)\s+as\s+an?\s+(?:prior\s+)?(?:line|regimen)\b"
)
_TREATED = compile_i(
    r"\b(?:treated|cured|resolved|undetectable|sustained\s+virolog\w+|in\s+remission|controlled)\b"
)
_PAREN = re.compile(r"\([^()]*\)")
_EXCEPT = compile_i(
    r"\b(?:except(?:\s+for)?|other\s+than|excluding|with\s+the\s+exception\s+of|apart\s+from|besides)\b"
)
_MODAL = compile_i(
    r"\b(?:must|should|shall|needs?\s+to|(?:is|are)\s+required\s+to|(?:has|have)\s+to|"
    r"will\s+(?:need|be\s+required|have)\s+to)\b"
)
_SUBJECT_KINDS = {
    "cancer_type", "biomarker", "disease_setting", "stage", "metastasis", "brain_metastases", "sex",
    "childbearing_potential", "comorbidity", "infection", "prior_therapy", "treatment_naive", "age",
    "leptomeningeal_disease",
}  # fmt: skip
_IF = compile_i(
    r"\bif\b|\bwhen\b|\bin\s+(?:the\s+)?(?:case|presence|setting|absence)\s+of\b"
    # "for pts w/ creatinine above the ULN": the abbreviations of protocol tables
    r"|\b(?:for|in)\s+(?:patients?|pts?\.?|participants?|subjects?|those|cases?)\s+(?:with(?:out)?\b|w/o?|who\s+(?:do\s+not\s+)?have\b|having\b)"
    # "for patients aged 65 or older", "in subjects who are < 18 years": an age says whom the line applies to
    r"|\b(?:for|in)\s+(?:(?:patients?|participants?|subjects?|those|children|adolescents?|adults?)\s+)?"
    r"(?:aged?|age[ds]|who\s+are\s+(?:aged|older|younger|over|under|between|[<>≤≥]))\b"
    r"|\bwith\s+(?:known\s+|documented\s+)?(?:liver|hepatic|bone)\s+(?:metastas[ie]s|involvement)\b"
    r"|\b(?:due|secondary|attributable|related)\s+to\b"
    r"|\bexcept\s+(?:for\s+|in\s+)?(?:patients?|participants?|subjects?|those)\s+with\b|\bunless\b"
)
_CONDITION_KINDS = {
    "metastasis", "brain_metastases", "comorbidity", "cancer_type", "biomarker", "infection",
    "disease_setting", "sex", "prior_therapy", "leptomeningeal_disease", "childbearing_potential", "age",
}  # fmt: skip
_FOR_PATIENTS = compile_i(
    r"(?:for|in)\s+(?:patients?|pts?\.?|participants?|subjects?|those|cases?)\s+(?:with(?:out)?|w/o?|who\s+(?:do\s+not\s+)?have|having)"
)
_ABSENT = compile_i(r"\bwithout\b|w/o|\bnot\b")


def _absent(a: Atom) -> Atom:
    return a if a.negated else replace(a, negated=True)


def _clause_comma(atoms: list[Atom], text: str, start: int, end: int) -> int:
    """The comma that ends an opening condition: the first one followed by what the line asks (a limit,
    a score), not by more of the condition ("For patients with liver, lung or bone metastases, AST ...");
    -1 when none."""
    comma = text.find(",", start, end)
    while comma != -1:
        after = [a for a in atoms if a.span and a.span[0] > comma]
        first = min(after, key=lambda a: a.span[0] if a.span else 0, default=None)
        if first is not None and first.kind in _GOVERNED_KINDS:
            return comma
        comma = text.find(",", comma + 1, end)
    return -1


_GOVERNED_KINDS = {"lab", "ecog", "karnofsky", "age", "prior_lines", "life_expectancy"}
# case-blind: registries write "creatinine <= 1.5 x ULN OR clearance >= 60 for patients with ...", and an "OR"
# missed here made the condition govern every alternative before it (the creatinine alternative included)
_CLAUSE_END = re.compile(r"[);:]|\.(?:\s|$)|,\s*or\b|\s\bor\s+(?:[<>≤≥=]|less|greater|more)", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[(;]|\.\s|\bor\b|\bwhile\b|\bwhereas\b", re.IGNORECASE)
_REPRODUCTIVE = {"pregnancy", "breastfeeding"}
_THRESHOLD = compile_i(r"[<>≤≥]|\b(?:uln|times|x\s*uln|upper\s+limit|mg/dl|µmol|umol|g/dl|/l)\b")


def _in(atom: Atom, start: int, end: int) -> bool:
    return bool(atom.span) and start <= atom.span[0] < end  # type: ignore[index]


def _as_condition(atom: Atom) -> Atom:
    return replace(atom, hypothetical=False, attributes={**atom.attributes, ROLE: CONDITION})


def _is_condition(atom: Atom) -> bool:
    return bool(atom.attributes) and atom.attributes.get(ROLE) == CONDITION


def permission_atom(text: str, code: str, about: list[Atom] | None = None) -> Atom:
    """The one atom of a permission / definition criterion; `attributes["permits"]` says what it is about."""
    permits = [
        {"kind": a.kind, "code": a.code, "operator": a.operator, "value": a.value} for a in about or ()
    ]
    return Atom("permission", "present", code=code, span=(0, len(text)), text=text.strip()[:200],
                attributes={ROLE: CONDITION, "permits": permits})  # fmt: skip


def permissions(atoms: list[Atom], text: str) -> list[Atom]:
    """Rule 1: permission and definition sentences are not requirements."""
    if _DEFINITION.search(text) or _COUNTED_AS.search(text):
        return [permission_atom(text, "definition", atoms)]
    if _PROCEDURE.search(text) and not any(a.kind in ("lab", "ecog", "karnofsky", "age") for a in atoms):
        return [permission_atom(text, "procedure", atoms)]  # "will be advised to return after ..."
    if _RATIONALE.search(text):
        return [permission_atom(text, "rationale", atoms)]
    low = text.lower()
    if not (
        _PERMIT.search(text) or ("allow" in low or "permit" in low or "accept" in low) and _permits_any(text)
    ):
        return atoms
    if _ELIGIBLE_IF.search(text):
        return atoms
    spans = []
    # clauses: each parenthesis, then each sentence of what is left ("No active brain metastases
    # (treated and stable brain metastases are allowed)": only the parenthesis is a permission)
    parens = [m.span() for m in _PAREN.finditer(text)]
    for s, e in parens:
        if _permits(text[s:e]) and not _PROHIBIT.search(text, s, e):
            spans.append((s, e))
    outside = _PAREN.sub(lambda m: " " * len(m.group(0)), text)
    for m in _SENTENCE.finditer(outside):
        sentence = m.group(0)
        if _permits(sentence) and not _PROHIBIT.search(sentence):
            spans.append(m.span())
    if not spans:
        return atoms
    inside = [a for a in atoms if any(_in(a, s, e) for s, e in spans)]
    kept = [a for a in atoms if a not in inside]
    if not any(not _is_condition(a) for a in kept):
        return [permission_atom(text, "permission", atoms)]
    if any(a.kind == "brain_metastases" for a in inside):  # "... treated, stable ones are allowed"
        kept = [_active_brain(a) for a in kept]
    for s, e in spans:  # "hepatitis B or C (if treated with undetectable viral load: eligible)"
        if _TREATED.search(text, s, e):
            before = [a for a in kept if a.span and a.span[1] <= s]
            if before:
                last = max(before, key=lambda a: a.span[1] if a.span else 0)
                kept = [_needs_activity(a) if a is last else a for a in kept]
    return kept


def _permits_any(text: str) -> bool:
    outside = _PAREN.sub(lambda m: " " * len(m.group(0)), text)
    return any(_permits(m.group(0)) for m in _PAREN.finditer(text)) or any(
        _permits(m.group(0)) for m in _SENTENCE.finditer(outside)
    )


def _needs_activity(a: Atom) -> Atom:
    if a.kind in ("infection", "comorbidity", "prior_malignancy") and not a.attributes.get("qualifier"):
        return replace(a, attributes={**a.attributes, "qualifier": "active"})
    return a


def _active_brain(a: Atom) -> Atom:
    if a.kind == "brain_metastases" and str(a.attributes.get("status") or "any") == "any":
        return replace(a, attributes={**a.attributes, "status": "active"})
    return a


def exceptions(atoms: list[Atom], text: str) -> list[Atom]:
    """Rule 2: carve-outs ("except basal cell carcinoma") are not requirements."""
    m = _EXCEPT.search(text)
    if not m or len(atoms) < 2 or _IF.match(text, m.start()):
        return atoms
    end = _CLAUSE_END.search(text, m.end())
    stop = end.start() if end else len(text)
    if any(a.kind == "prior_malignancy" for a in atoms):  # "other malignancy except A; B; or C": the list
        sentence_end = re.search(r"\.(?:\s|$)", text[m.end() :])
        stop = m.end() + sentence_end.start() if sentence_end else len(text)
    # "excluding glioblastoma" in an inclusion is a negated cancer type: a restriction, kept
    carved = [
        a
        for a in atoms
        if _in(a, m.end(), stop) and not _is_condition(a) and not (a.negated and a.kind == "cancer_type")
    ]
    rest = [_unnegate_by(a, m.start(), m.end()) for a in atoms if a not in carved]
    if not carved or not any(not _is_condition(a) for a in rest):
        return rest if carved == [] else atoms
    if any(a.kind == "brain_metastases" for a in carved):
        rest = [_active_brain(a) for a in rest]
    return rest


# "X unless Y": the exception's keyword (rule 2b); "excluding" is a restriction, not an exception
_UNLESS = compile_i(
    r"\b(?:unless|except(?:\s+(?:for|if|when|in))?|other\s+than|with\s+the\s+exception\s+of|apart\s+from|"
    r"sauf|à\s+l'exception\s+d(?:e|u|es|['’])|excepté|hormis|à\s+moins\s+qu(?:e|['’]))(?:\b|(?<=['’]))"
)
# where the exception ends: a closing parenthesis, a semicolon, a full stop, or a comma opening the main
# statement ("For all cohorts except cohort 7, the disease is NSCLC")
_UNLESS_END = compile_i(
    r"[);]|\.(?:\s|$)|,\s*(?:the|then|patients?|participants?|subjects?|they|she|he|it|this|these|there|"
    r"must|should|all|any|les?|la|le\s+patient)\b"
)
_MAIN_WORD = re.compile(r"[^\W\d_]{3,}")
_NOT_MAIN = frozenset(
    [
        "the",
        "any",
        "all",
        "and",
        "with",
        "have",
        "has",
        "had",
        "known",
        "history",
        "patient",
        "patients",
        "participant",
        "participants",
        "subject",
        "subjects",
        "who",
        "are",
        "were",
        "documented",
        "evidence",
        "presence",
        "les",
        "des",
        "avec",
        "une",
        "patient",
        "patients",
        "ayant",
        "antécédents",
    ]
)


def exception_only(atoms: list[Atom], text: str) -> list[Atom]:
    """Rule 2b: a criterion whose only atoms are its exception's ("Cardiomegaly or ventricular dysfunction
    unless LVEF >= 50 %": the main statement was not read) states nothing the patient's data can show.
    "X unless Y" holds when X holds and Y does not: Y alone can only show the criterion does not apply
    (its negation becomes the criterion's condition), never that it holds (the statement is one
    `non_evaluable` atom for X). Several exception atoms are negated together only as alternatives (one OR
    group: "unless A or B"); otherwise they are dropped and the criterion is left to the investigator."""
    m = _UNLESS.search(text)
    statement = [a for a in atoms if not _is_condition(a)]
    if m is None or not statement or any(not a.span or a.kind == "non_evaluable" for a in statement):
        return atoms
    end_m = _UNLESS_END.search(text, m.end())
    end = end_m.start() if end_m else len(text)
    if not all(_in(a, m.end(), end) for a in statement) or any(
        a.negated and a.kind == "cancer_type" for a in statement
    ):
        return atoms
    main = text[: m.start()]
    if not any(w.lower() not in _NOT_MAIN for w in _MAIN_WORD.findall(main)):
        return atoms  # nothing before the exception: not an "X unless Y"
    groups = {a.attributes.get("group") for a in statement}
    alternatives = len(statement) == 1 or (len(groups) == 1 and None not in groups)
    unless = [
        _as_condition(
            replace(
                a, negated=not a.negated, attributes={k: v for k, v in a.attributes.items() if k != "group"}
            )
        )
        for a in statement
        if alternatives
    ]
    lead = len(main) - len(main.lstrip(" -*•\t"))
    shown = " ".join(main.split()).strip(" ,:-([")
    unread = Atom(
        "non_evaluable", "present", code="unread_statement", span=(lead, m.start()), text=shown[:200]
    )
    return [a for a in atoms if _is_condition(a)] + unless + [unread]


def _unnegate_by(a: Atom, start: int, end: int) -> Atom:
    """An atom negated only by the "except / excluding" keyword (ConText reached past the carve-out:
    "solid tumors, excluding glioblastoma) that is advanced or metastatic") is not negated."""
    if not a.negated or a.kind == "cancer_type":
        return a
    triggers = [t for t in a.attributes.get("context", ()) if t and str(t[0]).upper().startswith("NEG")]
    if triggers and all(start <= int(t[1]) < end + 1 for t in triggers):
        return replace(a, negated=False)
    return a


_OWN_NEGATION = compile_i(r"\b(?:not|non|no|without|nor)\b[\w\s-]{0,20}$")
_THEIR = compile_i(r"\b(?:their|his|her)\s+(?:[\w-]+\s+)?$")
_PRESUPPOSED_KINDS = {"brain_metastases", "metastasis", "leptomeningeal_disease", "comorbidity", "infection"}


# "Patients aged 15-17 years weigh >= 50 kg": an age subject followed by what it asks (no modal verb); not
# a colon ("Patients aged 18 to 75 years: male or female" states the age)
_AGE_SUBJECT = compile_i(
    r"^\W*(?:all\s+|any\s+)?(?:patients?|participants?|subjects?|children|adolescents?|adults?|those|individuals?)"
    r"\s+(?:aged?|age[ds]|between|who\s+are)\b[^.;,:]{0,50}?"
    r"\s(?=(?:weigh\w*|need\w*|requir\w*|(?:has|have)\s+(?:a|an)\s+(?:body\s+)?weight)\b)"
)


def _scoped_aside(atoms: list[Atom], text: str, modal: re.Match[str]) -> tuple[int, int] | None:
    """The parenthesis holding the modal verb when a statement comes before it: "Age >= 12 (patients aged
    12-17 must weigh at least 40 kg)" asks its own thing of a part of the patients, not of all of them."""
    opening = text.rfind("(", 0, modal.start())
    if opening <= 0 or text.find(")", opening, modal.start()) != -1:
        return None
    if not any(a.span and a.span[1] <= opening and not _is_condition(a) for a in atoms):
        return None
    closing = text.find(")", modal.end())
    end = len(text) if closing == -1 else closing + 1
    if any(a.span and opening <= a.span[0] < end and (_is_condition(a) or a.condition) for a in atoms):
        return None  # read already: "(except subjects with Gilbert's syndrome, who must have bilirubin < 3)"
    if _EXCEPT.search(text, opening, end) or _IF.search(text, opening, end):
        return None  # an exception or a condition of its own: the rules above read it
    return opening, end


def subjects(atoms: list[Atom], text: str) -> list[Atom]:
    """Rule 3: who the criterion is about is its condition."""
    out = []
    modal = _MODAL.search(text)
    aside = _scoped_aside(atoms, text, modal) if modal is not None and "(" in text else None
    if aside is not None:  # the aside's subject and requirement are not read: the statement before it stands
        atoms = [a for a in atoms if not (a.span and aside[0] <= a.span[0] < aside[1])]
        modal = None
    aged = _AGE_SUBJECT.search(text) if "age" in text.lower() else None
    for a in atoms:
        if a.attributes and a.attributes.get(
            "stated_out"
        ):  # the subject a line keeps out (criteria/polarity.py)
            out.append(a)
            continue
        if (
            a.kind == "childbearing_potential"
            and a.negated
            and a.span
            and not _OWN_NEGATION.search(text[max(0, a.span[0] - 30) : a.span[0]])
        ):  # "Negative pregnancy test for women of childbearing potential": the test's "negative" is not hers
            a = replace(a, negated=False)
        if (
            a.kind == "childbearing_potential"
            or (a.kind == "sex" and a.attributes.get("subject") and not diagnosis_subject(a, atoms, text))
            or (aged is not None and a.kind == "age" and a.span and a.span[1] <= aged.end())
            or (
                modal is not None
                and a.span
                and a.span[1] <= modal.start()
                and a.kind in _SUBJECT_KINDS
                and not _is_condition(a)
            )
            # "treatment of their CNS disease": for the patients who have it
            or (
                a.kind in _PRESUPPOSED_KINDS
                and a.span
                and _THEIR.search(text[max(0, a.span[0] - 20) : a.span[0]])
            )
        ):
            a = _as_condition(a)
        out.append(a)
    statement = [a for a in out if not _is_condition(a)]
    if (
        statement
        and all(a.kind in _REPRODUCTIVE for a in statement)
        and not any(a.kind == "sex" for a in out if _is_condition(a))
    ):
        out.append(Atom("sex", "==", "FEMALE", text="women", attributes={ROLE: CONDITION, "implicit": True}))
    return out


def _negated_within(a: Atom, start: int, end: int) -> bool:
    """Whether the atom's negation comes from inside the clause ("if no liver metastases"), not from
    another mention ("... in the absence of liver metastases, ... in the presence of liver metastases")."""
    if not a.negated:
        return False
    triggers = [t for t in a.attributes.get("context", ()) if t and str(t[0]).upper().startswith("NEG")]
    return not triggers or any(start <= int(t[1]) < end for t in triggers)


def _stated_before(a: Atom, begin: int) -> bool:
    """A therapy whose own mention comes before the conditional clause that restates it, the clause's time
    read as its look-back window (`extract.with_window`: "if stopped >= 12 months before, can join") (verdicts33);
    a clause whose time was not read leaves the therapy as it was (no statement)."""
    return (
        a.kind == "prior_therapy"
        and bool(a.span)
        and a.span[0] < begin  # type: ignore[index]
        and bool(a.attributes.get("exemption_window"))
    )


def conditional_clauses(atoms: list[Atom], text: str) -> list[Atom]:
    """Rule 4: "if ...", "for patients with ...", "unless ..." clauses (see module docstring)."""
    if not _IF.search(text):
        return atoms
    out = list(atoms)
    pool = list(atoms)  # a condition atom serves every clause that mentions it
    lead = len(text) - len(text.lstrip(" -*•\t"))
    for m in list(_IF.finditer(text)):
        end_m = _CLAUSE_END.search(text, m.end())
        end = end_m.start() if end_m else len(text)
        # "CrCl >= 60 mL/min for patients with creatinine above the ULN": a lab says whom the line is for
        lab_ok = _FOR_PATIENTS.match(m.group())
        cond = [
            a
            for a in pool
            if any(m.start() <= sp[0] < end for sp in _mentions(a))
            and (a.kind in _CONDITION_KINDS or (lab_ok and a.kind == "lab"))
            and not _is_condition(a)
        ]
        if lab_ok and len(kept := joined_labs(cond, text)) < len(cond):
            # "for subjects with bilirubin > 1.5 ULN aspartate aminotransferase ...": the clause ends before the AST
            end = min(a.span[0] for a in cond if a not in kept and a.span)
            cond = kept
        if not cond:
            continue
        cond_end = max(sp[1] for a in cond for sp in _mentions(a) if m.start() <= sp[0] < end)
        if m.start() <= lead + 2:  # "For patients with liver metastases, ..." opens the criterion
            # "For subjects w/o liver metastases:": the clause's own "without" (ConText reads "without", not "w/o")
            absent = _ABSENT.search(m.group()) is not None
            comma = _clause_comma(out, text, m.end(), end)  # "In patients without liver metastases, AST ..."
            if comma != -1:
                cond = [a for a in cond if a.span and a.span[0] < comma]
            out = [
                _as_condition(_absent(a) if absent and a.kind != "lab" else a) if a in cond else a
                for a in out
            ]
            continue
        starts = [x.end() for x in _CLAUSE_START.finditer(text, 0, m.start())]
        begin = max(starts) if starts else 0
        # a limit already under an earlier clause's condition keeps it ("AST 2.5 x ULN for subjects without
        # liver metastases and 5 x ULN for subjects with liver metastases": the second clause's is the 5)
        governed = [a for a in out if a.kind in _GOVERNED_KINDS and a not in cond and a.span and not a.condition
                    and (begin <= a.span[0] < m.start() or cond_end <= a.span[0] < end)]  # fmt: skip
        plain = [a for a in out if a.kind in _GOVERNED_KINDS and a not in cond and a not in governed]
        ifs = tuple(replace(a, hypothetical=False, negated=_negated_within(a, m.start(), end)) for a in cond)
        if not governed and not plain and all(a.kind == "age" for a in cond):
            # "Patient, or their guardian (if the patient is < 18 years), is able to consent", "weight >= 40 kg
            # (if aged 12-17)": the age says whom the line applies to, never what it asks
            out = [_as_condition(a) if a in cond else a for a in out]
            continue
        if not governed and not plain and not _THRESHOLD.search(text, begin, end):
            if (
                m.group().lower().startswith(("for ", "in "))
                and all(a.kind == "cancer_type" for a in cond)
                and any(a.kind != "cancer_type" and not _is_condition(a) for a in out if a not in cond)
            ):
                # "measurable disease per RECIST 1.1 or Lugano classification for subjects with DLBCL": the
                # cancer only says for whom one wording holds, the line asks the rest of everyone
                out = [a for a in out if a not in cond]
            continue  # not about a threshold ("... except for patients receiving trastuzumab"): left as is
        # "Have received exemestane (if exemestane was used as adjuvant and stopped >= 12 months before, you can
        # join)": a therapy the line states before the clause and restates in it stays the line's statement
        out = [a for a in out if a not in cond or _stated_before(a, begin)]
        if governed:
            new = []
            for a in out:
                if a in governed:
                    twin = next((p for p in plain if p.kind == a.kind and p.code == a.code), None)
                    group = (
                        twin.attributes.get("group") if twin else None
                    ) or f"if{m.start()}{a.code or a.kind}"
                    attrs = {**a.attributes, "group": group} if twin else dict(a.attributes)
                    a = replace(a, condition=ifs, attributes=attrs)
                elif a in plain and any(g.kind == a.kind and g.code == a.code for g in governed):
                    g = next(g for g in governed if g.kind == a.kind and g.code == a.code)
                    group = a.attributes.get("group") or f"if{m.start()}{g.code or g.kind}"
                    a = replace(a, attributes={**a.attributes, "group": group})
                new.append(a)
            out = new
        elif plain:  # the governed threshold was not read: an undecidable alternative under the condition
            new = []
            for a in out:
                if a in plain:
                    group = a.attributes.get("group") or f"if{m.start()}{a.code or a.kind}"
                    a = replace(a, attributes={**a.attributes, "group": group})
                    new.append(a)
                    limit = _conditional_limit(a, text, begin, end)
                    if limit is not None:  # "AST <= 2.5 x ULN (<= 5 x ULN if liver metastases)"
                        op, value, span = limit
                        new.append(replace(a, operator=op, value=value, span=span, text=text[span[0] : span[1]],
                                           condition=ifs, attributes={**a.attributes, "group": group, "value_span": list(span),
                                                                      "raw": text[span[0] : span[1]]}))  # fmt: skip
                    elif not any(x.attributes.get("group") == group and x.condition for x in new[:-1]):
                        new.append(Atom("non_evaluable", "present", code="conditional_threshold",
                                        span=(begin, end), text=text[begin:end].strip(), condition=ifs,
                                        attributes={"group": group}))  # fmt: skip
                else:
                    new.append(a)
            out = new
    return out


_ULN_LIMIT = compile_i(
    r"(<=|>=|[<>≤≥])\s*(\d+(?:[.,]\d+)?)\s*(?:x|×|times)\s*(?:the\s+)?(?:uln\b|upper\s+limit\s+of\s+normal)"
)
_UPPER = {"<": "<", "<=": "<=", "≤": "<="}
_LOWER = {">": ">", ">=": ">=", "≥": ">="}


def _conditional_limit(a: Atom, text: str, begin: int, end: int) -> tuple[str, float, tuple[int, int]] | None:
    """The limit a conditional clause sets for a lab read in x ULN ("AST <= 2.5 x ULN (<= 5 x ULN if liver
    metastases)": <= 5 under the condition): a limit in the same direction, written in x ULN, outside the
    lab's own evidence; None when the clause gives none."""
    if a.kind != "lab" or a.unit != "x ULN" or not a.span:
        return None
    same = _UPPER if a.operator in ("<", "<=") else _LOWER if a.operator in (">", ">=") else {}
    for m in _ULN_LIMIT.finditer(text, begin, end):
        if a.span[0] <= m.start() < a.span[1] or m.group(1) not in same:
            continue
        return same[m.group(1)], float(m.group(2).replace(",", ".")), (m.start(), m.end())
    return None


_SEVERITY = compile_i(
    r"\b(?P<q>uncontrolled|poorly[\s-]+controlled|not\s+(?:well[\s-]+)?controlled|non-?controlled|inadequately[\s-]+controlled|"
    r"unstable|symptomatic|clinically\s+(?:significant|relevant|important)|significant|severe|serious|active|"
    r"untreated|progressive|progressing|decompensated|requiring\s+(?:treatment|therapy))\b[^.;,]{0,30}$"
)
_SEVERITY_IN = compile_i(
    r"\b(?P<q>uncontrolled|poorly[\s-]+controlled|non-?controlled|inadequately[\s-]+controlled|unstable|"
    r"symptomatic|clinically\s+significant|severe|serious|decompensated)\b"
)
_SEVERITY_KINDS = {"comorbidity", "infection"}
_ASYMPTOMATIC = compile_i(r"\basymptomatic\b")


_SEVERITY_AFTER = compile_i(
    r"^[^.;]{0,40}?\b(?:requiring|that\s+requires?|needing|not\s+(?:well\s+)?controlled|grade\s*(?:[≥>]=?\s*)?[2-4]|with\s+an?\s+(?:estimated\s+)?size"
    r"|of\s+any\s+size|[>≥]\s*\d|more\s+than\s+\d)"
)


# a CTCAE grade named with the condition: "Grade >= 2 peripheral neuropathy", "neuropathy > grade 1",
# "neuropathy of CTCAE v4.03, grade >=2", "neuropathy >1 degree", "neuropathy grade <2"
_GRADE = (
    r"(?:grade|gr\.?)\s*(?:\(\s*)?(?:[≥>≤<]=?|>/=|=>|=<|greater\s+than(?:\s+or\s+equal\s+to)?|"
    r"(?:of\s+)?at\s+least|more\s+than|less\s+than)?\s*(?:\(\s*[≥>≤<]/?=?\s*\)\s*)?[0-4]\b"
)
_GRADE_BEFORE = compile_i(rf"\b{_GRADE}[^.;,]{{0,30}}$")
_GRADE_AFTER = compile_i(
    rf"^[^.;]{{0,45}}?(?:\b{_GRADE}|(?:[≥>]=?|>/=|greater\s+than|more\s+than|in\s+excess\s+of)\s*(?:ctcae\s+)?"
    r"(?:grade\s*)?[0-4]\b(?:\s*degree)?)"
)


def _mentions(a: Atom) -> list[tuple[int, int]]:
    out = [a.span] if a.span else []
    return out + [(int(x[0]), int(x[1])) for x in a.attributes.get("also_spans", ())]


def _severity(text: str, span: tuple[int, int]) -> str | None:
    """The severity a mention is named with (before it, inside it, or right after it), if any."""
    m = _SEVERITY.search(text[max(0, span[0] - 50) : span[0]]) or _SEVERITY_IN.search(text[span[0] : span[1]])
    if m:
        return re.sub(r"\s+", " ", m.group("q").lower())
    if _ASYMPTOMATIC.search(text[max(0, span[0] - 20) : span[1]]):
        return "symptomatic"  # "asymptomatic X with size > 200 mL": what makes it exclude is stated apart
    if _GRADE_BEFORE.search(text[max(0, span[0] - 50) : span[0]]) or _GRADE_AFTER.match(
        text[span[1] : span[1] + 70]
    ):
        return "of the grade specified in the criterion"  # a record of the condition rarely states its grade
    return "as specified in the criterion" if _SEVERITY_AFTER.match(text[span[1] : span[1] + 60]) else None


def severities(atoms: list[Atom], text: str) -> list[Atom]:
    """A condition named with its severity ("uncontrolled hypertension", "clinically significant liver
    disease") states more than its presence: `attributes["qualifier"]` (the evaluator asks for it)."""
    out = []
    therapies = [t for t in atoms if t.kind == "prior_therapy" and t.span]
    for a in atoms:
        if a.kind in _SEVERITY_KINDS and a.span and not a.attributes.get("qualifier"):
            mentions = _mentions(a)
            named = [(_severity(text, sp), text[sp[0] : sp[1]].lower()) for sp in mentions]
            found = [q for q, _ in named if q]
            qualified_words = {w for q, w in named if q}
            # the same words again ("uncontrolled seizures ..., defined as ... seizures") restate it
            mentions = [
                sp for (q, w), sp in zip(named, mentions, strict=True) if q or w not in qualified_words
            ]
            # "active major depressive episode, bipolar disorder, ...": a mention named without severity
            # excludes by itself; "pneumonitis that required steroids": the steroid atom says it
            requires = _REQUIRES.match(text[a.span[1] : a.span[1] + 40]) and any(
                t.span and t.span[0] >= a.span[1]
                for t in (*therapies, *a.condition)
                if t.kind == "prior_therapy"
            )
            infection_active = a.kind == "infection" and bool(found) and found[0] == "active"
            if found and len(found) == len(mentions) and not requires and not infection_active:
                a = replace(a, attributes={**a.attributes, "qualifier": found[0]})
                if a.kind == "infection" and a.span and (m := _ANTIBIOTICS_AFTER.match(text, a.span[1])):
                    # "infection requiring systemic antibiotic therapy": what a record of the antibiotic answers
                    a = replace(
                        a,
                        attributes={**a.attributes, "qualifier": ANTIBIOTICS, "reason_span": m.span("what")},
                    )
        out.append(a)
    return inline_heads(out, text)  # "uncontrolled illness including diabetes" (criteria/list_heads.py)


ANTIBIOTICS = "requiring systemic antibiotics"
# not "intravenous antibiotics" (a record rarely says how it was given), not "prophylactic"
_ANTIBIOTICS_AFTER = compile_i(
    r"[^.;]{0,12}?(?P<what>\b(?:that\s+)?(?:requir\w*|needing|needed|treated\s+with)\s+(?:systemic\s+|oral\s+or\s+iv\s+)?"
    r"(?:antibiotics?|antimicrobials?|antibacterials?|anti-?infectives?)(?:\s+(?:therapy|treatment))?)\b",
)


_REQUIRES = compile_i(
    r"^[^.;]{0,12}?\b(?:that\s+)?(?:required|requiring|requires|needing|needed|treated\s+with)\b"
)


_SEX_AFTER = compile_i(r"[^<>≤≥;]{0,25}?\(?\s*(?:for\s+|in\s+)?(?P<sex>females?|males?|women|men)\b")


def sex_thresholds(atoms: list[Atom], text: str) -> list[Atom]:
    """ "QTcF < 450 ms (male) or < 470 ms (female)": a threshold followed by a sex applies to that sex."""
    out = []
    for a in atoms:
        if a.kind == "lab" and a.span and not a.condition:
            m = _SEX_AFTER.match(text, a.span[1])
            if m:
                word = m.group("sex").lower()
                value = "MALE" if word.startswith(("male", "men")) else "FEMALE"
                sex = Atom("sex", "==", value, text=m.group("sex"), span=m.span("sex"))
                a = replace(a, condition=(sex,))
        out.append(a)
    return out


_THERAPY_QUALIFIER = compile_i(
    r"\b(?P<q>whole[\s-]+brain|cranial|craniospinal|thoracic|chest|mediastinal|pelvic|abdominal|extended[\s-]+field|"
    r"chronic|long[\s-]+term|continuous|daily|high[\s-]+dose|myeloablative|"
    # a kind of surgery: "cosmetic or reconstructive breast surgery" is not any lumpectomy
    r"cosmetic|reconstructive|aesthetic|plastic|bariatric)\b[^.;,]{0,25}$"
)
_THERAPY_SITE_AFTER = compile_i(
    r"^[^.;]{0,20}?\bto\s+(?:the\s+)?(?P<q>brain|chest|pelvis|abdomen|[>≥]\s*\d+\s*%\s+of\s+(?:the\s+)?bone\s+marrow)"
)


_THERAPY_QUALIFIER_IN = compile_i(r"\b(?P<q>whole[\s-]+brain|wbrt|craniospinal|extended[\s-]+field)\b")
_CURRENT = compile_i(
    r"\b(?:currently|current|concurrent(?:ly)?|concomitant(?:ly)?|ongoing|receiving|taking|is\s+on|are\s+on|on\s+treatment\s+with|"
    r"during\s+the\s+study|while\s+on)\b[^.;]{0,40}$"
)
_OPTION_BEFORE = compile_i(
    r"\b(?:candidates?|eligible|suitable|fit|unfit|ineligible|amenable|appropriate|indicated|considered|planned|"
    r"scheduled)\s+(?:to\s+(?:receive|undergo)\s+|for\s+)(?:[\w-]+\s+){0,3}$"
    # "disease that cannot be cured by surgery": a therapy the patient could be given, no history
    r"|\b(?:cannot|can\s+not|could\s+not|not)\s+be\s+(?:cured|treated|managed|removed|controlled)\s+(?:by|with)\s+"
    r"(?:[\w-]+\s+){0,3}$"
    r"|\b(?:candidates?|eligible|suitable|amenable)\s+to\s+(?:curative\s+|definitive\s+|local\s+)?(?:treatment|therapy)\s+"
    r"(?:with|by)\s+(?:[\w/-]+\s+){0,3}$"  # "not amenable to curative treatment with surgery and/or radiation"
    r"|\b(?:will|to)\s+(?:\w+\s+)?(?:receive|undergo|be\s+treated\s+with|start)\s+(?:[\w-]+\s+){0,5}$"
    r"|\b(?:patients?|participants?|subjects?|who\s+(?:are|is))\s+(?:requiring|require[sd]?|needing|in\s+need\s+of|"
    r"scheduled\s+for|planned\s+for|awaiting)\s+(?:[\w-]+\s+){0,2}$"
    # "not amenable to curative surgery and/or radiation", "who refuse additional radiation", "for whom the
    # physician would not prescribe radiation": a therapy the patient could be given or declines, no history
    r"|\bamenable\s+to\s+(?:[\w/,-]+\s+){0,5}$"
    r"|\b(?:refus(?:e[sd]?|ing|al\s+(?:of|to))|declin(?:e[sd]?|ing)|opt(?:s|ed)?\s+out\s+of)\s+"
    r"(?:to\s+(?:receive|undergo|have|start)\s+)?(?:[\w-]+\s+){0,3}$"
    r"|\b(?:would|will|could|can|may|should|might)\s+(?:not\s+)?(?:prescribe|recommend|offer|propose)\s+"
    r"(?:[\w-]+\s+){0,3}$"
)
# "no contraindication to adjuvant chemotherapy", "contradiction for AIs, LHRHa, chemotherapy": the therapy
# is one the patient could be given, no part of the history (the investigator judges it)
_CONTRA_BEFORE = compile_i(
    r"\bcontra-?(?:indications?|dictions?)\s+(?:for|to|of|against)\s+(?:[\w-]+[\s,/]+){0,8}$"
)
_OPTION_AFTER = compile_i(
    # "capecitabine is clinically appropriate", "chemotherapy is not considered to be indicated"
    r"^[\w\s/()-]{0,30}?\b(?:is|are|be|being)\s+(?:(?:currently|not|potentially|considered|deemed|judged|thought|"
    r"clinically|medically|still|no\s+longer|also|otherwise)\s+){0,3}(?:to\s+be\s+)?(?:available|indicated|planned|"
    r"offered|recommended|appropriate|suitable|contraindicated|an?\s+option)\b"
)


_FOR_CANCER = compile_i(
    r"\bfor\s+(?:their|the|this|his|her)?\s*(?:current|present|primary|underlying)?\s*"
    # "chemotherapy for metastatic breast cancer", "for locally advanced or metastatic NSCLC": the setting
    # words before the cancer the therapy was given for
    r"(?:(?:metastatic|advanced|locally\s+advanced|recurrent|relapsed|unresectable|inoperable|early|"
    r"early[\s-]stage)\s+(?:(?:and/)?or\s+|,\s*)?){0,3}$"
)


# "resection of cerebral metastases", "radiotherapy to the liver metastases", "surgery on brain lesions": a local
# therapy's object is its target, as "for" names a cancer's (verdicts36; matching/therapy_site.py reads it)
_LOCAL_OF = compile_i(
    r"\b(?:resections?|excisions?|surgery|surgeries|surgical\s+(?:removal|treatment|excision)|removal|operations?|"
    r"radiotherapy|radiation(?:\s+therapy)?|irradiation|radiosurgery|srs|sbrt|ablation)\s+"
    r"(?:of|to|on|for|at)\s+(?:the\s+|a\s+|an\s+|any\s+|his\s+|her\s+|their\s+)?(?:(?:known|existing|prior|"
    r"previous|symptomatic|single|solitary|isolated|all|[\w-]+al)\s+){0,2}$"
)

_TARGETING = {"prior_therapy", "prior_lines"}  # "2 prior lines for metastatic breast cancer" too


def therapy_targets(atoms: list[Atom], text: str) -> list[Atom]:
    """ "No prior chemotherapy ... for their current breast cancer": the cancer names the therapy's
    target (`attributes["target"]` of the therapy atoms), no requirement of its own (negated by the
    "no", it would exclude every breast cancer patient)."""
    if not any(a.kind in _TARGETING for a in atoms):
        return atoms
    targets = [
        a
        for a in atoms
        if a.kind in ("cancer_type", "brain_metastases", "metastasis")
        and a.span
        and (
            _FOR_CANCER.search(text[max(0, a.span[0] - 40) : a.span[0]])
            or (a.kind != "cancer_type" and _LOCAL_OF.search(text[max(0, a.span[0] - 60) : a.span[0]]))
        )
    ]
    if not targets:
        return atoms
    target = [{"kind": t.kind, "code": t.code, "operator": t.operator, "value": t.value} for t in targets]
    return [
        replace(a, attributes={**a.attributes, "target": target}) if a.kind in _TARGETING else a
        for a in atoms
        if a not in targets
    ]


_LINE_REFERENCE = compile_i(
    r"^[\s-]*(?:or\s+(?:second|third|2nd|3rd)[\s-]*line\s+)?(?:treatments?|therap(?:y|ies)|regimens?|chemo\w*)\b"
)


def line_references(atoms: list[Atom], text: str) -> list[Atom]:
    """ "response to first- or second-line treatment": a reference to a past therapy, not a requirement
    that the patient be in the first-line setting."""
    return [
        a
        for a in atoms
        if not (
            a.kind == "disease_setting"
            and a.code == "first_line"
            and a.span
            and _LINE_REFERENCE.match(text[a.span[1] :])
        )
    ]


# "severe exfoliative skin condition requiring systemic treatment": the therapy treats the condition
_GOVERNED_THERAPY = compile_i(
    r"\b(?:conditions?|diseases?|disorders?|illness(?:es)?|events?|reactions?|toxicit(?:y|ies)|syndromes?|"
    r"colitis|pneumonitis|dermatitis|hepatitis|neuropathy|insufficiency|failure)\s+(?:that\s+|which\s+)?"
    r"(?:has\s+|have\s+|had\s+)?(?:requir\w+|needing|needed|necessitat\w+|treated\s+with)\s+(?:[\w-]+\s+){0,3}$"
)
_TREATED_KINDS = {
    "comorbidity",
    "infection",
    "brain_metastases",
    "leptomeningeal_disease",
    "prior_malignancy",
}


def current_before(text: str, start: int) -> bool:
    """Whether the words before a therapy say it is current ("concomitant use of", "currently receiving")."""
    return bool(_CURRENT.search(text[max(0, start - 50) : start]))


def therapy_tense(atoms: list[Atom], text: str) -> list[Atom]:
    """A therapy that is current ("currently receiving steroids", "concomitant use of chemotherapy") is
    `attributes["current"]`; one named as an option ("curative therapy is available", "candidate for
    paclitaxel") is no part of the patient's history: the investigator judges it (non_evaluable); one
    that treats a condition the criterion names but the parser cannot read ("skin condition requiring
    systemic treatment") is no requirement by itself (dropped: the patient's chemotherapy is not it)."""
    out = []
    for a in atoms:
        if a.kind == "prior_therapy" and a.span:
            start, end = a.span
            if _GOVERNED_THERAPY.search(text[max(0, start - 60) : start]) and not any(
                c.kind in _TREATED_KINDS and c.span and c.span[0] < start for c in atoms
            ):
                continue
            if (
                _OPTION_BEFORE.search(text[max(0, start - 80) : start])
                or _OPTION_AFTER.match(text[end : end + 60])
                or _CONTRA_BEFORE.search(text[max(0, start - 80) : start])
            ):
                about = {"kind": a.kind, "code": a.code, "operator": a.operator, "value": a.value}
                a = Atom("non_evaluable", "present", code="investigator_judgement", span=a.span, text=a.text,
                         attributes={"about": about})  # fmt: skip
            elif _CURRENT.search(text[max(0, start - 50) : start]):
                a = replace(a, attributes={**a.attributes, "current": True})
        out.append(a)
    return out


def therapy_qualifiers(atoms: list[Atom], text: str) -> list[Atom]:
    """ "Whole brain radiotherapy", "chronic treatment with steroids", "radiation to > 25% of bone
    marrow": a record of the therapy alone does not say it was that one (`attributes["qualifier"]`)."""
    out = []
    for a in atoms:
        if a.kind == "prior_therapy" and a.span and not a.attributes.get("qualifier"):
            m = (
                _THERAPY_QUALIFIER.search(text[max(0, a.span[0] - 40) : a.span[0]])
                or _THERAPY_SITE_AFTER.match(text[a.span[1] : a.span[1] + 60])
                or _THERAPY_QUALIFIER_IN.search(
                    a.text
                )  # the mention itself: "whole brain radiotherapy", "WBRT"
                or _radiotherapy_extent(a, text)
                or _EVENT_ON.search(text[max(0, a.span[0] - 60) : a.span[0]])
                or _DOSE_AFTER.match(text[a.span[1] : a.span[1] + 90])
            )
            if m and not _OTHER_RT_BEFORE.search(text[max(0, a.span[0] - 60) : a.span[0]]):
                q = re.sub(r"\s+", " ", m.group("q").lower().replace("-", " "))
                q = "whole brain" if q == "wbrt" else _dose_said(q)
                a = replace(a, attributes={**a.attributes, "qualifier": q})
        out.append(a)
    return out


# radiotherapy named with a dose or an extent ("> 20 Gy prior radiation", "radiation encompassing more
# than 30% of bone marrow", "radiation therapy to the lungs"): a record of radiotherapy alone does not say
# it was that one (its site, when recorded, may)
_RT_DOSE_BEFORE = compile_i(r"(?P<q>(?:[>≥]|more\s+than|over)?\s*\d+(?:[.,]\d+)?\s*c?gy)\b[^.;]{0,30}$")
_RT_EXTENT_AFTER = compile_i(
    r"^[^.;]{0,25}?\b(?:to|encompassing|involving|covering|including)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?P<q>(?:(?:more\s+than|over|greater\s+than|[>≥])\s*)?\d+\s*%\s+of\s+(?:the\s+)?(?:\w+\s+)?marrow|"
    r"(?:large\s+areas?\s+of\s+(?:the\s+)?)?(?!(?:study|enrol|random|registration|start|day|first|treatment|"
    r"screening|cycle|baseline|date|time|this|any|initiation|entry|the\b)\w*)[a-z]{3,}(?:\s+(?!and\b|or\b|within\b|"
    r"prior\b|before\b|in\b|for\b|at\b|of\b)[a-z]{3,})?)"
)
# "ejection fraction decrease on trastuzumab", "intolerance to a prior taxane": an event during the
# therapy is asked, not the therapy (a record of the therapy alone does not say the event happened)
_EVENT_ON = compile_i(
    r"\b(?P<q>(?:[\w-]+\s+){0,2}(?:decrease|decline|drop|intolerance|cardiotoxicity|reaction))\s+"
    r"(?:on|during|while\s+on|while\s+receiving|with|to)\s+(?:(?:a|an|the|prior|previous|earlier)\s+){0,2}$"
)
# a cumulative dose ("doxorubicin > 240 mg/m2", "epirubicin or liposomal doxorubicin (brand) > 480 mg/m²",
# "cisplatin cumulative dose above 300 mg/m2"): a record of the drug alone does not say it reached it
_DOSE_AFTER = compile_i(
    r"^[^.;\d<>≤≥]{0,60}?(?P<q>(?:cumulative\s+(?:dose\s+)?)?(?:[>≥]=?|more\s+than|greater\s+than|above|over|"
    r"exceeding|in\s+excess\s+of"
    # an upper limit ("doxorubicin </= 360 mg/m2 or epirubicin </= 720 mg/m2 or no prior anthracyclines"): the
    # dose received is asked, not the receipt, in an inclusion as in an exclusion
    r"|</=|=<|<=?|≤|below|under|less\s+than|up\s+to|at\s+most|not\s+exceeding)\s*\d+(?:[.,]\d+)?\s*mg\s*/\s*m(?:2|²))"
)
_DOSE_NUMBER = re.compile(r"(?P<ge>>=|≥)?[^\d]*?(?P<n>\d+(?:[.,]\d+)?)\s*mg\s*/\s*m(?:2|²)")
_DOSE_UPPER = compile_i(r"</=|=<|<=|≤|up\s+to|at\s+most|not\s+exceeding")
_DOSE_BELOW = compile_i(r"<|below|under|less\s+than")


def _dose_said(q: str) -> str:
    """A dose limit written the one way ("in excess of 540 mg/m2" -> "> 540 mg/m2", "</= 720 mg/m2" -> "≤ 720
    mg/m²"), the same in every language."""
    m = _DOSE_NUMBER.search(q) if "mg" in q else None
    if m is None:
        return q
    sign = "≤" if _DOSE_UPPER.search(q) else "<" if _DOSE_BELOW.search(q) else "≥" if m.group("ge") else ">"
    return f"{sign} {m.group('n')} mg/m²"


_RT_CODES = frozenset({"radiotherapy", "radiation", "radiation therapy"})


def _radiotherapy_extent(a: Atom, text: str) -> re.Match[str] | None:
    if not a.span or str(a.code or a.attributes.get("class") or "").lower() not in _RT_CODES:
        return None
    after = text[a.span[1] : a.span[1] + 70]
    if re.match(r"(?i)^[^.;]{0,25}?\b(?:prior|due|up|according|related|secondary|equal)\s+to\b", after):
        return None  # "radiotherapy prior to enrolment": a time, not a site
    return _RT_DOSE_BEFORE.search(text[max(0, a.span[0] - 40) : a.span[0]]) or _RT_EXTENT_AFTER.match(after)


# "gamma knife/whole brain radiation", "SRS or WBRT": another kind of radiotherapy is an alternative, so
# the qualifier does not restrict the radiotherapy asked
_OTHER_RT_BEFORE = compile_i(
    r"\b(?:gamma[\s-]+knife|srs|sbrt|stereotactic\s+(?:radio\w*|body\s+radio\w*)|radiosurgery|cyberknife)\s*"
    r"(?:/|,|\bor\b|\band/or\b|\band\b)\s*(?:[\w-]+\s+){0,2}[\w-]*\s*$"
)


_AT_MOST = compile_i(
    r"\b(?:no\s+more\s+than|not\s+more\s+than|up\s+to|at\s+most|a\s+maximum\s+of|maximum\s+of|fewer\s+than|less\s+than)\s+"
    # "less than 2 mm from the resection margin": a measurement, no count
    r"(?P<n>\d+|one|two|three|four|five|six)\b(?!\s*(?:%|(?:[mc]m|mg|kg|gy|cgy|ml|hours?|days?|weeks?|months?|years?)\b))"
    r"[^.;]{0,25}$"
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def therapy_counts(atoms: list[Atom], text: str) -> list[Atom]:
    """ "No more than two prior anti-HER2 therapies": a count, not "no prior anti-HER2" (`attributes
    ["at_most"]`: the evaluator counts the distinct drugs recorded)."""
    out = []
    for a in atoms:
        if a.kind == "prior_therapy" and a.span:
            m = _AT_MOST.search(text[max(0, a.span[0] - 50) : a.span[0]])
            if m and not a.attributes.get("washout"):  # "less than 3 weeks since": a time, no count
                n = _NUMBERS.get(m.group("n").lower()) or int(m.group("n"))
                if m.group(0).lower().startswith(("fewer", "less")):
                    n -= 1
                a = replace(a, negated=False, attributes={**a.attributes, "at_most": n})
        out.append(a)
    return out


# "on (a) stable dose of steroids", "stable or decreasing doses of corticosteroids", "... at a stable dose"
_STABLE_BEFORE = compile_i(
    r"\bstable(?:\s+(?:or|and|/)\s+(?:decreasing|reduced|tapering|low))?\s+(?:daily\s+|or\s+decreasing\s+)?"
    r"(?:doses?|dosing|dosages?|regimens?)\s+(?:of\s+|on\s+|with\s+)?(?:[\w-]+\s+){0,3}$"
)
_STABLE_AFTER = compile_i(
    r"^[^.;]{0,40}?\b(?:at|on|with)\s+(?:a\s+|the\s+)?stable\s+(?:daily\s+)?(?:doses?|dosing|dosages?|regimen)"
)


def stable_doses(atoms: list[Atom], text: str) -> list[Atom]:
    """ "Must be on a stable dose of steroids for 5 days": a stable-dose requirement on a drug applies to the
    patients taking it (the drug is the condition) and never requires taking it; the stability itself is
    not computable from the facts (a non-evaluable statement keeps those patients `unknown`)."""
    if "stable" not in text.lower():
        return atoms
    out: list[Atom] = []
    stable: list[Atom] = []
    for a in atoms:
        if (
            a.kind == "prior_therapy"
            and not a.negated
            and not _is_condition(a)
            and a.span
            and (
                _STABLE_BEFORE.search(text[max(0, a.span[0] - 60) : a.span[0]])
                or _STABLE_AFTER.search(text[a.span[1] : a.span[1] + 80])
            )
        ):
            a = _as_condition(a)
            stable.append(a)
        out.append(a)
    if stable and not any(not _is_condition(a) for a in out):
        out.append(
            Atom("non_evaluable", "present", code="stable_dose", span=(0, len(text)), text=text.strip()[:200])
        )
    return out


# "unresolved toxicities from previous anticancer therapy": the therapy is the cause of what is asked
_TOXICITY_OF = compile_i(
    r"\b(?:toxicit(?:y|ies)|adverse\s+(?:events?|effects?|reactions?)|side[\s-]+effects?)\b[^.;]{0,40}?\s"
    r"(?:from|of|due\s+to|related\s+to|attributed\s+to|caused\s+by|associated\s+with|after)\s+"
    r"(?:(?:any|all|the|their|a|prior|previous|earlier|past)\s+){0,3}$"
)


# "must be recovered from the toxic effects of any prior surgery, radiotherapy or ...", "has not recovered
# from AEs due to previous therapies": the therapy is the cause of what is asked (the recovery), negated
# or not ("not recovered": the negation is the recovery's)
_RECOVERED_FROM = compile_i(r"\brecover(?:ed|y|ing)?\s+(?:\w+\s+){0,2}from\b[^.;]{0,110}$")
_CAUSE_WORDS = ("toxic", "adverse", "side", "recover", "induced")
_INDUCED_AFTER = compile_i(r"\s*-?\s*induced\b")


def _caused(a: Atom, text: str) -> bool:
    if a.span and _INDUCED_AFTER.match(text, a.span[1]):
        return True  # "chemotherapy-induced menopause", "radiation-induced oophorectomy": a cause
    before = text[max(0, a.span[0] - 120) : a.span[0]] if a.span else ""
    if not before:
        return False
    if _RECOVERED_FROM.search(before):
        return True
    return not a.negated and bool(_TOXICITY_OF.search(before[-80:]))


def therapy_causes(atoms: list[Atom], text: str) -> list[Atom]:
    """A therapy named as the cause of toxicities is no statement about the therapy: the criterion asks
    about the toxicities (not read: `non_evaluable`), so a treated patient is not excluded for it. The
    cancer a caused therapy was given for ("other therapy intended for the treatment of breast cancer")
    is no statement either."""
    low = text.lower()
    if not any(w in low for w in _CAUSE_WORDS):
        return atoms
    caused = [a for a in atoms if a.kind == "prior_therapy" and _caused(a, text)]
    if not caused:
        return atoms
    first = min(a.span[0] for a in caused if a.span)
    caused += [a for a in atoms if a.kind == "cancer_type" and a.span and a.span[0] > first]
    kept = [a for a in atoms if a not in caused]
    if not any(not _is_condition(a) for a in kept):
        kept.append(
            Atom("non_evaluable", "present", code="toxicity", span=(0, len(text)), text=text.strip()[:200])
        )
    return kept


# "Documentation of BRAF mutation status": a status to be known, whichever it is (not "status: mutated")
_STATUS_AFTER = compile_i(
    r"\s*(?:mutation(?:al)?\s+)?status\b(?!\s*(?:[:=]|is|of|as)?\s*(?:positive|negative|mutat|mutant|wild|amplif|\+|-))"
)


_POLARITY = compile_i(r"positiv|negativ|wild|amplif|overexpress|\+")


def status_to_know(atoms: list[Atom], text: str) -> list[Atom]:
    """A marker whose status is asked for, without a polarity, is no requirement that it be altered: the
    line asks that the status be documented (`non_evaluable`), so a wild-type patient is not excluded."""
    if "status" not in text.lower():
        return atoms
    asked = [
        a
        for a in atoms
        if a.kind == "biomarker"
        and a.span
        and a.operator == "present"
        and not a.negated
        and a.attributes.get("alteration") == "mutation"
        and not _POLARITY.search(a.text or "")  # "p16 positive status" says which
        and _STATUS_AFTER.match(text, a.span[1])
    ]
    if not asked:
        return atoms
    kept = [a for a in atoms if a not in asked]
    if not any(not _is_condition(a) for a in kept):
        kept.append(
            Atom(
                "non_evaluable",
                "present",
                code="biomarker_status",
                span=(0, len(text)),
                text=text.strip()[:200],
            )
        )
    return kept


# "with or without known brain metastasis", "with or without (neo)adjuvant chemotherapy", "+/- radiotherapy":
# what follows is allowed either way, no requirement (up to the end of its clause)
_EITHER_WAY = compile_i(r"\b(?:with\s+or\s+without|with/without|whether\s+or\s+not)\b|\+/-|±")
_EITHER_WAY_END = re.compile(r"[;.:()]|,\s|\s(?:and|but|who|which|that)\s")


def either_way(atoms: list[Atom], text: str) -> list[Atom]:
    """Atoms named after "with or without" (to the end of that clause) are dropped: either way is allowed."""
    if "with" not in text.lower() and "+/-" not in text and "±" not in text:
        return atoms
    spans = []
    for m in _EITHER_WAY.finditer(text):
        end = _EITHER_WAY_END.search(text, m.end(), m.end() + 100)
        spans.append((m.end(), end.start() if end else min(len(text), m.end() + 100)))
    if not spans:
        return atoms
    return [a for a in atoms if not (a.span and any(lo <= a.span[0] < hi for lo, hi in spans))]


def conditions(atoms: list[Atom], text: str) -> list[Atom]:
    """The four rules above, in order, then the severity qualifiers; first, what a formula names is no
    requirement (`criteria/formulas.py`): a line that is only a formula is a definition."""
    atoms, only_formula = formulas(atoms, text)
    if only_formula:
        return [permission_atom(text, "definition")]
    atoms = status_to_know(therapy_causes(permissions(either_way(atoms, text), text), text), text)
    if len(atoms) == 1 and atoms[0].kind == "permission":
        return atoms
    atoms = exception_only(exceptions(atoms, text), text)
    atoms = sex_thresholds(conditional_clauses(atoms, text), text)
    atoms = therapy_targets(therapy_tense(therapy_qualifiers(severities(atoms, text), text), text), text)
    # "resection of the stomach or small bowel" (organ_targets.py); "No concurrent A, B, or C" (concurrent_lists.py)
    atoms = concurrent_lists(organ_targets(atoms, text), text)
    return stable_doses(therapy_counts(subjects(line_references(atoms, text), text), text), text)
