"""brat export of atoms and span agreement with annotated corpora (Chia, LCT).

Export types: Condition, Drug, Procedure, Measurement, Value, Temporal, Negation, Person.
Atom -> entity mapping (`atom_entities`): the concept words of an atom (analyte, drug, condition...)
and, separately, its threshold (Value), its time window (Temporal) and ConText negation triggers
(Negation). Gold types of LCT are mapped onto the same eight (`LCT_MAP`); Chia uses them natively.
Matching: exact (same type, same start and end) and overlap (same type, spans intersect; each gold
and each predicted entity is matched at most once).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from oncofed.criteria.brat_spans import (
    abbreviation_end,
    condition_bounds,
    drug_bounds,
    extend_left,
    generic_spans,
    is_age,
    value_start,
)
from oncofed.criteria.parser import parse_many
from oncofed.domain.criteria import Atom, Criterion, Section

TYPES = ("Condition", "Drug", "Procedure", "Measurement", "Value", "Temporal", "Negation", "Person")
LCT_MAP = {
    "Condition-Name": "Condition",
    "Drug-Name": "Drug",
    "Procedure-Name": "Procedure",
    "Observation-Name": "Measurement",
    "Eq-Comparison": "Value",
    "Eq-Temporal-Period": "Temporal",
    "Eq-Temporal-Recency": "Temporal",
    "Negation": "Negation",
    "Age": "Person",
    "Life-Stage-And-Gender": "Person",
}
_CONDITION_KINDS = {
    "pregnancy", "breastfeeding", "cancer_type", "brain_metastases", "leptomeningeal_disease", "metastasis",
    "measurable_disease", "prior_malignancy", "infection", "comorbidity",
}  # fmt: skip
_MEASUREMENT_KINDS = {"lab", "ecog", "karnofsky", "biomarker"}
_PROCEDURE_WORDS = re.compile(
    r"therap|surg|radiat|radio|transplant|resection|ectomy|srs|sbrt|wbrt|asct|hsct", re.I
)


def _value(text: str, s: int, e: int) -> Entity:
    """A Value entity without leading "of"/"is"/"be" and surrounding blanks ("of 0-2" -> "0-2")."""
    m = re.match(r"\s*(?:(?:of|is|was|be|must\s+be|:)\s+)*", text[s:e])
    s += m.end() if m else 0
    while e > s and text[e - 1] in " \t\n.,;":
        e -= 1
    return Entity("Value", s, e, text[s:e])


@dataclass(frozen=True)
class Entity:
    type: str
    start: int
    end: int
    text: str


def _concept_end(a: Atom) -> int | None:
    """End of the concept words inside an atom span (before its threshold), for Measurement."""
    if not a.span:
        return None
    raw = a.attributes.get("raw") if isinstance(a.attributes, dict) else None
    if isinstance(raw, str) and raw and raw in a.text:
        return a.span[0] + a.text.index(raw)
    m = re.search(r"\s*(?:[<>≤≥=]|\bof\b|\bat\s+least|\bgreater|\bless|\bno\s+more|\d)", a.text)
    return a.span[0] + m.start() if m else a.span[1]


def atom_entities(c: Criterion, offset: int = 0) -> list[Entity]:
    """brat entities of one criterion's atoms, offsets in the source text (`offset` = criterion start)."""
    out: list[Entity] = []
    text = c.text
    for a in c.atoms:
        if not a.span or a.kind in ("non_evaluable", "stage", "measurable_disease", "disease_setting"):
            continue
        s, e = a.span
        if a.kind in _CONDITION_KINDS:
            out.append(Entity("Condition", s, e, text[s:e]))
        elif a.kind == "prior_therapy":
            generic = a.attributes.get("class") and _PROCEDURE_WORDS.search(text[s:e])
            out.append(Entity("Procedure" if generic else "Drug", s, e, text[s:e]))
        elif a.kind == "sex":
            out.append(Entity("Person", s, e, text[s:e]))
        elif a.kind in ("age", "life_expectancy"):
            out.append(_value(text, s, e))
        elif a.kind == "lab" and "analyte_span" in a.attributes:
            ms, me = a.attributes["analyte_span"]
            out.append(Entity("Measurement", ms, me, text[ms:me]))
            vs, ve = a.attributes.get("value_span", (me, e))
            out.append(_value(text, vs, ve))
        elif a.kind in _MEASUREMENT_KINDS:
            ce = _concept_end(a) or e
            if ce > s:
                out.append(Entity("Measurement", s, ce, text[s:ce].rstrip()))
            if e > ce and a.kind != "biomarker":
                out.append(_value(text, ce, e))
        if a.kind in _CONDITION_KINDS or a.kind == "prior_therapy":
            for extra in a.attributes.get("also_spans", []) or []:  # the same statement, mentioned again
                out.append(Entity(out[-1].type, extra[0], extra[1], text[extra[0] : extra[1]]))
        window = a.attributes.get("window_span")
        if isinstance(window, list) and len(window) == 2:
            out.append(Entity("Temporal", window[0], window[1], text[window[0] : window[1]]))
        for trig in a.attributes.get("context", []) or []:
            if trig[0] == "NEGATED_EXISTENCE":
                out.append(Entity("Negation", trig[1], trig[2], text[trig[1] : trig[2]]))
    age = re.search(r"\b(?:age[ds]?|(?<=years\s)old)\b", text, re.I)
    if age and any(a.kind == "age" for a in c.atoms):
        out.append(Entity("Person", age.start(), age.end(), age.group(0)))
    unique = {(x.type, x.start, x.end): x for x in out if x.end > x.start}
    return [Entity(x.type, x.start + offset, x.end + offset, x.text) for x in unique.values()]


