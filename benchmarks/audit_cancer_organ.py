"""Audit of the one trusted reading, "the patient's cancer is in another organ than the trial's", on wordings
generated from OncoTree itself (never from a benchmark file).

For every code of the project's OncoTree files (shared tree and extra list) its name and synonyms, and for
every organ site a clinician names (the OncoTree tissues, with their English and French words) the site +
histology compositions a note or a trial writes ("leiomyosarcoma of the uterus", "carcinome épidermoïde de
l'oesophage", "liver metastases of a colon adenocarcinoma"), each put in a criterion line and in a note
sentence. The truth of a wording is the code it was generated from (a name, a synonym) or the organ of its
site (a composition: the organ a clinician means, whatever the histology). A wording is WRONG when the
engine's reading lands in a code that `matching.vocab.another_organ` calls another organ than its truth: a
patient with that cancer would be excluded from a trial of it (criterion line), or a patient written with
it would be excluded from a trial of its own cancer (note). Not read is counted apart (never an exclusion).

    PYTHONPATH=src .venv/bin/python -m benchmarks.audit_cancer_organ [--show-wrong]
"""

from __future__ import annotations

import argparse
import collections
from collections.abc import Iterator

from oncofed.criteria import oncotree
from oncofed.criteria.parser import parse_eligibility
from oncofed.matching import trust
from oncofed.matching.vocab import another_organ, organs_differ

