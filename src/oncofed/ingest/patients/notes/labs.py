"""Laboratory values in a note, converted to the canonical unit of `resources/labs.tsv`.

"ANC of 1,800/mcL" -> anc 1.8 10^9/L; "hemoglobin at 110 g/L" -> 11.0 g/dL; "AST and ALT both at 2
times the upper limit of normal" -> ast and alt at 2 x ULN (stored as the value at 2 x the labs.tsv
ULN, with `x_uln` and `uln` kept). Analyte names are the criteria engine's (`vocab/labs.tsv`) plus
note abbreviations (`vocab/notes_patient.yaml`); units go through `common.convert_lab`
(`oncofed.criteria.units`). A result written as an inequality ("below twice the ULN", "eGFR > 60")
or as a word ("within normal limits") is no value; a unit that does not convert is never guessed.
A table's reference range ("Creatinine 0.7-1.4 mg/dl 0.8 mg/dl") is read as the range, then the value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from oncofed.criteria import vocab as shared_vocab
from oncofed.ingest.patients.common import ConversionError, convert_lab, labs, note_vocab
from oncofed.ingest.patients.notes.lowered import compile_i
from oncofed.ingest.patients.notes.scopes import NoteScopes
from oncofed.ingest.patients.notes.text import containing, sentences

_FILLER = compile_i(
    r"(?:\s*\([^()]{1,25}\)|[\s:=)]+|\b(?:levels?|counts?|values?|results?|was|were|is|are|of|at|both|"
    r"measured|showed|showing|revealed|interval|total|serum|calculated|measuring|reported)\b)*"
)
_COMPARATOR = compile_i(
    r"(?:<=|>=|≤|≥|<|>|~|below|under|less\s+than|lower\s+than|above|over|greater\s+than|more\s+than|at\s+least|"
    r"up\s+to|within|exceeding|not\s+exceeding|normal)\b"
)
# a comma before three digits groups thousands ("150,000"); before one or two it is a decimal comma, as
# French-trained authors write English notes too ("ANC 1,5 x10^9/L", "Hb 10,25 g/dL"): never a thousands group;
# a comma then a space after the number is the list's ("INR 1,0, Hb 10,2 g/dL", "platelets 150,000, ANC 2.1")
_NUMBER = compile_i(r"(\d{1,3}(?:,\d{3})+|\d+,\d{1,2}|\d+(?:\.\d+)?|twice|thrice)(?!\d|,\d)")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_RANGE = re.compile(r"\s*[-–]\s*(\d+(?:\.\d+)?)")
_ULN = compile_i(
    r"\s*(?:x|×|times)\s*(?:the\s+)?(?:institutional\s+)?(?:uln|upper\s+limit(?:\s+of\s+(?:the\s+)?normal)?)\b"
)
_UNIT = compile_i(
    r"\s*((?:x|×|\*)\s*10\s*(?:\^|e|\*\*)?\s*\d{1,2}\s*/\s*(?:l|µl|μl|ul|mcl|mm3|mm³)"
    r"|(?:x|×)\s*10[3-9]\s*/\s*l"
    r"|per\s+(?:mm3|mm³|µl|μl|ul|mcl)|(?:cells\s*)?/\s*(?:cu\.?\s*mm|mm3|mm³|µl|μl|ul|mcl)"
    r"|(?:g|gm|mg|µg|ug|mmol|µmol|umol|μmol)\s*/\s*(?:dl|l)|(?:iu|u)\s*/\s*l"
    r"|ml\s*/\s*min(?:ute)?(?:\s*/\s*1\.73\s*m(?:2|²))?|msec|ms|%|k\s*/\s*(?:µl|ul)|k)(?![a-z])"
)
_NOT_TOTAL = compile_i(r"(?:direct|indirect|conjugated|unconjugated)\s*$")
_GROUP_GAP = re.compile(r"^\s*(?:,|/|&|and|or|\s)+\s*$", re.I)

Add = Callable[..., None]


@dataclass
class LabValue:
    analyte: str
    value: float
    unit: str
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict)

    # written out: `dataclasses` writes `__init__` in Python, which mypyc keeps; this one is compiled
    # (`oncofed.compiled`) to set the fields directly
    def __init__(
        self,
        analyte: str,
        value: float,
        unit: str,
        start: int,
        end: int,
        attributes: dict[str, Any] | None = None,
    ) -> None:
        self.analyte = analyte
        self.value = value
        self.unit = unit
        self.start = start
        self.end = end
        self.attributes = {} if attributes is None else attributes


@functools.cache
def _note_lab_index() -> shared_vocab.PhraseIndex:
    entries = {p.lower(): a for a, phrases in note_vocab()["lab_phrases"].items() for p in phrases}
    return shared_vocab.PhraseIndex(entries, lowercase_acronyms=True)


@functools.cache
def _unit_rewrites() -> tuple[tuple[str, str], ...]:
    return tuple(sorted(note_vocab()["lab_unit_rewrites"].items(), key=lambda kv: -len(kv[0])))


@functools.lru_cache(maxsize=512)
def _unit_text(raw: str) -> str:
    """A written unit in the spelling `convert_lab` reads (a note writes a handful of units: cached)."""
    unit = re.sub(r"\s+", " ", raw.strip().lower())
    for old, new in _unit_rewrites():
        if old in unit:
            unit = unit.replace(old, new)
    return unit


def _analytes(text: str) -> list[tuple[int, int, str]]:
    found = [(m.start, m.end, m.code) for m in _note_lab_index().find(text)]
    found += [(m.start, m.end, m.code) for m in shared_vocab.find_lab_analytes(text)]
    kept: list[tuple[int, int, str]] = []
    end = -1
    for item in sorted(found, key=lambda t: (t[0], -(t[1] - t[0]))):
        if item[0] >= end:
            kept.append(item)
            end = item[1]
    return kept


def _number(raw: str) -> float:
    if _DECIMAL_COMMA.fullmatch(raw):
        return float(raw.replace(",", "."))
    return {"twice": 2.0, "thrice": 3.0}.get(raw.lower()) or float(raw.replace(",", ""))


def _read(
    text: str, pos: int, limit: int
) -> tuple[float, str | None, bool, int, tuple[float, float] | None] | None:
    """(value, unit, is_x_uln, end, reference range) of the result written at `pos`, or None."""
    pos = _FILLER.match(text, pos, limit).end()  # type: ignore[union-attr]
    if _COMPARATOR.match(text, pos, limit):
        return None
    m = _NUMBER.match(text, pos, limit)
    if not m:
        return None
    value, end = _number(m.group(1)), m.end()
    ref = None
    if rng := _RANGE.match(text, end, limit):  # a table's reference range, the value follows it
        ref = (value, float(rng.group(1)))
        after = rng.end()
        unit = _UNIT.match(text, after, limit)
        after = unit.end() if unit else after
        nxt = _NUMBER.match(text, _FILLER.match(text, after, limit).end(), limit)  # type: ignore[union-attr]
        if not nxt:
            return None
        value, end = _number(nxt.group(1)), nxt.end()
    if uln := _ULN.match(text, end, limit):
        return value, None, True, uln.end(), ref
    if not m.group(1)[0].isdigit():
        return None  # "twice" is a multiple of the ULN, nothing else
    if unit := _UNIT.match(text, end, limit):
        return value, unit.group(1), False, unit.end(), ref
    return value, None, False, end, ref


def lab_values(text: str, note_scopes: NoteScopes) -> list[LabValue]:
    """Every numeric laboratory result of `text` outside trial / plan scopes."""
    out: list[LabValue] = []
    sents = sentences(text)
    found = _analytes(text)
    group: list[tuple[int, int, str]] = []
    for i, item in enumerate(found):
        group.append(item)
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt and nxt[0] - item[1] <= 8 and _GROUP_GAP.match(text[item[1] : nxt[0]]):
            continue  # "AST and ALT both at 2 x ULN", "AST/ALT": one result for the group
        members, group = group, []
        start, end = members[0][0], members[-1][1]
        sent = containing(sents, start) or (0, len(text))
        if note_scopes.scope_of(start) is not None:
            continue
        read = _read(text, end, min(sent[1], end + 80))
        if read is None:
            continue
        value, unit, x_uln, stop, ref = read
        for s, _e, analyte in members:
            if analyte == "bilirubin" and _NOT_TOTAL.search(text[max(0, s - 12) : s]):
                continue  # direct bilirubin is not the total of labs.tsv
            lab = _convert(analyte, value, unit, x_uln, ref)
            if lab is not None:
                lab.start, lab.end = s, stop
                out.append(lab)
    return out


def _convert(
    analyte: str, value: float, unit: str | None, x_uln: bool, ref: tuple[float, float] | None
) -> LabValue | None:
    row = labs()[analyte]
    attrs: dict[str, Any] = {"loinc": row["loinc"]}
    if x_uln:
        uln = float(row["uln"]) if row.get("uln") else None
        if uln is None:
            return None
        attrs.update(x_uln=value, uln=uln, uln_source="labs.tsv")
        return LabValue(analyte, round(value * uln, 4), row["unit"], 0, 0, attrs)
    try:
        converted, canonical = convert_lab(analyte, value, _unit_text(unit) if unit else None)
    except ConversionError:
        return None
    if ref is not None:
        try:
            attrs["lln"] = convert_lab(analyte, ref[0], _unit_text(unit) if unit else None)[0]
            attrs["uln"] = convert_lab(analyte, ref[1], _unit_text(unit) if unit else None)[0]
        except ConversionError:
            pass
    return LabValue(analyte, converted, canonical, 0, 0, attrs)
