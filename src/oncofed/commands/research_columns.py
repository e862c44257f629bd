"""`oncofed research report`'s tables in `--lang`'s words: each CSV column's heading (the CSV keeps its
column names, for programs), and its cells (numbers and dates as the language writes them, statuses and
steps by their labels, a share as a percentage)."""

from __future__ import annotations

import re
from typing import Any

from oncofed.commands.words import day, num, tr
from oncofed.errors import N_

HEADINGS: dict[str, str] = {
    "activation_days": N_("days to activate"),
    "activation_sites": N_("sites activated"),
    "approval": N_("approval"),
    "approval_days": N_("days to approval"),
    "assessment": N_("assessment"),
    "band": N_("band"),
    "centre": N_("centre"),
    "centre_a": N_("centre A"),
    "centre_b": N_("centre B"),
    "centre_id": N_("centre id"),
    "centres": N_("centres"),
    "ci_high": N_("upper limit"),
    "ci_low": N_("lower limit"),
    "closing": N_("closing"),
    "contract": N_("contract"),
    "contract_days": N_("days to contract"),
    "country": N_("country"),
    "country_unknown": N_("country unknown"),
    "criterion": N_("criterion"),
    "cumulative": N_("cumulative"),
    "doi": "DOI",
    "enrolled": N_("enrolled"),
    "expected": N_("expected"),
    "first_inclusion": N_("first inclusion"),
    "first_inclusion_days": N_("days to first inclusion"),
    "first_inclusion_from": N_("first inclusion counted from"),
    "flagged_by": N_("flagged by"),
    "id": N_("id"),
    "included": N_("included"),
    "international": N_("international"),
    "international_share": N_("international share"),
    "journal": N_("journal"),
    "maximum": N_("maximum"),
    "median": N_("median"),
    "median_activation_days": N_("median days to activate"),
    "meets_oeci": N_("meets OECI 10%%"),
    "minimum": N_("minimum"),
    "month": N_("month"),
    "network_copublications": N_("network co-publications"),
    "new_patients": N_("new patients"),
    "on_track": N_("on track"),
    "openalex_id": "OpenAlex",
    "opening": N_("opening"),
    "opening_days": N_("days to opening"),
    "papers": N_("papers"),
    "patients": N_("patients"),
    "pmid": "PMID",
    "problems": N_("problems"),
    "proposed_centres": N_("proposed centres"),
    "published": N_("published"),
    "q1": N_("first quartile"),
    "q3": N_("third quartile"),
    "rate": N_("rate"),
    "reason": N_("reason"),
    "reviewed_by": N_("reviewed by"),
    "selection": N_("selection"),
    "site": N_("site"),
    "sites": N_("sites"),
    "sites_open": N_("sites open"),
    "sites_with_milestones": N_("sites with milestones"),
    "slowest_step": N_("slowest step"),
    "sole": N_("sole centre"),
    "source": N_("source"),
    "status": N_("status"),
    "step": N_("step"),
    "target": N_("target"),
    "text": N_("text"),
    "title": N_("title"),
    "top_journals": N_("top journals"),
    "trial_id": N_("trial"),
    "trials": N_("trials"),
    "year": N_("year"),
}
# the cells said by a label group of presenters/labels (the codes the pages show by their words)
LABELLED = {"status": "r_status", "step": "r_step", "slowest_step": "r_step", "source": "r_source"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?|\d{4}-\d{2}")


def heading(column: str) -> str:
    """The column's heading in `--lang`'s words (a column without one keeps its name)."""
    message = HEADINGS.get(column)
    return tr().gettext(message) if message else column


def cell(column: str, value: Any) -> str:
    """One cell in `--lang`'s words: a share as a percentage, numbers and dates as the language writes
    them, a yes/no, a status or step by its label; text (titles, names, journals) as written."""
    t = tr()
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return t.gettext("yes") if value else t.gettext("no")
    if column.endswith("_share") and isinstance(value, int | float):
        return num(100 * value, 1) + ("\u00a0%" if t.lang == "fr" else "%")
    if isinstance(value, int | float):
        return num(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    text = str(value)
    if column == "status" and text.isupper():  # a trial's registry status
        return t.label("wd_status", text)
    if column in LABELLED:
        return t.label(LABELLED[column], text)
    if _ISO_DAY.fullmatch(text) and column not in ("id", "doi", "pmid"):
        return day(text)
    return text