# organ sites: words (English, French) -> the shared-tree code a clinician means by "a cancer of" that site
SITES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "UTERUS": (("uterus", "endometrium", "uterine corpus"), ("utérus", "endomètre", "corps utérin")),
    "CERVIX": (("cervix", "uterine cervix"), ("col utérin", "col de l'utérus")),
    "OVARY": (("ovary", "fallopian tube"), ("ovaire", "trompe de Fallope")),
    "STOMACH": (("oesophagus", "esophagus", "stomach"), ("oesophage", "estomac")),
    "PANCREAS": (("pancreas",), ("pancréas",)),
    "BOWEL": (("colon", "rectum", "anal canal", "small bowel"), ("côlon", "rectum", "canal anal")),
    "BLADDER": (
        ("bladder", "renal pelvis", "ureter", "urinary tract"),
        ("vessie", "bassinet", "uretère", "voies urinaires"),
    ),
    "HEAD_NECK": (
        ("nasopharynx", "oral cavity", "larynx", "oropharynx", "hypopharynx", "head and neck"),
        ("nasopharynx", "cavum", "cavité buccale", "larynx", "oropharynx"),
    ),
    "LUNG": (("lung",), ("poumon",)),
    "BREAST": (("breast",), ("sein",)),
    "PROSTATE": (("prostate",), ("prostate",)),
    "KIDNEY": (("kidney",), ("rein",)),
    "LIVER": (("liver",), ("foie",)),
    "BILIARY_TRACT": (("bile ducts", "gallbladder"), ("voies biliaires", "vésicule biliaire")),
    "SKIN": (("skin",), ("peau",)),
    "THYROID": (("thyroid",), ("thyroïde",)),
    "EYE": (("uvea", "choroid"), ("uvée", "choroïde")),
}
# histologies (English, French) a site is composed with, and whether OncoTree files them under the site's
# organ (a carcinoma) or a tissue of their own (a sarcoma: soft tissue; a lymphoma: lymphoid)
HISTOLOGIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "adenocarcinoma",
        "adénocarcinome",
        ("UTERUS", "CERVIX", "STOMACH", "PANCREAS", "BOWEL", "LUNG", "PROSTATE", "BILIARY_TRACT", "BREAST"),
    ),
    (
        "squamous cell carcinoma",
        "carcinome épidermoïde",
        ("CERVIX", "STOMACH", "BOWEL", "HEAD_NECK", "LUNG", "SKIN", "BLADDER"),
    ),
    ("carcinoma", "carcinome", tuple(SITES)),
    ("leiomyosarcoma", "léiomyosarcome", ("UTERUS", "STOMACH", "BOWEL", "KIDNEY", "BLADDER")),
    ("sarcoma", "sarcome", ("UTERUS", "BREAST", "KIDNEY", "PROSTATE", "LIVER", "HEAD_NECK")),
    ("neuroendocrine tumour", "tumeur neuroendocrine", ("PANCREAS", "BOWEL", "LUNG", "STOMACH")),
    (
        "neuroendocrine carcinoma",
        "carcinome neuroendocrine",
        ("PANCREAS", "BOWEL", "LUNG", "PROSTATE", "CERVIX", "BLADDER"),
    ),
    ("melanoma", "mélanome", ("SKIN", "HEAD_NECK", "BOWEL", "EYE")),
    ("lymphoma", "lymphome", ("STOMACH", "BREAST", "SKIN", "THYROID")),
    ("clear cell carcinoma", "carcinome à cellules claires", ("KIDNEY", "OVARY", "UTERUS")),
    ("serous carcinoma", "carcinome séreux", ("OVARY", "UTERUS")),
    ("urothelial carcinoma", "carcinome urothélial", ("BLADDER",)),
    ("endometrioid carcinoma", "carcinome endométrioïde", ("UTERUS", "OVARY")),
    ("gastrointestinal stromal tumour", "tumeur stromale gastro-intestinale", ("STOMACH", "BOWEL")),
    ("carcinosarcoma", "carcinosarcome", ("UTERUS", "OVARY")),
    ("undifferentiated carcinoma", "carcinome indifférencié", ("HEAD_NECK", "STOMACH", "THYROID", "UTERUS")),
    ("mucinous adenocarcinoma", "adénocarcinome mucineux", ("OVARY", "BOWEL", "LUNG", "BREAST")),
    ("small cell carcinoma", "carcinome à petites cellules", ("CERVIX", "BLADDER", "PROSTATE")),
)
# the organ as an adjective: before the histology in English ("uterine carcinosarcoma"), after the noun in
# French ("carcinosarcome utérin à ..."); (English, French masculine) per organ
ADJECTIVES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "UTERUS": (("uterine", "endometrial"), ("utérin", "endométrial")),
    "OVARY": (("ovarian",), ("ovarien",)),
    "CERVIX": (("cervical",), ()),
    "STOMACH": (("gastric", "oesophageal", "esophageal"), ("gastrique", "oesophagien")),
    "PANCREAS": (("pancreatic",), ("pancréatique",)),
    "BOWEL": (("colorectal", "rectal", "anal"), ("colorectal", "rectal", "anal")),
    "BLADDER": (("bladder",), ("vésical",)),
    "HEAD_NECK": (("nasopharyngeal", "laryngeal", "oropharyngeal"), ("nasopharyngé", "laryngé")),
    "LUNG": (("lung", "pulmonary"), ("pulmonaire", "bronchique")),
    "BREAST": (("breast", "mammary"), ("mammaire",)),
    "PROSTATE": (("prostatic",), ("prostatique",)),
    "KIDNEY": (("renal",), ("rénal",)),
    "THYROID": (("thyroid",), ("thyroïdien",)),
}
# (English histology, French noun, French qualifier after the organ adjective, organs)
ADJECTIVE_HISTOLOGIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("carcinoma", "carcinome", "", tuple(ADJECTIVES)),
    ("carcinosarcoma", "carcinosarcome", "", ("UTERUS", "OVARY", "LUNG", "BREAST")),
    ("clear cell carcinoma", "carcinome", " à cellules claires", ("OVARY", "UTERUS", "CERVIX", "KIDNEY")),
    (
        "undifferentiated carcinoma",
        "carcinome",
        " indifférencié",
        ("HEAD_NECK", "STOMACH", "THYROID", "UTERUS"),
    ),
    (
        "mucinous adenocarcinoma",
        "adénocarcinome",
        " mucineux",
        ("OVARY", "BOWEL", "LUNG", "BREAST", "PANCREAS"),
    ),
    ("serous carcinoma", "carcinome", " séreux", ("OVARY", "UTERUS")),
)
# subsites a note or a trial names instead of the organ ("adenocarcinoma of the caecum", "squamous cell
# carcinoma of the left main bronchus", "carcinome du corps utérin"): (English, French) words per organ, and the
# histology composed with them (session 16: the organ a clinician means by a subsite)
SUBSITES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {
    "BOWEL": (
        ("caecum", "cecum", "sigmoid colon", "sigmoid", "hepatic flexure", "splenic flexure", "ascending colon",
         "transverse colon", "descending colon", "rectosigmoid junction"),
        ("caecum", "côlon sigmoïde", "sigmoïde", "côlon ascendant", "côlon transverse", "charnière recto-sigmoïdienne"),
        "adenocarcinoma", "adénocarcinome",
    ),
    "LUNG": (
        ("left main bronchus", "right upper lobe", "left lower lobe", "right middle lobe"),
        ("bronche souche gauche", "lobe supérieur droit", "lobe inférieur gauche"),
        "squamous cell carcinoma", "carcinome épidermoïde",
    ),
    "UTERUS": (
        ("uterine corpus", "endometrium", "uterine fundus"), ("corps utérin", "endomètre"),
        "endometrioid adenocarcinoma", "adénocarcinome endométrioïde",
    ),
    "STOMACH": (
        ("gastric antrum", "cardia", "gastric body", "distal oesophagus", "lesser curvature"),
        ("antre gastrique", "cardia", "oesophage distal"),
        "adenocarcinoma", "adénocarcinome",
    ),
    "PANCREAS": (
        ("head of the pancreas", "pancreatic head", "tail of the pancreas"), ("tête du pancréas", "queue du pancréas"),
        "adenocarcinoma", "adénocarcinome",
    ),
    "HEAD_NECK": (
        ("tongue", "tonsil", "floor of the mouth", "vocal cord", "base of the tongue"),
        ("langue", "amygdale", "plancher buccal", "corde vocale"),
        "squamous cell carcinoma", "carcinome épidermoïde",
    ),
    "BLADDER": (
        ("bladder dome", "bladder trigone", "renal pelvis"), ("dôme vésical", "trigone vésical"),
        "urothelial carcinoma", "carcinome urothélial",
    ),
    "BREAST": (
        ("upper outer quadrant of the left breast", "left breast"), ("quadrant supéro-externe du sein gauche",),
        "invasive ductal carcinoma", "carcinome canalaire infiltrant",
    ),
}  # fmt: skip
LINES_EN = ("Histologically confirmed {x}", "Patients with {x} are eligible", "Cohort B: {x}")
LINES_FR = ("{X} confirmé histologiquement", "Les patients atteints de {x} sont éligibles", "Cohorte B : {x}")
NOTES_EN = ("Diagnosis: {x}.", "She was diagnosed with {x} in 2023 and is referred for a trial.")
NOTES_FR = ("Diagnostic : {x}.",)
METASTASIS_EN = ("liver metastases of a {x}", "{x} metastatic to the lung")
METASTASIS_FR = ("métastases hépatiques d'un {x}",)


