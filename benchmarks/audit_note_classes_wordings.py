"""The wordings of `benchmarks/audit_note_classes.py` and their semantics, English and French, composed from
parts written here (never read off a benchmark file); each part carries its meaning as the words say it
clinically, never as the engine reads it.

- `HEADINGS`: a heading or label and whether what follows it on the line is a plan (a drug proposed, not
  given: "Proposal:", "Next step:", "Conduite à tenir :") or the patient's history ("Line 1:", "Previous
  treatment:");
- `HISTORY_FRAMES` x `PAST_CANCERS` x `CURRENT_CANCERS`: a cancer of the past beside the cancer the note is
  about (a history heading, "history of", "previous", "in complete remission"), the primary is the current one;
- `NEGATED_LISTS` x `CONDITIONS`: several conditions denied in one list ("no HIV, no infection, no X"), each
  one absent; a condition affirmed in the next sentence, present;
- `ORGAN_FIRST`: a cancer named by its organ's noun before the histology ("left kidney clear cell carcinoma"),
  the organ's cancer;
- `AGE_FRAMES`: the patient's age beside another person's ("breastfeeding her 5-month-old daughter"), or no
  age of the patient at all (unknown, never 0).
"""

from __future__ import annotations

from datetime import date

DAY = date(2026, 11, 1)
CONTEXT = {
    "en": "Metastatic ovarian carcinoma, relapse 09/2026, measurable disease.",
    "fr": "Carcinome ovarien métastatique, rechute en 09/2026, maladie mesurable.",
}
# drugs of the vocabulary (English, French)
DRUGS = (
    ("olaparib", "olaparib"),
    ("lurbinectedin", "lurbinectédine"),
    ("pembrolizumab", "pembrolizumab"),
    ("gemcitabine", "gemcitabine"),
    ("bevacizumab", "bévacizumab"),
)
# (language, a heading line with {d}: the drug, whether the drug was given)
HEADINGS: tuple[tuple[str, str, bool], ...] = (
    ("en", "Proposal: {d} phase I/II, gynaecological cohort.", False),
    ("en", "Proposal: {d} + paclitaxel.", False),
    ("en", "Proposed: {d} within the phase II study.", False),
    ("en", "Project: {d} as third line.", False),
    ("en", "Therapeutic project: {d}.", False),
    ("en", "Options: {d} or weekly paclitaxel.", False),
    ("en", "Treatment options: {d}, to be discussed with the patient.", False),
    ("en", "To discuss: {d} in the basket trial.", False),
    ("en", "Next step: {d} (phase II, cohort C).", False),
    ("en", "Recommendation: {d}.", False),
    ("en", "MDT decision: {d} if renal function allows.", False),
    ("en", "Tumour board proposal: {d}.", False),
    ("en", "Plan:\n- {d} every 3 weeks\n- CT scan after 3 cycles", False),
    ("en", "Proposal:\n- {d}\n- restaging in 9 weeks", False),
    ("en", "Line 1: {d} x6 (2024), progression 2025.", True),
    ("en", "Previous treatment: {d} from 01/2024 to 06/2024.", True),
    ("en", "Treatment history: {d} x4 cycles (2023).", True),
    ("fr", "Proposition : {d} dans l'essai de phase I/II.", False),
    ("fr", "RCP : proposition de {d}.", False),
    ("fr", "Projet thérapeutique : {d}.", False),
    ("fr", "Conduite à tenir : {d} si la fonction rénale le permet.", False),
    ("fr", "Décision RCP : {d} en troisième ligne.", False),
    ("fr", "À discuter : {d}.", False),
    ("fr", "Options thérapeutiques : {d} ou paclitaxel hebdomadaire.", False),
    ("fr", "Ligne 1 : {d} x6 (2024), progression en 2025.", True),
    ("fr", "Traitement antérieur : {d} de 01/2024 à 06/2024.", True),
)

