"""Disease, biomarker, therapy and condition atoms of one criterion (see `extract.py` for the rest)."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from oncofed.criteria import vocab
from oncofed.criteria.brain_exception import excepted_status
from oncofed.criteria.cancer_exceptions import excepted_spans, takes_any_solid
from oncofed.criteria.cancer_site import unread_cancer
from oncofed.criteria.cancer_word_therapy import names_a_therapy
from oncofed.criteria.caseless import compile_i
from oncofed.criteria.enzyme_classes import enzyme_classes
from oncofed.criteria.extract import _atom, has_any
from oncofed.criteria.listed_organs import listed_organs
from oncofed.criteria.marker_cutoffs import her2_cutoff
from oncofed.criteria.numbers import NUM, OP, num_of, op_of
from oncofed.criteria.receptors import RECEPTORS, hr_definitions_dropped, receptor_mentions, shared_status
from oncofed.domain.criteria import Atom
from oncofed.resources import load_tsv

I = re.IGNORECASE  # noqa: E741

# --- prior malignancy, cancer type, stage, setting -----------------------------------------------

_PRIOR_MALIG = compile_i(
    r"\b(?:(?:other|another|second|prior|previous|concurrent|concomitant|additional|secondary|separate|history\s+of\s+(?:an?\s+)?(?:other\s+)?)\s+"
    r"(?:primary\s+|active\s+|invasive\s+|malignant\s+)?(?:malignan\w+|cancers?|neoplasms?|tumou?rs?|carcinomas?)"
    r"|(?:malignan\w+)\s+(?:other\s+than|within|in\s+the\s+(?:past|last))"
    r"|history\s+of\s+(?:a\s+)?malignan\w+|other\s+active\s+malignan\w+)",
)
_EXCEPT = compile_i(
    r"\b(?:except|other\s+than|excluding|with\s+the\s+exception\s+of|apart\s+from|unless|besides)\b"
)
_YEARS_WINDOW = compile_i(
    rf"\b(?:within|in|during|over)\s+(?:the\s+)?(?:(?:last|past|previous|preceding|prior)\s+)?(?P<n>{NUM})\s*(?P<u>years?|months?)",
)
# The same window said from the other side: the other cancer does not exclude once it is old enough
# ("unless disease-free for at least 5 years", "in remission for > 3 years", "treated with curative intent
# more than 5 years ago", "diagnosed less than 2 years before"): a malignancy within N years excludes,
# an older one does not, whichever way the line puts it.
_AT_LEAST = r"(?:at\s+least\s+|more\s+than\s+|over\s+|greater\s+than\s+|a\s+minimum\s+of\s+|(?:>=?|≥)\s*)?"
_FREE_WINDOW = compile_i(
    r"\b(?:(?:disease|relapse|recurrence|progression|cancer|tumou?r|evidence\s+of\s+disease)[\s-]*free"
    r"(?:\s+(?:interval|survival|period))?|free\s+(?:of|from)\s+(?:disease|cancer|recurrence|relapse)"
    r"|in\s+(?:complete\s+)?remission|no\s+evidence\s+of\s+(?:disease|recurrence))"
    rf"\s+(?:for\s+|of\s+)?(?:the\s+(?:last|past)\s+)?{_AT_LEAST}(?P<n>{NUM})\s*(?P<u>years?|months?|yrs?)",
)
_AGO_WINDOW = compile_i(
    r"(?:\b(?:at\s+least|more\s+than|over|greater\s+than|a\s+minimum\s+of|less\s+than|under)\s+|(?:[<>]=?|[≤≥])\s*)"
    rf"(?P<n>{NUM})\s*(?P<u>years?|months?|yrs?)\s+(?:ago|before|prior|previously|earlier)\b",
)


def _window_days(text: str) -> int | None:
    """Days of the line's window for another malignancy, however the line says it (None: no window)."""
    for pattern in (_YEARS_WINDOW, _FREE_WINDOW, _AGO_WINDOW):
        w = pattern.search(text)
        if w and num_of(w.group("n")) is not None:
            n = num_of(w.group("n")) or 0
            return int(n * (365 if w.group("u").lower().startswith("y") else 30))
    return None


# "breast cancer metastases": the metastases are the topic; "breast cancer metastatic" (a French
# postposed adjective: "cancer du sein métastatique") is the cancer
_METASTA_AFTER = compile_i(r"[\s-]*metasta(?!tic)")
# "non-melanoma skin cancer": basal and squamous cell skin cancers, never melanoma nor every skin cancer
_NON_MELANOMA = compile_i(
    r"\bnon-?\s?melanoma(?:tous)?\s+(?:skin\s+)?(?:cancers?|carcinomas?|malignanc\w+)|\bnon-?\s?melanoma(?:tous)?\s+skin\b"
)
_LYMPH_NODE = compile_i(r"lymph\s*node|lymphocyte")
# a solid tumour of any organ named as one of a line's cancers ("... or any solid tumour"), not "non-solid"
# "no other solid tumour", "history of a solid tumour", "without ... solid tumours": no alternative
_NOT_ALTERNATIVE = compile_i(
    r"(?:\b(?:no|not|nor|without|except|excluding|history\s+of|prior|previous|second|secondary|concurrent)\b"
    r"[^,;:.()]*|(?<!\bor\s)(?<!\bany\s)\b(?:other|another)\s+)$"
)
_OR_NEXT = compile_i(r"\s*,?\s*(?:and/or|or)\s")
_SOLID_ALTERNATIVE = compile_i(
    r"(?<![-\w])(?<!non-)(?<!non\s)solid\s+(?:tumou?rs?|malignan\w+|cancers?|neoplasms?)\b"
)


# "metastatic colorectal, neuroendocrine, cholangiocarcinoma, melanoma, or breast malignancy": organ
# adjectives of a list that share its last noun (criteria only: the notes reader keeps its own reading)
_SHARED_NOUN_LIST = compile_i(
    r"\b(?P<items>(?:[A-Za-z-]{3,}(?:\s+[A-Za-z-]{3,})?\s*(?:,\s*(?:(?:and/or|or|and)\s+)?|\s(?:and/or|or|and)\s+)){1,8}"
    r"[A-Za-z-]{3,})\s+(?P<noun>malignanc(?:y|ies)|cancers?|carcinomas?)\b"
)
_ITEM_SEP = compile_i(r"\s*(?:,\s*(?:(?:and/or|or|and)\s+)?|\s(?:and/or|or|and)\s+)")


def _shared_noun_mentions(text: str, found: list[vocab.Mention]) -> list[vocab.Mention]:
    added: list[vocab.Mention] = []
    for m in _SHARED_NOUN_LIST.finditer(text):
        start = m.start("items")
        items, cursor = m.group("items"), 0
        for sep in [*_ITEM_SEP.finditer(items), None]:
            s, e = start + cursor, start + (sep.start() if sep else len(items))
            cursor = sep.end() if sep else len(items)
            word = text[s:e]
            if not word.strip() or word.startswith("-") or word.lower().startswith("non"):
                continue  # "non-breast or -ovarian cancers": not these
            if any(f.start <= s < f.end or s <= f.start < e for f in found + added):
                continue
            last = word.split()[-1]
            tries = [(word, s)] + ([(last, e - len(last))] if last != word else [])
            hit = next(
                (
                    (h, at, w)
                    for w, at in tries
                    for noun in ("cancer", m.group("noun"))
                    for h in vocab.find_cancer_types(f"{w} {noun}")
                    if h.start == 0 and h.end == len(w) + 1 + len(noun)
                ),
                None,
            )
            if hit:
                h, at, w = hit
                added.append(
                    vocab.Mention(at, at + len(w), text[at : at + len(w)], h.code, dict(h.attributes))
                )
    return sorted([*found, *added], key=lambda x: x.start) if added else found


