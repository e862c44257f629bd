"""`oncofed eval verdicts`: eligibility verdicts for (patient note, trial) pairs, on public formats.

The same pipeline as `oncofed match` and pre-screening: the note becomes a profile through the notes
importer's extractor (`ingest/patients/notes.py`), a trial's criteria come from the one criteria
service (`services/trials/criteria.py`: registry fields + the parser), the trial is assessed by the
one evaluator (`matching/assess.py`) and scored by the one score function (`matching/rank.py`).

Inputs: BEIR queries (`{"_id", "text"}`), a BEIR/TrialGPT corpus (criteria in
`metadata.inclusion_criteria` / `metadata.exclusion_criteria`, or in `text` after "Inclusion
criteria:" / "Exclusion criteria:"), and qrels-style pairs (`query-id corpus-id score`; with the
TREC convention 2 eligible, 1 excluded, the summary scores the verdicts). One output line per pair;
a pair that cannot be evaluated (unknown id, empty note, no criteria) is a `not_evaluated` line with
its reason, never a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from oncofed.domain import Outcome, PatientProfile, Section, Trial, TrialStatus, TrialVerdict
from oncofed.ingest import beir_trec, jsonl
from oncofed.ingest.errors import RecordError
from oncofed.ingest.trials.beir import corpus_record_to_trial, eligibility_from
from oncofed.matching.assess import assess_trial, ranking_assess
from oncofed.matching.atoms import AtomResult
from oncofed.matching.facts import PatientView
from oncofed.matching.outcomes import cohort_plan, compile_plan
from oncofed.matching.rank import trial_score
from oncofed.matching.retrieve import TrialIndex
from oncofed.services.trials.criteria import criteria_by_trial

LABELS = {2: "eligible", 1: "excluded"}  # TREC convention; 0 (or anything else): unlabelled
Progress = Callable[[int, int], None]
_TEXT_PARTS = re.compile(r"(?is)inclusion criteria:(?P<inc>.*?)(?:exclusion criteria:(?P<exc>.*))?$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Pair:
    query_id: str
    corpus_id: str
    grade: int

    @property
    def label(self) -> str | None:
        return LABELS.get(self.grade)


@dataclass
class VerdictInputs:
    queries: dict[str, str]
    trials: dict[str, Trial]
    pairs: list[Pair]
    corpus_errors: dict[str, str] = field(default_factory=dict)


def trial_of_document(doc: dict[str, Any]) -> Trial:
    """A corpus line as the importer reads it (`oncofed import trials`), criteria taken from `text`
    when the metadata has none; every trial counts as open (the pairs say which are asked)."""
    trial = corpus_record_to_trial(doc)
    if not trial.eligibility_text.strip():
        m = _TEXT_PARTS.search(str(doc.get("text") or ""))
        if m:
            trial = replace(trial, eligibility_text=eligibility_from(m.group("inc"), m.group("exc") or ""))
    return replace(trial, status=TrialStatus.RECRUITING)


def load_inputs(queries: Path, corpus: Path, pairs: Path) -> VerdictInputs:
    """Read the three files; malformed files raise `InputError` naming the line and the fix."""
    qs = {q["_id"]: str(q.get("text") or "") for q in beir_trec.read_queries(queries)}
    qrels = beir_trec.read_qrels(pairs)
    wanted = {did for per in qrels.values() for did in per}
    trials: dict[str, Trial] = {}
    errors: dict[str, str] = {}
    for doc in beir_trec.read_corpus(corpus):
        if doc["_id"] not in wanted:
            continue
        try:
            trials[doc["_id"]] = trial_of_document(doc)
        except RecordError as exc:  # one unreadable trial: its pairs say why, the others go on
            errors[doc["_id"]] = f"unreadable corpus record ({exc})"
    out = [Pair(qid, did, grade) for qid, per in qrels.items() for did, grade in per.items()]
    return VerdictInputs(qs, trials, out, errors)


def note_profile(text: str, note_id: str) -> PatientProfile:
    """The notes importer's extractor: the profile `oncofed match NOTE` and `import patients` build."""
    from oncofed.ingest.patients.notes import extract

    profile = extract(text, note_id, "note")
    profile.id = profile.id or note_id
    return profile


