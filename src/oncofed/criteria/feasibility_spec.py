"""A small criteria file format for feasibility questions, turned into the matcher's atoms.

```yaml
name: EGFR-mutant lung adenocarcinoma after platinum   # free text
inclusion:                      # every item is one criterion; keys inside an item combine with AND
  - age: ">= 18"                # or {min: 18, max: 75}
  - sex: FEMALE                 # FEMALE | MALE
  - cancer_type: [LUAD]         # OncoTree codes or names ("Breast cancer" -> BREAST); subtypes match
  - stage: [IIIB, IIIC, IV]     # "III" also matches IIIA/IIIB/IIIC
  - ecog: "<= 1"                # or a list of values [0, 1]
  - biomarker: {gene: EGFR, value: [L858R, exon 19 deletion]}   # no value: any positive result
  - prior_therapy: {class: platinum}                           # or {drug: osimertinib}
  - prior_lines: ">= 1"
  - lab: {analyte: anc, op: ">=", value: 1.5}                  # canonical units of resources/labs.tsv
  - any_of:                     # alternatives (OR) inside one criterion
      - biomarker: {gene: ALK}
      - biomarker: {gene: ROS1}
exclusion:                      # a patient for whom an item holds is not counted as meeting
  - metastasis: brain
  - prior_therapy: {class: EGFR TKI}
```

The engine receives the parsed document (`parse_spec(data)`); files and texts are read by
`oncofed.ingest.feasibility_spec` (guarded YAML loader). Other atom kinds of the contract in
docs/DEVELOPING.md can be written directly:
`- atom: {kind: comorbidity, operator: present, code: hiv}`. Errors name the file, the item and
the fix. The same YAML is accepted as JSON (`--criteria FILE.json`, `POST /api/feasibility`).

Every value is resolved against the project's vocabularies (`criteria.feasibility_terms`): cancer
types, stages, genes, sites, drugs, classes and analytes that no vocabulary knows are refused here,
with the closest known values, before any privacy budget is spent (a value that matches nobody would
count nobody and still cost a question). Each atom's text is the resolved value ("cancer_type:
BREAST (Breast)"), so the answer, the audit log and the fingerprint show what was counted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from oncofed.criteria import feasibility_terms as terms
from oncofed.domain import Atom, Criterion, Section
from oncofed.errors import InputError

OPS = (">=", "<=", "==", "!=", ">", "<")
_OP_VALUE = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*(-?\d+(?:\.\d+)?)\s*$")
KEYS = (
    "age",
    "sex",
    "cancer_type",
    "stage",
    "ecog",
    "biomarker",
    "prior_therapy",
    "prior_lines",
    "lab",
    "metastasis",
    "atom",
    "any_of",
)
# the atom kinds of the contract in docs/DEVELOPING.md that `atom:` may name
ATOM_KINDS = (
    "age", "sex", "pregnancy", "breastfeeding", "childbearing_potential", "cancer_type", "stage",
    "disease_setting", "biomarker", "ecog", "karnofsky", "prior_therapy", "prior_lines", "treatment_naive",
    "lab", "brain_metastases", "leptomeningeal_disease", "metastasis", "measurable_disease",
    "life_expectancy", "prior_malignancy", "infection", "comorbidity",
)  # fmt: skip


class SpecError(InputError):
    """A criteria file or document that cannot be read, naming the item and the fix."""


def _resolve(resolver: Any, value: Any, where: dict[str, Any]) -> str:
    """A vocabulary's canonical value, or a SpecError naming the field and the closest values."""
    try:
        return str(resolver(str(value).strip()))
    except terms.UnknownTerm as exc:
        raise SpecError(str(exc), fix=exc.fix, **where) from None


def _where(file: str, section: str, index: int, key: str) -> dict[str, Any]:
    return {"file": file, "record": f"{section}[{index}]", "field": key}


