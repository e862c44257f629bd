"""Shapes of the network's centres: the centre list's CSV columns, and a centre's page / API payload
(the centre, its active-file size, the trials it runs with its own site) with the trials' CSV rows."""

from __future__ import annotations

from typing import Any

from oncofed.presenters.common import centre_json, site_json, trial_summary_json
from oncofed.services.network.centres import CentreSummary

CENTRE_COLUMNS = ["id", "name", "short_name", "city", "postcode", "region", "latitude", "longitude"]
CENTRE_TRIAL_COLUMNS = ["id", "title", "status", "site_status", "phases", "fictional"]


def centre_summary_json(summary: CentreSummary) -> dict[str, Any]:
    centre_id = summary.centre.id
    trials = []
    for t in summary.trials:
        site = next((s for s in t.sites if s.centre_id == centre_id), None)
        trials.append({**trial_summary_json(t), "site": site_json(site) if site else None})
    return {
        "centre": centre_json(summary.centre),
        "patient_count": summary.patient_count,
        "trial_count": len(summary.trials),
        "recruiting_trial_count": len(summary.recruiting_trials),
        "trials": trials,
    }


def centre_trial_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The trials of `centre_summary_json` as CSV rows (the centre's own site status)."""
    return [
        {
            "id": t["id"],
            "title": t["title"],
            "status": t["status"],
            "site_status": (t["site"] or {}).get("status"),
            "phases": t["phases"],
            "fictional": t["fictional"],
        }
        for t in payload["trials"]
    ]