def text_entities(text: str, section: Section) -> list[Entity]:
    result = parse_many([text], section)[0]
    out: list[Entity] = []
    for c in result.criteria:
        offset = c.span[0] if c.span else 0
        ents = atom_entities(c, offset)
        # generic mentions no atom states (brat_spans): added where no entity of the type overlaps
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for x in ents:
            taken[x.type].append((x.start, x.end))
        spans = sorted(generic_spans(c.text), key=lambda t: (t[1], t[1] - t[2]))
        for etype, s, e in spans:
            s, e = s + offset, e + offset
            if e <= s or any(s < te and ts < e for ts, te in taken[etype]):
                continue
            taken[etype].append((s, e))
            ents.append(Entity(etype, s, e, text[s:e]))
        out.extend(_refine(text, ents))
    return out


def _refine(text: str, ents: list[Entity]) -> list[Entity]:
    """Chia span conventions applied to every entity: a procedure keeps its modifiers, a name keeps
    its parenthesised abbreviation (and the abbreviation is then no entity of its own)."""
    spans: dict[tuple[str, int, int], None] = {}
    for x in ents:
        s, e = x.start, x.end
        if x.type == "Procedure":
            s = extend_left(text, s)
            e = abbreviation_end(text, e)
        elif x.type == "Drug":
            s, e = drug_bounds(text, s, e)
        elif x.type == "Condition":
            s, e = condition_bounds(text, s, e)
        elif x.type == "Value":
            s = value_start(text, s, e)
        elif x.type == "Temporal" and is_age(text, s, e):
            continue
        spans[(x.type, s, e)] = None
    keep = list(spans)
    widened = [k for k in keep if k[2] > k[1]]
    out = []
    for t, s, e in keep:
        if any(t == t2 and s2 <= s and e <= e2 and (s2, e2) != (s, e) for t2, s2, e2 in widened):
            continue
        out.append(Entity(t, s, e, text[s:e]))
    return out


def write_ann(entities: Iterable[Entity], path: Path) -> None:
    lines = []
    for i, e in enumerate(sorted(entities, key=lambda x: (x.start, x.end, x.type)), start=1):
        lines.append(
            f"T{i}\t{e.type} {e.start} {e.end}\t{e.text.replace(chr(13), ' ').replace(chr(10), ' ')}"
        )
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


def read_ann(path: Path, type_map: dict[str, str] | None = None) -> list[Entity]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("T"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        head = parts[1].split(" ")
        etype = head[0]
        if type_map is not None:
            mapped = type_map.get(etype)
            if mapped is None:
                continue
            etype = mapped
        if etype not in TYPES:
            continue
        try:
            frags = " ".join(head[1:]).split(";")
            start = int(frags[0].split()[0])
            end = int(frags[-1].split()[-1])
        except (ValueError, IndexError):
            continue
        out.append(Entity(etype, start, end, parts[2] if len(parts) > 2 else ""))
    return out


def section_of(path: Path) -> Section:
    return Section.EXCLUSION if path.stem.endswith("_exc") else Section.INCLUSION


def score(pairs: Iterable[tuple[list[Entity], list[Entity]]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per type (and "ALL"): exact and overlap precision, recall, F1."""
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"exact": [0, 0, 0], "overlap": [0, 0, 0]})
    for gold, pred in pairs:
        for t in TYPES:
            g = [x for x in gold if x.type == t]
            p = [x for x in pred if x.type == t]
            gs = {(x.start, x.end) for x in g}
            ps = {(x.start, x.end) for x in p}
            exact = len(gs & ps)
            used: set[int] = set()
            overlap = 0
            for x in p:
                for j, y in enumerate(g):
                    if j not in used and x.start < y.end and y.start < x.end:
                        used.add(j)
                        overlap += 1
                        break
            for key, tp in (("exact", exact), ("overlap", overlap)):
                for name in (t, "ALL"):
                    counts[name][key][0] += tp
                    counts[name][key][1] += len(p) if key == "overlap" else len(ps)
                    counts[name][key][2] += len(g) if key == "overlap" else len(gs)
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, by in counts.items():
        out[name] = {}
        for key, (tp, npred, ngold) in by.items():
            prec = tp / npred if npred else 0.0
            rec = tp / ngold if ngold else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            out[name][key] = {"precision": prec, "recall": rec, "f1": f1, "gold": ngold, "predicted": npred}
    return out


def export_and_score(
    in_dir: Path, out_dir: Path
) -> tuple[int, dict[str, dict[str, dict[str, float]]] | None]:
    """Write OUT_DIR/<relative>.ann for every IN_DIR/**/*.txt; score against gold .ann when present."""
    conf = in_dir / "annotation.conf"
    type_map = LCT_MAP if conf.exists() and "Condition-Name" in conf.read_text(errors="replace") else None
    pairs = []
    n = 0
    for txt in sorted(in_dir.rglob("*.txt")):
        rel = txt.relative_to(in_dir)
        target = out_dir / rel.with_suffix(".ann")
        target.parent.mkdir(parents=True, exist_ok=True)
        # newline="": brat offsets count "\r\n" as two characters (Chia's files have CRLF line ends)
        with txt.open(encoding="utf-8", errors="replace", newline="") as fh:
            text = fh.read()
        pred = text_entities(text, section_of(txt))
        write_ann(pred, target)
        n += 1
        gold_path = txt.with_suffix(".ann")
        if gold_path.exists():
            pairs.append((read_ann(gold_path, type_map), pred))
    return n, (score(pairs) if pairs else None)
