"""More metamorphic checks of the notes reader (verdicts35), over the dev notes AND the readable notes of the
blind sets (folds 0-1 only: a case's fold is in its expected.jsonl row; never fold 2, never an `UNREAD` set, never
the session's held-out sets). A note and its rewrite must give the same facts (the note's own text fact aside,
spans aside): no label is needed, so a class shows up whichever fold prompted a rule.

    PYTHONPATH=src:. .venv/bin/python -m benchmarks.audit_note_variants2 [--rewrite NAME ...] [--show K] [--dev-only]

Families of rewrites (`--rewrite all`, the default, runs every one and prints one line each):
- order: `order_lines` (the lines after the first in reverse order), `order_sentences` (the sentences of each line
  in reverse order);
- an age that is not the patient's now, inserted after the note's first sentence (verdicts37): `event_age` ("Menarche
  at age 12; left school at age 16."), `relative_age` ("Two children (aged 9 and 7); lives with a daughter, aged 15.");
- an unrelated fact appended as its own line: `relative` (a relative's cancer and its drug), `clinician` (a
  clinician's name with a title), `not_given` (a drug discussed, not started), `cc_other` (someone else in a cc
  line); family history facts aside;
- negation wordings of the note's own "no X": `neg_without`, `neg_absence`, `neg_none` ("X: none"), `neg_negative`,
  `neg_denies`, `neg_ruled_out`;
- `titles_dot` ("Mr" -> "Mr.", "Mrs" -> "Mrs.", "Ms" -> "Ms."), `titles_nodot` (the reverse), `names_caps` (French
  style "Mme DUPONT Marie"); the capital connectives are `audit_note_variants --rewrite connectives`;
- `decimal_comma` ("1.5" -> "1,5"), `counts_gl` ("x10^9/L" -> "G/L"), `counts_mm3` ("1.5 x10^9/L" -> "1500/mm3"),
  `dates_month` ("12/03/2025" -> "12 Mar 2025"; the ISO rewrite is `audit_note_variants --rewrite iso`);
- headings: `heading_caps` ("Treatment history:" -> "TREATMENT HISTORY:"), `heading_dash` ("Prior therapy:" ->
  "Prior therapy -"), `heading_bullets` (a heading's items, one bulleted line each).
Every figure is in docs/MATCHING.md ("A note read the same whatever its order and wording").
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from benchmarks.audit_note_variants import facts_key
from benchmarks.verdicts_trust import CONFIRM, DATA, SETS, readable

HELD_OUT = {*CONFIRM, "verdicts-blind14", "verdicts-blind15"}
IGNORED = {"family", "family_pseudo", "note_mention"}
APPENDED = {"relative", "clinician", "not_given", "cc_other"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SENT = re.compile(r"(?<=[a-z0-9)%][.!?])\s+(?=[A-Z])")
_NO = re.compile(r"(?<![\w-])([Nn])o ((?:[a-z][\w/-]*)(?: [a-z][\w/-]*){0,3})(?=[.;,\n]|$)")
_HEADING = re.compile(r"(?m)^([A-Z][A-Za-z]+(?: [a-z][A-Za-z]*){0,3}):[ \u00a0]+(?=\S)")
_COUNT = re.compile(r"(\d+(?:\.\d+)?) ?(?:x|×) ?10\^?9 ?/ ?L", re.I)


def _appended(line: str) -> Callable[[str], str]:
    return lambda t: t.rstrip("\n") + "\n" + line


_FIRST_END = re.compile(r"(?<=[a-z0-9)%][.!?])(?=\s|$)")


def _after_first_sentence(words: str) -> Callable[[str], str]:
    """Insert `words` after the note's first sentence, inside the opening where the patient's age is looked for."""

    def rewrite(t: str) -> str:
        first, nl, rest = t.partition("\n")
        m = _FIRST_END.search(first)
        cut = m.end() if m else len(first)
        return first[:cut] + words + first[cut:] + nl + rest

    return rewrite


def _order_lines(t: str) -> str:
    lines = t.split("\n")
    return "\n".join(lines[:1] + lines[1:][::-1])


def _order_sentences(t: str) -> str:
    return "\n".join(" ".join(_SENT.split(line)[::-1]) for line in t.split("\n"))


def _neg(form: str) -> Callable[[str], str]:
    def rewrite(t: str) -> str:
        def one(m: re.Match[str]) -> str:
            what = m.group(2)
            out = form.format(x=what)
            return out[0].upper() + out[1:] if m.group(1) == "N" else out

        return _NO.sub(one, t)

    return rewrite


def _names_caps(t: str) -> str:
    titles = {"Mrs": "Mme", "Ms": "Mme", "Mr": "M."}
    pat = r"\b(Mrs|Ms|Mr)\.? ([A-ZÀ-Ý][a-zà-ÿ]+) ([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\b"
    return re.sub(pat, lambda m: f"{titles[m.group(1)]} {m.group(3).upper()} {m.group(2)}", t)


def _dates_month(t: str) -> str:
    def one(m: re.Match[str]) -> str:
        day, month = int(m.group(1)), int(m.group(2))
        return m.group(0) if not 1 <= month <= 12 else f"{day} {MONTHS[month - 1]} {m.group(3)}"

    return re.sub(r"\b(\d{2})/(\d{2})/(\d{4})\b", one, t)


def _mm3(m: re.Match[str]) -> str:
    return f"{round(float(m.group(1)) * 1000)}/mm3"


def _heading_bullets(t: str) -> str:
    def one(line: str) -> str:
        m = _HEADING.match(line)
        if not m or ";" not in line and ", " not in line:
            return line
        items = re.split(r"; |, (?![^()]*\))", line[m.end() :])
        return m.group(1) + ":\n" + "\n".join(f"- {x.strip()}" for x in items if x.strip())

    return "\n".join(one(line) for line in t.split("\n"))


REWRITES: dict[str, Callable[[str], str]] = {
    "order_lines": _order_lines,
    "order_sentences": _order_sentences,
    "relative": _appended("Family history: mother had ovarian cancer treated with carboplatin (died 2015)."),
    "clinician": _appended("Seen with Dr Hélène MARCHAND (Mrs Marchand, consultant), cc Mr Paul Henry, GP."),
    "not_given": _appended("Olaparib was discussed but not started; pembrolizumab not given."),
    "event_age": _after_first_sentence(" Menarche at age 12; left school at age 16."),
    "relative_age": _after_first_sentence(" Two children (aged 9 and 7); lives with a daughter, aged 15."),
    "cc_other": _appended("cc: Mrs Jane Roe, 81 y/o, for her own follow-up (ECOG 3, creatinine 300 umol/L)."),
    "neg_without": _neg("without {x}"),
    "neg_absence": _neg("absence of {x}"),
    "neg_none": _neg("{x}: none"),
    "neg_negative": _neg("negative for {x}"),
    "neg_denies": _neg("denies {x}"),
    "neg_ruled_out": _neg("{x} ruled out"),
    "titles_dot": lambda t: re.sub(r"\b(Mrs|Ms|Mr|Dr)(?= [A-Z])", r"\1.", t),
    "titles_nodot": lambda t: re.sub(r"\b(Mrs|Ms|Mr|Dr)\.(?= [A-Z])", r"\1", t),
    "names_caps": _names_caps,
    "decimal_comma": lambda t: re.sub(r"(?<=\d)\.(?=\d)", ",", t),
    "counts_gl": lambda t: _COUNT.sub(r"\1 G/L", t),
    "counts_mm3": lambda t: _COUNT.sub(_mm3, t),
    "dates_month": _dates_month,
    "heading_caps": lambda t: _HEADING.sub(lambda m: m.group(1).upper() + ": ", t),
    "heading_dash": lambda t: _HEADING.sub(lambda m: m.group(1) + " - ", t),
    "heading_bullets": _heading_bullets,
}


def notes(dev_only: bool = False) -> Iterator[tuple[str, str, str]]:
    """(set, id, text) of every readable note: the dev set and folds 0-1 of the readable blind sets."""
    for name in SETS:
        if name in HELD_OUT or (dev_only and name != "verdicts-dev"):
            continue
        folds: dict[str, set[int]] = {}
        for x in (DATA / name / "expected.jsonl").read_text(encoding="utf-8").splitlines():
            if x.strip():
                r = json.loads(x)
                folds.setdefault(r["query-id"], set()).add(int(r.get("fold", 0)))
        for x in (DATA / name / "queries.jsonl").read_text(encoding="utf-8").splitlines():
            q = json.loads(x) if x.strip() else None
            if q and folds.get(q["_id"]) and all(readable(name, f) for f in folds[q["_id"]]):
                yield name, q["_id"], q["text"]


def _key(profile: Any, appended: bool = False) -> tuple[Any, ...]:
    """The facts compared: a mention that is not the patient's (`note_mention`) and family history aside, and,
    when a line was appended, what it denies (the patient did not get the drug discussed: a true fact)."""
    facts, record = facts_key(profile)
    return tuple(f for f in facts if f[0] not in IGNORED and not (appended and f[4])), record


def _brief(facts: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """A fact shown: kind, code, value and unit for a lab; kind, code, negated and date otherwise."""
    return [f[:4] if f[0] == "lab" else f[:2] + f[4:] for f in facts][:4]


def run(rewrite: str, show: int, dev_only: bool = False) -> dict[str, Any]:
    from oncofed.ingest.patients.notes import extract

    total = changed = differ = new = 0
    shown: list[str] = []
    for _name, qid, text in notes(dev_only):
        total += 1
        other = REWRITES[rewrite](text)
        if other == text:
            continue
        changed += 1
        appended = rewrite in APPENDED
        a, b = _key(extract(text, qid, "note"), appended), _key(extract(other, qid, "note"), appended)
        if set(a[0]) != set(b[0]) or a[1] != b[1]:  # a fact read twice instead of once aside
            differ += 1
            lost, gained = sorted(set(a[0]) - set(b[0])), sorted(set(b[0]) - set(a[0]))
            # the rewrite's reading says something the note's did not (not only less: unknown is no error)
            new += bool(gained) or any(y is not None and y != x for x, y in zip(a[1], b[1], strict=True))
            if len(shown) < show:
                shown.append(f"{qid}: lost {_brief(lost)}, gained {_brief(gained)}"
                             + ("" if a[1] == b[1] else f", record {a[1]} -> {b[1]}"))  # fmt: skip
    return {"notes": total, "changed": changed, "differ": differ, "new": new, "shown": shown}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--rewrite", nargs="*", choices=[*sorted(REWRITES), "all"], default=["all"])
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--dev-only", action="store_true", help="only the dev notes")
    a = ap.parse_args(argv)
    names = list(REWRITES) if "all" in a.rewrite else a.rewrite
    bad = 0
    for name in names:
        r = run(name, a.show, a.dev_only)
        bad += r["differ"]
        print(
            f"{name:16} {r['notes']} notes, {r['changed']:3} changed by the rewrite: {r['differ']:3} read differently, "
            f"{r['new']:3} with a fact the note's reading did not give"
        )
        for s in r["shown"]:
            print(f"  {s}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