def _op_value(raw: Any, where: dict[str, Any], default_op: str = "==") -> tuple[str, float]:
    if isinstance(raw, bool):
        raise SpecError(f"expected a number or 'OP NUMBER', got {raw!r}", fix='write e.g. ">= 18"', **where)
    if isinstance(raw, (int, float)):
        return default_op, float(raw)
    found = _OP_VALUE.match(str(raw))
    if not found:
        raise SpecError(f"expected a number or 'OP NUMBER', got {raw!r}", fix='write e.g. ">= 18"', **where)
    return found.group(1) or default_op, float(found.group(2))


def _as_list(raw: Any) -> list[Any]:
    return list(raw) if isinstance(raw, (list, tuple)) else [raw]


def _atoms_for(key: str, raw: Any, where: dict[str, Any]) -> list[Atom]:
    if key not in KEYS:
        raise SpecError(f"unknown key {key!r}", fix=f"use one of: {', '.join(KEYS)}", **where)
    text = f"{key}: {json.dumps(raw, ensure_ascii=False, default=str)}"
    if key == "age":
        if isinstance(raw, Mapping):
            atoms = []
            if raw.get("min") is not None:
                atoms.append(Atom("age", ">=", _op_value(raw["min"], where)[1], unit="years", text=text))
            if raw.get("max") is not None:
                atoms.append(Atom("age", "<=", _op_value(raw["max"], where)[1], unit="years", text=text))
            if not atoms:
                raise SpecError("age needs min and/or max", fix="write {min: 18, max: 75}", **where)
            return atoms
        op, value = _op_value(raw, where, ">=")
        return [Atom("age", op, value, unit="years", text=text)]
    if key == "sex":
        sex = str(raw).strip().upper()
        if sex not in ("FEMALE", "MALE"):
            raise SpecError(f"unknown sex {raw!r}", fix="FEMALE or MALE", **where)
        return [Atom("sex", "==", sex, text=text)]
    if key in ("cancer_type", "stage"):
        values = [str(v).strip() for v in _as_list(raw) if str(v).strip()]
        if not values:
            raise SpecError(f"{key} needs at least one value", fix="e.g. [LUAD]", **where)
        if key == "cancer_type":
            codes = list(dict.fromkeys(_resolve(terms.resolve_cancer_type, v, where) for v in values))
            shown = ", ".join(terms.cancer_label(c) for c in codes)
        else:
            codes = list(dict.fromkeys(_resolve(terms.resolve_stage, v, where) for v in values))
            shown = ", ".join(codes)
        return [Atom(key, "in", codes, text=f"{key}: {shown}")]
    if key == "ecog":
        if isinstance(raw, list):
            return [Atom("ecog", "in", [int(_op_value(v, where)[1]) for v in raw], text=text)]
        op, value = _op_value(raw, where, "<=")
        return [Atom("ecog", op, int(value), text=text)]
    if key == "prior_lines":
        op, value = _op_value(raw, where, ">=")
        return [Atom("prior_lines", op, int(value), text=text)]
    if key == "metastasis":
        if isinstance(raw, (list, tuple, Mapping)):
            raise SpecError(
                "metastasis takes one site", fix="e.g. metastasis: liver (several sites: any_of)", **where
            )
        site = _resolve(terms.resolve_site, raw, where)
        return [Atom("metastasis", "present", code=site, text=f"metastasis: {site}")]
    if not isinstance(raw, Mapping):
        raise SpecError(
            f"{key} needs a mapping", fix="see the format in criteria/feasibility_spec.py", **where
        )
    if key == "biomarker":
        gene = str(raw.get("gene") or "").strip()
        if not gene:
            raise SpecError(
                "biomarker needs a gene or marker", fix="e.g. {gene: EGFR, value: L858R}", **where
            )
        gene = _resolve(terms.resolve_gene, gene, {**where, "field": f"{key}.gene"})
        text = f"{key}: " + json.dumps({**dict(raw), "gene": gene}, ensure_ascii=False, default=str)
        attrs = {k: raw[k] for k in ("alteration", "scale") if raw.get(k)}
        if raw.get("op") in (">=", "<=", ">", "<"):
            return [Atom("biomarker", raw["op"], float(raw["value"]), code=gene, attributes=attrs, text=text)]
        wanted = raw.get("value")
        return [
            Atom(
                "biomarker",
                "in" if wanted else "present",
                _as_list(wanted) if wanted else None,
                code=gene,
                attributes=attrs,
                text=text,
            )
        ]
    if key == "prior_therapy":
        klass, drug = raw.get("class"), raw.get("drug")
        if not (klass or drug):
            raise SpecError("prior_therapy needs a class or a drug", fix="e.g. {class: platinum}", **where)
        if klass:
            klass = _resolve(terms.resolve_drug_class, klass, {**where, "field": f"{key}.class"})
        if drug:
            drug = _resolve(terms.resolve_drug, drug, {**where, "field": f"{key}.drug"})
        text = f"{key}: " + json.dumps(
            {**dict(raw), **({"class": klass} if klass else {}), **({"drug": drug} if drug else {})},
            ensure_ascii=False,
            default=str,
        )
        op = "absent" if raw.get("absent") else "present"
        attrs = {"class": str(klass)} if klass else {}
        window = raw.get("within_days")
        return [
            Atom(
                "prior_therapy", op, code=str(drug or klass), attributes=attrs, window_days=window, text=text
            )
        ]
    if key == "lab":
        analyte = str(raw.get("analyte") or "").strip().lower()
        op = str(raw.get("op") or ">=")
        if not analyte or op not in OPS or raw.get("value") is None:
            raise SpecError(
                "lab needs analyte, op and value", fix="e.g. {analyte: anc, op: '>=', value: 1.5}", **where
            )
        analyte = _resolve(terms.resolve_analyte, analyte, {**where, "field": f"{key}.analyte"})
        value = _op_value(raw["value"], {**where, "field": f"{key}.value"})[1]
        text = f"lab: {analyte} {op} {value:g}" + (f" {raw['unit']}" if raw.get("unit") else "")
        return [Atom("lab", op, value, unit=raw.get("unit"), code=analyte, text=text)]
    if key == "atom":
        return [_checked_atom(raw, text, where)]
    raise SpecError(f"unknown key {key!r}", fix=f"use one of: {', '.join(KEYS)}", **where)


