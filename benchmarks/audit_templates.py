"""Metamorphic audits of the criteria reader by TEMPLATE (verdicts34): every criterion line of the verdicts corpus
(the 1,198 real registries' trials of `../shared/data/trials/`) read as written and as another trial author, or
another registry's template, would write the same requirement. The reading must not change.

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_templates --rewrite NAME [--trials N] [--show K]

Rewrites (each applied to every line it fits; the others are left out of the count):
  normal-limits  "bilirubin within normal institutional limits" -> "bilirubin <= 1 x ULN" (liver and kidney labs,
                 whose limit is the upper one; a count's "within normal limits" has two bounds and is left alone)
  iuln           "institutional upper limit of normal", "upper limit of normal (ULN)", "institutional ULN" -> "ULN"
  times-uln      "2.5 x ULN" -> "2.5 times the upper limit of normal"
  counts-si      "1,500/mcL", "1500/mm3", "1500 cells/µL" -> "1.5 x 10^9/L" (value converted)
  counts-ul      "1.5 x 10^9/L" -> "1,500/µL" (value converted)
  g-l            "9 g/dL" -> "90 g/L" (converted)
  umol           creatinine and bilirubin "1.5 mg/dL" -> "133 µmol/L" / "26 µmol/L" (converted)
  or-chain       "A, B, or C" -> "A or B or C" (same for "and")
  any-of         "with A, B, or C" -> "with any of the following: A; B; C"
  eg-end         "X (e.g., A, B) Y" -> "X Y (e.g., A, B)": an example list moved to the end of its clause
  abbrev         "ECOG PS" -> "Eastern Cooperative Oncology Group performance status", "ANC", "LVEF", "HBV", "CNS"...
                 written out where they are not already in parentheses after their expansion
The polarity templates ("X" excluded vs "No X" / "Without X" / "Absence of X" / "Patients must not have X"
required) are compared by decision, not reading: `benchmarks/audit_polarity.py`. The older spellings
(capital connectives, "participants", "<=", spaces) are `benchmarks/audit_case.py`, whose runner this reuses.

Lines whose NUMBER of criteria changes are counted apart (the segmenter cuts some rewritten lists anew).
Values are compared to three significant figures (a converted unit is rounded as a trial author rounds it).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import Any

from benchmarks.audit_case import rewritten_pairs

_ULN_LABS = (
    r"(?:bilirubin|AST|ALT|SGOT|SGPT|transaminases?|aminotransferases?|creatinine|alkaline\s+phosphatase|ALP)"
)
_WNL = re.compile(
    rf"(?i)(\b{_ULN_LABS}\b[^.;,:\n]{{0,40}}?)\b(?:must\s+be\s+|is\s+|are\s+)?within\s+(?:the\s+)?"
    r"(?:normal\s+institutional\s+limits|institutional\s+normal\s+limits|institutional\s+limits\s+of\s+normal|"
    r"normal\s+limits|(?:institutional\s+)?normal\s+range|upper\s+limits?\s+of\s+normal)"
    r"(?:\s+\(WNL\)|\s+\(ULN\))?"
)


def _sig(x: float, digits: int = 3) -> str:
    return f"{float(f'{x:.{digits}g}'):g}"


def _number(s: str) -> float:
    return float(s.replace(",", ""))


_PER_UL = re.compile(
    r"(?i)(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(?:cells\s*)?/\s*(?:mm\^?3|mm³|[µμu]l|mcl|cumm)\b"
)
_SI = re.compile(
    r"(?i)(?<![\d.,])(\d+(?:\.\d+)?)\s*[x×]\s*10\s*(?:\^|e|\*\*)?\s*(9|3)\s*/\s*(l|mm3|µl|ul|mcl)\b"
)
_GDL = re.compile(r"(?i)(?<![\d.,])(\d+(?:\.\d+)?)\s*g/dl\b")
_MGDL = re.compile(
    r"(?i)(\b(?P<lab>creatinine|bilirubin)\b(?:(?!creatinine|bilirubin)[^.;:\n]){0,40}?)(?<![\d.,])(?P<v>\d+(?:\.\d+)?)\s*mg\s*/\s*dl\b"
)
_TIMES = re.compile(r"(?i)(\d(?:\.\d+)?)\s*(?:x|×|X)\s*(?:the\s+)?(?:institutional\s+)?ULN\b")
_IULN = re.compile(
    r"(?i)\b(?:the\s+)?(?:institutional\s+|institution's\s+)?upper\s+limits?\s+of\s+(?:the\s+)?normal(?:\s+\(ULN\))?"
    r"(?:\s+(?:for\s+the\s+institution|at\s+the\s+institution))?|\binstitutional\s+ULN\b"
)
_ITEM = r"[A-Za-z][\w/+-]*(?: [A-Za-z][\w/+-]*){0,2}"
_CHAIN = re.compile(rf"\b(?:{_ITEM}, ){{1,6}}{_ITEM},? (?:or|and|and/or) (?={_ITEM})")
_ANY_OF = re.compile(rf"\b(with|of|including) ((?:{_ITEM}, )+{_ITEM}),? or ({_ITEM})\b")
_EG = re.compile(r"\s*\((?:e\.g\.|eg\.?|e\.g|for example|such as)[,:]?\s+[^()]{3,120}\)")
_ABBREVIATIONS = {
    "ECOG PS": "Eastern Cooperative Oncology Group performance status",
    "ECOG": "Eastern Cooperative Oncology Group",
    "ANC": "absolute neutrophil count",
    "LVEF": "left ventricular ejection fraction",
    "HBV": "hepatitis B virus",
    "HCV": "hepatitis C virus",
    "HIV": "human immunodeficiency virus",
    "CNS": "central nervous system",
    "KPS": "Karnofsky performance status",
    "NYHA": "New York Heart Association",
    "CHF": "congestive heart failure",
    "WBC": "white blood cell count",
    "ULN": "upper limit of normal",
}
_ABBREV = re.compile(
    r"(?<![(\w])(" + "|".join(sorted(map(re.escape, _ABBREVIATIONS), key=len, reverse=True)) + r")\b(?!\))"
)


def _counts_si(t: str) -> str:
    return _PER_UL.sub(lambda m: f"{_sig(_number(m.group(1)) / 1000)} x 10^9/L", t)


def _counts_ul(t: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(3).lower() != "l" or m.group(2) != "9":
            return m.group(0)
        return f"{round(float(m.group(1)) * 1000):,}/µL"

    return _SI.sub(one, t)


def _umol(t: str) -> str:
    factor = {"creatinine": 88.4, "bilirubin": 17.1}

    def one(m: re.Match[str]) -> str:
        value = float(m.group("v")) * factor[m.group("lab").lower()]
        return f"{m.group(1)}{value:.4g} µmol/L"

    return _MGDL.sub(one, t)


def _chain(t: str) -> str:
    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        conn = re.search(r",? (or|and|and/or) $", s)
        assert conn is not None
        word = conn.group(1)
        return re.sub(r", ", f" {word} ", s[: conn.start()]) + f" {word} "

    return _CHAIN.sub(one, t)


def _any_of(t: str) -> str:
    return _ANY_OF.sub(
        lambda m: f"{m.group(1)} any of the following: {m.group(2).replace(', ', '; ')}; {m.group(3)}", t
    )


def _eg_end(t: str) -> str:
    out = []
    for line in t.split("\n"):
        m = _EG.search(line)
        if m and line[m.end() :].strip(" .;"):
            rest = line[m.end() :].rstrip()
            tail = "." if rest.endswith(".") else ""
            line = line[: m.start()] + rest.rstrip(".") + m.group(0) + tail
        out.append(line)
    return "\n".join(out)


REWRITES: dict[str, Callable[[str], str]] = {
    "normal-limits": lambda t: _WNL.sub(lambda m: f"{m.group(1)}<= 1 x ULN", t),
    "iuln": lambda t: _IULN.sub("ULN", t),
    "times-uln": lambda t: _TIMES.sub(r"\1 times the upper limit of normal", t),
    "counts-si": _counts_si,
    "counts-ul": _counts_ul,
    "g-l": lambda t: _GDL.sub(lambda m: f"{_sig(float(m.group(1)) * 10)} g/L", t),
    "umol": _umol,
    "or-chain": _chain,
    "any-of": _any_of,
    "eg-end": _eg_end,
    "abbrev": lambda t: _ABBREV.sub(lambda m: _ABBREVIATIONS[m.group(1)], t),
}


def key(c: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """What a criterion's reading says, without its text or spans; numbers to three significant figures."""

    def v(x: object) -> str:
        return _sig(x) if isinstance(x, float) else str(x)

    atoms = tuple(sorted((a.kind, str(a.code), a.operator, v(a.value), str(a.unit), a.negated,
                          a.attributes.get("group") is not None,
                          tuple((x.kind, x.code, x.operator, v(x.value)) for x in a.condition)) for a in c.atoms))  # fmt: skip
    return atoms, tuple(sorted((x.kind, str(x.code)) for x in c.condition))