# a leukaemia named without its lineage ("ALL", "acute lymphoblastic leukaemia") is either lineage's: the
# vocabulary codes it as the commoner one (B), a trial for "ALL" does not exclude a T-ALL patient
_LINEAGES = {"BLL": ("BLL", "TLL")}
_LINEAGE_NAMED = compile_i(r"\b[bt](?:-|\s+|-cell\s+|\s+cell\s+|-lymphoblastic)")


# a cancer name numbered or followed by "gene" names the gene ("breast cancer 1", "breast cancer gene 2")
_GENE_AFTER = compile_i(
    r"\s*(?:[12]\s*(?:and|or|/|,|\(|mutat\w*|genes?|carriers?|variants?)|(?:susceptibility\s+)?genes?\b)"
)


def cancer_atoms(text: str) -> list[Atom]:
    out: list[Atom] = []
    low = text.lower()
    gate = has_any(low, ("malignan", "cancer", "neoplasm", "tumo", "carcinoma"))
    # "prior cancer vaccine therapy": a cancer word naming a therapy's purpose is no prior malignancy
    found = [(m, names_a_therapy(text, m.end())) for m in _PRIOR_MALIG.finditer(text)] if gate else []
    prior = next((m for m, named in found if named is None), None)
    out += [  # "prior cancer treatment": a previous cancer's treatment, or a previous treatment for cancer
        _atom("non_evaluable", "present", m.span(), text, code="other", attributes={"reading": "ambiguous"})
        for m, named in found
        if named == "ambiguous" and prior is None
    ]
    mentions = vocab.find_cancer_types(text)
    if gate and "," in text:
        mentions = _shared_noun_mentions(text, mentions)
    exceptions: list[str] = []
    if prior:
        exc = _EXCEPT.search(text, prior.start())
        attrs: dict[str, object] = {}
        window = _window_days(text)
        if exc:
            non = [m.span() for m in _NON_MELANOMA.finditer(text, exc.start())]
            exceptions = [
                m.code
                for m in mentions
                if m.start > exc.start() and not any(s <= m.start < e for s, e in non)
            ] + (["BCC", "CSCC"] if non else [])
            carcinoma = re.findall(
                r"(?:carcinoma|cancer)\s+in\s+situ|in\s+situ\s+\w+|basal\s+cell|squamous\s+cell\s+(?:skin|carcinoma\s+of\s+the\s+skin)|non-?melanoma(?:tous)?\s+skin",
                text[exc.start() :],
                I,
            )
            attrs["exceptions"] = sorted(set(exceptions)) + [c.lower() for c in carcinoma]
        out.append(
            _atom("prior_malignancy", "present", prior.span(), text, window_days=window, attributes=attrs)
        )
        mentions = [
            m
            for m in mentions
            if not (exc and m.start > exc.start()) and not (prior.start() <= m.start < prior.end() + 3)
        ]
    if gate and not prior:  # the cancers a line excepts are none of its own (criteria/cancer_exceptions.py);
        # "breast, gastric, head and neck, liver and NSCLC": each organ is one of its cancers (listed_organs.py)
        mentions = listed_organs(text, mentions)
    # "diffuse gastric cancer, lobular breast cancer or CDH1-mutated solid tumour": the line also takes
    # solid tumours (of any organ, often qualified by a marker no atom reads); its named cancers are
    # then not the only way to meet it (atoms.cancer_type: unknown for a solid tumour of another kind)
    solid = _SOLID_ALTERNATIVE.search(text) if mentions and not prior else None
    or_solid = (
        solid is not None
        and not _NOT_ALTERNATIVE.search(text[max(0, solid.start() - 60) : solid.start()])
        and (  # after a named cancer, or "solid tumour or <cancer>"
            solid.start() > min(m.start for m in mentions)
            or bool(_OR_NEXT.match(text, solid.end()))
            or takes_any_solid(text, solid)  # "solid tumors and lymphomas", "any solid tumor"
        )
    )
    if mentions:
        group = "cancer" if len(mentions) > 1 else None
        # a cancer the line names that no mention reads: the organ question is not asked (cancer_site.py)
        unread = not prior and unread_cancer(
            text, [(m.start, m.end) for m in mentions] + excepted_spans(text)
        )
        for m in mentions:
            if _METASTA_AFTER.match(text[m.end : m.end + 12]):
                continue
            if m.code in ("LYMPH",) and _LYMPH_NODE.search(m.text):
                continue
            if _GENE_AFTER.match(text, m.end):
                continue  # "breast cancer 1 and breast cancer 2 (BRCA 1 or 2) mutations": the genes
            attrs2: dict[str, object] = {"group": group} if group else {}
            if or_solid:
                attrs2["or_solid"] = True
            if m.attributes.get("listed_organ"):
                attrs2["listed_organ"] = True
            if unread:
                attrs2["unread_cancer"] = True
            lineages = _LINEAGES.get(m.code)
            out.append(
                _atom(
                    "cancer_type",
                    "in",
                    (m.start, m.end),
                    text,
                    code=m.code,
                    value=list(lineages) if lineages and not _LINEAGE_NAMED.search(m.text) else [m.code],
                    attributes=attrs2,
                )
            )
    return out


_STAGE = compile_i(
    # "stage I, II, and III", "stages II to IV": a list's last item after a comma and "and" / "or" too
    r"\bstages?\s*(?P<groups>(?:(?:IV|I{1,3}|[0-4])[A-D]?\d?)(?:\s*(?:,\s*(?:and/or|and|or)\b|-|–|to|through|or|and|,|/|"
    r"and/or)\s*(?:stage\s*)?(?:IV|I{1,3}|[0-4])[A-D]?\d?)*)(?![a-z])",
)
_ROMAN = {
    "0": "0",
    "1": "I",
    "2": "II",
    "3": "III",
    "4": "IV",
    "i": "I",
    "ii": "II",
    "iii": "III",
    "iv": "IV",
}
_ORDER = [
    "0",
    "I",
    "IA",
    "IB",
    "IC",
    "II",
    "IIA",
    "IIB",
    "IIC",
    "III",
    "IIIA",
    "IIIB",
    "IIIC",
    "IIID",
    "IV",
    "IVA",
    "IVB",
    "IVC",
]


_MAIN_STAGES = {"0", "I", "II", "III", "IV"}


def _stage_norm(tok: str) -> str:
    m = re.fullmatch(r"(IV|I{1,3}|[0-4])([A-D]?)\d?", tok.strip(), I)
    if not m:
        return tok.upper()
    return _ROMAN.get(m.group(1).lower(), m.group(1).upper()) + m.group(2).upper()


def stage_atoms(text: str) -> list[Atom]:
    out = []
    for m in _STAGE.finditer(text):
        parts = re.split(
            r"\s*(,\s*(?:and/or|and|or)\b|-|–|to|through|or|and/or|and|,|/)\s*(?:stage\s*)?",
            m.group("groups"),
            flags=I,
        )
        groups: list[str] = []
        prev_range = False
        for p in parts:
            if p.lower() in ("-", "–", "to", "through"):
                prev_range = True
                continue
            if re.fullmatch(r",?\s*(?:or|and|and/or)?|/", p.lower()):
                continue
            g = _stage_norm(p)
            if prev_range and groups and groups[-1] in _ORDER and g in _ORDER:
                lo, hi = _ORDER.index(groups[-1]), _ORDER.index(g)
                # "I-III": every stage between, and the last one's sub-stages ("stage II-IV" holds stage III)
                groups += [
                    x
                    for x in _ORDER[lo + 1 :]
                    if _ORDER.index(x) <= hi or x.startswith(g) and g in _MAIN_STAGES
                ]
            else:
                groups.append(g)
            prev_range = False
        if groups:
            out.append(_atom("stage", "in", m.span(), text, value=list(dict.fromkeys(groups))))
    if (
        len(out) > 1
    ):  # a patient has one stage: stages named apart are alternatives ("stage 0 ..., stage I-II")
        out = [replace(a, attributes={**a.attributes, "group": "stage"}) for a in out]
    return out