def _de(site: str) -> str:
    if site[0] in "aeiouéèêœ" or site.startswith("h"):
        return f"de l'{site}"
    feminine = site.startswith(("vessie", "trompe", "peau", "prostate", "thyroïde", "cavité", "vésicule"))
    plural = site.startswith(("voies",))
    return f"des {site}" if plural else f"de la {site}" if feminine else f"du {site}"


def wordings() -> Iterator[tuple[str, str, str, str]]:
    """(class, language, wording, truth code): names and synonyms, compositions, metastases."""
    for node in oncotree.nodes().values():
        if node.code == oncotree.ROOT:
            continue
        truth = node.code
        yield "name", "en", node.name, truth
        for syn in node.synonyms:
            yield "synonym", "en", syn, truth
    for hist_en, hist_fr, organs in HISTOLOGIES:
        for organ in organs:
            en_sites, fr_sites = SITES[organ]
            for site in en_sites:
                yield f"composed:{hist_en}", "en", f"{hist_en} of the {site}", organ
            for site in fr_sites:
                yield f"composed:{hist_en}", "fr", f"{hist_fr} {_de(site)}", organ
    for hist_en, noun_fr, rest_fr, organs in ADJECTIVE_HISTOLOGIES:
        for organ in organs:
            en_adjs, fr_adjs = ADJECTIVES[organ]
            for adj in en_adjs:
                yield f"composed:adjective {hist_en}", "en", f"{adj} {hist_en}", organ
            for adj in fr_adjs:
                yield f"composed:adjective {hist_en}", "fr", f"{noun_fr} {adj}{rest_fr}", organ
    for organ, (en_sites, fr_sites, hist_en, hist_fr) in SUBSITES.items():
        for site in en_sites:
            for hist in (hist_en, "carcinoma"):
                yield f"subsite:{hist}", "en", f"{hist} of the {site}", organ
        for site in fr_sites:
            for hist in (hist_fr, "carcinome"):
                yield (
                    f"subsite:{hist_en if hist == hist_fr else 'carcinoma'}",
                    "fr",
                    f"{hist} {_de(site)}",
                    organ,
                )
    for node in oncotree.nodes().values():
        if node.shared and oncotree.shared_parent(node.code):  # a main type or a subtype, not a tissue
            for pattern in METASTASIS_EN:
                yield (
                    "metastasis named with its primary",
                    "en",
                    pattern.format(x=node.name.lower()),
                    node.code,
                )
    for phrase, code in _french_cancers():
        yield "french name", "fr", phrase, code
        for pattern in METASTASIS_FR:
            yield "metastasis named with its primary", "fr", pattern.format(x=phrase), code


