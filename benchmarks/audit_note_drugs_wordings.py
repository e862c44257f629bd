"""The wordings of `benchmarks/audit_note_drugs.py` and their semantics, English and French: each note
sentence is composed from parts (a drug, a status phrase, a date; an indication; a serology and its
result) and each part carries its meaning as the words say it clinically, never as the engine reads it.

- `STATUSES`: a phrase about a drug and whether it says the drug was given (received, on, completed,
  progressed on, stopped for toxicity) or not (planned, proposed, referred for, candidate for, screening
  for, consent for, declined, contraindicated, allergy to, never received);
- `INDICATIONS`: a drug given for a named indication (rheumatoid arthritis, psoriasis, lupus, a kidney
  transplant, COPD, an ectopic pregnancy ... or a cancer) with whether that makes it an anticancer therapy;
- `SEROLOGIES`: a result of a viral serology or marker (negative, positive, a resolved hepatitis B)
  with what it says of an HIV infection, an active hepatitis B or C.
"""

from __future__ import annotations

from datetime import date

DAY = date(2026, 11, 1)

# anticancer drugs of the vocabulary (English name, French name)
ANTICANCER = (
    ("capecitabine", "capécitabine"),
    ("pembrolizumab", "pembrolizumab"),
    ("olaparib", "olaparib"),
    ("lurbinectedin", "lurbinectédine"),
    ("osimertinib", "osimertinib"),
    ("letrozole", "létrozole"),
    ("trastuzumab", "trastuzumab"),
)
DATES = {
    "en": ("", " in 2023", " (03/2022)", " from 01/2021 to 06/2021"),
    "fr": ("", " en 2023", " (03/2022)", " de 01/2021 à 06/2021"),
}

# (language, phrase with {d} / {D}: the drug, {w}: a date; the drug was given)
STATUSES: tuple[tuple[str, str, bool], ...] = (
    ("en", "She received {d}{w}.", True),
    ("en", "Treated with {d}{w}.", True),
    ("en", "{D}{w}, stopped for toxicity.", True),
    ("en", "Completed 6 cycles of {d}{w}.", True),
    ("en", "Progressed on {d}{w}.", True),
    ("en", "Previously on {d}{w}.", True),
    ("en", "{D} x 4 cycles{w} with partial response.", True),
    ("en", "{D} is planned{w}.", False),
    ("en", "Plan to start {d}{w}.", False),
    ("en", "Tumour board proposed {d}{w}.", False),
    ("en", "{D} was proposed{w}.", False),
    ("en", "Referred for the {d} phase II trial{w}.", False),
    ("en", "Referral for the {d} phase II, cohort B{w}.", False),
    ("en", "Referred for {d}{w}.", False),
    ("en", "Candidate for {d}{w}.", False),
    ("en", "Screening for the {d} study{w}.", False),
    ("en", "Consent signed for {d}{w}.", False),
    ("en", "She declined {d}{w}.", False),
    ("en", "{D} was declined by the patient{w}.", False),
    ("en", "{D} contraindicated{w}.", False),
    ("en", "Allergy to {d}.", False),
    ("en", "Eligible for {d}{w}.", False),
    ("en", "Will discuss {d} at the next tumour board{w}.", False),
    ("en", "Awaiting approval of {d}{w}.", False),
    ("en", "Never received {d}.", False),
    ("en", "No prior {d}.", False),
    ("en", "Not a candidate for {d}{w}.", False),
    ("en", "{D} to be started{w}.", False),
    ("en", "Pre-screened for a {d} trial{w}.", False),
    ("fr", "A reçu {d}{w}.", True),
    ("fr", "Traitée par {d}{w}.", True),
    ("fr", "{D}{w}, arrêté pour toxicité.", True),
    ("fr", "6 cycles de {d}{w}.", True),
    ("fr", "Progression sous {d}{w}.", True),
    ("fr", "{D} prévu{w}.", False),
    ("fr", "La RCP propose {d}{w}.", False),
    ("fr", "RCP{w} : proposition de {d}.", False),
    ("fr", "Adressée pour l'essai de phase II du {d}{w}.", False),
    ("fr", "Candidate à {d}{w}.", False),
    ("fr", "Refus de {d}{w}.", False),
    ("fr", "{D} refusé par la patiente{w}.", False),
    ("fr", "{D} contre-indiqué{w}.", False),
    ("fr", "Allergie à {d}.", False),
    ("fr", "Éligible à {d}{w}.", False),
    ("fr", "{D} à discuter en RCP{w}.", False),
    ("fr", "N'a jamais reçu de {d}.", False),
    ("fr", "Début de {d} prévu{w}.", False),
)

