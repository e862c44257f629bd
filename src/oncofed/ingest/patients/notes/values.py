"""Values with a fixed shape read from a note: age, sex, ECOG / WHO / Karnofsky, stage and TNM,
life expectancy. Each reader calls `add(kind, start, end, **fields)` with the span it read."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from oncofed.criteria.caseless import Caseless
from oncofed.criteria.fast_regex import compile_fast
from oncofed.ingest.patients.common import valid_ecog, valid_karnofsky
from oncofed.ingest.patients.notes.age import age_from_birth, patient_age, title_sex
from oncofed.ingest.patients.notes.lowered import compile_i
from oncofed.ingest.patients.notes.scopes import NoteScopes, cues, rules
from oncofed.ingest.patients.notes.text import any_between, containing, fast_i, sentences, words_re

Add = Callable[..., None]

AGE_RE = compile_i(
    r"\b(\d{1,3})[- ](?:year|yr)s?[- ]old\b|\b(\d{1,3})\s*(?:yo|y/o|y\.o\.)\b|\baged?\s+(\d{1,3})\b|^\s*(\d{1,3})\s*(?:m|f|yo [mf])\b"
)
MONTHS_RE = fast_i(r"\b(\d{1,2})[- ]months?[- ]old\b")
SEX_WORDS = {
    "woman": "FEMALE", "female": "FEMALE", "lady": "FEMALE", "girl": "FEMALE", "she": "FEMALE",
    "man": "MALE", "male": "MALE", "gentleman": "MALE", "boy": "MALE", "he": "MALE",
    "her": "FEMALE", "his": "MALE", "him": "MALE",
}  # fmt: skip
SEX_RE = fast_i(r"\b(woman|female|lady|girl|man|male|gentleman|boy|she|he)\b")
SEX_PRONOUN_RE = fast_i(r"\b(his|him|her)\b")
# a sex heading: "Sex: F", "Gender: M", "SEX : F" (the words "female" / "male" are SEX_RE's) (verdicts37)
SEX_HEADING_RE = re.compile(r"\b(?i:sex|gender)[ \t\u00a0\u202f]*:[ \t]*([MF])\b(?![.'-]\w)")
SEX_LETTER_RE = compile_fast(r"\b\d{1,3}\s*(?:yo|y/o|y\.o\.|year[- ]old)?\s*([MF])\b")  # "74M", "60 yo M"
# what makes "<number> F" a temperature or a place, not an age and a sex: a decimal ("T 98.6 F"), a degree
# sign, or a vital sign / place word just before it ("Temp: 99 F", "T max 101 F", "Bed 12 F", "Room 4 M")
_NOT_SEX_LETTER = re.compile(
    r"(?:[\d.,°º]|\b(?:t|temp|temperature|tmax|t ?max|febrile|fever|afebrile|pyrexia|bed|room|rm|ward|box)\b"
    r"[\s:=.-]*(?:of|at|to)?[\s:=.-]*)\Z",
    re.IGNORECASE,
)
# case-insensitive; written in lower case so that the lower-case search is compiled fast (fast_i)
ECOG_RE = fast_i(
    r"\b(ecog|who|zubrod)\)?(?:\s+performance\s+(?:status|score))?(?:\s*\((?:ps|ecog)\))?(?:\s+(?:ps|score))?"
    r"\s*(?:of|is|was|=|:)?\s*([0-5])\b(?!\s*(?:[-–]|to|or)\s*\d)"
)
# "PS 2 (ECOG)", "PS 1": a performance status written without its scale first is ECOG / WHO (the same scale)
PS_RE = compile_fast(r"\bPS\s*(?:of|is|was|=|:)?\s*([0-4])\b(?!\s*(?:[-–]|to|or)\s*\d)(?:\s*\((ECOG|WHO)\))?")
KPS_RE = fast_i(
    # Lansky (play-performance, children) is scored on Karnofsky's 0-100 scale, as criteria pair them
    r"\b(karnofsky|kps|lansky)(?:\s+play)?(?:[\s-]+performance(?:\s+(?:status|score|scale))?|\s+score)?"
    r"\s*(?:of|is|was|=|:)?\s*(\d{2,3})\s*%?(?!\s*[-–]\s*\d)"
)
STAGE_RE = re.compile(r"\bstage\s+(IV|III|II|I|[0-4])([ABC]?)(?![\w-])", re.I)
TNM_RE = re.compile(r"\b([cpy]{0,2})T([0-4][a-d]?|is|x)\s*N([0-3][a-c]?|x)\s*M([01][a-c]?|x)\b")
_TNM_CORE = re.compile(r"T(?:[0-4][a-d]?|is|x)\s*N")  # in every TNM_RE match; opens with a literal: fast
LIFE_RE = re.compile(
    r"\b(?:life\s+expectancy|expected\s+survival(?:\s+time)?|survival\s+expectancy|expected\s+to\s+live)"
    r"(?:\s+(?:of|was|is|estimated\s+at))?\s*(?:(more\s+than|greater\s+than|over|longer\s+than|at\s+least|>|≥)\s*)?"
    r"(\d+(?:\.\d+)?)\s*(weeks?|months?|years?)\b",
    re.I,
)
WEEKS_PER = {"week": 1.0, "month": 4.35, "year": 52.18}


_PRONOUNS = compile_fast(r"\b(?:she|he|her|hers|his|him)\b")
_FEMALE_PRONOUNS = frozenset({"she", "her", "hers"})


def _pronouns_say_otherwise(text: str, sex: str) -> bool:
    """Whether the note's third-person pronouns mostly say the other sex than `sex`."""
    said = [w.lower() for w in _PRONOUNS.findall(text.lower())]
    female = sum(w in _FEMALE_PRONOUNS for w in said)
    male = len(said) - female
    return female > male if sex == "MALE" else male > female