def note_day(profile: PatientProfile, day: date | None = None) -> date | None:
    """The day a note is evaluated on: the date it speaks from (its visit date, else the latest date it
    names; `ingest/patients/notes/dates.py`), so that "DVT 6 weeks ago" and "within 3 months" are read
    on one calendar. None when the note names no date (then `--day`, else today). A `day` given
    explicitly before the note's date does not move it back."""
    found = next((f.when for f in profile.facts if f.kind == "note" and f.when), None)
    if found is None:
        return None
    return found if day is None or day >= found else day


def _line(pair: Pair, verdict: TrialVerdict, score: float, **extra: Any) -> dict[str, Any]:
    return {"query-id": pair.query_id, "corpus-id": pair.corpus_id, "verdict": verdict.value,
            "score": round(score, 6), **extra}  # fmt: skip


def evaluate_pairs(
    inputs: VerdictInputs, day: date | None = None, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """One output line per pair, in the pairs' order (see the module docstring)."""
    on = day or date.today()
    criteria = criteria_by_trial(list(inputs.trials.values()))
    plans = {tid: [compile_plan(c) for c in cs] for tid, cs in criteria.items()}
    index = TrialIndex(inputs.trials.values(), criteria_of=lambda t: [], open_only=False)
    position = {e.trial.id: k for k, e in enumerate(index.entries)}
    by_query: dict[str, list[Pair]] = {}
    for p in inputs.pairs:
        by_query.setdefault(p.query_id, []).append(p)
    lines: dict[Pair, dict[str, Any]] = {}
    done = 0
    for qid, pairs in by_query.items():
        text = inputs.queries.get(qid)
        reason = None
        if text is None:
            reason = f"query {qid!r} is not in the queries file"
        elif not text.strip():
            reason = "empty note: nothing to evaluate"
        if reason is not None:
            for p in pairs:
                lines[p] = _line(
                    p, TrialVerdict.NOT_EVALUATED, trial_score([], [], 3), reason=reason, criteria=[]
                )
            done += len(pairs)
            if progress:
                progress(done, len(inputs.pairs))
            continue
        assert text is not None
        profile = note_profile(text, qid)
        view = PatientView.of(profile)
        note_on = note_day(profile, day) or on
        # the ranker's relevance of each paired trial for this note (comparable across its trials)
        known = list(dict.fromkeys(position[p.corpus_id] for p in pairs if p.corpus_id in position))
        scores: Any = index.relevance(known, profile, note_on, text) if known else []
        relevance = {index.entries[k].trial.id: float(r) for k, r in zip(known, scores, strict=True)}
        cache: dict[int, AtomResult] = {}
        for p in pairs:
            lines[p] = _assess_pair(p, inputs, criteria, plans, view, note_on, cache, relevance)
            done += 1
            if progress:
                progress(done, len(inputs.pairs))
    return [lines[p] for p in inputs.pairs]


def _assess_pair(
    p: Pair,
    inputs: VerdictInputs,
    criteria: dict[str, Any],
    plans: dict[str, Any],
    view: PatientView,
    on: date,
    cache: dict[int, AtomResult],
    relevance: dict[str, float],
) -> dict[str, Any]:
    trial = inputs.trials.get(p.corpus_id)
    if trial is None:
        reason = inputs.corpus_errors.get(p.corpus_id) or f"trial {p.corpus_id!r} is not in the corpus"
        return _line(p, TrialVerdict.NOT_EVALUATED, trial_score([], [], 3), reason=reason, criteria=[])
    cs = criteria.get(trial.id, [])
    compiled = plans.get(trial.id) or [compile_plan(c) for c in cs]
    a = assess_trial(cs, view, on, cache, compiled)
    # the score counts the engine's full reading, as the ranker does (held-back violations too)
    codes, verdict = ranking_assess(compiled, cohort_plan(compiled), view, on, cache)
    inclusion = [c.section is Section.INCLUSION for c in cs]
    score = trial_score(codes.tolist(), inclusion, verdict, relevance.get(trial.id, 0.0))
    extra: dict[str, Any] = {"cohort": a.cohort}
    if a.probably_not:  # not excluded, but a criterion read as not met was held back: "probably not — check"
        extra["probably_not"] = True
    if a.reason:
        extra["reason"] = a.reason
    extra["criteria"] = [
        {
            "section": o.criterion.section.value,
            "text": o.criterion.text,
            "outcome": o.outcome.value,
            "evidence": o.sentence,
            **({"cohort": o.criterion.cohort} if o.criterion.cohort else {}),
            # read as violated: the kinds of reading (matching/trust.py), and whether the policy held it back
            **({"reading": list(o.reading)} if o.reading else {}),
            **({"held_back": True} if o.held_back else {}),
        }
        for o in a.outcomes
    ]
    return _line(p, a.verdict, score, **extra)


def write_lines(path: Path, lines: Iterable[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            n += 1
    return n


# --- scoring against labels ------------------------------------------------------------------------


def read_expected(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """expected.jsonl of the dev set: per (query-id, corpus-id), the label and the failing criterion."""
    rows = jsonl.read_objects(
        path, what="expected-verdicts", need=("query-id", "corpus-id"), empty_ok=True,
        fix='one JSON object per line with "query-id", "corpus-id", "label", "failing_criterion"',
    )  # fmt: skip
    return {(str(row["query-id"]), str(row["corpus-id"])): row for row in rows}


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def _names_failing(line: dict[str, Any], failing: dict[str, Any] | None, outcome: Outcome) -> bool:
    """Whether one of the line's criteria with `outcome` is the named failing criterion (its quote,
    compared after collapsing white space, in its section when the label gives one)."""
    if not failing:
        return False
    quote = _norm(str(failing.get("quote") or ""))
    section = failing.get("section")
    return bool(quote) and any(
        c["outcome"] == outcome.value
        and quote in _norm(c["text"])
        and (section is None or c["section"] == section)
        for c in line.get("criteria", [])
    )


def named_violation(line: dict[str, Any], failing: dict[str, Any] | None) -> bool:
    """Whether one of the line's violated criteria is the named failing criterion (its quote)."""
    return _names_failing(line, failing, Outcome.VIOLATED)


def named_to_check(line: dict[str, Any], failing: dict[str, Any] | None) -> bool:
    """Whether the named failing criterion is among the line's criteria to check (`unknown`): a failure
    the verdict does not exclude but flags, e.g. a reading the decision policy held back."""
    return _names_failing(line, failing, Outcome.UNKNOWN)


def summarise(
    lines: Sequence[dict[str, Any]],
    pairs: Sequence[Pair],
    expected: dict[tuple[str, str], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Counts of verdicts and, for labelled pairs, how often the verdict agrees with the label; with
    `expected`, failures excluded with the named criterion violated, and failures flagged (excluded,
    or the named criterion among those to check)."""
    verdicts = {v.value: 0 for v in TrialVerdict}
    for line in lines:
        verdicts[line["verdict"]] += 1
    elig = [ln for ln, p in zip(lines, pairs, strict=True) if p.label == "eligible"]
    excl = [(ln, p) for ln, p in zip(lines, pairs, strict=True) if p.label == "excluded"]
    out: dict[str, Any] = {"pairs": len(lines), "verdicts": verdicts}
    if elig or excl:
        kept = sum(1 for ln in elig if ln["verdict"] != "excluded")
        caught = sum(1 for ln, _ in excl if ln["verdict"] == "excluded")
        out["eligible_pairs"] = len(elig)
        out["eligible_not_excluded"] = kept
        out["eligible_marked_eligible"] = sum(1 for ln in elig if ln["verdict"] == "eligible")
        out["excluded_pairs"] = len(excl)
        out["excluded_caught"] = caught
        # pre-screening's triage: eligible left among the plausible candidates, failures set apart from them
        out["eligible_probably_not"] = sum(1 for ln in elig if ln.get("probably_not"))
        out["excluded_apart"] = sum(
            1 for ln, _ in excl if ln["verdict"] == "excluded" or ln.get("probably_not")
        )
        rates = [kept / len(elig)] if elig else []
        rates += [caught / len(excl)] if excl else []
        out["balanced_accuracy"] = sum(rates) / len(rates)
        if expected is not None and excl:
            named = sum(
                1
                for ln, p in excl
                if ln["verdict"] == "excluded"
                and named_violation(
                    ln, (expected.get((p.query_id, p.corpus_id)) or {}).get("failing_criterion")
                )
            )
            out["excluded_with_named_criterion"] = named
            out["excluded_flagged"] = sum(
                1
                for ln, p in excl
                if ln["verdict"] == "excluded"
                or named_to_check(
                    ln, (expected.get((p.query_id, p.corpus_id)) or {}).get("failing_criterion")
                )
            )
    return out
