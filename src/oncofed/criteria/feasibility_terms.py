"""The values a feasibility question may name, resolved against the project's vocabularies, with the
closest known values when one is unknown (QA finding: "Breast cancer", "ZZZZ", stage "V", gene
"NOTAGENE", metastasis "brian" were accepted, counted nobody and still spent privacy budget).

Each `resolve_*` returns the canonical value the matcher compares (an OncoTree code, a stage group,
an HGNC symbol or marker, a site code, a lower-case INN, a drug class, a lab analyte) or raises
`UnknownTerm` with suggestions. Only the vocabularies are consulted, never the patient data: whether a
value is accepted must not tell anything about who is in the network.

Sources (each file states its own at the top): OncoTree `vocab/oncotree.tsv` (codes, names, trial-text
synonyms) through `criteria.oncotree`, and French names `vocab/fr/cancers.tsv`; genes `vocab/genes.tsv`;
drugs `vocab/drugs.tsv`, classes `vocab/drug_classes.tsv`; analytes `labs.tsv` and `vocab/labs.tsv`;
metastatic sites: the site codes patient facts carry (`vocab/conditions.tsv` metastasis rows,
`patients/codes.yaml` SNOMED CT sites, `vocab/notes_patient.yaml` note sites).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from oncofed.criteria import oncotree, vocab
from oncofed.resources import load_tsv, load_yaml

# Words clinicians add to a tissue's name: "Breast cancer" means the breast's cancers (OncoTree BREAST)
_GENERIC = re.compile(
    r"\s+(cancers?|tumou?rs?|neoplasms?|malignanc(?:y|ies)|neoplasia)$|^(cancers?|tumou?rs?)\s+of\s+(the\s+)?"
)
STAGE_GROUPS = (
    "0", "I", "IA", "IB", "IC", "II", "IIA", "IIB", "IIC",
    "III", "IIIA", "IIIB", "IIIC", "IIID", "IV", "IVA", "IVB", "IVC",
)  # fmt: skip
_STAGE = re.compile(r"^(?:stage\s*)?(0|iv|i{1,3}|[1-4])([a-d]?)$")
_ARABIC = {"1": "I", "2": "II", "3": "III", "4": "IV"}


class UnknownTerm(ValueError):
    """A value no vocabulary knows: `what` names the kind of value, `suggestions` the closest ones."""

    def __init__(self, what: str, value: str, suggestions: list[str], hint: str) -> None:
        super().__init__(f"unknown {what} {value!r}")
        self.what, self.value, self.suggestions, self.hint = what, value, suggestions, hint

    @property
    def fix(self) -> str:
        closest = f"closest: {', '.join(self.suggestions)}; " if self.suggestions else ""
        return closest + self.hint


def _key(text: str) -> str:
    """Lower case, accents and punctuation spacing folded: "Non-small cell" -> "non small cell"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[\s\-_/,]+", " ", folded.lower()).split())


def _closest(
    value: str, names: dict[str, str], label: dict[str, str] | None = None, n: int = 4, also: str = ""
) -> list[str]:
    """Up to `n` distinct canonical values whose names are closest to `value` (or to `also`, another
    reading of it), by difflib, the standard library's matcher (as for centre names in
    services/network/names.py)."""
    scored: dict[str, float] = {}
    for query in {_key(value), _key(also)} - {""}:
        for name in difflib.get_close_matches(query, list(names), n=3 * n, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, query, name).ratio()
            shown = (label or {}).get(names[name], names[name])
            scored[shown] = max(scored.get(shown, 0.0), ratio)
    return [s for s, _ in sorted(scored.items(), key=lambda kv: -kv[1])][:n]


# --- cancer types (OncoTree) -------------------------------------------------------------------


@functools.cache
def _cancer_names() -> dict[str, str]:
    """Every way of naming a shared-tree code: code, OncoTree name, trial-text synonym, French name."""
    out: dict[str, str] = {}
    codes = oncotree.shared_codes()
    for code in codes:
        out.setdefault(_key(code), code)
    for code in codes:
        out.setdefault(_key(oncotree.shared_name(code) or code), code)
    for code, row in oncotree.shared_rows().items():
        for synonym in (row.get("synonyms") or "").split("|"):
            if synonym.strip() and code in codes:
                out.setdefault(_key(synonym), code)
    for row in load_tsv("vocab/fr/cancers.tsv"):
        if row["oncotree"] in codes:
            out.setdefault(_key(row["french"]), row["oncotree"])
    return out


