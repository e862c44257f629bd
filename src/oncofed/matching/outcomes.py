"""From atom truth values to criterion outcomes and trial verdicts: ONE implementation, used by the
per-patient evaluator (Python ints) and by the vectorised one (numpy columns over many patients).

Truth values are five, ordered so that AND is `min`, OR is `max` and NOT is `4 - x`:

    FALSE 0 · PRESUMED_FALSE 1 · UNKNOWN 2 · PRESUMED_TRUE 3 · TRUE 4

"Presumed" values come from the absence of a record in a history taken as complete (a drug that a
recorded treatment history does not list). A presumption may satisfy a criterion but never violates
one: one wrong exclusion hides a trial from a patient, so "not found in the record" is never a
reason to exclude (it is `unknown`, with what to check).

Criterion outcome codes: VIOLATED 0 · UNDECIDED 1 (`unknown`) · SATISFIED 2 · NOT_APPLICABLE 3.

Decision policy (`matching/trust.py`): a criterion read as violated excludes only when the reading
that violates it is of a kind (its origin crossed with an atom kind: "inclusion:ecog") in the trusted
table measured on labelled data; otherwise it is UNDECIDED, "read as not met: check it". The test is
the statement again with every untrusted atom of it read as UNKNOWN (`policy_holds`): still violated
means a trusted reading suffices (an inclusion's false trusted atom; an exclusion all of whose atoms
are trusted and true). An inclusion's cancer type is read per patient as the organ question or the
subtype question (`trust.reading_kind`, `vocab.another_organ`: the caller's `other_organ(atom)`).
One function for Python ints and numpy columns, like the rest of this module.
Trial verdict codes: EXCLUDED 0 · UNSURE 1 (`unknown`) · ELIGIBLE 2 · NOT_EVALUATED 3.

A violation the policy holds back is HELD (4) between `decided` and `resolve`: not an unknown (the engine
read something against the patient), not an exclusion. `resolve` chooses a patient's cohort by the cancer
reading whether or not it is trusted to exclude (choosing which cohort's lines apply excludes no one),
decides the verdict by the trusted readings, and returns HELD as UNDECIDED in the codes with a `held`
mask beside them: a patient UNSURE with a held criterion in force is "probably not eligible: check"
(`Resolution.probably_not`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from oncofed.criteria.coverage import coverage
from oncofed.domain import Atom, Criterion, Outcome, Section, TrialVerdict
from oncofed.matching import trust

FALSE, PRESUMED_FALSE, UNKNOWN, PRESUMED_TRUE, TRUE = 0, 1, 2, 3, 4
VIOLATED, UNDECIDED, SATISFIED, NOT_APPLICABLE = 0, 1, 2, 3
HELD = 4  # read as violated, held back by the decision policy (UNDECIDED once cohorts are resolved)
EXCLUDED, UNSURE, ELIGIBLE, NOT_EVALUATED = 0, 1, 2, 3

OUTCOMES = (Outcome.VIOLATED, Outcome.UNKNOWN, Outcome.SATISFIED, Outcome.NOT_APPLICABLE)
OUTCOME_CODE = {o: k for k, o in enumerate(OUTCOMES)}
VERDICTS = (TrialVerdict.EXCLUDED, TrialVerdict.UNKNOWN, TrialVerdict.ELIGIBLE, TrialVerdict.NOT_EVALUATED)

# the criterion's statement (truth value 0..4) -> its outcome, per section: presumptions never violate
INCLUSION_OUTCOME = (VIOLATED, UNDECIDED, UNDECIDED, SATISFIED, SATISFIED)
EXCLUSION_OUTCOME = (SATISFIED, SATISFIED, UNDECIDED, UNDECIDED, VIOLATED)
# the criterion's condition (truth value 0..4) x the outcome of its statement -> the outcome
CONDITIONED = (
    (NOT_APPLICABLE,) * 4,  # condition false: the criterion does not apply
    (NOT_APPLICABLE,) * 4,  # presumed false ("patients previously treated with X": X not recorded)
    (UNDECIDED, UNDECIDED, SATISFIED, NOT_APPLICABLE),  # unknown: only a satisfied statement stands
    (VIOLATED, UNDECIDED, SATISFIED, NOT_APPLICABLE),
    (VIOLATED, UNDECIDED, SATISFIED, NOT_APPLICABLE),
)
_INCLUSION = np.array(INCLUSION_OUTCOME, dtype=np.int8)
_EXCLUSION = np.array(EXCLUSION_OUTCOME, dtype=np.int8)
_CONDITIONED = np.array(CONDITIONED, dtype=np.int8)


def and_tri(a: int, b: int) -> int:
    """AND of two truth values (per patient; numpy columns use np.minimum)."""
    return a if a < b else b


def or_tri(a: int, b: int) -> int:
    """OR of two truth values (per patient; numpy columns use np.maximum)."""
    return a if a > b else b


def tri_of(holds: bool | None, presumed: bool = False) -> int:
    """The truth value of a decided (True/False) or undecided (None) statement."""
    if holds is None:
        return UNKNOWN
    if holds:
        return PRESUMED_TRUE if presumed else TRUE
    return PRESUMED_FALSE if presumed else FALSE


@dataclass(frozen=True)
class Plan:
    """A criterion compiled once (at index time): its ungrouped atoms, its OR groups, its condition."""

    inclusion: bool
    plain: tuple[Atom, ...]
    groups: tuple[tuple[Atom, ...], ...]
    condition: tuple[Atom, ...] = ()
    investigator: bool = False  # only atoms no record can decide (consent, opinion): never blocks
    cohort: str | None = None
    registry: bool = False  # from the registry's structured fields, not the eligibility text
    unread: str = ""  # a qualifier of the whole statement no atom read (criteria/coverage.py): never violated
    scope: str = ""  # the cohort the line names, not recognised (criteria/coverage.py): never violated
    capped: frozenset[int] = (
        frozenset()
    )  # id() of atoms followed by a qualifier no atom read: at most UNKNOWN
    capped_text: str = ""  # those qualifiers, for the reason shown
    # the cancers the line names (positive cancer_type atoms, conditions included), with
    # their codes: matching/cancer_lines.py reads a line naming another cancer of the trial as its cohort's
    cancers: tuple[tuple[Atom, frozenset[str]], ...] = ()
    # where the line comes from for the decision policy (matching/trust.py): inclusion, exclusion, registry
    origin: str = ""
    statement_ids: frozenset[int] = frozenset()  # id() of the statement's atoms (plain and grouped)
    whole: bool = True  # the line read whole (trust.read_whole): the `read` split of the kinds of reading

    @property
    def guarded(self) -> bool:
        """A criterion read in part or for an unrecognised cohort: "unknown" where it would be violated."""
        return bool(self.unread or self.scope)


def compile_plan(criterion: Criterion) -> Plan:
    read = coverage(criterion)
    groups: dict[object, list[Atom]] = {}
    plain: list[Atom] = []
    for atom in criterion.atoms:
        group = atom.attributes.get("group") if atom.attributes else None
        if group is None:
            plain.append(atom)
        else:
            groups.setdefault(group, []).append(atom)
    return Plan(
        criterion.section is Section.INCLUSION,
        tuple(plain),
        tuple(tuple(g) for g in groups.values()),
        criterion.condition,
        bool(criterion.atoms) and not criterion.evaluable,
        criterion.cohort,
        criterion.index < 0,
        read.unread,
        read.scope,
        frozenset(id(a) for a, _ in read.qualifiers),
        "; ".join(q for _, q in read.qualifiers),
        cancer_atoms(criterion),
        trust.origin(criterion),
        frozenset(id(a) for a in criterion.atoms),
        trust.read_whole(criterion, bool(read.qualifiers)),
    )


def cancer_atoms(criterion: Criterion) -> tuple[tuple[Atom, frozenset[str]], ...]:
    """The cancers a criterion names: positive (not negated, not hypothetical)
    `cancer_type` atoms of its statement and conditions, each with its OncoTree codes (upper case)."""
    out = []
    stack = [*criterion.atoms, *criterion.condition]
    while stack:
        a = stack.pop()
        stack.extend(a.condition)
        if a.kind != "cancer_type" or a.negated or a.hypothetical:
            continue
        raw = a.value if a.value is not None else a.code
        codes = frozenset(
            str(c).upper() for c in (raw if isinstance(raw, (list, tuple, set)) else [raw]) if c
        )
        if codes:
            out.append((a, codes))
    return tuple(out)


def statement(
    plan: Plan, value: Callable[[Atom], Any], and_: Callable[[Any, Any], Any], or_: Callable[[Any, Any], Any]
) -> Any:
    """The truth value of the criterion's statement: AND over the plain atoms and over the OR groups.

    `value(atom)` is an atom's truth value (an int, or a numpy column); `and_`/`or_` are `min`/`max`
    (or `np.minimum`/`np.maximum`). An atom with a condition reads "condition and statement" inside
    an OR group or in an exclusion ("QTc > 450 ms in men" excludes men only), "if condition then
    statement" alone in an inclusion. Python ints stop at the first FALSE.
    """
    if not plan.plain and not plan.groups:
        return UNKNOWN
    read = _capped(value, plan.capped, and_) if plan.capped else value
    acc: Any = TRUE
    for atom in plan.plain:
        acc = and_(acc, _term(atom, read, and_, or_, False, plan.inclusion))
        if acc is FALSE or (type(acc) is int and acc == FALSE):
            return FALSE
    for group in plan.groups:
        alt: Any = FALSE
        for atom in group:
            alt = or_(alt, _term(atom, read, and_, or_, True, plan.inclusion))
        acc = and_(acc, alt)
        if type(acc) is int and acc == FALSE:
            return FALSE
    return acc


def _capped(
    value: Callable[[Atom], Any], capped: frozenset[int], and_: Callable[[Any, Any], Any]
) -> Callable[[Atom], Any]:
    """An atom whose qualifier was not read (`Plan.capped`) shows at most that the criterion may hold."""

    def read(atom: Atom) -> Any:
        v = value(atom)
        return and_(v, UNKNOWN) if id(atom) in capped else v

    return read


def condition_value(
    atoms: Sequence[Atom], value: Callable[[Atom], Any], and_: Callable[[Any, Any], Any]
) -> Any:
    """All the condition's atoms hold; alternatives of one `group` ("for patients with liver, lung or
    bone metastases") hold when one does (OR by De Morgan on the ordered tri-state: TRUE - AND(TRUE - v))."""
    acc: Any = TRUE
    groups: dict[object, Any] = {}
    for atom in atoms:
        group = atom.attributes.get("group") if atom.attributes else None
        if group is None:
            acc = and_(acc, value(atom))
        else:
            groups[group] = and_(groups.get(group, TRUE), TRUE - value(atom))
    for none_holds in groups.values():
        acc = and_(acc, TRUE - none_holds)
    return acc


