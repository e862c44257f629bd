"""Segmentation + extraction + ConText, batched: the criteria engine's entry points."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from oncofed.criteria import context as ctx
from oncofed.criteria.cancer_exceptions import excepted_cancers_dropped
from oncofed.criteria.caseless import compile_i
from oncofed.criteria.conditions import CONDITION, ROLE
from oncofed.criteria.exclusion_absence import absences_kept_out
from oncofed.criteria.extract import (
    age_atoms,
    has_any,
    lab_atoms,
    life_expectancy_atoms,
    non_evaluable_atoms,
    performance_atoms,
    reproduction_atoms,
    sex_atoms,
    with_window,
)
from oncofed.criteria.extract_clinical import (
    biomarker_atoms,
    cancer_atoms,
    condition_atoms,
    histology_atoms,
    setting_atoms,
    stage_atoms,
    therapy_atoms,
    tnm_atoms,
)
from oncofed.criteria.french import parse_french
from oncofed.criteria.implied_sign import exclusion_sides
from oncofed.criteria.list_heads import item_lines
from oncofed.criteria.logic import relate
from oncofed.criteria.metastatic_sites import site_lists
from oncofed.criteria.negated_phrase import negated_qualified_cancers
from oncofed.criteria.negated_thresholds import negated_thresholds
from oncofed.criteria.paren_scope import paren_scoped
from oncofed.criteria.permitted import permitted_cancers
from oncofed.criteria.polarity import in_section
from oncofed.criteria.positivity import positivity_cutoffs
from oncofed.criteria.receptor_alternatives import receptor_alternatives
from oncofed.criteria.requirements import (
    allergen_named,
    cumulative_doses,
    not_the_patient_s,
    others_contact_atom,
    topic_heading_dropped,
)
from oncofed.criteria.restated import restated_lines
from oncofed.criteria.segment import Segment, segment
from oncofed.criteria.serology import serology_tests
from oncofed.criteria.setting_lines import setting_and_lines
from oncofed.criteria.structure import organise
from oncofed.criteria.sub_headings import no_statement_lines, scoped_ages, sub_headings
from oncofed.criteria.therapy_purpose import generic_purposes, purposes_dropped
from oncofed.criteria.treated_cancer import treated_cancers
from oncofed.criteria.washout import washout_headings, washout_windows
from oncofed.criteria.weight import exercise_atoms, weight_loss_atoms
from oncofed.domain.criteria import Atom, Criterion, Section

# criteria-21: a lab limit whose sign was lost (implied_sign.py), items under a qualifying list head
# (list_heads.py), a therapy named as another's purpose (therapy_purpose.py), HER2 count cut-offs
# (marker_cutoffs.py), CYP3A classes by their grammar (enzyme_classes.py), "for subjects without X:" (verdicts30)
# criteria-20: a condition after an upper-case "OR" governs the last alternative only (conditions.py, lead);
# upper-case connectives read as lower-case ones; a lower limit of normal read as the analyte's LLN, not 1 x ULN
# criteria-19: how a line's parts relate (verdicts26): a clause's negation ends with it (clause_reach.py), a
# list's last item ("stage I, II, and III"), a therapy that qualifies a condition (governed_therapy.py), an
# alternative's own histology / sex / marker (alternative_parts.py), a schedule that narrows a drug
# (therapy_schedule.py)
# criteria-18: a line's own polarity (criteria/polarity.py), the scope of a prior therapy (therapy_scope.py),
# conditions of abbreviated / French subjects, a dose limit or naive as alternatives (verdicts24)
# criteria-17: disease setting, ranked lines, class-naive, adjuvant counted as a line (criteria/setting_lines.py)
# criteria-16: lines of symbols alone ("ER+"), the androgen receptor, "HER2 score 2+", "cancer ... metastatic",
# a cancer an inclusion permission names widens the inclusions' cancer requirements
# criteria-15: receptors coordinated or with their abbreviation, "at inclusion", parenthesised scopes
# criteria-14: options, washout windows, tests to be done, examples of a class (twelfth pass)
# criteria-13: a trial's own ER / PR positivity threshold, therapy targets, restated lines (eleventh pass)
# criteria-12: wrapped lines, stated exclusions, contradicted common exclusions (criteria-11: guards, 4th pass)
# criteria-22: "In Part 1, ..." lines are their cohort under the heading; "infection requiring systemic antibiotics"
# (verdicts31)
# criteria-23: every site of a list of metastatic sites (metastatic_sites.py), a cancer word naming a
# therapy is no prior malignancy (cancer_word_therapy.py), a condition's alternatives (verdicts32)
# criteria-24: what a formula names is no requirement (formulas.py), intervals in seconds, "naïve to", counted
# flat options of "one of the following N" (verdicts33)
# criteria-25: a sex opening a diagnosis is required (sex_scope.py), metastatic sites adrenal / pleura / skin / soft
# tissue, French CYP3A classes, "< or =", "within normal institutional limits", a line-opening negation of a
# threshold (negated_thresholds.py) and of a qualified cancer (negated_phrase.py) (verdicts34)
# criteria-29: a list of analytes shares its threshold (lab_lists.py), "within normal limits" on the analyte's side
# (resources/normal_sides.tsv), the PDQ template's headings scope their values (sub_headings.py) (verdicts38)
# criteria-30: a washout under the inclusions is "no X within N days" whatever else the line negates, "a minimum of
# N days since", a receptor status given with its opposite is no requirement, a drug named by its effect is the
# drugs listed, not the condition (drug_effects.py), "resection of / radiotherapy to <metastases>" is the therapy's
# target (verdicts36)
# criteria-31: a lower limit of normal the criterion does not give carries the band in use (lln_bands.tsv) (verdicts39)
# criteria-32: the PDQ therapy sub-headings and "See ..." lines state nothing, an exclusion written "No <condition>"
# keeps the condition out (exclusion_absence.py), "=< 1" after a performance scale is "<= 1", a surgery named by its
# organ targets that organ (organ_targets.py) (verdicts40)
# criteria-33: organs listed bare beside the cancers a line names are its cancers too (listed_organs.py), cancers a
# line excepts dropped (cancer_exceptions.py), receptor statuses listed as alternatives (receptor_alternatives.py)
# (verdicts41)
# criteria-34: 'biologic therapy' / 'biologics' a class of therapy in lists (verdicts43)
# criteria-35: a limit of normal and a number, "whichever is lower / higher", read as the rule says (whichever.py)
# (verdicts42)
PARSER_VERSION = "criteria-35"
MAX_INPUT_CHARS = 2_000_000  # beyond this the text is cut (reported in ParseResult.warnings)

_NEGATION_STARTS = (
    "no ",
    "without ",
    "absence ",
    "free of ",
    "not having ",
    "patients with no ",
    "subjects with no ",
)
# Atom kinds whose truth depends on context (negation / history / hypothesis); numeric thresholds do not.
CONTEXT_KINDS = {
    "pregnancy", "breastfeeding", "cancer_type", "disease_setting", "biomarker", "prior_therapy",
    "brain_metastases", "leptomeningeal_disease", "metastasis", "measurable_disease", "prior_malignancy",
    "infection", "comorbidity", "treatment_naive", "stage", "childbearing_potential", "histology",
}  # fmt: skip
# a negative pregnancy test required: "negative urine or serum pregnancy test", "serum β-hCG ... negative"
_NEG_PREG_TEST = compile_i(
    r"negative\s+(?:[\w-]+\s+){0,4}?(?:pregnancy|beta-?\s*hcg|β-?hcg|hcg)"
    r"|(?:pregnancy|hcg)\s+tests?\s+(?:[\w-]+\s+){0,4}?negative",
)
# infection tests required negative: "seronegative for HIV", "HBsAg negative", "negative for hepatitis B"
_SERONEGATIVE_BEFORE = compile_i(
    r"(?:\bsero-?negative|\bnegative\s+(?:tests?\s+|results?\s+|serology\s+)?for)\s+(?:[\w-]+\s+){0,3}$"
)
_NON = compile_i(r"\bnon[-\s]?$")
_NEGATIVE_AFTER = compile_i(r"^[\s\w()/-]{0,25}?\b(?:sero-?negative|negative|neg)\b")


# Cheap keyword gates: an extractor's regular expressions only run when one of its words occurs
# (most criteria concern one or two topics; this keeps the parse near 0.1 ms per criterion).
_AGE_WORDS = ("age", "year", "yr", "old", "adult")
_SEX_WORDS = ("male", "men", "woman", "women", "girl", "boy", "menopaus", "man ")
_REPRO_WORDS = (
    "pregnan",
    "lactat",
    "feeding",
    "nursing",
    "contracep",
    "birth control",
    "abstinen",
    "barrier",
    "effective method",
)
_PS_WORDS = ("ecog", "who", "zubrod", "performance", "ps", "karnofsky", "kps", "lansky")
_NON_EVAL_WORDS = (
    "consent", "opinion", "judg", "discretion", "willing", "agree", "compl", "adhere", "able to", "follow",
    "participat", "enrolled", "geograph", "legal", "incarcer", "prisoner", "deemed", "considered",
)  # fmt: skip


_has = has_any


@dataclass(frozen=True)
class ParseResult:
    criteria: list[Criterion]
    warnings: list[str]
    parser_version: str = PARSER_VERSION

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.criteria)

    def __len__(self) -> int:
        return len(self.criteria)


# "polyadenosine ... polymerization (PARP) inhibitor", "Human epidermal growth factor receptor 2 (Her2)
# negative": an acronym in parentheses heading the term that follows it; the parentheses become spaces
# (offsets kept) so that the vocabularies read "PARP inhibitor", "Her2 negative"
_ACRONYM_HEAD = re.compile(
    r"\(([A-Z](?:[A-Z0-9-]{1,9}|[a-z]{1,3}[0-9]{1,2}))\)(?=[\s-]+(?:inhibitors?|antagonists?|agonists?|blockers?|"
    r"antibod(?:y|ies)|negative|positive|status|mutations?|mutated|mutant|amplifi\w*|(?:over-?)?expressi\w*|"
    r"fusions?|rearrange\w*|targeted|directed|alterations?|variants?)\b)"
)


def _acronyms_unwrapped(text: str) -> str:
    return _ACRONYM_HEAD.sub(lambda m: f" {m.group(1)} ", text)


# Registries write connectives in capitals ("AST OR ALT > 1.5 x ULN", "creatinine <= ULN OR clearance >= 60 for
# patients with ..."); the rules below were written and tested on lower-case ones, and an upper-case "OR"
# lost a coordinated lab or let a condition govern every alternative (benchmarks/audit_case.py). Lowered here,
# same length: every span stays where it was.
_UPPER_CONNECTIVE = re.compile(r"(?<=\s)(?:AND/OR|OR|AND)(?=\s)")


def connectives_lowered(text: str) -> str:
    """The text with its upper-case "OR" / "AND" / "AND/OR" between words in lower case (same length)."""
    return _UPPER_CONNECTIVE.sub(lambda m: m.group().lower(), text) if "R" in text or "D" in text else text


def extract_atoms(text: str, heading: str | None = None) -> list[Atom]:
    """Atoms of one criterion text (no ConText yet); `heading` is a lead-in such as "Age:"."""
    text = connectives_lowered(text)
    if "(" in text:
        text = _acronyms_unwrapped(text)
    low = text.lower()
    contacts = others_contact_atom(text, low)
    if contacts is not None:  # "household contacts: children < 1 year old": not the patient's age
        # "... received a live vaccine within 4 weeks. Avoid close contact with ...": the sentences
        # before the one about the contacts are still the patient's
        start = contacts.span[0] if contacts.span else 0
        stop = max(text.rfind(". ", 0, start), text.rfind(".\n", 0, start))
        return [*(extract_atoms(text[: stop + 1], heading) if stop > 0 else ()), contacts]
    therapy, drug_spans = therapy_atoms(text)
    cancers = cancer_atoms(text)
    atoms = [
        *(age_atoms(text) if _has(low, _AGE_WORDS) else ()),
        *(sex_atoms(text) if _has(low, _SEX_WORDS) else ()),
        *(reproduction_atoms(text) if _has(low, _REPRO_WORDS) else ()),
        *(performance_atoms(text) if _has(low, _PS_WORDS) else ()),
        *(life_expectancy_atoms(text) if "life" in low else ()),
        *weight_loss_atoms(text, low),
        *exercise_atoms(text, low),
        *lab_atoms(text),
        *cancers,
        *histology_atoms(text, cancers),
        *(stage_atoms(text) if "stage" in low else ()),
        *tnm_atoms(text),
        *setting_atoms(text),
        *biomarker_atoms(text, drug_spans),
        *therapy,
        *condition_atoms(text),
        *(non_evaluable_atoms(text) if _has(low, _NON_EVAL_WORDS) else ()),
    ]
    atoms = setting_and_lines(atoms, text)
    atoms = purposes_dropped(atoms, text, low)  # "a vaccine for cancer immunotherapy": not the therapy
    atoms = generic_purposes(atoms, text, low)  # "letrozole for breast cancer treatment": letrozole only
    atoms = site_lists(atoms, text)  # "liver, lung or bone metastases": every site, not the last one
    inflammatory = next(
        (a for a in atoms if a.kind == "tnm" and a.attributes.get("read") == "inflammatory"), None
    )
    if inflammatory is not None and inflammatory.span:  # "inflammatory breast cancer": T4d of a breast cancer
        lo, hi = inflammatory.span
        inside = [
            a for a in atoms if a.kind == "cancer_type" and a.span and lo <= a.span[0] and a.span[1] <= hi
        ]
        atoms = [
            replace(a, condition=tuple(inside)) if a is inflammatory else a for a in atoms if a not in inside
        ]
    if ":" in text[:42]:
        atoms = topic_heading_dropped(atoms, text)
    if ":" in text:
        atoms = scoped_ages(atoms, text)  # "Menopausal status: Postmenopausal for at least 1 year": no age
    if "cumulative" in low:
        atoms = cumulative_doses(atoms, text)
    if heading and not [a for a in atoms if a.kind not in ("non_evaluable",)]:
        # "Age:" / "Hematopoietic:" lead-ins: parse "<heading> <text>" and keep what falls in the text
        prefix = heading.rstrip(": ") + ": "
        shifted = []
        for a in extract_atoms(prefix + text):
            if a.span and a.span[1] > len(prefix):
                s = max(0, a.span[0] - len(prefix))
                shifted.append(
                    replace(a, span=(s, a.span[1] - len(prefix)), text=text[s : a.span[1] - len(prefix)])
                )
        atoms = shifted or atoms
    # the regex starts with "negative": on ASCII text a plain substring test says when it cannot match
    if ("negative" in low or not text.isascii()) and _NEG_PREG_TEST.search(text):
        atoms = [
            replace(a, negated=True, attributes={**a.attributes, "test_negative": True})
            if a.kind == "pregnancy"
            else a
            for a in atoms
        ]
    if "neg" in low or not text.isascii():
        atoms = [_seronegative(a, text) if a.kind == "infection" else a for a in atoms]
    if "non" in low or not text.isascii():  # "non MSI-H", "non-BRCA-mutated": the marker is absent
        atoms = [
            replace(a, negated=True)
            if a.kind == "biomarker"
            and a.span
            and not a.negated
            and _NON.search(text[max(0, a.span[0] - 5) : a.span[0]])
            else a
            for a in atoms
        ]
    if "allerg" in low or "sensitiv" in low:
        atoms = allergen_named(atoms)
    atoms = not_the_patient_s(atoms, text)
    if text[:40].lower().lstrip(" -*•").startswith(_NEGATION_STARTS) or " not have" in text[:40]:
        atoms = negated_thresholds(atoms, text)  # "No QTc > 470 msec" (criteria/negated_thresholds.py)
    if (
        "wash" in low
        or "since" in low
        or "from" in low
        or ("requir" in low or "need" in low or "mandat" in low)
        or (heading and "wash" in heading.lower())
    ):
        atoms = washout_windows(atoms, text, heading)
    if len(atoms) < 2:  # nothing to merge
        return with_window(atoms, text)
    seen: dict[tuple[object, ...], int] = {}  # statement -> position in `unique`
    unique: list[Atom] = []
    for a in atoms:
        # the same statement twice ("HIV ... (HIV 1/2 antibodies)") is kept once, at its first mention
        key = (
            a.kind,
            a.code,
            a.operator,
            repr(a.value),
            a.unit,
            a.negated,
            repr(sorted(a.attributes.items(), key=str)),
        )
        if key not in seen:
            seen[key] = len(unique)
            unique.append(a)
        elif a.span and a.span != unique[seen[key]].span:
            first = unique[seen[key]]
            more = [*first.attributes.get("also_spans", []), list(a.span)]
            unique[seen[key]] = replace(first, attributes={**first.attributes, "also_spans": more})
    return with_window(unique, text)


def _seronegative(atom: Atom, text: str) -> Atom:
    """An infection required negative ("Seronegative for HIV antibody", "HBsAg negative") is negated."""
    if atom.negated or not atom.span:
        return atom
    before, after = text[max(0, atom.span[0] - 40) : atom.span[0]], text[atom.span[1] : atom.span[1] + 30]
    if _SERONEGATIVE_BEFORE.search(before) or (
        _NEGATIVE_AFTER.match(after) and "positive" not in after.lower()
    ):
        return replace(atom, negated=True, attributes={**atom.attributes, "required_negative": True})
    return atom


_NOT_NEGATION = compile_i(r"^(?:free|any\s+other|other)$")
_FREE_COMPOUND = compile_i(
    r"(?:disease|progression|recurrence|relapse|event|metastasis|tumou?r|symptom|treatment)[\s-]*$"
)


def _false_negation(text: str, triggers: Sequence[Sequence[object]]) -> bool:
    """Whether every negation trigger is a false one: "disease-free survival", "any other diseases"."""
    negations = [t for t in triggers if str(t[0]).upper().startswith("NEG")]
    if not negations:
        return False
    for t in negations:
        start, end = int(str(t[1])), int(str(t[2]))
        word = text[start:end]
        if not _NOT_NEGATION.match(word):
            return False
        if word.lower() == "free" and not _FREE_COMPOUND.search(text[max(0, start - 15) : start]):
            return False
    return True


_ENUMERATOR = re.compile(r"(?:^|\s)\(?\d{1,2}\)\s")


def _enumerated_apart(text: str, triggers: Sequence[Sequence[object]], start: int) -> bool:
    """Whether every negation trigger sits in an earlier item of an inline list ("1) ... 2) ...")."""
    negations = [t for t in triggers if str(t[0]).upper().startswith("NEG")]
    return bool(negations) and all(
        int(str(t[2])) <= start and _ENUMERATOR.search(text, int(str(t[2])), start) for t in negations
    )


def _apply_context(items: list[tuple[str, list[Atom]]]) -> list[list[Atom]]:
    requests = []
    for text, atoms in items:
        requests.append((text, [a.span or (0, 0) for a in atoms if a.kind in CONTEXT_KINDS]))
    results = ctx.modifiers_many(requests)
    out = []
    for (text, atoms), contexts in zip(items, results, strict=True):
        it = iter(contexts)
        new = []
        for a in atoms:
            if a.kind in CONTEXT_KINDS:
                c = paren_scoped(next(it), text, a.span)  # "(if known)": no scope after the ")"
                if c.triggers:
                    attrs = dict(a.attributes)
                    attrs["context"] = [list(t) for t in c.triggers]
                    if c.uncertain:
                        attrs["uncertain"] = True
                    negated = c.negated and not _false_negation(text, c.triggers)
                    if negated and a.span and _enumerated_apart(text, c.triggers, a.span[0]):
                        negated = False  # "1) never had intercourse 2) have had a hysterectomy"
                    a = replace(
                        a,
                        negated=a.negated or negated,
                        historical=c.historical,
                        hypothetical=c.hypothetical,
                        attributes=attrs,
                    )
            new.append(a)
        out.append(relate(new, text))
    return out


# Atoms of a criterion text (after ConText and relations), by (text, heading). Registries repeat
# boilerplate criteria across trials ("Not pregnant or nursing", "Signed informed consent"): about
# 15% of the criteria of the benchmark's 499 trials were seen before in the same run. Atoms are frozen
# and nothing mutates their attributes, so the memo hands out the same objects. Oldest entries go
# first when full (dicts keep insertion order), so a long-running worker keeps recent boilerplate.
ATOMS_MEMO_SIZE = 20_000
_ATOMS_MEMO: dict[tuple[str, str | None], tuple[Atom, ...]] = {}
_ATOMS_MEMO_LOCK = threading.Lock()  # web workers parse in threads: eviction + insert as one step


def _criteria_of(segments: Sequence[Segment]) -> list[Criterion]:
    heads = {s.index: s.text for s in segments}
    found: list[tuple[Atom, ...] | None] = []
    keys: list[tuple[str, str | None]] = []
    items = []
    todo = []
    washouts = washout_headings([s.clean_text or s.text for s in segments])
    subs = sub_headings([s.clean_text or s.text for s in segments], [s.heading for s in segments])
    silent = no_statement_lines([s.clean_text or s.text for s in segments], [s.heading for s in segments])
    for k, s in enumerate(segments):
        heading = None
        if s.parent_index is not None and heads.get(s.parent_index, "").rstrip().endswith(":"):
            heading = heads[s.parent_index]
        else:  # "Life expectancy:" then "At least 5 years": the template's heading (criteria/sub_headings.py)
            heading = subs.get(k, s.heading or None)
        heading = washouts.get(k, heading)  # "Chemotherapy: 21 days" under "Required washout ...:"
        body = s.clean_text or s.text
        if k in silent:  # "Chemotherapy" heading its lines, "See Disease Characteristics": no statement
            keys.append((body, None))
            found.append(())
            continue
        key = (body, heading if heading and len(heading) < 60 else None)
        keys.append(key)
        hit = _ATOMS_MEMO.get(key)
        found.append(hit)
        if hit is None:
            todo.append(len(found) - 1)
            items.append((body, extract_atoms(*key)))
    for i, atoms in zip(todo, _apply_context(items), strict=True):
        found[i] = done = tuple(atoms)
        with _ATOMS_MEMO_LOCK:
            while _ATOMS_MEMO and len(_ATOMS_MEMO) >= ATOMS_MEMO_SIZE:
                del _ATOMS_MEMO[next(iter(_ATOMS_MEMO))]
            if ATOMS_MEMO_SIZE > 0:
                _ATOMS_MEMO[keys[i]] = done
    criteria = [
        criterion(s.section, s.index, s.text, (s.start, s.end), atoms or (), s.parent_index)
        for s, atoms in zip(segments, found, strict=True)
    ]
    organised = organise(criteria, [s.cohort_hint for s in segments], [s.continues for s in segments])
    organised = in_section(organised)  # a line's own polarity, read in its section (criteria/polarity.py)
    organised = absences_kept_out(organised)  # "No unstable angina" among the exclusions
    organised = exclusion_sides(organised)  # a lost sign, on the side an exclusion names
    organised = item_lines(organised, heads)  # items under "uncontrolled illness including:"
    organised = negated_qualified_cancers(
        organised
    )  # "No stage IV breast cancer" (criteria/negated_phrase.py)
    organised = receptor_alternatives(organised)  # "ER-positive or triple-negative": one OR of statuses
    organised = excepted_cancers_dropped(organised)  # "(except breast cancer, melanoma)": none of the line's
    return permitted_cancers(restated_lines(treated_cancers(positivity_cutoffs(serology_tests(organised)))))


def criterion(
    section: Section,
    index: int,
    text: str,
    span: tuple[int, int] | None,
    atoms: Sequence[Atom],
    parent_index: int | None = None,
) -> Criterion:
    """A criterion from its atoms: those marked as its condition (`criteria/conditions.py`) go to
    `Criterion.condition`, the others state what it asks."""
    statement = tuple(a for a in atoms if not (a.attributes and a.attributes.get(ROLE) == CONDITION))
    condition = tuple(a for a in atoms if a.attributes and a.attributes.get(ROLE) == CONDITION)
    return Criterion(section, index, text, span, statement, parent_index, condition)


def parse_eligibility(text: str | None, default_section: Section = Section.INCLUSION) -> ParseResult:
    """Criteria of an eligibility text; never raises on bad input (empty, HTML, binary, huge)."""
    return parse_many([text], default_section)[0]


def parse_many(
    texts: Iterable[str | None], default_section: Section = Section.INCLUSION
) -> list[ParseResult]:
    results = []
    for text in texts:
        warnings = []
        t = text or ""
        if not isinstance(t, str):
            t = str(t)
        if len(t) > MAX_INPUT_CHARS:
            warnings.append(f"text cut to {MAX_INPUT_CHARS:,} characters (was {len(t):,})")
            t = t[:MAX_INPUT_CHARS]
        # French lines are parsed in the English wording (criteria/french.py), spans kept in the French text
        criteria = parse_french(t, lambda s: _criteria_of(segment(s, default_section)))
        if not criteria:
            warnings.append("no criteria found")
        results.append(ParseResult(criteria, warnings))
    return results


def parse_criterion(text: str, section: Section = Section.INCLUSION, index: int = 0) -> Criterion:
    """One criterion given on its own (no segmentation, no trial structure)."""
    atoms = _apply_context([(text, extract_atoms(text))])[0]
    return exclusion_sides(
        absences_kept_out(in_section([criterion(section, index, text, (0, len(text)), atoms)]))
    )[0]