def _checked_atom(raw: Mapping[str, Any], text: str, where: dict[str, Any]) -> Atom:
    """An atom written directly: a kind of the contract, its vocabulary values resolved."""
    fields = dict(raw)
    kind = str(fields.get("kind") or "")
    if kind not in ATOM_KINDS:
        raise SpecError(f"unknown atom kind {kind!r}", fix=f"use one of: {', '.join(ATOM_KINDS)}", **where)
    if not isinstance(fields.get("attributes") or {}, Mapping):
        raise SpecError(
            "atom attributes must be a mapping", fix="e.g. attributes: {class: platinum}", **where
        )
    if fields.get("condition"):
        raise SpecError("an atom's condition cannot be written here", fix="drop condition", **where)
    fields.pop("condition", None)
    code = fields.get("code")
    resolver = {
        "cancer_type": terms.resolve_cancer_type,
        "biomarker": terms.resolve_gene,
        "metastasis": terms.resolve_site,
        "lab": terms.resolve_analyte,
    }.get(kind)
    if kind == "prior_therapy" and code:
        klass = (fields.get("attributes") or {}).get("class")
        resolver = terms.resolve_drug_class if klass else terms.resolve_drug
    if resolver is not None and code:
        fields["code"] = _resolve(resolver, code, {**where, "field": "atom.code"})
    if kind in ("cancer_type", "stage") and fields.get("value") is not None:
        one = terms.resolve_cancer_type if kind == "cancer_type" else terms.resolve_stage
        fields["value"] = [
            _resolve(one, v, {**where, "field": "atom.value"}) for v in _as_list(fields["value"])
        ]
    try:
        return Atom(**{**fields, "text": f"atom: {json.dumps(fields, ensure_ascii=False, default=str)}"})
    except TypeError as exc:
        raise SpecError(f"not an atom: {exc}", fix="fields as in docs/DEVELOPING.md", **where) from exc


