"""Build the trial corpus of the verdict dev set (BEIR/TrialGPT layout) from ../shared/data, in place.

Reads the three oncology trial sources of `../shared/data/trials/` without copying them into the
repository and writes ONE corpus file, one JSON object per line:
`{"_id", "title", "text", "metadata": {"inclusion_criteria", "exclusion_criteria", "source", ...}}`.

- `oncology-active-99/GS_data/GS_100_trials/100_trials_corpus.jsonl` (TrialGPT layout): kept as is;
  a missing `metadata.inclusion_criteria` / `exclusion_criteria` is filled by splitting `text` at its
  "Inclusion criteria:" / "Exclusion criteria:" parts.
- `sigir-judged-101/corpus.jsonl` (TrialGPT layout): kept as is (every trial, not only cancer ones:
  the corpus is also the candidate set, and the dev set pairs some notes with other diseases).
- `nli4ct-breast-cancer/NCT*.json` (one JSON per trial, an `Eligibility` list of lines): converted;
  the lines before the first exclusion heading are the inclusion criteria, the lines after it the
  exclusion criteria (trials written as one "eligibility" list, e.g. PDQ "DISEASE CHARACTERISTICS",
  keep every line under inclusion and an empty exclusion part).

A trial id present in two sources is written once (the first source above wins) and reported.

Run: .venv/bin/python -m benchmarks.verdicts_corpus OUT.jsonl [--data DIR] [--only-devset]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
DEVSET = ROOT / "benchmarks" / "data" / "verdicts-dev"
SOURCES = ("oncology-active-99", "sigir-judged-101", "nli4ct-breast-cancer")
ONCOLOGY99 = Path("trials/oncology-active-99/GS_data/GS_100_trials/100_trials_corpus.jsonl")
SIGIR101 = Path("trials/sigir-judged-101/corpus.jsonl")
NLI4CT = Path("trials/nli4ct-breast-cancer")

# "Inclusion criteria:" / "Exclusion criteria:" as TrialGPT writes them at the start of a line of `text`.
_TEXT_INCLUSION = re.compile(r"(?im)^Inclusion criteria:")
_TEXT_EXCLUSION = re.compile(r"(?im)^Exclusion criteria:")
# NLI4CT section headings. Led by the word: "Exclusion Criteria:", "EXCLUSION CRITERIA", "Key Inclusion
# Criteria:", "Exclusions", "Exclusion Criteria - Phase 1 (Cohort A):", "Inclusion Criteria: - first criterion".
_LEADING_HEADING = re.compile(
    r"(?i)^(?:main |key )?(?P<kind>inclusion|exclusion)s?(?: criteria)?(?P<rest>(?:\s*[:(\-].*)?|\s+[^:]{0,60}:?)$"
)
# Qualified: "4.2 Exclusion Criteria", "Q2W Exclusion Criteria:", "Registration and Randomization - Exclusion Criteria".
_QUALIFIED_HEADING = re.compile(r"(?i)^[^:.;]{0,50}?\b(?P<kind>inclusion|exclusion) criteria\b[^.;]{0,50}$")
# Words that make a line a sentence (a criterion), not a heading.
_SENTENCE_WORDS = re.compile(
    r"(?i)\b(?:must|will|are|is|be|been|excluded|included|eligible|not|no|who|with|may|could|apply|see"
    r"|fail\w*|deviations?)\b|^(?:inclusion|exclusion) of\b"
)


class CorpusError(Exception):
    """A source file that cannot be read as expected (the message names the file, record and field)."""


def split_trialgpt_text(text: str) -> tuple[str, str]:
    """The inclusion and exclusion parts of a TrialGPT `text` ('' when a part is absent)."""
    inc = _TEXT_INCLUSION.search(text)
    exc = _TEXT_EXCLUSION.search(text)
    if inc is None and exc is None:
        return "", ""
    if exc is None:
        assert inc is not None
        return text[inc.end() :].strip(), ""
    if inc is None or inc.start() > exc.start():
        return "", text[exc.end() :].strip()
    return text[inc.end() : exc.start()].strip(), text[exc.end() :].strip()


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise CorpusError(f"{path}:{number}: not valid JSON ({error.msg})") from error
            if not isinstance(record, dict) or not isinstance(record.get("_id"), str):
                raise CorpusError(f'{path}:{number}: expected a JSON object with a string "_id"')
            yield number, record


def trialgpt_trials(path: Path, source: str) -> Iterator[dict[str, Any]]:
    """Trials of a TrialGPT/BEIR corpus file, metadata criteria filled from `text` when missing."""
    for number, record in _read_jsonl(path):
        text = record.get("text")
        if not isinstance(text, str):
            raise CorpusError(f'{path}:{number}: trial {record["_id"]} has no string "text"')
        metadata = dict(record.get("metadata") or {})
        inc_text, exc_text = split_trialgpt_text(text)
        for field, value in (("inclusion_criteria", inc_text), ("exclusion_criteria", exc_text)):
            if not str(metadata.get(field) or "").strip():
                metadata[field] = value
        metadata["source"] = source
        yield {"_id": record["_id"], "title": record.get("title") or "", "text": text, "metadata": metadata}


def nli4ct_heading(line: str) -> tuple[str, str | None, bool] | None:
    """(section, first criterion on the heading's line or None, keep the line as a heading) or None."""
    lead = _LEADING_HEADING.match(line)
    if lead is not None:
        rest = lead.group("rest").strip()
        kind = lead.group("kind").lower()
        if rest.startswith(":") and rest[1:].strip():
            criterion = rest[1:].strip().lstrip("-").strip()
            return kind, criterion or None, False
        if not rest or rest == ":":
            return kind, None, False
        if not _SENTENCE_WORDS.search(line):
            return (
                kind,
                None,
                True,
            )  # a qualified heading ("- Phase 1 (Cohort A):"): keep it, it names a cohort
        return None
    qualified = _QUALIFIED_HEADING.match(line)
    if qualified is not None and len(line.split()) <= 10 and not _SENTENCE_WORDS.search(line):
        return qualified.group("kind").lower(), None, True
    return None


def split_nli4ct_eligibility(lines: list[str]) -> tuple[list[str], list[str]]:
    """Inclusion and exclusion lines of an NLI4CT `Eligibility` list (stripped, blank lines dropped).

    Each heading switches the section (trials with parts or cohorts alternate inclusion and exclusion
    headings); bare headings are dropped, qualified ones ("Exclusion Criteria - Phase 2 (Cohort B):")
    stay as the first line of their part. Lines before any heading are inclusion (PDQ-style lists).
    """
    sections: dict[str, list[str]] = {"inclusion": [], "exclusion": []}
    target = "inclusion"
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        heading = nli4ct_heading(line)
        if heading is None:
            sections[target].append(line)
            continue
        target, criterion, keep = heading
        if keep:
            sections[target].append(line)
        if criterion:
            sections[target].append(criterion)
    return sections["inclusion"], sections["exclusion"]


def nli4ct_trial(path: Path) -> dict[str, Any]:
    """One NLI4CT trial JSON as a TrialGPT/BEIR corpus record."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CorpusError(f"{path}: not valid JSON ({error.msg})") from error
    trial_id = record.get("Clinical Trial ID") if isinstance(record, dict) else None
    eligibility = record.get("Eligibility") if isinstance(record, dict) else None
    if not isinstance(trial_id, str) or not isinstance(eligibility, list):
        raise CorpusError(f'{path}: expected an object with "Clinical Trial ID" and an "Eligibility" list')
    inclusion, exclusion = split_nli4ct_eligibility([str(line) for line in eligibility])
    interventions = [str(line).strip() for line in record.get("Intervention") or [] if str(line).strip()]
    arms = [line for line in interventions if not re.match(r"(?i)^intervention \d+:?$", line)]
    title = arms[0] if arms else trial_id
    inc_text = "\n\n".join(inclusion)
    exc_text = "\n\n".join(exclusion)
    text = f"Interventions: {' '.join(arms)}\nInclusion criteria: {inc_text}\nExclusion criteria: {exc_text}"
    metadata = {
        "brief_title": title,
        "inclusion_criteria": inc_text,
        "exclusion_criteria": exc_text,
        "interventions": arms,
        "source": "nli4ct-breast-cancer",
    }
    return {"_id": trial_id, "title": title, "text": text, "metadata": metadata}


def all_trials(data: Path) -> Iterator[dict[str, Any]]:
    """Every trial of the three sources, in source order (duplicates included)."""
    for relative in (ONCOLOGY99, SIGIR101):
        path = data / relative
        if not path.is_file():
            raise CorpusError(f"missing source file {path}")
        yield from trialgpt_trials(path, relative.parts[1])
    folder = data / NLI4CT
    if not folder.is_dir():
        raise CorpusError(f"missing source folder {folder}")
    for path in sorted(folder.glob("*.json")):
        yield nli4ct_trial(path)


def devset_trial_ids(devset: Path = DEVSET) -> set[str]:
    """The trial ids named in the dev set's pair files."""
    ids: set[str] = set()
    for name in ("pairs.tsv", "oncology99-pairs.tsv"):
        path = devset / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines()[1:]:
                if line.strip():
                    ids.add(line.split("\t")[1])
    return ids


def build(data: Path, out: Path, only: set[str] | None = None) -> tuple[int, list[str]]:
    """Write the corpus to `out`; returns (trials written, ids skipped as duplicates)."""
    seen: set[str] = set()
    duplicates: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for trial in all_trials(data):
            if trial["_id"] in seen:
                duplicates.append(f"{trial['_id']} ({trial['metadata']['source']})")
                continue
            seen.add(trial["_id"])
            if only is not None and trial["_id"] not in only:
                continue
            handle.write(json.dumps(trial, ensure_ascii=False) + "\n")
    written = len(seen) if only is None else len(seen & only)
    return written, duplicates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="corpus file to write (e.g. var/verdicts-corpus.jsonl)")
    parser.add_argument("--data", type=Path, default=DATA, help=f"shared data folder (default {DATA})")
    parser.add_argument(
        "--only-devset", action="store_true", help="write only the trials the dev set's pair files name"
    )
    args = parser.parse_args(argv)
    if not (args.data / "trials").is_dir():
        print(
            f"error: reference data not found: {args.data / 'trials'} (the ../shared/data folder is not on "
            "this machine; pass --data DIR to point at a copy of it)",
            file=sys.stderr,
        )
        return 2
    if args.out.resolve().is_relative_to(DEVSET.resolve()):
        print(
            f"error: {args.out} is inside the dev set folder; write the corpus outside the repo data",
            file=sys.stderr,
        )
        return 2
    only = devset_trial_ids() if args.only_devset else None
    try:
        written, duplicates = build(args.data, args.out, only)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if duplicates:
        print(f"skipped {len(duplicates)} id(s) already read from an earlier source: {', '.join(duplicates)}")
    print(f"wrote {written} trials to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
