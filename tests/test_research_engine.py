"""The research engine (issue 20): affiliation matching (hard cases included), countries, activation
statistics, months against target, the co-publication layout, NCT ids; the PubMed reader probed."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncofed.domain import Centre
from oncofed.ingest.publications import pubmed
from oncofed.ingest.trials.sites import normalise as site_normalise
from oncofed.research.activation import (
    months_against_target,
    order_problems,
    slowest_step,
    step_days,
    summarise,
)
from oncofed.research.affiliations import MATCHED, REVIEW, AffiliationMatcher, affiliation_key
from oncofed.research.countries import CountryFinder
from oncofed.research.network import circle_layout, copublication_edges
from oncofed.research.records import nct_ids
from oncofed.research.text import normalise
from oncofed.resources import load_tsv, load_yaml

SAMPLES = Path(__file__).parent / "research_samples"


@functools.cache
def matcher() -> AffiliationMatcher:
    centres = [
        Centre(
            id=c["id"],
            name=c["name"],
            city=c["city"],
            region=c["region"],
            latitude=c["latitude"],
            longitude=c["longitude"],
            short_name=c.get("short_name", ""),
            postcode=str(c.get("postcode", "")),
            aliases=tuple(c.get("aliases") or ()),
        )
        for c in load_yaml("centres.yaml")["centres"]
    ]
    return AffiliationMatcher(
        centres,
        [load_yaml("trials/site_aliases.yaml")],
        french_cities=[r["name"] for r in load_tsv("cities.tsv")],
    )


@pytest.mark.parametrize(
    "text",
    [
        "Hôpital Saint-Louis, AP-HP",
        "Institut Curie – PSL",
        "Ste Catherine / Avignon",
        "IUCT-Oncopole; Toulouse",
    ],
)
def test_normalisation_is_the_registry_sites_one(text: str) -> None:
    assert normalise(text) == site_normalise(text)


@pytest.mark.parametrize(
    ("text", "centres"),
    [
        (
            "Department of Medical Oncology, Institut Curie, PSL Research University, Paris, France. a@b.fr",
            ("curie",),
        ),
        ("Gustave Roussy, Université Paris-Saclay, Villejuif, France.", ("gustave-roussy",)),
        ("Centre Léon Bérard, 28 rue Laennec, 69008 Lyon, France", ("leon-berard",)),
        ("Medical Oncology, Bergonié, Bordeaux", ("bergonie",)),
        ("IGR, Villejuif", ("gustave-roussy",)),
        ("Institut Bergonié, Bordeaux, France; Institut Curie, Paris, France", ("bergonie", "curie")),
    ],
)
def test_a_centre_named_with_an_institution_word_or_its_city_is_matched(
    text: str, centres: tuple[str, ...]
) -> None:
    m = matcher().match(text)
    assert m.status == MATCHED and set(m.centre_ids) == set(centres), m


@pytest.mark.parametrize(
    "text",
    [
        "Sorbonne Université, Université Pierre et Marie Curie, Paris, France",  # Curie, in Paris, but not the centre
        "Laboratoire Jean Perrin, Sorbonne Université, CNRS, Paris, France",  # a physics laboratory
        "Maria Sklodowska-Curie National Research Institute of Oncology, Warsaw, Poland",
        "Institut Català d'Oncologia (ICO), Barcelona, Spain",  # ICO abroad
        "Paris Brain Institute (ICM), Paris, France",  # ICM without Montpellier
        "Dana-Farber Cancer Institute, Boston, MA 02215, USA.",
        "Unicancer, Paris, France",  # the federation, no centre
    ],
)
def test_look_alikes_are_not_attributed(text: str) -> None:
    m = matcher().match(text)
    assert m.status == "external" and not m.centre_ids, m


@pytest.mark.parametrize(
    ("text", "proposed"),
    [
        ("Gustave Roussy, Université Paris-Saclay, F-94805, France.", ("gustave-roussy",)),  # no city
        ("Centre de Recherche en Cancérologie de Lyon, Inserm U1052, Lyon, France", ()),  # a joint unit
        ("Comprehensive Cancer Center, Department of Oncology, France", ()),
    ],
)
def test_uncertain_affiliations_are_listed_for_review_with_the_reason(
    text: str, proposed: tuple[str, ...]
) -> None:
    m = matcher().match(text)
    assert m.status == REVIEW and m.centre_ids == proposed and m.reason, m


def test_an_affiliation_is_the_same_whatever_its_case_accents_and_e_mail() -> None:
    a = affiliation_key("Institut Curie, Paris, France. jane@curie.fr")
    assert a == affiliation_key("INSTITUT CURIE, PARIS, FRANCE")
    assert a != affiliation_key("Institut Curie, Orsay, France")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Boston, MA 02215, USA.", "US"),
        ("Houston, Texas", "US"),
        ("Albuquerque, New Mexico", "US"),  # the longest name wins: not Mexico
        ("Amsterdam, The Netherlands", "NL"),
        ("Beijing, P.R. China", "CN"),
        ("London SW3 6JJ, UK", "GB"),
        ("69008 Lyon, France. someone@example.org.", "FR"),
        ("Villejuif", "FR"),  # a French city of the gazetteer, no country written
        ("Berlin, Allemagne", "DE"),
        ("Department of Oncology", ""),  # unknown, never guessed
    ],
)
def test_the_country_is_read_from_the_end_of_the_affiliation(text: str, code: str) -> None:
    finder = CountryFinder(["Villejuif", "Lyon"])
    assert finder.find(text) == code


def test_activation_steps_medians_and_the_slowest_step() -> None:
    sites = [
        {
            "selection": date(2024, 1, 1),
            "contract": date(2024, 4, 1),
            "approval": date(2024, 2, 1),
            "opening": date(2024, 5, 1),
            "first_inclusion": date(2024, 6, 1),
        },
        {
            "selection": date(2024, 1, 1),
            "contract": date(2024, 3, 1),
            "approval": date(2024, 3, 15),
            "opening": date(2024, 4, 14),
        },
        {"selection": date(2024, 2, 1)},
    ]
    per_site = [step_days(d) for d in sites]
    assert per_site[0] == {
        "contract": 91,
        "approval": 31,
        "opening": 30,
        "first_inclusion": 31,
        "activation": 121,
    }
    assert per_site[1]["opening"] == 30  # from the later of contract and approval
    assert per_site[2] == {}
    summary = {s.step: s for s in summarise(per_site)}
    assert summary["contract"].median == (91 + 60) / 2 and summary["contract"].sites == 2
    assert summary["first_inclusion"].sites == 1 and summary["activation"].median == (121 + 104) / 2
    assert slowest_step(summarise(per_site)) == "contract"


def test_milestones_out_of_order_are_named() -> None:
    problems = order_problems({"selection": date(2024, 5, 1), "opening": date(2024, 4, 1)})
    assert problems == ["opening (2024-04-01) is before selection (2024-05-01)"]
    assert (
        order_problems(
            {"selection": date(2024, 1, 1), "approval": date(2024, 2, 1), "contract": date(2024, 3, 1)}
        )
        == []
    )


def test_months_against_target_spread_from_opening_to_the_planned_end() -> None:
    out = months_against_target(
        {"2024-02": 2, "2024-04": 3}, 12, date(2024, 1, 1), date(2024, 12, 31), date(2024, 4, 30)
    )
    assert [m.month for m in out.months] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert [m.cumulative for m in out.months] == [0, 2, 2, 5]
    assert out.months[-1].expected == pytest.approx(12 * 120 / 365, abs=0.1)
    assert out.months[-1].on_track is True and out.months[0].on_track is False
    assert months_against_target({}, 10, None, None, date(2024, 1, 1)).note


def test_copublication_edges_and_a_stable_circle_in_geographic_order() -> None:
    edges = copublication_edges([["a", "b"], ["b", "a", "c"], ["a"]])
    assert edges == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}
    pts = {"north": (50.6, 3.0), "south": (43.3, 5.4), "west": (47.2, -1.6), "east": (48.6, 7.7)}
    layout = circle_layout(pts, 100, 100, 50)
    assert layout == circle_layout(dict(reversed(list(pts.items()))), 100, 100, 50)
    assert [p.centre_id for p in layout] == ["west", "south", "east", "north"]  # counter-clockwise
    assert all(abs(((p.x - 100) ** 2 + (p.y - 100) ** 2) ** 0.5 - 50) < 1e-6 for p in layout)


def test_nct_ids_in_free_text() -> None:
    assert nct_ids("see NCT01234567 and NCT 07654321; again nct01234567") == ["NCT01234567", "NCT07654321"]
    assert nct_ids("NCT123") == []


def test_the_pubmed_sample_is_read_by_the_dtd_fields() -> None:
    items = list(pubmed.iter_records(SAMPLES / "pubmed_efetch.xml"))
    first = items[0].publication
    assert first is not None and first.pmid == "99000001" and first.doi == "10.1200/jco.99.00001"
    assert first.title.startswith("[Fictional] Adjuvant ERBB2-directed")  # inline <i> kept as text
    assert (
        first.year == 2024
        and first.published_on == date(2024, 3, 1)
        and first.journal_abbrev == "J Clin Oncol"
    )
    assert [a.name for a in first.authors][-1] == "Fictional Breast Cancer Study Group"
    assert len(first.authors[1].affiliations) == 2
    assert first.trial_links() == {"NCT09000001": "both", "NCT09000002": "abstract"}
    legacy = items[1].publication
    assert (
        legacy is not None
        and legacy.year == 2013
        and legacy.authors[0].affiliations[0].startswith("Centre Léon Bérard")
    )
    assert items[3].error and items[3].field == "MedlineCitation/PMID"
    assert items[4].skipped


@settings(max_examples=60, deadline=None)
@given(
    st.text(max_size=200), st.sampled_from(["ArticleTitle", "Affiliation", "Year", "PMID", "AbstractText"])
)
def test_the_pubmed_reader_never_crashes_on_odd_text(
    tmp_path_factory: pytest.TempPathFactory, text: str, tag: str
) -> None:
    from xml.sax.saxutils import escape

    body = (SAMPLES / "pubmed_efetch.xml").read_text(encoding="utf-8")
    body = body.replace(f"<{tag}>", f"<{tag}>{escape(''.join(ch for ch in text if ch.isprintable()))}", 1)
    path = tmp_path_factory.mktemp("pm") / "x.xml"
    path.write_text(body, encoding="utf-8")
    for item in pubmed.iter_records(path):
        assert item.publication is not None or item.error or item.skipped


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    JSONISH,
    st.sampled_from(
        ["title", "publication_year", "authorships", "ids", "primary_location", "abstract_inverted_index"]
    ),
)
def test_the_openalex_reader_refuses_odd_works_by_field_and_never_crashes(value: object, key: str) -> None:
    from oncofed.ingest.publications.openalex import RecordError, work_to_record

    work = {"id": "https://openalex.org/W123", "title": "A title", key: value}
    try:
        rec = work_to_record(work)
    except RecordError as exc:
        assert exc.field and exc.reason
    else:
        assert rec.openalex_id == "W123" and rec.title


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=2, max_size=8
    )
)
def test_the_milestone_reader_names_every_bad_row(cells: list[str]) -> None:
    from oncofed.ingest import tabular
    from oncofed.ingest.publications.milestones import MilestoneLine, read

    text = (
        "trial_id,site,selection,opening\n"
        + ",".join(c.replace(",", " ").replace("\n", " ") for c in cells[:4])
        + "\n"
    )
    try:
        items = list(read(text, "m.csv"))
    except Exception as exc:  # only a header problem may stop the file, as an InputError naming it
        from oncofed.errors import InputError

        assert isinstance(exc, InputError)
        return
    for item in items:
        assert isinstance(item, MilestoneLine) or (
            isinstance(item, tabular.Reject) and item.field and item.fix
        )