def _term(
    atom: Atom, value: Callable[[Atom], Any], and_: Any, or_: Any, grouped: bool, inclusion: bool
) -> Any:
    v = value(atom)
    if not atom.condition:
        return v
    c = condition_value(atom.condition, value, and_)
    return and_(c, v) if grouped or not inclusion else or_(TRUE - c, v)


def outcome_code(plan: Plan, holds: int, condition: int | None = None, guard: bool = True) -> int:
    """One patient's outcome code for the criterion (statement value `holds`, condition value); a
    guarded plan (`Plan.guarded`) is never violated (`guard=False`: the outcome before that rule).
    The decision policy comes after (`decided`)."""
    code = (INCLUSION_OUTCOME if plan.inclusion else EXCLUSION_OUTCOME)[holds]
    code = code if condition is None else CONDITIONED[condition][code]
    return UNDECIDED if guard and code == VIOLATED and plan.guarded else code


def policy_holds(
    plan: Plan,
    value: Callable[[Atom], Any],
    other_organ: Callable[[Atom], Any],
    and_: Callable[[Any, Any], Any],
    or_: Callable[[Any, Any], Any],
) -> Any:
    """The statement with every atom whose kind of reading is not trusted read as UNKNOWN (None: the
    strict policy, nothing held back). Only ever moves values toward UNKNOWN: violated here means
    violated on trusted readings alone. An inclusion's cancer type is two kinds of reading
    (`trust.reading_kind`): `other_organ(atom)` (a bool, or a bool column) says, per patient, whether
    the patient's cancer is in another organ than the atom's cancers (`cancer_organ`) or not
    (`cancer_type`: the subtype within the organ). The atoms of a condition are clamped by their own kind.
    """
    table = trust.policy()
    if table is None:
        return None
    ids = plan.statement_ids

    def clamped(atom: Atom) -> Any:
        kind = kind_key(plan, atom, trust.atom_kind(atom))
        if id(atom) not in ids:
            # an atom's condition ("... for patients with creatinine above normal", "female subjects who
            # must be ...") is a reading too: untrusted, it is UNKNOWN here, or its FALSE alone would make
            # the criterion violated with every statement atom held back (a table trusting nothing
            # excluded patients through their conditions: benchmarks/audit_policy.py)
            return value(atom) if trust.trusted(table, kind) else UNKNOWN
        if plan.inclusion and trust.organ_codes(atom):
            organ = trust.trusted(table, kind_key(plan, atom, trust.ORGAN))
            # one of the two questions trusted: which one is this patient's
            if organ != trust.trusted(table, kind):
                outside = other_organ(atom)
                keep = outside if organ else np.logical_not(outside)
                if isinstance(keep, np.ndarray):
                    return np.where(keep, value(atom), UNKNOWN).astype(np.int8)
                return value(atom) if keep else UNKNOWN
            return value(atom) if organ else UNKNOWN
        return value(atom) if trust.trusted(table, kind) else UNKNOWN

    return statement(plan, clamped, and_, or_)


