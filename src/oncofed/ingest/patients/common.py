"""Shared pieces of the patient importers: vocabularies, conversions, facts (issues and parsed
records are `issues.py`'s, imported here as before).

Every importer yields `ParsedRecord`s: a `PatientProfile` built from one source record (a FHIR
Bundle, a MatchMiner clinical record and its genomic rows, the rows of one patient in a flat CSV,
one note), plus the `Issue`s met on the way. A record with an `error` issue is rejected as a
whole; `warning`s name a field that was left out while the rest of the record was kept.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from datetime import date
from typing import Any

from oncofed.criteria import oncotree, units, vocab
from oncofed.criteria.frozen import made
from oncofed.domain import Fact, GeoPoint, PatientProfile, Provenance
from oncofed.errors import N_
from oncofed.ingest.patients.dates import TODAY_LIMIT_YEARS as TODAY_LIMIT_YEARS
from oncofed.ingest.patients.dates import parse_date as parse_date
from oncofed.ingest.patients.issues import Collector as Collector
from oncofed.ingest.patients.issues import ConversionError as ConversionError
from oncofed.ingest.patients.issues import Issue as Issue
from oncofed.ingest.patients.issues import ParsedRecord as ParsedRecord
from oncofed.resources import load_tsv, load_yaml

# --- vocabularies ------------------------------------------------------------------------------


@functools.cache
def codes() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("patients/codes.yaml")
    return data


@functools.cache
def note_vocab() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("vocab/notes_patient.yaml")
    return data


def _norm_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


@functools.cache
def oncotree_extra() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """OncoTree codes the shared vocabulary lacks: (code -> row, normalised name or alias -> code),
    from the one OncoTree reader (`oncofed.criteria.oncotree`)."""
    by_code: dict[str, dict[str, str]] = {}
    by_name: dict[str, str] = {}
    for node in oncotree.nodes().values():
        if node.shared:
            continue
        by_code[node.code] = {"code": node.code, "name": node.name, "parent": node.parent}
        for name in [node.name, *node.synonyms]:
            by_name.setdefault(_norm_name(name), node.code)
    return by_code, by_name


def oncotree_lookup(name_or_code: str) -> tuple[str | None, str | None]:
    """(code in the shared OncoTree vocabulary, more specific code when only the extra list has it).

    The shared vocabulary (`oncofed.criteria.vocab`, also used by the matcher) is asked first; a
    name only in `oncotree_extra.tsv` maps to its nearest ancestor present in the shared tree.
    """
    text = (name_or_code or "").strip()
    if not text:
        return None, None
    shared = set(vocab.oncotree_codes())
    extra, extra_names = oncotree_extra()
    if text.upper() in shared:
        return text.upper(), None
    code = vocab.normalize_cancer_type(text)
    if code is not None:
        return code, None
    specific = text.upper() if text.upper() in extra else extra_names.get(_norm_name(text))
    node = specific
    while node is not None and node not in shared:
        node = extra[node]["parent"] if node in extra else None
    return node, specific


def oncotree_code(name_or_code: str) -> str | None:
    return oncotree_lookup(name_or_code)[0]


def oncotree_name(code: str) -> str:
    if name := vocab.oncotree_name(code):
        return name
    row = oncotree_extra()[0].get(code)
    return row["name"] if row else code


@functools.cache
def labs() -> dict[str, dict[str, str]]:
    return {row["analyte"]: row for row in load_tsv("labs.tsv")}


@functools.cache
def lab_by_loinc() -> dict[str, str]:
    out = {row["loinc"]: analyte for analyte, row in labs().items()}
    out.update(codes()["lab_loinc"])
    return out


def drug_from_text(text: str) -> str | None:
    """The INN named in a medication display ("Paclitaxel 100 MG Injection" -> paclitaxel)."""
    return vocab.normalize_drug(text)


def drug_class(inn: str) -> str | None:
    classes = vocab.drug_classes(inn)
    return classes[0] if classes else None


# --- conversions ---------------------------------------------------------------------------------


def _unit_key(unit: str | None) -> str:
    return (unit or "").strip().lower().replace(" ", "").replace("μ", "µ").replace("×", "x")


def convert_lab(analyte: str, value: float, unit: str | None) -> tuple[float, str]:
    """`value unit` in the canonical unit of labs.tsv, with the criteria engine's conversions
    (`oncofed.criteria.units`) plus the UCUM spellings of codes.yaml; raises ConversionError when it
    does not convert (a missing unit is never guessed for a patient's result)."""
    canonical = labs()[analyte]["unit"]
    key = _unit_key(unit)
    extra: dict[str, float] = codes()["lab_units_extra"].get(analyte, {})
    if key in extra:
        return round(float(value) * float(extra[key]), 4), canonical
    if not key:
        if not canonical:
            return float(value), canonical
        raise ConversionError(
            N_("%(analyte)s %(value)s has no unit (expected %(canonical)s)"),
            analyte=analyte,
            value=value,
            canonical=canonical,
        )
    converted, got = units.to_canonical(analyte, float(value), unit)
    if (got or "") != canonical:
        raise ConversionError(
            N_("unit %(unit)s of %(analyte)s does not convert to %(canonical)s"),
            unit=repr(unit),
            analyte=analyte,
            canonical=repr(canonical),
        )
    return converted, canonical


def ecog_from_karnofsky(kps: int) -> int:
    table: dict[int, int] = codes()["performance"]["karnofsky_to_ecog"]
    nearest = min(table, key=lambda k: (abs(k - kps), -k))
    return table[nearest]


def karnofsky_from_ecog(ecog: int) -> int:
    return int(codes()["performance"]["ecog_to_karnofsky"][ecog])


def valid_ecog(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and 0 <= number <= 5 else None


def valid_karnofsky(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and 0 <= number <= 100 and number % 10 == 0 else None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- building profiles -----------------------------------------------------------------------------


def patient_id(centre_id: str, local_id: str) -> str:
    """The store id of a patient: `<centre>-<local id>`, hashed when longer than the column (64)."""
    local = re.sub(r"[^A-Za-z0-9._-]+", "_", local_id.strip()) or "unknown"
    pid = f"{centre_id}-{local}"
    if len(pid) > 64:
        pid = f"{centre_id}-h{hashlib.sha1(local_id.encode()).hexdigest()[:20]}"
    return pid[:64]


# Fact's fields in their order, with their defaults (`provenance` and `attributes` are always given by `fact`)
_FACT_TEMPLATE: dict[str, Any] = {
    f.name: None if f.default is dataclasses.MISSING else f.default for f in dataclasses.fields(Fact)
}
_FACT_OPTIONAL = frozenset(_FACT_TEMPLATE) - {"kind", "provenance", "attributes"}
_FACT_GIVEN = _FACT_OPTIONAL | {"attributes"}  # what `fields` may name


def fact(kind: str, source: str, record: str, **fields: Any) -> Fact:
    """A Fact with its provenance (`span`, `note_id`); attributes that are None or "" are left out."""
    span = fields.pop("span", None)
    note_id = fields.pop("note_id", None)
    return fact_from(kind, source, record, span, note_id, fields)


def fact_from(
    kind: str,
    source: str,
    record: str,
    span: tuple[int, int] | None,
    note_id: str | None,
    fields: dict[str, Any],
) -> Fact:
    """`fact(kind, source, record, span=span, note_id=note_id, **fields)` without packing `fields` into keyword
    arguments (`fields` is left unchanged). Made without the dataclass's per-field `object.__setattr__` calls
    (`criteria.frozen.made`; defaults filled in from the template): the notes reader makes ~20 facts a note
    (issue 23 speed)."""
    if not _FACT_GIVEN.issuperset(fields):
        raise TypeError(f"fact() got unexpected fields: {sorted(set(fields) - _FACT_GIVEN)}")
    attributes = {k: v for k, v in (fields.get("attributes") or {}).items() if v not in (None, "")}
    provenance = made(Provenance, {"source": source, "record": record, "span": span, "note_id": note_id})
    # every key is the template's: the fields keep their order
    return made(
        Fact, {**_FACT_TEMPLATE, **fields, "kind": kind, "provenance": provenance, "attributes": attributes}
    )


@functools.cache
def _cities() -> tuple[dict[str, GeoPoint], dict[str, GeoPoint]]:
    """(normalised city name -> point, postcode department (2 digits) -> point of its first city)."""
    by_name: dict[str, GeoPoint] = {}
    by_dept: dict[str, GeoPoint] = {}
    for row in load_tsv("cities.tsv"):
        point = GeoPoint(float(row["latitude"]), float(row["longitude"]))
        by_name.setdefault(_norm_name(row["name"]), point)
        by_dept.setdefault(row["postcode"][:2], point)
    return by_name, by_dept


def home_point(city: str, postcode: str = "") -> GeoPoint | None:
    """Coordinates of a home given as a city (or, failing that, a French postcode's department)."""
    by_name, by_dept = _cities()
    point = by_name.get(_norm_name(city)) if city else None
    if point is None and re.fullmatch(r"\d{5}", postcode.strip()):
        point = by_dept.get(postcode.strip()[:2])
    return point


def finish_profile(profile: PatientProfile, *, today: date | None = None) -> PatientProfile:
    """Fill the patient-level columns from the facts (first fact of each kind wins); a home given
    only as a city or postcode is placed with `resources/cities.tsv`."""
    today = today or date.today()
    home = profile.first("home")
    french = home is not None and str(home.attributes.get("country") or "FR").upper() in (
        "FR",
        "FRA",
        "FRANCE",
    )
    if profile.home is None and home is not None and french:  # the gazetteer is French
        profile.home = home_point(str(home.value or profile.home_city), str(home.code or ""))
    if profile.birth_date is not None:
        profile.age_years = float(age_on(profile.birth_date, today))
    if profile.primary_cancer is None and (f := profile.first("primary_cancer")) and not f.negated:
        profile.primary_cancer = f.code
    if profile.stage is None and (f := profile.first("stage")):
        profile.stage = f.code
    if profile.ecog is None:
        ecogs = [f for f in profile.facts_of("ecog") if not f.negated and isinstance(f.value, int)]
        if ecogs:
            latest = max(ecogs, key=lambda f: f.when or date.min)
            profile.ecog = int(latest.value)
    return profile


def add_performance_conversions(profile: PatientProfile) -> None:
    """ECOG from Karnofsky (and the reverse) when only one scale was recorded."""
    scales = {"ecog": ("ECOG", ecog_from_karnofsky), "karnofsky": ("Karnofsky", karnofsky_from_ecog)}
    recorded = [kind for kind in scales if profile.facts_of(kind)]
    if len(recorded) != 1:
        return
    source = recorded[0]
    target = "karnofsky" if source == "ecog" else "ecog"
    label, convert = scales[target]
    for f in profile.facts_of(source):
        value = convert(int(f.value))
        profile.facts.append(
            Fact(
                target,
                value=value,
                display=f"{label} {value} (from {scales[source][0]} {f.value})",
                when=f.when,
                provenance=f.provenance,
                attributes={"converted_from": source, source: f.value},
            )
        )