def _sex_letter(opening: str) -> re.Match[str] | None:
    """The first "74M" / "60 yo F" in the note's first 200 characters that is not a temperature or a place
    ("T 98.6 F", "Temp: 99 F" and "Bed 12 F" said FEMALE, before any "60 year old man" was read: lead,
    session 15)."""
    for m in SEX_LETTER_RE.finditer(opening, 0, 200):
        if not _NOT_SEX_LETTER.search(opening, max(0, m.start() - 16), m.start()):
            return m
    return None


def age_and_sex(text: str, add: Add) -> tuple[float | None, str | None]:
    """The patient's age (years; months as a fraction) and sex, from the opening of the note."""
    age: float | None = None
    sex: str | None = None
    if found := patient_age(text, AGE_RE, MONTHS_RE):  # the patient's own age, not a child's (age.py)
        age, said = found
        if "month" in said.group(0).lower():
            add("age", said.start(), said.end(), value=age, unit="years", display=said.group(0))
        else:
            add("age", said.start(), said.end(), value=int(age), unit="years", display=f"{age:.0f} years")
    elif born := age_from_birth(text):  # "born 14/03/1961" alone: the age on the note's date (verdicts42)
        years, when, on = born
        age = float(years)
        add("age", when.start, when.end, value=years, unit="years", display=f"{years} years",
            attributes={"birth_date": when.earliest.isoformat(), "on": on.isoformat()})  # fmt: skip
    opening = text[:400]
    m = _sex_letter(opening) or SEX_HEADING_RE.search(opening) or SEX_RE.search(opening)
    titled = title_sex(opening, 300) if m is None else None  # "Mrs Ingrid Hoffmann": before a pronoun
    if titled and _pronouns_say_otherwise(text, titled[0]):
        # a title and the note's pronouns that disagree ("Mr Hadley ... she"): the title may be someone else's
        # (a surgeon's: UK surgeons are "Mr"); neither is read (unknown rather than a sex the note does not ground)
        return age, sex
    m = m or (titled[1] if titled else SEX_PRONOUN_RE.search(opening))
    if m:
        word = m.group(1).lower()
        sex = titled[0] if titled else {"m": "MALE", "f": "FEMALE"}.get(word) or SEX_WORDS.get(word)
        if sex:
            add("sex", m.start(), m.end(), code=sex, value=sex, display=m.group(0).strip())
    return age, sex


