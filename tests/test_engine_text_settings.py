"""A therapy's setting alternatives in the engines' evidence ("prior chemotherapy for metastatic or
advanced?", matching/atoms.py joins a criterion's settings with " or ") said in French on French pages:
each alternative and the conjunction in French, agreeing with "situation" (feminine: "adjuvante ou
néoadjuvante"), never half-said (words the catalogue does not know stay as the engine wrote them)."""

from __future__ import annotations

from oncofed.presenters.engine_text import say, unsaid

CHECK = "prior chemotherapy for metastatic or locally advanced?"
OTHER = (
    "received paclitaxel (taxane), last given 2024-01-02, given in the adjuvant setting, "
    "not the metastatic or advanced one"
)


def test_a_setting_with_alternatives_is_said_in_french() -> None:
    assert (
        say("fr", CHECK)
        == "antécédent de chimiothérapie en situation métastatique ou localement avancée\u202f?"
    )
    said = say("fr", OTHER)
    assert said.endswith("en situation adjuvante, pas en situation métastatique ou avancée")
    assert " or " not in said and "metastatic" not in said
    assert unsaid("fr", CHECK) == [] and unsaid("fr", OTHER) == []


def test_the_settings_agree_with_situation_one_by_one() -> None:
    assert say("fr", "prior chemotherapy for adjuvant or neoadjuvant?") == (
        "antécédent de chimiothérapie en situation adjuvante ou néoadjuvante\u202f?"
    )
    assert say("fr", "prior chemotherapy for perioperative?") == (
        "antécédent de chimiothérapie en situation périopératoire\u202f?"
    )
    assert say("fr", "disease setting: metastatic or locally advanced") == (
        "situation de la maladie\u00a0: métastatique ou localement avancée"
    )


def test_alternatives_the_catalogue_does_not_know_stay_as_written_and_english_is_unchanged() -> None:
    assert "fulvestrant or an oral SERD" in say("fr", "prior fulvestrant or an oral SERD for metastatic?")
    assert say("en", CHECK) == CHECK and say("en", OTHER) == OTHER


def test_a_translated_part_after_a_colon_starts_in_lower_case_in_french() -> None:
    """French puts no capital after a colon: "Lu comme présent : a reçu ..." (was "A reçu", the capital of the
    engine's sentence); a marker, an acronym or words kept as written keep theirs."""
    held = "Read as applying: Received fulvestrant (SERD), last given 2025-09-07. This kind of reading excludes no patient on its own: check it."
    assert say("fr", held).startswith("Lu comme présent\u00a0: a reçu fulvestrant (SERD)")
    assert say("en", held) == held
    marker = "Read as not met: HER2 1+ (criterion: positive). This kind of reading excludes no patient on its own: check it."
    assert say("fr", marker).startswith("Lu comme non rempli\u00a0: HER2 1+")
    assert say("fr", "Condition: Breast Cancer (OncoTree BREAST)").endswith(
        ": Breast Cancer (OncoTree BREAST)"
    )