# drugs with uses outside oncology: (English, French) and their indications (English, French, anticancer)
DUAL_USE = {
    ("methotrexate", "méthotrexate"): (
        ("rheumatoid arthritis", "polyarthrite rhumatoïde", False),
        ("psoriatic arthritis", "rhumatisme psoriasique", False),
        ("psoriasis", "psoriasis", False),
        ("ectopic pregnancy", "grossesse extra-utérine", False),
        ("Crohn's disease", "maladie de Crohn", False),
        ("osteosarcoma", "ostéosarcome", True),
        ("primary CNS lymphoma", "lymphome cérébral primitif", True),
    ),
    ("cyclophosphamide", "cyclophosphamide"): (
        ("lupus nephritis", "néphropathie lupique", False),
        ("vasculitis", "vascularite", False),
        ("breast cancer", "cancer du sein", True),
        ("follicular lymphoma", "lymphome folliculaire", True),
    ),
    ("rituximab", "rituximab"): (
        ("rheumatoid arthritis", "polyarthrite rhumatoïde", False),
        ("granulomatosis with polyangiitis", "granulomatose avec polyangéite", False),
        ("multiple sclerosis", "sclérose en plaques", False),
        ("follicular lymphoma", "lymphome folliculaire", True),
    ),
    ("tamoxifen", "tamoxifène"): (
        ("gynaecomastia", "gynécomastie", False),
        ("breast cancer", "cancer du sein", True),
    ),
    ("prednisone", "prednisone"): (
        ("COPD", "BPCO", False),
        ("asthma", "asthme", False),
        ("lupus", "lupus", False),
    ),
}
# (language, phrase with {d} / {D}: the drug, {i} / {I}: the indication, {w}: a date)
INDICATION_FRAMES: tuple[tuple[str, str], ...] = (
    ("en", "{I} on {d}{w}."),
    ("en", "{I} treated with {d}{w}."),
    ("en", "{D} for {i}{w}."),
    ("en", "{D}{w} for {i}."),
    ("en", "Takes {d} weekly for {i}."),
    ("en", "History of {i}, on {d} since 2020."),
    ("en", "{D} given for {i}{w}."),
    ("en", "{I} managed with {d}{w}."),
    ("en", "{I}: {d}{w}."),
    ("en", "Received {d}{w} to treat {i}."),
    ("fr", "{I} sous {d}{w}."),
    ("fr", "{I} traitée par {d}{w}."),
    ("fr", "{D} pour {i}{w}."),
    ("fr", "{D}{w} pour {i}."),
    ("fr", "Antécédent de {i} traitée par {d}{w}."),
    ("fr", "{I} : {d}{w}."),
)
# the cancer the note is about (a sentence before the drug's): a note always has one
CONTEXT = {
    "en": "Metastatic breast cancer diagnosed in 2022.",
    "fr": "Cancer du sein métastatique diagnostiqué en 2022.",
}