# histology named apart from a cancer ("tumors of squamous or other non-adenocarcinoma histology")
HISTOLOGY_WORDS = {
    "squamous": r"squamous(?:[\s-]+cell)?|epidermoid",
    "adenocarcinoma": r"adenocarcinomas?",
    "small_cell": r"(?<!non-)(?<!non\s)small[\s-]+cell",
    "adenoma": r"adenomas?|adenomatous",
    "neuroendocrine": r"neuroendocrine",
    "urothelial": r"urothelial|transitional[\s-]+cell",
}
_HISTOLOGY = compile_i(
    r"\b(?P<non>non-?\s?)?(?:" + "|".join(f"(?P<{k}>{v})" for k, v in HISTOLOGY_WORDS.items()) + r")\b"
)
_HISTOLOGY_GATE = ("squamous", "epidermoid", "adeno", "small", "neuroendocrine", "urothelial", "transitional")


def histology_atoms(text: str, cancers: list[Atom]) -> list[Atom]:
    """Histology words outside a cancer name: `histology` atoms (code: the family), "non-" negates;
    several are alternatives (a tumour has one histology)."""
    if not has_any(text.lower(), _HISTOLOGY_GATE):
        return []
    taken = [a.span for a in cancers if a.span]
    out = []
    for m in _HISTOLOGY.finditer(text):
        if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
            continue
        family = next(k for k in HISTOLOGY_WORDS if m.group(k))
        out.append(_atom("histology", "present", m.span(), text, code=family, negated=bool(m.group("non"))))
    if len(out) > 1:
        out = [replace(a, attributes={**a.attributes, "group": "histology"}) for a in out]
    return out


# TNM categories in a criterion ("Stage cT1N0 and cT4b", "cT1N+, M0 or cT2-4a, N0/+, M0"): alternatives
_TNM_TOKEN = re.compile(
    r"(?:(?<![\w-])(?P<pre>[cpuy]{1,2})?T(?P<t>[0-4][a-d]?|is|x)(?:\s*[-–]\s*(?P<t2>[0-4])[a-d]?)?"
    r"|(?<![A-Za-z-])[cpuy]{0,2}N(?P<n>[0-3][a-c]?|x|\+)(?P<nalt>(?:\s*/\s*(?:[0-3]|\+))*)"
    r"|(?<![A-Za-z-])M(?P<m>[01][a-c]?|x))(?=[\s,;.)/NM]|$)"
)
_AT_LEAST_TNM = compile_i(r"\bat\s+least\s*$|[≥>]=?\s*$")


_INFLAMMATORY = compile_i(
    r"(?<![\w-])inflammatory\s+(?:breast\s+(?:cancer|carcinoma|disease)|carcinoma\s+of\s+the\s+breast|breast)\b"
)


def tnm_atoms(text: str) -> list[Atom]:
    """TNM categories: each T starts an alternative, the N and M after it belong to it; a prefix
    (c, p, y) or an N is needed ("T790M" is a variant). "at least cT1c" is an ordering: `operator` >=.
    Without categories, "inflammatory breast cancer" is T4d (AJCC 8th), unless it is carved out."""
    out = _tnm_categories(text)
    m = _INFLAMMATORY.search(text) if not out and "nflammatory" in text else None
    # only where it is the criterion's own category: not "T1-T4 (except inflammatory ...)", "Any T4,
    # including inflammatory ..." (an example of a wider category)
    if m and not _T_CATEGORY.search(text) and not _NOT_ITSELF.search(text, max(0, m.start() - 25), m.start()):
        out = [_atom("tnm", "in", m.span(), text, value=[{"t": "T4d"}], attributes={"read": "inflammatory"})]
    return out


_T_CATEGORY = compile_i(r"(?<![\w-])[cpy]{0,2}t[0-4x]\b")
_NOT_ITSELF = compile_i(
    r"\b(?:except|excluding|other\s+than|not|non|without|no|but|including|such\s+as|e\.g\.)\b[^.;]{0,15}$"
)


def _tnm_categories(text: str) -> list[Atom]:
    if not re.search(r"(?<![\w-])[cpuy]{0,2}[TN][0-4is+]", text):
        return []
    tokens = list(_TNM_TOKEN.finditer(text))
    if not tokens or not any(m.group("pre") or m.group("n") for m in tokens):
        return []
    options: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for m in tokens:
        if m.group("t"):
            ts = [m.group("t")]
            if m.group("t2") and m.group("t")[0].isdigit():
                ts += [str(x) for x in range(int(m.group("t")[0]) + 1, int(m.group("t2")) + 1)]
            current = {"t": [f"T{t}" for t in ts]}
            options.append(current)
        elif m.group("n"):
            ns = [m.group("n"), *re.findall(r"[0-3]|\+", m.group("nalt") or "")]
            if current is None or "n" in current:
                current = {}
                options.append(current)
            current["n"] = [f"N{n}" for n in ns]
        elif m.group("m") and current is not None:
            current["m"] = [f"M{m.group('m')}"]
    flat: list[dict[str, str]] = []
    none: list[str | None] = [None]
    for opt in options:
        for t in opt.get("t") or none:
            for n in opt.get("n") or none:
                one = {k: v for k, v in (("t", t), ("n", n), ("m", (opt.get("m") or none)[0])) if v}
                if one:
                    flat.append(one)
    if not flat:
        return []
    first = tokens[0]
    op = ">=" if _AT_LEAST_TNM.search(text[max(0, first.start() - 12) : first.start()]) else "in"
    return [_atom("tnm", op, (first.start(), tokens[-1].end()), text, value=flat)]


_SETTINGS = [
    ("locally_advanced", r"locally[\s-]+advanced"),
    ("metastatic", r"metastatic|metastasi[sz]ed|advanced\s*/\s*metastatic|stage\s+iv\b|distant\s+(?:metasta\w+|mets|spread)"),
    ("unresectable", r"unresectable|non-?resectable|inoperable|not\s+(?:be\s+)?amenable\s+to\s+(?:curative\s+)?(?:surgery|resection|surgical)|not\s+(?:a\s+)?candidates?\s+for\s+(?:curative\s+)?(?:surgery|resection)"),
    ("recurrent", r"recurrent|recurred|recurrence"),
    ("refractory", r"refractory|resistant\s+to|progress\w*\s+(?:on|after|following|during)"),
    ("relapsed", r"relapsed|relapse"),
    ("newly_diagnosed", r"newly[\s-]+diagnosed|new\s+diagnosis|de\s+novo"),
    ("first_line", r"first[\s-]+line|1st[\s-]+line|front[\s-]?line"),
    ("adjuvant", r"(?<!neo)(?<!neo-)adjuvant"),
    ("neoadjuvant", r"neo-?adjuvant|pre-?operative\s+(?:systemic\s+)?(?:therapy|chemotherapy|treatment)"),
    ("maintenance", r"maintenance"),
    # "therapy for advanced disease", "in the advanced setting": the setting of a therapy (criteria/logic.py)
    ("advanced", r"(?<=for\s)advanced(?=\s+(?:[a-z-]+\s+){0,2}?(?:disease|setting|stage|cancer|carcinoma|tumou?rs?|malignanc\w+)\b)|(?<=the\s)advanced(?=\s+(?:disease\s+)?setting\b)"),
]  # fmt: skip
_SETTING_RES = [(code, compile_i(rf"\b(?:{p})\b")) for code, p in _SETTINGS]
_SETTING_GATES = {
    "locally_advanced": ("locally",), "advanced": ("advanced",), "metastatic": ("metasta", "stage", "distant"), "unresectable": ("resect", "operable", "amenable", "candidate"),
    "recurrent": ("recur",), "refractory": ("refractory", "resistant", "progress"), "relapsed": ("relapse",),
    "newly_diagnosed": ("newly", "new diagnosis", "de novo"), "first_line": ("first", "1st", "front"),
    "adjuvant": ("adjuvant",), "neoadjuvant": ("adjuvant", "operative"), "maintenance": ("maintenance",),
}  # fmt: skip


