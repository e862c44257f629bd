"""Count sentences have plural forms (gettext `ngettext`, Babel's plural rules): French says "1 essai
ouvert" and "0 essai" (0 and 1 are singular), English "1 trial" and "0 trials". The messages for 0, 1
and 2 in both languages; a guard over the catalogue; the French match page in headless Chromium with
one open trial and with several."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from oncofed.domain import Actor, Role, TrialStatus
from oncofed.presenters.i18n import catalogue_path, install_gettext, translator
from oncofed.store.db import Database
from oncofed.store.repositories import PatientRepository, TrialRepository
from tests.browser_helpers import shot
from tests.conftest import LiveServer, serve_as

# the match page's count sentence, as matches.html writes it
MATCH_COUNTS = (
    "{{ ngettext('%(num)s open (recruiting) trial in the registry;', '%(num)s open (recruiting) trials in the "
    "registry;', open, num=num(open)) }} {{ ngettext('%(num)s passed the hard filters (age, sex, cancer type) "
    "and was evaluated.', '%(num)s passed the hard filters (age, sex, cancer type) and were evaluated.', "
    "candidates, num=num(candidates)) }}"
)
EXPECTED_MATCH_COUNTS = {
    (
        "en",
        0,
    ): "0 open (recruiting) trials in the registry; 0 passed the hard filters (age, sex, cancer type) "
    "and were evaluated.",
    ("en", 1): "1 open (recruiting) trial in the registry; 1 passed the hard filters (age, sex, cancer type) "
    "and was evaluated.",
    (
        "en",
        2,
    ): "2 open (recruiting) trials in the registry; 2 passed the hard filters (age, sex, cancer type) "
    "and were evaluated.",
    (
        "fr",
        0,
    ): "0 essai ouvert (en recrutement) au registre\u202f; 0 a passé les filtres (âge, sexe, type de cancer) "
    "et a été évalué.",
    (
        "fr",
        1,
    ): "1 essai ouvert (en recrutement) au registre\u202f; 1 a passé les filtres (âge, sexe, type de cancer) "
    "et a été évalué.",
    (
        "fr",
        2,
    ): "2 essais ouverts (en recrutement) au registre\u202f; 2 ont passé les filtres (âge, sexe, type de "
    "cancer) et ont été évalués.",
}


@pytest.mark.parametrize(("lang", "n"), sorted(EXPECTED_MATCH_COUNTS))
def test_match_page_count_sentence_for_0_1_2_in_english_and_french(lang: str, n: int) -> None:
    env = Environment(autoescape=True)
    install_gettext(env)
    text = env.from_string(MATCH_COUNTS).render(lang=lang, open=n, candidates=n)
    assert text == EXPECTED_MATCH_COUNTS[(lang, n)]


def test_match_page_template_writes_the_sentence_the_test_renders() -> None:
    from oncofed.web.templating import templates

    source = templates.env.loader.get_source(templates.env, "matches.html")[0]  # type: ignore[union-attr]
    for message in re.findall(r"ngettext\('([^']+)'", MATCH_COUNTS):
        assert message in source


# (singular, plural, extra parameters) -> the words for 0, 1, 2 in French (English: "s" from 2 and 0)
SENTENCES: list[tuple[str, str, dict[str, Any], tuple[str, str, str]]] = [
    ("%(num)s matched,", "%(num)s matched,", {}, ("0 attribuée,", "1 attribuée,", "2 attribuées,")),
    ("%(num)s external", "%(num)s external", {}, ("0 extérieure", "1 extérieure", "2 extérieures")),
    (
        "%(num)s of your questions was one criterion away from an earlier one (lockout after %(limit)s).",
        "%(num)s of your questions were one criterion away from an earlier one (lockout after %(limit)s).",
        {"limit": 3},
        (
            "0 de vos questions ne différait",
            "1 de vos questions ne différait",
            "2 de vos questions ne différaient",
        ),
    ),
    ("%(num)s trial", "%(num)s trials", {}, ("0 essai", "1 essai", "2 essais")),
    ("%(num)s year", "%(num)s years", {}, ("0 an", "1 an", "2 ans")),
    (
        "%(num)s trial in the registry, %(recruiting)s recruiting, %(network)s recruiting at a network centre.",
        "%(num)s trials in the registry, %(recruiting)s recruiting, %(network)s recruiting at a network centre.",
        {"recruiting": 0, "network": 0},
        ("0 essai au registre", "1 essai au registre", "2 essais au registre"),
    ),
    (
        "%(num)s case re-opened by an event in the record.",
        "%(num)s cases re-opened by an event in the record.",
        {},
        ("0 dossier rouvert", "1 dossier rouvert", "2 dossiers rouverts"),
    ),
    (
        "Agenda frozen: %(num)s case re-matched in %(seconds)s s;",
        "Agenda frozen: %(num)s cases re-matched in %(seconds)s s;",
        {"seconds": "1,5"},
        ("0 dossier apparié", "1 dossier apparié", "2 dossiers appariés"),
    ),
    (
        "%(num)s candidate trial,",
        "%(num)s candidate trials,",
        {},
        ("0 essai candidat", "1 essai candidat", "2 essais candidats"),
    ),
    (
        "%(num)s new since the last discussion.",
        "%(num)s new since the last discussion.",
        {},
        ("0 nouveau ", "1 nouveau ", "2 nouveaux "),
    ),
    (
        "Chain verified: %(num)s row, no edited, inserted or deleted row.",
        "Chain verified: %(num)s rows, no edited, inserted or deleted row.",
        {},
        ("0 ligne,", "1 ligne,", "2 lignes,"),
    ),
    (
        "%(centre)s: %(num)s paper",
        "%(centre)s: %(num)s papers",
        {"centre": "Curie"},
        ("0 article", "1 article", "2 articles"),
    ),
    (
        "%(num)s comprehensive cancer centre. Each dot is a centre; select one to see the trials it runs.",
        "%(num)s comprehensive cancer centres. Each dot is a centre; select one to see the trials it runs.",
        {},
        ("0 centre de", "1 centre de", "2 centres de"),
    ),
]


@pytest.mark.parametrize(("singular", "plural", "params", "french"), SENTENCES, ids=lambda v: str(v)[:24])
def test_count_messages_for_0_1_2(
    singular: str, plural: str, params: dict[str, Any], french: tuple[str, ...]
) -> None:
    en, fr = translator("en"), translator("fr")
    assert en.ngettext(singular, plural, 1, **params) == singular % {"num": 1, **params}
    for n in (0, 2):
        assert en.ngettext(singular, plural, n, **params) == plural % {"num": n, **params}
    for n, words in zip((0, 1, 2), french, strict=True):
        assert words in fr.ngettext(singular, plural, n, **params), (
            n,
            fr.ngettext(singular, plural, n, **params),
        )


# a count placeholder followed by a plural noun, in a message that has no plural form
COUNT_BEFORE_NOUN = re.compile(
    r"%\((?:n|num|count|cases|trials|open|candidates|total|matched|rows|new|papers|searched)\)s "
    r"(?:[a-z()-]+ ){0,2}[a-z]+(?:s|\(s\))\b"
)


def test_no_count_sentence_without_plural_forms_in_the_catalogue() -> None:
    with catalogue_path("fr").open("rb") as fh:
        catalog = read_po(fh, locale="fr")
    missing = [m.id for m in catalog if m.id and isinstance(m.id, str) and COUNT_BEFORE_NOUN.search(m.id)]
    assert not missing, "count sentences without ngettext: " + " | ".join(missing)


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "0 prior line(s) of therapy for advanced disease",
            "0 ligne antérieure de traitement de la maladie avancée",
        ),
        (
            "1 prior line(s) of therapy for advanced disease",
            "1 ligne antérieure de traitement de la maladie avancée",
        ),
        (
            "2 prior line(s) of therapy for advanced disease",
            "2 lignes antérieures de traitement de la maladie avancée",
        ),
        ("Minimum age 1 years (registry field)", "Âge minimum 1 an (champ du registre)"),
        ("Minimum age 18 years (registry field)", "Âge minimum 18 ans (champ du registre)"),
        ("Life expectancy 12 weeks", "Espérance de vie de 12 semaines"),
        (
            "Not decided: recent ALT (within 1 days).",
            "Non tranché\u00a0: alanine aminotransférase (ALAT) récent (de 1 jour au plus).",
        ),
    ],
)
def test_engine_sentences_with_a_count_are_said_with_plural_forms(english: str, french: str) -> None:
    """The engines write "line(s)" in English (presenters/engine_text.py reads them); French says each
    count with its own form."""
    from oncofed.presenters.engine_text import say

    assert say("fr", english) == french
    # English is shown as the engine wrote it, but for its "(s)": singular for 1, plural otherwise
    n = int(english.split()[0]) if english[0].isdigit() else 2
    if "(s)" in english:
        assert say("en", english) == english.replace("line(s)", "line" if n == 1 else "lines")
    else:
        assert say("en", english) == english


@pytest.mark.parametrize(
    ("english", "one", "two"),
    [
        (
            "%s prior line(s) for advanced disease (criterion: at most 2)",
            "1 prior line for advanced disease (criterion: at most 2)",
            "2 prior lines for advanced disease (criterion: at most 2)",
        ),
        (
            "PARP inhibitor not among the %s recorded treatment(s) (olaparib)",
            "PARP inhibitor not among the 1 recorded treatment (olaparib)",
            "PARP inhibitor not among the 2 recorded treatments (olaparib)",
        ),
        (
            "Not decided: stage group. Known: %s prior line(s) of therapy for advanced disease.",
            "Not decided: stage group. Known: 1 prior line of therapy for advanced disease.",
            "Not decided: stage group. Known: 2 prior lines of therapy for advanced disease.",
        ),
    ],
)
def test_english_engine_sentences_say_their_count_in_the_singular_or_plural(
    english: str, one: str, two: str
) -> None:
    """The engines' "line(s)" and "treatment(s)" on English pages: "1 prior line", "2 prior lines",
    also inside a criterion's sentence (the count part of a list is a number, not the sentence's start)."""
    from oncofed.presenters.engine_text import say

    assert say("en", english % 1) == one
    assert say("en", english % 2) == two
    assert "(s)" not in say("fr", english % 1) and "(s)" not in say("fr", english % 2)


@pytest.mark.parametrize(
    ("days", "french"),
    [(0, "au plus 0 jour après"), (1, "au plus 1 jour après"), (30, "au plus 30 jours après")],
)
def test_an_indicator_delay_is_said_with_plural_forms(days: int, french: str) -> None:
    from oncofed.presenters.quality_definitions import describe

    sql = f"first_treatment_day - diagnosis_day <= {days}"
    assert french in describe("fr", sql)
    assert ("day after" if days == 1 else "days after") in describe("en", sql)


# --- the French match page in headless Chromium -------------------------------------------------


def _network(db: Database, trials: int) -> tuple[str, str]:
    """Centres, `trials` open breast-cancer demo trials and 30 synthetic patients; a breast-cancer
    patient's (id, centre)."""
    from oncofed.services.network.centres import load_centres, network_centres
    from oncofed.synthetic.patients import generate_patients
    from oncofed.synthetic.trials import build_demo_trials

    load_centres(db)
    with db.session() as s:
        for t in build_demo_trials(network_centres())[:trials]:
            TrialRepository(s).upsert(replace(t, status=TrialStatus.RECRUITING))
        PatientRepository(s, Actor.system()).add_rows(list(generate_patients(network_centres(), 30, seed=9)))
        patient = next(
            p for p in PatientRepository(s, Actor.system()).list(limit=None) if p.primary_cancer == "BRCA"
        )
    return patient.id, patient.centre_id


