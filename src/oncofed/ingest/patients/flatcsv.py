"""The flat patient CSV layout: one row per fact (see docs/PATIENT_IMPORT.md and the template
`resources/templates/patients_template.csv`). Rows of one patient are grouped by `patient_id`;
a bad cell is reported and its row left out, the rest of the patient is kept. Rows of one patient
are grouped by (centre, patient_id): when the centre column is used, fill it on every row."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from oncofed.domain import GeoPoint, PatientProfile
from oncofed.errors import N_, NN_
from oncofed.ingest.patients.common import (
    Collector,
    ConversionError,
    ParsedRecord,
    add_performance_conversions,
    convert_lab,
    drug_class,
    drug_from_text,
    fact,
    finish_profile,
    lab_by_loinc,
    labs,
    oncotree_lookup,
    oncotree_name,
    valid_ecog,
    valid_karnofsky,
)
from oncofed.ingest.patients.dates import FieldError, parse_date, warn_partial

COLUMNS = [
    "patient_id",
    "centre",
    "kind",
    "code",
    "value",
    "unit",
    "date",
    "negated",
    "display",
    "attributes",
]
REQUIRED = {"patient_id", "kind"}
PATIENT_KINDS = {"sex", "birth_date", "age", "home", "research_objection", "deceased", "name"}
FACT_KINDS = {
    "primary_cancer",
    "stage",
    "disease_status",
    "metastasis",
    "biomarker",
    "ecog",
    "karnofsky",
    "treatment",
    "lab",
    "comorbidity",
    "pregnancy",
    "smoking",
    "allergy",
    "prior_malignancy",
    "infection",
}
TRUE = {"1", "true", "yes", "y", "oui", "vrai"}


def is_flat_csv(header: list[str]) -> bool:
    return {h.strip().lower() for h in header} >= REQUIRED


def _attributes(text: str) -> dict[str, Any]:
    """`{"class": "platinum"}` (JSON) or `class=platinum; line=1`."""
    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        data = json.loads(text)
        if not isinstance(data, dict):
            raise FieldError(N_("attributes must be a JSON object"), "import.attributes_json")
        return data
    out: dict[str, Any] = {}
    for part in text.split(";"):
        if "=" not in part:
            raise FieldError(
                N_("attribute %(part)s is not key=value"), "import.attribute_format", part=repr(part.strip())
            )
        key, value = part.split("=", 1)
        out[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return out


def _read_groups(path: Path) -> dict[tuple[str, str], list[tuple[int, dict[str, str]]]] | ParsedRecord:
    name = path.name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        missing = REQUIRED - set(header)
        if missing:
            c = Collector(name, "header")
            c.error(
                "",
                ", ".join(sorted(missing)),
                N_("required column missing"),
                N_("use the columns %(columns)s"),
                "import.csv_column_missing",
                columns=", ".join(COLUMNS),
            )
            return ParsedRecord(name, "header", None, c.issues, source="csv")
        groups: dict[tuple[str, str], list[tuple[int, dict[str, str]]]] = {}
        # csv.reader + one zip per row (what csv.DictReader does, minus its per-row overhead): blank
        # lines skipped, short rows padded with "", cells beyond the header and unnamed columns ignored
        named = [(i, h) for i, h in enumerate(header) if h]
        names = [h for _, h in named]
        pad = [""] * len(header)
        simple = [i for i, _ in named] == list(range(len(named)))
        n = 1
        for values in reader:
            if not values:
                continue
            n += 1
            if len(values) < len(header):
                values = values + pad[len(values) :]
            cells = values if simple else [values[i] for i, _ in named]
            row = dict(zip(names, [v.strip() for v in cells], strict=False))
            groups.setdefault((row.get("centre", ""), row.get("patient_id", "")), []).append((n, row))
    return groups


def unreadable(name: str, exc: Exception) -> ParsedRecord:
    """The rejection of a CSV file that is not UTF-8 text or not CSV at all."""
    c = Collector(name, "file")
    fix = N_("save the file as CSV, UTF-8 encoded (comma-separated, header on line 1)")
    if isinstance(exc, UnicodeDecodeError):
        c.error("", "", N_("not UTF-8 text"), fix, "import.csv_not_utf8")
    else:
        c.error(
            "", "", N_("not a readable CSV file (%(detail)s)"), fix, "import.csv_unreadable", detail=str(exc)
        )
    return ParsedRecord(name, "file", None, c.issues, source="csv")


def parse_file(path: Path) -> Iterator[ParsedRecord]:
    name = path.name
    try:
        groups = _read_groups(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        yield unreadable(name, exc)
        return
    if isinstance(groups, ParsedRecord):
        yield groups
        return
    for (_centre, pid), rows in groups.items():
        yield _patient(name, pid, rows)


def _patient(file: str, pid: str, rows: list[tuple[int, dict[str, str]]]) -> ParsedRecord:
    issues = Collector(file, f"patient {pid}" if pid else f"row {rows[0][0]}")
    if not pid:
        issues.error(
            "", "patient_id", NN_("%(num)s row without patient_id", "%(num)s rows without patient_id"),
            N_("fill patient_id on every row"), "import.no_patient_id", num=len(rows),
        )  # fmt: skip
        return ParsedRecord(file, issues.record, None, issues.issues, source="csv")
    p = PatientProfile(id="", centre_id="")
    centre = ""
    source = f"csv:{file}"
    for n, row in rows:
        rec = f"row {n}"
        centre = centre or row.get("centre", "")
        try:
            _row(p, row, source, rec, issues)
        except (ValueError, ConversionError, KeyError) as exc:
            issues.warn_exc(rec, row.get("kind", ""), exc, N_("correct the row; it was left out"))
    add_performance_conversions(p)
    finish_profile(p)
    return ParsedRecord(file, issues.record, p, issues.issues, source="csv", local_id=pid, centre_hint=centre)


def _row(p: PatientProfile, row: dict[str, str], source: str, rec: str, issues: Collector) -> None:
    kind = row.get("kind", "").lower()
    code, value, unit = row.get("code", ""), row.get("value", ""), row.get("unit", "")
    when = parse_date(row["date"]) if row.get("date") else None
    if when is not None:
        warn_partial(issues, rec, "date", row["date"], when)  # "2024-03": read as 2024-03-01, said
    negated = row.get("negated", "").lower() in TRUE
    attrs = _attributes(row.get("attributes", ""))
    display = row.get("display", "")
    if kind not in PATIENT_KINDS | FACT_KINDS:
        raise FieldError(
            N_("unknown kind %(kind)s (known: %(kinds)s)"), "import.unknown_kind", kind=repr(kind),
            kinds=sorted(PATIENT_KINDS | FACT_KINDS),
        )  # fmt: skip
    if kind == "name":
        p.display_name = value
        return
    if kind == "sex":
        sex = value.upper()[:1]
        if sex not in ("F", "M"):
            raise FieldError(N_("sex %(value)s is not F/M"), "import.sex_csv", value=repr(value))
        p.sex = "FEMALE" if sex == "F" else "MALE"
        p.facts.append(fact("sex", source, rec, code=p.sex, value=p.sex, display=p.sex.lower()))
    elif kind == "birth_date":
        p.birth_date = parse_date(value, birth=True)
        warn_partial(issues, rec, "value", value, p.birth_date)
        p.facts.append(fact("birth_date", source, rec, value=p.birth_date.isoformat(), display="birth date"))
    elif kind == "age":
        age = float(value)
        if not 0 <= age <= 130:
            raise FieldError(N_("age %(value)s is not 0..130"), "import.age_range", value=value)
        p.age_years = age
        p.facts.append(fact("age", source, rec, value=age, unit="years", display=f"{age:g} years"))
    elif kind == "home":
        p.home_city = value
        if "latitude" in attrs and "longitude" in attrs:
            p.home = GeoPoint(float(attrs["latitude"]), float(attrs["longitude"]))
        p.facts.append(
            fact(
                "home",
                source,
                rec,
                code=code,
                value=value,
                display=f"{code} {value}".strip(),
                attributes=attrs,
            )
        )
    elif kind in ("research_objection", "deceased"):
        flag = value.lower() in TRUE
        setattr(p, kind, flag)
        if flag:
            p.facts.append(fact(kind, source, rec, value=True, display=kind.replace("_", " ")))
    elif kind == "primary_cancer":
        onco, specific = oncotree_lookup(code or value)
        if onco is None:
            raise FieldError(
                N_("%(value)s is not an OncoTree code or name"), "import.oncotree", value=repr(code or value)
            )
        if specific:
            attrs["oncotree_specific"] = specific
        p.facts.append(
            fact(
                kind,
                source,
                rec,
                code=onco,
                display=display or oncotree_name(onco),
                when=when,
                negated=negated,
                attributes=attrs,
            )
        )
    elif kind in ("ecog", "karnofsky"):
        score = valid_ecog(value) if kind == "ecog" else valid_karnofsky(value)
        if score is None:
            raise FieldError(
                N_("%(kind)s %(value)s is out of range"), "import.score_range", kind=kind, value=repr(value)
            )
        p.facts.append(
            fact(
                kind,
                source,
                rec,
                value=score,
                display=f"{kind.upper() if kind == 'ecog' else 'Karnofsky'} {score}",
                when=when,
            )
        )
    elif kind == "lab":
        analyte = code.lower() if code.lower() in labs() else lab_by_loinc().get(code)
        if analyte is None:
            raise FieldError(
                N_("lab %(lab)s is not an analyte of labs.tsv or a known LOINC code"),
                "import.lab_unknown",
                lab=repr(code),
            )
        number, canonical = convert_lab(analyte, float(value), unit)
        attrs.setdefault("loinc", labs()[analyte]["loinc"])
        if unit and unit != canonical:
            attrs["source_unit"] = unit
        p.facts.append(
            fact(
                "lab",
                source,
                rec,
                code=analyte,
                value=number,
                unit=canonical,
                display=display or labs()[analyte]["display"],
                when=when,
                attributes=attrs,
            )
        )
    elif kind == "treatment":
        inn = drug_from_text(code or value) or (code or value).lower()
        attrs.setdefault("class", drug_class(inn))
        if "end" in attrs:
            attrs["end"] = parse_date(str(attrs["end"]))
        p.facts.append(
            fact(
                "treatment",
                source,
                rec,
                code=inn,
                display=display or inn,
                when=when,
                negated=negated,
                attributes=attrs,
            )
        )
    else:
        typed: Any = value
        try:
            typed = float(value) if value and value.replace(".", "", 1).isdigit() else value
            if isinstance(typed, float) and typed.is_integer():
                typed = int(typed)
        except ValueError:
            typed = value
        if kind == "stage":
            code = code or value
        p.facts.append(
            fact(
                kind,
                source,
                rec,
                code=code or None,
                value=typed if value else None,
                unit=unit or None,
                display=display or f"{code} {value}".strip(),
                when=when,
                negated=negated,
                attributes=attrs,
            )
        )
