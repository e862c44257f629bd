"""Vocabularies the evaluator needs: OncoTree ancestry, laboratory units and limits, drug names.

The OncoTree hierarchy comes from `oncofed.criteria.oncotree` (the one reader of the OncoTree files).
Should the hierarchy be empty, codes are compared exactly (a LUAD patient then does not match an
NSCLC-only criterion); the evidence says so, so a person knows the comparison was exact.
"""

from __future__ import annotations

import functools
import re

from oncofed.criteria import oncotree
from oncofed.resources import load_tsv, resource_path

# Marker aliases: the same marker under its HGNC symbol and its usual clinical name.
MARKER_ALIASES = {"ERBB2": "HER2", "CD274": "PD-L1", "PDL1": "PD-L1", "ESR": "ER", "PGR": "PR"}
# Karnofsky <-> ECOG. The published correspondences disagree by one step: 100-90 -> 0, 80-70 -> 1, 60-50 -> 2
# ... (Oken et al., Am J Clin Oncol 1982, as usually tabulated) against 100 -> 0, 90-80 -> 1, 70-60 -> 2,
# 50-40 -> 3, 30-20 -> 4 (the ECOG-ACRIN table). A converted score is the range both allow (Karnofsky 70 is
# ECOG 1 or 2), so that a criterion on the other scale is decided only where they agree.
ECOG_TO_KARNOFSKY = {0: (90, 100), 1: (70, 90), 2: (50, 70), 3: (30, 50), 4: (10, 30), 5: (0, 0)}


def karnofsky_to_ecog(kps: float) -> int:
    """ECOG grade for a Karnofsky score (100-90 -> 0, 80-70 -> 1, 60-50 -> 2, 40-30 -> 3, 20-10 -> 4)."""
    if kps >= 90:
        return 0
    if kps >= 70:
        return 1
    if kps >= 50:
        return 2
    if kps >= 30:
        return 3
    return 4 if kps > 0 else 5


def karnofsky_to_ecog_range(kps: float) -> tuple[int, int]:
    """The ECOG grades a Karnofsky score may be under either published table (70 -> (1, 2))."""
    if kps <= 0:
        return 5, 5
    acrin = 0 if kps >= 100 else 1 if kps >= 80 else 2 if kps >= 60 else 3 if kps >= 40 else 4
    usual = karnofsky_to_ecog(kps)
    return min(usual, acrin), max(usual, acrin)


def oncotree_parents() -> dict[str, str]:
    """code -> parent code of the shared OncoTree (`oncofed.criteria.oncotree`, the one reader)."""
    return oncotree.parents()


oncotree_lineage = oncotree.lineage  # the code and its ancestors, nearest first


@functools.cache
def named_forms(code: str) -> frozenset[str]:
    """The codes of the same tissue this one is a form of by its name, where the tree does not say so: a name
    ending with another code's whole name of two words or more ("Bladder Urothelial Carcinoma" is a form of
    "Urothelial Carcinoma", which OncoTree files beside it under Bladder/Urinary Tract, not above it)."""
    own = (oncotree.name(code.upper()) or "").lower()
    line = oncotree_lineage(code)
    if not own or len(line) < 2:
        return frozenset()
    tissue = line[-2]
    out = set()
    for other in oncotree.nodes():
        words = (oncotree.name(other) or "").lower()
        named = other not in line and len(words.split()) >= 2 and own.endswith(" " + words)
        if named and tissue in oncotree_lineage(other):
            out.add(other)
    return frozenset(out)


def oncotree_is_within(patient_code: str, criterion_codes: tuple[str, ...]) -> bool | None:
    """True when the patient's code is one of `criterion_codes` or below one of them (subtree).

    Returns None when the patient's code is *above* a criterion code (e.g. patient NSCLC, criterion
    LUAD: the subtype is not known), so the matcher answers unknown rather than guessing.
    """
    wanted = {c.upper() for c in criterion_codes}
    lineage = oncotree_lineage(patient_code)
    if wanted & (set(lineage) | named_forms(patient_code)):
        return True
    if any(
        patient_code.upper() in oncotree_lineage(c)[1:] or patient_code.upper() in named_forms(c)
        for c in wanted
    ):
        return None
    return False


