"""Demo data for the research pages (issue 20): sponsored trials with their sites' milestones, and a
synthetic bibliography written as a real PubMed efetch XML file, then read by the real importer.

Milestones are drawn backwards from each site's first enrolment of the demo history (opening some
days before it, approval and contract before opening, selection before both) with log-normal step
times, so activation medians and a slowest step come out of the data, not out of a table. Papers
are fictional ("[Fictional]" titles, PMIDs from 90000001): authors of one to four centres, written
the many ways MEDLINE writes affiliations (with departments, universities, postcodes, e-mails), a
share with co-authors abroad or in French hospitals off the network, and a few affiliations that
only a person can attribute (joint research units, a centre without its city) for the review list."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select

from oncofed.domain import Centre
from oncofed.services.network.centres import list_centres
from oncofed.services.research.publications import import_publications
from oncofed.services.research.sponsor import utcnow
from oncofed.store.db import Database
from oncofed.store.models import TrialRow, TrialSiteRow
from oncofed.store.models_prescreen import EnrolmentRow
from oncofed.store.models_research import (
    AffiliationRow,
    PublicationAffiliationRow,
    PublicationRow,
    SiteMilestoneRow,
    SponsoredTrialRow,
)

DEMO_SOURCE = "demo"
FIRST_PMID = 90_000_001
JOURNALS = [
    ("Journal of clinical oncology", "J Clin Oncol", "0732-183X"),
    ("The Lancet. Oncology", "Lancet Oncol", "1470-2045"),
    ("Annals of oncology", "Ann Oncol", "0923-7534"),
    ("European journal of cancer", "Eur J Cancer", "0959-8049"),
    ("JAMA oncology", "JAMA Oncol", "2374-2437"),
    ("British journal of cancer", "Br J Cancer", "0007-0920"),
    ("International journal of cancer", "Int J Cancer", "0020-7136"),
    ("Cancers", "Cancers (Basel)", "2072-6694"),
    ("Clinical cancer research", "Clin Cancer Res", "1078-0432"),
    ("Bulletin du cancer", "Bull Cancer", "0007-4551"),
    ("ESMO open", "ESMO Open", "2059-7029"),
    ("BMC cancer", "BMC Cancer", "1471-2407"),
]
DEPARTMENTS = [
    "Department of Medical Oncology",
    "Department of Radiation Oncology",
    "Department of Surgical Oncology",
    "Department of Biostatistics",
    "Clinical Research Unit",
    "Department of Pathology",
    "Early Phase Trials Unit",
    "Département d'Oncologie Médicale",
]
ABROAD = [
    "Dana-Farber Cancer Institute, Boston, MA, USA",
    "Memorial Sloan Kettering Cancer Center, New York, NY 10065, USA",
    "Netherlands Cancer Institute, Amsterdam, The Netherlands",
    "Vall d'Hebron Institute of Oncology, Barcelona, Spain",
    "German Cancer Research Center (DKFZ), Heidelberg, Germany",
    "Princess Margaret Cancer Centre, Toronto, Ontario, Canada",
    "Peter MacCallum Cancer Centre, Melbourne, Australia",
    "The Royal Marsden NHS Foundation Trust, London, UK",
    "Fondazione IRCCS Istituto Nazionale dei Tumori, Milan, Italy",
    "Institut Jules Bordet, Université Libre de Bruxelles, Brussels, Belgium",
]
FRANCE_OFF_NETWORK = [
    "Hôpital Européen Georges Pompidou, AP-HP, Paris, France",
    "Hospices Civils de Lyon, Lyon, France",
    "CHU de Bordeaux, Bordeaux, France",
    "Université Paris Cité, Inserm U1016, Paris, France",
    "CHU de Toulouse, Toulouse, France",
]
FOR_REVIEW = [
    "Centre de Recherche en Cancérologie de Lyon, Inserm U1052, CNRS 5286, Lyon, France",
    "Centre de Recherche en Cancérologie de Marseille (CRCM), Inserm, Marseille, France",
    "Gustave Roussy, Université Paris-Saclay, F-94805, France",
    "Comprehensive Cancer Center, Department of Oncology, France",
]
TOPICS = [
    "immunotherapy in metastatic melanoma",
    "adjuvant endocrine therapy in early breast cancer",
    "stereotactic radiotherapy for oligometastatic disease",
    "circulating tumour DNA to guide treatment",
    "geriatric assessment before chemotherapy",
    "real-world outcomes of PARP inhibitors",
    "time to treatment in a national network",
    "patient-reported outcomes during radiotherapy",
    "molecular tumour boards and trial access",
    "soft-tissue sarcoma surgery quality",
]


def _centre_affiliation(rng: np.random.Generator, c: Centre) -> str:
    dept = DEPARTMENTS[int(rng.integers(len(DEPARTMENTS)))]
    name = [c.name, c.name, *c.aliases][int(rng.integers(len(c.aliases) + 2))]
    form = int(rng.integers(4))
    if form == 0:
        return f"{dept}, {name}, {c.city}, France."
    if form == 1:
        return f"{name}, {c.postcode} {c.city}, France. author{int(rng.integers(1, 999))}@example.org."
    if form == 2:
        return f"{dept}, {name}, Université, {c.city}, France"
    return f"{name}, {c.city}, France"


def bibliography_xml(
    centres: Sequence[Centre], trial_ncts: Sequence[str], years: Sequence[int], seed: int
) -> str:
    """A PubMed efetch document of fictional papers (see the module docstring)."""
    rng = np.random.default_rng(seed)
    weight = rng.lognormal(0.0, 0.6, len(centres))
    weight = weight / weight.sum()
    out = [
        '<?xml version="1.0" ?>',
        '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">',
        "<!-- oncofed demo: a synthetic bibliography (fictional papers, invented PMIDs) -->",
        "<PubmedArticleSet>",
    ]
    pmid = FIRST_PMID
    for year in years:
        for _ in range(int(rng.integers(110, 150))):
            n_centres = int(rng.choice([1, 1, 1, 2, 2, 3, 4]))
            chosen = rng.choice(len(centres), size=n_centres, replace=False, p=weight)
            affs = [_centre_affiliation(rng, centres[int(i)]) for i in chosen]
            if rng.random() < 0.35:
                affs.append(ABROAD[int(rng.integers(len(ABROAD)))])
            if rng.random() < 0.25:
                affs.append(FRANCE_OFF_NETWORK[int(rng.integers(len(FRANCE_OFF_NETWORK)))])
            if rng.random() < 0.06:
                affs.append(FOR_REVIEW[int(rng.integers(len(FOR_REVIEW)))])
            journal, abbrev, issn = JOURNALS[int(rng.integers(len(JOURNALS)))]
            topic = TOPICS[int(rng.integers(len(TOPICS)))]
            nct = trial_ncts[int(rng.integers(len(trial_ncts)))] if trial_ncts and rng.random() < 0.12 else ""
            month = int(rng.integers(1, 13))
            authors = []
            for i, aff in enumerate(affs):
                for j in range(int(rng.integers(1, 4))):
                    authors.append(
                        f'<Author ValidYN="Y"><LastName>Author{i}{j}</LastName><ForeName>Demo</ForeName><Initials>D</Initials>'
                        f"<AffiliationInfo><Affiliation>{escape(aff)}</Affiliation></AffiliationInfo></Author>"
                    )
            bank = (
                '<DataBankList CompleteYN="Y"><DataBank><DataBankName>ClinicalTrials.gov</DataBankName>'
                f"<AccessionNumberList><AccessionNumber>{nct}</AccessionNumber></AccessionNumberList></DataBank></DataBankList>"
                if nct
                else ""
            )
            abstract = f"A fictional study of {topic}." + (f" Registered as {nct}." if nct else "")
            out.append(
                f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
                f'<Article PubModel="Print"><Journal><ISSN IssnType="Print">{issn}</ISSN><JournalIssue CitedMedium="Print">'
                f"<PubDate><Year>{year}</Year><Month>{month:02d}</Month></PubDate></JournalIssue>"
                f"<Title>{escape(journal)}</Title><ISOAbbreviation>{escape(abbrev)}</ISOAbbreviation></Journal>"
                f"<ArticleTitle>[Fictional] {escape(topic.capitalize())}: a multicentre study.</ArticleTitle>"
                f"<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>"
                f'<AuthorList CompleteYN="Y">{"".join(authors)}</AuthorList><Language>eng</Language>{bank}'
                '<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>'
                "</Article></MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus>"
                f'<ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>'
            )
            pmid += 1
    out.append("</PubmedArticleSet>")
    return "\n".join(out)


def _lognormal_days(rng: np.random.Generator, median: float, spread: float = 0.5) -> int:
    return max(1, int(round(median * float(rng.lognormal(0.0, spread)))))


def seed_research_demo(db: Database, seed: int = 42, today: date | None = None) -> dict[str, int]:
    """Sponsored demo trials with site milestones, and the synthetic bibliography (idempotent:
    replaces the previous demo rows; a demo built earlier gets what is missing)."""
    today = today or date.today()
    rng = np.random.default_rng(seed + 2020)
    with db.session() as s:
        trials = s.execute(
            select(TrialRow.id, TrialRow.start_date, TrialRow.status)
            .where(
                TrialRow.source == "demo",
                TrialRow.status.in_(("RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED")),
            )
            .order_by(TrialRow.id)
        ).all()
        chosen = [t for i, t in enumerate(trials) if i % 3 != 2][
            :24
        ]  # about two thirds: the network sponsors them
        ids = [t[0] for t in chosen]
        s.execute(delete(SiteMilestoneRow).where(SiteMilestoneRow.source == DEMO_SOURCE))
        s.execute(delete(SponsoredTrialRow).where(SponsoredTrialRow.source == DEMO_SOURCE))
        firsts = dict(
            ((tid, key), d)
            for tid, key, d in s.execute(
                select(EnrolmentRow.trial_id, EnrolmentRow.site_key, func.min(EnrolmentRow.enrolled_on))
                .where(EnrolmentRow.trial_id.in_(ids))
                .group_by(EnrolmentRow.trial_id, EnrolmentRow.site_key)
            )
        )
        sites = s.execute(
            select(TrialSiteRow.trial_id, TrialSiteRow.centre_id, TrialSiteRow.facility).where(
                TrialSiteRow.trial_id.in_(ids)
            )
        ).all()
        starts = {t[0]: t[1] for t in chosen}
        now = utcnow()
        milestones = []
        for tid in ids:
            s.add(
                SponsoredTrialRow(
                    trial_id=tid, source=DEMO_SOURCE, set_by="demo", set_at=now, note="synthetic portfolio"
                )
            )
        for tid, cid, facility in sites:
            key = cid or facility
            first = firsts.get((tid, key))
            start = starts.get(tid) or today - timedelta(days=400)
            if first is not None:
                opening = first - timedelta(days=_lognormal_days(rng, 35, 0.6))
            elif rng.random() < 0.5:
                opening = start + timedelta(days=_lognormal_days(rng, 90))
            else:
                opening = None  # still activating
            ready = (opening or today) - timedelta(days=_lognormal_days(rng, 30, 0.5))
            contract = ready - timedelta(days=int(rng.integers(0, 20)))
            approval = ready - timedelta(days=int(rng.integers(0, 40)))
            selection = min(contract, approval) - timedelta(days=_lognormal_days(rng, 110, 0.45))
            dates = {"selection": selection, "contract": contract, "approval": approval}
            if opening is None:  # an activating site: some steps not reached yet
                dates = {
                    k: v for k, v in dates.items() if v <= today - timedelta(days=int(rng.integers(0, 60)))
                }
            else:
                dates["opening"] = opening
            for m, d in dates.items():
                if d <= today:
                    milestones.append(
                        SiteMilestoneRow(
                            trial_id=tid,
                            site_key=key,
                            centre_id=cid,
                            milestone=m,
                            reached_on=d,
                            source=DEMO_SOURCE,
                            updated_by="demo",
                            updated_at=now,
                        )
                    )
        s.add_all(milestones)
        s.execute(delete(PublicationRow).where(PublicationRow.fictional.is_(True)))
        s.execute(
            delete(AffiliationRow).where(
                ~AffiliationRow.id.in_(select(PublicationAffiliationRow.affiliation_id))
            )
        )
        ncts = []
        for i, tid in enumerate(ids):  # a fictional NCT number for each sponsored demo trial, papers cite it
            row = s.get(TrialRow, tid)
            nct = f"NCT09{int(tid.rsplit('-', 1)[-1]) if tid.rsplit('-', 1)[-1].isdigit() else i:06d}"
            if row is not None:
                if nct not in (row.other_ids or []):
                    row.other_ids = [*(row.other_ids or []), nct]
                ncts.append(nct)
    _prescreen_some(db, ids[:3], sites)
    centres = list_centres(db)
    years = list(range(today.year - 4, today.year + 1))
    xml = bibliography_xml(centres, ncts, years, seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "oncofed-demo-bibliography.xml"
        path.write_text(xml, encoding="utf-8")
        report = import_publications(db, [path], fictional=True)
    return {"sponsored": len(ids), "milestones": len(milestones), "papers": report.imported + report.updated}


def _prescreen_some(db: Database, trial_ids: Sequence[str], sites: Sequence[Any]) -> None:
    """Pre-screen a few sponsored trials at their network sites, so their screen failures per
    criterion show on the portfolio (the pre-screening service itself, as a list page would)."""
    from oncofed.domain import Actor
    from oncofed.services.prescreen.refresh import refresh_prescreen

    for tid in trial_ids:
        for cid in sorted({c for t, c, _ in sites if t == tid and c})[:4]:
            refresh_prescreen(db, tid, cid, Actor.system("demo build"))


def ensure_research_demo(db: Database, seed: int = 42) -> None:
    """A demo built before issue 20: seed its portfolio and bibliography once."""
    with db.session() as s:
        has = s.scalar(select(PublicationRow.id).where(PublicationRow.fictional.is_(True)).limit(1))
    if has is None:
        seed_research_demo(db, seed=seed)
