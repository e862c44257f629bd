"""Validation of one FHIR resource with its `fhir.resources` (R4B) model, bad elements reported and
dropped, plus the unknown-code-system check.

Speed: the library validates each nested element (CodeableConcept, Coding, Meta, Extension) as a
model of its own, in Python hooks that cost ~0.1 ms each, and a patient's resources are mostly
coded concepts drawn from a small vocabulary (LOINC/SNOMED codes, mCODE profile URLs) that repeat
across every patient of a network. So each *distinct* concept, Meta or Extension is validated once
by the library, alone, and its validated model is cached under its exact repr (see `_key`); the resource is
then validated by the library with those models in place (pydantic passes a model instance of the
right class through without re-validating it). An element that fails alone is left as raw JSON, so
the resource validation reports it exactly as before (same location, same message). Elements that
differ per patient (references, dates, quantities) are not cached. The cache is per process and
bounded (`MAX_CACHED`); nothing in it is ever modified (the extractor only reads models).
"""

from __future__ import annotations

import json
import re
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from oncofed.errors import N_
from oncofed.ingest.patients.common import Collector

READ_ELEMENTS: dict[str, set[str]] = {
    "Patient": {
        "gender",
        "birthDate",
        "deceasedBoolean",
        "deceasedDateTime",
        "address",
        "managingOrganization",
    },
    "Condition": {
        "code",
        "bodySite",
        "stage",
        "onsetDateTime",
        "onsetPeriod",
        "recordedDate",
        "clinicalStatus",
        "verificationStatus",
        "extension",
        "subject",
    },
    "Observation": {
        "status",
        "code",
        "subject",
        "component",
        "interpretation",
        "effectiveDateTime",
        "effectivePeriod",
        "issued",
        "valueQuantity",
        "valueCodeableConcept",
        "valueInteger",
        "valueString",
        "valueBoolean",
        "valueRatio",
        "valueRange",
    },
    "MedicationStatement": {
        "status",
        "medicationCodeableConcept",
        "medicationReference",
        "subject",
        "effectiveDateTime",
        "effectivePeriod",
    },
    "MedicationRequest": {
        "status",
        "intent",
        "medicationCodeableConcept",
        "medicationReference",
        "subject",
        "authoredOn",
    },
    "MedicationAdministration": {
        "status",
        "medicationCodeableConcept",
        "medicationReference",
        "subject",
        "effectiveDateTime",
        "effectivePeriod",
    },
    "Procedure": {"status", "code", "subject", "performedDateTime", "performedPeriod", "bodySite"},
    "Consent": {"status", "scope", "category", "patient", "provision", "policyRule"},
}
ALWAYS_READ = {"resourceType", "id", "meta"}
VALUE_ORDER = [
    "valueCodeableConcept",
    "valueQuantity",
    "valueInteger",
    "valueString",
    "valueBoolean",
    "valueRatio",
    "valueRange",
]


CACHED_TYPES = {"CodeableConcept", "Coding", "Meta", "Extension", "Reference"}
MAX_CACHED = 50_000
ENABLED = True  # False: every element validated as part of its resource (tests compare both ways)
_INVALID = object()
_models: dict[str, Any] = {}
_plans: dict[str, dict[str, tuple[str, bool, bool]]] = {}
_elements: dict[tuple[str, str], Any] = {}
_systems: dict[tuple[frozenset[str], str, str], list[tuple[str, Any, str, str, dict[str, Any]]]] = {}
_keep: dict[str, set[str] | None] = {}
# Cache key of an element: its repr. The input is parsed JSON (dict/list/str/int/float/bool/None),
# whose repr is exact (key order, types and values all show: 1, 1.0, True and "1" differ), so two
# elements share a key only when they are equal JSON; repr is ~40% cheaper than json.dumps here,
# which was the largest single cost of import once elements are cached.
_key = repr
stats = {"hits": 0, "misses": 0}


def _model(rtype: str) -> Any:
    model = _models.get(rtype)
    if model is None:
        model = _models[rtype] = get_fhir_model_class(rtype)
    return model


def _plan(type_name: str) -> dict[str, tuple[str, bool, bool]]:
    """key -> (FHIR type, is a list, cached) for the complex elements of `type_name`: cached ones are
    replaced by their validated model, the others are walked for cached elements inside (e.g. the
    code of an Observation.component). For a resource, only the elements the importer reads."""
    plan = _plans.get(type_name)
    if plan is None:
        plan = {}
        read = READ_ELEMENTS.get(type_name)
        for name, field in _model(type_name).model_fields.items():
            key = field.alias or name
            if read is not None and key not in read | ALWAYS_READ:
                continue
            text = str(field.annotation)
            found = re.search(r"\babc\.(\w+)Type\b", text)
            if found is None or found.group(1) in ("FHIRPrimitiveExtension", "Resource"):
                continue
            nested = found.group(1)
            plan[key] = (nested, "List[" in text or "list[" in text, nested in CACHED_TYPES)
        _plans[type_name] = plan
    return plan


def _element(type_name: str, value: Any) -> Any:
    """The cached validated model of one element; the raw value when it is not valid alone."""
    if not isinstance(value, dict):
        return value
    key = (type_name, _key(value))
    hit = _elements.get(key)
    if hit is None:
        stats["misses"] += 1
        try:
            hit = _model(type_name).model_validate(value)
        except ValidationError:
            hit = _INVALID
        if len(_elements) >= MAX_CACHED:
            _elements.clear()
        _elements[key] = hit
    else:
        stats["hits"] += 1
    return value if hit is _INVALID else hit


def clear_cache() -> None:
    _elements.clear()
    _systems.clear()