def decided(
    plan: Plan,
    code: int,
    value: Callable[[Atom], Any],
    other_organ: Callable[[Atom], Any],
    condition: int | None = None,
) -> int:
    """One patient's outcome after the decision policy: a violation no trusted reading makes is HELD
    (read as not met: check it; UNDECIDED in the outcomes shown)."""
    if code != VIOLATED:
        return code
    trusted_holds = policy_holds(plan, value, other_organ, and_tri, or_tri)
    if trusted_holds is None or outcome_code(plan, int(trusted_holds), condition) == VIOLATED:
        return code
    return HELD


def decided_column(
    plan: Plan,
    codes: np.ndarray,
    value: Callable[[Atom], Any],
    other_organ: Callable[[Atom], Any],
    condition: np.ndarray | None = None,
) -> np.ndarray:
    """`decided` over a column of patients (the same statement on numpy columns)."""
    violated = codes == VIOLATED
    if not violated.any():
        return codes
    trusted_holds = policy_holds(plan, value, other_organ, np.minimum, np.maximum)
    if trusted_holds is None:
        return codes
    again = outcome_column(
        plan, np.broadcast_to(np.asarray(trusted_holds, dtype=np.int8), codes.shape), condition
    )
    return np.where(violated & (again != VIOLATED), np.int8(HELD), codes).astype(np.int8)


