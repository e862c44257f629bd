"""Shape of the research inclusion-rate indicator (OECI reference 10 %): one year per centre with the
network's series, shared by the API and the page."""

from __future__ import annotations

from typing import Any

from oncofed.errors import NotFound
from oncofed.services.network.centres import centre_names
from oncofed.services.research.inclusion import inclusion_results, inclusion_rows, network_rows
from oncofed.store.db import Database


def inclusion_payload(db: Database, year: int | None) -> dict[str, Any]:
    """The inclusion rate of one year (default: the latest) per centre, with the network's years; keys
    starting with `_` carry the result and the names for the page's chart (`public` drops them)."""
    years, results = inclusion_results(db)
    names = centre_names(db, short=True)
    chosen = year if year is not None else (years[-1] if years else None)
    if chosen is not None and chosen not in results:
        raise NotFound(
            f"no new patients in {chosen}", fix=f"years with data: {', '.join(map(str, years)) or 'none'}"
        )
    rows = inclusion_rows({chosen: results[chosen]} if chosen is not None else {}, names)
    return {
        "indicator": "research_inclusion_rate",
        "year": chosen,
        "years": years,
        "oeci_reference": 0.10,
        "network": network_rows(results),
        "centres": rows,
        "overdispersion": results[chosen].overdispersion if chosen is not None else None,
        "_result": results.get(chosen) if chosen is not None else None,
        "_names": names,
    }


def public(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as the API returns it (without the page's `_` keys)."""
    return {k: v for k, v in payload.items() if not k.startswith("_")}