# a cancer that is not the patient's diagnosis (a relative's, a past one, a differential), before the diagnosis
CONTEXTS_EN = (
    "Her mother died of {other}. Diagnosis: {x}.",
    "Differential diagnosis included {other}; the biopsy confirmed {x}.",
    "No history of {other}. Diagnosis: {x}.",
    "History of {other} treated in 2005. She now presents with {x}.",
)
CONTEXTS_FR = (
    "Sa mère est décédée d'un {other}. Diagnostic : {x}.",
    "Antécédent de {other} en 2005. Diagnostic actuel : {x}.",
)
# lines naming no organ: a patient of any organ fits them (truth: no organ)
ANY_ORGAN_EN = (
    "Histologically confirmed carcinoma of unknown primary",
    "Any advanced solid tumour for which no standard therapy exists",
    "Patients with any advanced malignancy",
    "Cancer of unknown primary site",
)
ANY_ORGAN_FR = ("Tumeur solide avancée quelle que soit sa localisation", "Carcinome de primitif inconnu")


def context_notes() -> Iterator[tuple[str, str, str]]:
    """(language, note, truth code): a main type's name after another organ's cancer that is not the
    patient's (a relative's, a differential, a negated one)."""
    mains = [n for n in oncotree.nodes().values() if n.shared and oncotree.shared_parent(n.code)]
    mains = [n for n in mains if oncotree.shared_parent(n.code) and n.synonyms]
    for i, node in enumerate(mains):
        other = next((m for m in mains[i + 1 :] + mains[:i] if another_organ(m.code, (node.code,))), None)
        if other is None:
            continue
        for pattern in CONTEXTS_EN:
            yield "en", pattern.format(other=other.synonyms[0], x=node.synonyms[0]), node.code
    for phrase, code in _french_cancers()[::7]:
        french = next((p for p, c in _french_cancers() if another_organ(c, (code,))), None)
        if french:
            for pattern in CONTEXTS_FR:
                yield "fr", pattern.format(other=french, x=phrase), code


def _french_cancers() -> list[tuple[str, str]]:
    from oncofed.resources import load_tsv

    return [(r["french"], r["oncotree"]) for r in load_tsv("vocab/fr/cancers.tsv") if r.get("oncotree")]


def organ(code: str | None) -> str | None:
    """The shared-tree code of `code` (an extra code: its nearest shared ancestor)."""
    node, seen = code, set()
    while node and node not in oncotree.shared_rows() and node not in seen:
        seen.add(node)
        node = oncotree.nodes()[node].parent if node in oncotree.nodes() else None
    return node


def line_codes(text: str, *more: str, head: str = "Inclusion criteria:") -> tuple[str, ...]:
    """The codes an inclusion line's (and `more` lines') positive cancer atoms name (what the organ
    question compares)."""
    result = parse_eligibility("\n- ".join([head, text, *more]))
    return tuple(c for crit in result.criteria for a in crit.atoms for c in trust.organ_codes(a))


# a trial of another cancer whose inclusions also admit the wording by a permission: a patient with the
# wording's cancer must not be excluded by the organ question (the permission widens the trial's cancer)
PERMISSION_EN = ("Histologically confirmed {other}", "Patients with {x} are also eligible")
PERMISSION_FR = (
    "{Other} confirmé histologiquement",
    "Les patients atteints d'un {x} sont également éligibles",
)
PERMISSION_OTHERS = (
    ("non-small cell lung cancer", "Cancer bronchique non à petites cellules"),
    ("breast cancer", "Cancer du sein"),
    ("colorectal cancer", "Cancer colorectal"),
)


def permission_audit(table: dict[tuple[str, str], collections.Counter[str]], show_wrong: bool) -> None:
    for klass, lang, phrase, truth_code in wordings():
        truth = organ(truth_code)
        if truth is None or not klass.startswith("composed:"):
            continue
        other = next(
            (
                o
                for o in PERMISSION_OTHERS
                if all(another_organ(truth, (c,)) for c in line_codes(o[1 if lang == "fr" else 0]))
            ),
            None,
        )
        if other is None:
            continue
        first, second = PERMISSION_FR if lang == "fr" else PERMISSION_EN
        lines = (first.format(other=other[0], Other=other[1]), second.format(x=phrase))
        codes = line_codes(*lines, head="Critères d'inclusion :" if lang == "fr" else "Inclusion criteria:")
        verdict = "not read" if not codes else "wrong" if another_organ(truth, codes) else "right"
        table[("trial: another cancer, then 'patients with the wording are also eligible'", lang)][
            verdict
        ] += 1
        if verdict == "wrong" and show_wrong:
            print(f"TRIAL {lines!r}: read {codes}, truth {truth_code}")