# Serologies. Each virus's status: "neg" (known negative), "pos" (infected, active for hepatitis: HBsAg,
# viral RNA), "past" (a resolved or cured infection: anti-HBc with HBsAg negative, RNA undetectable),
# "exposed" (an antibody alone, activity not said: no right answer to "active")
NEG, POS, PAST, EXPOSED = "neg", "pos", "past", "exposed"
# a virus's names, and whether a positive result of it says an infection is there now (HIV serology, the
# hepatitis B surface antigen, hepatitis C RNA) or only that the virus was met (activity not said)
VIRUS_NAMES = {
    "en": {
        "hiv": (("HIV", True), ("HIV-1/2", True), ("HIV serology", True)),
        "hbv": (
            ("HBV", False),
            ("hepatitis B", False),
            ("HBsAg", True),
            ("hepatitis B surface antigen", True),
        ),
        "hcv": (("HCV", False), ("hepatitis C", False), ("HCV RNA", True)),
    },
    "fr": {
        "hiv": (("VIH", True), ("sérologie VIH", True), ("VIH-1/2", True)),
        "hbv": (("VHB", False), ("hépatite B", False), ("Ag HBs", True), ("antigène HBs", True)),
        "hcv": (("VHC", False), ("hépatite C", False), ("ARN du VHC", True)),
    },
}
# one virus: (language, phrase with {v} / {V}, status)
ONE_SEROLOGY: tuple[tuple[str, str, str], ...] = (
    ("en", "{V} negative.", NEG),
    ("en", "{V}: neg.", NEG),
    ("en", "{V} tested negative.", NEG),
    ("en", "{V} non-reactive.", NEG),
    ("en", "Negative {v} testing.", NEG),
    ("en", "{V} came back negative in 2025.", NEG),
    ("en", "{V} positive.", POS),
    ("en", "{V}: pos.", POS),
    ("en", "{V} tested positive.", POS),
    ("en", "Positive {v} in 2019.", POS),
    ("fr", "{V} négatif.", NEG),
    ("fr", "{V} : négatif.", NEG),
    ("fr", "{V} négative en 2025.", NEG),
    ("fr", "{V} positif.", POS),
    ("fr", "{V} : positif.", POS),
)
# several viruses at once: (language, phrase, {virus: status})
MANY_SEROLOGIES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("en", "HBV/HCV serologies negative.", {"hbv": NEG, "hcv": NEG}),
    ("en", "HIV, HBV and HCV negative.", {"hiv": NEG, "hbv": NEG, "hcv": NEG}),
    ("en", "Serologies (HIV, HBV, HCV) negative.", {"hiv": NEG, "hbv": NEG, "hcv": NEG}),
    ("en", "Negative serologies for HIV, hepatitis B and hepatitis C.", {"hiv": NEG, "hbv": NEG, "hcv": NEG}),
    ("en", "Hepatitis B and C tests were negative.", {"hbv": NEG, "hcv": NEG}),
    ("en", "Viral screen: HIV neg, HBsAg neg, anti-HCV neg.", {"hiv": NEG, "hbv": NEG, "hcv": NEG}),
    ("en", "HBc antibody positive, HBsAg negative.", {"hbv": PAST}),
    ("en", "Anti-HBc positive with negative HBsAg (resolved hepatitis B).", {"hbv": PAST}),
    ("en", "HBsAg negative, anti-HBc positive.", {"hbv": PAST}),
    ("en", "Hepatitis C treated in 2018, HCV RNA undetectable since.", {"hcv": PAST}),
    ("en", "HCV antibody positive, HCV RNA undetectable.", {"hcv": PAST}),
    ("en", "HBsAg positive, HBV DNA 2,000 IU/mL.", {"hbv": POS}),
    ("en", "HIV positive on antiretroviral therapy, CD4 650.", {"hiv": POS}),
    ("en", "HCV antibody positive, RNA not tested.", {"hcv": EXPOSED}),
    ("fr", "Sérologies VHB et VHC négatives.", {"hbv": NEG, "hcv": NEG}),
    ("fr", "Sérologies VIH, VHB et VHC négatives.", {"hiv": NEG, "hbv": NEG, "hcv": NEG}),
    ("fr", "Sérologies virales négatives (VIH, VHB, VHC).", {"hiv": NEG, "hbv": NEG, "hcv": NEG}),
    ("fr", "Ag HBs négatif, Ac anti-HBc positif.", {"hbv": PAST}),
    ("fr", "Ac anti-HBc positif, Ag HBs négatif.", {"hbv": PAST}),
    ("fr", "Hépatite C traitée en 2018, ARN du VHC indétectable.", {"hcv": PAST}),
    ("fr", "Ag HBs positif, ADN du VHB 2000 UI/mL.", {"hbv": POS}),
    ("fr", "VIH positif sous trithérapie, CD4 650.", {"hiv": POS}),
)
# the criteria lines a serology decides (exclusions) and, per status, whether the patient has what it names
SEROLOGY_LINES = {
    "hiv": ("Known HIV infection.", {NEG: False, POS: True, PAST: None, EXPOSED: None}),
    "hbv": ("Active hepatitis B infection.", {NEG: False, POS: True, PAST: False, EXPOSED: None}),
    "hcv": ("Active hepatitis C infection.", {NEG: False, POS: True, PAST: False, EXPOSED: None}),
}