_SETTING_WORDS = tuple(dict.fromkeys(w for words in _SETTING_GATES.values() for w in words))


def setting_atoms(text: str) -> list[Atom]:
    out: list[Atom] = []
    low = text.lower()
    if not has_any(low, _SETTING_WORDS):  # one pass over all gate words first: most criteria name none
        return out
    for code, rx in _SETTING_RES:
        if not has_any(low, _SETTING_GATES[code]):
            continue
        m = rx.search(text)
        if m:
            out.append(_atom("disease_setting", "present", m.span(), text, code=code))
    return out


# --- biomarkers --------------------------------------------------------------------------------

_VARIANT = re.compile(
    r"\b(?P<v>[ACDEFGHIKLMNPQRSTVWY]\d{2,4}(?:[ACDEFGHIKLMNPQRSTVWY*X]|fs|del|ins|dup)\w{0,6})\b"
)
_EXON = compile_i(
    r"\bexon\s*(?P<n>\d{1,2})\s*(?P<kind>deletions?|del\b|insertions?|ins\b|skipping|mutations?|alterations?)|\bex(?P<n2>\d{1,2})\s*(?P<k2>del|ins)\b",
)
_FUSION_GENES = {"ALK", "ROS1", "RET", "NTRK", "NRG1", "FGFR2", "FGFR3"}
_CUES = [
    ("amplification", r"amplif\w*|copy\s+number\s+gain|overexpress\w*"),
    ("fusion", r"fusions?|rearrange\w*|translocations?|re-arrange\w*"),
    ("deletion", r"(?<!exon\s\d\d\s)(?:homozygous\s+)?deletions?|loss"),
    ("mutation", r"mutations?|mutated|mutant|alterations?|altered|variants?|pathogenic|activating|sensitizing|sensitising|positive|\+|aberrations?|driver"),
    ("absent", r"wild[\s-]*type|wt\b|negative|-neg|non-?mutated|no\s+(?:known\s+)?(?:\w+\s+)?(?:mutation|alteration)"),
]  # fmt: skip
_CUE_RES = [(k, compile_i(rf"^[\s/(),-]{{0,3}}(?:\w+[\s-]){{0,3}}?(?:{p})")) for k, p in _CUES]
_STATUS = compile_i(
    r"^[\s:-]*(?:status\s*[:=]?\s*)?(?:(?:by|on)\s+)?(?:ihc\s*)?(?:score\s*[:=]?\s*)?(?P<s>positive|negative|pos\b|neg\b|\+(?!\d)|-(?=\s|$|/|,|\))|low|ultra-?low|high|zero|0(?!\.)\b|[0-3]\s*\+|overexpress\w*|amplified|expressing|expression)",
)
_PDL1 = compile_i(
    rf"(?P<scale>tps|tumou?r\s+proportion\s+score|cps|combined\s+positive\s+score|expression|staining)?[^.;]{{0,30}}?(?P<op>{OP})\s*(?P<n>{NUM})\s*(?P<pct>%)?",
)
_RECEPTOR_PCT = compile_i(rf"^[\s:(]*(?:staining\s+|expression\s+)?(?P<op>{OP})\s*(?P<n>{NUM})\s*%")
_AMPLIFICATION = compile_i(
    r"^[\s)(-]*(?:(?:gene|oncogene|\w+)\s+){0,2}?(?:amplification|amplified|gene\s+copy\s+number)"
)
_TMB = compile_i(rf"(?P<op>{OP})\s*(?P<n>{NUM})\s*(?:mut(?:ations)?\s*/\s*mb|mutations\s+per\s+megabase)")


def _marker_status(gene: str, tail: str) -> tuple[str, str, object, dict[str, object]] | None:
    m = _STATUS.search(tail)
    if not m:
        return None
    s = m.group("s").lower().replace(" ", "")
    attrs: dict[str, object] = {"alteration": "status"}
    if re.fullmatch(r"[0-3]\+|zero|0", s):
        value: object = "0" if s in ("zero", "0") else s
        attrs["alteration"] = "ihc"
    elif s in (
        "positive",
        "pos",
        "+",
        "overexpressed",
        "overexpression",
        "amplified",
        "expressing",
        "expression",
    ):
        value = "positive"
    elif s in ("negative", "neg", "-"):
        value = "negative"
    else:
        value = s.replace("ultra-low", "ultralow")
    return ("==", s, value, attrs)


# a list of genes written once with one alteration ("HRR gene alteration (BRCA1, BRCA2, ATM ...)",
# "mutation in BRCA1, BRCA2 or PALB2"): alternatives, one group
_GENE_SEP = compile_i(r"^\s*(?:,|/|;|\bor\b|\band\b|and/or|,\s*(?:or|and)\b)?\s*$")
_LIST_CUE_BEFORE = compile_i(
    r"(?:mutat\w*|alterations?|altered|variants?|deleterious|pathogenic|deficien\w*|aberrations?|"
    r"defects?|genes?)\W{0,4}(?:\w+\W+){0,8}?[(:]?\s*$"
)
_LIST_TAIL = compile_i(r"^[\s,]*(?:(?:or|and|etc\.?|among\s+others|\.{3}|…)[\s,]*)*\)?")
_MARKERS = {"HER2", "ER", "PR", "HR", "AR", "PD-L1", "HRD", "MSI", "MMR", "TMB"}
# "at least 1 of the genes involved in HRR": the HRR panel (olaparib's PROfound list, FDA label 2020)
HRR_GENES = ("BRCA1", "BRCA2", "ATM", "BARD1", "BRIP1", "CDK12", "CHEK1", "CHEK2", "FANCL", "PALB2",
             "PPP2R2A", "RAD51B", "RAD51C", "RAD51D", "RAD54L")  # fmt: skip
_HRR_PANEL = compile_i(
    r"(?:mutat\w*|alterations?|variants?|deleterious|pathogenic)\W+(?:\w+\W+){0,8}?(?:genes?\s+)?"
    r"(?:involved\s+in|of|in)\s+(?:the\s+)?(?:hrr|homologous\s+recombination(?:\s+repair)?)(?:\s+(?:pathway|genes?))?\b"
    r"|\b(?:hrr|homologous\s+recombination(?:\s+repair)?)(?:\s+(?:pathway|related))?\s+genes?\s+"
    r"(?:mutat\w*|alterations?|altered|variants?|defects?|aberrations?)"
)


def _gene_list_atoms(text: str, genes: list[vocab.Mention]) -> tuple[list[Atom], set[int]]:
    """Atoms of the gene lists of a criterion (alternatives sharing one alteration) and the starts of
    the mentions they cover; a list names at least two genes (markers such as HER2 or ER are not
    listed genes: their status words follow each one)."""
    out: list[Atom] = []
    covered: set[int] = set()
    runs: list[list[vocab.Mention]] = []
    for g in genes:
        if g.code in _MARKERS:
            runs.append([])
            continue
        if runs and runs[-1] and _GENE_SEP.match(text[runs[-1][-1].end : g.start]):
            runs[-1].append(g)
        else:
            runs.append([g])
    for run in runs:
        if len(run) < 2:
            continue
        tail_end = run[-1].end + _LIST_TAIL.match(text[run[-1].end :]).end()  # type: ignore[union-attr]
        tail = text[tail_end : tail_end + 60]
        alteration = next((k for k, rx in _CUE_RES if rx.search(tail)), None)
        if alteration is None and _LIST_CUE_BEFORE.search(text[max(0, run[0].start - 80) : run[0].start]):
            alteration = "mutation"
        if alteration is None:
            continue
        op = "absent" if alteration == "absent" else "present"
        # wild-type lists are all required ("KRAS, NRAS and BRAF wild-type"); a negated list is none of
        # them (criteria.logic.or_groups drops the group of negated "genes" members)
        extra = {"group": f"genes{run[0].start}"} if op == "present" else {}
        for g in run:
            for code in ["BRCA1", "BRCA2"] if g.code == "BRCA" else [g.code]:
                out.append(_atom("biomarker", op, (g.start, g.end), text, code=code,
                                 attributes={"alteration": "mutation" if op == "absent" else alteration,
                                             **extra}))  # fmt: skip
            covered.add(g.start)
    return out, covered