def oncotree_tissue(code: str) -> str | None:
    """The organ (OncoTree tissue: the level under the root) of a code; None when not in the tree."""
    line = oncotree_lineage(code)
    return line[-2] if len(line) >= 2 and line[-1] == oncotree.ROOT else None


# Tissues OncoTree defines by a histology rather than an organ: a sarcoma or a GIST (soft tissue) and a
# lymphoma (lymphoid) arise in an organ ("leiomyosarcoma of the uterus", "GIST of the stomach", "gastric
# lymphoma"), so against a cancer named by its organ alone ("uterine cancer", OncoTree's UTERUS, which holds
# uterine leiomyosarcoma) the organ a clinician means is unknown: not another organ.
ORGANLESS_TISSUES = frozenset({"SOFT_TISSUE", "LYMPH"})
# one disease OncoTree files under two tissues: melanoma of the skin or a mucosa (under SKIN) and of the uvea
# (EYE); a melanoma is also the mucosal melanoma of an organ named alone ("head and neck cancer")
MELANOMAS = frozenset({"MEL", "UM"})


def _melanoma(code: str) -> bool:
    return bool(MELANOMAS & set(oncotree_lineage(code)))


def _organ_only(code: str, tissue: str) -> bool:
    """Whether a code names an organ alone (the tissue itself: "uterine cancer"), any histology of it."""
    return (
        code.upper() == tissue
        and tissue not in ORGANLESS_TISSUES
        and tissue not in oncotree.LIQUID_MAIN_TYPES
    )


def organs_differ(a: str, b: str) -> bool:
    """Whether two cancers are in two organs a clinician tells apart: both codes in the tree, in two tissues,
    not two melanomas, and not a sarcoma / GIST / lymphoma / melanoma against a cancer named by its organ
    alone (it may be that organ's sarcoma, lymphoma or mucosal melanoma)."""
    ta, tb = oncotree_tissue(a), oncotree_tissue(b)
    if ta is None or tb is None or ta == tb:
        return False
    if _melanoma(a) and _melanoma(b):
        return False
    for x, tx, y, ty in ((a, ta, b, tb), (b, tb, a, ta)):
        if (tx in ORGANLESS_TISSUES or _melanoma(x)) and _organ_only(y, ty):
            return False
    return True


def another_organ(patient_code: str | None, criterion_codes: tuple[str, ...]) -> bool:
    """Whether the patient's cancer is in another organ (OncoTree tissue) than each of `criterion_codes`:
    a breast cancer against "NSCLC or SCLC", a solid tumour against "lymphoma" (the lymphoid and
    myeloid tissues are the haematological cancers). False when a code is not in the tree (nothing said)
    and where the organ is not fixed (`organs_differ`: a uterine leiomyosarcoma against "uterine cancer")."""
    if not patient_code or not criterion_codes:
        return False
    return all(organs_differ(patient_code, c) for c in criterion_codes)


def has_oncotree_hierarchy() -> bool:
    return bool(oncotree_parents())


@functools.cache
def lab_table() -> dict[str, dict[str, str]]:
    return {row["analyte"]: row for row in load_tsv("labs.tsv")}


def lab_uln(analyte: str) -> float | None:
    row = lab_table().get(analyte)
    value = (row or {}).get("uln") or ""
    return float(value) if value else None


def lab_unit(analyte: str) -> str:
    return (lab_table().get(analyte) or {}).get("unit", "")


def marker_key(code: str | None) -> str:
    """A biomarker/gene code normalised for comparison (upper case, clinical alias)."""
    key = (code or "").strip().upper().replace(" ", "")
    return MARKER_ALIASES.get(key, key)