def performance(text: str, add: Add, note_scopes: NoteScopes) -> None:
    low = text.lower()
    if not any(w in low for w in ("ecog", "who", "zubrod", "karnofsky", "kps", "ps", "lansky")):
        return
    for m in ECOG_RE.finditer(text):
        if note_scopes.scope_of(m.start()) is None and (score := valid_ecog(m.group(2))) is not None:
            scale = m.group(1).upper()
            attrs = {"scale": scale} if scale != "ECOG" else None
            add("ecog", m.start(), m.end(), value=score, display=f"{scale} {score}", attributes=attrs)
    if "ps" in low:
        for m in PS_RE.finditer(text):
            if ECOG_RE.search(text, max(0, m.start() - 12), m.end()) or note_scopes.scope_of(m.start()):
                continue  # "ECOG PS 1" is read above
            if (score := valid_ecog(m.group(1))) is not None:
                scale = (m.group(2) or "ECOG").upper()
                attrs = {"scale": scale} if scale != "ECOG" else None
                add("ecog", m.start(), m.end(), value=score, display=f"{scale} {score}", attributes=attrs)
    for m in KPS_RE.finditer(text):
        if note_scopes.scope_of(m.start()) is None and (score := valid_karnofsky(m.group(2))) is not None:
            lansky = m.group(1).lower() == "lansky"
            attrs = {"scale": "Lansky"} if lansky else None
            shown = f"Lansky {score}" if lansky else f"Karnofsky {score}"
            add("karnofsky", m.start(), m.end(), value=score, display=shown, attributes=attrs)


@functools.cache
def _stage_res() -> tuple[Caseless, Caseless]:
    r = rules()
    return words_re(r["non_cancer_stages"]), words_re(r["cancer_context"])