def outcome_column(plan: Plan, holds: np.ndarray, condition: np.ndarray | None = None) -> np.ndarray:
    """`outcome_code` over a column of patients (same tables, same guard)."""
    codes = (_INCLUSION if plan.inclusion else _EXCLUSION)[holds]
    codes = codes if condition is None else _CONDITIONED[condition, codes]
    if plan.guarded:
        codes = np.where(codes == VIOLATED, np.int8(UNDECIDED), codes).astype(np.int8)
    return codes


def culprits(
    plan: Plan, value: Callable[[Atom], int], other_organ: Callable[[Atom], bool]
) -> tuple[str, ...]:
    """The kinds of reading ("inclusion:ecog") that make one patient's criterion violated: an
    inclusion's false atoms (and the atoms of a false OR group; a cancer type in another organ than
    the patient's is `cancer_organ`, `trust.reading_kind`), an exclusion's atoms (all true)."""
    if plan.inclusion:
        atoms = [a for a in plan.plain if _term(a, value, and_tri, or_tri, False, True) == FALSE]
        for group in plan.groups:
            if all(_term(a, value, and_tri, or_tri, True, True) == FALSE for a in group):
                atoms.extend(group)
        kinds = {kind_key(plan, a, trust.reading_kind(a, bool(other_organ(a)))) for a in atoms}
    else:
        kinds = {kind_key(plan, a, trust.atom_kind(a)) for g in ([*plan.plain], *plan.groups) for a in g}
    return tuple(sorted(kinds))


