"""The sponsor's site-milestone file: one line per trial site, one column per milestone.

    trial_id,site,selection,contract,approval,opening,first_inclusion,closing
    DEMO-0001,curie,2024-01-15,2024-03-02,2024-02-20,2024-04-10,2024-05-03,

`site` is a centre id, a centre's name or alias, or the facility name of a site off the network;
dates are YYYY-MM-DD (or DD/MM/YYYY, as French spreadsheets write them); an empty cell means not
reached yet. Every row problem is named by line, column and fix (the service checks trials and
sites against the registry, and the order of the milestones)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from oncofed.errors import N_
from oncofed.ingest import tabular
from oncofed.research.activation import MILESTONES

REQUIRED = ("trial_id", "site")
FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class MilestoneLine:
    line: int
    trial_id: str
    site: str
    dates: dict[str, date] = field(default_factory=dict)


def parse_date(value: str) -> date:
    found = FRENCH_DATE.match(value)
    if found:
        return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
    return date.fromisoformat(value)


def read(text: str, source: str) -> Iterator[MilestoneLine | tabular.Reject]:
    for row in tabular.checked_rows(
        text,
        source,
        REQUIRED,
        MILESTONES,
        malformed_field="(row)",
        malformed_fix=N_("one value per column (quote values holding commas)"),
    ):
        if not row.ok:
            yield from row.problems
            continue
        line, trial, site = row.line, row.get("trial_id"), row.get("site")
        row.record = trial
        if not trial:
            row.reject(
                "trial_id", N_("empty"), N_("give the trial's id (NCT number or registry id)"), code="research.no_trial_id"
            )  # fmt: skip
        elif not site:
            row.reject(
                "site", N_("empty"), N_("give a centre id (`oncofed centres`) or the site's facility name"),
                code="research.no_site",
            )  # fmt: skip
        elif not any(m in row.values for m in MILESTONES):
            yield tabular.Reject.coded(
                line, "(header)", N_("no milestone column"), N_("add columns among: %(columns)s"),
                "research.no_milestone_column", trial, columns=list(MILESTONES),
            )  # fmt: skip
            return
        if not row.ok:
            yield from row.problems
            continue
        out = MilestoneLine(line, trial, site)
        for m in MILESTONES:
            value = row.get(m)
            if not value:
                continue
            try:
                out.dates[m] = parse_date(value)
            except ValueError:
                row.reject(
                    m, N_("%(value)r is not a date"), N_("write YYYY-MM-DD (or DD/MM/YYYY)"),
                    code="research.milestone_date", value=value,
                )  # fmt: skip
                break
        if not row.ok:
            yield from row.problems
        elif not out.dates:
            yield tabular.Reject.coded(
                line, "(row)", N_("no milestone date"), N_("fill at least one milestone date"),
                "research.no_milestone_date", trial,
            )  # fmt: skip
        else:
            yield out