def cancer_label(code: str) -> str:
    return f"{code} ({oncotree.shared_name(code) or oncotree.name(code) or '?'})"


def resolve_cancer_type(value: str) -> str:
    """An OncoTree code of the shared tree from a code, a name or the words clinicians type:
    "brca" -> BRCA, "Melanoma" -> MEL, "Breast cancer" -> BREAST (the tissue: every breast cancer),
    "colorectal cancer" -> COADREAD, "cancer du sein" -> BRCA."""
    names = _cancer_names()
    key = _key(value)
    shared = set(oncotree.shared_codes())
    if value.strip().upper() in shared:
        return value.strip().upper()
    candidates = [key, _GENERIC.sub("", key).strip()]
    for candidate in candidates:  # exact code or OncoTree name, then without "cancer"/"tumour"
        for code in shared:
            if candidate in (_key(code), _key(oncotree.shared_name(code) or "")):
                return code
    for candidate in candidates:  # trial-text synonyms and French names, whole value only
        if candidate in names:
            return names[candidate]
    extra = oncotree.nodes().get(value.strip().upper())
    if extra is not None and not extra.shared:
        nearest = next((c for c in oncotree.lineage(extra.parent) if c in shared), None)
        raise UnknownTerm(
            "cancer type",
            value,
            [cancer_label(nearest)] if nearest else [],
            f"{extra.code} ({extra.name}) is not one of the codes records are stored with; use its nearest "
            "shared ancestor",
        )
    label = {c: cancer_label(c) for c in shared}
    raise UnknownTerm(
        "cancer type",
        value,
        _closest(value, names, label, also=_GENERIC.sub("", key).strip()),
        "write an OncoTree code or name (e.g. BRCA, LUAD, MEL, COADREAD; the tree: oncotree.mskcc.org)",
    )


# --- stage groups ------------------------------------------------------------------------------


def resolve_stage(value: str) -> str:
    """A stage group: "IV", "stage 3" -> "III", "iiib" -> "IIIB" ("III" also matches IIIA-IIIC)."""
    found = _STAGE.match(_key(str(value)).replace(" ", ""))
    if found:
        group = _ARABIC.get(found.group(1), found.group(1).upper()) + found.group(2).upper()
        if group in STAGE_GROUPS:
            return group
    names = {g.lower(): g for g in STAGE_GROUPS}
    return _refuse("stage", value, names, f"write a stage group: {', '.join(STAGE_GROUPS)}")


# --- genes and markers -------------------------------------------------------------------------


@functools.cache
def _gene_names() -> dict[str, str]:
    out: dict[str, str] = {}
    rows = load_tsv("vocab/genes.tsv")
    for row in rows:
        out.setdefault(_key(row["symbol"]), row["symbol"])
    for row in rows:
        for synonym in (row.get("synonyms") or "").split("|"):
            if synonym.strip():
                out.setdefault(_key(synonym), row["symbol"])
    return out


def resolve_gene(value: str) -> str:
    """An HGNC symbol or the contract's marker (HER2, ER, PR, PD-L1, MSI, MMR, TMB, HRD): "her2/neu" ->
    HER2, "c-met" -> MET. Genes outside `vocab/genes.tsv` are refused (the list is the project's)."""
    names = _gene_names()
    key = _key(value)
    if key in names:
        return names[key]
    return _refuse(
        "gene or marker",
        value,
        names,
        "write an HGNC symbol or a marker of resources/vocab/genes.tsv (e.g. EGFR, KRAS, HER2, PD-L1, MSI)",
    )


# --- metastatic sites --------------------------------------------------------------------------


