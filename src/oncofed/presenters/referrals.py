"""Why the referral form proposes its site, in the reader's language (services/network/referral_site.py)."""

from __future__ import annotations

from typing import Any

from oncofed.presenters.i18n import translator
from oncofed.services.network.referral_site import (
    FIRST,
    NEAREST_CENTRE,
    NEAREST_HOME,
    OWN_CENTRE,
)


def site_reason(default: dict[str, Any], lang: str) -> str:
    """ "your centre recruits" / "nearest recruiting centre to the patient's home, 12 km" / ..."""
    tr = translator(lang)
    why, km = default.get("why"), default.get("km")
    if why == OWN_CENTRE and km is not None:
        return tr.gettext(
            "the patient's own centre recruits for this trial, %(km)s km from the patient's home",
            km=tr.number(km),
        )
    if why == OWN_CENTRE:  # no home on record (or the centre is not placed): how far is not known
        return tr.gettext("the patient's own centre recruits for this trial; distance unknown")
    if why == NEAREST_HOME:
        return tr.gettext("nearest recruiting centre to the patient's home, %(km)s km", km=tr.number(km))
    if why == NEAREST_CENTRE:
        return tr.gettext("nearest recruiting centre to the patient's centre, %(km)s km", km=tr.number(km))
    if why == FIRST:
        return tr.gettext("no distance known: the first recruiting centre by name")
    return ""


def options_json(options: dict[str, Any], lang: str) -> dict[str, Any]:
    """A patient's referral options for the API: the default with its reason in the request's language."""
    default = dict(options["default"])
    default["reason"] = site_reason(default, lang)
    return {**options, "default": default}


def attach_referral_sites(data: dict[str, Any], options: dict[str, dict[str, Any]], lang: str) -> None:
    """Each match of a stored patient's report gets `referral_site` (`{"centre_id", "name", "why", "km",
    "reason"}`, None when the trial recruits at no network centre): the site the referral form proposes
    (`referral_options` of services/network/referral_site.py), the match page's, API's, CSV's and CLI's."""
    for m in data["matches"]:
        default = options[m["trial_id"]]["default"]
        m["referral_site"] = (
            default | {"reason": site_reason(default, lang)} if default["centre_id"] else None
        )


__all__ = ["attach_referral_sites", "options_json", "site_reason"]
