"""MatchMiner clinical and genomic records (JSON, CSV, MongoDB extended JSON) -> patient profiles.

This module reads the files and the clinical record; a genomic record's facts are
`matchminer_genomic.py`'s.

Clinical and genomic records usually come in separate files; every file of one import is read
first, then genomic rows are joined to their clinical record by `CLINICAL_ID` (the clinical
`_id`) or `SAMPLE_ID`. Field names follow the MatchMiner data model (matchminer-engine docs).
Fields the importer does not map are kept on the profile as `record_field` facts, never dropped.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from oncofed.domain import PatientProfile
from oncofed.errors import N_, NN_, part
from oncofed.ingest import extjson
from oncofed.ingest.patients.common import (
    Collector,
    ParsedRecord,
    fact,
    finish_profile,
    oncotree_lookup,
    oncotree_name,
)
from oncofed.ingest.patients.dates import parse_date
from oncofed.ingest.patients.matchminer_genomic import genomic_facts, keep_unused, mmr_fact

GENOMIC_KEYS = {
    "CLINICAL_ID",
    "VARIANT_CATEGORY",
    "HARMONIZED_HUGO_SYMBOL",
    "TRUE_HUGO_SYMBOL",
    "GENOMIC_KEY",
}
CLINICAL_USED = {
    "_id",
    "SAMPLE_ID",
    "MRN",
    "FIRST",
    "LAST",
    "GENDER",
    "BIRTH_DATE",
    "BIRTH_DATE_INT",
    "ONCOTREE_PRIMARY_DIAGNOSIS_NAME",
    "VITAL_STATUS",
    "REPORT_DATE",
    "MMR_STATUS",
    "TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE",
    "PANEL_VERSION",
    "_updated",
}
NO_DIAGNOSIS = {
    "",
    "na",
    "diagnosis pending",
    "diagnosis pending - new",
    "diagnosis unavailable",
    "no oncotree node found",
}


def is_matchminer_csv(header: list[str]) -> bool:
    return "SAMPLE_ID" in header


def _records_of(path: Path, issues: Collector) -> list[tuple[int, dict[str, Any]]]:
    """(record number in the file, record) of every readable record; the others are issues."""
    if path.suffix.lower() == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                return [
                    (n, {k: (v if v != "" else None) for k, v in row.items() if k})
                    for n, row in enumerate(csv.DictReader(fh), start=1)
                ]
        except (UnicodeDecodeError, csv.Error) as exc:
            issues.error(
                "",
                "",
                N_("not UTF-8 text")
                if isinstance(exc, UnicodeDecodeError)
                else N_("not a readable CSV file (%(detail)s)"),
                N_("save the file as CSV, UTF-8 encoded"),
                "import.matchminer_csv",
                detail=str(exc),
            )
            return []
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        issues.error(
            "",
            "",
            N_("invalid JSON: %(detail)s at line %(line)s"),
            N_("fix the JSON syntax"),
            "import.matchminer_json",
            detail=exc.msg,
            line=exc.lineno,
        )
        return []
    rows = data if isinstance(data, list) else [data]
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            issues.error(
                f"record {i + 1}",
                "",
                N_("not a JSON object"),
                N_("each record must be an object"),
                "import.matchminer_not_object",
            )
            continue
        try:
            out.append((i + 1, {k: extjson.decode(v, str(k)) for k, v in row.items()}))
        except extjson.ExtJsonError as exc:  # a malformed $date / $oid / $number...: the record is refused
            issues.error(
                f"record {i + 1}", exc.field, N_("malformed extended JSON: %(detail)s"), exc.fix_template,
                exc.code, detail=part(exc.template, **exc.params), example=exc.params["example"],
            )  # fmt: skip
    return out


def _is_genomic(path: Path, row: dict[str, Any]) -> bool:
    return bool(GENOMIC_KEYS & row.keys()) or "genomic" in path.name.lower()


def parse_files(paths: Iterable[Path]) -> Iterator[ParsedRecord]:
    clinical: list[tuple[str, int, dict[str, Any]]] = []
    genomic: list[tuple[str, int, dict[str, Any]]] = []
    for path in paths:
        file_issues = Collector(path.name, "file")
        rows = _records_of(path, file_issues)
        for issue in file_issues.issues:
            yield ParsedRecord(path.name, issue.resource or "file", None, [issue], source="matchminer")
        for n, row in rows:
            (genomic if _is_genomic(path, row) else clinical).append((path.name, n, row))
    by_key: dict[str, list[tuple[str, int, dict[str, Any]]]] = {}
    for item in genomic:
        row = item[2]
        key = str(row.get("CLINICAL_ID") or row.get("SAMPLE_ID") or "")
        by_key.setdefault(key, []).append(item)
    used: set[str] = set()
    for file, n, row in clinical:
        keys = [str(row.get("_id") or ""), str(row.get("SAMPLE_ID") or "")]
        linked: list[tuple[str, int, dict[str, Any]]] = []
        for key in keys:
            if key and key in by_key and key not in used:
                linked.extend(by_key[key])
                used.add(key)
        yield _clinical(file, n, row, linked)
    for key, items in by_key.items():
        if key not in used:
            file, n, _ = items[0]
            issues = Collector(file, f"row {n}")
            issues.error(
                "genomic",
                "CLINICAL_ID" if key else "SAMPLE_ID",
                NN_(
                    "%(num)s genomic record for sample %(sample)s without a clinical record",
                    "%(num)s genomic records for sample %(sample)s without a clinical record",
                ),
                N_("import the clinical file together with the genomic file"),
                "import.matchminer_orphan",
                num=len(items),
                sample=key or "(none)",
            )
            yield ParsedRecord(file, f"sample {key}", None, issues.issues, source="matchminer")


def _clinical(
    file: str, n: int, row: dict[str, Any], genomic: list[tuple[str, int, dict[str, Any]]]
) -> ParsedRecord:
    sample = str(row.get("SAMPLE_ID") or "").strip()
    issues = Collector(file, f"row {n}" + (f" (sample {sample})" if sample else ""))
    if not sample:
        issues.error(
            "clinical",
            "SAMPLE_ID",
            N_("missing sample id"),
            N_("every MatchMiner record needs SAMPLE_ID"),
            "import.matchminer_no_sample",
        )
        return ParsedRecord(file, f"row {n}", None, issues.issues, source="matchminer")
    source, rec = f"matchminer:{file}", f"row {n}"
    p = PatientProfile(id="", centre_id="")
    names = " ".join(str(row[k]).strip().title() for k in ("FIRST", "LAST") if row.get(k))
    p.display_name = names or (f"MRN {row['MRN']}" if row.get("MRN") else f"sample {sample}")
    gender = str(row.get("GENDER") or "").strip().lower()
    if gender in ("female", "male", "f", "m"):
        p.sex = "FEMALE" if gender.startswith("f") else "MALE"
        p.facts.append(fact("sex", source, rec, code=p.sex, value=p.sex, display=gender))
    elif gender:
        issues.warn(
            "clinical",
            "GENDER",
            N_("gender %(value)s is not Female/Male"),
            N_("record Female or Male"),
            "import.sex",
            value=repr(row["GENDER"]),
        )
    if row.get("BIRTH_DATE") not in (None, ""):
        try:
            p.birth_date = parse_date(row["BIRTH_DATE"], birth=True)
            p.facts.append(
                fact("birth_date", source, rec, value=p.birth_date.isoformat(), display="birth date")
            )
        except ValueError as exc:
            issues.warn_exc("clinical", "BIRTH_DATE", exc, N_("send BIRTH_DATE as YYYY-MM-DD"))
    else:
        issues.warn(
            "clinical",
            "BIRTH_DATE",
            N_("birth date missing"),
            N_("add BIRTH_DATE (age criteria stay unknown)"),
            "import.birth_date_missing",
        )
    report: date | None = None
    if row.get("REPORT_DATE") not in (None, ""):
        try:
            report = parse_date(row["REPORT_DATE"])
        except ValueError as exc:
            issues.warn_exc("clinical", "REPORT_DATE", exc, N_("send REPORT_DATE as YYYY-MM-DD"))
    diagnosis = str(row.get("ONCOTREE_PRIMARY_DIAGNOSIS_NAME") or "").strip()
    if diagnosis.lower() not in NO_DIAGNOSIS:
        code, specific = oncotree_lookup(diagnosis)
        if code is None:
            issues.warn(
                "clinical",
                "ONCOTREE_PRIMARY_DIAGNOSIS_NAME",
                N_("%(value)s is not in the OncoTree list"),
                N_("kept by name; use an OncoTree name or code"),
                "import.oncotree_name",
                value=repr(diagnosis),
            )
        p.facts.append(
            fact(
                "primary_cancer",
                source,
                rec,
                code=code,
                display=oncotree_name(code) if code else diagnosis,
                attributes={"oncotree_name": diagnosis, "oncotree_specific": specific},
            )
        )
    elif "ONCOTREE_PRIMARY_DIAGNOSIS_NAME" in row:
        issues.warn(
            "clinical",
            "ONCOTREE_PRIMARY_DIAGNOSIS_NAME",
            N_("no diagnosis (%(value)s)"),
            N_("add the OncoTree diagnosis"),
            "import.no_diagnosis",
            value=diagnosis or "—",
        )
    if str(row.get("VITAL_STATUS") or "").lower() == "deceased":
        p.deceased = True
        p.facts.append(fact("deceased", source, rec, value=True, display="deceased"))
    mmr_fact(p, row.get("MMR_STATUS"), source, rec, report)
    tmb = row.get("TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE")
    if tmb not in (None, ""):
        try:
            p.facts.append(
                fact(
                    "biomarker",
                    source,
                    rec,
                    code="TMB",
                    value=float(tmb),
                    unit="mut/Mb",
                    display=f"TMB {float(tmb):g} mut/Mb",
                    when=report,
                    attributes={"kind": "tmb"},
                )
            )
        except (TypeError, ValueError):
            issues.warn(
                "clinical",
                "TUMOR_MUTATIONAL_BURDEN_PER_MEGABASE",
                N_("%(value)s is not a number"),
                N_("send mutations per megabase as a number"),
                "import.tmb_not_number",
                value=repr(tmb),
            )
    keep_unused(p, row, CLINICAL_USED, source, rec)
    for g_file, g_n, g_row in genomic:
        genomic_facts(
            p, g_row, f"matchminer:{g_file}", f"row {g_n}", report, Collector(g_file, f"row {g_n}"), issues
        )
    finish_profile(p)
    return ParsedRecord(file, issues.record, p, issues.issues, source="matchminer", local_id=sample)