def note_code(text: str) -> str | None:
    from oncofed.ingest.patients.notes.french import extract  # French notes read too

    return extract(text, "audit", "audit").primary_cancer


def audit(show_wrong: bool = False) -> dict[tuple[str, str], collections.Counter[str]]:
    table: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    seen: set[tuple[str, str]] = set()
    for klass, lang, phrase, truth_code in wordings():
        truth = organ(truth_code)
        if truth is None or (phrase, lang) in seen:
            continue
        seen.add((phrase, lang))
        lines = LINES_FR if lang == "fr" else LINES_EN
        notes = NOTES_FR if lang == "fr" else NOTES_EN
        for pattern in lines:
            text = pattern.format(x=phrase, X=phrase[:1].upper() + phrase[1:])
            codes = line_codes(text)
            verdict = "not read" if not codes else "wrong" if another_organ(truth, codes) else "right"
            table[(f"line {klass}", lang)][verdict] += 1
            if verdict == "wrong" and show_wrong:
                print(f"LINE  {text!r}: read {codes}, truth {truth_code}")
        for pattern in notes:
            text = pattern.format(x=phrase)
            code = note_code(text)
            verdict = "not read" if not code else "wrong" if another_organ(code, (truth,)) else "right"
            table[(f"note {klass}", lang)][verdict] += 1
            if verdict == "wrong" and show_wrong:
                print(f"NOTE  {text!r}: read {code}, truth {truth_code}")
    for lang, text, truth_code in context_notes():
        code, truth = note_code(text), organ(truth_code) or truth_code
        verdict = "not read" if not code else "wrong" if another_organ(code, (truth,)) else "right"
        table[("note context: another cancer not the diagnosis", lang)][verdict] += 1
        if verdict == "wrong" and show_wrong:
            print(f"NOTE  {text!r}: read {code}, truth {truth_code}")
    # a basket line: two cancers of other organs, then the wording (its truth the patient's organ)
    for klass, lang, phrase, truth_code in wordings():
        truth = organ(truth_code)
        if truth is None or not klass.startswith("composed:"):
            continue
        others = [
            c
            for c in ("non-small cell lung cancer", "breast cancer", "colorectal cancer")
            if not any(organs_differ(truth, x) is False for x in line_codes(f"Histologically confirmed {c}"))
        ]
        if len(others) < 2:
            continue
        text = (
            f"Cohortes : {others[0]}, {others[1]} ou {phrase}"
            if lang == "fr"
            else f"Cohorts: {others[0]}, {others[1]} or {phrase}"
        )
        codes = line_codes(text)
        verdict = "not read" if not codes else "wrong" if another_organ(truth, codes) else "right"
        table[("line basket: two other cancers, then the wording", lang)][verdict] += 1
        if verdict == "wrong" and show_wrong:
            print(f"LINE  {text!r}: read {codes}, truth {truth_code}")
    permission_audit(table, show_wrong)
    for lang, no_organ in (("en", ANY_ORGAN_EN), ("fr", ANY_ORGAN_FR)):
        for text in no_organ:
            codes = line_codes(text)
            fixed = [
                c
                for c in codes
                if c not in ("OTHER", "CUP") and organ(c) and oncotree.lineage(c)[-1] == oncotree.ROOT
            ]
            verdict = "not read" if not codes else "wrong" if fixed else "right"
            table[("line no organ (unknown primary, any solid tumour)", lang)][verdict] += 1
            if verdict == "wrong" and show_wrong:
                print(f"LINE  {text!r}: read {codes}, truth any organ")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-wrong", action="store_true", help="print every wrong reading")
    args = parser.parse_args()
    table = audit(args.show_wrong)
    total: collections.Counter[str] = collections.Counter()
    print(f"{'class of wording':58} {'lang':4} {'right':>6} {'wrong':>6} {'unread':>6}")
    for (klass, lang), c in sorted(table.items()):
        total.update(c)
        print(f"{klass:58} {lang:4} {c['right']:6} {c['wrong']:6} {c['not read']:6}")
    print(f"{'total':58} {'':4} {total['right']:6} {total['wrong']:6} {total['not read']:6}")


if __name__ == "__main__":
    main()