def kind_key(plan: Plan, atom: Atom, kind: str) -> str:
    """The key of an atom's kind of reading ("exclusion:lab", "exclusion:lab/whole" when the kinds are
    split by what the engine knows of the line: `trust.SPLITS`, the split in force `trust.split()`)."""
    return trust.key(plan.origin, kind, trust.part(atom, plan.whole, bool(plan.condition)))


# --- cohorts and the trial verdict ----------------------------------------------------------------


COHORT_JOIN = " — "  # nested cohort labels: "Part B — TNBC" (see criteria/structure.py)


@dataclass(frozen=True)
class CohortPlan:
    """A trial's criteria as cohorts: `labels` are the leaf cohorts; `member[k, j]` says whether
    criterion k applies in cohort j (criteria without cohort apply everywhere; a label applies to
    itself and to the cohorts nested under it, "Part B" to "Part B — TNBC"); `blocking[k]` whether an
    unknown there keeps the trial from `eligible` (not investigator-only)."""

    labels: tuple[str, ...]
    member: np.ndarray
    blocking: np.ndarray
    registry: np.ndarray
    parsed: bool
    # a line names a cohort the structure reader did not recognise: cohort lines alone never exclude
    incomplete: bool = False

    @property
    def common(self) -> np.ndarray:
        return np.asarray(self.member.all(axis=1)) if self.labels else np.ones(len(self.blocking), dtype=bool)


MAIN_PERIOD = "main study period"
# periods a patient enters from this study (cross-over, extension, continuation, re-treatment): never the
# population of a new patient
_LATER_PERIOD = re.compile(
    r"cross-?\s?over|open[\s-]+label\s+extension|extension\s+(?:period|phase|study|stage)|continuation|"
    r"re-?\s?treatment|re-?\s?challenge|roll-?\s?over",
    re.IGNORECASE,
)
# cohorts a trial adds to its main population ("Additional Breast Cancer Patient Subset (Part 2 and Part 3)",
# "Optional sub-study", "Additional expansion cohort"): when every cohort is one, the common criteria alone are
# the main population, a leaf of its own
_ADDITION = re.compile(r"\b(?:additional|optional|sub-?stud(?:y|ies)|subsets?)\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(cohort|arm|part|group|stratum|module|basket)s\b")
_SEPARATOR = re.compile(r"\s*(?:,|&|\+|/|\band\b|\bor\b)\s*")


def cohort_key(label: str) -> str:
    """A cohort label as compared: case, plurals, "for", and list separators do not matter ("Cohorts A
    and B (Recruitment Closed)" is "For cohorts A, B (Recruitment Closed)")."""
    out = []
    for part in label.split(COHORT_JOIN):
        x = re.sub(r"^\W*for\s+(?:the\s+)?", "", part.strip().lower())
        x = _SEPARATOR.sub(",", _PLURAL.sub(r"\1", x))
        out.append(re.sub(r"\s+", " ", x).strip(" :.-–,"))
    return COHORT_JOIN.join(out)


def _applies(label: str, leaf: str) -> bool:
    return leaf == label or leaf.startswith(label + COHORT_JOIN)