@functools.cache
def _site_names() -> dict[str, str]:
    """Site codes that patient facts carry, and the phrases naming them."""
    out: dict[str, str] = {}
    codes: set[str] = set()
    for row in load_tsv("vocab/conditions.tsv"):
        if row["kind"] == "metastasis":
            codes.add(row["code"])
    codes |= {str(v) for v in (load_yaml("patients/codes.yaml").get("snomed_metastasis") or {}).values()}
    notes = load_yaml("vocab/notes_patient.yaml") or {}
    codes |= set((notes.get("metastasis_phrases") or {}).keys())
    codes.discard("unspecified")
    for code in sorted(codes):
        out[_key(code)] = code  # "lymph_node" -> "lymph node"
    for row in load_tsv("vocab/conditions.tsv"):
        if row["kind"] == "metastasis":
            for phrase in (row.get("phrases") or "").split("|"):
                out.setdefault(_key(phrase), row["code"])
    for code, phrases in (notes.get("metastasis_phrases") or {}).items():
        for phrase in phrases or []:
            out.setdefault(_key(str(phrase)), str(code))
    return out


def resolve_site(value: str) -> str:
    """A metastatic site code: "brain", "Liver metastases" -> liver, "lymph nodes" -> lymph_node."""
    names = _site_names()
    key = _key(value)
    for candidate in (key, re.sub(r"s$", "", key), re.sub(r"\s+(metastas[ie]s|mets)$", "", key)):
        if candidate in names:
            return names[candidate]
    codes = sorted(set(names.values()))
    return _refuse("metastatic site", value, names, f"write one of: {', '.join(codes)}")


# --- drugs and classes -------------------------------------------------------------------------


@functools.cache
def _drug_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in load_tsv("vocab/drugs.tsv"):
        out.setdefault(_key(row["drug"]), row["drug"])
        for synonym in (row.get("synonyms") or "").split("|"):
            if synonym.strip():
                out.setdefault(_key(synonym), row["drug"])
    return out


@functools.cache
def _class_names() -> dict[str, str]:
    out: dict[str, str] = {}
    classes = [row["class"] for row in load_tsv("vocab/drug_classes.tsv")]
    for row in load_tsv("vocab/drugs.tsv"):
        classes += [c.strip() for c in (row.get("classes") or "").split("|") if c.strip()]
    for klass in classes:
        out.setdefault(_key(klass), klass)
    for row in load_tsv("vocab/drug_classes.tsv"):
        for phrase in (row.get("phrases") or "").split("|"):
            if phrase.strip():
                out.setdefault(_key(phrase), row["class"])
    return out


def resolve_drug(value: str) -> str:
    """A drug's lower-case INN from its INN, brand or code name ("Keytruda" -> pembrolizumab)."""
    names = _drug_names()
    key = _key(value)
    if key in names:
        return names[key]
    return _refuse("drug", value, names, "write the drug's INN (e.g. osimertinib), or give a class instead")


def resolve_drug_class(value: str) -> str:
    """A drug class of the contract ("Platinum" -> platinum, "PD-1 inhibitor" -> anti-PD-1)."""
    names = _class_names()
    key = _key(value)
    if key in names:
        return names[key]
    return _refuse(
        "drug class",
        value,
        names,
        "write a class of resources/vocab/drug_classes.tsv (e.g. platinum, taxane, anti-PD-1, EGFR TKI)",
    )


# --- laboratory analytes -----------------------------------------------------------------------


@functools.cache
def _analyte_names() -> dict[str, str]:
    out = {_key(a): a for a in vocab.lab_reference()}
    for row in load_tsv("vocab/labs.tsv"):
        for synonym in (row.get("synonyms") or "").split("|"):
            if synonym.strip():
                out.setdefault(_key(synonym), row["analyte"])
    return out


def resolve_analyte(value: str) -> str:
    """An analyte id of resources/labs.tsv ("neutrophils" -> anc, "Hb" -> hemoglobin)."""
    names = _analyte_names()
    key = _key(value)
    if key in names:
        return names[key]
    return _refuse("lab analyte", value, names, f"write one of: {', '.join(sorted(vocab.lab_reference()))}")


def _refuse(what: str, value: str, names: dict[str, str], hint: str) -> str:
    raise UnknownTerm(what, str(value), _closest(str(value), names), hint)