def run(trials: int | None, show: int, rewrite: str, seed: int = 1) -> dict[str, Any]:
    n, recut, pairs = rewritten_pairs(trials, seed, REWRITES[rewrite])
    lines = changed = 0
    shown: list[str] = []
    for r, x, y in pairs:
        if x.text == y.text:
            continue
        lines += 1
        if key(x) != key(y):
            changed += 1
            if len(shown) < show:
                kx, ky = key(x), key(y)
                lost = [k for k in kx[0] if k not in ky[0]] + [k for k in kx[1] if k not in ky[1]]
                new = [k for k in ky[0] if k not in kx[0]] + [k for k in ky[1] if k not in kx[1]]
                shown.append(f"{r['_id']}: {x.text[:150]}\n      -> {y.text[:150]}\n"
                             f"      lost {lost}\n      new {new}")  # fmt: skip
    return {"trials": n, "lines": lines, "changed": changed, "recut": recut, "shown": shown}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, help="a random sample of the corpus's trials (default: all)")
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--rewrite", choices=sorted(REWRITES), default="normal-limits")
    a = ap.parse_args(argv)
    r = run(a.trials, a.show, a.rewrite)
    print(f"{r['trials']} trials, {r['lines']} lines the rewrite `{a.rewrite}` changes: {r['changed']} read "
          f"differently; {r['recut']} trials cut into another number of criteria")  # fmt: skip
    for s in r["shown"]:
        print(f"  {s}")
    return 0 if r["changed"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
