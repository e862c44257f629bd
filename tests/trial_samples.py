"""Small ClinicalTrials.gov v2 studies written for the trial-registry tests (fictional content)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any


def study(
    nct: str = "NCT09000001",
    title: str = "Fictional study of drug X in HER2-positive breast cancer",
    status: str = "RECRUITING",
    min_age: str = "18 Years",
    last_update: str = "2024-01-15",
    locations: list[dict[str, Any]] | None = None,
    conditions: tuple[str, ...] = ("Breast Cancer",),
    phases: tuple[str, ...] = ("PHASE2",),
    sex: str = "ALL",
) -> dict[str, Any]:
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": nct,
                "briefTitle": title,
                "orgStudyIdInfo": {"id": f"ORG-{nct[-4:]}"},
            },
            "statusModule": {
                "overallStatus": status,
                "lastUpdatePostDateStruct": {"date": last_update},
                "startDateStruct": {"date": "2023-05"},
            },  # fmt: skip
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Fictional Sponsor"}},
            "conditionsModule": {"conditions": list(conditions), "keywords": ["trastuzumab"]},
            "designModule": {
                "studyType": "INTERVENTIONAL",
                "phases": list(phases),
                "enrollmentInfo": {"count": 40},
            },
            "armsInterventionsModule": {"interventions": [{"type": "DRUG", "name": "Drug X"}]},
            "eligibilityModule": {
                "eligibilityCriteria": "Inclusion Criteria:\n\n* Age 18 or older\n* ECOG 0-1\n\nExclusion Criteria:\n\n* Pregnancy",
                "minimumAge": min_age,
                "maximumAge": "N/A",
                "sex": sex,
            },
            "contactsLocationsModule": {"locations": locations if locations is not None else []},
        }
    }


def location(facility: str, city: str, status: str = "RECRUITING", country: str = "France", geo: bool = False,
             lat: float = 0.0, lon: float = 0.0) -> dict[str, Any]:  # fmt: skip
    loc: dict[str, Any] = {"facility": facility, "city": city, "country": country, "status": status}
    if geo:
        loc["geoPoint"] = {"lat": lat, "lon": lon}
    return loc


def write_page(path: Path, studies: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"studies": studies}), encoding="utf-8")
    return path


def write_ndjson(path: Path, studies: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(s) + "\n" for s in studies), encoding="utf-8")
    return path


def variant(base: dict[str, Any], i: int) -> dict[str, Any]:
    s = copy.deepcopy(base)
    s["protocolSection"]["identificationModule"]["nctId"] = f"NCT{9_100_000 + i:08d}"
    return s