# (the line of a trial naming the organ or type, English sentence, French sentence)
CURRENT_CANCERS = (
    (
        "lung cancer",
        "Lung adenocarcinoma, stage IV, EGFR exon 19 deletion.",
        "Adénocarcinome pulmonaire de stade IV.",
    ),
    (
        "breast cancer",
        "Right breast invasive ductal carcinoma, pT2 pN1, stage IIB.",
        "Carcinome canalaire infiltrant du sein droit, pT2 pN1, stade IIB.",
    ),
    (
        "colorectal cancer",
        "Metastatic colon adenocarcinoma, liver metastases.",
        "Adénocarcinome du côlon métastatique.",
    ),
    (
        "ovarian cancer",
        "High-grade serous ovarian carcinoma, FIGO IIIC.",
        "Carcinome séreux de haut grade de l'ovaire, FIGO IIIC.",
    ),
    (
        "bladder cancer",
        "Muscle-invasive urothelial carcinoma of the bladder, cT2 N0.",
        "Carcinome urothélial de la vessie infiltrant le muscle, cT2 N0.",
    ),
)
# (the trial line's words, English, French): a cancer of the past, treated, no longer the one treated now
PAST_CANCERS = (
    ("thyroid cancer", "papillary thyroid carcinoma 2019 (total thyroidectomy)", "carcinome papillaire de la thyroïde en 2019 (thyroïdectomie totale)"),
    ("melanoma", "melanoma of the back 2016 (wide excision)", "mélanome du dos en 2016 (exérèse large)"),
    ("Hodgkin lymphoma", "Hodgkin lymphoma 2008 (ABVD x4)", "lymphome de Hodgkin en 2008 (ABVD x4)"),
    ("renal cell carcinoma", "renal cell carcinoma 2017 (nephrectomy)", "carcinome à cellules rénales en 2017 (néphrectomie)"),
    ("breast cancer", "breast cancer 2012 (lumpectomy and radiotherapy)", "cancer du sein en 2012 (tumorectomie et radiothérapie)"),
)  # fmt: skip
# (language, a sentence with {p}: the past cancer; {P}: capitalised)
HISTORY_FRAMES: tuple[tuple[str, str], ...] = (
    ("en", "Antecedents: {p}."),
    ("en", "ATCD: {p}, no recurrence."),
    ("en", "PMH: {p}; hypertension."),
    ("en", "Past medical history: {p}."),
    ("en", "History: {p}."),
    ("en", "Oncological history: {p}."),
    ("en", "Other cancers: {p}."),
    ("en", "She has a history of {p}."),
    ("en", "Previous {p}."),
    ("en", "{P}, in complete remission."),
    ("en", "Past history:\n- {p}\n- hypertension\n"),
    ("fr", "Antécédents : {p}."),
    ("fr", "ATCD : {p}."),
    ("fr", "Antécédent de {p}."),
    ("fr", "Antécédents personnels : {p}."),
    ("fr", "{P}, en rémission complète."),
)

# (line of an exclusion, English words as denied, French words as denied, English sentence affirming it,
# French sentence affirming it)
CONDITIONS = (
    ("Known HIV infection.", "HIV", "VIH", "HIV-positive on antiretroviral therapy.", "Infection VIH sous trithérapie."),
    ("Active hepatitis B infection.", "hepatitis B", "hépatite B", "Active hepatitis B, HBsAg positive.", "Hépatite B active, Ag HBs positif."),
    ("Active uncontrolled infection.", "infection", "infection", "Active pneumonia under intravenous antibiotics.", "Pneumopathie infectieuse en cours sous antibiotiques intraveineux."),
    ("Known brain metastases.", "brain metastases", "métastase cérébrale", "Brain MRI: two brain metastases.", "IRM cérébrale : deux métastases cérébrales."),
    ("History of myocardial infarction.", "myocardial infarction", "infarctus du myocarde", "Myocardial infarction in 2024 (stent).", "Infarctus du myocarde en 2024 (stent)."),
    ("History of interstitial lung disease.", "interstitial lung disease", "pneumopathie interstitielle", "Interstitial lung disease on CT.", "Pneumopathie interstitielle au scanner."),
    ("Active autoimmune disease.", "autoimmune disease", "maladie auto-immune", "Active lupus on hydroxychloroquine.", "Lupus actif sous hydroxychloroquine."),
    ("Uncontrolled diabetes.", "diabetes", "diabète", "Uncontrolled diabetes, HbA1c 11%.", "Diabète déséquilibré, HbA1c 11 %."),
)  # fmt: skip
# (language, a list with {a}, {b}, {c}: three denied conditions; {A}: capitalised)
NEGATED_LISTS: tuple[tuple[str, str], ...] = (
    ("en", "No {a}, no {b}, no {c}, no sleep apnoea."),
    ("en", "No {a}, {b} or {c}."),
    ("en", "Absence of {a}, {b} and {c}."),
    ("en", "Denies {a}, {b} or {c}."),
    ("en", "Without {a}, {b} or {c}."),
    ("en", "ECOG 1, swallows tablets. No other cancer, no {a}, no {b}, no {c}, no anticoagulant."),
    ("en", "- No {a}\n- No {b}\n- No {c}\n"),
    ("fr", "Pas de {a}, pas de {b}, pas de {c}."),
    ("fr", "Pas de {a}, de {b} ni de {c}."),
    ("fr", "Absence de {a}, {b} ou {c}."),
    ("fr", "Sans {a}, ni {b}, ni {c}."),
)

