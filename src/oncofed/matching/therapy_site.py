"""A local therapy qualified by its target: "no prior resection of cerebral metastases", "surgery for brain
metastases", "radiotherapy to liver metastases" (verdicts36).

The criteria engine gives such a therapy atom the lesions it treats as `attributes["target"]`
(criteria/conditions.py `therapy_targets`). Read without it, any surgery counted: a nephrectomy failed "no prior
resection of cerebral metastases". Here a recorded surgery or radiotherapy meets the atom only when its record
names the target (its code, display, site or qualifier: "craniotomy", "SRS to a cerebellar metastasis"); one that
names another organ ("nephrectomy", "lumpectomy", a site of its own) is not it; one that names no site
("surgery", "metastasectomy") leaves the line unknown. Only the sites below (the targets a note can name);
any other target is read as before. A site written as the therapy's qualifier ("cranial radiotherapy", "thoracic
irradiation") is read with the same words (`qualifier_site`): "whole brain" recorded is cranial.
"""

from __future__ import annotations

import re

from oncofed.domain import Atom, Fact
from oncofed.matching.vocab import norm_text

_LOCAL = frozenset({"surgery", "radiotherapy", "radiation", "resection", "radiosurgery"})
_BRAIN = (
    "brain",
    "cerebr",
    "crani",
    "intracran",
    "cerebell",
    "radiosurgery",
    "srs",
    "gamma knife",
    "wbrt",
    "cns",
)
# the metastatic sites a record names, by the code of the criteria's `metastasis` atoms
_SITES: dict[str, tuple[str, ...]] = {
    "brain": _BRAIN,
    "liver": ("liver", "hepat"),
    "lung": ("lung", "pulmon", "lobectomy", "pneumonectomy", "wedge"),
    "bone": ("bone", "osseous", "vertebr", "spine", "spinal", "femur", "pelvi", "rib"),
    "adrenal_gland": ("adrenal",),
    "peritoneum": ("periton",),
}
# the organs a surgery criterion names (criteria/organ_targets.py, verdicts40), by code: the record words naming
# a surgery of that organ ("bypass": a gastric bypass is on the stomach and the small bowel)
_STOMACH = ("gastr", "stomach", "bariatric", "bypass", "sleeve", "whipple")
_SMALL_BOWEL = (
    "small bowel",
    "small intestin",
    "ileum",
    "ileal",
    "ileo",
    "jejun",
    "duoden",
    "whipple",
    "bypass",
)
_BOWEL = (
    *_SMALL_BOWEL,
    "bowel",
    "intestin",
    "colect",
    "colon",
    "sigmoid",
    "rectum",
    "rectal",
    "hartmann",
    "proctect",
)
_OESOPHAGUS = ("esophag", "oesophag")
_ORGANS: dict[str, tuple[str, ...]] = {
    "stomach": _STOMACH,
    "small_bowel": _SMALL_BOWEL,
    "bowel": _BOWEL,
    "oesophagus": _OESOPHAGUS,
    "gastrointestinal": (*_STOMACH, *_BOWEL, *_OESOPHAGUS),
}
# a procedure named after an organ: "nephrectomy", "lumpectomy", "craniotomy" (its organ is in its name);
# "metastasectomy", "lymphadenectomy" name no organ of their own
_ORGAN_PROCEDURE = re.compile(r"(?:ectomy|otomy|ostomy|plasty|pexy)\b")
_NO_ORGAN = ("metastasectomy", "lymphadenectomy", "excision", "resection", "debulking", "biopsy")


def site_target(atom: Atom) -> tuple[str, tuple[str, ...]] | None:
    """(the target's words, the record words that name it) of a local therapy atom with a target of `_SITES`."""
    code = norm_text(atom.code or "")
    klass = norm_text(atom.attributes.get("class") or "")
    if code not in _LOCAL and klass not in _LOCAL:
        return None
    organs = [
        t.get("code")
        for t in atom.attributes.get("target") or ()
        if isinstance(t, dict) and t.get("kind") == "organ"
    ]
    if organs and all(o in _ORGANS for o in organs):
        words = tuple(dict.fromkeys(w for o in organs for w in _ORGANS[str(o)]))
        return " or ".join(str(o).replace("_", " ") for o in organs), words
    for t in atom.attributes.get("target") or ():
        if not isinstance(t, dict):
            continue
        if t.get("kind") == "brain_metastases":
            return "brain metastases", _BRAIN
        site = str(t.get("code") or "")
        if t.get("kind") == "metastasis" and site in _SITES:
            return f"{site.replace('_', ' ')} metastases", _SITES[site]
    return None


def on_site(f: Fact, words: tuple[str, ...]) -> bool | None:
    """Whether a recorded local therapy was on the target: True when its record names it, False when it names
    another organ, None when it names none."""
    said = norm_text(
        " ".join(
            str(x) for x in (f.code, f.display, *(f.attributes.get(k) for k in ("site", "qualifier"))) if x
        )
    )
    if any(w[1:] in said for w in words if w.startswith("?")):
        return None
    if any(w in said for w in words):
        return True
    if f.attributes.get("site"):
        return False
    code = norm_text(f.code or "")
    if _ORGAN_PROCEDURE.search(code) and not any(w in code for w in _NO_ORGAN):
        return False
    return None


# a site qualifier of a radiotherapy ("prior cranial radiotherapy", "thoracic irradiation"): the record words naming
# it ("?": a record naming it may or may not be on the site: a breast irradiation is partly thoracic)
_QUALIFIER_SITES: dict[str, tuple[str, ...]] = {
    "cranial": _BRAIN,
    "brain": _BRAIN,
    "cerebral": _BRAIN,
    "intracranial": _BRAIN,
    "thoracic": ("thora", "chest", "lung", "mediastin", "?breast"),
    "chest": ("thora", "chest", "lung", "mediastin", "?breast"),
    "pelvic": ("pelvi",),
    "abdominal": ("abdom",),
}


def qualifier_site(qualifier: str) -> tuple[str, ...] | None:
    """The record words of a site written as a therapy's qualifier, or None (not a site of `_QUALIFIER_SITES`)."""
    return _QUALIFIER_SITES.get(norm_text(qualifier))