def _prepared(raw: dict[str, Any], type_name: str, depth: int = 0) -> dict[str, Any]:
    """A shallow copy of `raw` (read elements only, for a resource) with cacheable elements
    replaced by their validated models; `raw` itself is never modified."""
    plan = _plan(type_name)
    if type_name not in _keep:
        read = READ_ELEMENTS.get(type_name)
        _keep[type_name] = read | ALWAYS_READ if read is not None and depth == 0 else None
    keep = _keep[type_name]
    data: dict[str, Any] = {}
    for k, v in raw.items():
        if keep is not None and k not in keep:
            continue
        spec = plan.get(k) if ENABLED else None
        if spec is not None and depth < 4:
            nested, many, cached = spec
            if many != isinstance(v, list):
                pass  # a list where one value belongs, or the reverse: the library reports it
            elif cached:
                v = [_element(nested, x) for x in v] if many else _element(nested, v)
            elif many:
                v = [_prepared(x, nested, depth + 1) if isinstance(x, dict) else x for x in v]
            elif isinstance(v, dict):
                v = _prepared(v, nested, depth + 1)
        data[k] = v
    return data


def _private_copy(value: Any) -> Any:
    """A deep copy of the JSON parts of `value`; cached models are shared, never modified."""
    if isinstance(value, dict):
        return {k: _private_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_private_copy(v) for v in value]
    return value


def _loc_text(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _drop(data: dict[str, Any], loc: tuple[Any, ...]) -> bool:
    """Remove the element at `loc` (list items by index); True when something was removed."""
    node: Any = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = loc[-1] if loc else None
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node.pop(last)
        return True
    return False


def validate_resource(raw: dict[str, Any], issues: Collector) -> Any | None:
    """The `fhir.resources` model of `raw`, bad fields dropped and reported; None when unusable."""
    rtype = raw.get("resourceType", "")
    rid = f"{rtype}/{raw.get('id', '?')}"
    data = _prepared(raw, rtype)  # validation does not modify its input
    model = _model(rtype)
    copied = False
    for _attempt in range(12):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            if not copied:  # bad elements are dropped from a private copy, never from the caller's data
                data = _private_copy(data)
                copied = True
            progressed = False
            for err in exc.errors():
                loc = tuple(p for p in err["loc"] if p != "__root__")
                if not loc:
                    values = [k for k in VALUE_ORDER if k in data]
                    if len(values) > 1:
                        for extra in values[1:]:
                            del data[extra]
                        issues.warn(
                            rid,
                            "value[x]",
                            N_("several values (%(values)s); FHIR allows one"),
                            N_("kept %(kept)s; send one value[x] per Observation"),
                            "import.fhir_several_values",
                            values=list(values),
                            kept=values[0],
                        )
                        progressed = True
                        break
                    issues.warn(
                        rid,
                        "",
                        N_("invalid resource: %(detail)s"),
                        N_("fix the resource; it was left out"),
                        "import.fhir_invalid",
                        detail=err["msg"],
                    )
                    return None
                if _drop(data, loc):
                    got = err.get("input")
                    shown = json.dumps(got)[:60] if not isinstance(got, dict) else "{...}"
                    issues.warn(
                        rid,
                        _loc_text(loc),
                        N_("%(detail)s (got %(got)s)"),
                        N_("left out; correct this element at the source"),
                        "import.fhir_element",
                        detail=err["msg"],
                        got=shown,
                    )
                    progressed = True
            if not progressed:
                issues.warn(
                    rid,
                    "",
                    N_("invalid resource"),
                    N_("fix the resource; it was left out"),
                    "import.fhir_invalid_resource",
                )
                return None
    issues.warn(
        rid,
        "",
        N_("too many invalid elements"),
        N_("fix the resource; it was left out"),
        "import.fhir_too_invalid",
    )
    return None


def _walk_systems(raw: Any, rid: str, issues: Collector, known: frozenset[str], path: str = "") -> None:
    if isinstance(raw, dict):
        system = raw.get("system")
        if (
            isinstance(system, str)
            and "code" in raw
            and "coding" in path
            and system not in known
            and not system.startswith(("http://terminology.hl7.org/CodeSystem/", "http://hl7.org/fhir/"))
        ):
            issues.warn(
                rid,
                path,
                N_("unknown code system %(system)s (code %(found)s)"),
                N_("use SNOMED CT, LOINC, RxNorm, HGNC, ICD-10 or ICD-O-3 codings"),
                "import.code_system_unknown",
                system=repr(system),
                found=repr(raw.get("code")),
            )
        for key, value in raw.items():
            if key not in ("text", "meta", "identifier", "extension"):
                _walk_systems(value, rid, issues, known, f"{path}.{key}" if path else key)
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            _walk_systems(item, rid, issues, known, f"{path}[{i}]")


def unknown_systems(raw: dict[str, Any], rid: str, issues: Collector, known: frozenset[str]) -> None:
    """Warn about codings of an unknown code system in the read elements of `raw` (memoised per
    distinct element text, like validation)."""
    read = READ_ELEMENTS.get(raw.get("resourceType", ""), set())
    for k, v in raw.items():
        if k not in read or not isinstance(v, (dict, list)):
            continue
        text = _key(v)
        if "'system'" not in text:
            continue  # no dict key "system" anywhere inside (repr shows every key as 'system'): no warning
        key = (known, k, text)
        found = _systems.get(key)
        if found is None:
            sink = Collector("", "")
            _walk_systems({k: v}, "", sink, known)
            found = [
                (i.field, i.template or i.reason, i.fix_template or i.fix, i.code, i.params)
                for i in sink.issues
            ]
            if len(_systems) >= MAX_CACHED:
                _systems.clear()
            _systems[key] = found
        for field, reason, fix, code, params in found:
            issues.warn(rid, field, str(reason), fix, code, **params)