@pytest.fixture(params=[1, 3], ids=["one-trial", "three-trials"])
def french_match(
    request: pytest.FixtureRequest, sqlite_db: Database
) -> Iterator[tuple[int, str, LiveServer]]:
    pid, centre = _network(sqlite_db, request.param)
    with serve_as(sqlite_db, Actor("dr-fr", Role.CLINICIAN, frozenset({centre}))) as server:
        yield request.param, pid, server


@pytest.mark.browser
def test_french_match_page_says_one_trial_in_the_singular_and_several_in_the_plural(
    french_match: tuple[int, str, LiveServer], page: Any
) -> None:
    trials, pid, server = french_match
    page.goto(server.url(f"/patients/{pid}/matches?lang=fr"))
    counts = page.locator("#match-counts").inner_text()
    assert page.locator("details.match").count() == trials  # every breast trial passes the filters
    if trials == 1:
        assert counts == (
            "1 essai ouvert (en recrutement) au registre\u202f; 1 a passé les filtres (âge, sexe, type de cancer) "
            "et a été évalué."
        )
        shot(page, "matches-fr-one-trial.png", full_page=False)
    else:
        assert counts == (
            f"{trials} essais ouverts (en recrutement) au registre\u202f; {trials} ont passé les filtres (âge, sexe, "
            "type de cancer) et ont été évalués."
        )
    age = re.search(r"· (\d+) ans?\b", page.locator("main").inner_text())
    assert age is not None and age.group(0).endswith("ans" if int(age.group(1)) > 1 else "an")


@pytest.mark.parametrize(
    ("n", "en_words", "fr_words"), [(1, "1 trial is", "1 essai est"), (2, "2 trials are", "2 essais sont")]
)
def test_a_label_with_plural_forms_is_said_with_its_count(n: int, en_words: str, fr_words: str) -> None:
    """`NN_` labels (presenters/labels.py): the match page's "no open trial" notice."""
    from oncofed.services.trials.setup import explain_no_open_trial

    key, params = explain_no_open_trial({"recruiting": 0, "trials": n, "unknown": 0})
    assert en_words in translator("en").label("wd_why", key, **params)
    assert fr_words in translator("fr").label("wd_why", key, **params)