# Wordings written after the fixes of session 11 (branch verdicts25), never used to write them: the classes
# measured on phrasings the fixes were not made against (reported apart, "(later wordings)").
LATER_STATUSES: tuple[tuple[str, str, bool], ...] = (
    ("en", "Cycle 3 of {d} given{w}.", True),
    ("en", "Maintenance {d} ongoing{w}.", True),
    ("en", "Tolerated {d} well{w}.", True),
    ("en", "{D} held after cycle 2{w} for neutropenia.", True),
    ("en", "Best response to {d}{w}: stable disease.", True),
    ("en", "Started {d}{w}.", True),
    ("en", "Offered {d}{w} but she wishes to think it over.", False),
    ("en", "{D} was discussed{w} as an option.", False),
    ("en", "Seen{w} to consent for the {d} study.", False),
    ("en", "Potential candidate for {d}.", False),
    ("en", "Insurance authorization for {d} pending{w}.", False),
    ("en", "Patient refused {d}{w}.", False),
    ("en", "Prescreening{w} for a {d} protocol.", False),
    ("en", "Would benefit from {d} if PD-L1 high.", False),
    ("en", "{D} not started{w} because of poor performance status.", False),
    ("en", "Hypersensitivity reaction to {d}{w} with the first infusion.", True),
    ("fr", "Sous {d} depuis 2024.", True),
    ("fr", "Traitement par {d} poursuivi{w}.", True),
    ("fr", "Il est proposé {d}{w}.", False),
    ("fr", "Dossier présenté en RCP{w} : indication de {d}.", False),
    ("fr", "La patiente ne souhaite pas recevoir {d}.", False),
    ("fr", "Pas d'indication à {d}{w}.", False),
    ("fr", "{D} envisagé{w} en deuxième ligne.", False),
)
LATER_INDICATION_FRAMES: tuple[tuple[str, str], ...] = (
    ("en", "Long-standing {i}, on low-dose {d}{w}."),
    ("en", "{I} (treated with {d}{w})."),
    ("en", "{D} 10 mg weekly{w} for her {i}."),
    ("en", "Comorbidities: {i} treated with {d}{w}."),
    ("en", "{D} was prescribed by rheumatology{w} for {i}."),
    ("fr", "{I} traitée par {d} au long cours."),
    ("fr", "Antécédents : {i} sous {d}{w}."),
)
LATER_SEROLOGIES: tuple[tuple[str, str, dict[str, str]], ...] = (
    (
        "en",
        "Pre-treatment serologies: HIV negative, HBsAg negative, HCV antibody negative.",
        {"hiv": NEG, "hbv": NEG, "hcv": NEG},
    ),
    ("en", "HIV 1/2 Ag/Ab screen non-reactive.", {"hiv": NEG}),
    ("en", "Negative screening for hepatitis B and C.", {"hbv": NEG, "hcv": NEG}),
    ("en", "Hepatitis panel negative (HBsAg, anti-HBc, anti-HCV).", {"hbv": NEG, "hcv": NEG}),
    ("en", "Isolated anti-HBc positive; HBsAg negative, HBV DNA undetectable.", {"hbv": PAST}),
    ("en", "Chronic hepatitis B, HBsAg positive, on tenofovir.", {"hbv": POS}),
    ("en", "Known HIV on ART, viral load undetectable.", {"hiv": POS}),
    (
        "fr",
        "Sérologies pré-thérapeutiques : VIH négatif, Ag HBs négatif, VHC négatif.",
        {"hiv": NEG, "hbv": NEG, "hcv": NEG},
    ),
    ("fr", "Hépatite B guérie (Ag HBs négatif, anticorps anti-HBc positifs).", {"hbv": PAST}),
    ("fr", "Infection VIH connue sous trithérapie.", {"hiv": POS}),
)