_SEPARATORS = re.compile(r"[\s_\-]+")


def norm_text(value: object) -> str:
    """Lower-case text with spaces, hyphens and underscores collapsed (for variant/class names)."""
    return _norm_str(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=65536)
def _norm_str(value: str) -> str:
    return _SEPARATORS.sub(" ", value.strip().lower())


DRUG_FILES = ("vocab/drugs.tsv",)


@functools.cache
def _drug_class_table() -> dict[str, tuple[str, ...]]:
    for name in DRUG_FILES:
        if resource_path(name).exists():
            return {
                norm_text(row["drug"]): tuple(
                    norm_text(c) for c in (row.get("classes") or "").split("|") if c.strip()
                )
                for row in load_tsv(name)
            }
    return {}


@functools.lru_cache(maxsize=65536)
def drug_classes(drug: str) -> tuple[str, ...]:
    """Classes of a drug (lower-case INN) from the criteria vocabulary (`vocab/drugs.tsv`), if present."""
    found = _drug_class_table().get(norm_text(drug), ())
    if not found and " " in drug:  # an antibody-drug conjugate named by its INN payload stem ("-vedotin")
        from oncofed.criteria.vocab import drug_classes as by_stem

        found = tuple(norm_text(c) for c in by_stem(drug.lower()))
    return found


@functools.cache
def _therapy_groups() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """generic name -> drug classes it covers (resources/vocab/therapy_groups.tsv); the names that
    cover every anticancer drug ('*')."""
    if not resource_path("vocab/therapy_groups.tsv").exists():
        return {}, frozenset()
    covers: dict[str, frozenset[str]] = {}
    everything: set[str] = set()
    for row in load_tsv("vocab/therapy_groups.tsv"):
        names = [norm_text(n) for n in (row.get("names") or "").split("|") if n.strip()]
        classes = frozenset(norm_text(c) for c in (row.get("classes") or "").split("|") if c.strip())
        for name in names:
            if classes == {"*"}:
                everything.add(name)
            else:
                covers[name] = covers.get(name, frozenset()) | classes
    return covers, frozenset(everything)


# classes that are no systemic anticancer therapy: local treatments, supportive and concomitant drugs
NOT_SYSTEMIC_CLASSES = frozenset(
    norm_text(c)
    for c in (
        "radiotherapy", "radiation", "surgery", "stem cell transplant", "corticosteroid", "steroid",
        "immunosuppressive therapy", "live vaccine", "vaccine", "bone-modifying agent", "growth factor",
        "anticoagulant", "folate analogue", "supportive care",
    )
)  # fmt: skip


@functools.lru_cache(maxsize=4096)
def generic_names_of(classes: frozenset[str]) -> frozenset[str]:
    """The generic therapy names ("chemotherapy", "systemic therapy") a drug with these classes falls
    under; every drug of the anticancer vocabulary is a systemic anticancer therapy, but radiotherapy,
    surgery, steroids and supportive drugs are not ("not receiving systemic therapy" with
    dexamethasone)."""
    covers, everything = _therapy_groups()
    out = {name for name, covered in covers.items() if classes & covered}
    systemic = classes - NOT_SYSTEMIC_CLASSES
    return frozenset(out | (everything if systemic else frozenset()))


@functools.lru_cache(maxsize=4096)
def class_alternatives(klass: str) -> frozenset[str]:
    """ "anti-PD-1/PD-L1" -> {"anti pd 1/pd l1", "anti pd 1", "anti pd l1"} (normalised)."""
    out = {norm_text(klass)}
    if "/" in klass:
        head, *rest = klass.split("/")
        out.add(norm_text(head))
        prefix = "anti-" if head.lower().startswith("anti") else ""
        out.update(norm_text(prefix + r if prefix and not r.lower().startswith("anti") else r) for r in rest)
    return frozenset(out)