def _criterion(section: Section, index: int, item: Any, file: str) -> Criterion:
    name = section.value
    if not isinstance(item, Mapping) or not item:
        raise SpecError("each item must be a mapping such as {age: '>= 18'}", **_where(file, name, index, ""))
    atoms: list[Atom] = []
    parts: list[str] = []  # the criterion's text: each key's resolved text, an any_of as "any of (A or B)"
    for key, raw in item.items():
        where = _where(file, name, index, str(key))
        if key == "any_of":
            alternatives: list[str] = []
            # the matcher ORs atoms sharing attributes["group"]: one group per any_of, one atom per alternative
            for alt in _as_list(raw):
                alt_atoms = [
                    a
                    for k2, r2 in (alt.items() if isinstance(alt, Mapping) else [])
                    for a in _atoms_for(str(k2), r2, where)
                ]
                if len(alt_atoms) != 1:
                    raise SpecError(
                        "each any_of alternative must be one simple condition",
                        fix="e.g. - biomarker: {gene: ALK}",
                        **where,
                    )
                a = alt_atoms[0]
                atoms.append(
                    Atom(**{**asdict(a), "attributes": {**a.attributes, "group": f"any_of-{index}"}})
                )
                alternatives.append(a.text)
            parts.append(f"any of ({' or '.join(alternatives)})")
            continue
        found = _atoms_for(str(key), raw, where)
        atoms.extend(found)
        parts.extend(a.text for a in found)
    text = "; ".join(dict.fromkeys(parts))
    return Criterion(section, index, text, atoms=tuple(atoms))


def parse_spec(data: Any, file: str = "<criteria>") -> tuple[str, list[Criterion]]:
    """(name, criteria) from a parsed YAML/JSON document."""
    if not isinstance(data, Mapping):
        raise SpecError("the criteria file must be a mapping with inclusion/exclusion lists", file=file)
    unknown = set(data) - {"name", "inclusion", "exclusion", "trial", "description"}
    if unknown:
        raise SpecError(
            f"unknown top-level keys {sorted(unknown)}", file=file, fix="use name, inclusion, exclusion"
        )
    criteria: list[Criterion] = []
    problems: list[SpecError] = []  # every unknown value of the document at once, not one per attempt
    for section in (Section.INCLUSION, Section.EXCLUSION):
        items = data.get(section.value) or []
        if not isinstance(items, list):
            raise SpecError(f"{section.value} must be a list", file=file)
        for i, item in enumerate(items):
            try:
                criteria.append(_criterion(section, i, item, file))
            except SpecError as exc:
                problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise SpecError(
            f"{len(problems)} problems: "
            + "; ".join(
                f"{p.record}:{p.field}: {p.reason}" + (f" ({p.fix})" if p.fix else "") for p in problems
            ),
            file=file,
            fix="correct each value named above",
        )
    if not criteria:
        raise SpecError("no criteria", file=file, fix="add at least one inclusion or exclusion item")
    return str(data.get("name") or Path(file).stem), criteria


def criteria_fingerprint(criteria: list[Criterion]) -> str:
    """A stable hash of what is asked (for the audit log and the query's identity)."""
    payload = [
        [
            c.section.value,
            [[a.kind, a.operator, a.value, a.code, a.unit, a.window_days, a.attributes] for a in c.atoms],
        ]
        for c in criteria
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def describe(criteria: list[Criterion]) -> str:
    """What a question counts, criterion by criterion, as resolved (for the audit log: no patient data)."""
    return " | ".join(f"{c.section.value}: {c.text}" for c in criteria)