AGE_LINES = (("Age ≥ 18 years.", 18, None), ("Age ≥ 50 years.", 50, None), ("Age ≤ 75 years.", None, 75))
# (language, a patient's opening with {a}: her age (None: no age of hers written), {c}: another person's)
AGE_FRAMES: tuple[tuple[str, str, int | None], ...] = (
    ("en", "Mrs Justine Morel, {a}, breastfeeding her 5-month-old daughter.", 47),
    ("en", "Mr Bernard Lenoir, {a}, lives with his 88-year-old mother.", 66),
    ("en", "Mrs Ana Petit ({a}), mother of a 3-year-old boy.", 39),
    ("en", "Patient born 1960 ({a} y); her 9-month-old grandson lives with her.", 66),
    ("en", "{a}-year-old woman; her twins are 6 months old.", 41),
    ("en", "Mrs Lea Dumas, aged {a}, accompanied by her 15-year-old son.", 52),
    ("en", "Mrs Ines Caron, breastfeeding her 4-month-old daughter.", None),
    ("en", "Mr Hugo Bernard, accompanied by his 17-year-old son.", None),
    ("en", "Referral for Mrs Chloe Martin; her 2-year-old son is cared for by her mother.", None),
    ("fr", "Mme Justine Morel, {a} ans, allaite sa fille de 5 mois.", 47),
    ("fr", "M. Bernard Lenoir, {a} ans, vit avec sa mère de 88 ans.", 66),
    ("fr", "Mme Ana Petit, {a} ans, mère d'un garçon de 3 ans.", 39),
    ("fr", "Mme Ines Caron, allaite sa fille de 4 mois.", None),
    ("fr", "M. Hugo Bernard, accompagné de son fils de 17 ans.", None),
)

# (the trial line's words for the organ's cancer, a note naming it organ first, then another organ's line)
ORGAN_FIRST = (
    ("renal cell carcinoma", "Left kidney clear cell carcinoma, 6 cm, no metastasis.", "breast cancer"),
    ("ovarian cancer", "Right ovary serous carcinoma, high grade, FIGO IIIC.", "lung cancer"),
    ("thyroid cancer", "Thyroid papillary carcinoma, 22 mm, lymph nodes involved.", "colorectal cancer"),
    ("pancreatic cancer", "Pancreas adenocarcinoma of the head, 31 mm, locally advanced.", "breast cancer"),
    ("rectal cancer", "Rectum adenocarcinoma, cT3 N1, 7 cm from the anal verge.", "lung cancer"),
    ("esophageal cancer", "Oesophagus squamous cell carcinoma, lower third, cT3 N0.", "breast cancer"),
    ("cervical cancer", "Cervix squamous cell carcinoma, FIGO IIB.", "prostate cancer"),
    ("stomach cancer", "Stomach adenocarcinoma, intestinal type, cT2.", "lung cancer"),
    ("endometrial cancer", "Endometrium endometrioid carcinoma, grade 1, FIGO IA.", "breast cancer"),
    ("bladder cancer", "Bladder urothelial carcinoma, muscle-invasive, cT2.", "lung cancer"),
)