_MEMBERS = re.compile(
    r"^(?P<head>.*\b(?:cohort|arm|part|group|stratum|module|basket))\s*(?P<ids>[\w.]+(?:,[\w.]+)+)$"
)


def _expand(key: str) -> list[str]:
    """A label naming several cohorts ("expansion cohort 1,3") as the labels of each one."""
    *outer, last = key.split(COHORT_JOIN)
    m = _MEMBERS.match(last)
    if not m:
        return [key]
    return [COHORT_JOIN.join([*outer, f"{m.group('head')} {x}"]) for x in m.group("ids").split(",")]


def cohort_plan(plans: Sequence[Plan]) -> CohortPlan:
    """Leaf cohorts and which criteria apply in each (see `CohortPlan`). Labels are compared by
    `cohort_key`; a label only exclusion criteria use, naming no inclusion cohort, does not make a
    cohort of its own (its criteria apply in every cohort); cohorts of a later study period (cross-over,
    extension) are no population for a new patient: with other cohorts they are none of the leaves,
    alone they sit beside the main study period (the common criteria only); so do cohorts that each say they
    are an addition to the main population ("Additional ... Subset", "Optional sub-study")."""
    keys = [cohort_key(p.cohort) if p.cohort is not None else None for p in plans]
    shown: dict[str, str | None] = {}
    for p, k in zip(plans, keys, strict=True):
        if k is not None:
            for e in _expand(k):
                shown.setdefault(e, p.cohort if e == k else e)
    named = list(dict.fromkeys(e for k in keys if k is not None for e in _expand(k)))
    included = {k for p, k in zip(plans, keys, strict=True) if k is not None and p.inclusion}
    if included:  # exclusion-only labels: resolved against the inclusion cohorts, else common
        keys = [
            k if k is None or not _orphan(k, included) or p.inclusion else None
            for p, k in zip(plans, keys, strict=True)
        ]
        kept = {e for k in keys if k is not None for e in _expand(k)}
        named = [k for k in named if k in kept]
    later = {k for k in named if _LATER_PERIOD.search(k)}
    regular = [k for k in named if k not in later]
    candidates = regular if regular else named
    leaves = [x for x in candidates if not any(y != x and _applies(x, y) for y in candidates)]
    if (later and not regular) or (leaves and all(_ADDITION.search(x) for x in leaves)):
        leaves.append(MAIN_PERIOD)
    member = np.ones((len(plans), len(leaves)), dtype=bool)
    for row, key in enumerate(keys):
        if key is not None:
            member[row] = [
                leaf != MAIN_PERIOD and any(_applies(e, leaf) for e in _expand(key)) for leaf in leaves
            ]
    registry = np.array([p.registry for p in plans], dtype=bool)
    blocking = np.array([not p.investigator for p in plans], dtype=bool)
    labels = tuple(shown.get(x, x) or x for x in leaves)
    incomplete = any(p.scope for p in plans)
    return CohortPlan(labels, member, blocking, registry, bool(len(plans)) and not registry.all(), incomplete)


def _orphan(key: str, included: set[str]) -> bool:
    """Whether an exclusion's cohort label names none of the inclusion cohorts (nor a part of one)."""
    return not any(
        _applies(e, i) or _applies(i, e) for e in _expand(key) for k in included for i in _expand(k)
    )


@dataclass(frozen=True)
class Resolution:
    """Outcome codes with cohorts resolved (criteria of cohorts other than the patient's best one are
    NOT_APPLICABLE unless every cohort is ruled out by a reading), the verdict code and the cohort
    index (-1: none) per patient; `held` (criteria x patients) marks the UNDECIDED codes that were read
    as violated and held back by the decision policy, `ruled_out` the patients every cohort of whom
    has a criterion read as violated (held or not)."""

    codes: np.ndarray
    verdict: np.ndarray
    cohort: np.ndarray
    held: np.ndarray | None = None
    ruled_out: np.ndarray | None = None

    @property
    def probably_not(self) -> np.ndarray:
        """Per patient: not excluded, not eligible, and a criterion in force read as not met (held back):
        "probably not eligible — to check", apart from the possible ones."""
        if self.held is None:
            return np.zeros(self.verdict.shape, dtype=bool)
        return np.asarray((self.verdict == UNSURE) & self.held.any(axis=0))


