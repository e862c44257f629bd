"""Biomarker results as the engines write them ("<marker> <result>"), listed as gettext messages from their
parts (forms, nouns, qualifiers, statuses) so that `presenters/engine_grammar.py` says them in the reader's
language (`presenters/engine_words.py` re-exports them)."""

from __future__ import annotations

from oncofed.presenters.i18n import N_, NP_

# --- biomarker results: said from their parts (presenters/engine_text.py `biomarker_result`) -------------
# The engines write a result as "<marker> <result>" ("EGFR exon 20 insertion", "HER2 negative", "BRCA1
# germline pathogenic"); French puts the alteration first ("insertion de l'exon 20 d'EGFR", "mutation
# BRAF") and agrees its adjectives with the alteration's noun, so each form is a message of its own.
BIOMARKER_FORMS = {
    "status": NP_("biomarker result", "%(marker)s %(status)s"),
    "alteration": NP_("biomarker result", "%(marker)s %(alteration)s"),
    "variant": NP_("biomarker result", "%(marker)s %(variant)s %(alteration)s"),
    "exon": NP_("biomarker result", "%(marker)s exon %(exon)s %(alteration)s"),
    "exon without marker": NP_("biomarker result", "exon %(exon)s %(alteration)s"),
}
# the alteration's noun, as the engines write it
BIOMARKER_NOUNS = {
    "mutation": NP_("biomarker", "mutation"),
    "mutations": NP_("biomarker", "mutation"),
    "amplification": NP_("biomarker", "amplification"),
    "fusion": NP_("biomarker", "fusion"),
    "deletion": NP_("biomarker", "deletion"),
    "insertion": NP_("biomarker", "insertion"),
    "rearrangement": NP_("biomarker", "rearrangement"),
    "alteration": NP_("biomarker", "alteration"),
    "variant": NP_("biomarker", "variant"),
    "skipping": NP_("biomarker", "skipping"),
    "loss": NP_("biomarker", "loss"),
    "overexpression": NP_("biomarker", "overexpression"),
    "expression": NP_("biomarker", "expression"),
    "duplication": NP_("biomarker", "duplication"),
    "translocation": NP_("biomarker", "translocation"),
    "methylation": NP_("biomarker", "methylation"),
}
# words describing an alteration; without a noun a variant is meant ("BRCA1 germline pathogenic")
BIOMARKER_QUALIFIERS = {
    "germline": N_("germline"),
    "somatic": N_("somatic"),
    "pathogenic": N_("pathogenic"),
    "likely pathogenic": N_("likely pathogenic"),
    "activating": N_("activating"),
    "sensitizing": N_("sensitizing"),
    "sensitising": N_("sensitizing"),
    "homozygous": N_("homozygous"),
    "heterozygous": N_("heterozygous"),
    "biallelic": N_("biallelic"),
}
# a result said as a status after the marker ("HER2 negative"); with a noun, it describes the noun
BIOMARKER_STATUSES = {
    "positive": N_("positive"),
    "negative": N_("negative"),
    "low": N_("low"),
    "high": N_("high"),
    "wild type": N_("wild type"),
    "wild-type": N_("wild type"),
    "wildtype": N_("wild type"),
    "not detected": N_("not detected"),
    "detected": N_("detected"),
    "mutated": N_("mutated"),
    "mutant": N_("mutated"),
    "amplified": N_("amplified"),
    "methylated": N_("methylated"),
    "unmethylated": N_("unmethylated"),
    "equivocal": N_("equivocal"),
    "present": N_("present"),
    "absent": N_("absent"),
    "overexpressed": N_("overexpressed"),
    "altered": N_("altered"),
    "rearranged": N_("rearranged"),
    "deficient": N_("deficient"),
    "proficient": N_("proficient"),
}