def _hrr_panel_atoms(text: str, taken: set[int]) -> list[Atom]:
    """ "Deleterious mutations in at least 1 of the genes involved in HRR (or HRD)": any gene of the
    panel mutated, or HRD positive when the criterion names it as another alternative."""
    m = _HRR_PANEL.search(text)
    if not m or taken:
        return []
    group = f"hrr{m.start()}"
    out = [
        _atom(
            "biomarker",
            "present",
            m.span(),
            text,
            code=code,
            attributes={"alteration": "mutation", "group": group},
        )
        for code in HRR_GENES
    ]
    hrd = re.search(
        r"\bor\s+(?:\w+[\s-]+){0,3}?(?:hrd|homologous\s+recombination\s+deficien\w*)\b", text[m.end() :], re.I
    )
    if hrd:
        span = (m.end() + hrd.start(), m.end() + hrd.end())
        out.append(_atom("biomarker", "==", span, text, code="HRD", value="positive",
                         attributes={"alteration": "status", "group": group}))  # fmt: skip
    return out


def biomarker_atoms(text: str, drug_spans: list[tuple[int, int]]) -> list[Atom]:
    out: list[Atom] = []
    lower = text.lower()
    genes = receptor_mentions(text, vocab.find_genes(text))
    listed, covered = _gene_list_atoms(text, genes) if len(genes) > 1 else ([], set())
    out.extend(listed)
    panel = _hrr_panel_atoms(text, covered) if "hrr" in lower or "homologous" in lower else []
    out.extend(panel)
    if panel:
        genes = [g for g in genes if g.code != "HRD"]
    if not genes and not has_any(
        lower, ("triple", "tnbc", "msi", "microsatellite", "mmr", "mismatch", "mss")
    ):
        return out
    if re.search(r"\btriple[\s-]*negative\b|\btnbc\b", lower):
        m = re.search(r"triple[\s-]*negative|tnbc", lower)
        assert m is not None
        for marker in ("ER", "PR", "HER2"):
            out.append(
                _atom(
                    "biomarker",
                    "==",
                    m.span(),
                    text,
                    code=marker,
                    value="negative",
                    attributes={"alteration": "status"},
                )
            )
    for m in re.finditer(
        r"\b(?:msi-?h(?:igh)?|microsatellite[\s-]+instab\w*[\s-]*(?:high|\(msi-?h\))?|msi\s+high)\b", lower
    ):
        out.append(
            _atom(
                "biomarker",
                "==",
                m.span(),
                text,
                code="MSI",
                value="MSI-H",
                attributes={"alteration": "status"},
            )
        )
    for m in re.finditer(
        r"\b(?:dmmr|mmr[\s-]*deficien\w*|mismatch[\s-]+repair[\s-]*(?:\(mmr\)\s*)?deficien\w*|deficient\s+mismatch\s+repair)\b",
        lower,
    ):
        out.append(
            _atom(
                "biomarker",
                "==",
                m.span(),
                text,
                code="MMR",
                value="dMMR",
                attributes={"alteration": "status"},
            )
        )
    for m in re.finditer(
        r"\b(?:mss|microsatellite[\s-]+stable|pmmr|mismatch[\s-]+repair[\s-]+proficient)\b", lower
    ):
        code = "MMR" if "mmr" in m.group(0) or "proficient" in m.group(0) else "MSI"
        out.append(
            _atom(
                "biomarker",
                "==",
                m.span(),
                text,
                code=code,
                value="pMMR" if code == "MMR" else "MSS",
                attributes={"alteration": "status"},
            )
        )
    taken = [a.span for a in out if a.span and a.attributes.get("group") is None]
    hr_named = any(g.code == "HR" for g in genes)
    for g in genes:
        if (
            g.start in covered
            or any(s <= g.start < e for s, e in drug_spans)
            or any(s <= g.start < e for s, e in taken if s is not None)
        ):
            continue
        tail = text[g.end : g.end + 60]
        code = g.code
        if code in ("MSI", "MMR"):
            continue
        # the androgen receptor's status and share of cells stained are read as ER / PR's (its splice
        # variant AR-V7, detected in circulating tumour cells, stays a gene alteration)
        receptor = code in ("ER", "PR") or (code == "AR" and g.text.lower() != "ar-v7")
        if code == "TMB":
            t = _TMB.search(text, g.end, g.end + 60)
            if t:
                out.append(
                    _atom(
                        "biomarker",
                        op_of(t.group("op")) or ">=",
                        (g.start, t.end()),
                        text,
                        code="TMB",
                        value=num_of(t.group("n")),
                        unit="mut/Mb",
                        attributes={"alteration": "status"},
                    )
                )
            elif re.match(r"[\s-]*(?:high|h\b)", tail, I) or g.text.lower().endswith(("high", "-h")):
                out.append(
                    _atom(
                        "biomarker",
                        "==",
                        (g.start, g.end),
                        text,
                        code="TMB",
                        value="high",
                        attributes={"alteration": "status"},
                    )
                )
            continue
        if code == "PD-L1":
            p = _PDL1.search(tail)
            if p and p.start() < 40 and num_of(p.group("n")) is not None:
                scale = (p.group("scale") or "").lower()
                sc = (
                    "cps"
                    if scale.startswith(("cps", "comb"))
                    else "tps"
                    if scale.startswith(("tps", "tum")) or p.group("pct")
                    else None
                )
                attrs = {"alteration": "ihc", **({"scale": sc} if sc else {})}
                out.append(
                    _atom(
                        "biomarker",
                        op_of(p.group("op")) or ">=",
                        (g.start, g.end + p.end()),
                        text,
                        code="PD-L1",
                        value=num_of(p.group("n")),
                        unit="%" if p.group("pct") else None,
                        attributes=attrs,
                    )
                )
                continue
        pct = _RECEPTOR_PCT.match(tail) if receptor else None
        if receptor and pct is None and _marker_status(code, tail) is None and not hr_named:
            # "ER and/or PR >= 1 %": the receptors share the percentage written after the last of them
            # (not on a line that states a hormone receptor status: its percentages define that status)
            shared = shared_status(text, g, genes, lambda t: _RECEPTOR_PCT.match(t) is not None)
            if shared and (pct := _RECEPTOR_PCT.match(shared[0])) is not None:
                tail, g = "", replace(g, end=shared[1] + pct.end())  # the span runs to the percentage
        if receptor and pct and num_of(pct.group("n")) is not None:
            # "ER ≤ 10%", "ER > 10% staining": the trial's own cut-off on the percentage of stained cells
            out.append(_atom("biomarker", op_of(pct.group("op")) or ">=", (g.start, g.end + (pct.end() if tail else 0)), text,
                             code=code, value=num_of(pct.group("n")), unit="%",
                             attributes={"alteration": "ihc"}))  # fmt: skip
            continue
        if receptor or code in ("HER2", "HR", "PD-L1", "HRD"):
            st = _marker_status(code, tail)
            if (
                st is None
                and receptor
                and re.match(r"\s*(?:and|/|or|and/or)\s*(?:PR|ER|AR|progesterone|estrogen|androgen)", tail, I)
            ):
                nxt = re.search(r"(?:PR|ER|AR|receptors?)\b", tail)
                st = _marker_status(code, tail[nxt.end() :]) if nxt else None
            if st is None and code in RECEPTORS:  # "ER, PR and HER2 negative", "positive for ER and PR"
                shared = shared_status(text, g, genes, lambda t: _marker_status("", t) is not None)
                st = _marker_status(code, shared[0]) if shared else None
                if st is not None and shared and shared[1] >= g.end:  # the span runs to the status word
                    said = _STATUS.search(shared[0])
                    g = replace(g, end=shared[1] + (said.end() if said else 0))
            # "HER2 gene copy number < 6", "HER2/CEP17 ratio below 2" (marker_cutoffs.py)
            her2_cut = her2_cutoff(tail) if code == "HER2" else None
            if her2_cut is not None:
                out.append(_atom("biomarker", her2_cut[0], (g.start, g.end + her2_cut[2]), text, code="HER2",
                                 attributes=her2_cut[1]))  # fmt: skip
                continue
            if st is None:
                amp = _AMPLIFICATION.match(tail) if code == "HER2" else None
                if amp:  # "lack of HER2 oncogene amplification": the ISH result
                    out.append(_atom("biomarker", "present", (g.start, g.end + amp.end()), text, code="HER2",
                                     attributes={"alteration": "amplification"}))  # fmt: skip
                continue
            op, _, value, attrs2 = st
            span = (g.start, g.end + (_STATUS.search(tail).end() if _STATUS.search(tail) else 0))  # type: ignore[union-attr]
            if code == "HR":
                for marker in ("ER", "PR"):
                    out.append(
                        _atom(
                            "biomarker",
                            op,
                            span,
                            text,
                            code=marker,
                            value=value,
                            attributes={**attrs2, "group": "hr"} if value == "positive" else attrs2,
                        )
                    )
            else:
                out.append(_atom("biomarker", op, span, text, code=code, value=value, attributes=attrs2))
            continue
        out.extend(_gene_atoms(text, g, tail))
    out = hr_definitions_dropped(text, out)  # "hormone receptor positive (ER and/or PR >= 1 %)"
    cut = {a.code for a in out if a.code in ("ER", "PR", "AR") and a.operator in ("<=", "<", ">=", ">")}
    if cut:  # "ER <= 10 % ... TNBC": the trial's own cut-off decides, not the label's status
        out = [a for a in out if not (a.code in cut and a.operator == "==")]
    return out