def _status(violated: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    return np.where(violated, EXCLUDED, np.where(unknown, UNSURE, ELIGIBLE)).astype(np.int8)


def resolve(codes: np.ndarray, plan: CohortPlan, ruled: np.ndarray | None = None) -> Resolution:
    """The trial verdict of each patient from its criteria x patients outcome codes (see module doc).
    `ruled` (cohorts x patients, `cancer_lines.cohort_ruled`): the cancer reading says the cohort is
    not the patient's (its own line names only cancers the patient's is not). The cohort is chosen by
    that reading first, trusted to exclude or not (choosing which cohort's lines apply excludes no one),
    then as before; the verdict is decided by the trusted readings. When every cohort is ruled out, by
    the cancer reading or by a line of its own read as not met (held back or not), no cohort is chosen
    and every line stays shown."""
    codes = np.asarray(codes, dtype=np.int8)
    if codes.ndim == 1:  # one patient
        codes = codes[:, None]
    n = codes.shape[1]
    none = np.full(n, -1, dtype=np.int64)
    held = codes == HELD
    shown = np.where(held, np.int8(UNDECIDED), codes).astype(np.int8) if held.any() else codes
    violated = codes == VIOLATED
    read = violated | held
    unknown = (shown == UNDECIDED) & plan.blocking[:, None]
    if not plan.parsed:  # registry fields only: a violated one still excludes, else not evaluated
        verdict = np.where(violated.any(axis=0), EXCLUDED, NOT_EVALUATED).astype(np.int8)
        return Resolution(shown, verdict, none, held, read.any(axis=0))
    if not plan.labels:
        verdict = _status(violated.any(axis=0), unknown.any(axis=0))
        return Resolution(shown, verdict, none, held, read.any(axis=0))
    statuses, ranks, out = [], [], []
    specific = ~plan.common
    for j in range(len(plan.labels)):
        rows = plan.member[:, j]
        v_j, u_j = violated[rows].sum(axis=0), unknown[rows].sum(axis=0)
        status = _status(v_j > 0, u_j > 0)
        statuses.append(status)
        gone = read[rows & specific].any(axis=0)
        if ruled is not None:
            gone = gone | ruled[j]
        out.append(gone)
        # best cohort: one the cancer reading does not rule out, then highest status, then fewest
        # violated, then fewest unknown criteria (first wins)
        mine = np.ones(n, dtype=np.int64) if ruled is None else (~ruled[j]).astype(np.int64)
        ranks.append(mine * 100_000_000 + status.astype(np.int64) * 1_000_000 - v_j * 1000 - u_j)
    best = np.argmax(np.vstack(ranks), axis=0)
    verdict = np.vstack(statuses)[best, np.arange(n)]
    # excluded, or every cohort ruled out by a reading: no cohort chosen, every line shown
    keep = (verdict != EXCLUDED) & ~np.vstack(out).all(axis=0)
    ruled_out = ~keep
    if plan.incomplete:
        # the trial names a cohort that was not recognised: ruled out of every recognised cohort by
        # cohort lines only, the patient may belong to that one ("unknown / possibly another cohort")
        rescued = ruled_out & ~read[plan.common].any(axis=0)
        verdict = np.where(rescued, UNSURE, verdict)
        ruled_out = ruled_out & ~rescued
    other = ~plan.member[:, best] & keep[None, :]  # criteria that do not apply in the chosen cohort
    resolved = shown.copy()
    resolved[other] = NOT_APPLICABLE
    return Resolution(resolved, verdict.astype(np.int8), np.where(keep, best, -1), held & ~other, ruled_out)


def verdict_of(code: int) -> TrialVerdict:
    return VERDICTS[int(code)]
