"""A cancer an inclusion permission names is one more of the trial's cancers.

"Histologically confirmed high-grade serous ovarian cancer" then "Patients with clear cell carcinoma of the
ovary are also eligible" / "Les patientes atteintes d'un carcinosarcome utérin sont éligibles": the
permission is no requirement of its own (criteria/conditions.py makes it the line's one condition atom, its
`permits` saying what it is about), but the cancer it names widens the cancer the trial's other inclusion
lines require: read alone, the first line excluded the very patients the second one admits (and the organ
question, `matching.trust`, called their cancer another organ's). The permitted codes join the value of
every positive, current cancer-type requirement of the inclusions in the same cohort (a permission outside
any cohort: the requirements outside any cohort), recorded in `attributes["permitted"]`; a permitted cancer
the vocabulary did not read ("neuroendocrine tumour of the rectum") marks them `unread_cancer`, as a basket
line naming one does (criteria/cancer_site.py): the organ question is not asked.

Left alone: a permission about a past or second cancer ("patients with a history of breast cancer treated
more than 5 years ago are eligible", "other malignancies in remission"), which is about the history
exclusion, not the trial's cancer; a trial whose inclusions require no cancer (the permission then asks
nothing: "also eligible" says who may enter, not who must). Lines from the registry's structured fields
(index < 0) are left alone. Pure text analysis (an engine: imports `domain` and the criteria helpers only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from oncofed.criteria import vocab
from oncofed.criteria.cancer_site import unread_cancer
from oncofed.criteria.caseless import compile_i
from oncofed.domain import Atom, Criterion, Section

# a permission about a past, second or other cancer: the history exclusion's business
_OTHER_CANCER = compile_i(
    r"\b(?:history|h/o|prior|previous|previously|past|treated|cured|remission|disease[\s-]free|survivors?|"
    r"in\s+situ|second|other|another|synchronous|metachronous|concurrent|concomitant|antécédents?|"
    r"autres?|ant[ée]rieur\w*)\b"
)
# a permission that admits patients ("Patients with X are also eligible", "Les patientes atteintes d'un X sont
# éligibles"), not one about the population's features ("Breast cancer may be of any receptor status")
_ADMITS = compile_i(
    r"\b(?:patients?|patientes?|subjects?|sujets|participants?|participantes?|women|men|femmes|hommes|"
    r"individuals|persons|those)\s+(?:[\w-]+\s+){0,2}?(?:with|who\s+have|having|diagnosed\s+with|harbou?ring|"
    r"atteints?|atteintes?|porteu(?:r|se)s?|avec|pr[ée]sentant)\b"
)
# what a permission naming the trial's cancer may also say (its subtype, marker, setting, histology; "female
# patients with ..." its population)
_CANCER_KINDS = frozenset({"cancer_type", "biomarker", "histology", "disease_setting", "stage", "tnm", "sex"})


def _permitted(c: Criterion) -> tuple[list[str], bool] | None:
    """The cancer codes an inclusion permission names and whether it names a cancer the vocabulary did not
    read ("neuroendocrine tumour of the rectum"); None for a permission about anything else."""
    codes: list[str] = []
    about = [p for a in c.condition if a.kind == "permission" for p in a.attributes.get("permits") or []]
    if not any(a.kind == "permission" for a in c.condition) or any(
        p.get("kind") not in _CANCER_KINDS for p in about
    ):
        return None
    for p in about:
        if p.get("kind") == "cancer_type" and p.get("operator") == "in":
            value = p.get("value")
            for code in value if isinstance(value, (list, tuple)) else [value or p.get("code")]:
                if code and str(code) not in codes:
                    codes.append(str(code))
    unread = unread_cancer(c.text, [(m.start, m.end) for m in vocab.find_cancer_types(c.text)])
    return (codes, unread) if codes or unread else None


def _required(a: Atom) -> bool:
    return (
        a.kind == "cancer_type"
        and a.operator == "in"
        and not a.negated
        and not a.historical
        and not a.hypothetical
        and isinstance(a.value, (list, tuple))
    )


def permitted_cancers(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The criteria, the cancers named by inclusion permissions added to the inclusions' cancer requirements
    of the same cohort (a cancer the vocabulary did not read: those requirements ask no organ question)."""
    permitted: dict[str | None, list[str]] = {}
    unread: set[str | None] = set()
    for c in criteria:
        if c.section is Section.INCLUSION and c.index >= 0 and c.condition and not c.atoms:
            found = _permitted(c)
            if found and _ADMITS.search(c.text) and not _OTHER_CANCER.search(c.text):
                codes = permitted.setdefault(c.cohort, [])
                codes.extend(x for x in found[0] if x not in codes)
                if found[1]:
                    unread.add(c.cohort)
    if not permitted:
        return list(criteria)
    out = []
    for c in criteria:
        inclusion = c.section is Section.INCLUSION and c.index >= 0
        more = permitted.get(c.cohort, []) if inclusion else []
        flag = inclusion and c.cohort in unread
        if (more or flag) and any(_required(a) for a in c.atoms):
            atoms = []
            for a in c.atoms:
                if _required(a):
                    value = list(a.value)  # type: ignore[arg-type]
                    added = [x for x in more if x not in value]
                    attrs = {**a.attributes, **({"permitted": added} if added else {})}
                    if flag:
                        attrs["unread_cancer"] = True  # the organ question is not asked (cancer_site.py)
                    a = replace(a, value=value + added, attributes=attrs)
                atoms.append(a)
            c = replace(c, atoms=tuple(atoms))
        out.append(c)
    return out