def _gene_atoms(text: str, g: vocab.Mention, tail: str) -> list[Atom]:
    codes = ["BRCA1", "BRCA2"] if g.code == "BRCA" else [g.code]
    window = text[g.end : g.end + 50]
    variant = _VARIANT.search(window)
    exon = _EXON.search(window)
    value: object = None
    alteration = None
    op = "present"
    end = g.end
    if exon:
        n = exon.group("n") or exon.group("n2")
        kind = (exon.group("kind") or exon.group("k2") or "").lower()
        label = (
            "deletion"
            if kind.startswith("del")
            else "insertion"
            if kind.startswith("ins")
            else "skipping"
            if kind.startswith("skip")
            else "mutation"
        )
        value, alteration, op, end = f"exon {n} {label}", "variant", "==", g.end + exon.end()
        extra = [v.group("v") for v in _VARIANT.finditer(window)]
        if extra:
            value, op = [value, *extra], "in"
            end = max(end, g.end + max(v.end() for v in _VARIANT.finditer(window)))
    elif variant and variant.start() < 25:
        vs = [variant.group("v")]
        for more in _VARIANT.finditer(window, variant.end()):
            if len(vs) < 6:
                vs.append(more.group("v"))
        value, alteration, op, end = (
            (vs[0] if len(vs) == 1 else vs),
            "variant",
            "==" if len(vs) == 1 else "in",
            g.end + variant.end(),
        )
    else:
        for kind, rx in _CUE_RES:
            c = rx.search(tail)
            if c:
                alteration, end = kind, g.end + c.end()
                break
        if alteration is None:
            # a bare gene name right after "positive"/"mutated" ("positive for EGFR mutation" handled above)
            before = text[max(0, g.start - 25) : g.start].lower()
            if re.search(
                r"(mutat\w*|positive|rearranged|amplified|alterations?|variants?)\s+(?:for\s+|in\s+(?:the\s+)?|of\s+(?:the\s+)?)?$",
                before,
            ):
                alteration = "mutation"
            else:
                return []
        if alteration == "absent":
            op, alteration = "absent", "mutation"
        elif (
            alteration == "mutation"
            and g.code in _FUSION_GENES
            and re.match(r"[\s-]*(?:positive|\+|-?rearranged)", tail, I)
        ):
            alteration = "fusion"
    group = "brca" if len(codes) > 1 else None
    return [
        _atom(
            "biomarker",
            op,
            (g.start, end),
            text,
            code=c,
            value=value,
            attributes={"alteration": alteration, **({"group": group} if group else {})},
        )
        for c in codes
    ]


# --- therapy -------------------------------------------------------------------------------------