def stage(
    text: str, add: Add, note_scopes: NoteScopes, cancer_spans: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Cancer stage groups and TNM; a "stage" of another scale (Hoehn-Yahr, Tanner, CKD...) or in a
    sentence that names no cancer is not read. Returns the status facts TNM implies (M0 / M1)."""
    low = text.lower()
    inflammatory = _inflammatory(text, note_scopes) if "inflammatory" in low else None
    tnm_written = _TNM_CORE.search(text) is not None
    if "stage" not in low and not (tnm_written and TNM_RE.search(text)) and inflammatory is None:
        return []
    non_cancer, cancer_words = _stage_res()
    sents = sentences(text)
    stage_facts = []
    for m in STAGE_RE.finditer(text):
        sent = containing(sents, m.start()) or (0, len(text))
        if note_scopes.scope_of(m.start()) is not None or non_cancer.search(
            text[max(sent[0], m.start() - 30) : m.start()]
        ):
            continue
        named = any(sent[0] <= s < sent[1] for s, _ in cancer_spans) or cancer_words.search(
            text, sent[0], sent[1]
        )
        if not named:
            continue
        roman = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}
        group = roman.get(m.group(1), m.group(1).upper()) + m.group(2).upper()
        stage_facts.append({"start": m.start(), "end": m.end(), "group": group})
        break
    implied: list[dict[str, Any]] = []
    tnm = (
        next((m for m in TNM_RE.finditer(text) if note_scopes.scope_of(m.start()) is None), None)
        if tnm_written
        else None
    )
    attrs = None
    if tnm:
        attrs = {
            "t": f"T{tnm.group(2)}",
            "n": f"N{tnm.group(3)}",
            "m": f"M{tnm.group(4)}",
            "tnm": tnm.group(0),
        }
        if tnm.group(4).startswith(("0", "1")):
            implied.append(
                {
                    "start": tnm.start(),
                    "end": tnm.end(),
                    "negated": tnm.group(4).startswith("0"),
                    "display": tnm.group(0),
                }
            )
    if attrs is None and inflammatory is not None:
        attrs = {"t": "T4d", "read": "inflammatory"}
    if stage_facts:
        f = stage_facts[0]
        add(
            "stage",
            f["start"],
            f["end"],
            code=f["group"],
            value=f["group"],
            display=f"Stage {f['group']}",
            attributes=attrs,
        )
    elif tnm and attrs:
        add("tnm", tnm.start(), tnm.end(), value=tnm.group(0), display=tnm.group(0), attributes=attrs)
    elif inflammatory is not None and attrs:  # an inflammatory breast cancer is T4d (AJCC 8th)
        s, e = inflammatory.span()
        add(
            "tnm",
            s,
            e,
            value="T4d",
            display=inflammatory.group(0),
            attributes={"t": "T4d", "read": "inflammatory"},
        )
    return implied


# "inflammatory breast cancer", "inflammatory carcinoma of the breast": T4d by definition (AJCC 8th)
INFLAMMATORY_RE = re.compile(
    r"(?<![\w-])inflammatory\s+(?:breast\s+(?:cancer|carcinoma|ca)\b|carcinoma\s+of\s+the\s+breast\b|"
    r"(?:ductal\s+)?carcinoma\b(?=[^.;\n]{0,40}\bbreast))",
    re.I,
)
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|without|non|rule\s+out|r/o)\b[^.;:\n]{0,15}$", re.I)


def _inflammatory(text: str, note_scopes: NoteScopes) -> re.Match[str] | None:
    family = cues(text)["family"]  # "mother had inflammatory breast cancer": a relative's
    for m in INFLAMMATORY_RE.finditer(text):
        sent = containing(sentences(text), m.start()) or (0, m.start())
        if any_between(family, sent[0], m.start()):
            continue
        if note_scopes.scope_of(m.start()) is None and not _NEGATED_BEFORE.search(
            text, max(0, m.start() - 25), m.start()
        ):
            return m
    return None


MENOPAUSE_RE = re.compile(
    r"\b(?P<post>post-?\s?menopausal|postmenopause)\b|\b(?P<pre>pre-?\s?menopausal)\b"
    r"|\b(?P<peri>peri-?\s?menopausal)\b|\b(?P<sterile>surgically\s+sterile|sterili[sz]ed|tubal\s+ligation)\b",
    re.I,
)


def menopause(text: str, add: Add, note_scopes: NoteScopes) -> None:
    """Menopausal status ("63 y/o F, postmenopausal"): what childbearing-potential criteria ask."""
    if "menopaus" not in text.lower() and "steril" not in text.lower() and "tubal" not in text.lower():
        return
    for m in MENOPAUSE_RE.finditer(text):
        if note_scopes.scope_of(m.start()) is not None:
            continue
        if re.search(r"\b(?:not|non|no)\s*-?\s*$", text[max(0, m.start() - 6) : m.start()], re.I):
            continue
        code = next(k for k in ("post", "pre", "peri", "sterile") if m.group(k))
        code = {
            "post": "postmenopausal",
            "pre": "premenopausal",
            "peri": "perimenopausal",
            "sterile": "surgically_sterile",
        }[code]
        add("menopausal_status", m.start(), m.end(), code=code, value=code, display=m.group(0))
        return


def life_expectancy(text: str, add: Add, note_scopes: NoteScopes) -> None:
    low = text.lower()
    if "expect" not in low and "survival" not in low:
        return
    for m in LIFE_RE.finditer(text):
        if note_scopes.scope_of(m.start()) is not None:
            continue
        weeks = round(float(m.group(2)) * WEEKS_PER[m.group(3).lower().rstrip("s")], 1)
        operator = ">=" if m.group(1) else "=="
        add(
            "life_expectancy",
            m.start(),
            m.end(),
            value=weeks,
            unit="weeks",
            display=m.group(0),
            attributes={"operator": operator},
        )