_ALLERGY = compile_i(r"\b(?:hypersensitiv\w*|allerg\w*|intoleran\w*|contraindicat\w*|anaphyla\w*)\b")
# what an allergy is to ("allergic to eggs or soy beans", "hypersensitivity reaction to any excipient")
_ALLERGEN = compile_i(
    r"(?:\s+(?:reactions?|disorders?|history))?\s+(?:to|against|towards)\s+(?P<what>[^.;:()]*[^\W_][^.;:()]*)"
)
# the upper bound of a range said after its lower one ("at least one but no more than three")
_UPPER_BOUND = (
    r"(?:,?\s*(?:but|and)\s+(?:no\s+more\s+than|not\s+more\s+than|at\s+most|a\s+maximum\s+of|up\s+to))"
)
_LINES = compile_i(
    # "1, 2, or 3 prior lines": a list's items between its first and its last
    # "at least one but no more than three prior lines": a range said with both its bounds
    rf"(?:(?P<op>{OP})\s*)?(?P<n>{NUM})(?:(?:\s*,\s*{NUM})*\s*,?\s*(?:-|–|to|through|or|and|{_UPPER_BOUND})\s*(?P<m>{NUM}))?\s*(?P<more>\+|or\s+more|or\s+fewer|or\s+less)?\s*(?:prior\s+|previous\s+|lines?\s+of\s+|systemic\s+|standard\s+|different\s+|chemotherapy\s+|treatment\s+)*(?:lines?|regimens?)\b"
    # "at least two prior systemic therapies for advanced disease": a count of prior therapies
    # "either one or two prior treatments": a choice of counts is a range, never its last number
    rf"|(?:(?P<op2>{OP})\s*)?(?P<n2>{NUM})(?:\s*(?:-|–|to|through|or|{_UPPER_BOUND})\s*(?P<m2>{NUM}))?\s*(?P<more2>\+|or\s+more|or\s+fewer|or\s+less)?\s*(?:prior|previous)\s+"
    r"(?:(?:systemic|anti-?cancer|cytotoxic|standard|different|chemotherapy|treatment)\s+){0,2}(?:therapies|treatments|regimens|chemotherapies)\b",
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NAIVE = compile_i(
    r"\b(?:treatment[\s-]*na[iï]ve|therapy[\s-]*na[iï]ve|chemo(?:therapy)?[\s-]*na[iï]ve|previously\s+untreated|untreated\s+(?:patients|disease|\w+\s+cancer)|na[iï]ve\s+to\s+(?:systemic\s+)?(?:treatment|therapy)|no\s+prior\s+(?:systemic\s+)?(?:therapy|treatment|chemotherapy)(?:\s+for)?"
    # "no prior treatment with an antibody drug conjugate ...": a named treatment, not every one
    r"(?!\s+(?:with|by|using|of|containing|including|targeting)\b))\b",
)
_NON_THERAPY_CLASSES = {"radiotherapy", "surgery", "stem cell transplant"}
ANCHOR = "anchor"  # a drug named as the time anchor: no statement of the criterion (criteria/logic.py)
_ANCHOR_DRUG = compile_i(
    r"(?:\b(?:prior\s+to|before|after|following|since|until|preceding)\s+|\bwithin\s+\d+\s+\w+\s+of\s+)(?:the\s+|their\s+)?"
    r"(?:(?:first|initial|1st)\s+(?:dose|doses|administration|infusion|cycle|day)\s+of\s+|day\s+1\s+of\s+|"
    r"(?:starting|initiating|initiation\s+of|start\s+of|beginning)\s+)(?:the\s+)?(?:study\s+(?:drugs?\s+)?)?$"
)


def therapy_atoms(text: str) -> tuple[list[Atom], list[tuple[int, int]]]:
    out: list[Atom] = []
    spans: list[tuple[int, int]] = []
    low = text.lower()
    allergy = (
        _ALLERGY.search(text)
        if has_any(low, ("sensitiv", "allerg", "intoleran", "contraindic", "anaphyla"))
        else None
    )
    drugs = vocab.find_drugs(text)
    drugs += [c for c in vocab.find_drug_codes(text) if not any(d.start <= c.start < d.end for d in drugs)]
    classes = vocab.find_drug_classes(text)
    anchored: list[tuple[int, int]] = []
    if drugs or classes:  # "within 3 weeks prior to first dose of ipilimumab": a time anchor (logic.py)
        anchored = [
            (m.start, m.end)
            for m in (*drugs, *classes)
            if _ANCHOR_DRUG.search(text[max(0, m.start - 80) : m.start])
        ]
    for d in drugs:
        spans.append((d.start, d.end))
        if allergy:
            continue
        attrs: dict[str, object] = {"classes": d.attributes.get("classes", [])}
        if (d.start, d.end) in anchored:
            attrs[ANCHOR] = True
        out.append(_atom("prior_therapy", "present", (d.start, d.end), text, code=d.code, attributes=attrs))
    for c in classes:
        spans.append((c.start, c.end))
        if allergy or any(s <= c.start < e or c.start <= s < c.end for s, e in spans[: len(drugs)]):
            continue
        cattrs: dict[str, object] = {
            "class": c.code,
            **({ANCHOR: True} if (c.start, c.end) in anchored else {}),
        }
        out.append(_atom("prior_therapy", "present", (c.start, c.end), text, code=c.code, attributes=cattrs))
    if not allergy:
        out += _medication_atoms(text, spans)
    if allergy:
        # "contraindications to corticosteroid treatment" is a clinical judgement, no allergy: a record of
        # no known allergy does not clear it
        contraindication = allergy.group(0).lower().startswith("contraindic")
        allergy_attrs: dict[str, object] = {"drugs": [d.code for d in drugs] + [c.code for c in classes]}
        allergen = next(filter(None, (_ALLERGEN.match(text, m.end()) for m in _ALLERGY.finditer(text))), None)
        if allergen and not contraindication:  # "allergic to eggs or soy": only that allergen excludes
            allergy_attrs["allergen"] = " ".join(allergen.group("what").split())
        out.append(
            _atom(
                "comorbidity",
                "present",
                allergy.span(),
                text,
                code="contraindication" if contraindication else "hypersensitivity",
                attributes=allergy_attrs,
            )
        )
    for m in _LINES.finditer(text) if has_any(low, ("line", "regimen", "therapies", "treatments")) else ():
        raw_n = m.group("n") or m.group("n2")
        n = num_of(raw_n) if raw_n.lower() not in _NUMBER_WORDS else _NUMBER_WORDS[raw_n.lower()]
        if n is None or n > 15:
            continue
        raw_op = m.group("op") or m.group("op2")
        op = op_of(raw_op) if raw_op else None
        more = (m.group("more") or m.group("more2") or "").lower()
        if m.group("m") or m.group("m2"):
            raw_hi = m.group("m") or m.group("m2")
            hi = num_of(raw_hi)
            if op == ">":  # "more than one but no more than three"
                n += 1
            out.append(_atom("prior_lines", ">=", m.span(), text, value=int(n)))
            if hi is not None:
                out.append(_atom("prior_lines", "<=", m.span(), text, value=int(hi)))
            continue
        if more in ("+", "or more"):
            op = ">="
        elif more in ("or fewer", "or less"):
            op = "<="
        if op == ">":
            op, n = ">=", n + 1
        elif op == "<":
            op, n = "<=", n - 1
        out.append(_atom("prior_lines", op or "==", m.span(), text, value=int(n)))
    naive = _NAIVE.search(text) if has_any(low, ("naive", "naïve", "untreated", "no prior")) else None
    if naive:
        out.append(_atom("treatment_naive", "present", naive.span(), text))
    return out, spans


def _medication_atoms(text: str, taken: list[tuple[int, int]]) -> list[Atom]:
    """Concomitant drugs and their classes ("enzyme-inducing anti-epileptic drugs", "warfarin"):
    `prior_therapy` atoms marked `medication` (decided on the record's medications, never on its
    anticancer treatments). Drugs named after a class illustrate it ("CYP3A4 inhibitors (e.g.
    itraconazole)") and are no atoms of their own."""
    drugs = vocab.find_medications(text)
    # "a strong cytochrome P450 (CYP) 3A inhibitor", "enzyme inducers": read by their grammar (enzyme_classes.py);
    # a grammar reading that holds a vocabulary class and more wins ("inhibitors or strong inducers of CYP3A4":
    # the vocabulary's "strong inducers of CYP3A4" is one of its two classes)
    grammar = enzyme_classes(text)
    classes = [
        c
        for c in vocab.find_medication_classes(text)
        if not any(s <= c.start and c.end <= e and e - s > c.end - c.start for s, e, _ in grammar)
    ]
    acting = [(s, e, k) for s, e, k in grammar if not any(c.start < e and s < c.end for c in classes)]
    if not classes and not drugs and not acting:
        return []
    out: list[Atom] = []
    for c in [*((c.start, c.end, c.code) for c in classes), *acting]:
        if any(s <= c[0] < e for s, e in taken):
            continue
        taken.append((c[0], c[1]))
        out.append(_atom("prior_therapy", "present", (c[0], c[1]), text, code=c[2],
                         attributes={"class": c[2], "medication": True}))  # fmt: skip
    first_class = min([*(c.start for c in classes), *(s for s, _, _ in acting)], default=len(text))
    for d in drugs:
        if d.start > first_class or any(s <= d.start < e for s, e in taken):
            continue
        taken.append((d.start, d.end))
        out.append(_atom("prior_therapy", "present", (d.start, d.end), text, code=d.code,
                         attributes={"classes": d.attributes["classes"], "medication": True}))  # fmt: skip
    return out


# --- conditions: CNS disease, metastases, measurable disease, infections, comorbidities ------------

_BRAIN = compile_i(
    r"\b(?:brain|cns|central\s+nervous\s+system|cerebral|intracranial|intra-cranial)\s+(?:\([a-z]{2,5}\)\s+)?(?:metasta\w*|mets|lesions?|involvement|disease|tumou?rs?)\b|\bcns\s+metastas\w*|\bmetasta\w+\s+(?:to|in)\s+the\s+(?:brain|cns|central\s+nervous\s+system)\b",
)
_PRIMARY_BEFORE = compile_i(r"\bprimary\s+$")
_BARE_COUNT_BEFORE = compile_i(r"(?:^|[\s(])\d{1,2}\s+(?:intraparenchymal\s+|distinct\s+|separate\s+)?$")
_HISTORY_BEFORE = compile_i(r"\b(?:history\s+of|prior|previous|past)\s+(?:known\s+|treated\s+)?$")
_LEPTO = compile_i(
    r"\b(?:leptomeningeal|meningeal\s+carcinomatosis|carcinomatous\s+meningitis|leptomeningeal\s+carcinomatosis)\b",
)
_MEASURABLE = compile_i(
    r"\b(?:measurable\s+(?:disease|lesions?|tumou?rs?)|recist(?:\s+v?(?:ersion\s+)?1\.1)?)\b"
)


_NON_MEASURABLE = compile_i(r"non-?measurable")
_HEP_B_AND_C = compile_i(r"\bhepatitis\s+b\s*(?:,|/|or|and|and/or)\s*(?:hepatitis\s+)?c\b")
_ACTIVE_HEP = compile_i(r"\bactive|uncontrolled|chronic\b")
_PAST_INFECTION = compile_i(r"\b(?:previously\s+treated|treated|history\s+of|prior|past|resolved)\b")
_ACTIVE_INFECTION = compile_i(r"\b(?:active|uncontrolled|acute|chronic|detectable|positive)\b")


@functools.cache
def _condition_index() -> tuple[vocab.PhraseIndex, dict[str, str]]:
    entries: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for row in load_tsv("vocab/conditions.tsv"):
        for phrase in [p.strip() for p in row["phrases"].split("|") if p.strip()]:
            entries.setdefault(phrase, row["kind"] + ":" + row["code"])
        kinds[row["kind"] + ":" + row["code"]] = row["kind"]
    return vocab.PhraseIndex(entries), kinds


# counts of lesions: "≤ 3 brain metastases", "one or two intraparenchymal brain metastases", "1-4 brain
# lesions", "more than 5 lesions overall", "no more than 3 metastatic sites"
_COUNT_NOUN = (
    r"(?P<brain>(?:brain|cns|cerebral|intracranial|intraparenchymal)\s+(?:\w+\s+){0,1}?)?"
    r"(?:(?:distant|metastatic|measurable|target|tumou?r|bone|liver|lung)\s+)?"
    r"(?P<noun>metastas[ie]s|mets|lesions|sites|metastatic\s+(?:lesions|sites|deposits))\b"
)
_COUNT = compile_i(
    rf"(?:(?P<op>{OP})\s*)?(?P<n>{NUM})\s*(?:(?:-|–|to|or)\s*(?P<m>{NUM})\s*)?"
    rf"(?:(?:or\s+(?P<more>more|fewer|less))\s+)?(?:\w+\s+){{0,2}}?{_COUNT_NOUN}"
)
_COUNT_AFTER = compile_i(r"^\s*(?:in\s+the\s+brain|to\s+the\s+brain|\(brain\)|in\s+the\s+cns)")


def count_atoms(text: str) -> list[Atom]:
    """Counts of metastases or lesions (`metastasis` atoms with `attributes["count"]`, the comparison
    in operator / value; code "brain" for brain metastases). Decided by a record that counts them
    (`metastasis` facts with `attributes["count"]`), else unknown: never presence alone."""
    out: list[Atom] = []
    for m in _COUNT.finditer(text):
        n = num_of(m.group("n"))
        if n is None or n > 50 or n != int(n):
            continue
        op = op_of(m.group("op") or "") if m.group("op") else None
        more = (m.group("more") or "").lower()
        if m.group("m"):
            hi = num_of(m.group("m"))
            if hi is None or hi < n:
                continue
            bounds = [(">=", n), ("<=", hi)]
        elif more:
            bounds = [(">=" if more == "more" else "<=", n)]
        elif op:
            bounds = [(op, n)]
        elif n >= 1 and re.match(r"\s*(?:\(|only\b|\bor\s+less|\bmaximum)", text[m.end() :]) is None:
            bounds = (
                [("==", n)]
                if text[max(0, m.start() - 12) : m.start()].strip().lower().endswith(("with", "have", "has"))
                else []
            )
        else:
            bounds = []
        if not bounds:
            continue
        brain = bool(m.group("brain")) or bool(_COUNT_AFTER.match(text[m.end() :]))
        what = (
            "brain metastases"
            if brain
            else "lesions"
            if "lesion" in m.group("noun").lower()
            else "metastases"
        )
        for o, v in bounds:
            out.append(_atom("metastasis", o, m.span(), text, code="brain" if brain else None, value=v,
                             attributes={"count": what}))  # fmt: skip
    return out


def condition_atoms(text: str) -> list[Atom]:
    out: list[Atom] = []
    low = text.lower()
    counts = count_atoms(text) if has_any(low, ("metasta", "mets", "lesion", "sites")) else []
    out.extend(counts)
    counted = [a.span for a in counts if a.span and a.code == "brain"]
    brain_gate = has_any(low, ("brain", "cns", "central nervous", "cerebral", "cranial"))
    for m in _BRAIN.finditer(text) if brain_gate else ():
        if any(s <= m.start() < e for s, e in counted):
            continue  # "≤ 3 brain metastases": the count decides, not the presence
        if _BARE_COUNT_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue  # "3 metastases in the brain" (its "≥" lost): a count of unknown sense, not the presence
        if _PRIMARY_BEFORE.search(text, max(0, m.start() - 12), m.start()) and m.group(0).lower().endswith(
            ("tumor", "tumour", "tumors", "tumours")
        ):
            continue  # "primary brain tumor": a cancer of the brain (cancer_type), not brain metastases
        around = text[max(0, m.start() - 40) : m.end() + 80].lower()
        status = "any"
        if re.search(r"\b(?:stable|treated|asymptomatic)\b", around) and not re.search(
            r"\buntreated\b", around
        ):
            # "... unless previously treated": the exception's status is not the one excluded (verdicts42)
            status = excepted_status(text, m.start(), m.end()) or "treated_stable"
        if re.search(r"\buntreated\b", around):
            status = "untreated"
        if re.search(r"\bsymptomatic\b", around) and not re.search(r"\basymptomatic\b", around):
            status = "symptomatic"
        # "any history of brain metastases or any other active CNS disease": "active" after a history
        # qualifies what follows; a history of brain metastases is one whatever their status now
        history = _HISTORY_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if re.search(r"\bactive\b", text[max(0, m.start() - 40) : m.start()] if history else around):
            status = "active"
        out.append(_atom("brain_metastases", "present", m.span(), text, attributes={"status": status}))
        break
    lepto = _LEPTO.search(text) if ("lepto" in low or "mening" in low) else None
    if lepto:
        out.append(_atom("leptomeningeal_disease", "present", lepto.span(), text))
    meas = _MEASURABLE.search(text) if ("measurable" in low or "recist" in low) else None
    if meas and not _NON_MEASURABLE.search(text[max(0, meas.start() - 5) : meas.end()]):
        out.append(_atom("measurable_disease", "present", meas.span(), text))
    hep = None if "hepatitis" not in low else _HEP_B_AND_C.search(text)
    if hep:
        c_start = hep.end() - 1
        out.append(
            _atom(
                "infection",
                "present",
                (c_start, hep.end()),
                text,
                code="hepatitis_c",
                attributes={"active": bool(_ACTIVE_HEP.search(text[max(0, hep.start() - 30) : hep.end()]))},
            )
        )
    index, kinds = _condition_index()
    brain_spans = [a.span for a in out if a.span]
    for c in index.find(text):
        if any(s <= c.start < e for s, e in brain_spans if s is not None and e is not None):
            continue
        kind, code = c.code.split(":", 1)
        attrs: dict[str, object] = {}
        if kind == "infection":  # "known HIV infection, active hepatitis B": "active" is hepatitis B's
            before = re.split(r"[,;(]", text[max(0, c.start - 30) : c.start])[-1]
            # "acute or previously treated tuberculosis": a treated, past infection counts too
            attrs["active"] = bool(_ACTIVE_INFECTION.search(before + text[c.start : c.end])) and not (
                _PAST_INFECTION.search(before)
            )
        out.append(_atom(kind, "present", (c.start, c.end), text, code=code, attributes=attrs))
    return out
